//! The terminal WebSocket: `/ws/kubernetes/exec?pod=&namespace=&container=`, bridged onto the gRPC exec
//! stream with a TTY.
//!
//! The original browser protocol keeps working (keystrokes as text frames, `{"type":"resize","cols":C,
//! "rows":R}`, output as text), without its bugs:
//! - only a JSON object whose `type` is `resize` or `signal` is a control message; anything else typed
//!   (`5`, `true`, `"x"`) goes to the shell;
//! - binary frames are raw stdin bytes;
//! - output is UTF-8 decoded across frame boundaries (a character split between two chunks arrives whole);
//! - the session's id comes first as `{"type":"session","sessionId":…,"offset":N}`; a normal end is
//!   `{"type":"exit","code":N}` then close 1000; a failure is `{"type":"error","code":…,"message":…}`
//!   then a close whose code is 4000 + the HTTP status (4404 no such pod, 4403 refused, …);
//! - a browser that closes the socket ends the session; one that vanishes (no close frame) leaves it
//!   for a reattach with `?session=ID&offset=N` within the service's grace period, where N is the
//!   session offset plus the UTF-8 byte length of the output received;
//! - the server pings every 30 s and drops a browser silent for two intervals.
//!
//! Access: the API token in `Authorization`, a `token` query parameter, or a subprotocol entry
//! (`bearer.<token>` or Kubernetes' `base64url.bearer.authorization.k8s.io.<base64url>`); `Origin` must
//! be the request's own host, localhost, or an allowed origin, else 403.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::{SinkExt as _, Stream, StreamExt as _};
use kubegate_proto::v1 as pb;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tracing::Instrument as _;

use crate::auth::{self, ApiToken};
use crate::error::{ApiError, code_name, http_status};
use crate::upstream::Upstream;

/// Where the terminal is served, on the REST port and the terminal port.
pub const PATH: &str = "/ws/kubernetes/exec";
/// The subprotocol kubegate's terminal speaks (optional for clients).
pub const PROTOCOL: &str = "kubegate.terminal";

/// The largest browser message accepted (a paste); larger ones close the socket with 1009.
const MAX_MESSAGE: usize = 1024 * 1024;
/// Input messages waiting for the service; beyond this the browser's socket is not read (backpressure).
const INPUT_QUEUE: usize = 64;

/// What the terminal was asked to open.
#[derive(Debug, Default, PartialEq)]
struct Params {
    pod: String,
    namespace: String,
    container: String,
    command: Vec<String>,
    session: Option<String>,
    offset: u64,
    size: Option<pb::TerminalSize>,
    token: Option<String>,
}

fn dimension(name: &str, value: &str) -> Result<u32, ApiError> {
    value
        .parse::<u32>()
        .ok()
        .filter(|v| (1..=u32::from(u16::MAX)).contains(v))
        .ok_or_else(|| ApiError::bad_request(format!("{name}: {value:?} is not a number from 1 to 65535")))
}

impl Params {
    fn parse(query: &str) -> Result<Self, ApiError> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(query).map_err(|e| ApiError::bad_request(format!("query: {e}")))?;
        let mut p = Params::default();
        let (mut cols, mut rows) = (None, None);
        let mut shell = None;
        for (key, value) in pairs {
            match key.as_str() {
                "pod" => p.pod = value,
                "namespace" => p.namespace = value,
                "container" => p.container = value,
                "command" => p.command.push(value),
                "shell" => shell = Some(value),
                "session" => p.session = Some(value).filter(|s| !s.is_empty()),
                "offset" => {
                    p.offset = value.parse().map_err(|_| {
                        ApiError::bad_request(format!("offset: {value:?} is not a byte offset"))
                    })?;
                }
                "cols" => cols = Some(dimension("cols", &value)?),
                "rows" => rows = Some(dimension("rows", &value)?),
                "token" => p.token = Some(value),
                // Unknown parameters are ignored, as the original did.
                _ => {}
            }
        }
        if let Some(shell) = shell.filter(|s| !s.is_empty()) {
            if !p.command.is_empty() {
                return Err(ApiError::bad_request("give either shell or command, not both"));
            }
            p.command = vec![shell];
        }
        if p.session.is_none() && p.pod.is_empty() {
            return Err(ApiError::bad_request("pod query parameter required (or session, to reattach)"));
        }
        p.size = match (cols, rows) {
            (Some(cols), Some(rows)) => Some(pb::TerminalSize { cols, rows }),
            (None, None) => None,
            _ => return Err(ApiError::bad_request("cols and rows must be given together")),
        };
        Ok(p)
    }
}

/// The host part (with port) of an origin or Host header, lower-cased.
fn authority_of_origin(origin: &str) -> Option<String> {
    let rest = origin.split_once("://").map(|(_, r)| r)?;
    Some(rest.trim_end_matches('/').to_ascii_lowercase())
}

fn is_localhost(authority: &str) -> bool {
    let host = if authority.starts_with('[') {
        authority.split(']').next().map(|h| format!("{h}]")).unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default().to_string()
    };
    matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]") || host.ends_with(".localhost")
}

/// Whether a browser at `Origin` may open the terminal. Non-browser clients send no `Origin`.
fn origin_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    let Some(origin) = headers.get(http::header::ORIGIN) else { return true };
    let Ok(origin) = origin.to_str() else { return false };
    if allowed.iter().any(|a| a == "*" || a.trim_end_matches('/').eq_ignore_ascii_case(origin)) {
        return true;
    }
    let Some(authority) = authority_of_origin(origin) else { return false };
    let host = headers.get(http::header::HOST).and_then(|h| h.to_str().ok()).map(str::to_ascii_lowercase);
    host.as_deref() == Some(authority.as_str()) || is_localhost(&authority)
}

fn authorized(token: Option<&ApiToken>, headers: &HeaderMap, params: &Params) -> bool {
    let Some(token) = token else { return true };
    token.matches_headers(headers)
        || token.matches_protocols(headers)
        || params.token.as_deref().is_some_and(|t| token.matches(t))
}

/// `GET /ws/kubernetes/exec`: checks origin, token and parameters before upgrading.
pub async fn upgrade(
    State(up): State<Upstream>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    ws: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Response {
    if !origin_allowed(&headers, &up.config.terminal_origins) {
        let origin = headers.get(http::header::ORIGIN).and_then(|o| o.to_str().ok()).unwrap_or("?");
        tracing::warn!(%origin, "terminal refused: cross-site origin");
        return ApiError::forbidden(format!("origin {origin} may not open the terminal")).into_response();
    }
    let params = match Params::parse(query.as_deref().unwrap_or("")) {
        Ok(params) => params,
        Err(e) => return e.into_response(),
    };
    if !authorized(up.config.token.as_ref(), &headers, &params) {
        return ApiError::unauthenticated(
            "missing or wrong API token: send `Authorization: Bearer <token>`, a token query parameter, \
             or a bearer.<token> subprotocol",
        )
        .into_response();
    }
    let ws = match ws {
        Ok(ws) => ws,
        Err(rejection) => {
            let mut response =
                ApiError::rejected(StatusCode::BAD_REQUEST, rejection.body_text()).into_response();
            *response.status_mut() = rejection.status();
            return response;
        }
    };
    // Browsers fail the handshake unless one offered subprotocol is chosen: prefer kubegate's own, else
    // echo the token entry the browser offered.
    let mut protocols = vec![PROTOCOL.to_string()];
    protocols.extend(
        auth::offered_protocols(&headers)
            .filter(|p| {
                p.starts_with(auth::BEARER_PROTOCOL) || p.starts_with(auth::KUBERNETES_BEARER_PROTOCOL)
            })
            .map(str::to_string),
    );
    let span = tracing::info_span!("terminal", pod = %params.pod, namespace = %params.namespace);
    ws.protocols(protocols)
        .max_message_size(MAX_MESSAGE)
        .on_upgrade(move |socket| bridge(socket, up, params).instrument(span))
}

/// Keeps bytes of a character split across chunks until the rest arrives.
#[derive(Default)]
struct Utf8Carry {
    pending: Vec<u8>,
}

impl Utf8Carry {
    /// Decodes what is complete; invalid bytes become U+FFFD, an unfinished character waits.
    fn push(&mut self, data: &[u8]) -> String {
        self.pending.extend_from_slice(data);
        let mut out = String::with_capacity(self.pending.len());
        let mut rest: &[u8] = &self.pending;
        loop {
            match std::str::from_utf8(rest) {
                Ok(valid) => {
                    out.push_str(valid);
                    rest = &[];
                    break;
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                    match e.error_len() {
                        Some(bad) => {
                            out.push(char::REPLACEMENT_CHARACTER);
                            rest = &after[bad..];
                        }
                        None => {
                            rest = after;
                            break;
                        }
                    }
                }
            }
        }
        self.pending = rest.to_vec();
        out
    }
}

/// A message from the browser, classified.
#[derive(Debug, PartialEq)]
enum Inbound {
    Input(pb::ExecInput),
    /// A control message that was malformed: reported to the browser, not typed into the shell.
    Invalid(String),
}

fn input(kind: pb::exec_input::Kind) -> Inbound {
    Inbound::Input(pb::ExecInput { kind: Some(kind) })
}

/// Only a JSON object whose `type` is a known control type is a control message.
fn classify_text(text: &str) -> Inbound {
    let control = serde_json::from_str::<serde_json::Map<String, Value>>(text)
        .ok()
        .filter(|m| matches!(m.get("type").and_then(Value::as_str), Some("resize" | "signal")));
    let Some(message) = control else {
        return input(pb::exec_input::Kind::Stdin(text.as_bytes().to_vec()));
    };
    let number = |key: &str| message.get(key).and_then(Value::as_u64).filter(|v| (1..=65535).contains(v));
    match message.get("type").and_then(Value::as_str) {
        Some("resize") => match (number("cols"), number("rows")) {
            (Some(cols), Some(rows)) => {
                input(pb::exec_input::Kind::Resize(pb::TerminalSize { cols: cols as u32, rows: rows as u32 }))
            }
            _ => Inbound::Invalid("resize needs cols and rows from 1 to 65535".into()),
        },
        _ => match message.get("signal").and_then(Value::as_str) {
            Some("interrupt" | "INT" | "SIGINT") => {
                input(pb::exec_input::Kind::Signal(pb::ExecSignal::Interrupt as i32))
            }
            Some("terminate" | "TERM" | "SIGTERM") => {
                input(pb::exec_input::Kind::Signal(pb::ExecSignal::Terminate as i32))
            }
            Some("kill" | "KILL" | "SIGKILL") => {
                input(pb::exec_input::Kind::Signal(pb::ExecSignal::Kill as i32))
            }
            _ => Inbound::Invalid("signal must be interrupt, terminate or kill".into()),
        },
    }
}

type EventStream = std::pin::Pin<Box<dyn Stream<Item = Result<pb::ExecEvent, tonic::Status>> + Send>>;

/// Opens (or reattaches to) the session upstream; input flows from `inputs`.
async fn open(
    up: &Upstream,
    params: &Params,
    inputs: mpsc::Receiver<pb::ExecInput>,
) -> Result<EventStream, tonic::Status> {
    let inputs = ReceiverStream::new(inputs);
    if let Some(session_id) = &params.session {
        let attach = pb::AttachExecSessionRequest {
            kind: Some(pb::attach_exec_session_request::Kind::Attach(pb::ExecAttach {
                session_id: session_id.clone(),
                offset: params.offset,
            })),
        };
        let requests = futures::stream::once(async { attach }).chain(inputs.map(|i| {
            pb::AttachExecSessionRequest { kind: Some(pb::attach_exec_session_request::Kind::Input(i)) }
        }));
        let events = up.exec().attach_exec_session(requests).await?.into_inner();
        return Ok(Box::pin(events.filter_map(|r| async move { r.map(|m| m.event).transpose() })));
    }
    let start = pb::ExecStreamRequest {
        kind: Some(pb::exec_stream_request::Kind::Start(pb::ExecStart {
            namespace: params.namespace.clone(),
            pod: params.pod.clone(),
            container: params.container.clone(),
            command: params.command.clone(),
            tty: true,
            terminal_size: params.size,
            stdin: true,
            detach_grace_period: None,
        })),
    };
    let requests = futures::stream::once(async { start })
        .chain(inputs.map(|i| pb::ExecStreamRequest { kind: Some(pb::exec_stream_request::Kind::Input(i)) }));
    let events = up.exec().exec_stream(requests).await?.into_inner();
    Ok(Box::pin(events.filter_map(|r| async move { r.map(|m| m.event).transpose() })))
}

fn text(value: Value) -> Message {
    Message::Text(Utf8Bytes::from(value.to_string()))
}

fn close(code: u16, reason: &str) -> Message {
    // A close reason may hold at most 123 bytes.
    let mut reason = reason.to_string();
    while reason.len() > 120 {
        reason.pop();
    }
    Message::Close(Some(CloseFrame { code, reason: Utf8Bytes::from(reason) }))
}

fn failure(status: &tonic::Status) -> (Message, Message) {
    let code = 4000 + http_status(status.code()).as_u16().min(999);
    (
        text(json!({"type": "error", "code": code_name(status.code()), "message": status.message()})),
        close(code, status.message()),
    )
}

fn end_reason(reason: i32) -> &'static str {
    pb::ExecEndReason::try_from(reason).map(|r| r.as_str_name()).unwrap_or("EXEC_END_REASON_UNSPECIFIED")
}

/// Runs one terminal: browser → service on one task, service → browser (and pings) on this one.
async fn bridge(socket: WebSocket, up: Upstream, params: Params) {
    let (mut to_browser, mut from_browser) = socket.split();
    let (input_tx, input_rx) = mpsc::channel::<pb::ExecInput>(INPUT_QUEUE);
    let mut events = match open(&up, &params, input_rx).await {
        Ok(events) => events,
        Err(status) => {
            let (message, closing) = failure(&status);
            let _ = to_browser.send(message).await;
            let _ = to_browser.send(closing).await;
            return;
        }
    };
    let left_cleanly = Arc::new(AtomicBool::new(false));
    let (alive_tx, mut alive_rx) = mpsc::channel::<()>(1);
    let (notice_tx, mut notice_rx) = mpsc::channel::<Message>(4);

    // Browser → service. Awaiting queue space stops reading the socket: backpressure to the browser.
    let reader = {
        let left_cleanly = left_cleanly.clone();
        tokio::spawn(async move {
            while let Some(message) = from_browser.next().await {
                let _ = alive_tx.try_send(());
                let inbound = match message {
                    Ok(Message::Text(t)) => classify_text(t.as_str()),
                    Ok(Message::Binary(b)) => input(pb::exec_input::Kind::Stdin(b.to_vec())),
                    Ok(Message::Ping(_) | Message::Pong(_)) => continue,
                    Ok(Message::Close(_)) => {
                        left_cleanly.store(true, Ordering::SeqCst);
                        break;
                    }
                    Err(e) => {
                        tracing::debug!(error = %e, "the browser's socket failed");
                        break;
                    }
                };
                match inbound {
                    Inbound::Input(i) => {
                        if input_tx.send(i).await.is_err() {
                            break;
                        }
                    }
                    Inbound::Invalid(why) => {
                        let _ = notice_tx
                            .send(text(json!({"type": "error", "code": "INVALID_ARGUMENT", "message": why})))
                            .await;
                    }
                }
            }
        })
    };

    let mut carry = Utf8Carry::default();
    let mut session_id = params.session.clone();
    let mut ping = tokio::time::interval(up.config.ping_interval);
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ping.tick().await;
    let mut silent_ticks = 0u32;
    let mut reader = reader;
    let ending: Option<(Message, Message)> = loop {
        tokio::select! {
            event = events.next() => {
                let outgoing = match event {
                    Some(Ok(pb::ExecEvent { kind: Some(kind) })) => kind,
                    Some(Ok(pb::ExecEvent { kind: None })) => continue,
                    Some(Err(status)) => break Some(failure(&status)),
                    None => break Some((
                        text(json!({"type": "error", "code": "UNAVAILABLE", "message": "the session ended without an exit status"})),
                        close(1011, "the session ended without an exit status"),
                    )),
                };
                let message = match outgoing {
                    pb::exec_event::Kind::Started(started) => {
                        session_id = Some(started.session_id.clone());
                        Some(text(json!({"type": "session", "sessionId": started.session_id,
                            "container": started.container, "command": started.command, "offset": params.offset})))
                    }
                    pb::exec_event::Kind::Stdout(chunk) | pb::exec_event::Kind::Stderr(chunk) => {
                        let decoded = carry.push(&chunk.data);
                        (!decoded.is_empty()).then(|| Message::Text(Utf8Bytes::from(decoded)))
                    }
                    pb::exec_event::Kind::Gap(gap) => Some(text(json!({"type": "gap",
                        "requestedOffset": gap.requested_offset, "resumedOffset": gap.resumed_offset}))),
                    pb::exec_event::Kind::Keepalive(_) => None,
                    pb::exec_event::Kind::Exit(exit) => {
                        let tail = carry.push(&[]);
                        if !tail.is_empty() {
                            let _ = to_browser.send(Message::Text(Utf8Bytes::from(tail))).await;
                        }
                        let exited = exit.reason == pb::ExecEndReason::Exited as i32;
                        let mut body = json!({"type": "exit", "code": exited.then_some(exit.exit_code)});
                        if !exited {
                            body["reason"] = json!(end_reason(exit.reason));
                            body["message"] = json!(exit.message);
                        }
                        break Some((text(body), close(1000, "exited")));
                    }
                };
                if let Some(message) = message
                    && to_browser.send(message).await.is_err()
                {
                    break None;
                }
            }
            notice = notice_rx.recv() => {
                if let Some(notice) = notice && to_browser.send(notice).await.is_err() {
                    break None;
                }
            }
            _ = &mut reader => break None,
            () = up.shutdown.cancelled() => {
                break Some((
                    text(json!({"type": "error", "code": "UNAVAILABLE", "message": "kubegate is shutting down"})),
                    close(1001, "kubegate is shutting down"),
                ));
            }
            alive = alive_rx.recv() => {
                if alive.is_some() {
                    silent_ticks = 0;
                }
            }
            _ = ping.tick() => {
                silent_ticks += 1;
                if silent_ticks > 2 {
                    tracing::info!("the browser stopped answering pings; leaving the session for a reattach");
                    break None;
                }
                if to_browser.send(Message::Ping(bytes::Bytes::from_static(b"kubegate"))).await.is_err() {
                    break None;
                }
            }
        }
    };
    match ending {
        Some((message, closing)) => {
            let _ = to_browser.send(message).await;
            let _ = to_browser.send(closing).await;
            reader.abort();
        }
        None => {
            reader.abort();
            // A browser that said goodbye ends its session; one that vanished leaves it for a reattach.
            if left_cleanly.load(Ordering::SeqCst)
                && let Some(id) = session_id
            {
                let request = pb::TerminateExecSessionRequest { session_id: id };
                if let Err(status) = up.exec().terminate_exec_session(request).await {
                    tracing::debug!(%status, "the session was already gone");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_json_objects_are_control_messages() {
        let stdin = |s: &str| input(pb::exec_input::Kind::Stdin(s.as_bytes().to_vec()));
        for typed in ["5", "true", "\"x\"", "null", "[1]", "{\"type\":\"other\"}", "ls -l\r", "{"] {
            assert_eq!(classify_text(typed), stdin(typed), "{typed}");
        }
        assert_eq!(
            classify_text(r#"{"type":"resize","cols":120,"rows":40}"#),
            input(pb::exec_input::Kind::Resize(pb::TerminalSize { cols: 120, rows: 40 }))
        );
        assert!(matches!(classify_text(r#"{"type":"resize","cols":0,"rows":40}"#), Inbound::Invalid(_)));
        assert_eq!(
            classify_text(r#"{"type":"signal","signal":"interrupt"}"#),
            input(pb::exec_input::Kind::Signal(pb::ExecSignal::Interrupt as i32))
        );
    }

    #[test]
    fn characters_split_across_chunks_arrive_whole() {
        let mut carry = Utf8Carry::default();
        let euro = "€".as_bytes();
        assert_eq!(carry.push(&[b'a', euro[0]]), "a");
        assert_eq!(carry.push(&euro[1..2]), "");
        assert_eq!(carry.push(&[euro[2], b'b']), "€b");
        assert_eq!(carry.push(&[0xff, b'c']), "\u{fffd}c");
    }

    #[test]
    fn parameters_parse_with_repeated_commands() {
        let p =
            Params::parse("pod=p&namespace=n&command=sh&command=-c&command=ls&cols=80&rows=24").expect("ok");
        assert_eq!(p.command, ["sh", "-c", "ls"]);
        assert_eq!(p.size, Some(pb::TerminalSize { cols: 80, rows: 24 }));
        assert_eq!(Params::parse("pod=p&shell=/bin/bash").expect("ok").command, ["/bin/bash"]);
        assert!(Params::parse("namespace=n").is_err());
        assert!(Params::parse("pod=p&cols=80").is_err());
        assert!(Params::parse("pod=p&offset=x").is_err());
        assert_eq!(Params::parse("session=abc&offset=12").expect("ok").offset, 12);
    }

    #[test]
    fn origins_are_same_host_localhost_or_allowed() {
        let headers = |origin: &str, host: &str| {
            let mut h = HeaderMap::new();
            h.insert(http::header::ORIGIN, origin.parse().expect("origin"));
            h.insert(http::header::HOST, host.parse().expect("host"));
            h
        };
        assert!(origin_allowed(&headers("https://kg.example.com", "kg.example.com"), &[]));
        assert!(origin_allowed(&headers("http://localhost:3000", "kg.example.com"), &[]));
        assert!(origin_allowed(&headers("http://[::1]:3000", "kg.example.com"), &[]));
        assert!(!origin_allowed(&headers("https://evil.example", "kg.example.com"), &[]));
        assert!(!origin_allowed(&headers("null", "kg.example.com"), &[]));
        assert!(origin_allowed(
            &headers("https://app.example", "kg.example.com"),
            &["https://app.example".into()]
        ));
        assert!(origin_allowed(&HeaderMap::new(), &[]));
    }
}
