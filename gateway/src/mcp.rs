//! The MCP endpoint on the REST port: `kubegate-mcp`'s Streamable HTTP server over this gateway's channel
//! and interceptor, so its calls carry the token and the request's trace context like every route's.

use crate::upstream::Upstream;

/// The router serving [`kubegate_mcp::PATH`].
pub fn router(upstream: &Upstream) -> axum::Router {
    let client = kubegate_mcp::Upstream::with_interceptor(upstream.channel(), upstream.interceptor());
    let config = &upstream.config;
    kubegate_mcp::http::router(
        client,
        kubegate_mcp::http::HttpSettings {
            options: config.mcp.clone(),
            cors_origins: config.cors_origins.clone(),
            max_body_bytes: config.max_body_bytes,
            shutdown: upstream.shutdown.clone(),
        },
    )
}
