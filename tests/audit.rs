//! The audit trail of a running `kubegate serve --audit-log FILE`: after a scenario (a pod created, a
//! command run, a session started and ended, a refused settings change, the pod deleted), the file holds
//! one JSON line per action with the caller's fingerprint and source, the argv and exit codes, and
//! never the token; it is readable by its owner only.

mod support;

use std::os::unix::fs::PermissionsExt as _;

use kubegate_proto::v1::cluster_service_client::ClusterServiceClient;
use kubegate_proto::v1::exec_service_client::ExecServiceClient;
use kubegate_proto::v1::pod_service_client::PodServiceClient;
use kubegate_proto::v1::*;
use serde_json::Value;

const TOKEN: &str = "audit-api-token-for-tests-0123456789abcd";

fn authorized<T>(message: T) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request.metadata_mut().insert("authorization", format!("Bearer {TOKEN}").parse().expect("metadata"));
    request
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_action_is_in_the_audit_trail_and_no_secret() {
    let dir = tempfile::tempdir().expect("a directory");
    let trail = dir.path().join("audit.log");
    let (grpc, http, terminal) = (support::free_port(), support::free_port(), support::free_port());
    let mut command = support::kubegate_command(
        &[
            "serve",
            "--embedded-cluster",
            "--grpc-addr",
            &grpc.to_string(),
            "--http-addr",
            &http.to_string(),
            "--terminal-addr",
            &terminal.to_string(),
            "--audit-log",
            trail.to_str().expect("path"),
            "--data-dir",
            dir.path().join("data").to_str().expect("path"),
        ],
        dir.path(),
    );
    command
        .env("KUBEGATE_API_TOKEN", TOKEN)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut server =
        tokio::process::Command::from(command).kill_on_drop(true).spawn().expect("kubegate starts");
    let channel = support::eventually(30, "kubegate to answer", || async {
        let channel =
            tonic::transport::Endpoint::from_shared(format!("http://{grpc}")).ok()?.connect().await.ok()?;
        let mut pods = PodServiceClient::new(channel.clone());
        pods.list_pods(authorized(ListPodsRequest::default())).await.ok()?;
        Some(channel)
    })
    .await;
    let (mut pods, mut exec) =
        (PodServiceClient::new(channel.clone()), ExecServiceClient::new(channel.clone()));

    let spec = PodSpec {
        name: "audited".into(),
        image: "busybox:1.36".into(),
        command: vec!["sleep".into(), "600".into()],
        ..Default::default()
    };
    pods.create_pod(authorized(CreatePodRequest { pod: Some(spec), ..Default::default() }))
        .await
        .expect("create");
    let ran = support::eventually(30, "the command to run", || {
        let mut exec = exec.clone();
        async move {
            let request = ExecRequest {
                pod: "audited".into(),
                command: vec!["sh".into(), "-c".into(), "exit 3".into()],
                ..Default::default()
            };
            exec.exec(authorized(request)).await.ok()
        }
    })
    .await;
    assert_eq!(ran.into_inner().exit_code, 3);
    // A session: started, then it ends by itself with 0.
    let start = ExecStart { pod: "audited".into(), command: vec!["true".into()], ..Default::default() };
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    tx.send(ExecStreamRequest { kind: Some(exec_stream_request::Kind::Start(start)) }).await.expect("start");
    let mut events = exec
        .exec_stream(authorized(tokio_stream::wrappers::ReceiverStream::new(rx)))
        .await
        .expect("session")
        .into_inner();
    while let Some(event) = events.message().await.expect("an event") {
        if matches!(event.event.and_then(|e| e.kind), Some(exec_event::Kind::Exit(_))) {
            break;
        }
    }
    drop(tx);
    // A change only the admin token may make: refused, and recorded as such.
    let widen = UpdateClusterSettingsRequest {
        settings: Some(ClusterSettings {
            allowed_namespaces: vec!["kube-system".into()],
            ..Default::default()
        }),
        update_mask: Some(prost_types::FieldMask { paths: vec!["allowed_namespaces".into()] }),
    };
    let refused = ClusterServiceClient::new(channel.clone()).update_cluster_settings(authorized(widen)).await;
    assert_eq!(refused.expect_err("refused").code(), tonic::Code::PermissionDenied);
    pods.delete_pod(authorized(DeletePodRequest { name: "audited".into(), ..Default::default() }))
        .await
        .expect("delete");

    let text = support::eventually(10, "the trail to hold the deletion", || {
        let trail = trail.clone();
        async move {
            let text = std::fs::read_to_string(&trail).ok()?;
            text.contains("DeletePod").then_some(text)
        }
    })
    .await;
    assert!(!text.contains(TOKEN), "the token is never written");
    let lines: Vec<Value> =
        text.lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
    let find = |method: &str, event: Option<&str>| {
        lines
            .iter()
            .find(|l| {
                l["method"].as_str().is_some_and(|m| m.ends_with(method))
                    && event.is_none_or(|e| l["event"] == e)
            })
            .unwrap_or_else(|| panic!("no {method} {event:?} in the trail:\n{text}"))
            .clone()
    };
    let created = find("/CreatePod", None);
    assert_eq!((created["object"].as_str(), created["outcome"].as_str()), (Some("audited"), Some("OK")));
    let caller = created["caller"].as_str().expect("a caller").to_string();
    assert!(!caller.is_empty() && caller != "anonymous", "{created}");
    assert!(created["source"].as_str().is_some_and(|s| s.starts_with("127.0.0.1:")), "{created}");
    assert!(created["time"].as_str().is_some_and(|t| t.starts_with("20")), "{created}");
    // Attempts while the pod was starting are recorded too, with their outcome; the one that ran is OK.
    let command = lines
        .iter()
        .find(|l| l["method"].as_str().is_some_and(|m| m.ends_with("/Exec")) && l["outcome"] == "OK")
        .unwrap_or_else(|| panic!("no successful Exec in the trail:\n{text}"));
    assert_eq!(command["argv"], serde_json::json!(["sh", "-c", "exit 3"]));
    assert_eq!(command["exit_code"], 3);
    assert_eq!(find("/ExecStream", Some("start"))["argv"], serde_json::json!(["true"]));
    assert_eq!(find("/ExecStream", Some("end"))["exit_code"], 0);
    assert_eq!(find("/UpdateClusterSettings", None)["outcome"], "PERMISSION_DENIED");
    assert_eq!(find("/DeletePod", None)["caller"], caller.as_str());
    let mode = std::fs::metadata(&trail).expect("the trail").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "readable by its owner only");
    server.kill().await.expect("stop");
}
