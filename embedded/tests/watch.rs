//! Watches through kube-rs: a reflector that survives a forced 410 and a server-side end of its watch,
//! and the 410 ERROR event (not an HTTP 410) for a resourceVersion older than the kept history.

mod support;

use std::time::Duration;

use futures::StreamExt as _;
use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kube::api::{DeleteParams, PostParams};
use kube::runtime::{WatchStreamExt as _, reflector, watcher};
use support::{NS, pod};

#[tokio::test]
async fn a_reflector_keeps_working_across_a_forced_410_and_a_server_side_end_of_watch() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    let (reader, writer) = reflector::store::<Pod>();
    let stream = reflector(writer, watcher(pods.clone(), watcher::Config::default()))
        .default_backoff()
        .applied_objects();
    // Errors (the 410 among them) are yielded and then recovered from by relisting: keep polling.
    let task = tokio::spawn(async move {
        let mut stream = std::pin::pin!(stream);
        while stream.next().await.is_some() {}
    });
    let names = |reader: &reflector::Store<Pod>| {
        let mut names: Vec<String> = reader.state().iter().filter_map(|p| p.metadata.name.clone()).collect();
        names.sort();
        names
    };
    pods.create(&PostParams::default(), &pod("a", &[])).await.expect("create a");
    support::eventually(10, "a in the cache", || async { (names(&reader) == ["a"]).then_some(()) }).await;

    // The server ends every watch, then forgets history: the watcher's resume gets 410 and relists.
    cluster.faults().end_watches();
    cluster.compact_history();
    pods.create(&PostParams::default(), &pod("b", &[])).await.expect("create b");
    support::eventually(10, "b after the 410", || async { (names(&reader) == ["a", "b"]).then_some(()) })
        .await;

    cluster.faults().end_watches();
    pods.delete("a", &DeleteParams { grace_period_seconds: Some(0), ..DeleteParams::default() })
        .await
        .expect("delete");
    support::eventually(10, "a gone after the end of watch", || async {
        (names(&reader) == ["b"]).then_some(())
    })
    .await;
    task.abort();
    cluster.shutdown().await;
}

#[tokio::test]
async fn a_watch_from_a_compacted_resource_version_gets_a_410_error_event_as_real_servers_send() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    let created = pods.create(&PostParams::default(), &pod("old", &[])).await.expect("create");
    let old_rv = created.metadata.resource_version.expect("rv");
    pods.create(&PostParams::default(), &pod("newer", &[])).await.expect("create");
    cluster.compact_history();
    let mut stream = pods
        .watch(&kube::api::WatchParams::default(), &old_rv)
        .await
        .expect("HTTP 200, not an HTTP 410")
        .boxed();
    let first =
        tokio::time::timeout(Duration::from_secs(5), stream.next()).await.expect("an event").expect("item");
    match first {
        Ok(kube::api::WatchEvent::Error(status)) => {
            assert_eq!((status.code, status.reason.as_str()), (410, "Expired"))
        }
        other => panic!("expected an ERROR event with 410, got {other:?}"),
    }
    cluster.shutdown().await;
}
