//! The guards in front of every route: the `Host` check (the DNS-rebinding defence) and the REST guard
//! of the API token (whose wire contract lives in `kubegate_proto::auth`).

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
pub use kubegate_proto::auth::{
    ApiToken, BEARER_PROTOCOL, HostPolicy, KUBERNETES_BEARER_PROTOCOL, TokenError,
};

use crate::error::ApiError;

/// The REST guard: without the configured token, 401 before anything else happens.
pub async fn require_token(State(token): State<Option<ApiToken>>, request: Request, next: Next) -> Response {
    match &token {
        Some(token) if !token.matches_headers(request.headers()) => {
            let mut response = ApiError::unauthenticated(
                "missing or wrong API token: send the header `Authorization: Bearer <token>`",
            )
            .into_response();
            response
                .headers_mut()
                .insert(http::header::WWW_AUTHENTICATE, http::HeaderValue::from_static("Bearer"));
            response
        }
        _ => next.run(request).await,
    }
}

/// The `Host` guard, before anything else runs (token, origin, body, route): a request naming a host
/// that is not served is 421. A page on another site that points its own name at kubegate's address
/// (DNS rebinding) is same-origin with it for the browser, but still names its own host.
pub async fn require_host(State(hosts): State<HostPolicy>, request: Request, next: Next) -> Response {
    if hosts.allows_request(&request) {
        return next.run(request).await;
    }
    let host = HostPolicy::request_host(&request).unwrap_or_default();
    tracing::warn!(%host, "refused: a host that is not served");
    ApiError::misdirected(&host).into_response()
}
