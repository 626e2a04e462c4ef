//! Who may call the gRPC server, checked before any handler runs: the request must name an acceptable
//! host (the DNS-rebinding defence, with or without a token), then carry `authorization: Bearer <token>`
//! with the API token or the admin token. Only `grpc.health.v1.Health/Check` is open, for probes. The
//! caller's role (an operator with the admin token, or when the service runs without authentication)
//! travels to the handlers as a request extension.

use std::task::{Context, Poll};

use kubegate_core::policy::Role;
use kubegate_proto::auth::{ApiToken, HostPolicy};

use crate::quota::Caller;

/// The credentials and host names the gRPC server accepts.
#[derive(Debug, Clone, Default)]
pub struct Access {
    /// The API token; `None` runs without authentication (every caller is the operator).
    pub token: Option<ApiToken>,
    /// The admin token, which may also widen policy.
    pub admin: Option<ApiToken>,
    /// The host names accepted besides loopback names and IP literals.
    pub hosts: HostPolicy,
}

impl Access {
    /// The role a request's credentials give, and who the caller is; `None` when they give none.
    pub fn role(&self, headers: &http::HeaderMap) -> Option<(Role, Caller)> {
        if let Some(admin) = self.admin.as_ref().filter(|a| a.matches_headers(headers)) {
            return Some((Role::Operator, Caller(format!("admin:{}", admin.fingerprint()))));
        }
        match &self.token {
            None => Some((Role::Operator, Caller("anonymous".into()))),
            Some(token) if token.matches_headers(headers) => {
                Some((Role::Caller, Caller(format!("api:{}", token.fingerprint()))))
            }
            Some(_) => None,
        }
    }
}

/// The layer guarding the gRPC server.
#[derive(Debug, Clone)]
pub struct RequireAccess {
    access: Access,
}

impl RequireAccess {
    /// Guards with `access`.
    pub fn new(access: Access) -> Self {
        Self { access }
    }
}

impl<S> tower::Layer<S> for RequireAccess {
    type Service = Guarded<S>;
    fn layer(&self, inner: S) -> Self::Service {
        Guarded { inner, access: self.access.clone() }
    }
}

/// A service behind [`RequireAccess`].
#[derive(Debug, Clone)]
pub struct Guarded<S> {
    inner: S,
    access: Access,
}

/// The one call open without a token: a probe's health check (no secrets in its answer).
const OPEN_PATH: &str = "/grpc.health.v1.Health/Check";

impl<S, B> tower::Service<http::Request<B>> for Guarded<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<tonic::body::Body>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = futures::future::Either<Refusal<Self::Error>, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<B>) -> Self::Future {
        let open = request.uri().path() == OPEN_PATH;
        if !open && !self.access.hosts.allows_request(&request) {
            let host = HostPolicy::request_host(&request).unwrap_or_default();
            return refuse(
                request,
                tonic::Status::permission_denied(format!(
                    "host {host:?} is not served here: use localhost, an IP address, or a name listed in --allowed-hosts"
                )),
            );
        }
        match self.access.role(request.headers()) {
            Some((role, caller)) => {
                request.extensions_mut().insert(role);
                request.extensions_mut().insert(caller);
                futures::future::Either::Right(self.inner.call(request))
            }
            None if open => futures::future::Either::Right(self.inner.call(request)),
            None => refuse(
                request,
                tonic::Status::unauthenticated(
                    "missing or wrong API token: send the metadata `authorization: Bearer <token>`",
                ),
            ),
        }
    }
}

/// The answer to a refused call.
pub type Refusal<E> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<http::Response<tonic::body::Body>, E>> + Send>>;

/// The answer to a refused call, sent after the request's body was read (up to 1 MiB, for at most a
/// second): a client still writing its request would otherwise see its connection cut (EPIPE) instead of
/// the status.
fn refuse<B, R, E>(request: http::Request<B>, status: tonic::Status) -> futures::future::Either<Refusal<E>, R>
where
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    E: Send + 'static,
{
    futures::future::Either::Left(Box::pin(async move {
        use http_body_util::BodyExt as _;
        let body = http_body_util::Limited::new(request.into_body(), 1024 * 1024);
        let _ = tokio::time::timeout(std::time::Duration::from_secs(1), body.collect()).await;
        Ok(status.into_http())
    }))
}
