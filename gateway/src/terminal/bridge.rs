//! The bridge between a browser's WebSocket and an exec session: browser → service on one task,
//! service → browser (and pings) on the other. It is generic over the socket's two halves, so that it
//! runs the same on an axum WebSocket and on channels in tests.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::extract::ws::{Message, Utf8Bytes};
use futures::{FutureExt as _, Sink, SinkExt as _, Stream, StreamExt as _};
use kubegate_proto::v1 as pb;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::protocol::{Inbound, Notice, Utf8Carry, classify_text, close, end_reason, failure, input, text};

/// What the service sends for a session: its events, or the status that broke the stream.
pub type EventStream = Pin<Box<dyn Stream<Item = Result<pb::ExecEvent, tonic::Status>> + Send>>;

/// The service's side of a terminal.
pub struct Session {
    /// Output and the end of the session, from the service.
    pub events: EventStream,
    /// Input for the service. Awaiting its space is what stops reading the browser (backpressure).
    pub input: mpsc::Sender<pb::ExecInput>,
    /// The session when reattaching, until the service says which it is.
    pub id: Option<String>,
    /// Where the browser resumes the output; reported back in the session message.
    pub offset: u64,
}

/// How the bridge watches the browser and the gateway.
pub struct Watch {
    /// How often the browser is pinged; a browser silent for two intervals is gone.
    pub ping_interval: Duration,
    /// Cancelled when the gateway shuts down: the terminal closes with 1001.
    pub shutdown: CancellationToken,
}

/// How a terminal ended.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// The session ended (exit, failure, shutdown); the browser was told and sent a close frame.
    Ended,
    /// The browser left or could not be written to. One that said goodbye (`cleanly`) ends its session;
    /// one that vanished leaves it for a reattach.
    Left {
        /// Whether the browser sent a close frame.
        cleanly: bool,
        /// The session, when the service had said which it is.
        session_id: Option<String>,
    },
}

/// Reads the browser until it leaves, sending its input to the service and malformed control messages
/// back as notices. Every message read is a sign of life.
async fn read_browser<R, E>(
    mut from_browser: R,
    input_tx: mpsc::Sender<pb::ExecInput>,
    notice_tx: mpsc::Sender<Message>,
    alive_tx: mpsc::Sender<()>,
    left_cleanly: Arc<AtomicBool>,
) where
    R: Stream<Item = Result<Message, E>> + Unpin,
    E: std::fmt::Display,
{
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
                // Awaiting queue space stops reading the socket: backpressure to the browser.
                if input_tx.send(i).await.is_err() {
                    break;
                }
            }
            Inbound::Invalid(why) => {
                let notice = text(&Notice::Error { code: "INVALID_ARGUMENT", message: &why });
                let _ = notice_tx.send(notice).await;
            }
        }
    }
}

/// Whether output text would be taken for a JSON value by a client that tries `JSON.parse` first.
fn parses_as_json(text: &str) -> bool {
    !text.trim().is_empty() && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}

/// Whether a service event is output (which may be sent along with earlier output).
fn is_output(event: &Result<pb::ExecEvent, tonic::Status>) -> bool {
    matches!(
        event,
        Ok(pb::ExecEvent { kind: Some(pb::exec_event::Kind::Stdout(_) | pb::exec_event::Kind::Stderr(_)) })
    )
}

/// Runs one terminal until the session ends or the browser leaves.
pub async fn bridge<S, R, E>(mut to_browser: S, from_browser: R, session: Session, watch: Watch) -> Outcome
where
    S: Sink<Message> + Unpin,
    R: Stream<Item = Result<Message, E>> + Send + Unpin + 'static,
    E: std::fmt::Display + Send + 'static,
{
    let _open = kubegate_metrics::global().opened("terminals");
    let Session { events, input: input_tx, id, offset } = session;
    let mut events = events.peekable();
    let left_cleanly = Arc::new(AtomicBool::new(false));
    let (alive_tx, mut alive_rx) = mpsc::channel::<()>(1);
    let (notice_tx, mut notice_rx) = mpsc::channel::<Message>(4);
    let mut reader =
        tokio::spawn(read_browser(from_browser, input_tx, notice_tx, alive_tx, left_cleanly.clone()));

    let mut carry = Utf8Carry::default();
    let mut session_id = id;
    let mut ping = tokio::time::interval(watch.ping_interval);
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ping.tick().await;
    let mut silent_ticks = 0u32;
    let no_exit = "the session ended without an exit status";
    let ending: Option<(Message, Message)> = loop {
        tokio::select! {
            event = events.next() => {
                let outgoing = match event {
                    Some(Ok(pb::ExecEvent { kind: Some(kind) })) => kind,
                    Some(Ok(pb::ExecEvent { kind: None })) => continue,
                    Some(Err(status)) => break Some(failure(&status)),
                    None => break Some((
                        text(&Notice::Error { code: "UNAVAILABLE", message: no_exit }),
                        close(1011, no_exit),
                    )),
                };
                let message = match outgoing {
                    pb::exec_event::Kind::Started(started) => {
                        let notice = text(&Notice::Session {
                            command: &started.command,
                            container: &started.container,
                            offset,
                            session_id: &started.session_id,
                        });
                        session_id = Some(started.session_id);
                        Some(notice)
                    }
                    pb::exec_event::Kind::Stdout(chunk) | pb::exec_event::Kind::Stderr(chunk) => {
                        let mut decoded = carry.push(&chunk.data);
                        // The original's browser client drops a frame that parses as JSON (a shell
                        // echoing `5` or `true` alone). Output that has already arrived goes out with
                        // it: that makes such frames rare and costs no latency (nothing is awaited).
                        while parses_as_json(&decoded) {
                            let ready = Pin::new(&mut events).next_if(is_output).now_or_never().flatten();
                            match ready {
                                Some(Ok(pb::ExecEvent {
                                    kind:
                                        Some(
                                            pb::exec_event::Kind::Stdout(more)
                                            | pb::exec_event::Kind::Stderr(more),
                                        ),
                                })) => decoded.push_str(&carry.push(&more.data)),
                                _ => break,
                            }
                        }
                        (!decoded.is_empty()).then(|| Message::Text(Utf8Bytes::from(decoded)))
                    }
                    pb::exec_event::Kind::Gap(gap) => Some(text(&Notice::Gap {
                        requested_offset: gap.requested_offset,
                        resumed_offset: gap.resumed_offset,
                    })),
                    pb::exec_event::Kind::Keepalive(_) => None,
                    pb::exec_event::Kind::Exit(exit) => {
                        // Kept from the original bridge: nothing complete can be held here (each push
                        // emits all that is complete), so this sends nothing, and an unfinished last
                        // character is dropped rather than shown as U+FFFD.
                        let tail = carry.push(&[]);
                        if !tail.is_empty() {
                            let _ = to_browser.send(Message::Text(Utf8Bytes::from(tail))).await;
                        }
                        let exited = exit.reason == pb::ExecEndReason::Exited as i32;
                        let notice = Notice::Exit {
                            code: exited.then_some(exit.exit_code),
                            message: (!exited).then_some(exit.message.as_str()),
                            reason: (!exited).then(|| end_reason(exit.reason)),
                        };
                        break Some((text(&notice), close(1000, "exited")));
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
            () = watch.shutdown.cancelled() => {
                let stopping = "kubegate is shutting down";
                break Some((text(&Notice::Error { code: "UNAVAILABLE", message: stopping }), close(1001, stopping)));
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
            Outcome::Ended
        }
        None => {
            reader.abort();
            Outcome::Left { cleanly: left_cleanly.load(Ordering::SeqCst), session_id }
        }
    }
}

#[cfg(test)]
mod tests;
