//! A watch really answered with an expired resourceVersion: while kubegate's shared pod watch cannot
//! reach the API server, pods change and the cluster forgets its history, so the resumed watch is answered
//! with the 410 ERROR event (seen here by a client of its own). kubegate relists: its WatchPods stream
//! stays open, reports what it missed (a pod added, a pod deleted) and still delivers later changes.

mod support;

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DeleteParams, ListParams, PostParams};
use kubegate_proto::v1::WatchEventType;
use support::watch::{answered_expired, gone_everywhere, synced, until_seen};

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_resource_version_is_answered_410_and_kubegate_relists_without_ending_the_watch() {
    let stack = support::stack().await;
    let pods: Api<Pod> = Api::namespaced(stack.cluster.client().await.expect("client"), NS);
    pods.create(&PostParams::default(), &idle_pod("before")).await.expect("create");

    let (mut events, mut seen) = synced(stack.pods(), "").await;
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
    gone_everywhere(&stack.cluster.client().await.expect("client"), "before").await;
    stack.cluster.compact_history();
    // Every list from here on is kubegate's.
    let lists = stack.cluster.traffic().requests("list", "pods");
    stack.cluster.faults().clear();

    // A watch from the old resourceVersion is answered with the 410 ERROR event.
    answered_expired(&pods, &old).await;

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
