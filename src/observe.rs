//! Metrics of the gRPC server: every call by method and status code, with its latency — until the answer
//! for a unary call, until the end for a stream (a stream the client leaves counts as CANCELLED).

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use http_body::{Body, Frame};

/// The layer recording every call.
#[derive(Debug, Clone, Copy, Default)]
pub struct ObserveLayer;

impl<S> tower::Layer<S> for ObserveLayer {
    type Service = Observe<S>;
    fn layer(&self, inner: S) -> Self::Service {
        Observe { inner }
    }
}

/// A service recording its calls.
#[derive(Debug, Clone)]
pub struct Observe<S> {
    inner: S,
}

/// The method label of a path: known services only, so that a caller cannot invent label values.
fn method_of(path: &str) -> String {
    let known = kubegate_proto::SERVICE_NAMES
        .iter()
        .chain(
            [
                "grpc.health.v1.Health",
                "grpc.reflection.v1.ServerReflection",
                "grpc.reflection.v1alpha.ServerReflection",
            ]
            .iter(),
        )
        .any(|service| {
            path.strip_prefix('/')
                .and_then(|p| p.strip_prefix(service))
                .and_then(|p| p.strip_prefix('/'))
                .is_some_and(|m| {
                    !m.is_empty() && m.len() <= 64 && m.chars().all(|c| c.is_ascii_alphanumeric())
                })
        });
    if known { path.to_string() } else { "unknown".to_string() }
}

/// The name of a `grpc-status` value.
fn code_name(value: Option<&http::HeaderValue>) -> Option<&'static str> {
    let code = value?.to_str().ok()?.parse::<i32>().ok()?;
    Some(kubegate_proto::convert::code_name(tonic::Code::from_i32(code)))
}

impl<S, B> tower::Service<http::Request<B>> for Observe<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<tonic::body::Body>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = http::Response<tonic::body::Body>;
    type Error = S::Error;
    type Future = Pin<Box<dyn std::future::Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let method = method_of(request.uri().path());
        let started = Instant::now();
        let answer = self.inner.call(request);
        Box::pin(async move {
            let response = answer.await?;
            // A call refused before any message ("trailers only") has its status in the head.
            if let Some(code) = code_name(response.headers().get("grpc-status")) {
                kubegate_metrics::global().grpc(&method, code, started.elapsed());
                return Ok(response);
            }
            let (parts, body) = response.into_parts();
            let body = Observed { inner: body, method, started, recorded: false };
            Ok(http::Response::from_parts(parts, tonic::body::Body::new(body)))
        })
    }
}

/// A response body that records its call when the status arrives in the trailers.
struct Observed {
    inner: tonic::body::Body,
    method: String,
    started: Instant,
    recorded: bool,
}

impl Observed {
    fn record(&mut self, code: &str) {
        if !self.recorded {
            self.recorded = true;
            kubegate_metrics::global().grpc(&self.method, code, self.started.elapsed());
        }
    }
}

impl Body for Observed {
    type Data = bytes::Bytes;
    type Error = tonic::Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(code) = frame.trailers_ref().and_then(|t| code_name(t.get("grpc-status"))) {
                    self.record(code);
                }
            }
            Poll::Ready(Some(Err(_))) => self.record("INTERNAL"),
            Poll::Ready(None) => self.record("OK"),
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for Observed {
    fn drop(&mut self) {
        // The client left before the end.
        self.record("CANCELLED");
    }
}
