//! What a pod can see of its host: not the cluster's kubeconfigs or data directory, not another pod's
//! or kubegate's process environment, only its own processes in `/proc`; and it runs as an unprivileged
//! host uid (root only in a user namespace of its own). The same holds for an exec into a pod.

mod support;

use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kube::api::{AttachParams, LogParams, PostParams};
use kubegate_embedded::{EmbeddedCluster, Options};
use serde_json::json;
use support::{NS, wait_phase};
use tokio::io::AsyncReadExt as _;

/// The pod whose environment the others try to read, told apart by its argv.
const TARGET: [&str; 2] = ["sleep", "100200"];
const SECRET: &str = "kubegate-test-secret-value";

/// What a probing shell prints: each line is `name: outcome`, so that the assertions say what leaked.
const PROBE: &str = r#"
cat "$ADMIN" >/dev/null 2>&1 && echo "admin kubeconfig: read" || echo "admin kubeconfig: refused"
cat "$RESTRICTED" >/dev/null 2>&1 && echo "restricted kubeconfig: read" || echo "restricted kubeconfig: refused"
echo "data directory: [$(ls -A "$DATA" 2>&1 | tr '\n' ' ')]"
cat "/proc/$OTHER/environ" 2>/dev/null | tr '\0' '\n' | grep -q "$SECRET" && echo "other pod environ: read" || echo "other pod environ: refused"
cat "/proc/$KUBEGATE/environ" >/dev/null 2>&1 && echo "kubegate environ: read" || echo "kubegate environ: refused"
echo "proc: $(ls /proc | grep '^[0-9]*$' | tr '\n' ' ')"
echo "uid: $(id -u)"
"#;

fn token_of(kubeconfig: &std::path::Path) -> String {
    let text = std::fs::read_to_string(kubeconfig).expect("kubeconfig");
    text.lines().find_map(|l| l.trim().strip_prefix("token: ")).expect("a token").to_string()
}

/// Checks a probe's output: nothing read, nothing of the host's processes seen.
fn assert_confined(output: &str, kubegate: u32, other: i32, tokens: &[String]) {
    for token in tokens {
        assert!(!output.contains(token.as_str()), "a token leaked: {output}");
    }
    for line in ["admin kubeconfig: refused", "restricted kubeconfig: refused", "data directory: []"] {
        assert!(output.contains(line), "expected {line:?} in {output}");
    }
    for line in ["other pod environ: refused", "kubegate environ: refused", "uid: 0"] {
        assert!(output.contains(line), "expected {line:?} in {output}");
    }
    let proc_line = output.lines().find_map(|l| l.strip_prefix("proc: ")).expect("the /proc listing");
    let pids: Vec<i64> = proc_line.split_whitespace().filter_map(|p| p.parse().ok()).collect();
    assert!(pids.contains(&1), "the pod's own init is pid 1: {proc_line}");
    for host_pid in [i64::from(kubegate), i64::from(other)] {
        assert!(!pids.contains(&host_pid), "host pid {host_pid} is visible: {proc_line}");
    }
    assert!(pids.len() < 10, "only the pod's own processes: {proc_line}");
}

#[tokio::test]
async fn a_pod_sees_neither_the_kubeconfigs_nor_the_data_directory_nor_other_processes() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let options = Options {
        data_dir: Some(data.clone()),
        kubeconfig_out: Some(dir.path().join("kube").join("config")),
        ..Options::default()
    };
    let cluster = EmbeddedCluster::start(options).await.expect("the cluster starts");
    let tokens = [token_of(cluster.kubeconfig()), token_of(cluster.restricted_kubeconfig())];
    let pods: Api<Pod> = Api::namespaced(cluster.client().await.expect("client"), NS);

    let target: Pod = serde_json::from_value(json!({
        "metadata": {"name": "target"},
        "spec": {"restartPolicy": "Never", "containers": [{
            "name": "main", "image": "busybox", "command": TARGET, "env": [{"name": "SECRET", "value": SECRET}],
        }]},
    }))
    .expect("pod");
    pods.create(&PostParams::default(), &target).await.expect("target");
    wait_phase(&pods, "target", "Running").await;
    let other = support::eventually(5, "the target's process", || async {
        support::pids_running(&TARGET).first().copied()
    })
    .await;
    let status = std::fs::read_to_string(format!("/proc/{other}/status")).expect("status");
    let host_uid =
        status.lines().find_map(|l| l.strip_prefix("Uid:")).expect("Uid").split_whitespace().next();
    assert_eq!(host_uid, Some("99999"), "a pod runs as an unprivileged host uid");

    let kubegate = std::process::id();
    let env = json!([
        {"name": "ADMIN", "value": cluster.kubeconfig()},
        {"name": "RESTRICTED", "value": cluster.restricted_kubeconfig()},
        {"name": "DATA", "value": data},
        {"name": "OTHER", "value": other.to_string()},
        {"name": "KUBEGATE", "value": kubegate.to_string()},
        {"name": "SECRET", "value": SECRET},
    ]);
    let prober: Pod = serde_json::from_value(json!({
        "metadata": {"name": "prober"},
        "spec": {"restartPolicy": "Never", "containers": [{
            "name": "main", "image": "busybox", "command": ["sh", "-c", PROBE], "env": env,
        }]},
    }))
    .expect("pod");
    pods.create(&PostParams::default(), &prober).await.expect("prober");
    wait_phase(&pods, "prober", "Succeeded").await;
    let output = pods.logs("prober", &LogParams::default()).await.expect("logs");
    assert_confined(&output, kubegate, other, &tokens);

    // An exec runs in the pod's sandbox, as confined as the pod's own process.
    let script = format!(
        "ADMIN={} RESTRICTED={} DATA={} OTHER={other} KUBEGATE={kubegate} SECRET={SECRET}; {PROBE}",
        cluster.kubeconfig().display(),
        cluster.restricted_kubeconfig().display(),
        data.display()
    );
    let mut exec =
        pods.exec("target", ["sh", "-c", script.as_str()], &AttachParams::default()).await.expect("exec");
    let mut output = String::new();
    exec.stdout().expect("stdout").read_to_string(&mut output).await.expect("read");
    assert_confined(&output, kubegate, other, &tokens);
    cluster.shutdown().await;
}

#[tokio::test]
async fn an_exec_into_a_pod_without_a_command_is_confined_too() {
    let cluster = support::embedded_cluster().await;
    let pods: Api<Pod> = Api::namespaced(cluster.client().await.expect("client"), NS);
    pods.create(&PostParams::default(), &support::pod("idle", &[])).await.expect("create");
    wait_phase(&pods, "idle", "Running").await;
    let script =
        format!("cat {} >/dev/null 2>&1 && echo read || echo refused; id -u", cluster.kubeconfig().display());
    let mut exec =
        pods.exec("idle", ["sh", "-c", script.as_str()], &AttachParams::default()).await.expect("exec");
    let mut output = String::new();
    exec.stdout().expect("stdout").read_to_string(&mut output).await.expect("read");
    assert_eq!(output, "refused\n0\n");
    cluster.shutdown().await;
}

#[tokio::test]
async fn a_data_directory_inside_the_home_stays_hidden_and_its_claims_still_mount() {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from).expect("HOME");
    let dir = tempfile::Builder::new().prefix(".kubegate-test-").tempdir_in(&home).expect("dir in HOME");
    let data = dir.path().join("data");
    let options = Options { data_dir: Some(data.clone()), ..Options::default() };
    let cluster = EmbeddedCluster::start(options).await.expect("the cluster starts");
    let client = cluster.client().await.expect("client");
    let claims: Api<k8s_openapi::api::core::v1::PersistentVolumeClaim> = Api::namespaced(client.clone(), NS);
    let claim = serde_json::from_value(json!({
        "metadata": {"name": "cache"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
    }))
    .expect("pvc");
    claims.create(&PostParams::default(), &claim).await.expect("claim");
    let script = format!(
        "echo kept > note && cat note && pwd && ls -A {} && echo listed; cat {} >/dev/null 2>&1 && echo read || echo refused",
        data.display(),
        cluster.kubeconfig().display()
    );
    let pod: Pod = serde_json::from_value(json!({
        "metadata": {"name": "cached"},
        "spec": {"restartPolicy": "Never",
            "volumes": [{"name": "cache", "persistentVolumeClaim": {"claimName": "cache"}}],
            "containers": [{"name": "main", "image": "busybox", "command": ["sh", "-c", script],
                "workingDir": "/root/.cache/work",
                "volumeMounts": [{"name": "cache", "mountPath": "/root/.cache/work"}]}]},
    }))
    .expect("pod");
    let pods: Api<Pod> = Api::namespaced(client, NS);
    pods.create(&PostParams::default(), &pod).await.expect("pod");
    wait_phase(&pods, "cached", "Succeeded").await;
    let output = pods.logs("cached", &LogParams::default()).await.expect("logs");
    // The data directory is inside the pod's (empty) home: not even there.
    assert!(output.starts_with("kept\n/root/.cache/work\n"), "{output}");
    assert!(!output.contains("listed") && output.ends_with("refused\n"), "{output}");
    let on_host = std::fs::read_to_string(cluster.claims_root().join(NS).join("cache").join("note"));
    assert_eq!(on_host.expect("the claim holds what the pod wrote"), "kept\n");
    cluster.shutdown().await;
}
