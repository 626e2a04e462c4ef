//! Streamed REST answers (a followed log, a pod watch, a test run's progress): one JSON object per line
//! (`application/x-ndjson`), or server-sent events when the caller asks with `Accept: text/event-stream`.
//! Every object has a `type`, which is also the SSE event name. The gRPC stream is pulled only as fast
//! as the caller reads (backpressure), and dropped (cancelling the upstream call) when the caller leaves.
//! Idle streams carry a keepalive every 15 s so proxies do not cut them.

use std::pin::Pin;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::{Stream, StreamExt as _};
use serde::Serialize;

use crate::error::{ApiError, code_name};
use crate::upstream::Upstream;

/// How often an idle stream carries a keepalive.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// One event of a streamed answer. It serializes its own fields; [`respond`] adds its `type` after
/// them (every field name sorts before `type`, so each line keeps the sorted key order it always had).
pub trait StreamEvent: Serialize + Send + 'static {
    /// The event's `type`, and its SSE event name.
    fn kind(&self) -> &'static str;
    /// The event interleaved into a stream that has been silent for 15 s.
    fn keepalive() -> Self;
}

/// `{"code", "error"}` of an error event: the stream broke after it started.
#[derive(Serialize)]
pub struct ErrorEvent {
    code: &'static str,
    error: String,
}

impl From<&tonic::Status> for ErrorEvent {
    fn from(status: &tonic::Status) -> Self {
        Self { code: code_name(status.code()), error: status.message().to_string() }
    }
}

/// An event with its `type` after its fields.
#[derive(Serialize)]
struct Typed<'a, E> {
    #[serde(flatten)]
    event: &'a E,
    #[serde(rename = "type")]
    kind: &'static str,
}

fn line<E: StreamEvent>(event: &E) -> String {
    serde_json::to_string(&Typed { event, kind: event.kind() })
        // The events are plain structs of strings and numbers: this cannot fail, but an event lost
        // is better than a panic in a stream.
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "an event could not be encoded");
            format!("{{\"type\":\"{}\"}}", event.kind())
        })
}

fn wants_sse(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').any(|t| t.trim().starts_with("text/event-stream")))
}

/// Answers a stream of events in the form the caller asked for; it ends when the gateway shuts down.
pub fn respond<E: StreamEvent>(
    up: &Upstream,
    events: impl Stream<Item = E> + Send + 'static,
    headers: &HeaderMap,
) -> Response {
    let events = Box::pin(events.take_until(up.shutdown.clone().cancelled_owned()));
    if wants_sse(headers) {
        let sse = events.map(|event| {
            Ok::<_, std::convert::Infallible>(Event::default().event(event.kind()).data(line(&event)))
        });
        return Sse::new(sse).keep_alive(KeepAlive::new().interval(KEEPALIVE)).into_response();
    }
    let lines = with_keepalive(events).map(|event| {
        let mut line = line(&event).into_bytes();
        line.push(b'\n');
        Ok::<_, std::convert::Infallible>(bytes::Bytes::from(line))
    });
    let mut response = Body::from_stream(lines).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-ndjson"));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// Interleaves a keepalive event into a stream that has been silent for [`KEEPALIVE`].
fn with_keepalive<E: StreamEvent>(
    events: impl Stream<Item = E> + Unpin + Send,
) -> impl Stream<Item = E> + Send {
    futures::stream::unfold(Some(events), |state| async move {
        let mut events = state?;
        match tokio::time::timeout(KEEPALIVE, events.next()).await {
            Ok(Some(event)) => Some((event, Some(events))),
            Ok(None) => None,
            Err(_) => Some((E::keepalive(), Some(events))),
        }
    })
}

/// A gRPC stream whose first message has arrived.
pub type Started<T> = Pin<Box<dyn Stream<Item = Result<T, tonic::Status>> + Send>>;

/// Waits for the first message of a gRPC stream, so that an error known at once (no such pod, no
/// permission) is answered with its HTTP status instead of a 200 carrying an error event.
pub async fn first<T: Send + 'static>(mut stream: tonic::Streaming<T>) -> Result<Started<T>, ApiError> {
    let head = stream.message().await?;
    Ok(Box::pin(futures::stream::iter(head.map(Ok)).chain(stream)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    #[serde(untagged)]
    enum Sample {
        Line { line: String },
        Error(ErrorEvent),
        Keepalive {},
    }

    impl StreamEvent for Sample {
        fn kind(&self) -> &'static str {
            match self {
                Sample::Line { .. } => "line",
                Sample::Error(_) => "error",
                Sample::Keepalive {} => "keepalive",
            }
        }
        fn keepalive() -> Self {
            Sample::Keepalive {}
        }
    }

    #[test]
    fn events_carry_their_type_after_their_fields() {
        assert_eq!(line(&Sample::Line { line: "a \"b\"".into() }), r#"{"line":"a \"b\"","type":"line"}"#);
        assert_eq!(line(&Sample::keepalive()), r#"{"type":"keepalive"}"#);
        let status = tonic::Status::not_found("pod x not found");
        assert_eq!(
            line(&Sample::Error(ErrorEvent::from(&status))),
            r#"{"code":"NOT_FOUND","error":"pod x not found","type":"error"}"#
        );
    }

    #[test]
    fn event_streams_are_asked_for_with_the_accept_header() {
        let mut headers = HeaderMap::new();
        assert!(!wants_sse(&headers));
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json, text/event-stream"));
        assert!(wants_sse(&headers));
    }
}
