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
//! be the request's own host, localhost, or an allowed origin, else 403. The server never chooses a
//! token entry as the protocol: a browser that sends its token that way also offers `kubegate.terminal`
//! (browsers fail a handshake that chooses none of the protocols they offered).

mod bridge;
mod protocol;

use axum::extract::ws::{WebSocket, WebSocketUpgrade};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::{SinkExt as _, StreamExt as _};
use kubegate_proto::v1 as pb;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tracing::Instrument as _;

use self::bridge::{EventStream, Outcome, Session, Watch, bridge};
use crate::auth::{ApiToken, Presented};
use crate::error::ApiError;
use crate::upstream::Upstream;

/// Where the terminal is served, on the REST port and the terminal port.
pub const PATH: &str = "/ws/kubernetes/exec";
/// The subprotocol kubegate's terminal speaks (optional for clients).
pub const PROTOCOL: &str = "kubegate.terminal";

/// The largest browser message accepted (a paste); larger ones close the socket with 1009.
const MAX_MESSAGE: usize = 1024 * 1024;
/// Bytes read from the browser's socket at a time. Keystrokes are small: tungstenite's default (128 KiB,
/// filled on the first read) would be most of what an open terminal costs; a paste still arrives whole.
const READ_BUFFER: usize = 8 * 1024;
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

/// Whether the caller's credentials carry `token`: in `Authorization`, a subprotocol entry, or `?token=`.
fn carries(token: &ApiToken, headers: &HeaderMap, params: &Params) -> bool {
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
    let up = match up.config.tokens().presented(|t| carries(t, &headers, &params)) {
        // The session is opened with the caller's own credential, so the service gives it its role.
        Ok(Some(Presented(token))) => up.acting_for(&token),
        Ok(None) => up,
        Err(()) => {
            return ApiError::unauthenticated(
                "missing or wrong API token: send `Authorization: Bearer <token>`, a token query parameter, \
                 or a bearer.<token> subprotocol",
            )
            .into_response();
        }
    };
    let ws = match ws {
        Ok(ws) => ws,
        Err(rejection) => {
            let mut response =
                ApiError::rejected(StatusCode::BAD_REQUEST, rejection.body_text()).into_response();
            *response.status_mut() = rejection.status();
            return response;
        }
    };
    // The answer names kubegate's own protocol when the client offered it, else none; never a token
    // entry, which would put the token in a response header (proxies, devtools and logs keep those).
    let span = tracing::info_span!("terminal", pod = %params.pod, namespace = %params.namespace);
    ws.protocols([PROTOCOL])
        .max_message_size(MAX_MESSAGE)
        .read_buffer_size(READ_BUFFER)
        .on_upgrade(move |socket| run(socket, up, params).instrument(span))
}

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

/// Runs one terminal: opens (or reattaches to) the session, bridges it to the browser, and ends the
/// session when the browser said goodbye.
async fn run(socket: WebSocket, up: Upstream, params: Params) {
    let (mut to_browser, from_browser) = socket.split();
    let (input_tx, input_rx) = mpsc::channel::<pb::ExecInput>(INPUT_QUEUE);
    let events = match open(&up, &params, input_rx).await {
        Ok(events) => events,
        Err(status) => {
            let (message, closing) = protocol::failure(&status);
            let _ = to_browser.send(message).await;
            let _ = to_browser.send(closing).await;
            return;
        }
    };
    let session = Session { events, input: input_tx, id: params.session, offset: params.offset };
    let watch = Watch { ping_interval: up.config.ping_interval, shutdown: up.shutdown.clone() };
    // A browser that said goodbye ends its session; one that vanished leaves it for a reattach.
    if let Outcome::Left { cleanly: true, session_id: Some(id) } =
        bridge(to_browser, from_browser, session, watch).await
    {
        let request = pb::TerminateExecSessionRequest { session_id: id };
        if let Err(status) = up.exec().terminate_exec_session(request).await {
            tracing::debug!(%status, "the session was already gone");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
