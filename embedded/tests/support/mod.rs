//! Helpers for the embedded cluster's own tests.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

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
