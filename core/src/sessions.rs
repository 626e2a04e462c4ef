//! Interactive exec sessions that survive a disconnect. A session owns the remote process; clients come
//! and go. Output goes into a bounded buffer with offsets: while a client is attached, a slow client slows
//! the remote process (backpressure); while none is, the oldest output is dropped and a reattaching client
//! is told exactly how much it lost. A session left alone longer than its grace period is ended.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures::{Stream, StreamExt as _};
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Status;
use kube::api::Api;
use kubegate_proto::v1 as pb;
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

use crate::error::{Error, Result};
use crate::exec::{ExecLimits, attach, exit_code, running_container};
use crate::remote::Output;
use crate::state::State;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Channel {
    Stdout,
    Stderr,
}

#[derive(Debug)]
struct Chunk {
    offset: u64,
    channel: Channel,
    data: Bytes,
}

#[derive(Debug)]
struct Inner {
    buffer: VecDeque<Chunk>,
    buffered: usize,
    next_offset: u64,
    /// What the attached client has taken, for backpressure.
    consumed: u64,
    attached: bool,
    generation: u64,
    detached_at: Option<jiff::Timestamp>,
    exit: Option<pb::ExecExit>,
    last_activity: Instant,
}

/// One exec session.
#[derive(Debug)]
pub struct Session {
    id: String,
    namespace: String,
    pod: String,
    container: String,
    command: Vec<String>,
    tty: bool,
    started: jiff::Timestamp,
    grace: Duration,
    capacity: usize,
    inner: Mutex<Inner>,
    changed: watch::Sender<u64>,
    input: mpsc::Sender<pb::ExecInput>,
    cancel: CancellationToken,
}

fn now_proto(t: jiff::Timestamp) -> prost_types::Timestamp {
    prost_types::Timestamp { seconds: t.as_second(), nanos: t.subsec_nanosecond() }
}

impl Session {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn bump(&self) {
        self.changed.send_modify(|v| *v += 1);
    }

    /// Appends output. While a client is attached, waits until the buffer has room for it beside what
    /// the client has not taken yet (backpressure); while none is, the oldest output makes room.
    async fn append(&self, channel: Channel, data: Bytes) {
        let mut changes = self.changed.subscribe();
        loop {
            {
                let inner = self.lock();
                let lag = usize::try_from(inner.next_offset - inner.consumed).unwrap_or(usize::MAX);
                if !inner.attached || inner.exit.is_some() || lag == 0 || lag + data.len() <= self.capacity {
                    break;
                }
            }
            if changes.changed().await.is_err() || self.cancel.is_cancelled() {
                return;
            }
        }
        {
            let mut inner = self.lock();
            let offset = inner.next_offset;
            inner.next_offset += data.len() as u64;
            inner.buffered += data.len();
            inner.buffer.push_back(Chunk { offset, channel, data });
            while inner.buffered > self.capacity && inner.buffer.len() > 1 {
                // An attached client loses nothing: only output it has taken is dropped.
                let taken =
                    inner.buffer.front().is_some_and(|c| c.offset + c.data.len() as u64 <= inner.consumed);
                if inner.attached && !taken {
                    break;
                }
                if let Some(old) = inner.buffer.pop_front() {
                    inner.buffered -= old.data.len();
                }
            }
            inner.last_activity = Instant::now();
        }
        self.bump();
    }

    fn finish(&self, exit: pb::ExecExit) {
        {
            let mut inner = self.lock();
            if inner.exit.is_none() {
                inner.exit = Some(exit);
            }
        }
        self.bump();
    }

    /// The API view of the session.
    pub fn describe(&self) -> pb::ExecSession {
        let inner = self.lock();
        let state = if inner.exit.is_some() {
            pb::ExecSessionState::Exited
        } else if inner.attached {
            pb::ExecSessionState::Attached
        } else {
            pb::ExecSessionState::Detached
        };
        pb::ExecSession {
            session_id: self.id.clone(),
            namespace: self.namespace.clone(),
            pod: self.pod.clone(),
            container: self.container.clone(),
            command: self.command.clone(),
            tty: self.tty,
            state: state as i32,
            start_time: Some(now_proto(self.started)),
            detach_time: inner.detached_at.map(now_proto),
            output_offset: inner.next_offset,
            buffered_from_offset: inner.buffer.front().map_or(inner.next_offset, |c| c.offset),
            exit: inner.exit.clone(),
        }
    }
}

/// Every session of the service.
#[derive(Debug)]
pub struct Sessions {
    limits: ExecLimits,
    map: Mutex<HashMap<String, Arc<Session>>>,
}

impl Sessions {
    /// An empty registry with these limits.
    pub fn new(limits: ExecLimits) -> Self {
        Self { limits, map: Mutex::new(HashMap::new()) }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Arc<Session>>> {
        self.map.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn get(&self, id: &str) -> Result<Arc<Session>> {
        self.lock().get(id).cloned().ok_or_else(|| {
            Error::NotFound(format!(
                "exec session {id:?} does not exist (it ended, or its grace period passed)"
            ))
        })
    }

    fn remove(&self, id: &str) {
        self.lock().remove(id);
    }

    /// Lists sessions, oldest first, optionally in one namespace or pod.
    pub fn list(&self, namespace: &str, pod: &str) -> Vec<pb::ExecSession> {
        let mut all: Vec<Arc<Session>> = self
            .lock()
            .values()
            .filter(|s| {
                (namespace.is_empty() || s.namespace == namespace) && (pod.is_empty() || s.pod == pod)
            })
            .cloned()
            .collect();
        all.sort_by_key(|s| (s.started, s.id.clone()));
        all.iter().map(|s| s.describe()).collect()
    }

    /// Ends a session: its remote process is terminated.
    pub async fn terminate(&self, id: &str) -> Result<pb::ExecExit> {
        let session = self.get(id)?;
        session.cancel.cancel();
        let mut changes = session.changed.subscribe();
        let deadline = tokio::time::sleep(Duration::from_secs(10));
        tokio::pin!(deadline);
        loop {
            if let Some(exit) = session.lock().exit.clone() {
                self.remove(id);
                return Ok(exit);
            }
            tokio::select! {
                changed = changes.changed() => if changed.is_err() { break },
                () = &mut deadline => break,
            }
        }
        self.remove(id);
        Ok(pb::ExecExit {
            exit_code: -1,
            reason: pb::ExecEndReason::Killed as i32,
            message: "terminated".into(),
        })
    }
}

/// Reads the remote side's output into the session until the status arrives or the connection ends.
async fn pump(session: Arc<Session>, mut outputs: crate::remote::Outputs) -> Option<Status> {
    loop {
        match outputs.next().await? {
            Output::Stdout(data) => session.append(Channel::Stdout, data).await,
            Output::Stderr(data) => session.append(Channel::Stderr, data).await,
            Output::Status(status) => return Some(*status),
        }
    }
}

/// Drives the remote process of a session until it exits or the session is cancelled.
async fn drive(
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

/// The most output bytes one event carries.
const MAX_MESSAGE: usize = 512 * 1024;

fn event(kind: pb::exec_event::Kind) -> pb::ExecEvent {
    pb::ExecEvent { kind: Some(kind) }
}

/// Streams a session's events to a client from an output offset until the session exits or the client
/// leaves; then the session is detached (and expires after its grace period unless reattached).
fn serve_client(
    sessions: Arc<Sessions>,
    session: Arc<Session>,
    from: u64,
    started: pb::ExecStarted,
    mut inputs: impl Stream<Item = pb::ExecInput> + Send + Unpin + 'static,
) -> mpsc::Receiver<Result<pb::ExecEvent>> {
    let (tx, rx) = mpsc::channel::<Result<pb::ExecEvent>>(16);
    let generation = {
        let mut inner = session.lock();
        inner.attached = true;
        inner.generation += 1;
        inner.detached_at = None;
        inner.consumed = from.max(inner.buffer.front().map_or(inner.next_offset, |c| c.offset));
        inner.generation
    };
    session.bump();
    let keepalive = sessions.limits.keepalive;
    // Client input goes to the remote process; a keepalive is answered.
    let input_session = session.clone();
    let input_tx = tx.clone();
    let input_task = tokio::spawn(async move {
        while let Some(input) = inputs.next().await {
            if matches!(input.kind, Some(pb::exec_input::Kind::Keepalive(true))) {
                let _ = input_tx.send(Ok(event(pb::exec_event::Kind::Keepalive(true)))).await;
                continue;
            }
            if input_session.input.send(input).await.is_err() {
                return;
            }
        }
    });
    tokio::spawn(async move {
        let mut changes = session.changed.subscribe();
        let mut offset = from;
        if tx.send(Ok(event(pb::exec_event::Kind::Started(started)))).await.is_err() {
            return detach(&sessions, &session, generation, input_task);
        }
        loop {
            // Take what is buffered past the offset (or learn what was lost), under the lock.
            let (gap, chunks, exit, end) = {
                let inner = session.lock();
                let oldest = inner.buffer.front().map_or(inner.next_offset, |c| c.offset);
                let gap = (offset < oldest)
                    .then_some(pb::OutputGap { requested_offset: offset, resumed_offset: oldest });
                let start = offset.max(oldest);
                // Consecutive pieces of one stream go out as one message (up to MAX_MESSAGE): a client
                // that fell behind catches up in fewer, larger messages.
                let mut chunks: Vec<(u64, Channel, Vec<u8>)> = Vec::new();
                for c in inner.buffer.iter().filter(|c| c.offset + c.data.len() as u64 > start) {
                    let skip = usize::try_from(start.saturating_sub(c.offset)).unwrap_or(0);
                    let data = &c.data[skip..];
                    match chunks.last_mut() {
                        Some((_, channel, merged))
                            if *channel == c.channel && merged.len() + data.len() <= MAX_MESSAGE =>
                        {
                            merged.extend_from_slice(data);
                        }
                        _ => chunks.push((c.offset + skip as u64, c.channel, data.to_vec())),
                    }
                }
                (gap, chunks, inner.exit.clone(), inner.next_offset)
            };
            if let Some(gap) = gap {
                offset = gap.resumed_offset;
                if tx.send(Ok(event(pb::exec_event::Kind::Gap(gap)))).await.is_err() {
                    return detach(&sessions, &session, generation, input_task);
                }
            }
            for (at, channel, data) in chunks {
                offset = at + data.len() as u64;
                let chunk = pb::OutputChunk { data, offset: at };
                let kind = match channel {
                    Channel::Stdout => pb::exec_event::Kind::Stdout(chunk),
                    Channel::Stderr => pb::exec_event::Kind::Stderr(chunk),
                };
                if tx.send(Ok(event(kind))).await.is_err() {
                    return detach(&sessions, &session, generation, input_task);
                }
                session.lock().consumed = offset;
                session.bump();
            }
            if let Some(exit) = exit {
                if offset >= end {
                    let _ = tx.send(Ok(event(pb::exec_event::Kind::Exit(exit)))).await;
                    input_task.abort();
                    sessions.remove(&session.id);
                    return;
                }
                continue;
            }
            tokio::select! {
                changed = changes.changed() => if changed.is_err() { return },
                () = tx.closed() => return detach(&sessions, &session, generation, input_task),
                () = tokio::time::sleep(keepalive) => {
                    if tx.send(Ok(event(pb::exec_event::Kind::Keepalive(true)))).await.is_err() {
                        return detach(&sessions, &session, generation, input_task);
                    }
                }
            }
        }
    });
    rx
}

/// Marks a session detached when its client left, and ends it after the grace period unless a client
/// reattached meanwhile.
fn detach(
    sessions: &Arc<Sessions>,
    session: &Arc<Session>,
    generation: u64,
    input_task: tokio::task::JoinHandle<()>,
) {
    input_task.abort();
    {
        let mut inner = session.lock();
        if inner.generation != generation {
            return;
        }
        inner.attached = false;
        inner.detached_at = Some(jiff::Timestamp::now());
    }
    session.bump();
    tracing::info!(session = %session.id, grace = ?session.grace, "exec client left; session kept for a reattach");
    let sessions = sessions.clone();
    let session = session.clone();
    tokio::spawn(async move {
        tokio::time::sleep(session.grace).await;
        let expired = {
            let inner = session.lock();
            inner.generation == generation && !inner.attached
        };
        if expired {
            session.cancel.cancel();
            if session.lock().exit.is_some() {
                sessions.remove(&session.id);
            }
        }
    });
}

/// The shell an empty command means: bash when the container has it, else /bin/sh.
const DEFAULT_SHELL: [&str; 3] =
    ["/bin/sh", "-c", "if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi"];

/// Starts a session from its first message and serves its client.
pub async fn start(
    sessions: &Arc<Sessions>,
    state: &State,
    start: pb::ExecStart,
    inputs: impl Stream<Item = pb::ExecInput> + Send + Unpin + 'static,
) -> Result<mpsc::Receiver<Result<pb::ExecEvent>>> {
    let limits = sessions.limits.clone();
    if sessions.lock().len() >= limits.max_sessions {
        return Err(Error::ResourceExhausted(format!(
            "{} exec sessions are open, the most allowed; end one (TerminateExecSession) or wait",
            limits.max_sessions
        )));
    }
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
    let container = running_container(&api, &start.pod, &start.container).await?;
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
        id: uuid::Uuid::new_v4().to_string(),
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
    sessions.lock().insert(session.id.clone(), session.clone());
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
