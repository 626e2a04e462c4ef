//! Running commands in pods: one-shot exec returning the real exit code (from the `ExitCode` cause of
//! the status Kubernetes sends on channel 3), with a timeout that ends the remote process and per-stream
//! output caps.

use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Status;
use kube::api::{Api, AttachParams, AttachedProcess};
use kubegate_proto::v1 as pb;
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWriteExt as _};

use crate::error::{Error, Result};
use crate::state::State;

/// Limits of exec and exec sessions.
#[derive(Debug, Clone)]
pub struct ExecLimits {
    /// The timeout of a one-shot exec that names none.
    pub default_timeout: Duration,
    /// The longest timeout a one-shot exec may ask for.
    pub max_timeout: Duration,
    /// The output kept per stream by a one-shot exec that names no limit.
    pub default_output_limit: usize,
    /// The most sessions open at once.
    pub max_sessions: usize,
    /// How long a session whose client left is kept for a reattach, by default.
    pub detach_grace: Duration,
    /// The longest grace period a session may ask for.
    pub max_detach_grace: Duration,
    /// The output a session keeps for a reattach.
    pub session_buffer: usize,
    /// A session with no input and no output for this long is ended.
    pub idle_timeout: Duration,
    /// Silence after which keepalives are sent on a session stream.
    pub keepalive: Duration,
}

impl Default for ExecLimits {
    fn default() -> Self {
        Self {
            default_timeout: Duration::from_secs(60),
            max_timeout: Duration::from_secs(15 * 60),
            default_output_limit: 1024 * 1024,
            max_sessions: 256,
            detach_grace: Duration::from_secs(60),
            max_detach_grace: Duration::from_secs(3600),
            session_buffer: 1024 * 1024,
            idle_timeout: Duration::from_secs(3600),
            keepalive: Duration::from_secs(20),
        }
    }
}

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
    match cause {
        Some(code) => (code, message),
        None if message.contains("not found") || message.contains("no such file") => (127, message),
        None => (126, message),
    }
}

/// Checks that a pod is running and finds its container; FAILED_PRECONDITION names the phase otherwise.
pub async fn running_container(api: &Api<Pod>, pod: &str, requested: &str) -> Result<String> {
    let (object, container) = crate::logs::resolve_container(api, pod, requested).await?;
    let phase = object.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_else(|| "Unknown".into());
    if phase != "Running" {
        return Err(Error::FailedPrecondition(format!("pod {pod:?} is {phase}: exec needs a running pod")));
    }
    Ok(container)
}

/// Starts a command in a container.
pub async fn attach(
    api: &Api<Pod>,
    pod: &str,
    container: &str,
    command: &[String],
    stdin: bool,
    tty: bool,
) -> Result<AttachedProcess> {
    let params = AttachParams {
        container: Some(container.to_string()),
        stdin,
        stdout: true,
        stderr: !tty,
        tty,
        // kube-rs copies output through 1 KiB pipes by default; larger ones cut per-chunk overhead.
        max_stdin_buf_size: Some(16 * 1024),
        max_stdout_buf_size: Some(64 * 1024),
        max_stderr_buf_size: Some(64 * 1024),
    };
    api.exec(pod, command.to_vec(), &params).await.map_err(|e| match e {
        kube::Error::Api(status) if status.code == 400 => Error::FailedPrecondition(status.message.clone()),
        other => Error::from(other),
    })
}

/// Output kept from one stream, and whether more came than was kept.
#[derive(Debug, Default)]
struct Captured {
    kept: Vec<u8>,
    truncated: bool,
}

/// Reads a stream to its end into `into`, keeping at most `limit` bytes.
async fn capture(reader: Option<impl AsyncRead + Unpin>, limit: usize, into: &mut Captured) {
    let Some(mut reader) = reader else { return };
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        match reader.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                let room = limit.saturating_sub(into.kept.len());
                into.kept.extend_from_slice(&buffer[..n.min(room)]);
                into.truncated |= n > room;
            }
        }
    }
}

/// How long output may trail the exit status before it is cut off.
const OUTPUT_AFTER_STATUS: Duration = Duration::from_secs(5);

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
        n => usize::try_from(n).unwrap_or(usize::MAX),
    };
    let namespace = state.namespace(&request.namespace).await?;
    let api: Api<Pod> = Api::namespaced(state.client().await?, &namespace);
    let container = running_container(&api, &request.pod, &request.container).await?;
    let started = Instant::now();
    let mut process =
        attach(&api, &request.pod, &container, &request.command, !request.stdin.is_empty(), false).await?;
    let status = process.take_status();
    let stdin = process.stdin();
    let stdin_bytes = request.stdin.clone();
    let writer = async move {
        if let Some(mut stdin) = stdin {
            let _ = stdin.write_all(&stdin_bytes).await;
            // Only a shutdown, not a drop, tells the remote side that stdin ended.
            let _ = stdin.shutdown().await;
        }
    };
    let stdout = process.stdout();
    let stderr = process.stderr();
    let mut out = Captured::default();
    let mut err = Captured::default();
    let work = async {
        let captures = async {
            tokio::join!(capture(stdout, limit, &mut out), capture(stderr, limit, &mut err), writer)
        };
        let status = async {
            match status {
                Some(status) => status.await,
                None => None,
            }
        };
        tokio::pin!(captures, status);
        // The status future resolves when the connection ends; if it ends without a status the output
        // pipes may never see their end, so the status, not the pipes, decides when to stop.
        tokio::select! {
            _ = &mut captures => status.await,
            result = &mut status => {
                if result.is_some() {
                    let _ = tokio::time::timeout(OUTPUT_AFTER_STATUS, captures).await;
                }
                result
            }
        }
    };
    let outcome = tokio::time::timeout(timeout, work).await;
    let duration = Some(proto_duration(started.elapsed()));
    match outcome {
        Err(_) => {
            // Dropping the connection ends the remote process on the embedded cluster and with most runtimes.
            process.abort();
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
