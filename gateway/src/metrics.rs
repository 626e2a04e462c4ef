//! Metrics of the REST port and the terminal port: each request by route template, method and status,
//! with the latency until the response head. Only templates are labels, never the paths callers send.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;

/// Records one request.
pub async fn record(request: Request, next: Next) -> Response {
    let route =
        request.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str).to_string();
    let method = match *request.method() {
        http::Method::GET => "GET",
        http::Method::POST => "POST",
        http::Method::PUT => "PUT",
        http::Method::DELETE => "DELETE",
        http::Method::PATCH => "PATCH",
        http::Method::HEAD => "HEAD",
        http::Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    };
    let started = Instant::now();
    let response = next.run(request).await;
    kubegate_metrics::global().http(&route, method, response.status().as_u16(), started.elapsed());
    response
}
