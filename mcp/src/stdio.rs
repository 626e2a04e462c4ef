//! MCP over stdio, for agents that start their tools as subprocesses (`kubegate mcp --upstream URL`).
//! Standard output is the transport: everything else this process says goes to standard error.

use std::future::Future;

use rmcp::ServiceExt as _;

use crate::{Kubegate, Options, Upstream};

/// Why serving over stdio stopped early.
#[derive(Debug, thiserror::Error)]
pub enum StdioError {
    /// The client never completed the MCP handshake.
    #[error("the MCP client did not start a session: {0}")]
    Handshake(String),
    /// The session task failed.
    #[error("the MCP session failed: {0}")]
    Session(String),
}

/// Serves one MCP session on stdin/stdout until the client closes it or `shutdown` completes.
pub async fn serve(
    upstream: Upstream,
    options: Options,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), StdioError> {
    let running = Kubegate::new(upstream, options)
        .serve(rmcp::transport::stdio_pipes())
        .await
        .map_err(|e| StdioError::Handshake(e.to_string()))?;
    let stop = running.cancellation_token();
    let waiting = running.waiting();
    tokio::pin!(waiting);
    let reason = tokio::select! {
        reason = &mut waiting => reason,
        () = shutdown => {
            stop.cancel();
            waiting.await
        }
    };
    let reason = reason.map_err(|e| StdioError::Session(e.to_string()))?;
    tracing::debug!(?reason, "MCP session over stdio ended");
    Ok(())
}
