//! kubegate's own requests to the Kubernetes API: each is a client span (a child of the call it serves,
//! so one trace shows REST → gRPC → Kubernetes) named by verb and resource, and counted in the metrics
//! by verb (the HTTP method, or `WATCH` for a watch) and status code, with the latency until the
//! response head.

use tracing::Instrument as _;

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

/// A service recording each request to the API server.
#[derive(Debug, Clone)]
pub struct KubeObserve<S> {
    pub(crate) inner: S,
}

/// The resource a path names (`pods`, `services`, `ingresses`, …), never a name or namespace.
fn resource_of(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let at = match parts.iter().position(|p| *p == "namespaces") {
        Some(i) if parts.len() > i + 2 => i + 2,
        Some(i) => i,
        None if parts.first() == Some(&"api") => 2,
        None => 3,
    };
    let mut resource = parts.get(at).copied().unwrap_or("").to_string();
    // A subresource (`pods/log`, `pods/exec`) after the object's name.
    if let Some(sub) = parts.get(at + 2) {
        resource = format!("{resource}/{sub}");
    }
    resource
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
        let span = tracing::info_span!(
            "kubernetes",
            otel.name = %format!("{verb} {}", resource_of(request.uri().path())),
            otel.kind = "client",
            http.request.method = %request.method(),
            http.response.status_code = tracing::field::Empty,
        );
        let started = Instant::now();
        let answer = self.inner.call(request).instrument(span.clone());
        Box::pin(async move {
            let result = answer.await;
            let code = result.as_ref().map_or(0, |r| r.status().as_u16());
            span.record("http.response.status_code", code);
            kubegate_metrics::global().kube(verb, code, started.elapsed());
            result
        })
    }
}

#[cfg(test)]
mod tests {
    use super::resource_of;

    #[test]
    fn spans_name_resources_never_objects() {
        assert_eq!(resource_of("/api/v1/namespaces/ns/pods/web-1"), "pods");
        assert_eq!(resource_of("/api/v1/namespaces/ns/pods"), "pods");
        assert_eq!(resource_of("/api/v1/namespaces/ns/pods/web-1/log"), "pods/log");
        assert_eq!(resource_of("/apis/networking.k8s.io/v1/namespaces/ns/ingresses/x"), "ingresses");
        assert_eq!(resource_of("/api/v1/pods"), "pods");
        assert_eq!(
            resource_of("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"),
            "selfsubjectaccessreviews"
        );
        assert_eq!(resource_of("/api/v1/namespaces/secret-ns"), "namespaces");
    }
}
