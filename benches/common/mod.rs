//! Helpers shared by the benchmarks: the kubegate binary beside the bench, free ports, percentiles.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::Duration;

/// Any error.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Kills the child processes when dropped.
pub struct Guard(pub Vec<Child>);
impl Drop for Guard {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

pub fn binary() -> PathBuf {
    let here = std::env::current_exe().unwrap();
    // target/release/deps/exec-xxxx -> target/release/kubegate
    here.parent().and_then(Path::parent).unwrap().join("kubegate")
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

pub async fn wait_for(path: &Path) {
    for _ in 0..400 {
        if path.exists() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("{} did not appear", path.display());
}

/// Starts `kubegate embedded-cluster` writing its kubeconfig into `dir`; returns the kubeconfig's path.
pub async fn embedded_cluster(guard: &mut Guard, dir: &Path) -> Result<PathBuf, Error> {
    let kubeconfig = dir.join("kubeconfig");
    guard.0.push(
        std::process::Command::new(binary())
            .args(["embedded-cluster", "--kubeconfig-out"])
            .arg(&kubeconfig)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()?,
    );
    wait_for(&kubeconfig).await;
    Ok(kubeconfig)
}

/// A gRPC channel to kubegate, retried while it starts.
pub async fn grpc_channel(port: u16) -> Result<tonic::transport::Channel, Error> {
    for _ in 0..200 {
        if let Ok(c) =
            tonic::transport::Endpoint::from_shared(format!("http://127.0.0.1:{port}"))?.connect().await
        {
            return Ok(c);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err("kubegate did not start".into())
}
