//! The object store: every object as JSON, one global resourceVersion counter, and a bounded history of
//! changes so that a watch can resume from a recent resourceVersion (and gets 410 Gone when it is older).

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{Value, json};
use tokio::sync::broadcast;

use super::kinds::Kind;
use super::status::ApiError;

/// How many past changes are kept for watches resuming from an older resourceVersion.
const HISTORY: usize = 10_000;
/// How many changes a slow watcher may fall behind before it is ended with 410.
const FAN_OUT: usize = 4_096;

/// The type of a watch event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    /// An object was created.
    Added,
    /// An object changed.
    Modified,
    /// An object was removed.
    Deleted,
}

impl EventType {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "ADDED",
            Self::Modified => "MODIFIED",
            Self::Deleted => "DELETED",
        }
    }
}

/// One change, as watches see it.
#[derive(Debug)]
pub struct Change {
    /// The resourceVersion the change produced.
    pub rv: u64,
    /// The plural resource of the object.
    pub resource: &'static str,
    /// The object's namespace (empty for cluster-scoped objects).
    pub namespace: String,
    /// What happened.
    pub event: EventType,
    /// The object after the change (for a deletion, its last state with the new resourceVersion).
    pub object: Value,
}

type Key = (&'static str, String, String);

struct Inner {
    rv: u64,
    objects: BTreeMap<Key, Value>,
    history: VecDeque<Arc<Change>>,
}

/// The store. Cheap to share behind an `Arc`.
pub struct Store {
    inner: Mutex<Inner>,
    changes: broadcast::Sender<Arc<Change>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

/// A page of a list.
#[derive(Debug)]
pub struct Page {
    /// The objects.
    pub items: Vec<Value>,
    /// The list's resourceVersion.
    pub rv: u64,
    /// The continue token, empty on the last page.
    pub continue_token: String,
}

/// A watch's starting point: the changes to replay and the live feed after them.
pub struct Subscription {
    /// Changes newer than the requested resourceVersion, oldest first.
    pub replay: Vec<Arc<Change>>,
    /// Live changes after the replay.
    pub live: broadcast::Receiver<Arc<Change>>,
    /// The store's resourceVersion when the watch started.
    pub rv: u64,
}

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}

/// The current time as Kubernetes writes timestamps (RFC 3339, seconds, `Z`).
pub fn now_rfc3339() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl Store {
    /// An empty store.
    pub fn new() -> Self {
        let (changes, _) = broadcast::channel(FAN_OUT);
        Self {
            inner: Mutex::new(Inner { rv: 1, objects: BTreeMap::new(), history: VecDeque::new() }),
            changes,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves the map consistent (every write is a single insert), so a
        // poisoned lock is still safe to use.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn record(&self, inner: &mut Inner, kind: &Kind, namespace: &str, event: EventType, object: Value) {
        let change = Arc::new(Change {
            rv: inner.rv,
            resource: kind.resource,
            namespace: namespace.to_string(),
            event,
            object,
        });
        inner.history.push_back(change.clone());
        while inner.history.len() > HISTORY {
            inner.history.pop_front();
        }
        // No receivers is fine.
        let _ = self.changes.send(change);
    }

    /// The current resourceVersion.
    pub fn resource_version(&self) -> u64 {
        self.lock().rv
    }

    /// Stores a new object, filling in server-set metadata. 409 if the name is taken.
    pub fn create(&self, kind: &Kind, namespace: &str, mut object: Value) -> Result<Value, ApiError> {
        let name = object["metadata"]["name"].as_str().unwrap_or_default().to_string();
        let mut inner = self.lock();
        let key = (kind.resource, namespace.to_string(), name.clone());
        if inner.objects.contains_key(&key) {
            return Err(ApiError::already_exists(kind.resource, kind.group, &name));
        }
        inner.rv += 1;
        let meta = &mut object["metadata"];
        if kind.namespaced {
            meta["namespace"] = json!(namespace);
        } else if let Some(m) = meta.as_object_mut() {
            m.remove("namespace");
        }
        meta["uid"] = json!(uuid::Uuid::new_v4().to_string());
        meta["resourceVersion"] = json!(inner.rv.to_string());
        meta["creationTimestamp"] = json!(now_rfc3339());
        meta["generation"] = json!(1);
        object["kind"] = json!(kind.kind);
        object["apiVersion"] = json!(kind.api_version());
        inner.objects.insert(key, object.clone());
        self.record(&mut inner, kind, namespace, EventType::Added, object.clone());
        Ok(object)
    }

    /// One object.
    pub fn get(&self, kind: &Kind, namespace: &str, name: &str) -> Option<Value> {
        self.lock().objects.get(&(kind.resource, namespace.to_string(), name.to_string())).cloned()
    }

    /// Whether a namespace exists.
    pub fn namespace_exists(&self, name: &str) -> bool {
        self.get(&super::kinds::NAMESPACES, "", name).is_some()
    }

    /// Lists objects of a kind, in one namespace or all (`None`), that pass `filter`, a page at a time.
    pub fn list(
        &self,
        kind: &Kind,
        namespace: Option<&str>,
        filter: &dyn Fn(&Value) -> bool,
        limit: Option<usize>,
        continue_token: Option<&str>,
    ) -> Result<Page, ApiError> {
        let after = match continue_token.filter(|t| !t.is_empty()) {
            Some(token) => Some(decode_continue(token)?),
            None => None,
        };
        let inner = self.lock();
        let mut items = Vec::new();
        let mut next = String::new();
        let range = inner.objects.range((kind.resource, String::new(), String::new())..);
        for ((resource, ns, name), object) in range {
            if *resource != kind.resource {
                break;
            }
            if namespace.is_some_and(|wanted| wanted != ns) {
                continue;
            }
            if let Some((after_ns, after_name)) = &after
                && (ns, name) <= (after_ns, after_name)
            {
                continue;
            }
            if !filter(object) {
                continue;
            }
            if limit.is_some_and(|l| items.len() >= l) {
                // There is at least one more: the token points after the last returned item.
                let last: &Value = items.last().unwrap_or(object);
                next = encode_continue(
                    last["metadata"]["namespace"].as_str().unwrap_or_default(),
                    last["metadata"]["name"].as_str().unwrap_or_default(),
                );
                break;
            }
            items.push(object.clone());
        }
        Ok(Page { items, rv: inner.rv, continue_token: next })
    }

    /// Changes an object in place through `change`, bumping its resourceVersion. When `expected_rv` is
    /// given and differs from the stored one, 409 Conflict. Returns the new object.
    pub fn update(
        &self,
        kind: &Kind,
        namespace: &str,
        name: &str,
        expected_rv: Option<&str>,
        change: impl FnOnce(&mut Value) -> Result<(), ApiError>,
    ) -> Result<Value, ApiError> {
        let mut inner = self.lock();
        let key = (kind.resource, namespace.to_string(), name.to_string());
        let Some(current) = inner.objects.get(&key) else {
            return Err(ApiError::not_found(kind.resource, kind.group, name));
        };
        if let Some(expected) = expected_rv.filter(|e| !e.is_empty())
            && current["metadata"]["resourceVersion"].as_str() != Some(expected)
        {
            return Err(ApiError::conflict(kind.resource, kind.group, name));
        }
        let mut object = current.clone();
        change(&mut object)?;
        if object == *current {
            // Nothing changed: no new resourceVersion, no event, as a real API server does.
            return Ok(object);
        }
        inner.rv += 1;
        object["metadata"]["resourceVersion"] = json!(inner.rv.to_string());
        inner.objects.insert(key, object.clone());
        self.record(&mut inner, kind, namespace, EventType::Modified, object.clone());
        Ok(object)
    }

    /// Removes an object and returns its last state. What it owns stays: collecting that is the garbage
    /// collector's business (`kubelet::removal`), since owned pods must stop through the kubelet.
    pub fn remove(&self, kind: &Kind, namespace: &str, name: &str) -> Result<Value, ApiError> {
        self.remove_where(kind, namespace, name, None)
    }

    /// Removes an object only while it is the one with `uid`: a later object of the same name is left
    /// alone (404 then, as for an object that is gone).
    pub fn remove_uid(&self, kind: &Kind, namespace: &str, name: &str, uid: &str) -> Result<Value, ApiError> {
        self.remove_where(kind, namespace, name, Some(uid))
    }

    fn remove_where(
        &self,
        kind: &Kind,
        namespace: &str,
        name: &str,
        uid: Option<&str>,
    ) -> Result<Value, ApiError> {
        let mut inner = self.lock();
        let key = (kind.resource, namespace.to_string(), name.to_string());
        let same = inner
            .objects
            .get(&key)
            .is_some_and(|o| uid.is_none_or(|uid| o["metadata"]["uid"].as_str() == Some(uid)));
        if !same {
            return Err(ApiError::not_found(kind.resource, kind.group, name));
        }
        let Some(mut object) = inner.objects.remove(&key) else {
            return Err(ApiError::not_found(kind.resource, kind.group, name));
        };
        inner.rv += 1;
        object["metadata"]["resourceVersion"] = json!(inner.rv.to_string());
        self.record(&mut inner, kind, namespace, EventType::Deleted, object.clone());
        Ok(object)
    }

    /// The objects of a namespace (cluster-scoped ones for `""`) that name `owner_uid` in their
    /// `ownerReferences`, as (resource, name).
    pub fn dependents(&self, namespace: &str, owner_uid: &str) -> Vec<(&'static str, String)> {
        if owner_uid.is_empty() {
            return Vec::new();
        }
        self.lock()
            .objects
            .iter()
            .filter(|((_, ns, _), _)| ns == namespace)
            .filter(|(_, o)| {
                o["metadata"]["ownerReferences"]
                    .as_array()
                    .is_some_and(|refs| refs.iter().any(|r| r["uid"].as_str() == Some(owner_uid)))
            })
            .map(|((resource, _, name), _)| (*resource, name.clone()))
            .collect()
    }

    /// Starts a watch from a resourceVersion: 410 when it is older than the kept history.
    pub fn subscribe(&self, from_rv: u64) -> Result<Subscription, ApiError> {
        let inner = self.lock();
        let oldest_known = inner.history.front().map_or(inner.rv, |c| c.rv.saturating_sub(1));
        if from_rv < oldest_known {
            return Err(ApiError::gone(format!("too old resource version: {from_rv} ({oldest_known})")));
        }
        let replay = inner.history.iter().filter(|c| c.rv > from_rv).cloned().collect();
        // Subscribing under the lock means no change falls between the replay and the live feed.
        Ok(Subscription { replay, live: self.changes.subscribe(), rv: inner.rv })
    }

    /// Forgets history up to the current resourceVersion, so that older watches get 410 (fault injection).
    pub fn compact(&self) {
        self.lock().history.clear();
    }
}

fn encode_continue(namespace: &str, name: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json!([namespace, name]).to_string())
}

fn decode_continue(token: &str) -> Result<(String, String), ApiError> {
    use base64::Engine as _;
    let invalid =
        || ApiError::bad_request("continue key is not valid: the token was not issued by this server");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token).map_err(|_| invalid())?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    match (value[0].as_str(), value[1].as_str()) {
        (Some(ns), Some(name)) => Ok((ns.to_string(), name.to_string())),
        _ => Err(invalid()),
    }
}
