//! Watching pods: a stream of changes that survives watch expiry and relists.

use std::collections::HashMap;
use std::time::Duration;

use futures::{Stream, StreamExt as _};
use k8s_openapi::api::core::v1 as core;
use kube::api::{Api, ListParams};
use kube::runtime::watcher;
use kubegate_proto::v1 as pb;

use super::view::summary;
use crate::error::{Error, Result};
use crate::state::State;

/// Watches pods: a stream of changes that survives watch expiry and 410 (the watcher relists and the
/// differences are reported as ordinary events), ending when the receiver is dropped. Served from the
/// namespace's shared watch when it is in step and the selector is one kubegate evaluates.
pub async fn watch(
    state: &State,
    request: pb::WatchPodsRequest,
) -> Result<std::pin::Pin<Box<dyn Stream<Item = Result<pb::WatchPodsResponse>> + Send + 'static>>> {
    let namespace = state.namespace(&request.namespace).await?;
    let client = state.client().await?;
    if let Some(selector) = crate::podcache::Selector::parse(&request.label_selector) {
        let cached = state.pod_cache().namespace(&client, &namespace);
        if cached.ready().await {
            return Ok(Box::pin(crate::podcache::fanout::subscribe(
                cached,
                selector,
                request.send_initial_pods,
            )));
        }
    }
    let api: Api<core::Pod> = Api::namespaced(client, &namespace);
    // Fail fast on a bad selector or missing permission rather than inside the stream.
    let mut probe = ListParams::default().limit(1);
    if !request.label_selector.is_empty() {
        probe = probe.labels(&request.label_selector);
    }
    api.list_metadata(&probe).await?;
    let mut config = watcher::Config::default();
    if !request.label_selector.is_empty() {
        config = config.labels(&request.label_selector);
    }
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<pb::WatchPodsResponse>>(64);
    let send_initial = request.send_initial_pods;
    tokio::spawn(async move {
        let mut known: HashMap<String, String> = HashMap::new();
        let mut listing: Option<HashMap<String, core::Pod>> = None;
        let mut synced = false;
        let mut events = std::pin::pin!(watcher(api, config));
        let event = |kind: pb::WatchEventType, pod: Option<&core::Pod>| pb::WatchPodsResponse {
            r#type: kind as i32,
            pod: pod.map(summary),
        };
        loop {
            let next = tokio::select! {
                next = events.next() => next,
                () = tx.closed() => return,
            };
            let Some(next) = next else { return };
            let mut out = Vec::new();
            match next {
                Ok(watcher::Event::Init) => listing = Some(HashMap::new()),
                Ok(watcher::Event::InitApply(pod)) => {
                    if let Some(l) = listing.as_mut() {
                        l.insert(pod.metadata.name.clone().unwrap_or_default(), pod);
                    }
                }
                Ok(watcher::Event::InitDone) => {
                    let current = listing.take().unwrap_or_default();
                    let first = !synced;
                    for (name, pod) in &current {
                        let rv = pod.metadata.resource_version.clone().unwrap_or_default();
                        match known.get(name) {
                            None if !first || send_initial => {
                                out.push(event(pb::WatchEventType::Added, Some(pod)))
                            }
                            Some(old) if *old != rv && !first => {
                                out.push(event(pb::WatchEventType::Modified, Some(pod)))
                            }
                            _ => {}
                        }
                    }
                    let gone: Vec<String> =
                        known.keys().filter(|n| !current.contains_key(*n)).cloned().collect();
                    for name in gone {
                        let pod = core::Pod {
                            metadata: kube::api::ObjectMeta {
                                name: Some(name.clone()),
                                ..Default::default()
                            },
                            ..Default::default()
                        };
                        out.push(event(pb::WatchEventType::Deleted, Some(&pod)));
                        known.remove(&name);
                    }
                    for (name, pod) in &current {
                        known.insert(name.clone(), pod.metadata.resource_version.clone().unwrap_or_default());
                    }
                    if first {
                        synced = true;
                        if send_initial {
                            out.push(event(pb::WatchEventType::Synced, None));
                        }
                    }
                }
                Ok(watcher::Event::Apply(pod)) => {
                    let name = pod.metadata.name.clone().unwrap_or_default();
                    let rv = pod.metadata.resource_version.clone().unwrap_or_default();
                    let kind = if known.contains_key(&name) {
                        pb::WatchEventType::Modified
                    } else {
                        pb::WatchEventType::Added
                    };
                    if known.insert(name, rv.clone()).as_deref() != Some(rv.as_str()) {
                        out.push(event(kind, Some(&pod)));
                    }
                }
                Ok(watcher::Event::Delete(pod)) => {
                    known.remove(pod.metadata.name.as_deref().unwrap_or_default());
                    out.push(event(pb::WatchEventType::Deleted, Some(&pod)));
                }
                Err(e) => {
                    // The watcher retries by itself; only a refusal that will not heal ends the stream.
                    if let watcher::Error::InitialListFailed(kube::Error::Api(status))
                    | watcher::Error::WatchStartFailed(kube::Error::Api(status)) = &e
                        && matches!(status.code, 401 | 403 | 404)
                    {
                        let _ = tx.send(Err(Error::from(kube::Error::Api(status.clone())))).await;
                        return;
                    }
                    tracing::debug!(error = %e, "pod watch interrupted; resuming");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
            for item in out {
                if tx.send(Ok(item)).await.is_err() {
                    return;
                }
            }
        }
    });
    Ok(Box::pin(tokio_stream::wrappers::ReceiverStream::new(rx)))
}
