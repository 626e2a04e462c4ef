//! ConfigMaps, Leases and ServiceAccounts through kube-rs: served like every other kind (create, get,
//! list, update, patch, delete, watch), a stale resourceVersion answered 409 Conflict, found through
//! discovery, and a `default` ServiceAccount in every namespace.

mod support;

use std::time::Duration;

use futures::{StreamExt as _, TryStreamExt as _};
use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, ServiceAccount};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime;
use kube::Api;
use kube::api::{DeleteParams, ListParams, Patch, PatchParams, PostParams, WatchEvent, WatchParams};
use serde_json::json;
use support::{NS, api_error};

#[tokio::test]
async fn config_maps_are_created_listed_updated_patched_watched_and_deleted() {
    let cluster = support::embedded_cluster().await;
    let maps: Api<ConfigMap> = Api::namespaced(cluster.client().await.expect("client"), NS);
    let mut events = maps.watch(&WatchParams::default(), "0").await.expect("watch").boxed();

    let map: ConfigMap = serde_json::from_value(json!({
        "metadata": {"name": "settings", "labels": {"app": "web"}},
        "data": {"mode": "fast", "level": "3"},
    }))
    .expect("configmap");
    let created = maps.create(&PostParams::default(), &map).await.expect("create");
    assert_eq!(created.data.as_ref().and_then(|d| d.get("mode")).map(String::as_str), Some("fast"));
    let listed = maps.list(&ListParams::default().labels("app=web")).await.expect("list");
    assert_eq!(listed.items.len(), 1);

    let mut changed = maps.get("settings").await.expect("get");
    changed.data.get_or_insert_default().insert("mode".into(), "slow".into());
    let replaced = maps.replace("settings", &PostParams::default(), &changed).await.expect("update");
    assert_eq!(replaced.data.as_ref().and_then(|d| d.get("mode")).map(String::as_str), Some("slow"));
    // The same update again carries the resourceVersion it was read at, which is stale now.
    let (code, reason, _) =
        api_error(maps.replace("settings", &PostParams::default(), &changed).await.expect_err("stale"));
    assert_eq!((code, reason.as_str()), (409, "Conflict"));

    let patch = json!({"data": {"level": "4"}});
    let patched =
        maps.patch("settings", &PatchParams::default(), &Patch::Merge(&patch)).await.expect("patch");
    let data = patched.data.expect("data");
    assert_eq!((data["mode"].as_str(), data["level"].as_str()), ("slow", "4"));

    maps.delete("settings", &DeleteParams::default()).await.expect("delete");
    assert_eq!(api_error(maps.get("settings").await.expect_err("gone")).0, 404);

    let mut seen = Vec::new();
    while seen.len() < 4 {
        let event = tokio::time::timeout(Duration::from_secs(5), events.try_next())
            .await
            .expect("an event in time")
            .expect("event")
            .expect("the watch goes on");
        seen.push(match event {
            WatchEvent::Added(_) => "ADDED",
            WatchEvent::Modified(_) => "MODIFIED",
            WatchEvent::Deleted(_) => "DELETED",
            other => panic!("unexpected {other:?}"),
        });
    }
    assert_eq!(seen, ["ADDED", "MODIFIED", "MODIFIED", "DELETED"]);

    let bad: ConfigMap =
        serde_json::from_value(json!({"metadata": {"name": "bad"}, "data": {"no/slash": "x"}})).expect("cm");
    let (code, _, message) = api_error(maps.create(&PostParams::default(), &bad).await.expect_err("invalid"));
    assert_eq!(code, 422);
    assert!(message.contains("data[no/slash]: Invalid value"), "{message}");
    cluster.shutdown().await;
}

#[tokio::test]
async fn a_lease_is_held_renewed_and_taken_over_with_conflicts_on_stale_updates() {
    let cluster = support::embedded_cluster().await;
    let leases: Api<Lease> = Api::namespaced(cluster.client().await.expect("client"), NS);
    let now = || MicroTime(k8s_openapi::jiff::Timestamp::now());
    let lease: Lease = serde_json::from_value(json!({
        "metadata": {"name": "leader"},
        "spec": {"holderIdentity": "a", "leaseDurationSeconds": 15},
    }))
    .expect("lease");
    let created = leases.create(&PostParams::default(), &lease).await.expect("create");
    assert_eq!(created.spec.as_ref().and_then(|s| s.holder_identity.as_deref()), Some("a"));

    // Two candidates read the same version; the first to write wins, the second gets 409.
    let mut first = leases.get("leader").await.expect("get");
    let mut second = first.clone();
    if let Some(spec) = first.spec.as_mut() {
        spec.renew_time = Some(now());
    }
    leases.replace("leader", &PostParams::default(), &first).await.expect("renew");
    if let Some(spec) = second.spec.as_mut() {
        spec.holder_identity = Some("b".into());
        spec.lease_transitions = Some(1);
    }
    let (code, reason, message) =
        api_error(leases.replace("leader", &PostParams::default(), &second).await.expect_err("stale"));
    assert_eq!((code, reason.as_str()), (409, "Conflict"));
    assert!(
        message.starts_with("Operation cannot be fulfilled on leases.coordination.k8s.io \"leader\""),
        "{message}"
    );

    let patch = json!({"spec": {"holderIdentity": "b", "leaseTransitions": 1}});
    let taken =
        leases.patch("leader", &PatchParams::default(), &Patch::Merge(&patch)).await.expect("take over");
    assert_eq!(taken.spec.as_ref().and_then(|s| s.holder_identity.as_deref()), Some("b"));
    assert_eq!(leases.list(&ListParams::default()).await.expect("list").items.len(), 1);

    let mut events = leases.watch(&WatchParams::default(), "0").await.expect("watch").boxed();
    let first_event = tokio::time::timeout(Duration::from_secs(5), events.next()).await.expect("in time");
    assert!(matches!(first_event, Some(Ok(WatchEvent::Added(_)))), "{first_event:?}");
    leases.delete("leader", &DeleteParams::default()).await.expect("delete");
    let deleted = tokio::time::timeout(Duration::from_secs(5), events.next()).await.expect("in time");
    assert!(matches!(deleted, Some(Ok(WatchEvent::Deleted(_)))), "{deleted:?}");

    let bad: Lease =
        serde_json::from_value(json!({"metadata": {"name": "bad"}, "spec": {"leaseDurationSeconds": 0}}))
            .expect("lease");
    let (code, _, message) =
        api_error(leases.create(&PostParams::default(), &bad).await.expect_err("invalid"));
    assert_eq!(code, 422);
    assert!(
        message.contains("spec.leaseDurationSeconds: Invalid value: \"0\": must be greater than 0"),
        "{message}"
    );
    cluster.shutdown().await;
}

#[tokio::test]
async fn every_namespace_has_a_default_service_account_and_discovery_lists_the_new_kinds() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    for namespace in kubegate_embedded::INITIAL_NAMESPACES {
        let accounts: Api<ServiceAccount> = Api::namespaced(client.clone(), namespace);
        accounts.get("default").await.expect("the default service account");
    }
    let namespaces: Api<Namespace> = Api::all(client.clone());
    let fresh: Namespace = serde_json::from_value(json!({"metadata": {"name": "fresh"}})).expect("ns");
    namespaces.create(&PostParams::default(), &fresh).await.expect("namespace");
    let accounts: Api<ServiceAccount> = Api::namespaced(client.clone(), "fresh");
    accounts.get("default").await.expect("a new namespace gets one too");
    let builder: ServiceAccount =
        serde_json::from_value(json!({"metadata": {"name": "builder"}})).expect("sa");
    accounts.create(&PostParams::default(), &builder).await.expect("create");
    assert_eq!(accounts.list(&ListParams::default()).await.expect("list").items.len(), 2);

    let discovery = kube::Discovery::new(client.clone()).run().await.expect("discovery");
    for (group, kind) in [("", "ConfigMap"), ("", "ServiceAccount"), ("coordination.k8s.io", "Lease")] {
        let found = discovery
            .groups()
            .filter(|g| g.name() == group)
            .flat_map(|g| g.recommended_resources())
            .any(|(resource, _)| resource.kind == kind);
        assert!(found, "{kind} in {group:?} is discovered");
    }
    cluster.shutdown().await;
}
