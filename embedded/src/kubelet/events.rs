//! The events a real node reports about its pods (the scheduler's `Scheduled`, then the kubelet's
//! `Pulled`, `Created`, `Started`, `Killing`, `BackOff` and `Failed`), as core `v1` Events that
//! `kubectl get events` and `kubectl describe pod` show. The cluster keeps the most recent
//! [`MAX_EVENTS`] (a real cluster keeps an hour's worth); older ones are removed as new ones come.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde_json::json;

use crate::kinds;
use crate::store::{Store, now_rfc3339};

/// How many events the cluster keeps.
pub const MAX_EVENTS: usize = 1000;

/// Whether an event is routine or worth a look.
#[derive(Debug, Clone, Copy)]
pub enum Level {
    /// `Normal`.
    Normal,
    /// `Warning`.
    Warning,
}

/// The pod an event is about.
#[derive(Debug, Clone, Copy)]
pub struct Involved<'a> {
    /// Its namespace.
    pub namespace: &'a str,
    /// Its name.
    pub name: &'a str,
    /// Its uid.
    pub uid: &'a str,
}

/// The events recorded, oldest first, so that the oldest go when there are too many.
#[derive(Debug)]
pub struct Recorder {
    node: &'static str,
    kept: Mutex<VecDeque<(String, String)>>,
}

impl Recorder {
    /// A recorder for the node named `node`.
    pub fn new(node: &'static str) -> Self {
        Self { node, kept: Mutex::new(VecDeque::new()) }
    }

    /// Records an event about `pod` (and its container, when the event is about one).
    pub fn pod(
        &self,
        store: &Store,
        pod: Involved<'_>,
        container: Option<&str>,
        level: Level,
        reason: &str,
        message: String,
    ) {
        let now = now_rfc3339();
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let name = format!("{}.{stamp:x}", pod.name);
        let component = if reason == "Scheduled" { "default-scheduler" } else { "kubelet" };
        let mut involved = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "namespace": pod.namespace,
            "name": pod.name,
            "uid": pod.uid,
        });
        if let Some(container) = container {
            involved["fieldPath"] = json!(format!("spec.containers{{{container}}}"));
        }
        let event = json!({
            "metadata": {"name": name},
            "involvedObject": involved,
            "reason": reason,
            "message": message,
            "type": match level { Level::Normal => "Normal", Level::Warning => "Warning" },
            "source": {"component": component, "host": self.node},
            "reportingComponent": component,
            "reportingInstance": self.node,
            "firstTimestamp": now,
            "lastTimestamp": now,
            "count": 1,
        });
        if store.create(&kinds::EVENTS, pod.namespace, event).is_err() {
            return;
        }
        let Ok(mut kept) = self.kept.lock() else { return };
        kept.push_back((pod.namespace.to_string(), name));
        while kept.len() > MAX_EVENTS {
            if let Some((namespace, old)) = kept.pop_front() {
                let _ = store.remove(&kinds::EVENTS, &namespace, &old);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_most_recent_events_are_kept() {
        let store = Store::new();
        let recorder = Recorder::new("node-1");
        let pod = Involved { namespace: "opencode-manager", name: "chatty", uid: "uid-1" };
        for i in 0..MAX_EVENTS + 5 {
            recorder.pod(&store, pod, Some("c"), Level::Normal, "Started", format!("event {i}"));
        }
        let page = store.list(&kinds::EVENTS, Some("opencode-manager"), &|_| true, None, None).expect("list");
        assert_eq!(page.items.len(), MAX_EVENTS);
        let messages: Vec<&str> = page.items.iter().filter_map(|e| e["message"].as_str()).collect();
        assert!(!messages.contains(&"event 4"), "the oldest went");
        assert!(
            messages.contains(&"event 5") && messages.contains(&format!("event {}", MAX_EVENTS + 4).as_str())
        );
        assert_eq!(page.items[0]["involvedObject"]["fieldPath"], "spec.containers{c}");
        assert_eq!(page.items[0]["source"], json!({"component": "kubelet", "host": "node-1"}));
    }
}
