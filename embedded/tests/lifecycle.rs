//! Pods over their whole life as the kubelet sees it: a name reused right after a quick delete, pods
//! collected with their owner, and specs a real API server refuses.

mod support;

use std::time::Duration;

use k8s_openapi::api::core::v1::{Pod, Service};
use kube::Api;
use kube::api::{DeleteParams, PostParams};
use serde_json::json;
use support::{NS, pod, wait_phase};

#[tokio::test]
async fn a_pod_recreated_right_after_a_quick_delete_is_kept_and_runs() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    let now = DeleteParams { grace_period_seconds: Some(0), ..DeleteParams::default() };
    // Half of the rounds reuse the name of a pod whose process still runs, half of one that has ended.
    let command = |round: usize| if round.is_multiple_of(2) { vec!["sleep", "100"] } else { vec!["true"] };
    let mut uid =
        pods.create(&PostParams::default(), &pod("again", &command(0))).await.expect("create").metadata.uid;
    for round in 1..=40_usize {
        let wanted = if !round.is_multiple_of(2) { "Running" } else { "Succeeded" };
        let current = wait_phase(&pods, "again", wanted).await;
        assert_eq!(current.metadata.uid, uid, "round {round}: the pod created last is the one stored");
        pods.delete("again", &now).await.expect("delete");
        uid = pods
            .create(&PostParams::default(), &pod("again", &command(round)))
            .await
            .expect("recreate")
            .metadata
            .uid;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let last = pods.get("again").await.expect("the last pod is still there");
    assert_eq!(last.metadata.uid, uid);
    cluster.shutdown().await;
}

#[tokio::test]
async fn a_pod_collected_with_its_owner_stops_its_process() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let services: Api<Service> = Api::namespaced(client.clone(), NS);
    let service: Service = serde_json::from_value(json!({
        "metadata": {"name": "owner"},
        "spec": {"ports": [{"port": 80}]},
    }))
    .expect("service");
    let owner = services.create(&PostParams::default(), &service).await.expect("owner");
    let argv = ["sleep", "987651"];
    let mut owned = pod("owned", &argv);
    owned.metadata.owner_references = Some(vec![
        serde_json::from_value(json!({
            "apiVersion": "v1", "kind": "Service", "name": "owner", "uid": owner.metadata.uid,
        }))
        .expect("owner reference"),
    ]);
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    let owned = pods.create(&PostParams::default(), &owned).await.expect("owned pod");
    // The pod owns a Service in turn, as kubegate's previews do: it goes when the pod is removed.
    let grandchild: Service = serde_json::from_value(json!({
        "metadata": {"name": "owned-by-pod", "ownerReferences": [
            {"apiVersion": "v1", "kind": "Pod", "name": "owned", "uid": owned.metadata.uid},
        ]},
        "spec": {"ports": [{"port": 80}]},
    }))
    .expect("service");
    services.create(&PostParams::default(), &grandchild).await.expect("owned service");
    wait_phase(&pods, "owned", "Running").await;
    let pids = support::eventually(5, "the owned pod's process", || async {
        Some(support::pids_running(&argv)).filter(|p| !p.is_empty())
    })
    .await;

    services.delete("owner", &DeleteParams::default()).await.expect("delete the owner");
    support::eventually(10, "the owned pod's process to end", || async {
        pids.iter().all(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists()).then_some(())
    })
    .await;
    support::eventually(10, "the owned pod to go", || async {
        pods.get("owned").await.is_err().then_some(())
    })
    .await;
    support::eventually(5, "the pod's own service to go", || async {
        services.get("owned-by-pod").await.is_err().then_some(())
    })
    .await;
    cluster.shutdown().await;
}

#[tokio::test]
async fn two_containers_of_one_name_are_refused_as_a_real_server_refuses_them() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    let twins: Pod = serde_json::from_value(json!({
        "metadata": {"name": "twins"},
        "spec": {"containers": [
            {"name": "main", "image": "busybox", "command": ["sleep", "1"]},
            {"name": "main", "image": "busybox", "command": ["sleep", "2"]},
        ]},
    }))
    .expect("pod");
    let error = pods.create(&PostParams::default(), &twins).await.expect_err("refused");
    let kube::Error::Api(status) = error else { panic!("expected a Status, got {error}") };
    assert_eq!((status.code, status.reason.as_str()), (422, "Invalid"));
    assert_eq!(
        status.message,
        "Pod \"twins\" is invalid: spec.containers[1].name: Duplicate value: \"main\""
    );
    let cause = status.details.and_then(|d| d.causes.into_iter().next()).expect("a cause");
    assert_eq!(
        (cause.reason.as_str(), cause.field.as_str()),
        ("FieldValueDuplicate", "spec.containers[1].name")
    );
    assert!(pods.get("twins").await.is_err(), "nothing was stored");
    cluster.shutdown().await;
}
