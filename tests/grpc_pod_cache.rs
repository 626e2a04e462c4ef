//! Reads served by one shared watch per namespace, checked against what the embedded cluster was asked:
//! many watchers cost one watch on the API server and all see a change; GetPod and ListPods stop calling
//! Kubernetes yet see kubegate's own writes at once (and a pod created by someone else); pages from the
//! cache hold every pod once; a pod leaving a watcher's selector is DELETED for it; without the `watch`
//! permission reads go to Kubernetes as before.

mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use futures::StreamExt as _;
use k8s_openapi::api::core::v1 as core;
use kube::api::{Api, Patch, PatchParams, PostParams};
use kubegate_proto::v1::{
    CreatePodRequest, DeletePodRequest, GetPodRequest, ListPodsRequest, PodSpec, WatchEventType,
    WatchPodsRequest, WatchPodsResponse,
};
use tonic::Streaming;

const NAMESPACE: &str = "opencode-manager";

fn spec(name: &str, labels: &[(&str, &str)]) -> CreatePodRequest {
    CreatePodRequest {
        pod: Some(PodSpec {
            name: name.into(),
            image: "busybox:1.36".into(),
            command: vec!["sleep".into(), "600".into()],
            labels: labels.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

async fn watch(stack: &support::Stack, selector: &str) -> Streaming<WatchPodsResponse> {
    let request =
        WatchPodsRequest { label_selector: selector.into(), send_initial_pods: true, ..Default::default() };
    let mut stream = stack.pods().watch_pods(request).await.expect("watch").into_inner();
    // Everything before SYNCED is the initial state.
    loop {
        let event = stream.message().await.expect("a watch event").expect("the stream is open");
        if event.r#type == WatchEventType::Synced as i32 {
            return stream;
        }
    }
}

/// The next event for `name` of `kind` on `stream`, within 10 s.
async fn next_for(stream: &mut Streaming<WatchPodsResponse>, name: &str, kind: WatchEventType) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let event = tokio::time::timeout_at(deadline, stream.message())
            .await
            .unwrap_or_else(|_| panic!("no {kind:?} for {name} within 10 s"))
            .expect("a watch event")
            .expect("the stream is open");
        if event.r#type == kind as i32 && event.pod.as_ref().is_some_and(|p| p.name == name) {
            return;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_watchers_cost_one_watch_and_all_see_a_new_pod() {
    let mut options = support::loopback_options(false);
    options.quotas.watches = 1000;
    let stack = support::stack_with(options, false).await;
    let watchers: Vec<_> = futures::stream::iter(0..200).then(|_| watch(&stack, "")).collect().await;
    let traffic = stack.cluster.traffic();
    assert_eq!(traffic.open_watches("pods"), 1, "one shared watch on the API server");

    stack.pods().create_pod(spec("fanned-out", &[])).await.expect("create");
    let seen = futures::stream::iter(watchers)
        .map(|mut w| async move { next_for(&mut w, "fanned-out", WatchEventType::Added).await })
        .buffer_unordered(200)
        .count()
        .await;
    assert_eq!(seen, 200, "every watcher saw the pod");
    assert_eq!(traffic.open_watches("pods"), 1);
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_come_from_the_shared_watch_and_see_kubegates_own_writes_at_once() {
    let stack = support::stack().await;
    let mut pods = stack.pods();
    let traffic = stack.cluster.traffic();
    // The first read starts the namespace's watch.
    pods.list_pods(ListPodsRequest::default()).await.expect("list");
    for i in 0..10 {
        let name = format!("own-{i}");
        pods.create_pod(spec(&name, &[])).await.expect("create");
        let got = pods.get_pod(GetPodRequest { name: name.clone(), ..Default::default() }).await;
        assert_eq!(
            got.expect("a pod just created is found").into_inner().pod.map(|p| p.name),
            Some(name.clone())
        );
        let listed = pods.list_pods(ListPodsRequest::default()).await.expect("list").into_inner();
        assert!(listed.pods.iter().any(|p| p.name == name), "a pod just created is listed");
    }
    let (gets, lists) = (traffic.requests("get", "pods"), traffic.requests("list", "pods"));
    for _ in 0..50 {
        let got =
            pods.get_pod(GetPodRequest { name: "own-3".into(), ..Default::default() }).await.expect("get");
        let json: serde_json::Value =
            serde_json::from_str(&got.into_inner().object_json).expect("the pod's JSON");
        assert_eq!(json["metadata"]["name"], "own-3");
        assert_eq!(
            pods.list_pods(ListPodsRequest::default()).await.expect("list").into_inner().pods.len(),
            10
        );
    }
    assert_eq!(traffic.requests("get", "pods"), gets, "GetPod did not call Kubernetes");
    assert_eq!(traffic.requests("list", "pods"), lists, "ListPods did not call Kubernetes");

    // A deletion waited for is not listed by the very next read.
    pods.delete_pod(DeletePodRequest { name: "own-0".into(), wait: true, ..Default::default() })
        .await
        .expect("delete");
    let listed = pods.list_pods(ListPodsRequest::default()).await.expect("list").into_inner();
    assert!(!listed.pods.iter().any(|p| p.name == "own-0"), "the deleted pod is gone from the list");
    let gone = pods.get_pod(GetPodRequest { name: "own-0".into(), ..Default::default() }).await;
    assert_eq!(gone.expect_err("gone").code(), tonic::Code::NotFound);

    // A pod created by someone else a moment ago is found, through Kubernetes when the cache lacks it.
    let client = stack.cluster.client().await.expect("client");
    let api: Api<core::Pod> = Api::namespaced(client, NAMESPACE);
    let pod: core::Pod = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "from-kubectl"},
        "spec": {"containers": [{"name": "main", "image": "busybox:1.36", "command": ["sleep", "600"]}]}
    }))
    .expect("a pod");
    api.create(&PostParams::default(), &pod).await.expect("created directly");
    let got = pods.get_pod(GetPodRequest { name: "from-kubectl".into(), ..Default::default() }).await;
    assert_eq!(got.expect("found at once").into_inner().pod.map(|p| p.name).as_deref(), Some("from-kubectl"));
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_from_the_cache_hold_every_pod_once_and_filters_apply() {
    let stack = support::stack().await;
    let mut pods = stack.pods();
    for i in 0..25 {
        let tier = if i % 5 == 0 { "db" } else { "web" };
        pods.create_pod(spec(&format!("paged-{i:02}"), &[("tier", tier)])).await.expect("create");
    }
    let mut names = Vec::new();
    let mut token = String::new();
    let mut pages = 0;
    loop {
        let request = ListPodsRequest { page_size: 10, page_token: token.clone(), ..Default::default() };
        let page = pods.list_pods(request).await.expect("a page").into_inner();
        pages += 1;
        assert!(page.pods.len() <= 10);
        names.extend(page.pods.into_iter().map(|p| p.name));
        if page.next_page_token.is_empty() {
            break;
        }
        token = page.next_page_token;
    }
    assert_eq!(pages, 3);
    let unique: BTreeSet<_> = names.iter().cloned().collect();
    assert_eq!((names.len(), unique.len()), (25, 25), "every pod once: {names:?}");
    assert!(names.windows(2).all(|w| w[0] < w[1]), "in name order, as Kubernetes lists");

    let request = ListPodsRequest { label_selector: "tier in (db)".into(), ..Default::default() };
    let db = pods.list_pods(request).await.expect("list").into_inner().pods;
    assert_eq!(db.len(), 5);
    let request = ListPodsRequest {
        label_selector: "tier!=db,managed-by=opencode-manager".into(),
        ..Default::default()
    };
    assert_eq!(pods.list_pods(request).await.expect("list").into_inner().pods.len(), 20);
    // A selector Kubernetes refuses is refused as before.
    let request = ListPodsRequest { label_selector: "tier in db".into(), ..Default::default() };
    assert_eq!(pods.list_pods(request).await.expect_err("refused").code(), tonic::Code::InvalidArgument);
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pod_leaving_a_watchers_selector_is_deleted_for_it() {
    let stack = support::stack().await;
    let mut front = watch(&stack, "tier=front").await;
    let mut everything = watch(&stack, "").await;
    stack.pods().create_pod(spec("moving", &[("tier", "front")])).await.expect("create");
    next_for(&mut front, "moving", WatchEventType::Added).await;
    next_for(&mut everything, "moving", WatchEventType::Added).await;

    let client = stack.cluster.client().await.expect("client");
    let api: Api<core::Pod> = Api::namespaced(client, NAMESPACE);
    let relabel = serde_json::json!({"metadata": {"labels": {"tier": "back"}}});
    api.patch("moving", &PatchParams::default(), &Patch::Merge(&relabel)).await.expect("relabelled");
    next_for(&mut front, "moving", WatchEventType::Deleted).await;
    next_for(&mut everything, "moving", WatchEventType::Modified).await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_watch_permission_reads_go_to_kubernetes() {
    // The restricted user holds the original's Role: get, list, create, delete on pods; no watch.
    let stack = support::stack_with(support::loopback_options(false), true).await;
    let mut pods = stack.pods();
    let traffic = stack.cluster.traffic();
    pods.create_pod(spec("direct", &[])).await.expect("create");
    for _ in 0..3 {
        let got = pods.get_pod(GetPodRequest { name: "direct".into(), ..Default::default() }).await;
        assert_eq!(got.expect("get").into_inner().pod.map(|p| p.name).as_deref(), Some("direct"));
    }
    let gets = traffic.requests("get", "pods");
    pods.get_pod(GetPodRequest { name: "direct".into(), ..Default::default() }).await.expect("get");
    let watches = traffic.requests("watch", "pods");
    assert_eq!(traffic.requests("get", "pods"), gets + 1, "served by Kubernetes ({watches} watch requests)");
    assert_eq!(traffic.open_watches("pods"), 0);
    stack.stop().await;
}
