//! Starting a session from its first message, and reattaching a client to one.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::Stream;
use k8s_openapi::api::core::v1::Pod;
use kube::api::Api;
use kubegate_proto::v1 as pb;
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

use super::client::serve_client;
use super::drive::drive;
use super::session::*;
use crate::error::{Error, Result};
use crate::exec::{attach, running_container};
use crate::state::State;

/// The shell an empty command means: bash when the container has it, else /bin/sh.
const DEFAULT_SHELL: [&str; 3] =
    ["/bin/sh", "-c", "if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi"];

/// Starts a session from its first message and serves its client.
pub async fn start(
    sessions: &Arc<Sessions>,
    state: &State,
    owner: &str,
    start: pb::ExecStart,
    inputs: impl Stream<Item = pb::ExecInput> + Send + Unpin + 'static,
) -> Result<mpsc::Receiver<Result<pb::ExecEvent>>> {
    let limits = sessions.limits.clone();
    let slot = sessions.reserve(owner)?;
    let grace = match &start.detach_grace_period {
        None => limits.detach_grace,
        Some(g) if g.seconds < 0 || g.nanos < 0 => {
            return Err(Error::invalid("start.detach_grace_period", "must not be negative"));
        }
        Some(g) => {
            Duration::new(g.seconds.unsigned_abs(), g.nanos.unsigned_abs()).min(limits.max_detach_grace)
        }
    };
    if let Some(size) = &start.terminal_size
        && (!(1..=10_000).contains(&size.cols) || !(1..=10_000).contains(&size.rows))
    {
        return Err(Error::invalid("start.terminal_size", "columns and rows must be between 1 and 10000"));
    }
    let namespace = state.namespace(&start.namespace).await?;
    let api: Api<Pod> = Api::namespaced(state.client().await?, &namespace);
    let container = running_container(&api, &start.pod, &start.container, state.own_pod()).await?;
    let command: Vec<String> = if start.command.is_empty() {
        DEFAULT_SHELL.iter().map(|s| s.to_string()).collect()
    } else {
        start.command.clone()
    };
    let (remote, outputs) =
        attach(state, &namespace, &start.pod, &container, &command, start.stdin || start.tty, start.tty)
            .await?;
    let (input_tx, input_rx) = mpsc::channel(64);
    if let (true, Some(size)) = (start.tty, start.terminal_size) {
        // The initial size is the first input the remote side sees.
        let resize = pb::ExecInput { kind: Some(pb::exec_input::Kind::Resize(size)) };
        let _ = input_tx.send(resize).await;
    }
    let session = Arc::new(Session {
        id: sessions.new_id(),
        owner: owner.to_string(),
        namespace,
        pod: start.pod.clone(),
        container: container.clone(),
        command: command.clone(),
        tty: start.tty,
        started: jiff::Timestamp::now(),
        grace,
        capacity: limits.session_buffer,
        inner: Mutex::new(Inner {
            buffer: VecDeque::new(),
            buffered: 0,
            next_offset: 0,
            consumed: 0,
            attached: true,
            generation: 0,
            detached_at: None,
            exit: None,
            last_activity: Instant::now(),
        }),
        changed: watch::channel(0).0,
        input: input_tx,
        cancel: CancellationToken::new(),
    });
    sessions.register(slot, session.clone());
    tokio::spawn(drive(sessions.clone(), session.clone(), remote, outputs, input_rx));
    tracing::info!(session = %session.id, pod = %session.pod, tty = start.tty, "exec session started");
    let started = pb::ExecStarted { session_id: session.id.clone(), container, command };
    Ok(serve_client(sessions.clone(), session, 0, started, inputs))
}

/// Reattaches a client to a session from an output offset.
pub fn reattach(
    sessions: &Arc<Sessions>,
    attach: &pb::ExecAttach,
    inputs: impl Stream<Item = pb::ExecInput> + Send + Unpin + 'static,
) -> Result<mpsc::Receiver<Result<pb::ExecEvent>>> {
    let session = sessions.get(&attach.session_id)?;
    if session.lock().attached {
        return Err(Error::FailedPrecondition(format!(
            "exec session {:?} already has a client; only one may be attached",
            attach.session_id
        )));
    }
    let started = pb::ExecStarted {
        session_id: session.id.clone(),
        container: session.container.clone(),
        command: session.command.clone(),
    };
    Ok(serve_client(sessions.clone(), session, attach.offset, started, inputs))
}
