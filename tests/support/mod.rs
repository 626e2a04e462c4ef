//! Helpers shared by the integration tests: starting kubegate on loopback ports and finding the external
//! tools the tests drive (grpcurl, buf, kubectl).

#![allow(dead_code)]

pub mod cutter;
pub mod exec;
pub mod scenario;
pub mod tls;
pub mod watch;

#[allow(unused_imports)]
pub use scenario::ScenarioStack;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use kubegate::server::{Running, ServeOptions};
use kubegate_core::state::Connection;

/// Options for a server on free loopback ports.
pub fn loopback_options(gateway: bool) -> ServeOptions {
    let any: SocketAddr = "127.0.0.1:0".parse().expect("loopback address");
    ServeOptions {
        grpc_addr: any,
        http_addr: gateway.then_some(any),
        terminal_addr: gateway.then_some(any),
        settings: kubegate_core::settings::Settings::default(),
        settings_path: None,
        reaper_interval: Duration::from_millis(200),
        exec_limits: kubegate_core::exec::ExecLimits::default(),
        shutdown_grace: Duration::from_secs(2),
        drain: Duration::ZERO,
        insecure: false,
        tls: None,
        token: None,
        admin_token: None,
        hosts: Default::default(),
        kubeconfig_dir: None,
        workload: Default::default(),
        quotas: Default::default(),
        gateway: None,
        metrics_addr: None,
        leader_election: None,
        settings_configmap: None,
        advertise_url: None,
        peer_ca: None,
        peer_tls_name: None,
        workflows: kubegate_core::workflows::Config::default(),
    }
}

/// A connection that has no Kubernetes behind it, as on a machine without a kubeconfig.
pub async fn no_kubernetes() -> Connection {
    let missing = std::env::temp_dir().join("kubegate-tests-no-such-kubeconfig");
    Connection::establish(Some(&missing)).await
}

/// Starts kubegate with no Kubernetes behind it.
pub async fn start_without_kubernetes(gateway: bool) -> Running {
    kubegate::server::start(loopback_options(gateway), no_kubernetes().await)
        .await
        .expect("kubegate starts on loopback")
}

/// A tonic channel to a running server.
pub async fn channel(addr: SocketAddr) -> tonic::transport::Channel {
    tonic::transport::Endpoint::from_shared(format!("http://{addr}"))
        .expect("endpoint")
        .connect()
        .await
        .expect("connects to kubegate")
}

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

/// The path of the kubegate binary built for these tests.
pub fn kubegate_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_kubegate"))
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

/// kubegate serving gRPC on loopback in front of an embedded cluster.
pub struct Stack {
    /// The cluster.
    pub cluster: kubegate_embedded::EmbeddedCluster,
    /// The service.
    pub server: Running,
    /// A channel to the service.
    pub channel: tonic::transport::Channel,
}

impl Stack {
    /// Stops the service and the cluster.
    pub async fn stop(self) {
        self.server.shutdown().await.expect("clean shutdown");
        self.cluster.shutdown().await;
    }

    /// A pod client.
    pub fn pods(
        &self,
    ) -> kubegate_proto::v1::pod_service_client::PodServiceClient<tonic::transport::Channel> {
        kubegate_proto::v1::pod_service_client::PodServiceClient::new(self.channel.clone())
    }

    /// A network client.
    pub fn network(
        &self,
    ) -> kubegate_proto::v1::network_service_client::NetworkServiceClient<tonic::transport::Channel> {
        kubegate_proto::v1::network_service_client::NetworkServiceClient::new(self.channel.clone())
    }

    /// A cluster-settings client.
    pub fn settings(
        &self,
    ) -> kubegate_proto::v1::cluster_service_client::ClusterServiceClient<tonic::transport::Channel> {
        kubegate_proto::v1::cluster_service_client::ClusterServiceClient::new(self.channel.clone())
    }

    /// An exec client.
    pub fn exec(
        &self,
    ) -> kubegate_proto::v1::exec_service_client::ExecServiceClient<tonic::transport::Channel> {
        kubegate_proto::v1::exec_service_client::ExecServiceClient::new(self.channel.clone())
    }
}

/// Starts an embedded cluster and kubegate in front of it with the given options.
pub async fn stack_with(mut options: ServeOptions, restricted: bool) -> Stack {
    let cluster = embedded_cluster().await;
    // As `serve` does on the embedded cluster: kubegate reads the claims where the cluster keeps them.
    if options.workflows.claims_root.is_none() {
        options.workflows.claims_root = Some(cluster.claims_root());
    }
    // Through kubegate's own client stack, as `serve` builds it for the embedded cluster.
    let kubeconfig = if restricted { cluster.restricted_kubeconfig() } else { cluster.kubeconfig() };
    let source = kubegate_core::connection::Source::Kubeconfig(kubeconfig.to_path_buf());
    let client = kubegate_core::connection::connect(&source).await.expect("client");
    let connection = Connection::with_client(client, format!("https://{}", cluster.addr()));
    let server = kubegate::server::start(options, connection).await.expect("kubegate starts");
    let channel = channel(server.grpc_addr).await;
    Stack { cluster, server, channel }
}

/// Starts an embedded cluster and kubegate in front of it.
pub async fn stack() -> Stack {
    stack_with(loopback_options(false), false).await
}

/// Creates a pod running `command` through kubegate and waits until it runs.
pub async fn running_pod(stack: &Stack, name: &str, command: &[&str]) {
    use kubegate_proto::v1::{CreatePodRequest, GetPodRequest, PodPhase, PodSpec};
    let mut pods = stack.pods();
    let spec = PodSpec {
        name: name.into(),
        image: "busybox:1.36".into(),
        command: command.iter().map(|s| s.to_string()).collect(),
        ..PodSpec::default()
    };
    pods.create_pod(CreatePodRequest { pod: Some(spec), validate_only: false }).await.expect("create");
    eventually(10, "the pod to run", || {
        let mut pods = pods.clone();
        async move {
            let pod =
                pods.get_pod(GetPodRequest { namespace: String::new(), name: name.into() }).await.ok()?;
            (pod.into_inner().pod?.phase == PodPhase::Running as i32).then_some(())
        }
    })
    .await;
}

/// Runs git in `dir` with a fixed identity; fails the test on error.
pub fn git(dir: &std::path::Path, args: &[&str]) -> String {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=kubegate",
            "-c",
            "user.email=tests@kubegate.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// Creates a claim `workspace` with a repository `repos/myapp` of two commits: the first fails its tests, the
/// second passes. Returns the two commit ids.
pub async fn git_workspace(stack: &Stack) -> (String, String) {
    let client = stack.cluster.client().await.expect("client");
    let claims: kube::api::Api<k8s_openapi::api::core::v1::PersistentVolumeClaim> =
        kube::api::Api::namespaced(client, "opencode-manager");
    let claim: k8s_openapi::api::core::v1::PersistentVolumeClaim =
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": "workspace"},
            "spec": {"accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": "1Gi"}}},
        }))
        .expect("claim");
    claims.create(&kube::api::PostParams::default(), &claim).await.expect("create claim");
    let repo = stack.cluster.claims_root().join("opencode-manager").join("workspace").join("repos/myapp");
    std::fs::create_dir_all(&repo).expect("repo dir");
    git(&repo, &["init", "--quiet", "--initial-branch=main"]);
    std::fs::write(repo.join(".nvmrc"), "20.11.0\n").expect("write");
    std::fs::write(
        repo.join("test.sh"),
        "echo running the tests of $(cat VERSION)\necho 'expected 2, got 3' >&2\nexit 1\n",
    )
    .expect("write");
    std::fs::write(repo.join("VERSION"), "one\n").expect("write");
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "--quiet", "-m", "first"]);
    let first = git(&repo, &["rev-parse", "HEAD"]);
    std::fs::write(repo.join("test.sh"), "echo running the tests of $(cat VERSION)\necho all passed\n")
        .expect("write");
    std::fs::write(repo.join("VERSION"), "two\n").expect("write");
    git(&repo, &["commit", "--quiet", "-am", "second"]);
    let second = git(&repo, &["rev-parse", "HEAD"]);
    (first, second)
}

/// One HTTP/1.1 request to `addr` naming `host`, with extra headers and a JSON body; returns the status
/// and the JSON body (`null` when there is none). Bodies may come chunked: the JSON between the first
/// `{` and the last `}` is taken.
pub async fn http_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    host: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> (u16, serde_json::Value) {
    let socket = tokio::net::TcpStream::connect(addr).await.expect("connect");
    http_over(socket, method, path, host, headers, body).await
}

/// One HTTP/1.1 request over an open connection (plain or TLS); the status and the JSON body.
pub async fn http_over<S>(
    mut socket: S,
    method: &str,
    path: &str,
    host: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> (u16, serde_json::Value)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let body = body.unwrap_or_default();
    let extra: String = headers.iter().map(|(name, value)| format!("{name}: {value}\r\n")).collect();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Content-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    socket.write_all(request.as_bytes()).await.expect("write");
    let mut response = Vec::new();
    // A TLS peer may close without close_notify after the response; what arrived is what counts.
    let _ = socket.read_to_end(&mut response).await;
    let text = String::from_utf8_lossy(&response).to_string();
    let status = text.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let raw = text.split("\r\n\r\n").nth(1).unwrap_or_default();
    let json = match (raw.find('{'), raw.rfind('}')) {
        (Some(a), Some(b)) => serde_json::from_str(&raw[a..=b]).unwrap_or(serde_json::Value::Null),
        _ => serde_json::Value::Null,
    };
    (status, json)
}

/// Variables of the machine kubegate reads besides `KUBEGATE_*`: a kubegate under test gets none of them.
pub const MACHINE_VARIABLES: [&str; 9] = [
    "KUBECONFIG",
    "XDG_STATE_HOME",
    "KUBERNETES_SERVICE_HOST",
    "KUBERNETES_SERVICE_PORT",
    "POD_NAMESPACE",
    "POD_NAME",
    "NODE_EXTRA_CA_CERTS",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "RUST_LOG",
];

/// `kubegate` with `args` in a clean environment: `home` as HOME, none of the caller's `KUBEGATE_*` or
/// [`MACHINE_VARIABLES`], and the default kubeconfig (`/workspace/.kube/kubeconfig` otherwise) moved to
/// `home/.kube/kubeconfig`, so that only what the test puts into `home` or names in `args` is used.
pub fn kubegate_command(args: &[&str], home: &std::path::Path) -> std::process::Command {
    let mut command = std::process::Command::new(kubegate_binary());
    command.args(args);
    hermetic(&mut command, home);
    command
}

/// Makes `command` (kubegate) hermetic as [`kubegate_command`] describes; for `tokio::process::Command`
/// take [`hermetic_env`].
pub fn hermetic(command: &mut std::process::Command, home: &std::path::Path) {
    command.env_clear().envs(hermetic_env(home));
}

/// The environment of a hermetic kubegate (see [`kubegate_command`]): the test process's own, less the
/// caller's `KUBEGATE_*` and [`MACHINE_VARIABLES`], with `home` as HOME.
pub fn hermetic_env(home: &std::path::Path) -> Vec<(std::ffi::OsString, std::ffi::OsString)> {
    let mut env: Vec<_> = std::env::vars_os()
        .filter(|(name, _)| {
            let name = name.to_string_lossy();
            !name.starts_with("KUBEGATE_") && !MACHINE_VARIABLES.contains(&name.as_ref()) && name != "HOME"
        })
        .collect();
    env.push(("HOME".into(), home.into()));
    env.push(("KUBEGATE_DEFAULT_KUBECONFIG".into(), home.join(".kube").join("kubeconfig").into()));
    env
}

/// A loopback address free when asked.
pub fn free_port() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("address")
}

/// A client of `cluster` through kubegate's own client stack, as `serve` builds it.
pub async fn kube_client(cluster: &kubegate_embedded::EmbeddedCluster) -> kube::Client {
    let source = kubegate_core::connection::Source::Kubeconfig(cluster.kubeconfig().to_path_buf());
    kubegate_core::connection::connect(&source).await.expect("client")
}

/// Whether a process whose command line is exactly `argv` runs anywhere on the host. Pods on the embedded
/// cluster have their own PID namespace and user, so a pid they report means nothing out here.
pub fn process_running(argv: &[&str]) -> bool {
    let wanted = argv.join("\0") + "\0";
    std::fs::read_dir("/proc").into_iter().flatten().flatten().any(|entry| {
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        let state = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        // A zombie has finished; nothing here reaps orphans, so it may linger.
        cmdline == wanted.as_bytes() && !state.contains(") Z ")
    })
}
