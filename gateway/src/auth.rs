//! The REST guard of the API token (whose wire contract lives in `kubegate_proto::auth`).

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
pub use kubegate_proto::auth::{
    ApiToken, BEARER_PROTOCOL, KUBERNETES_BEARER_PROTOCOL, TokenError, offered_protocols,
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
