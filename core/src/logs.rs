//! Container logs: read at once, or followed as a stream that survives the Kubernetes connection
//! dropping by resuming from the last timestamp seen, without duplicated or lost lines.

use std::time::Duration;

use futures::{AsyncReadExt as _, Stream};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, LogParams};
use kubegate_proto::v1 as pb;

use crate::error::{Error, Result};
use crate::state::State;

/// Lines the unary call returns when the request names no tail, as the original did.
pub const DEFAULT_TAIL_LINES: i64 = 100;
/// The most bytes the unary call returns when the request names no limit.
pub const DEFAULT_LIMIT_BYTES: i64 = 10 * 1024 * 1024;
/// How many times in a row a followed stream reconnects before giving up.
const MAX_RECONNECTS: u32 = 20;

/// The longest piece of a followed log line kept at once: a longer line (a process writing without a
/// newline) is sent in pieces of this size instead of being held whole in memory.
pub const MAX_LINE_PIECE: usize = 64 * 1024;

/// The most a one-shot log read may return; larger amounts are for `FollowPodLogs`, which streams.
pub const MAX_LIMIT_BYTES: i64 = 16 * 1024 * 1024;

/// Reads up to and including the next newline, or `cap` bytes, whichever comes first. Returns how many
/// bytes were read (0 at the end of the stream).
async fn read_capped(
    reader: &mut (dyn futures::AsyncBufRead + Send + Unpin),
    buf: &mut Vec<u8>,
    cap: usize,
) -> std::io::Result<usize> {
    use futures::AsyncBufReadExt as _;
    loop {
        let available = reader.fill_buf().await?;
        if available.is_empty() {
            return Ok(buf.len());
        }
        let room = cap.saturating_sub(buf.len());
        let window = &available[..available.len().min(room)];
        let (take, ended) = match window.iter().position(|b| *b == b'\n') {
            Some(i) => (i + 1, true),
            None => (window.len(), false),
        };
        buf.extend_from_slice(&window[..take]);
        reader.consume_unpin(take);
        if ended || buf.len() >= cap {
            return Ok(buf.len());
        }
    }
}

fn params(options: &pb::LogOptions, container: String) -> Result<LogParams> {
    if options.since_seconds.is_some() && options.since_time.is_some() {
        return Err(Error::invalid("options.since_time", "set since_seconds or since_time, not both"));
    }
    if options.since_seconds.is_some_and(|s| s < 1) {
        return Err(Error::invalid("options.since_seconds", "must be at least 1"));
    }
    if options.tail_lines.is_some_and(|t| t < 0) {
        return Err(Error::invalid("options.tail_lines", "must not be negative"));
    }
    if options.limit_bytes.is_some_and(|l| l < 1) {
        return Err(Error::invalid("options.limit_bytes", "must be at least 1"));
    }
    let since_time = match &options.since_time {
        Some(t) => Some(
            jiff::Timestamp::new(t.seconds, t.nanos)
                .map_err(|e| Error::invalid("options.since_time", e.to_string()))?,
        ),
        None => None,
    };
    Ok(LogParams {
        container: Some(container),
        follow: false,
        limit_bytes: options.limit_bytes,
        pretty: false,
        previous: options.previous,
        since_seconds: options.since_seconds,
        since_time,
        tail_lines: options.tail_lines,
        timestamps: options.timestamps,
    })
}

/// Finds the pod and the container a request means: NOT_FOUND for a missing pod, INVALID_ARGUMENT for
/// a container it does not have.
pub async fn resolve_container(
    api: &Api<Pod>,
    pod: &str,
    requested: &str,
    own: Option<&(String, String)>,
) -> Result<(Pod, String)> {
    let object = api.get(pod).await?;
    // kubegate's own pods hold its credentials: no caller reads their logs or runs commands in them.
    crate::policy::refuse_own_pod(&object, own, "read or run commands in")?;
    let names: Vec<String> = object
        .spec
        .as_ref()
        .map(|s| s.containers.iter().map(|c| c.name.clone()).collect())
        .unwrap_or_default();
    let container = if requested.is_empty() {
        if names.iter().any(|n| n == crate::pods::DEFAULT_CONTAINER) || names.len() != 1 {
            crate::pods::DEFAULT_CONTAINER.to_string()
        } else {
            names[0].clone()
        }
    } else {
        requested.to_string()
    };
    if !names.contains(&container) {
        return Err(Error::invalid(
            "container",
            format!("pod {pod:?} has no container {container:?}; its containers are {}", names.join(", ")),
        ));
    }
    Ok((object, container))
}

/// Reads a container's log at once.
pub async fn get(state: &State, request: pb::GetPodLogsRequest) -> Result<Vec<u8>> {
    let namespace = state.namespace(&request.namespace).await?;
    let api: Api<Pod> = Api::namespaced(state.client().await?, &namespace);
    let options = request.options.unwrap_or_default();
    if options.limit_bytes.is_some_and(|l| l > MAX_LIMIT_BYTES) {
        return Err(Error::invalid(
            "options.limit_bytes",
            format!("at most {MAX_LIMIT_BYTES} bytes are read at once; follow the logs for more"),
        ));
    }
    let (_, container) = resolve_container(&api, &request.name, &options.container, state.own_pod()).await?;
    let mut params = params(&options, container)?;
    params.tail_lines = params.tail_lines.or(Some(DEFAULT_TAIL_LINES));
    let limit = params.limit_bytes.unwrap_or(DEFAULT_LIMIT_BYTES);
    params.limit_bytes = Some(limit);
    let reader = api.log_stream(&request.name, &params).await?;
    let mut content = Vec::new();
    reader
        .take(u64::try_from(limit).unwrap_or(u64::MAX))
        .read_to_end(&mut content)
        .await
        .map_err(|e| Error::Unavailable(format!("the log stream broke: {e}")))?;
    Ok(content)
}

/// Splits a timestamped log line into its timestamp and the rest.
fn split_timestamp(line: &[u8]) -> Option<(jiff::Timestamp, &[u8])> {
    let space = line.iter().position(|b| *b == b' ')?;
    let time = std::str::from_utf8(&line[..space]).ok()?.parse::<jiff::Timestamp>().ok()?;
    Some((time, &line[space + 1..]))
}

/// Where a followed stream is: the last timestamp sent and how many lines carried exactly it.
#[derive(Debug, Default, Clone, Copy)]
struct Position {
    last: Option<jiff::Timestamp>,
    at_last: usize,
}

impl Position {
    /// Whether a line was already sent before a reconnect (it is at or before the position).
    fn seen(&self, time: jiff::Timestamp, skipped_at_last: &mut usize) -> bool {
        match self.last {
            Some(last) if time < last => true,
            Some(last) if time == last && *skipped_at_last < self.at_last => {
                *skipped_at_last += 1;
                true
            }
            _ => false,
        }
    }

    fn advance(&mut self, time: jiff::Timestamp) {
        if self.last == Some(time) {
            self.at_last += 1;
        } else {
            self.last = Some(time);
            self.at_last = 1;
        }
    }
}

/// Follows a container's log. Chunks of whole lines are sent on a bounded channel, so a slow client slows
/// the reading from Kubernetes instead of filling memory; the stream ends when the container ends, the
/// limit is reached, or the client leaves.
pub async fn follow(
    state: &State,
    request: pb::FollowPodLogsRequest,
) -> Result<impl Stream<Item = Result<pb::FollowPodLogsResponse>> + Send + 'static> {
    let namespace = state.namespace(&request.namespace).await?;
    let api: Api<Pod> = Api::namespaced(state.client().await?, &namespace);
    let options = request.options.unwrap_or_default();
    let (_, container) = resolve_container(&api, &request.name, &options.container, state.own_pod()).await?;
    let mut base = params(&options, container.clone())?;
    base.follow = true;
    let caller_wants_timestamps = base.timestamps;
    // Timestamps are always asked for: they are how a reconnect finds its place.
    base.timestamps = true;
    let first = api.log_stream(&request.name, &base).await?;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<pb::FollowPodLogsResponse>>(8);
    let name = request.name.clone();
    tokio::spawn(async move {
        let mut position = Position::default();
        let mut budget = base.limit_bytes.map(|l| u64::try_from(l).unwrap_or(u64::MAX));
        let mut reader: Box<dyn futures::AsyncBufRead + Send + Unpin> = Box::new(first);
        let mut reconnects = 0u32;
        loop {
            let mut skipped_at_last = 0usize;
            let mut line = Vec::new();
            // Within a line longer than the cap: whether its first piece was sent (its rest follows it).
            let mut continuing: Option<bool> = None;
            let outcome = loop {
                line.clear();
                match read_capped(&mut reader, &mut line, MAX_LINE_PIECE).await {
                    Ok(0) => break Ok(()),
                    Ok(_) => {}
                    Err(e) => break Err(e),
                }
                reconnects = 0;
                let whole = line.last() == Some(&b'\n');
                let mut out = if let Some(send) = continuing {
                    continuing = (!whole).then_some(send);
                    if !send {
                        continue;
                    }
                    line.clone()
                } else {
                    let (time, rest) = match split_timestamp(&line) {
                        Some(parsed) => parsed,
                        None => continue,
                    };
                    let send = !position.seen(time, &mut skipped_at_last);
                    continuing = (!whole).then_some(send);
                    if !send {
                        continue;
                    }
                    position.advance(time);
                    if caller_wants_timestamps { line.clone() } else { rest.to_vec() }
                };
                if let Some(left) = budget.as_mut() {
                    let take = out.len().min(usize::try_from(*left).unwrap_or(usize::MAX));
                    out.truncate(take);
                    *left -= take as u64;
                }
                let message =
                    pb::FollowPodLogsResponse { event: Some(pb::follow_pod_logs_response::Event::Data(out)) };
                if tx.send(Ok(message)).await.is_err() {
                    return;
                }
                if budget == Some(0) {
                    let end = pb::follow_pod_logs_response::Event::End(pb::LogEndReason::LimitReached as i32);
                    let _ = tx.send(Ok(pb::FollowPodLogsResponse { event: Some(end) })).await;
                    return;
                }
            };
            // The stream ended: the container is done, or the connection dropped while it still runs. Right
            // after a drop the next request may meet the same broken connection: retried like the stream.
            let pod = match retried(&mut reconnects, || api.get_opt(&name)).await {
                Ok(Some(pod)) => pod,
                Ok(None) => {
                    let end = pb::follow_pod_logs_response::Event::End(pb::LogEndReason::PodDeleted as i32);
                    let _ = tx.send(Ok(pb::FollowPodLogsResponse { event: Some(end) })).await;
                    return;
                }
                Err(e) => {
                    let _ = tx.send(Err(Error::from(e))).await;
                    return;
                }
            };
            if !container_running(&pod, &container) && outcome.is_ok() {
                let end = pb::follow_pod_logs_response::Event::End(pb::LogEndReason::ContainerExited as i32);
                let _ = tx.send(Ok(pb::FollowPodLogsResponse { event: Some(end) })).await;
                return;
            }
            reconnects += 1;
            if reconnects > MAX_RECONNECTS {
                let _ =
                    tx.send(Err(Error::Unavailable("the log stream kept breaking; giving up".into()))).await;
                return;
            }
            tracing::debug!(pod = %name, ?outcome, "log stream interrupted; resuming from the last line");
            tokio::time::sleep(Duration::from_millis(100 * u64::from(reconnects))).await;
            let mut resume = base.clone();
            if let Some(last) = position.last {
                // sinceTime has one-second precision on the wire, and kube-rs rounds it to the nearest
                // second: truncating first keeps the whole second, and lines already sent are skipped.
                resume.since_time = jiff::Timestamp::from_second(last.as_second()).ok();
                resume.since_seconds = None;
                resume.tail_lines = None;
            }
            match retried(&mut reconnects, || api.log_stream(&name, &resume)).await {
                Ok(next) => reader = Box::new(next),
                Err(e) => {
                    let _ = tx.send(Err(Error::from(e))).await;
                    return;
                }
            }
        }
    });
    Ok(tokio_stream::wrappers::ReceiverStream::new(rx))
}

/// Runs `call`, again after a pause while it fails for want of a connection (not for an answer of the API
/// server), counting each retry against the follow's reconnect budget.
async fn retried<T, F, Fut>(reconnects: &mut u32, mut call: F) -> kube::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = kube::Result<T>>,
{
    loop {
        match call().await {
            Err(kube::Error::Api(status)) => return Err(kube::Error::Api(status)),
            Err(e) if *reconnects < MAX_RECONNECTS => {
                *reconnects += 1;
                tracing::debug!(error = %e, "a Kubernetes request of a followed log failed; retrying");
                tokio::time::sleep(Duration::from_millis(100 * u64::from(*reconnects))).await;
            }
            other => return other,
        }
    }
}

fn container_running(pod: &Pod, container: &str) -> bool {
    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("Unknown");
    if phase == "Succeeded" || phase == "Failed" {
        return false;
    }
    pod.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .and_then(|all| all.iter().find(|c| c.name == container))
        .is_none_or(|c| c.state.as_ref().is_none_or(|s| s.terminated.is_none()))
}
