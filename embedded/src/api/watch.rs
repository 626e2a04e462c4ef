//! Watches: the initial events or the replay from a resourceVersion, then live changes, bookmarks, and
//! the 410 a real API server sends (as an ERROR event) for a resourceVersion that is too old.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::StreamExt as _;
use serde_json::{Value, json};

use super::crud::{Filters, list_matching};
use super::request::{Target, is_true};
use crate::cluster::Cluster;
use crate::faults;
use crate::kinds::Kind;
use crate::status::{ApiError, ApiResult};
use crate::store::{Change, Subscription};

/// One event of a watch, as a line of JSON.
fn event_line(event_type: &str, object: &Value) -> Bytes {
    let mut line = json!({"type": event_type, "object": object}).to_string();
    line.push('\n');
    Bytes::from(line)
}

/// Whether a change is of the watched resource, in the watched namespace.
fn relevant(change: &Change, target: &Target) -> bool {
    change.resource == target.kind.resource
        && (target.namespace.is_empty() || !target.kind.namespaced || change.namespace == target.namespace)
}

/// Serves a watch request as a stream of JSON events, one per line.
pub async fn watch(
    cluster: Arc<Cluster>,
    target: &Target,
    query: &HashMap<String, String>,
) -> ApiResult<Response> {
    let filters = Filters::parse(target, query)?;
    let from: Option<u64> = match query.get("resourceVersion").map(String::as_str) {
        None | Some("" | "0") => None,
        Some(rv) => {
            Some(rv.parse().map_err(|_| ApiError::bad_request(format!("invalid resource version {rv:?}")))?)
        }
    };
    let send_initial = is_true(query, "sendInitialEvents");
    let options = StreamOptions {
        send_initial_end: send_initial,
        bookmarks: is_true(query, "allowWatchBookmarks"),
        timeout: query
            .get("timeoutSeconds")
            .and_then(|t| t.parse::<u64>().ok())
            .map_or(Duration::from_secs(1800), Duration::from_secs),
    };

    let mut initial = Vec::new();
    let subscription = match from {
        Some(rv) if !send_initial => match cluster.store.subscribe(rv) {
            Ok(subscription) => subscription,
            // As a real API server does, a watch from a resourceVersion that is too old is answered
            // 200 with one ERROR event carrying the 410 Status, so clients relist.
            Err(gone) => {
                let line = event_line("ERROR", &gone.body);
                let stream = futures::stream::once(async move { Ok::<_, std::io::Error>(line) });
                return Ok((
                    StatusCode::OK,
                    [(header::CONTENT_TYPE, "application/json")],
                    Body::from_stream(stream),
                )
                    .into_response());
            }
        },
        _ => {
            // Start from "now" with a synthetic ADDED per existing object. Subscribing first and listing
            // after means a change in between is seen twice at worst, never lost; replays skip it by RV.
            let subscription = cluster.store.subscribe(cluster.store.resource_version())?;
            initial = list_matching(&cluster, target, &filters, None, None)?.items;
            subscription
        }
    };
    let kind = target.kind;
    let target = target.clone();
    let mut ender = cluster.faults.watch_ender();
    let stream = stream_events(
        initial,
        subscription,
        move |change: &Change| relevant(change, &target) && filters.matches(kind.resource, &change.object),
        kind,
        options,
        async move { faults::fired(&mut ender).await },
    );
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], Body::from_stream(stream))
        .into_response())
}

/// What a watch request asks of its stream.
struct StreamOptions {
    /// End the initial events with the `k8s.io/initial-events-end` bookmark (`sendInitialEvents`).
    send_initial_end: bool,
    /// Send a bookmark with the latest resourceVersion every 30 seconds (`allowWatchBookmarks`).
    bookmarks: bool,
    /// When the server ends the watch (`timeoutSeconds`, 30 minutes by default).
    timeout: Duration,
}

/// The events of a watch: ADDED for each initial object, the replayed changes, then live changes that
/// `keep` accepts, until the timeout, `ended`, the client leaving, or the watcher falling too far behind
/// (410). A change already covered by what was sent (by resourceVersion) is not sent again.
fn stream_events(
    initial: Vec<Value>,
    subscription: Subscription,
    keep: impl Fn(&Change) -> bool + Send + 'static,
    kind: Kind,
    options: StreamOptions,
    ended: impl std::future::Future<Output = ()> + Send + 'static,
) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> + Send {
    let StreamOptions { send_initial_end, bookmarks, timeout } = options;
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(64);
    tokio::spawn(async move {
        let mut last_rv = subscription.rv;
        for object in initial {
            let rv: u64 =
                object["metadata"]["resourceVersion"].as_str().and_then(|r| r.parse().ok()).unwrap_or(0);
            last_rv = last_rv.max(rv);
            if tx.send(event_line("ADDED", &object)).await.is_err() {
                return;
            }
        }
        if send_initial_end {
            let bookmark = json!({
                "kind": kind.kind,
                "apiVersion": kind.api_version(),
                "metadata": {"resourceVersion": last_rv.to_string(), "annotations": {"k8s.io/initial-events-end": "true"}},
            });
            if tx.send(event_line("BOOKMARK", &bookmark)).await.is_err() {
                return;
            }
        }
        for change in subscription.replay {
            if keep(&change) && tx.send(event_line(change.event.as_str(), &change.object)).await.is_err() {
                return;
            }
            last_rv = last_rv.max(change.rv);
        }
        let mut live = subscription.live;
        let deadline = tokio::time::sleep(timeout);
        tokio::pin!(deadline);
        tokio::pin!(ended);
        let mut tick = tokio::time::interval(Duration::from_secs(30));
        tick.tick().await;
        loop {
            tokio::select! {
                () = &mut deadline => return,
                () = &mut ended => return,
                () = tx.closed() => return,
                _ = tick.tick(), if bookmarks => {
                    let bookmark = json!({"kind": kind.kind, "apiVersion": kind.api_version(), "metadata": {"resourceVersion": last_rv.to_string()}});
                    if tx.send(event_line("BOOKMARK", &bookmark)).await.is_err() { return; }
                }
                received = live.recv() => match received {
                    Ok(change) => {
                        if change.rv <= last_rv { continue; }
                        last_rv = change.rv;
                        if keep(&change) {
                            let line = event_line(change.event.as_str(), &change.object);
                            if tx.send(line).await.is_err() { return; }
                        }
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                        let status = ApiError::gone("the watcher fell too far behind; relist").body;
                        let _ = tx.send(event_line("ERROR", &status)).await;
                        return;
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                }
            }
        }
    });
    tokio_stream::wrappers::ReceiverStream::new(rx).map(Ok)
}
