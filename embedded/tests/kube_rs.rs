//! The embedded cluster through kube-rs, a real Kubernetes client: CRUD with real Status errors,
//! selectors and pagination, pods as processes (phases, restarts, deadlines, graceful deletion), logs,
//! exec with exit codes, watches that survive 410 and server-side ends, RBAC, and scale.

mod support;

use std::path::Path;
use std::time::Duration;

use futures::{SinkExt as _, StreamExt as _};
use k8s_openapi::api::core::v1::{Namespace, PersistentVolumeClaim, Pod, Service};
use k8s_openapi::api::networking::v1::Ingress;
use kube::Api;
use kube::api::{AttachParams, DeleteParams, ListParams, LogParams, Patch, PatchParams, PostParams};
use kube::runtime::{WatchStreamExt as _, reflector, watcher};
use serde_json::json;
use tokio::io::AsyncReadExt as _;

const NS: &str = "opencode-manager";

fn pod(name: &str, command: &[&str]) -> Pod {
    let mut container = json!({"name": "main", "image": "busybox:1.36"});
    if !command.is_empty() {
        container["command"] = json!(command);
    }
    serde_json::from_value(json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": "test"}},
        "spec": {"restartPolicy": "Never", "containers": [container]},
    }))
    .expect("pod")
}

fn api_error(error: kube::Error) -> (u16, String, String) {
    match error {
        kube::Error::Api(status) => (status.code, status.reason.clone(), status.message.clone()),
        other => panic!("expected a Status error, got {other}"),
    }
}

async fn phase(pods: &Api<Pod>, name: &str) -> Option<String> {
    pods.get(name).await.ok()?.status?.phase
}

async fn wait_phase(pods: &Api<Pod>, name: &str, wanted: &str) -> Pod {
    support::eventually(10, &format!("pod {name} to be {wanted}"), || async {
        let pod = pods.get(name).await.ok()?;
        (pod.status.as_ref()?.phase.as_deref() == Some(wanted)).then_some(pod)
    })
    .await
}

#[tokio::test]
async fn creating_invalid_or_duplicate_objects_gets_the_status_a_real_server_sends() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);

    let bad_name = pod("Bad_Name", &["true"]);
    let (code, reason, message) =
        api_error(pods.create(&PostParams::default(), &bad_name).await.expect_err("invalid"));
    assert_eq!((code, reason.as_str()), (422, "Invalid"));
    assert!(message.starts_with("Pod \"Bad_Name\" is invalid: metadata.name: Invalid value"), "{message}");

    let mut no_image = pod("no-image", &["true"]);
    if let Some(spec) = no_image.spec.as_mut() {
        spec.containers[0].image = None;
    }
    let (code, _, message) =
        api_error(pods.create(&PostParams::default(), &no_image).await.expect_err("invalid"));
    assert_eq!(code, 422);
    assert!(message.contains("spec.containers[0].image: Required value"), "{message}");

    pods.create(&PostParams::default(), &pod("twice", &[])).await.expect("first create");
    let (code, reason, message) =
        api_error(pods.create(&PostParams::default(), &pod("twice", &[])).await.expect_err("dup"));
    assert_eq!(
        (code, reason.as_str(), message.as_str()),
        (409, "AlreadyExists", "pods \"twice\" already exists")
    );

    let elsewhere: Api<Pod> = Api::namespaced(client.clone(), "no-such-namespace");
    let (code, _, message) =
        api_error(elsewhere.create(&PostParams::default(), &pod("x", &[])).await.expect_err("ns"));
    assert_eq!((code, message.as_str()), (404, "namespaces \"no-such-namespace\" not found"));

    let (code, reason, message) = api_error(pods.get("missing").await.expect_err("missing"));
    assert_eq!((code, reason.as_str(), message.as_str()), (404, "NotFound", "pods \"missing\" not found"));
    cluster.shutdown().await;
}

#[tokio::test]
async fn services_ingresses_claims_and_namespaces_get_server_defaults() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let services: Api<Service> = Api::namespaced(client.clone(), NS);
    let service: Service = serde_json::from_value(json!({
        "metadata": {"name": "web"},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 8080}]},
    }))
    .expect("service");
    let created = services.create(&PostParams::default(), &service).await.expect("service created");
    let spec = created.spec.expect("spec");
    assert_eq!(spec.type_.as_deref(), Some("ClusterIP"));
    assert!(spec.cluster_ip.as_deref().is_some_and(|ip| ip.starts_with("10.96.")));
    let port = &spec.ports.expect("ports")[0];
    assert_eq!(port.protocol.as_deref(), Some("TCP"));
    assert_eq!(port.target_port, Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(8080)));

    let ingresses: Api<Ingress> = Api::namespaced(client.clone(), NS);
    let ingress: Ingress = serde_json::from_value(json!({
        "metadata": {"name": "web", "annotations": {"nginx.ingress.kubernetes.io/proxy-read-timeout": "3600"}},
        "spec": {"rules": [{"host": "web.example.com", "http": {"paths": [{"path": "/", "pathType": "Prefix",
            "backend": {"service": {"name": "web", "port": {"number": 8080}}}}]}}]},
    }))
    .expect("ingress");
    let created = ingresses.create(&PostParams::default(), &ingress).await.expect("ingress created");
    assert_eq!(
        created
            .metadata
            .annotations
            .and_then(|a| a.get("nginx.ingress.kubernetes.io/proxy-read-timeout").cloned()),
        Some("3600".to_string())
    );
    // k8s-openapi always sends pathType, as "" when unset, which a real API server refuses as unsupported.
    let no_path_type: Ingress = serde_json::from_value(json!({
        "metadata": {"name": "bad"},
        "spec": {"rules": [{"http": {"paths": [{"path": "/", "backend": {"service": {"name": "web", "port": {"number": 1}}}}]}}]},
    }))
    .expect("ingress");
    let (code, _, message) =
        api_error(ingresses.create(&PostParams::default(), &no_path_type).await.expect_err("422"));
    assert_eq!(code, 422);
    assert!(message.contains("spec.rules[0].http.paths[0].pathType: Unsupported value: \"\""), "{message}");

    let claims: Api<PersistentVolumeClaim> = Api::namespaced(client.clone(), NS);
    let claim: PersistentVolumeClaim = serde_json::from_value(json!({
        "metadata": {"name": "workspace"},
        "spec": {"accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": "1Gi"}}},
    }))
    .expect("pvc");
    let created = claims.create(&PostParams::default(), &claim).await.expect("pvc created");
    assert_eq!(created.status.and_then(|s| s.phase).as_deref(), Some("Bound"));

    let namespaces: Api<Namespace> = Api::all(client.clone());
    let names: Vec<String> = namespaces
        .list(&ListParams::default())
        .await
        .expect("namespaces")
        .items
        .into_iter()
        .filter_map(|n| n.metadata.name)
        .collect();
    assert_eq!(names, vec!["default".to_string(), NS.to_string()]);
    cluster.shutdown().await;
}

#[tokio::test]
async fn lists_filter_by_label_and_field_and_paginate_with_continue() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    for i in 0..7 {
        let mut p = pod(&format!("p{i}"), &[]);
        p.metadata.labels =
            Some([("tier".to_string(), if i % 2 == 0 { "even" } else { "odd" }.to_string())].into());
        pods.create(&PostParams::default(), &p).await.expect("create");
    }
    let even = pods.list(&ListParams::default().labels("tier=even")).await.expect("list");
    assert_eq!(even.items.len(), 4);
    let by_name = pods.list(&ListParams::default().fields("metadata.name=p3")).await.expect("list");
    assert_eq!(by_name.items.len(), 1);
    let notin = pods.list(&ListParams::default().labels("tier notin (even)")).await.expect("list");
    assert_eq!(notin.items.len(), 3);

    let mut seen = Vec::new();
    let mut params = ListParams::default().limit(3);
    loop {
        let page = pods.list(&params).await.expect("page");
        assert!(page.metadata.resource_version.is_some());
        seen.extend(page.items.into_iter().filter_map(|p| p.metadata.name));
        match page.metadata.continue_ {
            Some(token) if !token.is_empty() => params = params.continue_token(&token),
            _ => break,
        }
    }
    assert_eq!(seen, (0..7).map(|i| format!("p{i}")).collect::<Vec<_>>());
    cluster.shutdown().await;
}

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
async fn exec_returns_stdout_stderr_and_the_real_exit_code() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    pods.create(&PostParams::default(), &pod("shell", &[])).await.expect("create");
    wait_phase(&pods, "shell", "Running").await;
    for code in [0, 1, 3] {
        let command = format!("echo out; echo err >&2; exit {code}");
        let mut process = pods
            .exec("shell", ["sh", "-c", command.as_str()], &AttachParams::default().stderr(true))
            .await
            .expect("exec");
        let mut stdout = String::new();
        let mut stderr = String::new();
        let status = process.take_status().expect("status");
        process.stdout().expect("stdout").read_to_string(&mut stdout).await.expect("read");
        process.stderr().expect("stderr").read_to_string(&mut stderr).await.expect("read");
        let status = status.await.expect("status arrives");
        assert_eq!((stdout.as_str(), stderr.as_str()), ("out\n", "err\n"));
        if code == 0 {
            assert_eq!(status.status.as_deref(), Some("Success"));
        } else {
            let cause = status.details.and_then(|d| d.causes).and_then(|c| c.into_iter().next());
            assert_eq!(
                cause.map(|c| (c.reason, c.message)),
                Some((Some("ExitCode".into()), Some(code.to_string())))
            );
            assert_eq!(status.reason.as_deref(), Some("NonZeroExitCode"));
        }
    }
    cluster.shutdown().await;
}

#[tokio::test]
async fn exec_feeds_stdin_until_end_of_file() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    pods.create(&PostParams::default(), &pod("cat", &[])).await.expect("create");
    wait_phase(&pods, "cat", "Running").await;
    let mut process = pods
        .exec("cat", ["sh", "-c", "cat; echo done"], &AttachParams::default().stdin(true).stderr(false))
        .await
        .expect("exec");
    let mut stdin = process.stdin().expect("stdin");
    let status = process.take_status().expect("status");
    let mut stdout = process.stdout().expect("stdout");
    tokio::io::AsyncWriteExt::write_all(&mut stdin, "héllo wörld\n".as_bytes()).await.expect("write");
    // kube-rs's stdin is one half of a simplex pipe: only a shutdown (not a drop) reaches end of file.
    tokio::io::AsyncWriteExt::shutdown(&mut stdin).await.expect("end of stdin");
    let mut output = String::new();
    stdout.read_to_string(&mut output).await.expect("read");
    assert_eq!(output, "héllo wörld\ndone\n");
    assert_eq!(status.await.and_then(|s| s.status).as_deref(), Some("Success"));
    cluster.shutdown().await;
}

#[tokio::test]
async fn exec_on_a_terminal_sees_the_resized_window() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    pods.create(&PostParams::default(), &pod("tty", &[])).await.expect("create");
    wait_phase(&pods, "tty", "Running").await;
    let mut process = pods
        .exec("tty", ["sh", "-c", "read line; stty size"], &AttachParams::interactive_tty())
        .await
        .expect("exec");
    let mut resize = process.terminal_size().expect("resize channel");
    resize.send(kube::api::TerminalSize { width: 101, height: 33 }).await.expect("resize");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut stdin = process.stdin().expect("stdin");
    tokio::io::AsyncWriteExt::write_all(&mut stdin, b"go\n").await.expect("write");
    let mut stdout = process.stdout().expect("stdout");
    let mut output = String::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stdout.read_to_string(&mut output)).await;
    assert!(read.is_ok(), "output ends");
    assert!(output.contains("33 101"), "{output:?}");
    cluster.shutdown().await;
}

#[tokio::test]
async fn exec_into_a_finished_pod_is_a_400() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    pods.create(&PostParams::default(), &pod("done", &["true"])).await.expect("create");
    wait_phase(&pods, "done", "Succeeded").await;
    let Err(error) = pods.exec("done", ["true"], &AttachParams::default()).await else {
        panic!("exec into a finished pod was accepted");
    };
    let text = error.to_string();
    assert!(text.contains("400") || text.contains("completed pod"), "{text}");
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
async fn a_merge_patch_changes_labels_and_a_stale_resource_version_conflicts() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    let created = pods.create(&PostParams::default(), &pod("patched", &[])).await.expect("create");
    let patch = json!({"metadata": {"labels": {"stage": "two"}}});
    let patched = pods.patch("patched", &PatchParams::default(), &Patch::Merge(&patch)).await.expect("patch");
    assert_eq!(patched.metadata.labels.and_then(|l| l.get("stage").cloned()).as_deref(), Some("two"));
    let stale =
        json!({"metadata": {"resourceVersion": created.metadata.resource_version, "labels": {"x": "y"}}});
    let error =
        pods.patch("patched", &PatchParams::default(), &Patch::Merge(&stale)).await.expect_err("conflict");
    assert_eq!(api_error(error).0, 409);
    cluster.shutdown().await;
}

#[tokio::test]
async fn the_restricted_user_gets_a_real_403_outside_its_role() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.restricted_client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    pods.list(&ListParams::default()).await.expect("listing pods in its namespace is allowed");
    let other: Api<Pod> = Api::namespaced(client.clone(), "default");
    let (code, reason, message) = api_error(other.list(&ListParams::default()).await.expect_err("forbidden"));
    assert_eq!((code, reason.as_str()), (403, "Forbidden"));
    assert_eq!(
        message,
        "pods is forbidden: User \"system:serviceaccount:opencode-manager:opencode-manager\" cannot list \
         resource \"pods\" in API group \"\" in the namespace \"default\""
    );
    let namespaces: Api<Namespace> = Api::all(client);
    assert_eq!(api_error(namespaces.list(&ListParams::default()).await.expect_err("forbidden")).0, 403);
    cluster.shutdown().await;
}

#[tokio::test]
async fn injected_failures_come_back_as_the_chosen_status() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    // 500 rather than 503: kube-rs retries 503 by itself.
    cluster.faults().fail_requests(Some("GET"), "/pods", 500, Some(1));
    let (code, _, _) = api_error(pods.list(&ListParams::default()).await.expect_err("injected"));
    assert_eq!(code, 500);
    pods.list(&ListParams::default()).await.expect("only once");
    cluster.shutdown().await;
}

#[tokio::test]
async fn a_thousand_pods_list_and_a_hundred_exec_streams_run_at_once() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    futures::stream::iter(0..1000)
        .for_each_concurrent(32, |i| {
            let pods = pods.clone();
            async move {
                pods.create(&PostParams::default(), &pod(&format!("many-{i}"), &[])).await.expect("create");
            }
        })
        .await;
    let listed = pods.list(&ListParams::default()).await.expect("list");
    assert_eq!(listed.items.len(), 1000);
    wait_phase(&pods, "many-0", "Running").await;
    let results: Vec<String> = futures::stream::iter(0..100)
        .map(|i| {
            let pods = pods.clone();
            async move {
                let command = format!("echo {i}");
                let mut process = pods
                    .exec("many-0", ["sh", "-c", command.as_str()], &AttachParams::default())
                    .await
                    .expect("exec");
                let mut out = String::new();
                process.stdout().expect("stdout").read_to_string(&mut out).await.expect("read");
                out
            }
        })
        .buffer_unordered(100)
        .collect()
        .await;
    let mut numbers: Vec<u32> = results.iter().filter_map(|s| s.trim().parse().ok()).collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (0..100).collect::<Vec<_>>());
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

#[tokio::test]
async fn attach_connects_to_the_running_process_stdin_and_output() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    let mut p = pod("attached", &["sh", "-c", "read x; echo got $x"]);
    if let Some(spec) = p.spec.as_mut() {
        spec.containers[0].stdin = Some(true);
    }
    pods.create(&PostParams::default(), &p).await.expect("create");
    wait_phase(&pods, "attached", "Running").await;
    let mut process =
        pods.attach("attached", &AttachParams::default().stdin(true).stderr(false)).await.expect("attach");
    let mut stdin = process.stdin().expect("stdin");
    tokio::io::AsyncWriteExt::write_all(&mut stdin, b"hello\n").await.expect("write");
    let mut stdout = process.stdout().expect("stdout");
    let mut output = String::new();
    tokio::time::timeout(Duration::from_secs(10), stdout.read_to_string(&mut output))
        .await
        .expect("ends")
        .expect("read");
    assert_eq!(output, "got hello\n");
    cluster.shutdown().await;
}

#[tokio::test]
async fn exec_speaks_the_v4_channel_protocol_too() {
    use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest as _};
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    pods.create(&PostParams::default(), &pod("v4", &[])).await.expect("create");
    wait_phase(&pods, "v4", "Running").await;

    let kubeconfig = kube::config::Kubeconfig::read_from(cluster.kubeconfig()).expect("kubeconfig");
    let ca = kubeconfig.clusters[0]
        .cluster
        .as_ref()
        .and_then(|c| c.certificate_authority_data.clone())
        .expect("ca");
    let token = kubeconfig.auth_infos[0].auth_info.as_ref().and_then(|a| a.token.clone()).expect("token");
    use base64::Engine as _;
    let pem = base64::engine::general_purpose::STANDARD.decode(ca).expect("base64");
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_pemfile_certs(&pem) {
        roots.add(cert).expect("root");
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("tls")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let tcp = tokio::net::TcpStream::connect(cluster.addr()).await.expect("tcp");
    let name = rustls::pki_types::ServerName::try_from("127.0.0.1").expect("name");
    let tls =
        tokio_rustls::TlsConnector::from(std::sync::Arc::new(config)).connect(name, tcp).await.expect("tls");
    let url = format!(
        "wss://{}/api/v1/namespaces/{NS}/pods/v4/exec?command=sh&command=-c&command=echo+hi%3B+exit+2&stdout=true&stderr=true",
        cluster.addr()
    );
    let mut request = url.into_client_request().expect("request");
    request.headers_mut().insert(
        "Authorization",
        format!("Bearer {}", token.expose_secret_for_tests()).parse().expect("header"),
    );
    request.headers_mut().insert("Sec-WebSocket-Protocol", "v4.channel.k8s.io".parse().expect("header"));
    let (mut socket, response) = tokio_tungstenite::client_async(request, tls).await.expect("upgrade");
    assert_eq!(
        response.headers().get("sec-websocket-protocol").and_then(|v| v.to_str().ok()),
        Some("v4.channel.k8s.io")
    );
    let mut stdout = Vec::new();
    let mut status = None;
    while let Some(Ok(message)) = socket.next().await {
        if let Message::Binary(data) = message {
            match data.first() {
                Some(1) => stdout.extend_from_slice(&data[1..]),
                Some(3) => status = serde_json::from_slice::<serde_json::Value>(&data[1..]).ok(),
                _ => {}
            }
        }
    }
    assert_eq!(stdout, b"hi\n");
    let status = status.expect("a status frame");
    assert_eq!(status["details"]["causes"][0]["message"], "2");
    cluster.shutdown().await;
}

fn rustls_pemfile_certs(pem: &[u8]) -> Vec<rustls::pki_types::CertificateDer<'static>> {
    use rustls::pki_types::pem::PemObject as _;
    rustls::pki_types::CertificateDer::pem_slice_iter(pem).filter_map(Result::ok).collect()
}

trait ExposeForTests {
    fn expose_secret_for_tests(&self) -> String;
}

impl ExposeForTests for secrecy::SecretString {
    fn expose_secret_for_tests(&self) -> String {
        use secrecy::ExposeSecret as _;
        self.expose_secret().to_string()
    }
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
