//! Starting and stopping the service: the gRPC server (with reflection, health and grpc-web) and, unless
//! turned off, the REST gateway in the same process.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context as _;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_stream::StreamExt as _;
use tokio_util::sync::CancellationToken;
use tonic::transport::Server;

use crate::conn::Conn;
use crate::grpc::{ClusterApi, ExecApi, NetworkApi, PodApi, WorkflowApi};
use kubegate_core::state::{Connection, State};
use kubegate_proto::v1::{
    cluster_service_server::ClusterServiceServer, exec_service_server::ExecServiceServer,
    network_service_server::NetworkServiceServer, pod_service_server::PodServiceServer,
    workflow_service_server::WorkflowServiceServer,
};

/// What `kubegate serve` needs to start.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where gRPC listens; port 0 picks a free port.
    pub grpc_addr: SocketAddr,
    /// Where the REST gateway listens; `None` runs gRPC only.
    pub http_addr: Option<SocketAddr>,
    /// Where the terminal WebSocket listens; `None` serves it on the REST port only.
    pub terminal_addr: Option<SocketAddr>,
    /// The settings at start (from the settings file, or the defaults with the command line's namespace).
    pub settings: kubegate_core::settings::Settings,
    /// Where settings persist; `None` keeps updates in memory only.
    pub settings_path: Option<std::path::PathBuf>,
    /// How often the time-to-live reaper looks for expired pods.
    pub reaper_interval: Duration,
    /// Limits of exec and exec sessions.
    pub exec_limits: kubegate_core::exec::ExecLimits,
    /// How long kubegate keeps serving after a shutdown request while reporting NOT_SERVING (health and
    /// `/healthz`), so that load balancers send new calls elsewhere first.
    pub drain: Duration,
    /// How long in-flight calls may run after a shutdown request before they are cut.
    pub shutdown_grace: Duration,
    /// Allow listening beyond loopback without an API token or TLS.
    pub insecure: bool,
    /// The certificate every listener serves TLS with; `None` serves plain HTTP (loopback only, unless
    /// `insecure`).
    pub tls: Option<kubegate_gateway::tls::ServerTls>,
    /// The API token guarding gRPC, REST and the terminal; `None` leaves the API open (loopback only).
    pub token: Option<kubegate_proto::auth::ApiToken>,
    /// The admin token, which may also widen policy through the API.
    pub admin_token: Option<kubegate_proto::auth::ApiToken>,
    /// The host names served besides loopback names and IP literals.
    pub hosts: kubegate_proto::auth::HostPolicy,
    /// The only directory a kubeconfig named through the API may come from.
    pub kubeconfig_dir: Option<std::path::PathBuf>,
    /// What workloads may have and expose.
    pub workload: kubegate_core::config::WorkloadPolicy,
    /// Per-caller caps on open watches, followed logs and running test runs.
    pub quotas: crate::quota::Limits,
    /// Where kubegate reads shared volumes and how previews are named.
    pub workflows: kubegate_core::workflows::Config,
    /// How the other replicas reach this one's gRPC (`https://POD_IP:50051`): session ids then name
    /// this replica, and a reattach that reaches another replica is relayed here. `None` runs alone.
    pub advertise_url: Option<String>,
    /// The CA (PEM) the other replicas' certificates chain to, for relaying.
    pub peer_ca: Option<Vec<u8>>,
    /// The name the other replicas' certificates are verified for, instead of their addresses.
    pub peer_tls_name: Option<String>,
    /// The ConfigMap (in kubegate's namespace) that replicas share settings through; `None` keeps them in
    /// the settings file.
    pub settings_configmap: Option<String>,
    /// Leader election among replicas (a Lease); `None` runs singleton work (the reaper) here always.
    pub leader_election: Option<kubegate_core::leader::Election>,
    /// Where `GET /metrics` is served (no token: keep it on loopback or a network only the scraper
    /// reaches); `None` serves no metrics.
    pub metrics_addr: Option<SocketAddr>,
    /// The REST gateway's own settings (origins, CORS, body limit, ping interval); its upstream,
    /// tokens and host names are filled in at start.
    pub gateway: Option<kubegate_gateway::GatewayConfig>,
}

/// A running service. Dropping it does not stop it; call [`Running::shutdown`].
#[derive(Debug)]
pub struct Running {
    /// The bound gRPC address.
    pub grpc_addr: SocketAddr,
    /// The bound REST gateway address, when the gateway runs.
    pub http_addr: Option<SocketAddr>,
    /// The bound terminal address, when it has its own port.
    pub terminal_addr: Option<SocketAddr>,
    /// The bound metrics address, when metrics are served.
    pub metrics_addr: Option<SocketAddr>,
    token: CancellationToken,
    task: JoinHandle<anyhow::Result<()>>,
}

impl Running {
    /// A token that stops the service when cancelled.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.token.clone()
    }

    /// Stops accepting calls, lets in-flight calls finish within the grace period, and waits.
    pub async fn shutdown(self) -> anyhow::Result<()> {
        self.token.cancel();
        self.wait().await
    }

    /// Waits until the service stops (after its token is cancelled, or on a fatal error).
    pub async fn wait(self) -> anyhow::Result<()> {
        self.task.await.context("the server task panicked")?
    }
}

/// Binds a listener, with an error that names the address and its purpose.
pub async fn bind(addr: SocketAddr, purpose: &str) -> anyhow::Result<TcpListener> {
    let listener =
        TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr} for {purpose}"))?;
    Ok(listener)
}

/// Refuses addresses beyond loopback for an API without a token, or without TLS (the token would cross
/// the network in clear), unless explicitly allowed.
pub fn check_exposure(
    addrs: impl IntoIterator<Item = SocketAddr>,
    has_token: bool,
    has_tls: bool,
    insecure: bool,
) -> anyhow::Result<()> {
    for addr in addrs.into_iter().filter(|a| !a.ip().is_loopback() && !insecure) {
        if !has_token {
            anyhow::bail!(
                "refusing to listen on {addr}: it is not a loopback address and no API token is set; \
                 set KUBEGATE_API_TOKEN (or --api-token-file), listen on 127.0.0.1, or pass --insecure \
                 to expose an open API anyway"
            );
        }
        if !has_tls {
            anyhow::bail!(
                "refusing to listen on {addr} without TLS: the API token would cross the network in clear; \
                 pass --tls-cert and --tls-key, listen on 127.0.0.1, or pass --insecure (for example behind \
                 a proxy that terminates TLS)"
            );
        }
    }
    Ok(())
}

/// Accepted gRPC connections, each TLS handshake in its own task (within `limit`) so that a client that
/// never finishes one holds up nobody.
fn secured(
    listener: TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    limit: Duration,
) -> impl futures::Stream<Item = std::io::Result<Conn>> {
    let (ready_tx, ready_rx) = tokio::sync::mpsc::channel::<Conn>(64);
    tokio::spawn(async move {
        loop {
            let socket = tokio::select! {
                socket = kubegate_gateway::accept(&listener) => socket,
                () = ready_tx.closed() => return,
            };
            let ready = ready_tx.clone();
            match &tls {
                None => {
                    if ready.send(Conn::Tcp(socket)).await.is_err() {
                        return;
                    }
                }
                Some(acceptor) => {
                    let handshake = acceptor.accept(socket);
                    tokio::spawn(async move {
                        match tokio::time::timeout(limit, handshake).await {
                            Ok(Ok(stream)) => {
                                let _ = ready.send(Conn::Tls(Box::new(stream))).await;
                            }
                            Ok(Err(e)) => {
                                tracing::debug!(error = %e, "a TLS handshake on the gRPC port failed")
                            }
                            Err(_) => {
                                tracing::debug!("a TLS handshake on the gRPC port did not finish in time")
                            }
                        }
                    });
                }
            }
        }
    });
    tokio_stream::wrappers::ReceiverStream::new(ready_rx).map(Ok)
}

/// Publishes the connection's state to `grpc.health.v1` until stopped: the Kubernetes-backed services are
/// SERVING only with a client; ClusterService always is, since it is how the connection gets fixed.
async fn forward_health(
    mut connected: tokio::sync::watch::Receiver<bool>,
    reporter: tonic_health::server::HealthReporter,
    stop: CancellationToken,
) {
    loop {
        let now = *connected.borrow_and_update();
        for name in kubegate_proto::SERVICE_NAMES {
            let status = if name == "kubegate.v1.ClusterService" || now {
                tonic_health::ServingStatus::Serving
            } else {
                tonic_health::ServingStatus::NotServing
            };
            reporter.set_service_status(name, status).await;
        }
        tokio::select! {
            changed = connected.changed() => if changed.is_err() { return },
            () = stop.cancelled() => return,
        }
    }
}

/// Binds every listener, then serves until the returned handle is shut down.
pub async fn start(options: ServeOptions, connection: Connection) -> anyhow::Result<Running> {
    let addrs = [Some(options.grpc_addr), options.http_addr, options.terminal_addr];
    check_exposure(
        addrs.into_iter().flatten(),
        options.token.is_some(),
        options.tls.is_some(),
        options.insecure,
    )?;
    let grpc = bind(options.grpc_addr, "gRPC").await?;
    let grpc_addr = grpc.local_addr()?;
    let http = match options.http_addr {
        Some(addr) => Some(bind(addr, "the REST gateway").await?),
        None => None,
    };
    let terminal = match (options.http_addr, options.terminal_addr) {
        (Some(_), Some(addr)) => Some(bind(addr, "the terminal WebSocket").await?),
        _ => None,
    };
    let metrics = match options.metrics_addr {
        Some(addr) => Some(bind(addr, "metrics").await?),
        None => None,
    };
    let metrics_addr = metrics.as_ref().map(TcpListener::local_addr).transpose()?;
    let http_addr = http.as_ref().map(TcpListener::local_addr).transpose()?;
    let terminal_addr = terminal.as_ref().map(TcpListener::local_addr).transpose()?;

    let connection_client = connection.client.as_ref().ok().cloned();
    if let Err(problem) = &connection.client {
        tracing::warn!(%problem, "Kubernetes is not reachable; pod, exec and network calls will fail until the settings are fixed");
    }
    let (reporter, health) = tonic_health::server::health_reporter();
    // Settings shared by replicas: the ConfigMap's, or (the first replica) this one's, written there.
    let mut settings = options.settings.clone();
    let shared = match (&options.settings_configmap, &connection_client) {
        (Some(name), Some(client)) => {
            let namespace = kubegate_core::state::own_namespace(&settings.namespace);
            let shared =
                kubegate_core::shared_settings::SharedSettings::new(client.clone(), &namespace, name);
            match shared.load().await? {
                Some(found) => settings = found,
                None => match shared.save(&settings).await {
                    Ok(()) => {}
                    // Another replica created it first: theirs it is.
                    Err(kubegate_core::Error::Conflict(_)) => {
                        settings =
                            shared.load().await?.context("the settings ConfigMap vanished while starting")?;
                    }
                    Err(e) => return Err(e.into()),
                },
            }
            tracing::info!(configmap = %name, %namespace, "settings are shared through a ConfigMap");
            Some(shared)
        }
        (Some(name), None) => anyhow::bail!("--settings-configmap {name} needs a Kubernetes connection"),
        _ => None,
    };
    let state = State::with_limits(
        settings,
        options.settings_path.clone(),
        connection,
        options.exec_limits.clone(),
        options.workflows.clone(),
    )
    .with_operator_policy(options.kubeconfig_dir.clone(), options.workload.clone());
    let state = match &shared {
        Some(shared) => state.with_shared_settings(shared.clone()),
        None => state,
    };
    let token = CancellationToken::new();
    if let Some(shared) = shared {
        let adopting = state.clone();
        shared.follow(
            move |settings| {
                let state = adopting.clone();
                Box::pin(async move { state.adopt_settings(settings).await })
            },
            token.clone(),
        );
    }
    // With leader election, singleton work (the reaper) runs on the replica holding the Lease only.
    let leading = match (&options.leader_election, &connection_client) {
        (Some(election), Some(client)) => {
            Some(kubegate_core::leader::run(client.clone(), election.clone(), token.clone()).leading)
        }
        _ => {
            kubegate_metrics::global().leader.set(1);
            None
        }
    };
    tokio::spawn(kubegate_core::cleanup::reaper(
        state.clone(),
        options.reaper_interval,
        token.clone(),
        leading,
    ));

    tokio::spawn(forward_health(state.connected(), reporter.clone(), token.clone()));
    // A shutdown request first turns health NOT_SERVING (readiness fails, endpoints drop this replica),
    // keeps serving for the drain period, and only then stops the listeners.
    let stopping = CancellationToken::new();
    let (asked, drained, drain) = (token.clone(), stopping.clone(), options.drain);
    tokio::spawn(async move {
        asked.cancelled().await;
        reporter.set_service_status("", tonic_health::ServingStatus::NotServing).await;
        for name in kubegate_proto::SERVICE_NAMES {
            reporter.set_service_status(name, tonic_health::ServingStatus::NotServing).await;
        }
        if !drain.is_zero() {
            tracing::info!(?drain, "draining: health reports NOT_SERVING while calls are still served");
            tokio::time::sleep(drain).await;
        }
        drained.cancel();
    });
    let quotas = crate::quota::Quotas::new(options.quotas);
    let sessions = std::sync::Arc::new(kubegate_core::sessions::Sessions::for_replica(
        options.exec_limits.clone(),
        options.advertise_url.clone(),
    ));
    let relay = match (&options.advertise_url, &connection_client) {
        (Some(url), Some(client)) => {
            let namespace = kubegate_core::state::own_namespace(&state.settings().await.namespace);
            // The port too: replicas may share a host (and a process, in tests).
            let identity =
                format!("{}-{}", kubegate_core::leader::Election::default_identity(), grpc_addr.port());
            let peers = kubegate_core::peers::Peers::new(client.clone(), &namespace, &identity, url);
            if let Err(e) = peers.register().await {
                tracing::warn!(error = %e, "cannot list this replica among the peers; other replicas cannot relay sessions here");
            }
            let leaving = (peers.clone(), token.clone());
            tokio::spawn(async move {
                leaving.1.cancelled().await;
                if let Err(e) = leaving.0.unregister().await {
                    tracing::debug!(error = %e, "cannot remove this replica from the peers");
                }
            });
            Some(std::sync::Arc::new(crate::grpc::Relay {
                peers,
                ca: options.peer_ca.clone(),
                tls_name: options.peer_tls_name.clone(),
            }))
        }
        _ => None,
    };

    let reflection_v1 = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(kubegate_proto::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()?;
    let reflection_v1alpha = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(kubegate_proto::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1alpha()?;

    let routes = tonic::service::Routes::default()
        .add_service(health)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(PodServiceServer::new(PodApi::new(state.clone(), quotas.clone())))
        .add_service(ExecServiceServer::new(ExecApi::new(state.clone(), sessions).with_relay(relay)))
        .add_service(NetworkServiceServer::new(NetworkApi::new(state.clone())))
        .add_service(ClusterServiceServer::new(ClusterApi::new(state.clone())))
        .add_service(WorkflowServiceServer::new(WorkflowApi::new(state.clone(), quotas)))
        .prepare();
    let access = crate::auth::Access {
        token: options.token.clone(),
        admin: options.admin_token.clone(),
        hosts: options.hosts.clone(),
    };
    let grpc_span = |request: &http::Request<_>| crate::telemetry::grpc_request_span(request);
    // The in-process gateway calls the routes directly, through the same layers as a network caller
    // (span, metrics, the token check) but without grpc-web, which only browsers speak.
    let in_process = kubegate_proto::hop::in_process(
        tower::ServiceBuilder::new()
            .layer(tower_http::trace::TraceLayer::new_for_grpc().make_span_with(grpc_span))
            .layer(crate::observe::ObserveLayer)
            .layer(crate::auth::RequireAccess::new(access.clone()))
            .service(routes.clone()),
    );
    let router = Server::builder()
        .accept_http1(true)
        .http2_keepalive_interval(Some(Duration::from_secs(20)))
        .http2_keepalive_timeout(Some(Duration::from_secs(20)))
        .layer(tower_http::trace::TraceLayer::new_for_grpc().make_span_with(grpc_span))
        .layer(crate::observe::ObserveLayer)
        .layer(tonic_web::GrpcWebLayer::new())
        .layer(crate::auth::RequireAccess::new(access))
        .add_routes(routes);

    let (web, socket) = if options.tls.is_some() { ("https", "wss") } else { ("http", "ws") };
    if let Some(tls) = options.tls.clone() {
        tokio::spawn(tls.watch(kubegate_gateway::tls::RELOAD_INTERVAL, token.clone()));
    }
    tracing::info!("gRPC listening on {web}://{grpc_addr} (reflection, health, grpc-web)");
    let grpc_shutdown = stopping.clone();
    let grace = options.shutdown_grace;
    let tls = options.tls.clone();
    let handshake_limit = kubegate_gateway::HEADER_READ_TIMEOUT;
    let grpc_task = async move {
        let network =
            secured(grpc, tls.as_ref().map(kubegate_gateway::tls::ServerTls::acceptor), handshake_limit);
        let serve = router.serve_with_incoming_shutdown(network, grpc_shutdown.clone().cancelled_owned());
        tokio::select! {
            result = serve => result.context("the gRPC server failed"),
            () = async { grpc_shutdown.cancelled().await; tokio::time::sleep(grace).await } => {
                tracing::warn!(?grace, "in-flight calls did not finish within the shutdown grace period; cutting them");
                Ok(())
            }
        }
    };

    let gateway_task = match http {
        Some(http) => {
            let upstream = format!("http://{grpc_addr}");
            if let Some(addr) = http_addr {
                tracing::info!(
                    "REST gateway listening on {web}://{addr}/api/kubernetes (terminal at {socket}://{addr}/ws/kubernetes/exec)"
                );
            }
            if let Some(addr) = terminal_addr {
                tracing::info!("terminal WebSocket listening on {socket}://{addr}/ws/kubernetes/exec");
            }
            let listeners = kubegate_gateway::Listeners { http, terminal };
            let mut config =
                options.gateway.clone().unwrap_or_else(|| kubegate_gateway::GatewayConfig::new(""));
            config.upstream = upstream;
            config.token = options.token.clone();
            config.admin_token = options.admin_token.clone();
            config.hosts = options.hosts.clone();
            config.in_process = Some(in_process);
            config.tls = options.tls.clone();
            let stop = stopping.clone();
            Some(async move {
                let serve = kubegate_gateway::serve(listeners, config, stop.clone().cancelled_owned());
                tokio::select! {
                    result = serve => result,
                    () = async { stop.cancelled().await; tokio::time::sleep(grace).await } => Ok(()),
                }
            })
        }
        None => None,
    };

    if let (Some(listener), Some(addr)) = (metrics, metrics_addr) {
        tracing::info!("metrics at http://{addr}/metrics");
        let (hosts, stop) = (options.hosts.clone(), stopping.clone());
        tokio::spawn(async move {
            if let Err(e) = kubegate_gateway::serve_metrics(listener, hosts, stop.cancelled_owned()).await {
                tracing::warn!(error = %e, "serving metrics failed");
            }
        });
    }
    let task = tokio::spawn(async move {
        match gateway_task {
            Some(gateway) => {
                let (grpc, gateway) = tokio::join!(grpc_task, gateway);
                grpc?;
                gateway.context("the REST gateway failed")
            }
            None => grpc_task.await,
        }
    });
    Ok(Running { grpc_addr, http_addr, terminal_addr, metrics_addr, token, task })
}
