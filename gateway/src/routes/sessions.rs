//! Exec sessions: the terminals and streams a pod has open or kept for a reattach, and ending one.
//! The console lists a pod's sessions so a person can reattach to one or end it.

use axum::extract::{Path, Query};
use axum::routing::{delete, get};
use axum::{Json, Router};
use kubegate_proto::v1 as pb;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{CommonErrors, NoSuchObject};
use crate::reply::{Reply, age_millis};
use crate::upstream::{AsCaller, Upstream};

/// The session routes.
pub fn routes() -> Router<Upstream> {
    Router::new()
        .route("/api/kubernetes/sessions", get(list_sessions))
        .route("/api/kubernetes/sessions/{id}", delete(end_session))
}

/// `?namespace=&pod=`: whose sessions.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct SessionsQuery {
    /// Only this namespace; default every allowed namespace.
    #[serde(default)]
    namespace: String,
    /// Only this pod's sessions; default every pod's.
    #[serde(default)]
    pod: String,
}

/// How a session ended.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionExit {
    /// The exit code, when the command exited by itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<i32>,
    message: String,
    /// EXITED, TIMED_OUT, KILLED, …
    reason: String,
}

impl From<pb::ExecExit> for SessionExit {
    fn from(exit: pb::ExecExit) -> Self {
        let reason = exit.reason();
        Self {
            code: (reason == pb::ExecEndReason::Exited).then_some(exit.exit_code),
            message: exit.message,
            reason: reason.as_str_name().trim_start_matches("EXEC_END_REASON_").to_string(),
        }
    }
}

/// One session.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionSummary {
    /// Milliseconds since the session started.
    age: i64,
    /// The oldest output offset still buffered: a reattach from here replays all that is kept.
    buffered_from_offset: u64,
    command: Vec<String>,
    container: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    exit: Option<SessionExit>,
    namespace: String,
    /// The output bytes written so far.
    output_offset: u64,
    pod: String,
    session_id: String,
    /// ATTACHED, DETACHED or EXITED.
    state: String,
    tty: bool,
}

impl From<pb::ExecSession> for SessionSummary {
    fn from(s: pb::ExecSession) -> Self {
        Self {
            age: age_millis(s.start_time.as_ref()),
            buffered_from_offset: s.buffered_from_offset,
            container: s.container.clone(),
            state: s.state().as_str_name().trim_start_matches("EXEC_SESSION_STATE_").to_string(),
            command: s.command,
            exit: s.exit.map(SessionExit::from),
            namespace: s.namespace,
            output_offset: s.output_offset,
            pod: s.pod,
            session_id: s.session_id,
            tty: s.tty,
        }
    }
}

/// `{sessions: [...]}`.
#[derive(Serialize, ToSchema)]
pub struct SessionList {
    sessions: Vec<SessionSummary>,
}

/// The most sessions listed (the service keeps at most a few hundred).
const MAX_LISTED: usize = 1000;

#[utoipa::path(get, path = "/api/kubernetes/sessions", tag = "kubernetes", summary = "List exec sessions",
    params(SessionsQuery),
    responses((status = 200, description = "`{sessions: [SessionSummary]}`, oldest first", body = SessionList), CommonErrors))]
pub(crate) async fn list_sessions(
    AsCaller(up): AsCaller,
    Query(q): Query<SessionsQuery>,
) -> Reply<SessionList> {
    let mut sessions = Vec::new();
    let mut page_token = String::new();
    loop {
        let request = pb::ListExecSessionsRequest {
            namespace: q.namespace.clone(),
            pod: q.pod.clone(),
            page_size: 1000,
            page_token,
        };
        let page = up.exec().list_exec_sessions(request).await?.into_inner();
        sessions.extend(page.sessions.into_iter().map(SessionSummary::from));
        if page.next_page_token.is_empty() || sessions.len() >= MAX_LISTED {
            break;
        }
        page_token = page.next_page_token;
    }
    sessions.truncate(MAX_LISTED);
    Ok(Json(SessionList { sessions }))
}

/// `{success, exit}`: the session ended.
#[derive(Serialize, ToSchema)]
pub struct SessionEnded {
    #[serde(skip_serializing_if = "Option::is_none")]
    exit: Option<SessionExit>,
    success: bool,
}

#[utoipa::path(delete, path = "/api/kubernetes/sessions/{id}", tag = "kubernetes", summary = "End an exec session",
    params(("id" = String, Path, description = "The session")),
    responses((status = 200, description = "`{success: true, exit}`: how the session ended", body = SessionEnded),
        NoSuchObject, CommonErrors))]
pub(crate) async fn end_session(AsCaller(up): AsCaller, Path(id): Path<String>) -> Reply<SessionEnded> {
    let request = pb::TerminateExecSessionRequest { session_id: id };
    let ended = up.exec().terminate_exec_session(request).await?.into_inner();
    Ok(Json(SessionEnded { exit: ended.exit.map(SessionExit::from), success: true }))
}
