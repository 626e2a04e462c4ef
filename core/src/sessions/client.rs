//! Serving one client of a session from an output offset until the session exits or the client leaves.

use std::collections::VecDeque;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};

use futures::{Stream, StreamExt as _};
use kubegate_proto::v1 as pb;
use tokio::sync::mpsc;

use super::session::*;
use crate::error::Result;

/// Consecutive small pieces of one stream are copied together into one event up to this size; a larger
/// piece goes out alone, sharing the session buffer's memory (no copy).
pub(super) const COALESCE: usize = 32 * 1024;

/// The output of one event: a piece of the session buffer as it is, or small pieces copied together.
enum Data {
    Shared(Bytes),
    Merged(BytesMut),
}

impl Data {
    fn len(&self) -> usize {
        match self {
            Data::Shared(b) => b.len(),
            Data::Merged(m) => m.len(),
        }
    }

    fn into_bytes(self) -> Bytes {
        match self {
            Data::Shared(b) => b,
            Data::Merged(m) => m.freeze(),
        }
    }
}

/// What is buffered from offset `start` on, as events: (offset, stream, bytes). A client that fell behind
/// catches up in fewer messages when the pieces are small, and large pieces are never copied.
fn take(buffer: &VecDeque<Chunk>, start: u64) -> Vec<(u64, Channel, Bytes)> {
    let mut events: Vec<(u64, Channel, Data)> = Vec::new();
    for c in buffer.iter().filter(|c| c.offset + c.data.len() as u64 > start) {
        let skip = usize::try_from(start.saturating_sub(c.offset)).unwrap_or(0);
        let data = c.data.slice(skip.min(c.data.len())..);
        match events.last_mut() {
            Some((_, channel, last)) if *channel == c.channel && last.len() + data.len() <= COALESCE => {
                match last {
                    Data::Merged(merged) => merged.extend_from_slice(&data),
                    Data::Shared(shared) => {
                        let mut merged = BytesMut::with_capacity(shared.len() + data.len());
                        merged.extend_from_slice(shared);
                        merged.extend_from_slice(&data);
                        *last = Data::Merged(merged);
                    }
                }
            }
            _ => events.push((c.offset + skip as u64, c.channel, Data::Shared(data))),
        }
    }
    events.into_iter().map(|(at, channel, data)| (at, channel, data.into_bytes())).collect()
}

pub(super) fn event(kind: pb::exec_event::Kind) -> pb::ExecEvent {
    pb::ExecEvent { kind: Some(kind) }
}

/// Streams a session's events to a client from an output offset until the session exits or the client
/// leaves; then the session is detached (and expires after its grace period unless reattached).
pub(super) fn serve_client(
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
                let chunks = take(&inner.buffer, offset.max(oldest));
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
pub(super) fn detach(
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

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(offset: u64, channel: Channel, data: Bytes) -> Chunk {
        Chunk { offset, channel, data }
    }

    #[test]
    fn large_pieces_are_shared_and_small_ones_merged() {
        let large = Bytes::from(vec![7u8; COALESCE]);
        let buffer: VecDeque<Chunk> = [
            chunk(0, Channel::Stdout, Bytes::from_static(b"ab")),
            chunk(2, Channel::Stdout, Bytes::from_static(b"cd")),
            chunk(4, Channel::Stderr, Bytes::from_static(b"e")),
            chunk(5, Channel::Stdout, large.clone()),
            chunk(5 + COALESCE as u64, Channel::Stdout, Bytes::from_static(b"f")),
        ]
        .into();
        let events = take(&buffer, 1);
        let shape: Vec<(u64, Channel, usize)> = events.iter().map(|(at, c, d)| (*at, *c, d.len())).collect();
        assert_eq!(
            shape,
            [
                (1, Channel::Stdout, 3),
                (4, Channel::Stderr, 1),
                (5, Channel::Stdout, COALESCE),
                (5 + COALESCE as u64, Channel::Stdout, 1),
            ]
        );
        assert_eq!(events[0].2, Bytes::from_static(b"bcd"));
        // The large piece is the buffer's own memory, not a copy.
        assert_eq!(events[2].2.as_ptr(), large.as_ptr());
        // Part of a large piece is shared too.
        let alone: VecDeque<Chunk> = [chunk(5, Channel::Stdout, large.clone())].into();
        assert_eq!(take(&alone, 6)[0].2.as_ptr(), large[1..].as_ptr());
        assert!(take(&buffer, 6 + COALESCE as u64).is_empty());
    }
}
