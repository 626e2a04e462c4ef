//! Running commands in a pod: a one-shot exec with its real exit code, and the URL of the terminal.

use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use kubegate_proto::v1 as pb;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, BodyErrors, CommonErrors, NoSuchObject};
use crate::input::JsonBody;
use crate::reply::Reply;
use crate::upstream::{AsCaller, Upstream};

/// The exec routes.
pub fn routes() -> Router<Upstream> {
    Router::new()
        .route("/api/kubernetes/pods/{name}/exec", post(exec))
        .route("/api/kubernetes/exec-ws-url", get(exec_ws_url))
}

/// A command to run, as the original took it.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ExecBody {
    #[serde(default)]
    namespace: String,
    command: Vec<String>,
    #[serde(default)]
    container: String,
}

/// The answer of a one-shot exec.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExecResult {
    errors: String,
    exit_code: i32,
    output: String,
    /// True when the command ran to its end (whatever its exit code).
    success: bool,
    timed_out: bool,
}

#[utoipa::path(post, path = "/api/kubernetes/pods/{name}/exec", tag = "kubernetes", summary = "Run a command in a pod",
    params(("name" = String, Path, description = "The pod")), request_body = ExecBody,
    responses((status = 200, description = "`{success, exitCode, output, errors, timedOut}` with the real exit code", body = ExecResult),
        NoSuchObject, BodyErrors, CommonErrors))]
pub(crate) async fn exec(
    AsCaller(up): AsCaller,
    Path(pod): Path<String>,
    JsonBody(b): JsonBody<ExecBody>,
) -> Reply<ExecResult> {
    let request = pb::ExecRequest {
        namespace: b.namespace,
        pod,
        container: b.container,
        command: b.command,
        ..Default::default()
    };
    let answer = up.exec().exec(request).await?.into_inner();
    let ended = answer.end_reason();
    Ok(Json(ExecResult {
        errors: String::from_utf8_lossy(&answer.stderr).into_owned(),
        exit_code: answer.exit_code,
        output: String::from_utf8_lossy(&answer.stdout).into_owned(),
        success: ended == pb::ExecEndReason::Exited,
        timed_out: ended == pb::ExecEndReason::TimedOut,
    }))
}

/// `?pod=&namespace=&container=`: the terminal to point at.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct WsUrlQuery {
    pod: Option<String>,
    namespace: Option<String>,
    container: Option<String>,
}

/// `{wsUrl}`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WsUrl {
    ws_url: String,
}

/// The URL of the terminal for a pod, as the original built it (scheme and port from the proxy headers),
/// but reaching a real terminal: the gateway serves it on this port as well as on the terminal port.
#[utoipa::path(get, path = "/api/kubernetes/exec-ws-url", tag = "kubernetes", summary = "The terminal URL of a pod",
    params(WsUrlQuery),
    responses((status = 200, description = "`{wsUrl}`: the terminal WebSocket for the pod", body = WsUrl), CommonErrors))]
pub(crate) async fn exec_ws_url(headers: HeaderMap, Query(q): Query<WsUrlQuery>) -> Reply<WsUrl> {
    let (Some(pod), Some(namespace)) =
        (q.pod.filter(|p| !p.is_empty()), q.namespace.filter(|n| !n.is_empty()))
    else {
        return Err(ApiError::bad_request("pod and namespace query parameters required"));
    };
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let https = header("x-forwarded-proto").is_some_and(|p| p.eq_ignore_ascii_case("https"));
    let host_header = header("x-forwarded-host").or_else(|| header("host")).unwrap_or("localhost");
    let (host, port) = split_host(host_header);
    let port = header("x-forwarded-port")
        .map(str::to_string)
        .or_else(|| port.filter(|p| !matches!((https, p.as_str()), (false, "80") | (true, "443"))));
    let mut url = format!("{}://{host}", if https { "wss" } else { "ws" });
    if let Some(port) = port {
        url.push(':');
        url.push_str(&port);
    }
    let mut query = vec![("pod", pod), ("namespace", namespace)];
    if let Some(container) = q.container.filter(|c| !c.is_empty()) {
        query.push(("container", container));
    }
    let query = serde_urlencoded::to_string(&query).map_err(|e| ApiError::bad_request(e.to_string()))?;
    url.push_str(crate::terminal::PATH);
    url.push('?');
    url.push_str(&query);
    Ok(Json(WsUrl { ws_url: url }))
}

/// Splits a Host header into host and port, keeping IPv6 literals in their brackets.
fn split_host(value: &str) -> (&str, Option<String>) {
    if value.starts_with('[') {
        return match value.find(']') {
            Some(end) => {
                let port = value[end + 1..].strip_prefix(':').map(str::to_string);
                (&value[..=end], port)
            }
            None => (value, None),
        };
    }
    match value.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !port.is_empty() => {
            (host, Some(port.to_string()))
        }
        _ => (value, None),
    }
}

#[cfg(test)]
mod tests {
    use super::split_host;

    #[test]
    fn host_headers_split_with_ipv6_literals_intact() {
        assert_eq!(split_host("127.0.0.1:15003"), ("127.0.0.1", Some("15003".into())));
        assert_eq!(split_host("ex.com"), ("ex.com", None));
        assert_eq!(split_host("[::1]:5003"), ("[::1]", Some("5003".into())));
        assert_eq!(split_host("[::1]"), ("[::1]", None));
    }
}
