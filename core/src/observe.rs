//! Metrics of kubegate's own requests to the Kubernetes API: by verb (the HTTP method, or `WATCH` for a
//! watch) and status code, with the latency until the response head.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

/// A service recording each request to the API server.
#[derive(Debug, Clone)]
pub struct KubeObserve<S> {
    pub(crate) inner: S,
}

fn verb_of<B>(request: &http::Request<B>) -> &'static str {
    let watching = request
        .uri()
        .query()
        .is_some_and(|q| q.split('&').any(|pair| pair == "watch=true" || pair == "watch=1"));
    match *request.method() {
        http::Method::GET if watching => "WATCH",
        http::Method::GET => "GET",
        http::Method::POST => "POST",
        http::Method::PUT => "PUT",
        http::Method::PATCH => "PATCH",
        http::Method::DELETE => "DELETE",
        _ => "OTHER",
    }
}

impl<S, B, R> tower::Service<http::Request<B>> for KubeObserve<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<R>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    R: Send + 'static,
{
    type Response = http::Response<R>;
    type Error = S::Error;
    type Future = Pin<Box<dyn std::future::Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let verb = verb_of(&request);
        let started = Instant::now();
        let answer = self.inner.call(request);
        Box::pin(async move {
            let result = answer.await;
            let code = result.as_ref().map_or(0, |r| r.status().as_u16());
            kubegate_metrics::global().kube(verb, code, started.elapsed());
            result
        })
    }
}
