//! Driving a session: the remote process's output into the buffer, client input to the process, and
//! the end of the session when the process exits, goes idle or is left alone past its grace period.

use std::sync::Arc;
use std::time::{Duration, Instant};

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Status;
use kubegate_proto::v1 as pb;
use tokio::sync::mpsc;

use super::session::*;
use crate::exec::exit_code;
use crate::remote::Output;

/// Reads the remote side's output into the session until the status arrives or the connection ends.
pub(super) async fn pump(session: Arc<Session>, mut outputs: crate::remote::Outputs) -> Option<Status> {
    loop {
        match outputs.next().await? {
            Output::Stdout(data) => session.append(Channel::Stdout, data).await,
            Output::Stderr(data) => session.append(Channel::Stderr, data).await,
            Output::Status(status) => return Some(*status),
        }
    }
}

/// Drives the remote process of a session until it exits or the session is cancelled.
pub(super) async fn drive(
    sessions: Arc<Sessions>,
    session: Arc<Session>,
    mut remote: crate::remote::Input,
    outputs: crate::remote::Outputs,
    mut input: mpsc::Receiver<pb::ExecInput>,
) {
    let reader = tokio::spawn(pump(session.clone(), outputs));
    let reader_abort = reader.abort_handle();
    tokio::pin!(reader);
    let idle = session.cancel.clone();
    let idle_timeout = sessions.limits.idle_timeout;
    let watched = session.clone();
    let idle_watch = tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(1).min(idle_timeout)).await;
            if watched.lock().last_activity.elapsed() >= idle_timeout {
                idle.cancel();
                return;
            }
        }
    });
    let mut ended_by: Option<(pb::ExecEndReason, String)> = None;
    let mut status: Option<Status> = None;
    let mut stdin_open = true;
    loop {
        tokio::select! {
            result = &mut reader => {
                status = result.ok().flatten();
                break;
            }
            () = session.cancel.cancelled() => {
                let inner = session.lock();
                let idle = inner.last_activity.elapsed() >= idle_timeout;
                let detached = !inner.attached;
                drop(inner);
                ended_by = Some(if idle {
                    (pb::ExecEndReason::Expired, format!("no input or output for {idle_timeout:?}"))
                } else if detached {
                    (pb::ExecEndReason::Expired, format!("no client reattached within {:?}", session.grace))
                } else {
                    (pb::ExecEndReason::Killed, "terminated on request".into())
                });
                break;
            }
            message = input.recv() => {
                let Some(message) = message else { continue };
                session.lock().last_activity = Instant::now();
                match message.kind {
                    Some(pb::exec_input::Kind::Stdin(bytes)) if stdin_open => {
                        let _ = remote.stdin(&bytes).await;
                    }
                    Some(pb::exec_input::Kind::Resize(size)) if session.tty => {
                        let cols = u16::try_from(size.cols).unwrap_or(u16::MAX);
                        let rows = u16::try_from(size.rows).unwrap_or(u16::MAX);
                        let _ = remote.resize(cols, rows).await;
                    }
                    Some(pb::exec_input::Kind::CloseStdin(true)) if stdin_open => {
                        stdin_open = false;
                        let _ = remote.close_stdin().await;
                    }
                    Some(pb::exec_input::Kind::Signal(signal)) => match pb::ExecSignal::try_from(signal) {
                        // On a terminal, Ctrl-C is the interrupt character; the line discipline signals.
                        Ok(pb::ExecSignal::Interrupt) if session.tty => {
                            let _ = remote.stdin(&[3]).await;
                        }
                        Ok(pb::ExecSignal::Interrupt | pb::ExecSignal::Terminate | pb::ExecSignal::Kill) => {
                            ended_by = Some((pb::ExecEndReason::Killed, "ended by a signal from the client".into()));
                            break;
                        }
                        _ => {}
                    },
                    _ => {}
                }
            }
        }
    }
    idle_watch.abort();
    if ended_by.is_some() {
        // Closing the connection ends the remote process.
        remote.close().await;
        reader_abort.abort();
    }
    let exit = match (ended_by, status) {
        (Some((reason, message)), _) => pb::ExecExit { exit_code: -1, reason: reason as i32, message },
        (None, Some(status)) => {
            let (code, message) = exit_code(&status);
            pb::ExecExit { exit_code: code, reason: pb::ExecEndReason::Exited as i32, message }
        }
        (None, None) => pb::ExecExit {
            exit_code: -1,
            reason: pb::ExecEndReason::ConnectionLost as i32,
            message: "the connection to Kubernetes was lost before the exit status arrived".into(),
        },
    };
    tracing::info!(session = %session.id, pod = %session.pod, code = exit.exit_code, reason = exit.reason, "exec session ended");
    session.finish(exit);
    // An exited session is kept for its grace period when no client is there to collect the output.
    let detached = !session.lock().attached;
    if detached {
        tokio::time::sleep(session.grace).await;
        if !session.lock().attached {
            sessions.remove(&session.id);
        }
    }
}
