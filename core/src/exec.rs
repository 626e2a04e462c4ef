//! Running commands in pods: one-shot exec returning the real exit code (from the `ExitCode` cause of
//! the status Kubernetes sends on channel 3), with a timeout that ends the remote process and per-stream
//! output caps.

use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Status;
use kube::api::{Api, AttachParams};
use kubegate_proto::v1 as pb;

pub use crate::config::ExecLimits;

/// The most output a one-shot exec keeps per stream (it holds it until the command ends).
pub const MAX_OUTPUT_LIMIT: i64 = 16 * 1024 * 1024;
use crate::error::{Error, Result};
use crate::remote::Output;
use crate::state::State;

/// The exit code a status frame reports: 0 for Success, the `ExitCode` cause otherwise. A failure with
/// no exit code (the runtime could not start the command) is 127 when the command was not found, else 126,
/// as a shell reports them.
pub fn exit_code(status: &Status) -> (i32, String) {
    let message = status.message.clone().unwrap_or_default();
    if status.status.as_deref() == Some("Success") {
        return (0, message);
    }
    let cause = status
        .details
        .as_ref()
        .and_then(|d| d.causes.as_ref())
        .and_then(|causes| causes.iter().find(|c| c.reason.as_deref() == Some("ExitCode")))
        .and_then(|c| c.message.as_deref()?.parse::<i32>().ok());
    // Runtimes that wrap Go's exec.ExitError without the ExitCode cause (kwok's simulated exec, for one:
    // kubectl then exits 1) still end the message with its text, "exit status N".
    let from_message = || {
        let (_, tail) = message.rsplit_once("exit status ")?;
        let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
        (!digits.is_empty() && digits.len() == tail.trim_end().len())
            .then(|| digits.parse::<i32>().ok())
            .flatten()
    };
    match cause.or_else(from_message) {
        Some(code) => (code, message),
        None if message.contains("not found") || message.contains("no such file") => (127, message),
        None => (126, message),
    }
}

/// Checks that a pod is running and finds its container; FAILED_PRECONDITION names the phase otherwise.
pub async fn running_container(
    api: &Api<Pod>,
    pod: &str,
    requested: &str,
    own: Option<&(String, String)>,
) -> Result<String> {
    let (object, container) = crate::logs::resolve_container(api, pod, requested, own).await?;
    let phase = object.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_else(|| "Unknown".into());
    if phase != "Running" {
        return Err(Error::FailedPrecondition(format!("pod {pod:?} is {phase}: exec needs a running pod")));
    }
    Ok(container)
}

/// Starts a command in a container over the exec WebSocket.
pub async fn attach(
    state: &State,
    namespace: &str,
    pod: &str,
    container: &str,
    command: &[String],
    stdin: bool,
    tty: bool,
) -> Result<(crate::remote::Input, crate::remote::Outputs)> {
    let params = AttachParams {
        container: Some(container.to_string()),
        stdin,
        stdout: true,
        stderr: !tty,
        tty,
        ..AttachParams::default()
    };
    crate::remote::open(&state.client().await?, namespace, pod, command, &params).await
}

/// Output kept from one stream, and whether more came than was kept.
#[derive(Debug, Default)]
struct Captured {
    kept: Vec<u8>,
    truncated: bool,
}

impl Captured {
    fn keep(&mut self, data: &[u8], limit: usize) {
        let room = limit.saturating_sub(self.kept.len());
        self.kept.extend_from_slice(&data[..data.len().min(room)]);
        self.truncated |= data.len() > room;
    }
}

fn proto_duration(d: Duration) -> prost_types::Duration {
    prost_types::Duration {
        seconds: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        nanos: i32::try_from(d.subsec_nanos()).unwrap_or(0),
    }
}

/// Runs a command to completion.
pub async fn run(state: &State, request: pb::ExecRequest) -> Result<pb::ExecResponse> {
    let limits = state.exec_limits();
    if request.command.is_empty() || request.command[0].is_empty() {
        return Err(Error::invalid("command", "at least one argument, the program, is required"));
    }
    let timeout = match &request.timeout {
        None => limits.default_timeout,
        Some(t) if t.seconds < 0 || t.nanos < 0 || (t.seconds == 0 && t.nanos == 0) => {
            return Err(Error::invalid("timeout", "must be positive"));
        }
        Some(t) => Duration::new(t.seconds.unsigned_abs(), t.nanos.unsigned_abs()),
    };
    if timeout > limits.max_timeout {
        return Err(Error::invalid(
            "timeout",
            format!("{timeout:?} is longer than the maximum of {:?}", limits.max_timeout),
        ));
    }
    let limit = match request.output_limit_bytes {
        0 => limits.default_output_limit,
        n if n < 0 => return Err(Error::invalid("output_limit_bytes", "must not be negative")),
        n if n > MAX_OUTPUT_LIMIT => {
            return Err(Error::invalid(
                "output_limit_bytes",
                format!(
                    "{n} is more than the {MAX_OUTPUT_LIMIT} bytes a one-shot exec keeps per stream; use an exec stream"
                ),
            ));
        }
        n => usize::try_from(n).unwrap_or(usize::MAX),
    };
    let namespace = state.namespace(&request.namespace).await?;
    let api: Api<Pod> = Api::namespaced(state.client().await?, &namespace);
    let container = running_container(&api, &request.pod, &request.container, state.own_pod()).await?;
    let started = Instant::now();
    let with_stdin = !request.stdin.is_empty();
    let (mut input, mut outputs) =
        attach(state, &namespace, &request.pod, &container, &request.command, with_stdin, false).await?;
    let mut out = Captured::default();
    let mut err = Captured::default();
    let work = async {
        // Stdin is written while output is read, so neither side waits on the other.
        let write = async {
            if with_stdin {
                let _ = input.stdin(&request.stdin).await;
                let _ = input.close_stdin().await;
            }
        };
        let read = async {
            loop {
                match outputs.next().await {
                    Some(Output::Stdout(data)) => out.keep(&data, limit),
                    Some(Output::Stderr(data)) => err.keep(&data, limit),
                    Some(Output::Status(status)) => return Some(*status),
                    None => return None,
                }
            }
        };
        tokio::join!(write, read).1
    };
    let outcome = tokio::time::timeout(timeout, work).await;
    let duration = Some(proto_duration(started.elapsed()));
    match outcome {
        Err(_) => {
            // Closing the connection ends the remote process on the embedded cluster and with most runtimes.
            input.close().await;
            tracing::info!(pod = %request.pod, ?timeout, "exec timed out; the remote process was ended");
            Ok(pb::ExecResponse {
                exit_code: -1,
                end_reason: pb::ExecEndReason::TimedOut as i32,
                duration,
                ..Default::default()
            })
        }
        Ok(Some(status)) => {
            let (exit_code, _) = exit_code(&status);
            Ok(pb::ExecResponse {
                stdout: out.kept,
                stderr: err.kept,
                exit_code,
                end_reason: pb::ExecEndReason::Exited as i32,
                stdout_truncated: out.truncated,
                stderr_truncated: err.truncated,
                duration,
            })
        }
        Ok(None) => Err(Error::Unavailable(format!(
            "the connection to pod {:?} was lost before the command's exit status arrived",
            request.pod
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(message: &str) -> Status {
        Status { status: Some("Failure".into()), message: Some(message.into()), ..Default::default() }
    }

    #[test]
    fn exit_codes_come_from_the_cause_or_the_runtime_message() {
        let wrapped = "error executing command in container: cmd wait: sh -c echo hi; exit 3: exit status 3";
        assert_eq!(exit_code(&failure(wrapped)).0, 3);
        assert_eq!(exit_code(&failure("exec: \"nope\": executable file not found in $PATH")).0, 127);
        assert_eq!(exit_code(&failure("exit status 3 happened earlier, then something else")).0, 126);
        assert_eq!(exit_code(&Status { status: Some("Success".into()), ..Default::default() }).0, 0);
    }
}
