//! A watch really answered with an expired resourceVersion: while kubegate's shared pod watch cannot
//! reach the API server, pods change and the cluster forgets its history, so the resumed watch is answered
//! with the 410 ERROR event (seen here by a client of its own). kubegate relists: its WatchPods stream
//! stays open, reports what it missed (a pod added, a pod deleted) and still delivers later changes.

mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use futures::StreamExt as _;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DeleteParams, ListParams, PostParams, WatchEvent, WatchParams};
use kubegate_proto::v1::{WatchEventType, WatchPodsRequest, WatchPodsResponse};

const NS: &str = "opencode-manager";
/// The path of the pod collection: the shared watch's list and watch requests, and pod reads.
const PODS_PATH: &str = "/api/v1/namespaces/opencode-manager/pods";

/// A pod with no command: it stays running without a process on the embedded cluster.
fn idle_pod(name: &str) -> Pod {
    serde_json::from_value(serde_json::json!({
        "metadata": {"name": name},
        "spec": {"containers": [{"name": "main", "image": "busybox:1.36"}]},
    }))
    .expect("a pod")
}

/// Reads the WatchPods stream until `wanted` (type, pod name) has been seen; returns everything read.
async fn until_seen(
    events: &mut tonic::Streaming<WatchPodsResponse>,
    seen: &mut BTreeSet<(i32, String)>,
    wanted: (WatchEventType, &str),
) {
    let wanted = (wanted.0 as i32, wanted.1.to_string());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !seen.contains(&wanted) {
        let event = tokio::time::timeout_at(deadline, events.next())
            .await
            .unwrap_or_else(|_| panic!("no {wanted:?} in time; seen {seen:?}"))
            .expect("the WatchPods stream stays open")
            .expect("an event, not an error");
        let name = event.pod.map(|p| p.name).unwrap_or_default();
        seen.insert((event.r#type, name));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_resource_version_is_answered_410_and_kubegate_relists_without_ending_the_watch() {
    let stack = support::stack().await;
    let pods: Api<Pod> = Api::namespaced(stack.cluster.client().await.expect("client"), NS);
    pods.create(&PostParams::default(), &idle_pod("before")).await.expect("create");

    let request = WatchPodsRequest { send_initial_pods: true, ..Default::default() };
    let mut events = stack.pods().watch_pods(request).await.expect("WatchPods").into_inner();
    let mut seen = BTreeSet::new();
    until_seen(&mut events, &mut seen, (WatchEventType::Synced, "")).await;
    assert!(seen.contains(&(WatchEventType::Added as i32, "before".into())), "{seen:?}");
    let old = pods.list(&ListParams::default()).await.expect("list").metadata.resource_version;
    let old = old.expect("a list resourceVersion");

    // kubegate's watch ends and cannot come back while pods change behind its back; then the cluster
    // forgets every change so far, as a compacted etcd does.
    stack.cluster.faults().fail_requests(Some("GET"), PODS_PATH, 503, None);
    stack.cluster.faults().end_watches();
    pods.create(&PostParams::default(), &idle_pod("during")).await.expect("create");
    pods.delete("before", &DeleteParams::default()).await.expect("delete");
    // Read across namespaces: that path is not the failing one.
    let everywhere: Api<Pod> = Api::all(stack.cluster.client().await.expect("client"));
    support::eventually(20, "before to be gone", || {
        let everywhere = everywhere.clone();
        async move {
            let named = ListParams::default().fields("metadata.name=before");
            everywhere.list(&named).await.ok()?.items.is_empty().then_some(())
        }
    })
    .await;
    stack.cluster.compact_history();
    // Every list from here on is kubegate's.
    let lists = stack.cluster.traffic().requests("list", "pods");
    stack.cluster.faults().clear();

    // A watch from the old resourceVersion is answered with the 410 ERROR event.
    let mut stale = pods.watch(&WatchParams::default(), &old).await.expect("the watch is answered").boxed();
    let first = tokio::time::timeout(Duration::from_secs(10), stale.next())
        .await
        .expect("an event in time")
        .expect("one event")
        .expect("a well-formed event");
    match first {
        WatchEvent::Error(status) => {
            assert_eq!(status.code, 410, "{status:?}");
            assert_eq!(status.reason, "Expired", "{status:?}");
        }
        other => panic!("expected the 410 ERROR event, got {other:?}"),
    }

    // kubegate got the same answer: it listed again, and the open stream reports what it missed.
    until_seen(&mut events, &mut seen, (WatchEventType::Deleted, "before")).await;
    until_seen(&mut events, &mut seen, (WatchEventType::Added, "during")).await;
    assert!(
        stack.cluster.traffic().requests("list", "pods") > lists,
        "kubegate relisted after the 410 (lists before: {lists})"
    );
    // And the same stream goes on with live changes.
    pods.create(&PostParams::default(), &idle_pod("after")).await.expect("create");
    until_seen(&mut events, &mut seen, (WatchEventType::Added, "after")).await;
    pods.delete("during", &DeleteParams::default()).await.expect("delete");
    until_seen(&mut events, &mut seen, (WatchEventType::Deleted, "during")).await;
    stack.stop().await;
}
