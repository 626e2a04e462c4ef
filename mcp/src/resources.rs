//! Pod logs as MCP resources, `kubegate://pods/{namespace}/{name}/logs`: listed from ListPods, read with
//! GetPodLogs (a query may narrow the read: `?tail_lines=N&since_seconds=S&container=C`), and followed
//! with FollowPodLogs for a subscription (`subscriptions/listen`, or `resources/subscribe` before protocol
//! 2026-07-28), which is told of new lines at most once a second.

use std::collections::HashSet;
use std::time::Duration;

use futures::StreamExt as _;
use rmcp::model::{
    CacheScope, ListResourceTemplatesResult, ListResourcesResult, ReadResourceResult, Resource,
    ResourceContents, ResourceTemplate, ResourceUpdatedNotificationParam,
};
use rmcp::service::SubscriptionContext;
use rmcp::{ErrorData, Peer, RoleServer};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use kubegate_proto::v1 as pb;

use crate::Upstream;
use crate::output;
use crate::reply::code_name;

/// The URI template of a pod's logs.
pub const TEMPLATE: &str = "kubegate://pods/{namespace}/{name}/logs";

/// Lines read when the URI names no `tail_lines`.
const DEFAULT_TAIL_LINES: i64 = 1000;

/// A parsed pod log URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogUri {
    /// The pod's namespace.
    pub namespace: String,
    /// The pod's name.
    pub name: String,
    /// The container; empty means the pod's default.
    pub container: String,
    /// Only the last lines.
    pub tail_lines: Option<i64>,
    /// Only lines of the last seconds.
    pub since_seconds: Option<i64>,
}

impl LogUri {
    /// Parses `kubegate://pods/{namespace}/{name}/logs[?query]`; the error says what is wrong.
    pub fn parse(uri: &str) -> Result<Self, String> {
        let expected = || format!("{uri:?} is not a pod log URI: expected {TEMPLATE}");
        let rest = uri.strip_prefix("kubegate://pods/").ok_or_else(expected)?;
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let parts: Vec<&str> = path.split('/').collect();
        let [namespace, name, "logs"] = parts.as_slice() else { return Err(expected()) };
        if namespace.is_empty() || name.is_empty() {
            return Err(expected());
        }
        let mut parsed = Self {
            namespace: (*namespace).to_string(),
            name: (*name).to_string(),
            container: String::new(),
            tail_lines: None,
            since_seconds: None,
        };
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let number = || value.parse::<i64>().map_err(|_| format!("{key}={value:?} is not a number"));
            match key {
                "tail_lines" => parsed.tail_lines = Some(number()?),
                "since_seconds" => parsed.since_seconds = Some(number()?),
                "container" => parsed.container = value.to_string(),
                other => return Err(format!("unknown query parameter {other:?} in {uri:?}")),
            }
        }
        Ok(parsed)
    }

    /// The URI of a pod's logs.
    pub fn of(namespace: &str, name: &str) -> String {
        format!("kubegate://pods/{namespace}/{name}/logs")
    }
}

fn error_of(status: &tonic::Status) -> ErrorData {
    let message = format!("{}: {}", code_name(status.code()), status.message());
    match status.code() {
        tonic::Code::NotFound => ErrorData::resource_not_found(message, None),
        tonic::Code::InvalidArgument => ErrorData::invalid_params(message, None),
        _ => ErrorData::internal_error(message, None),
    }
}

/// The template of log resources.
pub fn templates() -> ListResourceTemplatesResult {
    ListResourceTemplatesResult::with_all_items(vec![
        ResourceTemplate::new(TEMPLATE, "pod-logs")
            .with_title("Pod logs")
            .with_description(
                "The log of a pod's container (the last 1000 lines unless the query says otherwise: \
                 ?tail_lines=N, ?since_seconds=S, ?container=NAME). Subscribe to be told of new lines.",
            )
            .with_mime_type("text/plain"),
    ])
}

/// The log resources of the pods in the configured namespace.
pub async fn list(upstream: &Upstream) -> Result<ListResourcesResult, ErrorData> {
    let request = pb::ListPodsRequest { page_size: 200, ..Default::default() };
    let pods = upstream.pods().list_pods(request).await.map_err(|s| error_of(&s))?.into_inner().pods;
    let resources = pods
        .iter()
        .map(|p| {
            let phase = pb::PodPhase::try_from(p.phase).unwrap_or(pb::PodPhase::Unspecified);
            let phase = kubegate_proto::convert::pod_phase_name(phase);
            Resource::new(LogUri::of(&p.namespace, &p.name), format!("{}/{} logs", p.namespace, p.name))
                .with_description(format!("The log of pod {}/{} ({phase}).", p.namespace, p.name))
                .with_mime_type("text/plain")
        })
        .collect();
    // Pods come and go: a listing is never served from a cache.
    Ok(ListResourcesResult::with_all_items(resources).with_ttl_ms(0).with_cache_scope(CacheScope::Private))
}

/// Reads a log resource, cut in the middle past `limit` bytes.
pub async fn read(upstream: &Upstream, uri: &str, limit: usize) -> Result<ReadResourceResult, ErrorData> {
    let target = LogUri::parse(uri).map_err(|e| ErrorData::invalid_params(e, None))?;
    let request = pb::GetPodLogsRequest {
        namespace: target.namespace.clone(),
        name: target.name.clone(),
        options: Some(pb::LogOptions {
            container: target.container.clone(),
            tail_lines: target.tail_lines.or(Some(DEFAULT_TAIL_LINES)),
            since_seconds: target.since_seconds,
            ..Default::default()
        }),
    };
    let content = upstream.pods().get_pod_logs(request).await.map_err(|s| error_of(&s))?.into_inner().content;
    let text = output::text_of(&content);
    let text = output::cut_middle(
        &text,
        limit,
        "read less with ?tail_lines=N or ?since_seconds=S, or use the pod_logs tool",
    );
    Ok(ReadResourceResult::new(vec![
        ResourceContents::text(text.into_owned(), uri).with_mime_type("text/plain"),
    ])
    .with_ttl_ms(0)
    .with_cache_scope(CacheScope::Private))
}

/// Follows `uris` until `stop` is cancelled, sending a URI on the returned channel when its pod wrote new
/// lines (at most once a second per URI: the client reads the resource to see them).
fn updates(upstream: Upstream, uris: Vec<String>, stop: CancellationToken) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel(16);
    tokio::spawn(async move {
        let mut streams = futures::stream::SelectAll::new();
        for uri in uris {
            let Ok(target) = LogUri::parse(&uri) else { continue };
            let request = pb::FollowPodLogsRequest {
                namespace: target.namespace,
                name: target.name,
                // Only what is written from now on: the client reads the resource for what came before.
                options: Some(pb::LogOptions {
                    container: target.container,
                    tail_lines: Some(0),
                    ..Default::default()
                }),
            };
            match upstream.pods().follow_pod_logs(request).await {
                Ok(stream) => {
                    let uri = uri.clone();
                    streams.push(stream.into_inner().map(move |event| (uri.clone(), event)).boxed());
                }
                Err(status) => tracing::debug!(%uri, %status, "a subscribed pod log cannot be followed"),
            }
        }
        let mut changed: HashSet<String> = HashSet::new();
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tokio::select! {
                () = stop.cancelled() => return,
                next = streams.next(), if !streams.is_empty() => match next {
                    Some((uri, Ok(event))) => {
                        if matches!(event.event, Some(pb::follow_pod_logs_response::Event::Data(_))) {
                            changed.insert(uri);
                        }
                    }
                    Some((uri, Err(status))) => tracing::debug!(%uri, %status, "following a pod log ended"),
                    None => {}
                },
                _ = tick.tick() => {
                    for uri in changed.drain() {
                        if tx.send(uri).await.is_err() {
                            return;
                        }
                    }
                }
            }
        }
    });
    rx
}

/// Serves a `subscriptions/listen` (protocol 2026-07-28): every accepted log URI is followed until the
/// subscription ends.
pub async fn listen(upstream: &Upstream, context: SubscriptionContext) -> Result<(), ErrorData> {
    let uris = context.accepted().resource_subscriptions.clone().unwrap_or_default();
    let stop = CancellationToken::new();
    let _stop = stop.clone().drop_guard();
    let mut updated = updates(upstream.clone(), uris, stop);
    loop {
        tokio::select! {
            () = context.cancelled() => return Ok(()),
            uri = updated.recv() => match uri {
                Some(uri) => {
                    if context.sink().notify_resource_updated(uri).await.is_err() {
                        // The client is gone or stopped listening.
                        return Ok(());
                    }
                }
                // Every log ended (their pods are gone); the subscription stays until the client ends it.
                None => {
                    context.cancelled().await;
                    return Ok(());
                }
            },
        }
    }
}

/// Serves a `resources/subscribe` (protocols before 2026-07-28): the log is followed until `stop` is
/// cancelled (an unsubscribe, or the end of the session) or the client is gone.
pub fn subscribe(upstream: &Upstream, uri: String, peer: Peer<RoleServer>, stop: CancellationToken) {
    let mut updated = updates(upstream.clone(), vec![uri], stop.clone());
    tokio::spawn(async move {
        while let Some(uri) = updated.recv().await {
            if peer.notify_resource_updated(ResourceUpdatedNotificationParam::new(uri)).await.is_err() {
                stop.cancel();
                return;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_uris_parse_with_and_without_a_query() {
        let plain = LogUri::parse("kubegate://pods/ns/web/logs").expect("plain");
        assert_eq!((plain.namespace.as_str(), plain.name.as_str(), plain.tail_lines), ("ns", "web", None));
        let narrowed = LogUri::parse("kubegate://pods/ns/web/logs?tail_lines=5&since_seconds=60&container=c")
            .expect("query");
        assert_eq!((narrowed.tail_lines, narrowed.since_seconds), (Some(5), Some(60)));
        assert_eq!(narrowed.container, "c");
        assert!(LogUri::parse("kubegate://pods/ns/web").is_err());
        assert!(LogUri::parse("kubegate://pods//web/logs").is_err());
        assert!(LogUri::parse("kubegate://pods/ns/web/logs?tail_lines=x").is_err());
        assert!(LogUri::parse("file:///etc/passwd").is_err());
    }
}
