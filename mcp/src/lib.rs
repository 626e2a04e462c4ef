//! The Model Context Protocol server of kubegate, for coding agents that call kubegate as tools. Every
//! tool is one or a few calls of the kubegate gRPC API, made as a client of the service exactly as the
//! REST gateway is: no Kubernetes logic lives here, and kubegate's policy, quotas and validation apply.
//!
//! Two transports: Streamable HTTP ([`http::service`], mounted by the gateway at [`PATH`] behind its
//! Host, token and CORS guards) and stdio ([`stdio::serve`], for `kubegate mcp --upstream URL`).
//!
//! Layout: `server` is the handler (capabilities, tool dispatch, resources); `tools::*` hold the tools
//! of each gRPC service with their input types; `resources` serves pod logs as resources; `views`,
//! `reply` and `output` shape what a model reads; `upstream` is the gRPC client.

pub mod http;
mod output;
mod reply;
mod resources;
mod server;
pub mod stdio;
mod tools;
pub mod upstream;
mod views;

pub use server::Kubegate;
pub use upstream::{Upstream, UpstreamError};

/// Where the gateway serves MCP over Streamable HTTP.
pub const PATH: &str = "/mcp";

/// How results are sized.
#[derive(Debug, Clone)]
pub struct Options {
    /// The most bytes of text one result holds; longer output is cut in the middle with a marker saying
    /// how much was left out and how to read it. At least 1024.
    pub max_output_bytes: usize,
}

/// The default size limit of one result: 64 KiB.
pub const DEFAULT_MAX_OUTPUT_BYTES: usize = 64 * 1024;

impl Default for Options {
    fn default() -> Self {
        Self { max_output_bytes: DEFAULT_MAX_OUTPUT_BYTES }
    }
}

impl Options {
    /// Options with an output limit, raised to the smallest one that holds a marker.
    pub fn with_max_output_bytes(bytes: usize) -> Self {
        Self { max_output_bytes: bytes.max(output::MIN_LIMIT) }
    }
}
