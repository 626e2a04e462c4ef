//! The command line: `kubegate serve`, `kubegate gateway` and `kubegate mcp`. Every flag is also an environment variable
//! `KUBEGATE_*`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};

mod access;
mod mcp;
mod operate;

pub use access::{AccessArgs, UpstreamArgs};
use access::{default_state_dir, generate_token};
pub use mcp::{McpArgs, McpOutputArgs};

use crate::server::{self, ServeOptions};
use kubegate_core::settings::Settings;
use kubegate_core::state::Connection;
use kubegate_embedded::{EmbeddedCluster, Options as EmbeddedOptions};

/// kubegate runs throw-away workloads in Kubernetes over gRPC, REST and a terminal WebSocket.
#[derive(Debug, Parser)]
#[command(name = "kubegate", version, about)]
pub struct Cli {
    /// What to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Runs the service: gRPC, and the REST gateway and terminal unless --no-gateway.
    Serve(Box<ServeArgs>),
    /// Runs the REST gateway alone, as a client of a kubegate gRPC service.
    Gateway(Box<GatewayArgs>),
    /// Runs the embedded Kubernetes cluster alone, so kubectl and other clients can use it.
    EmbeddedCluster(EmbeddedClusterArgs),
    /// Serves MCP (Model Context Protocol) on stdin/stdout for a coding agent, as a client of a kubegate
    /// gRPC service; the token comes from KUBEGATE_API_TOKEN.
    Mcp(McpArgs),
}

/// Flags of `kubegate embedded-cluster`.
#[derive(Debug, Args)]
pub struct EmbeddedClusterArgs {
    /// Where to write the administrator kubeconfig; the restricted one is written beside it with the
    /// suffix `-restricted`.
    #[arg(long, env = "KUBEGATE_KUBECONFIG_OUT")]
    pub kubeconfig_out: PathBuf,
    /// Where the API server listens (loopback only). Port 0 picks a free port.
    #[arg(long, env = "KUBEGATE_EMBEDDED_ADDR", default_value = "127.0.0.1:0")]
    pub addr: SocketAddr,
    /// Where pod logs and volumes are kept. Default: a temporary directory removed at exit.
    #[arg(long, env = "KUBEGATE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
}

/// Flags of `kubegate serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Where gRPC listens. Port 0 picks a free port; the bound address is logged.
    #[arg(long, env = "KUBEGATE_GRPC_ADDR", default_value = "127.0.0.1:50051")]
    pub grpc_addr: SocketAddr,
    /// Where the REST gateway listens.
    #[arg(long, env = "KUBEGATE_HTTP_ADDR", default_value = "127.0.0.1:5003")]
    pub http_addr: SocketAddr,
    /// Where the terminal WebSocket listens (it is also served on the REST port).
    #[arg(long, env = "KUBEGATE_TERMINAL_ADDR", default_value = "127.0.0.1:5004")]
    pub terminal_addr: SocketAddr,
    /// The namespace requests that name none use.
    #[arg(long, env = "KUBEGATE_NAMESPACE", default_value = "opencode-manager")]
    pub namespace: String,
    /// The kubeconfig. Default: $KUBECONFIG, else /workspace/.kube/kubeconfig ($KUBEGATE_DEFAULT_KUBECONFIG
    /// moves it), else in-cluster credentials.
    #[arg(long, env = "KUBEGATE_KUBECONFIG")]
    pub kubeconfig: Option<PathBuf>,
    /// Where cluster settings persist.
    #[arg(long, env = "KUBEGATE_SETTINGS")]
    pub settings: Option<PathBuf>,
    /// Runs an embedded Kubernetes cluster in-process and uses it (no other cluster needed).
    #[arg(long, env = "KUBEGATE_EMBEDDED_CLUSTER", conflicts_with = "kubeconfig")]
    pub embedded_cluster: bool,
    /// Where the embedded cluster keeps pod logs and volumes. Default: a temporary directory.
    #[arg(long, env = "KUBEGATE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// When no cluster is configured, fail instead of starting the embedded cluster.
    #[arg(long, env = "KUBEGATE_NO_EMBEDDED_FALLBACK")]
    pub no_embedded_fallback: bool,
    /// Runs gRPC only, without the REST gateway and terminal.
    #[arg(long, env = "KUBEGATE_NO_GATEWAY")]
    pub no_gateway: bool,
    /// Access control: token, origins, CORS, body limit.
    #[command(flatten)]
    pub access: AccessArgs,
    /// How MCP results at /mcp are sized.
    #[command(flatten)]
    pub mcp: McpOutputArgs,
    /// A claim mounted into kubegate itself, as NAME=DIR (repeatable): kubegate reads projects there for
    /// image matching and checks commits before starting a test run.
    #[arg(long = "claim-mount", env = "KUBEGATE_CLAIM_MOUNTS", value_delimiter = ',')]
    pub claim_mounts: Vec<String>,
    /// The host name of previews; {name}, {namespace} and {domain} are replaced.
    #[arg(long, env = "KUBEGATE_PREVIEW_HOST_PATTERN", default_value = "preview-{name}.{domain}")]
    pub preview_host_pattern: String,
    /// The domain of preview hosts.
    #[arg(long, env = "KUBEGATE_PREVIEW_DOMAIN", default_value = "localhost")]
    pub preview_domain: String,
    /// Seconds between two passes of the reaper that deletes pods whose time-to-live expired.
    #[arg(long, env = "KUBEGATE_REAPER_INTERVAL_SECONDS", default_value_t = 30)]
    pub reaper_interval_seconds: u64,
    /// Seconds a one-shot exec may run when it names no timeout.
    #[arg(long, env = "KUBEGATE_EXEC_TIMEOUT_SECONDS", default_value_t = 60)]
    pub exec_timeout_seconds: u64,
    /// The longest timeout a one-shot exec may ask for, in seconds.
    #[arg(long, env = "KUBEGATE_EXEC_MAX_TIMEOUT_SECONDS", default_value_t = 900)]
    pub exec_max_timeout_seconds: u64,
    /// The most exec sessions open at once.
    #[arg(long, env = "KUBEGATE_MAX_SESSIONS", default_value_t = 256)]
    pub max_sessions: usize,
    /// The most exec sessions one caller (one token) may have open at once.
    #[arg(long, env = "KUBEGATE_MAX_SESSIONS_PER_CALLER", default_value_t = 64)]
    pub max_sessions_per_caller: usize,
    /// Seconds a session whose client left is kept for a reattach.
    #[arg(long, env = "KUBEGATE_SESSION_GRACE_SECONDS", default_value_t = 60)]
    pub session_grace_seconds: u64,
    /// Bytes of output a session keeps for a reattach.
    #[arg(long, env = "KUBEGATE_SESSION_BUFFER_BYTES", default_value_t = 1024 * 1024)]
    pub session_buffer_bytes: usize,
    /// Seconds without input or output after which a session is ended.
    #[arg(long, env = "KUBEGATE_SESSION_IDLE_TIMEOUT_SECONDS", default_value_t = 3600)]
    pub session_idle_timeout_seconds: u64,
    /// The only directory from which a kubeconfig may be named through the API (settings.kubeconfig_path).
    /// Default: none, so the kubeconfig can only be chosen with --kubeconfig or the settings file.
    #[arg(long, env = "KUBEGATE_KUBECONFIG_DIR")]
    pub kubeconfig_dir: Option<PathBuf>,
    /// Lets processes in workload pods gain privileges (setuid binaries). Default: refused.
    #[arg(long, env = "KUBEGATE_POD_ALLOW_PRIVILEGE_ESCALATION")]
    pub pod_allow_privilege_escalation: bool,
    /// Capabilities workload containers keep after dropping all (comma-separated). Default: CHOWN,
    /// FOWNER, SETGID, SETUID, NET_BIND_SERVICE.
    #[arg(long, env = "KUBEGATE_POD_CAPABILITIES", value_delimiter = ',')]
    pub pod_capabilities: Option<Vec<String>>,
    /// Mounts a ServiceAccount token into workload pods. Default: not mounted.
    #[arg(long, env = "KUBEGATE_POD_AUTOMOUNT_SERVICE_ACCOUNT_TOKEN")]
    pub pod_automount_service_account_token: bool,
    /// Runs workload pods without the runtime's default seccomp profile. Default: RuntimeDefault.
    #[arg(long, env = "KUBEGATE_POD_SECCOMP_UNCONFINED")]
    pub pod_seccomp_unconfined: bool,
    /// Ingress annotations callers may set besides the WebSocket and rewrite annotations of ingress-nginx
    /// (comma-separated exact keys, or prefixes ending in `*`).
    #[arg(long, env = "KUBEGATE_INGRESS_ANNOTATION_ALLOW", value_delimiter = ',')]
    pub ingress_annotation_allow: Vec<String>,
    /// Service types callers may create (comma-separated). Default: ClusterIP.
    #[arg(long, env = "KUBEGATE_SERVICE_TYPES", value_delimiter = ',', default_value = "ClusterIP")]
    pub service_types: Vec<String>,
    /// The most pod watches one caller (one token) may keep open.
    #[arg(long, env = "KUBEGATE_MAX_WATCHES_PER_CALLER", default_value_t = 64)]
    pub max_watches_per_caller: usize,
    /// The most followed logs one caller may keep open.
    #[arg(long, env = "KUBEGATE_MAX_FOLLOWS_PER_CALLER", default_value_t = 64)]
    pub max_follows_per_caller: usize,
    /// The most test runs one caller may have running.
    #[arg(long, env = "KUBEGATE_MAX_TEST_RUNS_PER_CALLER", default_value_t = 16)]
    pub max_test_runs_per_caller: usize,
    /// Running as replicas, metrics, the audit trail and draining.
    #[command(flatten)]
    pub operate: operate::OperateArgs,
    /// Seconds in-flight calls get to finish after SIGINT or SIGTERM.
    #[arg(long, env = "KUBEGATE_SHUTDOWN_GRACE_SECONDS", default_value_t = 10)]
    pub shutdown_grace_seconds: u64,
}

/// Flags of `kubegate gateway`.
#[derive(Debug, Args)]
pub struct GatewayArgs {
    /// The kubegate gRPC service.
    #[command(flatten)]
    pub upstream: UpstreamArgs,
    /// Where the REST gateway listens.
    #[arg(long, env = "KUBEGATE_HTTP_ADDR", default_value = "127.0.0.1:5003")]
    pub http_addr: SocketAddr,
    /// Where the terminal WebSocket listens.
    #[arg(long, env = "KUBEGATE_TERMINAL_ADDR", default_value = "127.0.0.1:5004")]
    pub terminal_addr: SocketAddr,
    /// Access control: token, origins, CORS, body limit.
    #[command(flatten)]
    pub access: AccessArgs,
    /// How MCP results at /mcp are sized.
    #[command(flatten)]
    pub mcp: McpOutputArgs,
}

/// The operator's policy for workloads, from the flags.
fn workload_policy(args: &ServeArgs) -> anyhow::Result<kubegate_core::config::WorkloadPolicy> {
    let defaults = kubegate_core::config::WorkloadPolicy::default();
    for kind in &args.service_types {
        if !["ClusterIP", "NodePort", "LoadBalancer"].contains(&kind.as_str()) {
            anyhow::bail!("--service-types {kind:?}: expected ClusterIP, NodePort or LoadBalancer");
        }
    }
    let mut annotations = defaults.ingress_annotation_allow.clone();
    annotations.extend(args.ingress_annotation_allow.iter().filter(|a| !a.is_empty()).cloned());
    Ok(kubegate_core::config::WorkloadPolicy {
        allow_privilege_escalation: args.pod_allow_privilege_escalation,
        capabilities_add: match &args.pod_capabilities {
            Some(list) => list.iter().filter(|c| !c.is_empty()).map(|c| c.to_ascii_uppercase()).collect(),
            None => defaults.capabilities_add,
        },
        automount_service_account_token: args.pod_automount_service_account_token,
        seccomp_unconfined: args.pod_seccomp_unconfined,
        ingress_annotation_allow: annotations,
        service_types: args.service_types.clone(),
    })
}

/// Parses `NAME=DIR` claim mounts.
fn parse_claim_mounts(values: &[String]) -> anyhow::Result<Vec<(String, PathBuf)>> {
    values
        .iter()
        .filter(|v| !v.is_empty())
        .map(|v| match v.split_once('=') {
            Some((name, dir)) if !name.is_empty() && !dir.is_empty() => {
                Ok((name.to_string(), PathBuf::from(dir)))
            }
            _ => anyhow::bail!("--claim-mount {v:?}: expected NAME=DIR"),
        })
        .collect()
}

/// Resolves on the first SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
    tracing::info!("shutdown requested");
}

/// Runs a parsed command line to completion.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve(*args).await,
        Command::Gateway(args) => gateway(*args).await,
        Command::EmbeddedCluster(args) => embedded_cluster(args).await,
        Command::Mcp(args) => mcp::run(args, shutdown_signal()).await,
    }
}

async fn embedded_cluster(args: EmbeddedClusterArgs) -> anyhow::Result<()> {
    let options = EmbeddedOptions {
        addr: args.addr,
        data_dir: args.data_dir,
        kubeconfig_out: Some(args.kubeconfig_out),
    };
    let cluster = EmbeddedCluster::start(options).await?;
    tracing::info!(
        kubeconfig = %cluster.kubeconfig().display(),
        restricted = %cluster.restricted_kubeconfig().display(),
        "embedded cluster ready: KUBECONFIG={} kubectl get pods",
        cluster.kubeconfig().display()
    );
    cluster.run_until(shutdown_signal()).await;
    Ok(())
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let mut settings = match &args.settings {
        Some(path) => kubegate_core::settings::load(path)?,
        None => None,
    }
    .unwrap_or_else(|| Settings { namespace: args.namespace.clone(), ..Settings::default() });
    if let Some(path) = &args.kubeconfig {
        settings.kubeconfig_path = path.display().to_string();
    }
    // The settings file is the operator's, but it is checked exactly as an API update is.
    if let Err(problem) = kubegate_core::policy::validate(&settings) {
        match &args.settings {
            Some(path) => anyhow::bail!("the settings file {} is not valid: {problem}", path.display()),
            None => anyhow::bail!("the settings are not valid: {problem}"),
        }
    }
    let tls = args.access.tls()?;
    if let Some(target) = &args.operate.audit_log {
        crate::audit::open(target, args.operate.audit_log_max_bytes)?;
    }
    let listening = [Some(args.grpc_addr), (!args.no_gateway).then_some(args.http_addr)];
    let token = match (args.access.token()?, args.access.no_auth) {
        (Some(token), _) => Some(token),
        (None, true) => {
            if let Some(addr) = listening.iter().flatten().find(|a| !a.ip().is_loopback()) {
                anyhow::bail!("--no-auth is refused with a non-loopback address ({addr}): set an API token");
            }
            tracing::warn!(
                "running without an API token (--no-auth): every local user may run commands through kubegate"
            );
            None
        }
        (None, false) => {
            let dir = args.data_dir.clone().unwrap_or_else(default_state_dir);
            let (token, path) = generate_token(&dir)?;
            let file = path.display();
            // With a self-signed certificate, the certificate is its own CA.
            let (curl, web, grpcurl) = match &args.access.tls_cert {
                Some(cert) => {
                    (format!(" --cacert {}", cert.display()), "https", format!("-cacert {}", cert.display()))
                }
                None => (String::new(), "http", "-plaintext".to_string()),
            };
            tracing::info!(
                "API token generated in {file} (mode 0600); use it with: \
                 curl{curl} -H \"Authorization: Bearer $(cat {file})\" {web}://{}/api/kubernetes/pods  or  \
                 KUBEGATE_API_TOKEN=$(cat {file}) grpcurl -H \"authorization: Bearer $KUBEGATE_API_TOKEN\" {grpcurl} {} list",
                args.http_addr,
                args.grpc_addr
            );
            Some(token)
        }
    };
    // With no cluster configured anywhere, the embedded cluster is the newcomer's default.
    let nothing_configured = settings.kubeconfig_path.is_empty()
        && matches!(
            kubegate_core::connection::resolve_source(None),
            Err(kubegate_core::connection::ConnectError::NotConfigured(_))
        );
    let embedded = if args.embedded_cluster || (nothing_configured && !args.no_embedded_fallback) {
        if !args.embedded_cluster {
            tracing::info!(
                "no Kubernetes cluster is configured: starting the embedded cluster (pass --no-embedded-fallback to refuse)"
            );
        }
        let options = EmbeddedOptions { data_dir: args.data_dir.clone(), ..EmbeddedOptions::default() };
        Some(EmbeddedCluster::start(options).await?)
    } else {
        None
    };
    let connection = match &embedded {
        Some(cluster) => {
            // Through kubegate's own client stack (no Nagle delay, metrics), as any other cluster.
            let source = kubegate_core::connection::Source::Kubeconfig(cluster.kubeconfig().to_path_buf());
            let client = kubegate_core::connection::connect(&source).await?;
            Connection::with_client(client, format!("https://{}", cluster.addr()))
        }
        None if !settings.kubeconfig_path.is_empty() => {
            Connection::establish(Some(std::path::Path::new(&settings.kubeconfig_path))).await
        }
        None => Connection::establish(None).await,
    };
    // A kubeconfig named on the command line that cannot be used is a mistake to report at once; a missing
    // default one is not: the service starts and reports it through health and the connection test.
    if let (Some(_), Err(problem)) = (&args.kubeconfig, &connection.client) {
        anyhow::bail!("{problem}");
    }
    if let (false, Err(problem)) = (settings.kubeconfig_path.is_empty(), &connection.client) {
        tracing::warn!(%problem, "the kubeconfig named in the settings cannot be used");
    }
    let options = ServeOptions {
        grpc_addr: args.grpc_addr,
        http_addr: (!args.no_gateway).then_some(args.http_addr),
        terminal_addr: (!args.no_gateway).then_some(args.terminal_addr),
        settings,
        settings_path: args.settings.clone(),
        reaper_interval: Duration::from_secs(args.reaper_interval_seconds),
        exec_limits: kubegate_core::exec::ExecLimits {
            default_timeout: Duration::from_secs(args.exec_timeout_seconds),
            max_timeout: Duration::from_secs(args.exec_max_timeout_seconds),
            max_sessions: args.max_sessions,
            max_sessions_per_caller: args.max_sessions_per_caller,
            detach_grace: Duration::from_secs(args.session_grace_seconds),
            session_buffer: args.session_buffer_bytes,
            idle_timeout: Duration::from_secs(args.session_idle_timeout_seconds),
            ..kubegate_core::exec::ExecLimits::default()
        },
        shutdown_grace: Duration::from_secs(args.shutdown_grace_seconds),
        drain: Duration::from_secs(args.operate.drain_seconds),
        metrics_addr: args.operate.metrics_addr,
        settings_configmap: args.operate.settings_configmap.clone(),
        advertise_url: args.operate.advertise_url.clone(),
        peer_tls_name: args.operate.peer_tls_name.clone(),
        peer_ca: match &args.operate.peer_ca {
            Some(path) => Some(kubegate_gateway::tls::read_bounded(path)?),
            None => None,
        },
        leader_election: args.operate.leader_election.then(|| kubegate_core::leader::Election {
            namespace: kubegate_core::state::own_namespace(&args.namespace),
            name: "kubegate-leader".into(),
            identity: kubegate_core::leader::Election::default_identity(),
            duration: Duration::from_secs(args.operate.lease_duration_seconds.max(3)),
        }),
        insecure: args.access.insecure,
        tls,
        token,
        admin_token: args.access.admin_token()?,
        hosts: args.access.host_policy(),
        kubeconfig_dir: args.kubeconfig_dir.clone(),
        workload: workload_policy(&args)?,
        quotas: crate::quota::Limits {
            watches: args.max_watches_per_caller,
            follows: args.max_follows_per_caller,
            test_runs: args.max_test_runs_per_caller,
        },
        gateway: Some(kubegate_gateway::GatewayConfig {
            mcp: args.mcp.options(),
            ..args.access.gateway_config(String::new())?
        }),
        workflows: kubegate_core::workflows::Config {
            claim_mounts: parse_claim_mounts(&args.claim_mounts)?,
            claims_root: embedded.as_ref().map(EmbeddedCluster::claims_root),
            preview_host_pattern: args.preview_host_pattern.clone(),
            preview_domain: args.preview_domain.clone(),
            ..kubegate_core::workflows::Config::default()
        },
    };
    let running = server::start(options, connection).await?;
    let token = running.shutdown_token();
    tokio::spawn(async move {
        shutdown_signal().await;
        token.cancel();
    });
    let result = running.wait().await;
    if let Some(cluster) = embedded {
        cluster.shutdown().await;
    }
    result
}

async fn gateway(args: GatewayArgs) -> anyhow::Result<()> {
    let config = kubegate_gateway::GatewayConfig {
        mcp: args.mcp.options(),
        upstream_ca: args.upstream.ca()?,
        tls: args.access.tls()?,
        ..args.access.gateway_config(args.upstream.upstream.clone())?
    };
    // A bad upstream URL or CA is reported before anything listens.
    kubegate_proto::dial::endpoint(&config.upstream, config.upstream_ca.as_deref())?;
    // The gateway's own calls carry the token too: over a network they must be encrypted.
    if let Ok(url) = args.upstream.upstream.parse::<http::Uri>() {
        let loopback = url.host().is_some_and(|h| {
            h == "localhost"
                || h.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
        });
        if url.scheme_str() != Some("https") && !loopback && config.token.is_some() && !args.access.insecure {
            anyhow::bail!(
                "refusing to send the API token to {} in clear: use an https:// upstream (with --upstream-ca), \
                 or pass --insecure",
                args.upstream.upstream
            );
        }
    }
    let scheme = if config.tls.is_some() { ("https", "wss") } else { ("http", "ws") };
    server::check_exposure(
        [args.http_addr, args.terminal_addr],
        config.token.is_some(),
        config.tls.is_some(),
        args.access.insecure,
    )?;
    let http = server::bind(args.http_addr, "the REST gateway").await?;
    let terminal = server::bind(args.terminal_addr, "the terminal WebSocket").await?;
    if let (Ok(http), Ok(terminal)) = (http.local_addr(), terminal.local_addr()) {
        let (web, socket) = scheme;
        tracing::info!(
            "gateway listening on {web}://{http}/api/kubernetes and {socket}://{terminal}/ws/kubernetes/exec, calling {}",
            args.upstream.upstream
        );
    }
    let listeners = kubegate_gateway::Listeners { http, terminal: Some(terminal) };
    kubegate_gateway::serve(listeners, config, shutdown_signal()).await.context("the gateway failed")
}
