//! Watches on every cluster: a WatchPods stream across a cut connection, and one whose cluster forgot its
//! resourceVersion (the 410 of a compacted etcd), after which kubegate lists again.

mod support;

use kubegate_proto::v1::*;
use support::ScenarioStack;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_a_watch_continues_across_a_cut_connection() {
    use support::watch::{synced, until_seen};
    let s = ScenarioStack::start().await;
    let (mut watch, mut seen) = synced(s.pods(), "scenario=watch").await;
    // Every connection between kubegate and the cluster is cut; the watch resumes by itself.
    s.cut();
    s.running("sc-watch", &["sleep", "600"], &[("scenario", "watch")]).await;
    until_seen(&mut watch, &mut seen, (WatchEventType::Added, "sc-watch")).await;
    s.cut();
    s.delete("sc-watch").await;
    until_seen(&mut watch, &mut seen, (WatchEventType::Deleted, "sc-watch")).await;
    s.stop().await;
}

/// A pod of busybox with the relist scenario's label, made behind kubegate's back.
fn relist_pod(name: &str) -> k8s_openapi::api::core::v1::Pod {
    serde_json::from_value(serde_json::json!({
        "metadata": {"name": name, "labels": {"scenario": "relist"}},
        "spec": {
            "containers": [{"name": "main", "image": "busybox:1.36", "command": ["sleep", "600"],
                            "imagePullPolicy": "IfNotPresent"}],
            "terminationGracePeriodSeconds": 0,
        },
    }))
    .expect("a pod")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_a_watch_relists_when_the_cluster_forgot_its_resource_version() {
    use k8s_openapi::api::core::v1::Pod;
    use kube::api::{Api, DeleteParams, ListParams, PostParams};
    use support::watch::{answered_expired, gone_everywhere, synced, until_seen};
    let s = ScenarioStack::start().await;
    let pods: Api<Pod> = Api::namespaced(s.kube.clone(), support::scenario::NAMESPACE);
    let now = DeleteParams { grace_period_seconds: Some(0), ..Default::default() };
    let (mut watch, mut seen) = synced(s.pods(), "scenario=relist").await;
    pods.create(&PostParams::default(), &relist_pod("sc-relist-gone")).await.expect("create");
    until_seen(&mut watch, &mut seen, (WatchEventType::Added, "sc-relist-gone")).await;
    let old = pods.list(&ListParams::default().limit(1)).await.expect("list").metadata.resource_version;
    let old = old.expect("a list's resourceVersion");

    // Out of kubegate's reach, one pod goes and one comes; then the cluster forgets every change so far.
    s.hold();
    pods.delete("sc-relist-gone", &now).await.expect("delete");
    pods.create(&PostParams::default(), &relist_pod("sc-relist-new")).await.expect("create");
    gone_everywhere(&s.kube, "sc-relist-gone").await;
    s.forget_history().await;
    s.release();

    // A watch from before is answered 410 Expired: kubegate's own resumed watch meets the same answer.
    answered_expired(&pods, &old).await;

    // kubegate lists again: its open stream reports what it missed, then goes on with live changes.
    until_seen(&mut watch, &mut seen, (WatchEventType::Deleted, "sc-relist-gone")).await;
    until_seen(&mut watch, &mut seen, (WatchEventType::Added, "sc-relist-new")).await;
    pods.delete("sc-relist-new", &now).await.expect("delete");
    until_seen(&mut watch, &mut seen, (WatchEventType::Deleted, "sc-relist-new")).await;
    s.stop().await;
}
