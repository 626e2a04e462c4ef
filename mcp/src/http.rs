//! MCP over Streamable HTTP, as a router the REST gateway mounts at [`crate::PATH`]. The gateway's guards
//! run first (the Host check, then the API token); this adds the Origin rule of the REST routes: a
//! browser page may call only from the same host or from a configured CORS origin.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use tokio_util::sync::CancellationToken;

use crate::{Kubegate, Options, Upstream};

/// What the HTTP transport needs besides the upstream.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// How results are sized.
    pub options: Options,
    /// Origins allowed cross-origin access (the gateway's CORS origins); `*` allows any.
    pub cors_origins: Vec<String>,
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Cancelled when the gateway shuts down: open streams end so the shutdown has nothing to wait for.
    pub shutdown: CancellationToken,
}

/// The MCP endpoint at [`crate::PATH`], one handler per MCP session, each a client of `upstream`.
pub fn router(upstream: Upstream, settings: HttpSettings) -> Router {
    let options = settings.options.clone();
    let config = StreamableHttpServerConfig::default()
        // The gateway checks Host against its own policy (IP literals, --allowed-hosts) before this runs;
        // rmcp's narrower loopback-only list would refuse hosts the gateway serves.
        .disable_allowed_hosts()
        .with_cancellation_token(settings.shutdown.child_token())
        .with_max_request_body_bytes(settings.max_body_bytes);
    let service = StreamableHttpService::new(
        move || Ok(Kubegate::new(upstream.clone(), options.clone())),
        Arc::new(LocalSessionManager::default()),
        config,
    );
    let origins: Arc<[String]> = settings.cors_origins.into();
    Router::new()
        .route_service(crate::PATH, service)
        .layer(axum::middleware::from_fn_with_state(origins, require_same_site))
}

/// Whether a request may come from its `Origin`: none (not a browser), a configured one, or the host the
/// request names (a page served by kubegate itself).
fn same_site(headers: &http::HeaderMap, cors_origins: &[String]) -> bool {
    let Some(origin) = headers.get(http::header::ORIGIN) else { return true };
    let Ok(origin) = origin.to_str() else { return false };
    let origin = origin.trim().trim_end_matches('/');
    if cors_origins.iter().any(|o| o == "*" || o.trim_end_matches('/').eq_ignore_ascii_case(origin)) {
        return true;
    }
    let Some((_, authority)) = origin.split_once("://") else { return false };
    let host = headers.get(http::header::HOST).and_then(|h| h.to_str().ok());
    host.is_some_and(|h| h.eq_ignore_ascii_case(authority))
}

async fn require_same_site(State(origins): State<Arc<[String]>>, request: Request, next: Next) -> Response {
    if same_site(request.headers(), &origins) {
        return next.run(request).await;
    }
    let origin = request.headers().get(http::header::ORIGIN).and_then(|o| o.to_str().ok()).unwrap_or("?");
    tracing::warn!(%origin, "MCP refused: a cross-site origin");
    let body = serde_json::json!({
        "code": "PERMISSION_DENIED",
        "error": format!("origin {origin} may not call {}: list it in --cors-origins", crate::PATH),
    });
    (http::StatusCode::FORBIDDEN, axum::Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::same_site;

    fn headers(origin: Option<&str>, host: &str) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        if let Some(origin) = origin {
            h.insert(http::header::ORIGIN, origin.parse().expect("origin"));
        }
        h.insert(http::header::HOST, host.parse().expect("host"));
        h
    }

    #[test]
    fn only_same_host_or_listed_origins_pass() {
        assert!(same_site(&headers(None, "127.0.0.1:5003"), &[]));
        assert!(same_site(&headers(Some("http://127.0.0.1:5003"), "127.0.0.1:5003"), &[]));
        assert!(!same_site(&headers(Some("https://evil.example"), "127.0.0.1:5003"), &[]));
        assert!(!same_site(&headers(Some("null"), "127.0.0.1:5003"), &[]));
        assert!(same_site(
            &headers(Some("https://app.example"), "127.0.0.1:5003"),
            &["https://app.example".into()]
        ));
        assert!(same_site(&headers(Some("https://any.example"), "127.0.0.1:5003"), &["*".into()]));
    }
}
