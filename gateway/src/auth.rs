//! The guards in front of every route: the `Host` check (the DNS-rebinding defence) and the REST guard
//! of the API token (whose wire contract lives in `kubegate_proto::auth`).

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
pub use kubegate_proto::auth::{
    ApiToken, BEARER_PROTOCOL, HostPolicy, KUBERNETES_BEARER_PROTOCOL, TokenError,
};

use crate::error::ApiError;

/// The tokens the gateway accepts: the API token and the admin token (which may also change policy).
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    /// The API token; `None` leaves the API open.
    pub api: Option<ApiToken>,
    /// The admin token, if the operator set one.
    pub admin: Option<ApiToken>,
}

/// The configured token a caller presented, put on the request by the guards and forwarded upstream,
/// so that the service, not the gateway, decides what the caller may do.
#[derive(Debug, Clone)]
pub struct Presented(pub ApiToken);

impl Tokens {
    /// Which configured token a caller presented, `carries` telling whether its credentials carry a
    /// given token: `Ok(Some(admin or API token))`, `Ok(None)` when the API is open and the caller
    /// presented no admin token, `Err(())` when the API has a token and the caller presented neither.
    pub fn presented(&self, carries: impl Fn(&ApiToken) -> bool) -> Result<Option<Presented>, ()> {
        if let Some(admin) = self.admin.as_ref().filter(|t| carries(t)) {
            return Ok(Some(Presented(admin.clone())));
        }
        match &self.api {
            None => Ok(None),
            Some(api) if carries(api) => Ok(Some(Presented(api.clone()))),
            Some(_) => Err(()),
        }
    }
}

/// The REST guard: without the API token or the admin token (when the API has a token), 401 before
/// anything else happens; with one, the request carries which it was.
pub async fn require_token(State(tokens): State<Tokens>, mut request: Request, next: Next) -> Response {
    match tokens.presented(|t| t.matches_headers(request.headers())) {
        Ok(presented) => {
            if let Some(presented) = presented {
                request.extensions_mut().insert(presented);
            }
            next.run(request).await
        }
        Err(()) => {
            let mut response = ApiError::unauthenticated(
                "missing or wrong API token: send the header `Authorization: Bearer <token>`",
            )
            .into_response();
            response
                .headers_mut()
                .insert(http::header::WWW_AUTHENTICATE, http::HeaderValue::from_static("Bearer"));
            response
        }
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
