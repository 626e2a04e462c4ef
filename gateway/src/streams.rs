//! Streaming REST: a followed pod log and a pod watch, each one JSON object per line
//! (`application/x-ndjson`) or server-sent events when the caller asks with `Accept: text/event-stream`.
//! Every object has a `type`. The gRPC stream is pulled only as fast as the caller reads (backpressure),
//! and dropped (cancelling the upstream call) when the caller leaves. Idle streams carry a keepalive
//! every 15 s so proxies do not cut them.

use std::pin::Pin;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures::{Stream, StreamExt as _};
use kubegate_proto::v1 as pb;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::{ApiError, code_name};
use crate::rest::{LogsQuery, flag, pod_summary};
use crate::upstream::Upstream;

/// How often an idle stream carries a keepalive.
const KEEPALIVE: Duration = Duration::from_secs(15);

pub(crate) type Events = Pin<Box<dyn Stream<Item = Value> + Send>>;

/// The streaming routes.
pub fn routes() -> Router<Upstream> {
    Router::new().route("/api/kubernetes/pods/watch", get(watch_pods))
}

fn wants_sse(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').any(|t| t.trim().starts_with("text/event-stream")))
}

pub(crate) fn error_event(status: &tonic::Status) -> Value {
    json!({"type": "error", "code": code_name(status.code()), "error": status.message()})
}

/// Answers a stream of events in the form the caller asked for; it ends when the gateway shuts down.
pub(crate) fn respond(up: &Upstream, events: Events, headers: &HeaderMap) -> Response {
    let events: Events = Box::pin(events.take_until(up.shutdown.clone().cancelled_owned()));
    if wants_sse(headers) {
        let sse = events.map(|event| {
            let name = event["type"].as_str().unwrap_or("message").to_string();
            Ok::<_, std::convert::Infallible>(Event::default().event(name).data(event.to_string()))
        });
        return Sse::new(sse).keep_alive(KeepAlive::new().interval(KEEPALIVE)).into_response();
    }
    let lines = with_keepalive(events).map(|event| {
        let mut line = event.to_string().into_bytes();
        line.push(b'\n');
        Ok::<_, std::convert::Infallible>(bytes::Bytes::from(line))
    });
    let mut response = Body::from_stream(lines).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-ndjson"));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// Interleaves `{"type":"keepalive"}` into a stream that has been silent for [`KEEPALIVE`].
fn with_keepalive(events: Events) -> impl Stream<Item = Value> + Send {
    futures::stream::unfold(Some(events), |state| async move {
        let mut events = state?;
        match tokio::time::timeout(KEEPALIVE, events.next()).await {
            Ok(Some(event)) => Some((event, Some(events))),
            Ok(None) => None,
            Err(_) => Some((json!({"type": "keepalive"}), Some(events))),
        }
    })
}

/// Waits for the first message of a gRPC stream, so that an error known at once (no such pod, no
/// permission) is answered with its HTTP status instead of a 200 carrying an error event.
pub(crate) async fn first<T: Send + 'static>(
    mut stream: tonic::Streaming<T>,
) -> Result<Pin<Box<dyn Stream<Item = Result<T, tonic::Status>> + Send>>, ApiError> {
    let head = stream.message().await?;
    Ok(Box::pin(futures::stream::iter(head.map(Ok)).chain(stream)))
}

fn end_reason(reason: i32) -> &'static str {
    match pb::LogEndReason::try_from(reason).unwrap_or(pb::LogEndReason::Unspecified) {
        pb::LogEndReason::ContainerExited => "CONTAINER_EXITED",
        pb::LogEndReason::LimitReached => "LIMIT_REACHED",
        pb::LogEndReason::PodDeleted => "POD_DELETED",
        pb::LogEndReason::Unspecified => "ENDED",
    }
}

/// `GET /pods/:name/logs?follow=true`: `{"type":"line","line":…}` per log line, then `{"type":"end",
/// "reason":…}` or `{"type":"error",…}`.
pub async fn follow_logs(
    up: Upstream,
    name: String,
    q: LogsQuery,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let options = q.options()?;
    let request = pb::FollowPodLogsRequest { namespace: q.namespace, name, options: Some(options) };
    let stream = first(up.pods().follow_pod_logs(request).await?.into_inner()).await?;
    let events = stream.flat_map(|message| {
        let events: Vec<Value> = match message {
            Ok(pb::FollowPodLogsResponse {
                event: Some(pb::follow_pod_logs_response::Event::Data(data)),
            }) => {
                let text = String::from_utf8_lossy(&data);
                text.strip_suffix('\n')
                    .unwrap_or(&text)
                    .split('\n')
                    .map(|line| json!({"type": "line", "line": line}))
                    .collect()
            }
            Ok(pb::FollowPodLogsResponse {
                event: Some(pb::follow_pod_logs_response::Event::End(reason)),
            }) => {
                vec![json!({"type": "end", "reason": end_reason(reason)})]
            }
            Ok(pb::FollowPodLogsResponse { event: None }) => vec![],
            Err(status) => vec![error_event(&status)],
        };
        futures::stream::iter(events)
    });
    Ok(respond(&up, Box::pin(events), headers))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub(crate) struct WatchQuery {
    /// The namespace; default the configured one.
    #[serde(default)]
    namespace: String,
    /// A Kubernetes label selector.
    #[serde(default)]
    label_selector: String,
    /// Start with the existing pods and a SYNCED event (default true).
    #[param(value_type = Option<bool>)]
    initial: Option<String>,
}

fn event_type(t: i32) -> &'static str {
    match pb::WatchEventType::try_from(t).unwrap_or(pb::WatchEventType::Unspecified) {
        pb::WatchEventType::Added => "ADDED",
        pb::WatchEventType::Modified => "MODIFIED",
        pb::WatchEventType::Deleted => "DELETED",
        pb::WatchEventType::Synced => "SYNCED",
        pb::WatchEventType::Unspecified => "UNKNOWN",
    }
}

/// `GET /pods/watch`: `{"type":"ADDED"|"MODIFIED"|"DELETED","pod":{summary}}` per change, after the
/// existing pods (unless `initial=false`) and a `{"type":"SYNCED"}`.
#[utoipa::path(get, path = "/api/kubernetes/pods/watch", tag = "kubernetes", summary = "Watch pods",
    params(WatchQuery),
    responses((status = 200, description = "One JSON object per line (`application/x-ndjson`) or server-sent events",
        content((String = "application/x-ndjson"), (String = "text/event-stream"))),
        (status = 400, description = "Invalid input", body = crate::openapi::ErrorBody),
        (status = 401, description = "Missing or wrong API token", body = crate::openapi::ErrorBody)))]
pub(crate) async fn watch_pods(
    State(up): State<Upstream>,
    Query(q): Query<WatchQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let request = pb::WatchPodsRequest {
        namespace: q.namespace,
        label_selector: q.label_selector,
        send_initial_pods: flag("initial", q.initial.as_ref(), true)?,
    };
    let stream = up.pods().watch_pods(request).await?.into_inner();
    let events = stream.map(|message| match message {
        Ok(event) => {
            let mut value = json!({"type": event_type(event.r#type)});
            if let Some(pod) = &event.pod {
                value["pod"] = pod_summary(pod);
            }
            value
        }
        Err(status) => error_event(&status),
    });
    Ok(respond(&up, Box::pin(events), &headers))
}
