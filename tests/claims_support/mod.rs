//! Helpers of the `claims_*` tests: kubegate as a child process in a clean environment (its log kept for
//! failure messages, killed when dropped), and kubeconfigs of the embedded cluster taken apart.

#![allow(dead_code)]

use std::io::Read as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kubegate_proto::v1::{TestConnectionRequest, TestConnectionResponse};

/// A kubegate (or any) child process, killed when dropped.
pub struct Process {
    child: Mutex<Child>,
    log: Arc<Mutex<String>>,
}

impl Process {
    /// Starts `command` with stdout and stderr captured into the log.
    pub fn spawn(mut command: Command) -> Self {
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = command.spawn().expect("the process starts");
        let log = Arc::new(Mutex::new(String::new()));
        for pipe in [
            child.stdout.take().map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
            child.stderr.take().map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
        ]
        .into_iter()
        .flatten()
        {
            let log = log.clone();
            std::thread::spawn(move || {
                let mut pipe = pipe;
                let mut buffer = [0u8; 4096];
                while let Ok(n) = pipe.read(&mut buffer) {
                    if n == 0 {
                        break;
                    }
                    let text = String::from_utf8_lossy(&buffer[..n]).to_string();
                    log.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push_str(&text);
                }
            });
        }
        Self { child: Mutex::new(child), log }
    }

    /// Everything the process printed so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// The exit status, if the process has ended.
    pub fn exited(&self) -> Option<std::process::ExitStatus> {
        let mut child = self.child.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        child.try_wait().expect("wait")
    }

    /// Waits for the process to end by itself within `seconds`; its exit code and log.
    pub async fn wait_exit(&self, seconds: u64) -> (Option<i32>, String) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(seconds);
        loop {
            if let Some(status) = self.exited() {
                // The pipes may still hold the last words.
                tokio::time::sleep(Duration::from_millis(100)).await;
                return (status.code(), self.log());
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "still running after {seconds}s:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until `addr` accepts connections; fails the test (with the log) if the process ends first or
    /// after 30 seconds.
    pub async fn wait_for_port(&self, addr: SocketAddr) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.exited() {
                panic!("the process ended ({status}) before listening on {addr}:\n{}", self.log());
            }
            if tokio::net::TcpStream::connect(addr).await.is_ok() {
                return;
            }
            assert!(tokio::time::Instant::now() < deadline, "nothing listens on {addr}:\n{}", self.log());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let child = self.child.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner);
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// `kubegate serve` with gRPC only on `grpc`, no token, no embedded fallback, its data in `home`, in a
/// clean environment (no KUBECONFIG, no `KUBEGATE_*`) plus `env`.
pub fn serve_command(grpc: SocketAddr, home: &Path, extra: &[&str], env: &[(&str, &str)]) -> Command {
    let data = home.join("data");
    let grpc = grpc.to_string();
    let mut args = vec![
        "serve",
        "--no-gateway",
        "--no-auth",
        "--no-embedded-fallback",
        "--grpc-addr",
        &grpc,
        "--data-dir",
        data.to_str().expect("a UTF-8 path"),
    ];
    args.extend_from_slice(extra);
    let mut command = crate::support::kubegate_command(&args, home);
    command.env_remove("NODE_EXTRA_CA_CERTS").env_remove("KUBERNETES_SERVICE_HOST");
    command.env_remove("KUBERNETES_SERVICE_PORT");
    for (name, value) in env {
        command.env(name, value);
    }
    command
}

/// Asks the kubegate at `grpc` to test its connection to Kubernetes.
pub async fn test_connection(grpc: SocketAddr) -> TestConnectionResponse {
    let mut client = kubegate_proto::v1::cluster_service_client::ClusterServiceClient::new(
        crate::support::channel(grpc).await,
    );
    client
        .test_connection(TestConnectionRequest::default())
        .await
        .expect("the connection test runs")
        .into_inner()
}

/// A kubeconfig's text without its `certificate-authority-data` line, and that CA as PEM.
pub fn split_ca(kubeconfig: &Path) -> (String, String) {
    use base64::Engine as _;
    let text = std::fs::read_to_string(kubeconfig).expect("the kubeconfig reads");
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("certificate-authority-data:"))
        .expect("the kubeconfig carries its CA");
    let encoded = line.split_once(':').map(|(_, v)| v.trim()).unwrap_or_default();
    let pem = base64::engine::general_purpose::STANDARD.decode(encoded).expect("base64 CA");
    let without: String = text.lines().filter(|l| *l != line).map(|l| format!("{l}\n")).collect();
    (without, String::from_utf8(pem).expect("PEM text"))
}

/// The bearer token of a kubeconfig written by the embedded cluster.
pub fn token_of(kubeconfig: &Path) -> String {
    let text = std::fs::read_to_string(kubeconfig).expect("the kubeconfig reads");
    text.lines()
        .find_map(|l| l.trim_start().strip_prefix("token:"))
        .map(|t| t.trim().to_string())
        .expect("the kubeconfig has a token")
}

/// Writes `contents` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, contents: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write a test file");
    path
}
