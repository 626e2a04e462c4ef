//! Pods as processes, through kube-rs: phases and exit codes, restarts with the previous log, deadlines,
//! graceful deletion, followed logs, and volumes (a claim shared between pods, a read-only hostPath).

mod support;

use std::path::Path;
use std::time::Duration;

use futures::StreamExt as _;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};
use kube::Api;
use kube::api::{AttachParams, DeleteParams, LogParams, PostParams};
use serde_json::json;
use support::{NS, phase, pod, wait_phase};
use tokio::io::AsyncReadExt as _;

#[tokio::test]
async fn a_pod_runs_its_command_and_reports_phase_exit_code_and_logs() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    pods.create(&PostParams::default(), &pod("ok", &["sh", "-c", "echo hello; echo oops >&2"]))
        .await
        .expect("create");
    pods.create(&PostParams::default(), &pod("bad", &["sh", "-c", "exit 4"])).await.expect("create");

    let done = wait_phase(&pods, "ok", "Succeeded").await;
    let status = done.status.expect("status");
    assert!(status.start_time.is_some() && status.pod_ip.as_deref() == Some("127.0.0.1"));
    let terminated = status.container_statuses.expect("statuses")[0].state.clone().and_then(|s| s.terminated);
    assert_eq!(terminated.map(|t| (t.exit_code, t.reason)), Some((0, Some("Completed".into()))));
    let logs = pods.logs("ok", &LogParams::default()).await.expect("logs");
    assert_eq!(logs, "hello\noops\n");
    let stamped =
        pods.logs("ok", &LogParams { timestamps: true, ..LogParams::default() }).await.expect("logs");
    let first = stamped.lines().next().unwrap_or_default();
    assert!(first.ends_with(" hello") && first.len() > 31 && first.as_bytes()[4] == b'-', "{first}");

    let failed = wait_phase(&pods, "bad", "Failed").await;
    let terminated = failed.status.and_then(|s| s.container_statuses).expect("statuses")[0].state.clone();
    assert_eq!(terminated.and_then(|s| s.terminated).map(|t| t.exit_code), Some(4));
    cluster.shutdown().await;
}

#[tokio::test]
async fn restart_policy_always_restarts_and_keeps_the_previous_log() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    let mut p = pod("flaky", &["sh", "-c", "echo run; exit 2"]);
    if let Some(spec) = p.spec.as_mut() {
        spec.restart_policy = Some("Always".into());
    }
    pods.create(&PostParams::default(), &p).await.expect("create");
    let restarted = support::eventually(10, "a restart", || async {
        let pod = pods.get("flaky").await.ok()?;
        let status = pod.status?.container_statuses?.into_iter().next()?;
        (status.restart_count >= 1).then_some(status)
    })
    .await;
    let last = restarted.last_state.and_then(|s| s.terminated).map(|t| t.exit_code);
    assert_eq!(last, Some(2));
    let previous =
        pods.logs("flaky", &LogParams { previous: true, ..LogParams::default() }).await.expect("previous");
    assert_eq!(previous, "run\n");
    assert_eq!(phase(&pods, "flaky").await.as_deref(), Some("Running"));
    cluster.shutdown().await;
}

#[tokio::test]
async fn active_deadline_seconds_stops_a_pod_as_deadline_exceeded() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    let mut p = pod("slow", &["sleep", "100"]);
    if let Some(spec) = p.spec.as_mut() {
        spec.active_deadline_seconds = Some(1);
    }
    pods.create(&PostParams::default(), &p).await.expect("create");
    let failed = wait_phase(&pods, "slow", "Failed").await;
    assert_eq!(failed.status.and_then(|s| s.reason).as_deref(), Some("DeadlineExceeded"));
    cluster.shutdown().await;
}

#[tokio::test]
async fn deleting_a_running_pod_lingers_with_a_deletion_timestamp_until_its_process_stops() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    // The process ignores SIGTERM, so only the SIGKILL after the grace period ends it.
    let script = "trap '' TERM; echo started; while true; do sleep 0.1; done";
    pods.create(&PostParams::default(), &pod("stubborn", &["sh", "-c", script])).await.expect("create");
    wait_phase(&pods, "stubborn", "Running").await;
    support::eventually(5, "output", || async {
        pods.logs("stubborn", &LogParams::default()).await.ok().filter(|l| l.contains("started"))
    })
    .await;
    let params = DeleteParams { grace_period_seconds: Some(1), ..DeleteParams::default() };
    let answer = pods.delete("stubborn", &params).await.expect("delete");
    let lingering = answer.left().expect("the pod is returned while it stops");
    assert!(lingering.metadata.deletion_timestamp.is_some());
    assert!(pods.get("stubborn").await.is_ok(), "still there during the grace period");
    support::eventually(5, "the pod to go", || async { pods.get("stubborn").await.is_err().then_some(()) })
        .await;
    cluster.shutdown().await;
}

#[tokio::test]
async fn a_followed_log_streams_until_the_container_ends() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    let script = "for i in 1 2 3 4 5; do echo line $i; sleep 0.1; done";
    pods.create(&PostParams::default(), &pod("printer", &["sh", "-c", script])).await.expect("create");
    wait_phase(&pods, "printer", "Running").await;
    let stream = pods
        .log_stream("printer", &LogParams { follow: true, ..LogParams::default() })
        .await
        .expect("follow");
    let mut lines = Vec::new();
    let mut reader = futures::io::AsyncBufReadExt::lines(stream);
    let read_all = async {
        while let Some(line) = reader.next().await {
            lines.push(line.expect("line"));
        }
    };
    tokio::time::timeout(Duration::from_secs(10), read_all)
        .await
        .expect("the stream ends with the container");
    assert_eq!(lines, (1..=5).map(|i| format!("line {i}")).collect::<Vec<_>>());
    let tail =
        pods.logs("printer", &LogParams { tail_lines: Some(2), ..LogParams::default() }).await.expect("tail");
    assert_eq!(tail, "line 4\nline 5\n");
    let limited = pods
        .logs("printer", &LogParams { limit_bytes: Some(9), ..LogParams::default() })
        .await
        .expect("limit");
    assert_eq!(limited, "line 1\nli");
    cluster.shutdown().await;
}

#[tokio::test]
async fn a_claim_is_one_directory_shared_by_every_pod_that_mounts_it_and_exec_sees_the_mounts() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let claims: Api<PersistentVolumeClaim> = Api::namespaced(client.clone(), NS);
    let claim: PersistentVolumeClaim = serde_json::from_value(json!({
        "metadata": {"name": "shared"},
        "spec": {"accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": "1Gi"}}},
    }))
    .expect("pvc");
    claims.create(&PostParams::default(), &claim).await.expect("claim");
    let host_dir = tempfile::tempdir().expect("host dir");
    std::fs::write(host_dir.path().join("from-host.txt"), "host data\n").expect("write");
    let with_volumes = |name: &str, command: &str| -> Pod {
        serde_json::from_value(json!({
            "metadata": {"name": name},
            "spec": {
                "restartPolicy": "Never",
                "volumes": [
                    {"name": "work", "persistentVolumeClaim": {"claimName": "shared"}},
                    {"name": "host", "hostPath": {"path": host_dir.path()}},
                ],
                "containers": [{
                    "name": "main", "image": "busybox", "command": ["sh", "-c", command],
                    "workingDir": "/mnt/kubegate-test-work",
                    "volumeMounts": [
                        {"name": "work", "mountPath": "/mnt/kubegate-test-work"},
                        {"name": "host", "mountPath": "/mnt/kubegate-test-host", "readOnly": true},
                    ],
                }],
            },
        }))
        .expect("pod")
    };
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    pods.create(
        &PostParams::default(),
        &with_volumes("writer", "echo shared > note.txt; cat /mnt/kubegate-test-host/from-host.txt"),
    )
    .await
    .expect("writer");
    wait_phase(&pods, "writer", "Succeeded").await;
    assert_eq!(pods.logs("writer", &LogParams::default()).await.expect("logs"), "host data\n");

    pods.create(
        &PostParams::default(),
        &with_volumes("reader", "cat note.txt; touch /mnt/kubegate-test-host/x || echo read-only; sleep 60"),
    )
    .await
    .expect("reader");
    wait_phase(&pods, "reader", "Running").await;
    support::eventually(5, "the reader's output", || async {
        let logs = pods.logs("reader", &LogParams::default()).await.ok()?;
        (logs.starts_with("shared\n") && logs.contains("read-only")).then_some(())
    })
    .await;
    let mut process =
        pods.exec("reader", ["sh", "-c", "pwd; cat note.txt"], &AttachParams::default()).await.expect("exec");
    let mut out = String::new();
    process.stdout().expect("stdout").read_to_string(&mut out).await.expect("read");
    assert_eq!(out, "/mnt/kubegate-test-work\nshared\n");
    assert!(
        !Path::new("/mnt/kubegate-test-work/note.txt").exists(),
        "the claim is not visible on the host path"
    );
    cluster.shutdown().await;
}
