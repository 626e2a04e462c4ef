//! A session, its bounded output buffer with offsets, and the registry of open sessions.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use kubegate_proto::v1 as pb;
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

use crate::error::{Error, Result};
use crate::exec::ExecLimits;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Channel {
    Stdout,
    Stderr,
}

#[derive(Debug)]
pub(super) struct Chunk {
    pub(super) offset: u64,
    pub(super) channel: Channel,
    pub(super) data: Bytes,
}

#[derive(Debug)]
pub(super) struct Inner {
    pub(super) buffer: VecDeque<Chunk>,
    pub(super) buffered: usize,
    pub(super) next_offset: u64,
    /// What the attached client has taken, for backpressure.
    pub(super) consumed: u64,
    pub(super) attached: bool,
    pub(super) generation: u64,
    pub(super) detached_at: Option<jiff::Timestamp>,
    pub(super) exit: Option<pb::ExecExit>,
    pub(super) last_activity: Instant,
}

/// One exec session.
#[derive(Debug)]
pub struct Session {
    pub(super) id: String,
    /// Who started it (a fingerprint of the caller's token): the per-caller limit counts by it.
    pub(super) owner: String,
    pub(super) namespace: String,
    pub(super) pod: String,
    pub(super) container: String,
    pub(super) command: Vec<String>,
    pub(super) tty: bool,
    pub(super) started: jiff::Timestamp,
    pub(super) grace: Duration,
    pub(super) capacity: usize,
    pub(super) inner: Mutex<Inner>,
    pub(super) changed: watch::Sender<u64>,
    pub(super) input: mpsc::Sender<pb::ExecInput>,
    pub(super) cancel: CancellationToken,
}

pub(super) fn now_proto(t: jiff::Timestamp) -> prost_types::Timestamp {
    kubegate_proto::convert::timestamp_from_jiff(t)
}

impl Session {
    pub(super) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(super) fn bump(&self) {
        self.changed.send_modify(|v| *v += 1);
    }

    /// Appends output. While a client is attached, waits until the buffer has room for it beside what
    /// the client has not taken yet (backpressure); while none is, the oldest output makes room.
    pub(super) async fn append(&self, channel: Channel, data: Bytes) {
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

    pub(super) fn finish(&self, exit: pb::ExecExit) {
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
    pub(super) limits: ExecLimits,
    pub(super) map: Mutex<HashMap<String, Arc<Session>>>,
    /// Slots taken by sessions being started (not yet in the map): the limit counts them too, so a
    /// burst of starts cannot pass it between the check and the insert.
    pub(super) starting: std::sync::atomic::AtomicUsize,
    /// The same, per caller.
    pub(super) starting_by: Mutex<HashMap<String, usize>>,
    /// This replica's gRPC URL, carried in every session id so that another replica can relay a
    /// reattach here; `None` when kubegate runs alone.
    pub(super) replica: Option<String>,
}

/// A session slot held while a session starts; released on drop unless the session was registered.
pub(super) struct Slot<'a> {
    sessions: &'a Sessions,
    owner: String,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.sessions.starting.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
        let mut by = self.sessions.starting_by.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = by.get_mut(&self.owner) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                by.remove(&self.owner);
            }
        }
    }
}

/// Publishes the number of open sessions.
fn open_sessions(open: usize) {
    let gauge =
        kubegate_metrics::global().open.get_or_create_owned(&kubegate_metrics::Open { kind: "sessions" });
    gauge.set(i64::try_from(open).unwrap_or(i64::MAX));
}

impl Sessions {
    /// An empty registry with these limits.
    pub fn new(limits: ExecLimits) -> Self {
        Self {
            limits,
            map: Mutex::new(HashMap::new()),
            starting: std::sync::atomic::AtomicUsize::new(0),
            starting_by: Mutex::new(HashMap::new()),
            replica: None,
        }
    }

    /// An empty registry whose session ids name this replica (`url`: how the other replicas reach it).
    pub fn for_replica(limits: ExecLimits, url: Option<String>) -> Self {
        Self { replica: url.filter(|u| !u.is_empty()), ..Self::new(limits) }
    }

    /// A new session id: random, then this replica's URL (base64url) when there are replicas.
    pub(super) fn new_id(&self) -> String {
        let random = uuid::Uuid::new_v4().to_string();
        match &self.replica {
            Some(url) => {
                let tag = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, url);
                format!("{random}.{tag}")
            }
            None => random,
        }
    }

    /// The URL an id names as its owner, when that is not this replica and the session is not here.
    /// The caller must still check that the URL is a listed replica (`peers`): ids come from callers.
    pub fn owner_elsewhere(&self, id: &str) -> Option<String> {
        if self.lock().contains_key(id) {
            return None;
        }
        let (_, tag) = id.split_once('.')?;
        let bytes = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, tag).ok()?;
        let url = String::from_utf8(bytes).ok()?;
        let plausible = (url.starts_with("http://") || url.starts_with("https://")) && url.len() <= 256;
        (plausible && self.replica.as_deref() != Some(url.as_str())).then_some(url)
    }

    /// Takes a slot for a new session, or RESOURCE_EXHAUSTED when open and starting sessions already fill
    /// the limit. Checked and taken under the registry's lock, so concurrent starts cannot overshoot.
    pub(super) fn reserve(&self, owner: &str) -> Result<Slot<'_>> {
        let map = self.lock();
        let starting = self.starting.load(std::sync::atomic::Ordering::SeqCst);
        if map.len() + starting >= self.limits.max_sessions {
            return Err(Error::ResourceExhausted(format!(
                "{} exec sessions are open, the most allowed; end one (TerminateExecSession) or wait",
                self.limits.max_sessions
            )));
        }
        let mut by = self.starting_by.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mine = map.values().filter(|s| s.owner == owner).count() + by.get(owner).copied().unwrap_or(0);
        if mine >= self.limits.max_sessions_per_caller {
            return Err(Error::ResourceExhausted(format!(
                "this caller already has {mine} exec sessions, the most allowed per caller; end one \
                 (TerminateExecSession) or wait"
            )));
        }
        *by.entry(owner.to_string()).or_insert(0) += 1;
        self.starting.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        drop(by);
        drop(map);
        Ok(Slot { sessions: self, owner: owner.to_string() })
    }

    /// Registers a started session in place of its slot.
    pub(super) fn register(&self, slot: Slot<'_>, session: Arc<Session>) {
        let mut map = self.lock();
        map.insert(session.id.clone(), session);
        open_sessions(map.len());
        // The slot's drop releases the reservation while the map already counts the session.
        drop(slot);
        drop(map);
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, HashMap<String, Arc<Session>>> {
        self.map.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(super) fn get(&self, id: &str) -> Result<Arc<Session>> {
        self.lock().get(id).cloned().ok_or_else(|| {
            Error::NotFound(format!(
                "exec session {id:?} does not exist (it ended, or its grace period passed)"
            ))
        })
    }

    pub(super) fn remove(&self, id: &str) {
        let mut map = self.lock();
        map.remove(id);
        open_sessions(map.len());
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
