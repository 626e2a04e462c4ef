//! A pod's log: read at once as `{logs}`, or followed as a stream of line events.

use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use axum::response::{IntoResponse as _, Response};
use axum::routing::get;
use axum::{Json, Router};
use futures::StreamExt as _;
use kubegate_proto::v1 as pb;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, CommonErrors, NoSuchObject};
use crate::input::{flag, number};
use crate::streams::{ErrorEvent, StreamEvent, first, respond};
use crate::upstream::{AsCaller, Upstream};

/// The log route.
pub fn routes() -> Router<Upstream> {
    Router::new().route("/api/kubernetes/pods/{name}/logs", get(pod_logs))
}

/// The log options of the query. Numbers and flags arrive as text and are checked by [`LogsQuery::options`],
/// so that a bad one is a 400 naming it rather than the extractor's generic rejection.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub(crate) struct LogsQuery {
    #[serde(default)]
    namespace: String,
    /// Stream the log (one JSON object per line, or server-sent events).
    #[param(value_type = Option<bool>)]
    follow: Option<String>,
    /// Only the last lines (default 100; all when following).
    #[param(value_type = Option<i64>)]
    tail_lines: Option<String>,
    /// The container; default "runner" or the only one.
    #[param(value_type = Option<String>)]
    container: Option<String>,
    /// Only lines of the last seconds.
    #[param(value_type = Option<i64>)]
    since_seconds: Option<String>,
    /// Prefix lines with their RFC 3339 time (default true, as the original).
    #[param(value_type = Option<bool>)]
    timestamps: Option<String>,
    /// The previous run of a restarted container.
    #[param(value_type = Option<bool>)]
    previous: Option<String>,
}

impl LogsQuery {
    /// The log options the query asks for; `timestamps` defaults to the original route's `true`.
    fn options(&self) -> Result<pb::LogOptions, ApiError> {
        Ok(pb::LogOptions {
            container: self.container.clone().unwrap_or_default(),
            tail_lines: number("tailLines", self.tail_lines.as_ref())?,
            since_seconds: number("sinceSeconds", self.since_seconds.as_ref())?,
            timestamps: flag("timestamps", self.timestamps.as_ref(), true)?,
            previous: flag("previous", self.previous.as_ref(), false)?,
            ..Default::default()
        })
    }
}

/// `{logs}`.
#[derive(Serialize, ToSchema)]
pub struct Logs {
    logs: String,
}

#[utoipa::path(get, path = "/api/kubernetes/pods/{name}/logs", tag = "kubernetes", summary = "Read or follow a pod's log",
    params(("name" = String, Path, description = "The pod"), LogsQuery),
    responses((status = 200, description = "`{logs}`; with follow=true one JSON object per line (`application/x-ndjson`) or server-sent events",
        content((Logs = "application/json"), (String = "application/x-ndjson"), (String = "text/event-stream"))),
        NoSuchObject, CommonErrors))]
pub(crate) async fn pod_logs(
    AsCaller(up): AsCaller,
    Path(name): Path<String>,
    Query(q): Query<LogsQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if flag("follow", q.follow.as_ref(), false)? {
        return follow_logs(up, name, q, &headers).await;
    }
    let request = pb::GetPodLogsRequest { namespace: q.namespace.clone(), name, options: Some(q.options()?) };
    let logs = up.pods().get_pod_logs(request).await?.into_inner().content;
    Ok(Json(Logs { logs: String::from_utf8_lossy(&logs).into_owned() }).into_response())
}

/// One event of a followed log.
#[derive(Serialize)]
#[serde(untagged)]
enum LogEvent {
    /// `{line}`: one line, without its newline.
    Line {
        line: String,
    },
    /// `{reason}`: the log ended (CONTAINER_EXITED, LIMIT_REACHED, POD_DELETED or ENDED).
    End {
        reason: &'static str,
    },
    Error(ErrorEvent),
    Keepalive {},
}

impl StreamEvent for LogEvent {
    fn kind(&self) -> &'static str {
        match self {
            LogEvent::Line { .. } => "line",
            LogEvent::End { .. } => "end",
            LogEvent::Error(_) => "error",
            LogEvent::Keepalive {} => "keepalive",
        }
    }
    fn keepalive() -> Self {
        LogEvent::Keepalive {}
    }
}

fn end_reason(reason: pb::LogEndReason) -> &'static str {
    match reason {
        pb::LogEndReason::ContainerExited => "CONTAINER_EXITED",
        pb::LogEndReason::LimitReached => "LIMIT_REACHED",
        pb::LogEndReason::PodDeleted => "POD_DELETED",
        pb::LogEndReason::Unspecified => "ENDED",
    }
}

/// The events of one message of a followed log: a chunk of data is one event per line.
fn log_events(message: Result<pb::FollowPodLogsResponse, tonic::Status>) -> Vec<LogEvent> {
    use pb::follow_pod_logs_response::Event;
    match message.map(|m| m.event) {
        Ok(Some(Event::Data(data))) => {
            let text = String::from_utf8_lossy(&data);
            text.strip_suffix('\n')
                .unwrap_or(&text)
                .split('\n')
                .map(|line| LogEvent::Line { line: line.to_string() })
                .collect()
        }
        Ok(Some(Event::End(reason))) => {
            let reason = pb::LogEndReason::try_from(reason).unwrap_or(pb::LogEndReason::Unspecified);
            vec![LogEvent::End { reason: end_reason(reason) }]
        }
        Ok(None) => vec![],
        Err(status) => vec![LogEvent::Error(ErrorEvent::from(&status))],
    }
}

/// `GET /pods/:name/logs?follow=true`: `{"type":"line","line":…}` per log line, then `{"type":"end",
/// "reason":…}` or `{"type":"error",…}`.
async fn follow_logs(
    up: Upstream,
    name: String,
    q: LogsQuery,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let options = q.options()?;
    let request = pb::FollowPodLogsRequest { namespace: q.namespace, name, options: Some(options) };
    let stream = first(up.pods().follow_pod_logs(request).await?.into_inner()).await?;
    let events = stream.flat_map(|message| futures::stream::iter(log_events(message)));
    Ok(respond(&up, events, headers))
}
