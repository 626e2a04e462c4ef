//! Watches on every cluster: a WatchPods stream across a cut connection, and one whose cluster forgot its
//! resourceVersion (the 410 of a compacted etcd), after which kubegate lists again.

mod support;

use kubegate_proto::v1::*;
use support::ScenarioStack;

async fn next(watch: &mut tonic::Streaming<WatchPodsResponse>) -> (i32, String) {
    use futures::StreamExt as _;
    let event = tokio::time::timeout(std::time::Duration::from_secs(60), watch.next())
        .await
        .expect("an event in time")
        .expect("the stream goes on")
        .expect("ok");
    (event.r#type, event.pod.map(|p| p.name).unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_a_watch_continues_across_a_cut_connection() {
    let s = ScenarioStack::start().await;
    let request = WatchPodsRequest {
        label_selector: "scenario=watch".into(),
        send_initial_pods: true,
        ..Default::default()
    };
    let mut watch = s.pods().watch_pods(request).await.expect("watch").into_inner();
    assert_eq!(next(&mut watch).await.0, WatchEventType::Synced as i32);
    // Every connection between kubegate and the cluster is cut; the watch resumes by itself.
    s.cut();
    s.running("sc-watch", &["sleep", "600"], &[("scenario", "watch")]).await;
    let mut seen = Vec::new();
    while !seen.contains(&(WatchEventType::Added as i32, "sc-watch".to_string())) {
        seen.push(next(&mut watch).await);
    }
    s.cut();
    s.delete("sc-watch").await;
    while !seen.contains(&(WatchEventType::Deleted as i32, "sc-watch".to_string())) {
        seen.push(next(&mut watch).await);
    }
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
    use futures::StreamExt as _;
    use k8s_openapi::api::core::v1::Pod;
    use kube::api::{Api, DeleteParams, ListParams, PostParams, WatchEvent, WatchParams};
    let s = ScenarioStack::start().await;
    let pods: Api<Pod> = Api::namespaced(s.kube.clone(), support::scenario::NAMESPACE);
    let now = DeleteParams { grace_period_seconds: Some(0), ..Default::default() };
    let request = WatchPodsRequest {
        label_selector: "scenario=relist".into(),
        send_initial_pods: true,
        ..Default::default()
    };
    let mut watch = s.pods().watch_pods(request).await.expect("watch").into_inner();
    assert_eq!(next(&mut watch).await.0, WatchEventType::Synced as i32);
    pods.create(&PostParams::default(), &relist_pod("sc-relist-gone")).await.expect("create");
    let mut seen = Vec::new();
    while !seen.contains(&(WatchEventType::Added as i32, "sc-relist-gone".to_string())) {
        seen.push(next(&mut watch).await);
    }
    let old = pods.list(&ListParams::default().limit(1)).await.expect("list").metadata.resource_version;
    let old = old.expect("a list's resourceVersion");

    // Out of kubegate's reach, one pod goes and one comes; then the cluster forgets every change so far.
    s.hold();
    pods.delete("sc-relist-gone", &now).await.expect("delete");
    pods.create(&PostParams::default(), &relist_pod("sc-relist-new")).await.expect("create");
    let everywhere: Api<Pod> = Api::all(s.kube.clone());
    support::eventually(60, "sc-relist-gone to be gone", || {
        let everywhere = everywhere.clone();
        async move {
            let named = ListParams::default().fields("metadata.name=sc-relist-gone");
            everywhere.list(&named).await.ok()?.items.is_empty().then_some(())
        }
    })
    .await;
    s.forget_history().await;
    s.release();

    // A watch from before is answered 410 Expired: kubegate's own resumed watch meets the same answer.
    let mut stale = pods.watch(&WatchParams::default(), &old).await.expect("the watch is answered").boxed();
    let first = tokio::time::timeout(std::time::Duration::from_secs(30), stale.next())
        .await
        .expect("an answer in time")
        .expect("one event")
        .expect("a well-formed event");
    match first {
        WatchEvent::Error(status) => assert_eq!((status.code, status.reason.as_str()), (410, "Expired")),
        other => panic!("expected the 410 ERROR event of an expired resourceVersion, got {other:?}"),
    }
    drop(stale);

    // kubegate lists again: its open stream reports what it missed, then goes on with live changes.
    for wanted in [(WatchEventType::Deleted, "sc-relist-gone"), (WatchEventType::Added, "sc-relist-new")] {
        while !seen.contains(&(wanted.0 as i32, wanted.1.to_string())) {
            seen.push(next(&mut watch).await);
        }
    }
    pods.delete("sc-relist-new", &now).await.expect("delete");
    while !seen.contains(&(WatchEventType::Deleted as i32, "sc-relist-new".to_string())) {
        seen.push(next(&mut watch).await);
    }
    s.stop().await;
}
