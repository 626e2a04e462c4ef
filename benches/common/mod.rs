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

/// The kubegate binary in a clean environment: `home` as HOME, none of the caller's `KUBEGATE_*`,
/// KUBECONFIG or in-cluster variables, and the default kubeconfig moved into `home`, so that only the
/// cluster a benchmark names is used.
pub fn kubegate(home: &Path) -> std::process::Command {
    let mut command = std::process::Command::new(binary());
    for (name, _) in std::env::vars_os() {
        let text = name.to_string_lossy();
        if text.starts_with("KUBEGATE_") || text.starts_with("KUBERNETES_") || text == "KUBECONFIG" {
            command.env_remove(&name);
        }
    }
    command.env("HOME", home).env("KUBEGATE_DEFAULT_KUBECONFIG", home.join(".kube").join("kubeconfig"));
    command
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
        kubegate(dir)
            .args(["embedded-cluster", "--kubeconfig-out"])
            .arg(&kubeconfig)
            .arg("--data-dir")
            .arg(dir.join("data"))
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

/// The API token the benchmarks give kubegate, as in production.
pub const TOKEN: &str = "bench-token-0123456789abcdef0123456789abcdef";

/// Where a benchmark's kubegate listens, and its process id.
pub struct Served {
    pub grpc: u16,
    pub http: u16,
    pub pid: u32,
}

/// Starts `kubegate serve` on free loopback ports for the cluster of `kubeconfig`, with the token and
/// `extra` flags; the guard stops it.
pub fn serve(guard: &mut Guard, kubeconfig: &Path, extra: &[&str]) -> Result<Served, Error> {
    let (grpc, http, terminal) = (free_port(), free_port(), free_port());
    let home = kubeconfig.parent().unwrap_or(Path::new("."));
    let child = kubegate(home)
        .args(["serve", "--grpc-addr", &format!("127.0.0.1:{grpc}")])
        .args(["--http-addr", &format!("127.0.0.1:{http}")])
        .args(["--terminal-addr", &format!("127.0.0.1:{terminal}")])
        .args(extra)
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .env("RUST_LOG", "warn")
        .env("KUBEGATE_API_TOKEN", TOKEN)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    let pid = child.id();
    guard.0.push(child);
    Ok(Served { grpc, http, pid })
}

/// `request` carrying the token.
pub fn authorized<T>(message: T) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request.metadata_mut().insert("authorization", format!("Bearer {TOKEN}").parse().unwrap());
    request
}

/// A pod named `name` running `sleep` in opencode-manager, with `labels`, waited for until it runs.
pub async fn running_pod(kube: &kube::Client, name: &str, labels: serde_json::Value) -> Result<(), Error> {
    use kube::api::{Api, PostParams};
    let pods: Api<k8s_openapi::api::core::v1::Pod> = Api::namespaced(kube.clone(), "opencode-manager");
    let pod = serde_json::from_value(serde_json::json!({
        "metadata": {"name": name, "labels": labels},
        "spec": {"containers": [{"name": "runner", "image": "busybox", "command": ["sleep", "3600"]}]},
    }))?;
    pods.create(&PostParams::default(), &pod).await?;
    let running =
        kube::runtime::wait::await_condition(pods, name, kube::runtime::conditions::is_pod_running());
    tokio::time::timeout(Duration::from_secs(30), running).await??;
    Ok(())
}

/// A plain TCP relay to `target` on a thread of its own (as a process of its own would be): what one side
/// sends is written to the other, 64 KiB at a time, nothing else. Returns where it listens.
pub fn tcp_relay(target: std::net::SocketAddr) -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            while let Ok((mut inbound, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await else { return };
                    let _ = inbound.set_nodelay(true);
                    let _ = outbound.set_nodelay(true);
                    let _ =
                        tokio::io::copy_bidirectional_with_sizes(&mut inbound, &mut outbound, 65536, 65536)
                            .await;
                });
            }
        });
    });
    addr
}
