//! Helpers for the embedded cluster's own tests.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use serde_json::json;

/// The namespace the tests work in: the one the restricted user's Role is bound in.
pub const NS: &str = kubegate_embedded::RESTRICTED_NAMESPACE;

/// Finds an external tool: the environment variable `KUBEGATE_<NAME>` when set, else `PATH`. A missing tool
/// fails the test with the way to install it; tests are never skipped silently.
pub fn tool(name: &str) -> PathBuf {
    let variable = format!("KUBEGATE_{}", name.to_uppercase());
    if let Some(path) = std::env::var_os(&variable) {
        return PathBuf::from(path);
    }
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!("{name} is needed by this test: run tests/run (which installs it) or set {variable}");
}

/// An embedded cluster for one test, with its data in a temporary directory.
pub async fn embedded_cluster() -> kubegate_embedded::EmbeddedCluster {
    kubegate_embedded::EmbeddedCluster::start(kubegate_embedded::Options::default())
        .await
        .expect("the embedded cluster starts")
}

/// Polls `check` every 50 ms until it returns `Some`, failing the test after `seconds`.
pub async fn eventually<T, F, Fut>(seconds: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(seconds);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out after {seconds}s waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A pod with one container `main` running `command` (the image's own when empty), never restarted.
pub fn pod(name: &str, command: &[&str]) -> Pod {
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

/// The code, reason and message of the Status an API call failed with.
pub fn api_error(error: kube::Error) -> (u16, String, String) {
    match error {
        kube::Error::Api(status) => (status.code, status.reason.clone(), status.message.clone()),
        other => panic!("expected a Status error, got {other}"),
    }
}

/// The phase of a pod, if it exists and has one.
pub async fn phase(pods: &Api<Pod>, name: &str) -> Option<String> {
    pods.get(name).await.ok()?.status?.phase
}

/// Waits up to 10 seconds for a pod to reach a phase, and returns it then.
pub async fn wait_phase(pods: &Api<Pod>, name: &str, wanted: &str) -> Pod {
    eventually(10, &format!("pod {name} to be {wanted}"), || async {
        let pod = pods.get(name).await.ok()?;
        (pod.status.as_ref()?.phase.as_deref() == Some(wanted)).then_some(pod)
    })
    .await
}

/// The host pids of every process whose command line is exactly `argv`, from `/proc`.
pub fn pids_running(argv: &[&str]) -> Vec<i32> {
    let wanted: Vec<u8> = argv.iter().flat_map(|a| a.bytes().chain([0])).collect();
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| c == wanted))
        .collect()
}
