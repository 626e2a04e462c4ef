//! Pods over gRPC (a real tonic client on a loopback port, kubegate in front of the embedded cluster):
//! create, read, list, delete, validation, watch, cleanup and the reaper.

mod support;

use std::collections::HashMap;
use std::time::Duration;

use futures::StreamExt as _;
use kubegate_proto::v1::*;
use tonic::Code;
use tonic_types::StatusExt as _;

fn spec(name: &str, command: &[&str]) -> PodSpec {
    PodSpec {
        name: name.to_string(),
        image: "busybox:1.36".to_string(),
        command: command.iter().map(|s| s.to_string()).collect(),
        ..PodSpec::default()
    }
}

fn create(pod: PodSpec) -> CreatePodRequest {
    CreatePodRequest { pod: Some(pod), validate_only: false }
}

/// The field names of an INVALID_ARGUMENT's field violations.
fn violated_fields(status: &tonic::Status) -> Vec<String> {
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    status
        .get_details_bad_request()
        .map(|b| b.field_violations.into_iter().map(|v| v.field).collect())
        .unwrap_or_default()
}

async fn wait_phase(stack: &support::Stack, name: &str, phase: PodPhase) -> Pod {
    let pods = stack.pods();
    support::eventually(10, &format!("{name} to be {phase:?}"), || {
        let mut pods = pods.clone();
        async move {
            let pod =
                pods.get_pod(GetPodRequest { namespace: String::new(), name: name.into() }).await.ok()?;
            let pod = pod.into_inner().pod?;
            (pod.phase == phase as i32).then_some(pod)
        }
    })
    .await
}

#[tokio::test]
async fn a_pod_is_created_read_listed_and_deleted_with_the_managed_labels() {
    let stack = support::stack().await;
    let mut pods = stack.pods();
    let mut pod = spec("runner-1", &["sh", "-c", "echo hi; sleep 30"]);
    pod.labels = HashMap::from([("app".to_string(), "test-runner".to_string())]);
    pod.env = vec![EnvVar { name: "GREETING".into(), value: "hello".into() }];
    let created = pods.create_pod(create(pod)).await.expect("created").into_inner().pod.expect("pod");
    assert_eq!(created.name, "runner-1");
    assert_eq!(created.namespace, "opencode-manager");
    let labels = created.metadata.expect("metadata").labels;
    assert_eq!(labels.get("app.kubernetes.io/managed-by").map(String::as_str), Some("kubegate"));
    assert_eq!(labels.get("managed-by").map(String::as_str), Some("opencode-manager"));
    assert_eq!(labels.get("app").map(String::as_str), Some("test-runner"));

    let running = wait_phase(&stack, "runner-1", PodPhase::Running).await;
    assert!(running.ready && running.pod_ip == "127.0.0.1" && running.start_time.is_some());
    assert_eq!(running.containers[0].name, "runner");

    let got =
        pods.get_pod(GetPodRequest { namespace: String::new(), name: "runner-1".into() }).await.expect("get");
    let object: serde_json::Value = serde_json::from_str(&got.into_inner().object_json).expect("json");
    assert_eq!(object["spec"]["restartPolicy"], "Never");
    assert_eq!(object["spec"]["containers"][0]["env"][0]["value"], "hello");
    assert_eq!(object["spec"]["containers"][0]["resources"]["limits"]["memory"], "2Gi");

    let listed = pods
        .list_pods(ListPodsRequest { label_selector: "app=test-runner".into(), ..Default::default() })
        .await
        .expect("list")
        .into_inner();
    assert_eq!(listed.pods.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["runner-1"]);
    let finished_only = pods
        .list_pods(ListPodsRequest { phases: vec![PodPhase::Succeeded as i32], ..Default::default() })
        .await
        .expect("list")
        .into_inner();
    assert!(finished_only.pods.is_empty());

    pods.delete_pod(DeletePodRequest {
        name: "runner-1".into(),
        grace_period_seconds: Some(0),
        wait: true,
        ..Default::default()
    })
    .await
    .expect("deleted");
    let gone = pods
        .get_pod(GetPodRequest { namespace: String::new(), name: "runner-1".into() })
        .await
        .expect_err("gone");
    assert_eq!(gone.code(), Code::NotFound);
    let again = pods
        .delete_pod(DeletePodRequest { name: "runner-1".into(), ..Default::default() })
        .await
        .expect_err("missing");
    assert_eq!(again.code(), Code::NotFound, "a missing pod is NOT_FOUND, not a silent success");
    stack.stop().await;
}

#[tokio::test]
async fn each_invalid_field_is_named_and_nothing_is_created() {
    let stack = support::stack().await;
    let mut pods = stack.pods();
    let cases: Vec<(PodSpec, &str)> = vec![
        (spec("Bad_Name", &[]), "pod.name"),
        (PodSpec { image: String::new(), ..spec("no-image", &[]) }, "pod.image"),
        (
            PodSpec { labels: HashMap::from([("bad key!".into(), "x".into())]), ..spec("bad-label", &[]) },
            "pod.labels[\"bad key!\"]",
        ),
        (
            PodSpec { labels: HashMap::from([("ok".into(), "bad value".into())]), ..spec("bad-value", &[]) },
            "pod.labels[\"ok\"]",
        ),
        (
            PodSpec { env: vec![EnvVar { name: "1X".into(), value: String::new() }], ..spec("bad-env", &[]) },
            "pod.env[0].name",
        ),
        (
            PodSpec {
                resources: Some(ResourceRequirements {
                    limits: Some(ResourceQuantities { memory: "lots".into(), ..Default::default() }),
                    requests: None,
                }),
                ..spec("bad-quantity", &[])
            },
            "pod.resources.limits.memory",
        ),
        (
            PodSpec {
                ports: vec![ContainerPort { container_port: 70000, ..Default::default() }],
                ..spec("bad-port", &[])
            },
            "pod.ports[0].container_port",
        ),
        (
            PodSpec {
                volume_claims: vec![VolumeClaimMount {
                    claim_name: "ws".into(),
                    mount_path: "relative/path".into(),
                    ..Default::default()
                }],
                ..spec("bad-path", &[])
            },
            "pod.volume_claims[0].mount_path",
        ),
        (PodSpec { working_dir: "work".into(), ..spec("bad-dir", &[]) }, "pod.working_dir"),
        (
            PodSpec {
                labels: HashMap::from([("managed-by".into(), "someone-else".into())]),
                ..spec("unmanaged", &[])
            },
            "pod.labels[\"managed-by\"]",
        ),
    ];
    for (pod, field) in cases {
        let name = pod.name.clone();
        let status = pods.create_pod(create(pod)).await.expect_err("invalid");
        let fields = violated_fields(&status);
        assert!(
            fields.iter().any(|f| f == field),
            "{name}: expected {field} in {fields:?} ({})",
            status.message()
        );
    }
    let listed = pods.list_pods(ListPodsRequest::default()).await.expect("list").into_inner();
    assert!(listed.pods.is_empty(), "nothing was created: {:?}", listed.pods);
    stack.stop().await;
}

#[tokio::test]
async fn duplicates_missing_and_forbidden_map_to_their_grpc_codes() {
    let stack = support::stack().await;
    let mut pods = stack.pods();
    pods.create_pod(create(spec("twin", &[]))).await.expect("first");
    let dup = pods.create_pod(create(spec("twin", &[]))).await.expect_err("second");
    assert_eq!(dup.code(), Code::AlreadyExists);
    assert!(dup.message().contains("already exists"), "{}", dup.message());
    let outside = pods
        .list_pods(ListPodsRequest { namespace: "kube-system".into(), ..Default::default() })
        .await
        .expect_err("outside the allow-list");
    assert_eq!(outside.code(), Code::PermissionDenied);
    assert!(outside.message().contains("\"kube-system\""), "{}", outside.message());
    stack.stop().await;

    // The restricted user may act in opencode-manager only; kubegate allows "default" too, so Kubernetes'
    // own 403 is what the caller sees there.
    let mut options = support::loopback_options(false);
    options.settings.allowed_namespaces = vec!["default".into()];
    let restricted = support::stack_with(options, true).await;
    let denied = restricted
        .pods()
        .list_pods(ListPodsRequest { namespace: "default".into(), ..Default::default() })
        .await
        .expect_err("forbidden by Kubernetes");
    assert_eq!(denied.code(), Code::PermissionDenied);
    assert!(denied.message().contains("cannot list resource \"pods\""), "{}", denied.message());
    restricted.stop().await;
}

#[tokio::test]
async fn host_paths_are_allowed_only_under_configured_prefixes_after_normalisation() {
    let mut options = support::loopback_options(false);
    let allowed = tempfile::tempdir().expect("dir");
    options.settings.allowed_host_path_prefixes = vec![allowed.path().display().to_string()];
    let stack = support::stack_with(options, false).await;
    let mut pods = stack.pods();
    let with_host = |name: &str, host: String| PodSpec {
        host_paths: vec![HostPathMount {
            host_path: host,
            mount_path: "/mnt/kubegate-host".into(),
            read_only: false,
        }],
        ..spec(name, &["sh", "-c", "ls /mnt/kubegate-host"])
    };
    let escape = format!("{}/../../etc", allowed.path().display());
    let status = pods.create_pod(create(with_host("escape", escape))).await.expect_err("escape refused");
    assert_eq!(violated_fields(&status), ["pod.host_paths[0].host_path"]);
    assert!(status.message().contains("allowed_host_path_prefixes"), "{}", status.message());
    std::fs::write(allowed.path().join("marker"), "x").expect("write");
    pods.create_pod(create(with_host("inside", allowed.path().display().to_string()))).await.expect("inside");
    let done = wait_phase(&stack, "inside", PodPhase::Succeeded).await;
    assert_eq!(done.exit_code, Some(0));
    stack.stop().await;

    let stack = support::stack().await;
    let status = stack
        .pods()
        .create_pod(create(with_host("none-allowed", "/tmp".into())))
        .await
        .expect_err("no prefix configured");
    assert!(status.message().contains("no hostPath is allowed"), "{}", status.message());
    stack.stop().await;
}

#[tokio::test]
async fn watch_reports_a_create_an_update_and_a_delete_in_order() {
    let stack = support::stack().await;
    let mut pods = stack.pods();
    let mut events = pods
        .watch_pods(WatchPodsRequest {
            label_selector: "app.kubernetes.io/managed-by=kubegate".into(),
            send_initial_pods: true,
            ..Default::default()
        })
        .await
        .expect("watch")
        .into_inner();
    let first = events.next().await.expect("event").expect("ok");
    assert_eq!(first.r#type, WatchEventType::Synced as i32);
    pods.create_pod(create(spec("watched", &["sh", "-c", "sleep 0.3"]))).await.expect("create");
    let mut seen = Vec::new();
    let collect = async {
        while let Some(Ok(event)) = events.next().await {
            let kind = WatchEventType::try_from(event.r#type).expect("type");
            let phase = event.pod.as_ref().map(|p| p.phase).unwrap_or_default();
            seen.push((kind, phase));
            if kind == WatchEventType::Modified && phase == PodPhase::Succeeded as i32 {
                break;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), collect).await.expect("events arrive");
    assert_eq!(seen.first().map(|s| s.0), Some(WatchEventType::Added));
    pods.delete_pod(DeletePodRequest { name: "watched".into(), ..Default::default() }).await.expect("delete");
    let deleted = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(Ok(event)) = events.next().await {
            if event.r#type == WatchEventType::Deleted as i32 {
                return event.pod.map(|p| p.name);
            }
        }
        None
    })
    .await
    .expect("delete arrives");
    assert_eq!(deleted.as_deref(), Some("watched"));
    stack.stop().await;
}

#[tokio::test]
async fn watch_survives_a_forced_410_and_reports_what_changed_meanwhile() {
    let stack = support::stack().await;
    let mut pods = stack.pods();
    let mut events = pods.watch_pods(WatchPodsRequest::default()).await.expect("watch").into_inner();
    pods.create_pod(create(spec("before", &[]))).await.expect("create");
    let first = tokio::time::timeout(Duration::from_secs(10), events.next())
        .await
        .expect("event")
        .expect("item")
        .expect("ok");
    assert_eq!(
        (first.r#type, first.pod.map(|p| p.name)),
        (WatchEventType::Added as i32, Some("before".into()))
    );
    stack.cluster.faults().end_watches();
    stack.cluster.compact_history();
    pods.create_pod(create(spec("after", &[]))).await.expect("create");
    let found = tokio::time::timeout(Duration::from_secs(15), async {
        while let Some(Ok(event)) = events.next().await {
            if event.pod.as_ref().is_some_and(|p| p.name == "after") {
                return true;
            }
        }
        false
    })
    .await
    .expect("the watch resumed");
    assert!(found);
    stack.stop().await;
}

#[tokio::test]
async fn cleanup_deletes_old_finished_pods_and_spares_running_and_kubegates_own_pods() {
    let stack = support::stack().await;
    let mut pods = stack.pods();
    pods.create_pod(create(spec("finished-ok", &["true"]))).await.expect("create");
    pods.create_pod(create(spec("finished-bad", &["false"]))).await.expect("create");
    pods.create_pod(create(spec("still-running", &["sleep", "60"]))).await.expect("create");
    // A finished pod the original created (its labels), and one of kubegate's own replicas.
    let client = stack.cluster.client().await.expect("client");
    let api: kube::Api<k8s_openapi::api::core::v1::Pod> = kube::Api::namespaced(client, "opencode-manager");
    for (name, labels) in [
        ("from-original", serde_json::json!({"app": "opencode-manager", "managed-by": "opencode-manager"})),
        (
            "kubegate-replica",
            serde_json::json!({"app.kubernetes.io/name": "kubegate", "managed-by": "opencode-manager"}),
        ),
    ] {
        let pod: k8s_openapi::api::core::v1::Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": name, "labels": labels},
            "spec": {"restartPolicy": "Never", "containers": [{"name": "m", "image": "x", "command": ["true"]}]},
        }))
        .expect("pod");
        api.create(&Default::default(), &pod).await.expect("create outside kubegate");
    }
    wait_phase(&stack, "finished-ok", PodPhase::Succeeded).await;
    wait_phase(&stack, "finished-bad", PodPhase::Failed).await;
    wait_phase(&stack, "from-original", PodPhase::Succeeded).await;
    wait_phase(&stack, "kubegate-replica", PodPhase::Succeeded).await;
    wait_phase(&stack, "still-running", PodPhase::Running).await;

    let zero = Some(prost_types::Duration { seconds: 0, nanos: 0 });
    let dry = pods
        .cleanup_pods(CleanupPodsRequest { max_age: zero, dry_run: true, ..Default::default() })
        .await
        .expect("dry run")
        .into_inner();
    let mut names = dry.deleted_names.clone();
    names.sort();
    assert_eq!(names, ["finished-bad", "finished-ok", "from-original"]);
    assert!(dry.dry_run);
    assert_eq!(pods.list_pods(ListPodsRequest::default()).await.expect("list").into_inner().pods.len(), 5);

    let kept_failed = pods
        .cleanup_pods(CleanupPodsRequest { max_age: zero, keep_failed: true, ..Default::default() })
        .await
        .expect("cleanup")
        .into_inner();
    let mut deleted = kept_failed.deleted_names.clone();
    deleted.sort();
    assert_eq!(deleted, ["finished-ok", "from-original"]);
    let young = pods.cleanup_pods(CleanupPodsRequest::default()).await.expect("cleanup").into_inner();
    assert_eq!(young.deleted_count, 0, "24 hours have not passed");
    stack.stop().await;
}

#[tokio::test]
async fn the_reaper_deletes_a_pod_whose_time_to_live_expired() {
    let stack = support::stack().await;
    let mut pods = stack.pods();
    let mut pod = spec("short-lived", &["true"]);
    pod.ttl_after_finished = Some(prost_types::Duration { seconds: 1, nanos: 0 });
    pods.create_pod(create(pod)).await.expect("create");
    pods.create_pod(create(spec("kept", &["true"]))).await.expect("create");
    support::eventually(10, "the reaper to delete the expired pod", || {
        let mut pods = pods.clone();
        async move {
            let listed = pods.list_pods(ListPodsRequest::default()).await.ok()?.into_inner();
            let names: Vec<String> = listed.pods.into_iter().map(|p| p.name).collect();
            (names == ["kept"]).then_some(())
        }
    })
    .await;
    stack.stop().await;
}
