//! Exec (ExecService.Exec): one command to completion, with its exit code and its two output streams
//! apart. A client's cancellation drops the call, and with it the command.

use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::service::RequestContext;
use rmcp::{RoleServer, tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

use kubegate_proto::v1 as pb;

use super::seconds;
use crate::server::Kubegate;
use crate::views::short;
use crate::{output, reply};

/// The input of exec.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exec {
    /// The pod. It must be running (FAILED_PRECONDITION otherwise).
    pub pod: String,
    /// The program and its arguments (argv, not interpreted by a shell): for a shell line use
    /// ["sh", "-c", "cd /app && npm test"].
    #[schemars(length(min = 1))]
    pub command: Vec<String>,
    /// The namespace. Default: kubegate's configured namespace.
    #[serde(default)]
    pub namespace: String,
    /// The container. Default: "runner", or the pod's only container.
    #[serde(default)]
    pub container: String,
    /// Text written to the command's standard input, which is then closed. Default: no input.
    #[serde(default)]
    pub stdin: String,
    /// Seconds the command may run before it is killed (end_reason TIMED_OUT). Default 60; the most is
    /// kubegate's configured maximum (900 by default), INVALID_ARGUMENT beyond.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub timeout_seconds: Option<u64>,
}

/// What the result holds besides the output: the rest of the limit is shared by stdout and stderr.
const OVERHEAD: usize = 512;

#[tool_router(router = exec_tools, vis = "pub(crate)")]
impl Kubegate {
    #[tool(
        description = "Runs a command in a running pod's container to completion and returns exit_code, \
        stdout and stderr (apart), end_reason (EXITED, or TIMED_OUT after timeout_seconds, default 60) \
        and duration. A non-zero exit code is a normal result, not an error. Output past the size limit \
        is cut in the middle with a marker (redirect to a file and read parts of it to see everything). \
        Cancelling the call kills the command. Errors: NOT_FOUND (no such pod), FAILED_PRECONDITION (the \
        pod is not running yet or any more: check get_pod), INVALID_ARGUMENT (empty command, timeout too \
        long), UNAVAILABLE (the connection to the pod was lost; the exit code is unknown).",
        annotations(destructive_hint = true, open_world_hint = false)
    )]
    async fn exec(
        &self,
        Parameters(p): Parameters<Exec>,
        context: RequestContext<RoleServer>,
    ) -> CallToolResult {
        let pod = p.pod.clone();
        let request = pb::ExecRequest {
            namespace: p.namespace,
            pod: p.pod,
            container: p.container,
            command: p.command,
            stdin: p.stdin.into_bytes(),
            timeout: seconds(p.timeout_seconds),
            output_limit_bytes: 0,
        };
        let mut client = self.upstream.exec();
        let answer = tokio::select! {
            answer = client.exec(request) => answer,
            // Dropping the call resets its HTTP/2 stream; the service drops the command's connection and
            // the process ends with it.
            () = context.ct.cancelled() => {
                tracing::info!(%pod, "exec cancelled by the MCP client");
                return reply::failure(tonic::Code::Cancelled, "the client cancelled the call; the command was killed");
            }
        };
        match answer {
            Ok(answer) => self.exec_result(&answer.into_inner()),
            Err(status) => reply::status(&status),
        }
    }
}

impl Kubegate {
    fn exec_result(&self, r: &pb::ExecResponse) -> CallToolResult {
        let reason = pb::ExecEndReason::try_from(r.end_reason).unwrap_or(pb::ExecEndReason::Unspecified);
        let stdout = output::text_of(&r.stdout);
        let stderr = output::text_of(&r.stderr);
        let (out_room, err_room) =
            output::share(self.limit().saturating_sub(OVERHEAD), stdout.len(), stderr.len());
        let hint = "run the command again with its output redirected to a file, then read parts of the file";
        let mut body = json!({
            "exit_code": r.exit_code,
            "end_reason": short(reason.as_str_name(), "EXEC_END_REASON_"),
            "stdout": output::cut_middle(&stdout, out_room.max(output::MIN_LIMIT / 2), hint),
            "stderr": output::cut_middle(&stderr, err_room.max(output::MIN_LIMIT / 2), hint),
            "duration_seconds": r.duration.as_ref().map(|d| d.seconds as f64 + f64::from(d.nanos) / 1e9),
        });
        // The service keeps the first MiB of each stream; say so when it dropped more.
        if r.stdout_truncated {
            body["stdout_truncated_by_service"] = json!(true);
        }
        if r.stderr_truncated {
            body["stderr_truncated_by_service"] = json!(true);
        }
        // The output was cut to the limit already; JSON escaping (a newline is two bytes) must not cut it
        // again, which would leave a model broken JSON.
        reply::json(&body, 2 * self.limit() + OVERHEAD)
    }
}
