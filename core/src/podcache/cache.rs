//! A watch-fed cache of pods: one shared list-and-watch per namespace (as informers do), started by the
//! first read there, serving GetPod, ListPods and WatchPods without a call to Kubernetes each.
//!
//! Each pod is read once per change: its summary is built when the change arrives, its JSON is kept as the
//! API server sent it, and every read hands out the same `Arc`. Reads see kubegate's own writes: a write notes the resourceVersion it
//! produced, and a read waits (briefly) until the watch has applied it; if the watch lags or cannot run
//! (no `watch` permission, the API server away), reads go to Kubernetes directly, as before.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use futures::StreamExt as _;
use k8s_openapi::api::core::v1 as core;
use kube::api::Api;
use kube::runtime::watcher;
use kubegate_proto::v1 as pb;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

use super::sent::SentPod;
use crate::pods::view::summary;

/// How long a first read waits for a namespace's initial list before going to Kubernetes itself.
const FIRST_SYNC: Duration = Duration::from_secs(5);
/// How long a read waits for the watch to apply kubegate's own latest write there.
const OWN_WRITE: Duration = Duration::from_secs(1);
/// How many changes a slow subscriber may fall behind before it catches up from the snapshot.
const CHANGES: usize = 1024;
/// How long a namespace whose watch was refused is served directly before trying again.
const REFUSED_RETRY: Duration = Duration::from_secs(30);

/// One pod as the cache keeps it: read once, handed out shared.
#[derive(Debug)]
pub struct Entry {
    /// The pod's name.
    pub name: String,
    /// What callers see of it.
    pub summary: pb::Pod,
    /// Its JSON as the API server sent it (GetPod returns it); the typed pod is not kept.
    json: Arc<str>,
    /// Its labels, for selectors.
    pub labels: BTreeMap<String, String>,
    /// Its phase as Kubernetes names it (`Unknown` when it has none).
    pub phase: String,
    /// Its resourceVersion.
    pub version: String,
}

impl Entry {
    /// The pod's JSON, every field the API server sent.
    pub fn json(&self) -> Arc<str> {
        self.json.clone()
    }

    /// The pod itself, read again from its JSON.
    pub fn pod(&self) -> Option<core::Pod> {
        serde_json::from_str(&self.json).ok()
    }

    /// A pod known only by its name (one that went while a subscriber was not looking).
    pub fn named(name: &str) -> Self {
        let pod = core::Pod {
            metadata: kube::api::ObjectMeta { name: Some(name.to_string()), ..Default::default() },
            ..Default::default()
        };
        Self::of(&pod)
    }

    /// A pod kubegate holds typed (its JSON is written from the type).
    pub(super) fn of(pod: &core::Pod) -> Self {
        Self::sent(SentPod { json: serde_json::to_string(pod).unwrap_or_default().into(), pod: pod.clone() })
    }

    /// A pod as the API server sent it.
    pub(super) fn sent(sent: SentPod) -> Self {
        let pod = sent.pod;
        Self {
            name: pod.metadata.name.clone().unwrap_or_default(),
            summary: summary(&pod),
            json: sent.json,
            phase: pod.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_else(|| "Unknown".into()),
            version: pod.metadata.resource_version.clone().unwrap_or_default(),
            labels: pod.metadata.labels.unwrap_or_default(),
        }
    }
}

/// A change the shared watch applied, as subscribers receive it.
#[derive(Debug, Clone)]
pub enum Change {
    /// A pod appeared or changed.
    Upsert(Arc<Entry>),
    /// A pod is gone (its last state).
    Removed(Arc<Entry>),
}

#[derive(Debug, Clone, Default)]
struct Progress {
    /// The first list has been applied.
    synced: bool,
    /// The highest resourceVersion applied.
    applied: u64,
    /// The watch was refused for good (permissions): serve directly.
    refused: bool,
}

/// One namespace's shared watch and what it has seen.
#[derive(Debug)]
pub struct Namespace {
    pods: RwLock<BTreeMap<String, Arc<Entry>>>,
    progress: tokio::sync::watch::Sender<Progress>,
    changes: broadcast::Sender<Change>,
    written: AtomicU64,
    started: tokio::time::Instant,
    stop: CancellationToken,
}

/// The cache of every namespace read so far, for one Kubernetes client.
#[derive(Debug, Default)]
pub struct PodCache {
    namespaces: Mutex<HashMap<String, Arc<Namespace>>>,
}

fn version_number(version: &str) -> u64 {
    version.parse().unwrap_or(0)
}

impl PodCache {
    /// The namespace's shared watch, started on first use with `client`.
    pub fn namespace(&self, client: &kube::Client, name: &str) -> Arc<Namespace> {
        let Ok(mut namespaces) = self.namespaces.lock() else {
            // A poisoned lock means a panic elsewhere; serve this read without the cache's map.
            return Namespace::start(client.clone(), name);
        };
        if let Some(existing) = namespaces.get(name) {
            let progress = existing.progress.borrow().clone();
            if !(progress.refused && existing.started.elapsed() > REFUSED_RETRY) {
                return existing.clone();
            }
            existing.stop.cancel();
        }
        let started = Namespace::start(client.clone(), name);
        namespaces.insert(name.to_string(), started.clone());
        started
    }

    /// Notes a write kubegate made in `namespace` (the resourceVersion it produced), so that reads there
    /// wait until the watch has applied it.
    pub fn wrote(&self, namespace: &str, version: Option<&str>) {
        let Some(version) = version.map(version_number).filter(|v| *v > 0) else { return };
        if let Ok(namespaces) = self.namespaces.lock()
            && let Some(ns) = namespaces.get(namespace)
        {
            ns.written.fetch_max(version, Ordering::AcqRel);
        }
    }

    /// The namespace's shared watch, if one runs.
    pub fn existing(&self, namespace: &str) -> Option<Arc<Namespace>> {
        self.namespaces.lock().ok()?.get(namespace).cloned()
    }

    /// Stops every watch: the client changed.
    pub fn reset(&self) {
        if let Ok(mut namespaces) = self.namespaces.lock() {
            for ns in namespaces.values() {
                ns.stop.cancel();
            }
            namespaces.clear();
        }
    }
}

impl Drop for PodCache {
    fn drop(&mut self) {
        self.reset();
    }
}

impl Namespace {
    fn start(client: kube::Client, name: &str) -> Arc<Self> {
        let (changes, _) = broadcast::channel(CHANGES);
        let ns = Arc::new(Self {
            pods: RwLock::default(),
            progress: tokio::sync::watch::Sender::new(Progress::default()),
            changes,
            written: AtomicU64::new(0),
            started: tokio::time::Instant::now(),
            stop: CancellationToken::new(),
        });
        tokio::spawn(run(Arc::downgrade(&ns), client, ns.stop.clone(), name.to_string()));
        ns
    }

    /// Whether reads may be served from the cache now: the first list is in, the watch works, and it has
    /// applied kubegate's latest write here. Waits a little for either; `false` sends the read to
    /// Kubernetes.
    pub async fn ready(&self) -> bool {
        let written = self.written.load(Ordering::Acquire);
        {
            // The usual case, without a timer: in step already.
            let now = self.progress.borrow();
            if now.synced && now.applied >= written {
                return !now.refused;
            }
        }
        let mut progress = self.progress.subscribe();
        let limit = if progress.borrow().synced { OWN_WRITE } else { FIRST_SYNC };
        let waited = tokio::time::timeout(
            limit,
            progress.wait_for(|p| p.refused || (p.synced && p.applied >= written)),
        )
        .await;
        matches!(waited, Ok(Ok(p)) if !p.refused)
    }

    /// Completes when this namespace's watch is stopped (the client changed): subscribers end.
    pub async fn stopped(&self) {
        self.stop.cancelled().await;
    }

    /// Waits (at most `limit`) until the watch has seen the pod `name` go.
    pub async fn until_gone(&self, name: &str, limit: Duration) {
        let mut progress = self.progress.subscribe();
        let gone = |_: &Progress| self.pods.read().map(|p| !p.contains_key(name)).unwrap_or(true);
        let _ = tokio::time::timeout(limit, progress.wait_for(gone)).await;
    }

    /// The pod named `name`, if the cache has it.
    pub fn get(&self, name: &str) -> Option<Arc<Entry>> {
        self.pods.read().ok()?.get(name).cloned()
    }

    /// Every pod, in name order, from after `after` on, that `keep` accepts, at most `limit`; and whether
    /// more follow.
    pub fn page(&self, after: &str, limit: usize, keep: impl Fn(&Entry) -> bool) -> (Vec<Arc<Entry>>, bool) {
        let Ok(pods) = self.pods.read() else { return (Vec::new(), false) };
        let range = pods.range::<str, _>((std::ops::Bound::Excluded(after), std::ops::Bound::Unbounded));
        let range: Box<dyn Iterator<Item = (&String, &Arc<Entry>)>> =
            if after.is_empty() { Box::new(pods.iter()) } else { Box::new(range) };
        let mut matching = range.map(|(_, e)| e).filter(|e| keep(e));
        let page: Vec<Arc<Entry>> = matching.by_ref().take(limit).cloned().collect();
        let more = matching.next().is_some();
        (page, more)
    }

    /// The pods now and every change after them, taken together so that nothing falls between.
    pub fn subscribe(&self) -> (Vec<Arc<Entry>>, broadcast::Receiver<Change>) {
        let pods = self.pods.read();
        let receiver = self.changes.subscribe();
        let now = pods.map(|p| p.values().cloned().collect()).unwrap_or_default();
        (now, receiver)
    }

    /// The pods now.
    pub fn snapshot(&self) -> Vec<Arc<Entry>> {
        self.pods.read().map(|p| p.values().cloned().collect()).unwrap_or_default()
    }

    fn apply(&self, change: Change) {
        let version = match &change {
            Change::Upsert(e) | Change::Removed(e) => version_number(&e.version),
        };
        if let Ok(mut pods) = self.pods.write() {
            match &change {
                Change::Upsert(entry) => {
                    pods.insert(entry.name.clone(), entry.clone());
                }
                Change::Removed(entry) => {
                    pods.remove(&entry.name);
                }
            }
            // Sent under the lock, so that a subscriber's snapshot and its changes never overlap or part.
            let _ = self.changes.send(change);
        }
        self.progress.send_modify(|p| p.applied = p.applied.max(version));
    }

    /// Replaces everything after a (re)list, sending the differences as changes.
    fn relist(&self, listed: BTreeMap<String, Arc<Entry>>) {
        let newest = listed.values().map(|e| version_number(&e.version)).max().unwrap_or(0);
        if let Ok(mut pods) = self.pods.write() {
            for (name, old) in pods.iter() {
                if !listed.contains_key(name) {
                    let _ = self.changes.send(Change::Removed(old.clone()));
                }
            }
            for (name, new) in &listed {
                if pods.get(name).is_none_or(|old| old.version != new.version) {
                    let _ = self.changes.send(Change::Upsert(new.clone()));
                }
            }
            *pods = listed;
        }
        self.progress.send_modify(|p| {
            p.synced = true;
            p.applied = p.applied.max(newest);
        });
    }
}

/// Whether kubegate may list and watch pods in `namespace`, as the API server says (`None` when it
/// cannot say: then the watch itself finds out).
async fn may_watch(client: &kube::Client, namespace: &str) -> Option<bool> {
    use k8s_openapi::api::authorization::v1::{
        ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
    };
    let reviews: Api<SelfSubjectAccessReview> = Api::all(client.clone());
    for verb in ["list", "watch"] {
        let review = SelfSubjectAccessReview {
            spec: SelfSubjectAccessReviewSpec {
                resource_attributes: Some(ResourceAttributes {
                    namespace: Some(namespace.to_string()),
                    verb: Some(verb.to_string()),
                    resource: Some("pods".to_string()),
                    ..Default::default()
                }),
                ..Default::default()
            },
            ..Default::default()
        };
        let answer = reviews.create(&kube::api::PostParams::default(), &review).await.ok()?;
        if !answer.status.is_some_and(|s| s.allowed) {
            return Some(false);
        }
    }
    Some(true)
}

/// The shared watch of one namespace, until it is stopped or nobody holds the namespace any more.
async fn run(ns: std::sync::Weak<Namespace>, client: kube::Client, stop: CancellationToken, name: String) {
    // Without list and watch the cache could only go stale: reads go to Kubernetes from the start.
    if may_watch(&client, &name).await == Some(false) {
        tracing::info!(namespace = %name, "kubegate may not watch pods here; reads go to Kubernetes");
        if let Some(ns) = ns.upgrade() {
            ns.progress.send_modify(|p| p.refused = true);
        }
        return;
    }
    let api: Api<SentPod> = Api::namespaced(client, &name);
    let config = watcher::Config::default().page_size(500);
    let mut events = std::pin::pin!(watcher(api, config));
    let mut listing: Option<BTreeMap<String, Arc<Entry>>> = None;
    loop {
        let event = tokio::select! {
            event = events.next() => event,
            () = stop.cancelled() => return,
        };
        let (Some(event), Some(ns)) = (event, ns.upgrade()) else { return };
        match event {
            Ok(watcher::Event::Init) => listing = Some(BTreeMap::new()),
            Ok(watcher::Event::InitApply(pod)) => {
                if let Some(listing) = listing.as_mut() {
                    let entry = Arc::new(Entry::sent(pod));
                    listing.insert(entry.name.clone(), entry);
                }
            }
            Ok(watcher::Event::InitDone) => ns.relist(listing.take().unwrap_or_default()),
            Ok(watcher::Event::Apply(pod)) => ns.apply(Change::Upsert(Arc::new(Entry::sent(pod)))),
            Ok(watcher::Event::Delete(pod)) => ns.apply(Change::Removed(Arc::new(Entry::sent(pod)))),
            Err(e) => {
                if let watcher::Error::InitialListFailed(kube::Error::Api(status))
                | watcher::Error::WatchStartFailed(kube::Error::Api(status))
                | watcher::Error::WatchFailed(kube::Error::Api(status)) = &e
                    && matches!(status.code, 401 | 403)
                {
                    tracing::info!(namespace = %name, code = status.code, "the pod cache cannot watch here; reads go to Kubernetes");
                    ns.progress.send_modify(|p| p.refused = true);
                    return;
                }
                tracing::debug!(namespace = %name, error = %e, "the pod cache's watch was interrupted; resuming");
                drop(ns);
                tokio::select! {
                    () = tokio::time::sleep(Duration::from_millis(200)) => {}
                    () = stop.cancelled() => return,
                }
            }
        }
    }
}
