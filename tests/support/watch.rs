//! Watching pods in tests: a WatchPods stream read until an event has been seen, a pod waited for until it
//! is gone from the whole cluster, and a Kubernetes watch from a forgotten resourceVersion answered 410.

use std::collections::BTreeSet;
use std::time::Duration;

use futures::StreamExt as _;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams, WatchEvent, WatchParams};
use kubegate_proto::v1::pod_service_client::PodServiceClient;
use kubegate_proto::v1::{WatchEventType, WatchPodsRequest, WatchPodsResponse};

/// What a WatchPods stream delivered so far: (event type, pod name).
pub type Seen = BTreeSet<(i32, String)>;

/// Opens a WatchPods stream of the pods `selector` matches, the initial pods first, and reads it until it
/// is synced; returns the stream and what it delivered.
pub async fn synced(
    mut pods: PodServiceClient<tonic::transport::Channel>,
    selector: &str,
) -> (tonic::Streaming<WatchPodsResponse>, Seen) {
    let request =
        WatchPodsRequest { label_selector: selector.into(), send_initial_pods: true, ..Default::default() };
    let mut events = pods.watch_pods(request).await.expect("WatchPods").into_inner();
    let mut seen = Seen::new();
    until_seen(&mut events, &mut seen, (WatchEventType::Synced, "")).await;
    (events, seen)
}

/// Reads the WatchPods stream into `seen` (type, pod name) until `wanted` is among it.
pub async fn until_seen(
    events: &mut tonic::Streaming<WatchPodsResponse>,
    seen: &mut Seen,
    wanted: (WatchEventType, &str),
) {
    let wanted = (wanted.0 as i32, wanted.1.to_string());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while !seen.contains(&wanted) {
        let event = tokio::time::timeout_at(deadline, events.next())
            .await
            .unwrap_or_else(|_| panic!("no {wanted:?} in time; seen {seen:?}"))
            .expect("the WatchPods stream stays open")
            .expect("an event, not an error");
        seen.insert((event.r#type, event.pod.map(|p| p.name).unwrap_or_default()));
    }
}

/// Waits until no namespace has a pod `name` (read across namespaces, away from a namespace's path).
pub async fn gone_everywhere(kube: &kube::Client, name: &str) {
    let everywhere: Api<Pod> = Api::all(kube.clone());
    super::eventually(60, &format!("{name} to be gone"), || {
        let everywhere = everywhere.clone();
        async move {
            let named = ListParams::default().fields(&format!("metadata.name={name}"));
            everywhere.list(&named).await.ok()?.items.is_empty().then_some(())
        }
    })
    .await;
}

/// A watch of `pods` from `old` is answered with the 410 Expired ERROR event.
pub async fn answered_expired(pods: &Api<Pod>, old: &str) {
    let mut stale = pods.watch(&WatchParams::default(), old).await.expect("the watch is answered").boxed();
    let first = tokio::time::timeout(Duration::from_secs(30), stale.next())
        .await
        .expect("an answer in time")
        .expect("one event")
        .expect("a well-formed event");
    match first {
        WatchEvent::Error(status) => assert_eq!((status.code, status.reason.as_str()), (410, "Expired")),
        other => panic!("expected the 410 ERROR event of an expired resourceVersion, got {other:?}"),
    }
}
