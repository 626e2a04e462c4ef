//! `kubegate mcp`: the MCP server over stdio, a client of a running kubegate service, and the output
//! limit of the MCP endpoint that `serve` and `gateway` mount at `/mcp`.

use clap::Args;

use super::access::configured_token;

/// How MCP results are sized, shared by `serve`, `gateway` and `mcp`.
#[derive(Debug, Args)]
pub struct McpOutputArgs {
    /// The most bytes of text one MCP tool result holds; longer output is cut in the middle with a
    /// marker saying how to read the rest. At least 1024.
    #[arg(long, env = "KUBEGATE_MCP_MAX_OUTPUT_BYTES", default_value_t = kubegate_mcp::DEFAULT_MAX_OUTPUT_BYTES)]
    pub mcp_max_output_bytes: usize,
}

impl McpOutputArgs {
    /// The MCP server's options.
    pub fn options(&self) -> kubegate_mcp::Options {
        kubegate_mcp::Options::with_max_output_bytes(self.mcp_max_output_bytes)
    }
}

/// Flags of `kubegate mcp`.
#[derive(Debug, Args)]
pub struct McpArgs {
    /// The kubegate gRPC service.
    #[command(flatten)]
    pub upstream: super::access::UpstreamArgs,
    /// A file holding the API token; overrides KUBEGATE_API_TOKEN.
    #[arg(long, env = "KUBEGATE_API_TOKEN_FILE")]
    pub api_token_file: Option<std::path::PathBuf>,
    /// How results are sized.
    #[command(flatten)]
    pub output: McpOutputArgs,
}

/// Serves MCP on stdin/stdout until the client closes it or `shutdown` completes.
pub async fn run(
    args: McpArgs,
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> anyhow::Result<()> {
    let token = configured_token(args.api_token_file.as_deref(), "KUBEGATE_API_TOKEN")?;
    let ca = args.upstream.ca()?;
    let upstream = kubegate_mcp::Upstream::connect(&args.upstream.upstream, ca.as_deref(), token.as_ref())?;
    tracing::info!(upstream = %args.upstream.upstream, "MCP over stdio, calling kubegate");
    kubegate_mcp::stdio::serve(upstream, args.output.options(), shutdown).await?;
    Ok(())
}
