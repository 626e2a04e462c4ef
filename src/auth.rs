//! The gRPC side of the API token: every call must carry `authorization: Bearer <token>`, except health
//! checks (probes carry no secrets). A call without it ends with UNAUTHENTICATED before any handler runs.

use std::task::{Context, Poll};

use kubegate_proto::auth::ApiToken;

/// The layer guarding the gRPC server.
#[derive(Debug, Clone)]
pub struct RequireToken {
    token: Option<ApiToken>,
}

impl RequireToken {
    /// Guards with `token`; `None` lets every call through.
    pub fn new(token: Option<ApiToken>) -> Self {
        Self { token }
    }
}

impl<S> tower::Layer<S> for RequireToken {
    type Service = Guarded<S>;
    fn layer(&self, inner: S) -> Self::Service {
        Guarded { inner, token: self.token.clone() }
    }
}

/// A service behind [`RequireToken`].
#[derive(Debug, Clone)]
pub struct Guarded<S> {
    inner: S,
    token: Option<ApiToken>,
}

const OPEN_PREFIXES: [&str; 1] = ["/grpc.health.v1.Health/"];

impl<S, B> tower::Service<http::Request<B>> for Guarded<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<tonic::body::Body>>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = futures::future::Either<std::future::Ready<Result<Self::Response, Self::Error>>, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let allowed = match &self.token {
            None => true,
            Some(token) => {
                OPEN_PREFIXES.iter().any(|p| request.uri().path().starts_with(p))
                    || token.matches_headers(request.headers())
            }
        };
        if allowed {
            futures::future::Either::Right(self.inner.call(request))
        } else {
            let status = tonic::Status::unauthenticated(
                "missing or wrong API token: send the metadata `authorization: Bearer <token>`",
            );
            futures::future::Either::Left(std::future::ready(Ok(status.into_http())))
        }
    }
}
