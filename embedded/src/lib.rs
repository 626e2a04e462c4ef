//! The embedded Kubernetes cluster: an API server inside kubegate that speaks the real wire protocol
//! (HTTPS with its own CA, bearer tokens, discovery, JSON objects, watch, Status errors, pods/log, and
//! exec/attach over WebSocket v5/v4) and runs each pod's containers as local processes.
//!
//! `kubegate embedded-cluster` runs it alone; `kubegate serve --embedded-cluster` runs it in-process;
//! tests start one with [`EmbeddedCluster::start`].

mod api;
mod auth;
mod discovery;
mod exec;
pub mod faults;
mod kinds;
mod kubelet;
mod logs;
mod objects;
mod selectors;
mod status;
mod store;
mod table;
mod tls;
mod volumes;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

pub use faults::Faults;

use auth::User;
use kubelet::Kubelet;
use store::Store;

/// The namespaces that exist at start.
pub const INITIAL_NAMESPACES: [&str; 2] = ["default", "opencode-manager"];

/// The namespace the restricted user's Role is bound in.
pub const RESTRICTED_NAMESPACE: &str = "opencode-manager";

/// Everything the API handlers share.
pub(crate) struct Cluster {
    store: Store,
    users: Vec<User>,
    kubelet: Kubelet,
    faults: Arc<Faults>,
    data_dir: PathBuf,
    server_address: String,
}

/// How to start an embedded cluster.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where to listen; must be a loopback address. Port 0 picks a free port.
    pub addr: SocketAddr,
    /// Where pod logs and volumes live. `None` uses a temporary directory removed at shutdown.
    pub data_dir: Option<PathBuf>,
    /// Where to write the administrator kubeconfig. The restricted one goes beside it with the suffix
    /// `-restricted`. `None` writes both into the data directory.
    pub kubeconfig_out: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Self { addr: SocketAddr::from(([127, 0, 0, 1], 0)), data_dir: None, kubeconfig_out: None }
    }
}

/// A running embedded cluster. Dropping it stops the server and every pod process.
pub struct EmbeddedCluster {
    addr: SocketAddr,
    kubeconfig: PathBuf,
    restricted_kubeconfig: PathBuf,
    faults: Arc<Faults>,
    cluster: Arc<Cluster>,
    token: CancellationToken,
    task: Option<tokio::task::JoinHandle<()>>,
    _temp: Option<tempfile::TempDir>,
}

impl std::fmt::Debug for EmbeddedCluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedCluster")
            .field("addr", &self.addr)
            .field("kubeconfig", &self.kubeconfig)
            .finish()
    }
}

fn kubeconfig_yaml(server: &str, ca_pem: &str, user: &str, token: &str, namespace: &str) -> String {
    use base64::Engine as _;
    let ca = base64::engine::general_purpose::STANDARD.encode(ca_pem);
    format!(
        "apiVersion: v1\nkind: Config\npreferences: {{}}\nclusters:\n- cluster:\n    server: {server}\n    \
         certificate-authority-data: {ca}\n  name: kubegate-embedded\ncontexts:\n- context:\n    cluster: \
         kubegate-embedded\n    user: {user}\n    namespace: {namespace}\n  name: {user}\ncurrent-context: \
         {user}\nusers:\n- name: {user}\n  user:\n    token: {token}\n"
    )
}

/// Writes a file readable by its owner only, atomically (temporary file, then rename).
fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let temp =
        dir.join(format!(".{}.tmp", path.file_name().and_then(|n| n.to_str()).unwrap_or("kubeconfig")));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&temp)
        .with_context(|| format!("cannot write {}", temp.display()))?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&temp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

impl EmbeddedCluster {
    /// Starts a cluster and writes its kubeconfigs.
    pub async fn start(options: Options) -> anyhow::Result<Self> {
        if !options.addr.ip().is_loopback() {
            anyhow::bail!("the embedded cluster listens on loopback only, not {}", options.addr);
        }
        let (data_dir, temp) = match options.data_dir {
            Some(dir) => {
                std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
                (dir, None)
            }
            None => {
                let temp = tempfile::Builder::new().prefix("kubegate-embedded-").tempdir()?;
                (temp.path().to_path_buf(), Some(temp))
            }
        };
        let listener = TcpListener::bind(options.addr)
            .await
            .with_context(|| format!("cannot listen on {} for the embedded cluster", options.addr))?;
        let addr = listener.local_addr()?;
        let certificates = tls::generate().context("cannot generate the embedded cluster's certificates")?;
        let admin = User::admin(auth::new_token());
        let restricted = User::seed_role(auth::new_token(), RESTRICTED_NAMESPACE);
        let server = format!("https://{addr}");
        let kubeconfig = options.kubeconfig_out.clone().unwrap_or_else(|| data_dir.join("kubeconfig"));
        let restricted_kubeconfig = PathBuf::from(format!("{}-restricted", kubeconfig.display()));
        write_private(
            &kubeconfig,
            &kubeconfig_yaml(
                &server,
                &certificates.ca_pem,
                "kubegate-admin",
                &admin.token,
                RESTRICTED_NAMESPACE,
            ),
        )?;
        write_private(
            &restricted_kubeconfig,
            &kubeconfig_yaml(
                &server,
                &certificates.ca_pem,
                "opencode-manager",
                &restricted.token,
                RESTRICTED_NAMESPACE,
            ),
        )?;

        let store = Store::new();
        for name in INITIAL_NAMESPACES {
            store
                .create(&kinds::NAMESPACES, "", objects::namespace(name))
                .map_err(|e| anyhow::anyhow!("cannot create namespace {name}: {}", e.body))?;
        }
        let faults = Arc::new(Faults::default());
        let cluster = Arc::new(Cluster {
            store,
            users: vec![admin, restricted],
            kubelet: Kubelet::new(data_dir.clone()),
            faults: faults.clone(),
            data_dir,
            server_address: addr.to_string(),
        });
        let token = CancellationToken::new();
        let task = tokio::spawn(serve(listener, certificates.server, cluster.clone(), token.clone()));
        tracing::info!(%addr, kubeconfig = %kubeconfig.display(), "embedded cluster listening");
        Ok(Self {
            addr,
            kubeconfig,
            restricted_kubeconfig,
            faults,
            cluster,
            token,
            task: Some(task),
            _temp: temp,
        })
    }

    /// The directory holding each PersistentVolumeClaim's directory, as `<namespace>/<claim>`.
    pub fn claims_root(&self) -> PathBuf {
        self.cluster.data_dir.join("volumes")
    }

    /// The API server's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The administrator kubeconfig.
    pub fn kubeconfig(&self) -> &Path {
        &self.kubeconfig
    }

    /// The kubeconfig of the restricted user, holding only the seed's Role in `opencode-manager`.
    pub fn restricted_kubeconfig(&self) -> &Path {
        &self.restricted_kubeconfig
    }

    /// Fault injection for reliability tests.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// Forgets the watch history, so that watches resuming from an older resourceVersion get 410 Gone.
    pub fn compact_history(&self) {
        self.cluster.store.compact();
    }

    /// A kube client with administrator rights.
    pub async fn client(&self) -> anyhow::Result<kube::Client> {
        client_for(&self.kubeconfig).await
    }

    /// A kube client with the restricted user's rights.
    pub async fn restricted_client(&self) -> anyhow::Result<kube::Client> {
        client_for(&self.restricted_kubeconfig).await
    }

    /// Stops the server and kills every pod process.
    pub async fn shutdown(mut self) {
        self.stop_all();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    fn stop_all(&self) {
        self.token.cancel();
        self.cluster.kubelet.stop_all();
    }

    /// Runs until `stop` resolves.
    pub async fn run_until(self, stop: impl std::future::Future<Output = ()>) {
        stop.await;
        self.shutdown().await;
    }
}

impl Drop for EmbeddedCluster {
    fn drop(&mut self) {
        self.stop_all();
    }
}

async fn client_for(path: &Path) -> anyhow::Result<kube::Client> {
    let kubeconfig = kube::config::Kubeconfig::read_from(path)?;
    let config =
        kube::Config::from_custom_kubeconfig(kubeconfig, &kube::config::KubeConfigOptions::default()).await?;
    Ok(kube::Client::try_from(config)?)
}

async fn serve(
    listener: TcpListener,
    tls: Arc<rustls::ServerConfig>,
    cluster: Arc<Cluster>,
    token: CancellationToken,
) {
    let acceptor = tokio_rustls::TlsAcceptor::from(tls);
    let app = axum::Router::new().fallback(api::handle).with_state(cluster);
    loop {
        let (socket, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    tracing::warn!(error = %e, "embedded cluster accept failed");
                    continue;
                }
            },
            () = token.cancelled() => return,
        };
        let _ = socket.set_nodelay(true);
        let acceptor = acceptor.clone();
        let app = app.clone();
        let token = token.clone();
        tokio::spawn(async move {
            let Ok(stream) = acceptor.accept(socket).await else { return };
            let service = hyper_util::service::TowerToHyperService::new(app);
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            tokio::pin!(connection);
            tokio::select! {
                _ = &mut connection => {}
                () = token.cancelled() => connection.as_mut().graceful_shutdown(),
            }
        });
    }
}
