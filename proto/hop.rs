//! The gRPC hop as one type: a network [`Channel`] for a service elsewhere, or the service's own layered
//! router called in the same process. Both carry the same gRPC requests (protobuf messages, metadata
//! with the token and trace context, streaming bodies), so the gateway and the MCP server work the same
//! either way; in process there is no HTTP/2 framing, no connection task and no copy through a socket.

use std::task::{Context, Poll};

use tonic::body::Body;
use tonic::codegen::StdError;
use tonic::transport::Channel;
use tower::ServiceExt as _;
use tower::util::BoxCloneSyncService;

/// A gRPC transport: what generated clients are built on.
pub type Hop = BoxCloneSyncService<http::Request<Body>, http::Response<Body>, HopError>;

/// Why a call did not reach the service (a connection refused, a TLS failure); the cause is its source,
/// so tonic finds a status or transport error in it as before. (A concrete type rather than a boxed
/// error: futures holding it stay `Send` in the eyes of the compiler.)
#[derive(Debug)]
pub struct HopError(StdError);

impl std::fmt::Display for HopError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for HopError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.0.as_ref())
    }
}

/// The authority in-process calls name: the service's host checks see the local host, as they would
/// for a loopback connection; the token is checked as for any other caller.
const IN_PROCESS_ORIGIN: &str = "127.0.0.1";

/// A hop over a network channel (TCP or TLS, lazily connected).
pub fn over(channel: Channel) -> Hop {
    BoxCloneSyncService::new(channel.map_err(|e| HopError(e.into())))
}

/// A hop straight into `service` (the gRPC server's routes with its layers) in this process.
pub fn in_process<S, B>(service: S) -> Hop
where
    S: tower::Service<http::Request<Body>, Response = http::Response<B>> + Clone + Send + Sync + 'static,
    S::Future: Send + 'static,
    S::Error: Into<StdError>,
    B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<StdError>,
{
    BoxCloneSyncService::new(Local(service))
}

/// Names the local host on each request and boxes the answer's body.
#[derive(Clone)]
struct Local<S>(S);

impl<S, B> tower::Service<http::Request<Body>> for Local<S>
where
    S: tower::Service<http::Request<Body>, Response = http::Response<B>>,
    S::Future: Send + 'static,
    S::Error: Into<StdError>,
    B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<StdError>,
{
    type Response = http::Response<Body>;
    type Error = HopError;
    type Future =
        std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self::Response, HopError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), HopError>> {
        self.0.poll_ready(cx).map_err(|e| HopError(e.into()))
    }

    fn call(&mut self, mut request: http::Request<Body>) -> Self::Future {
        let mut parts = request.uri().clone().into_parts();
        parts.scheme = Some(http::uri::Scheme::HTTP);
        parts.authority = Some(http::uri::Authority::from_static(IN_PROCESS_ORIGIN));
        if let Ok(uri) = http::Uri::from_parts(parts) {
            *request.uri_mut() = uri;
        }
        let answer = self.0.call(request);
        Box::pin(async move { Ok(answer.await.map_err(|e| HopError(e.into()))?.map(Body::new)) })
    }
}
