//! Watching pods through the shared watch of their namespace: any number of callers, one watch on the
//! Kubernetes API. Each caller gets Kubernetes' semantics for its selector: a pod entering it is ADDED,
//! leaving it DELETED; a caller that falls behind catches up from the cache's snapshot with the same
//! ordinary events, as after a relist.

use std::collections::HashMap;
use std::sync::Arc;

use futures::Stream;
use kubegate_proto::v1 as pb;
use tokio::sync::broadcast::error::RecvError;

use super::cache::{Change, Entry, Namespace};
use super::selector::Selector;
use crate::error::{Error, Result};

fn event(kind: pb::WatchEventType, entry: Option<&Entry>) -> pb::WatchPodsResponse {
    pb::WatchPodsResponse { r#type: kind as i32, pod: entry.map(|e| e.summary.clone()) }
}

fn version(entry: &Entry) -> u64 {
    entry.version.parse().unwrap_or(0)
}

/// What one caller has been told: the pods matching its selector, by name, with their versions.
struct Told {
    selector: Selector,
    known: HashMap<String, u64>,
}

impl Told {
    /// The event a change means for this caller, if any.
    fn change(&mut self, change: &Change) -> Option<pb::WatchPodsResponse> {
        match change {
            Change::Upsert(entry) => {
                let now = version(entry);
                match (self.known.get(&entry.name).copied(), self.selector.matches(&entry.labels)) {
                    // Stale or repeated (a change already seen through a catch-up).
                    (Some(told), true) if now <= told => None,
                    (Some(_), true) => {
                        self.known.insert(entry.name.clone(), now);
                        Some(event(pb::WatchEventType::Modified, Some(entry)))
                    }
                    (None, true) => {
                        self.known.insert(entry.name.clone(), now);
                        Some(event(pb::WatchEventType::Added, Some(entry)))
                    }
                    (Some(_), false) => {
                        self.known.remove(&entry.name);
                        Some(event(pb::WatchEventType::Deleted, Some(entry)))
                    }
                    (None, false) => None,
                }
            }
            Change::Removed(entry) => {
                self.known.remove(&entry.name).map(|_| event(pb::WatchEventType::Deleted, Some(entry)))
            }
        }
    }

    /// The events that bring this caller from what it was told to `now`.
    fn catch_up(&mut self, now: &[Arc<Entry>]) -> Vec<pb::WatchPodsResponse> {
        let present: HashMap<&str, &Arc<Entry>> = now.iter().map(|e| (e.name.as_str(), e)).collect();
        let gone: Vec<String> =
            self.known.keys().filter(|n| !present.contains_key(n.as_str())).cloned().collect();
        let mut out = Vec::new();
        for name in gone {
            self.known.remove(&name);
            let entry = Entry::named(&name);
            out.push(event(pb::WatchEventType::Deleted, Some(&entry)));
        }
        for entry in now {
            out.extend(self.change(&Change::Upsert(entry.clone())));
        }
        out
    }
}

/// The caller's stream of changes in `ns` for `selector`; with `send_initial`, the matching pods first as
/// ADDED and then SYNCED.
pub fn subscribe(
    ns: Arc<Namespace>,
    selector: Selector,
    send_initial: bool,
) -> impl Stream<Item = Result<pb::WatchPodsResponse>> + Send + 'static {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<pb::WatchPodsResponse>>(64);
    tokio::spawn(async move {
        let (now, mut changes) = ns.subscribe();
        let mut told = Told { selector, known: HashMap::new() };
        let mut initial = told.catch_up(&now);
        if send_initial {
            initial.push(event(pb::WatchEventType::Synced, None));
        } else {
            initial.clear();
        }
        for item in initial {
            if tx.send(Ok(item)).await.is_err() {
                return;
            }
        }
        loop {
            let received = tokio::select! {
                received = changes.recv() => received,
                () = ns.stopped() => Err(RecvError::Closed),
                () = tx.closed() => return,
            };
            let out = match received {
                Ok(change) => told.change(&change).into_iter().collect(),
                Err(RecvError::Lagged(_)) => told.catch_up(&ns.snapshot()),
                Err(RecvError::Closed) => {
                    let restarted = Error::Unavailable(
                        "the pod watch was restarted (the Kubernetes connection changed); watch again".into(),
                    );
                    let _ = tx.send(Err(restarted)).await;
                    return;
                }
            };
            for item in out {
                if tx.send(Ok(item)).await.is_err() {
                    return;
                }
            }
        }
    });
    tokio_stream::wrappers::ReceiverStream::new(rx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pb::WatchEventType;

    fn entry(name: &str, version: u64, labels: &[(&str, &str)]) -> Arc<Entry> {
        let pod: k8s_openapi::api::core::v1::Pod = serde_json::from_value(serde_json::json!({
            "metadata": {
                "name": name,
                "resourceVersion": version.to_string(),
                "labels": labels.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect::<HashMap<_, _>>(),
            }
        }))
        .expect("a pod");
        Arc::new(Entry::of(&pod))
    }

    fn kinds(events: &[pb::WatchPodsResponse]) -> Vec<(i32, String)> {
        events
            .iter()
            .map(|e| (e.r#type, e.pod.as_ref().map(|p| p.name.clone()).unwrap_or_default()))
            .collect()
    }

    fn told(selector: &str) -> Told {
        Told { selector: Selector::parse(selector).expect("a selector"), known: HashMap::new() }
    }

    #[test]
    fn a_caller_that_fell_behind_catches_up_with_ordinary_events_and_no_repeats() {
        let mut caller = told("");
        caller.catch_up(&[entry("a", 1, &[]), entry("b", 2, &[])]);
        // Meanwhile: a changed, b went, c came.
        let now = [entry("a", 5, &[]), entry("c", 6, &[])];
        let events = caller.catch_up(&now);
        let deleted = WatchEventType::Deleted as i32;
        let modified = WatchEventType::Modified as i32;
        let added = WatchEventType::Added as i32;
        assert_eq!(kinds(&events), vec![(deleted, "b".into()), (modified, "a".into()), (added, "c".into())]);
        // The changes the channel still held arrive afterwards: nothing is repeated or undone.
        assert!(caller.change(&Change::Upsert(entry("a", 3, &[]))).is_none(), "an older state is not sent");
        assert!(
            caller.change(&Change::Upsert(entry("a", 5, &[]))).is_none(),
            "the same state is not sent twice"
        );
        assert!(
            caller.change(&Change::Removed(entry("b", 4, &[]))).is_none(),
            "b's removal was told already"
        );
    }

    #[test]
    fn a_selector_sees_pods_enter_and_leave_it() {
        let mut caller = told("tier=front");
        assert!(caller.change(&Change::Upsert(entry("p", 1, &[("tier", "back")]))).is_none());
        let entered = caller.change(&Change::Upsert(entry("p", 2, &[("tier", "front")]))).expect("entered");
        assert_eq!(entered.r#type, WatchEventType::Added as i32);
        let left = caller.change(&Change::Upsert(entry("p", 3, &[("tier", "back")]))).expect("left");
        assert_eq!(left.r#type, WatchEventType::Deleted as i32);
        assert!(caller.change(&Change::Removed(entry("p", 4, &[("tier", "back")]))).is_none());
    }
}
