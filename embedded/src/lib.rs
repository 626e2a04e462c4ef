//! The embedded Kubernetes cluster: an API server inside kubegate that speaks the real wire protocol
//! (HTTPS with its own CA, bearer tokens, discovery, JSON objects, watch, Status errors, pods/log, and
//! exec/attach over WebSocket v5/v4) and runs each pod's containers as local processes: with root, each
//! in PID, mount and user namespaces of its own, as an unprivileged uid that cannot see kubegate's
//! data directory or kubeconfigs, and gone when kubegate goes (see `process`).
//!
//! `kubegate embedded-cluster` runs it alone; `kubegate serve --embedded-cluster` runs it in-process;
//! tests start one with [`EmbeddedCluster::start`].
//!
//! Inside, from the wire down: `server` accepts TLS connections; `api` handles requests (routing,
//! CRUD, patch, watch, reviews, pod subresources, the exec channel protocol); `store` holds every object
//! and its history; `kubelet` runs pods through `volumes` and `process`, the leaf that starts container
//! processes. Nothing below `api` knows HTTP.

mod api;
mod auth;
mod cluster;
mod discovery;
mod faults;
mod kinds;
mod kubeconfig;
mod kubelet;
mod logs;
mod objects;
mod process;
mod selectors;
mod server;
mod status;
mod store;
mod table;
mod tls;
mod traffic;
mod volumes;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

pub use faults::Faults;
pub use traffic::Traffic;

use auth::User;
use cluster::Cluster;
use kubelet::Kubelet;
use store::Store;

/// The namespaces that exist at start, each with its `default` ServiceAccount.
pub const INITIAL_NAMESPACES: [&str; 2] = ["default", "opencode-manager"];

/// The namespace the restricted user's Role is bound in.
pub const RESTRICTED_NAMESPACE: &str = "opencode-manager";

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

impl EmbeddedCluster {
    /// Starts a cluster and writes its kubeconfigs.
    pub async fn start(options: Options) -> anyhow::Result<Self> {
        if !options.addr.ip().is_loopback() {
            anyhow::bail!("the embedded cluster listens on loopback only, not {}", options.addr);
        }
        let (data_dir, temp) = match options.data_dir {
            Some(dir) => {
                // It holds pod logs and volumes, and by default the kubeconfigs: its owner's only.
                kubeconfig::create_private_dir(&dir)?;
                (dir, None)
            }
            None => {
                use std::os::unix::fs::PermissionsExt as _;
                let temp = tempfile::Builder::new().prefix("kubegate-embedded-").tempdir()?;
                // Like a data directory the cluster creates: its owner's only, whatever the umask.
                std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(0o700))?;
                (temp.path().to_path_buf(), Some(temp))
            }
        };
        let listener = TcpListener::bind(options.addr)
            .await
            .with_context(|| format!("cannot listen on {} for the embedded cluster", options.addr))?;
        let addr = listener.local_addr()?;
        let certificates = tls::generate().context("cannot generate the embedded cluster's certificates")?;
        let admin = User::admin(auth::new_token());
        let restricted = User::original_role(auth::new_token(), RESTRICTED_NAMESPACE);
        let server = format!("https://{addr}");
        let kubeconfig = options.kubeconfig_out.clone().unwrap_or_else(|| data_dir.join("kubeconfig"));
        let restricted_kubeconfig = PathBuf::from(format!("{}-restricted", kubeconfig.display()));
        kubeconfig::write_private(
            &kubeconfig,
            &kubeconfig::yaml(
                &server,
                &certificates.ca_pem,
                "kubegate-admin",
                &admin.token,
                RESTRICTED_NAMESPACE,
            ),
        )?;
        kubeconfig::write_private(
            &restricted_kubeconfig,
            &kubeconfig::yaml(
                &server,
                &certificates.ca_pem,
                "opencode-manager",
                &restricted.token,
                RESTRICTED_NAMESPACE,
            ),
        )?;

        // Found once per process; what this host cannot do for pods is said at every start.
        let confinement = tokio::task::spawn_blocking(process::confinement).await?;
        for missing in &confinement.missing {
            tracing::warn!(%missing, "embedded cluster: pods are less confined than they could be");
        }

        let store = Arc::new(Store::new());
        for name in INITIAL_NAMESPACES {
            store
                .create(&kinds::NAMESPACES, "", objects::namespace(name))
                .map_err(|e| anyhow::anyhow!("cannot create namespace {name}: {}", e.body))?;
            store.create(&kinds::SERVICEACCOUNTS, name, objects::service_account("default")).map_err(
                |e| anyhow::anyhow!("cannot create the default service account of {name}: {}", e.body),
            )?;
        }
        let faults = Arc::new(Faults::default());
        let hidden = hidden_from_pods(&data_dir, [&kubeconfig, &restricted_kubeconfig])?;
        let kubelet = Kubelet::new(store.clone(), data_dir, hidden);
        let cluster = Arc::new(Cluster {
            store,
            users: vec![admin, restricted],
            kubelet,
            faults: faults.clone(),
            traffic: Arc::default(),
            server_address: addr.to_string(),
        });
        let token = CancellationToken::new();
        let task = tokio::spawn(server::serve(listener, certificates.server, cluster.clone(), token.clone()));
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
        self.cluster.kubelet.claims_root()
    }

    /// The API server's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The administrator kubeconfig.
    pub fn kubeconfig(&self) -> &Path {
        &self.kubeconfig
    }

    /// The kubeconfig of the restricted user, holding only the original's Role in `opencode-manager`.
    pub fn restricted_kubeconfig(&self) -> &Path {
        &self.restricted_kubeconfig
    }

    /// Fault injection for reliability tests.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// What the cluster has been asked so far, and its open watches.
    pub fn traffic(&self) -> &Traffic {
        &self.cluster.traffic
    }

    /// Forgets the watch history, so that watches resuming from an older resourceVersion get 410 Gone.
    pub fn compact_history(&self) {
        self.cluster.store.compact();
    }

    /// A kube client with administrator rights.
    pub async fn client(&self) -> anyhow::Result<kube::Client> {
        kubeconfig::client(&self.kubeconfig).await
    }

    /// A kube client with the restricted user's rights.
    pub async fn restricted_client(&self) -> anyhow::Result<kube::Client> {
        kubeconfig::client(&self.restricted_kubeconfig).await
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

/// What pods must not see: the data directory (tokens, logs, every pod's volumes) and both kubeconfigs,
/// by their real paths (a mount applies to the path it is given, not to what a symlink names). The file
/// laid over the kubeconfigs is created here, readable by root only.
fn hidden_from_pods<'a>(
    data_dir: &Path,
    kubeconfigs: impl IntoIterator<Item = &'a PathBuf>,
) -> anyhow::Result<process::Hidden> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let data_dir =
        std::fs::canonicalize(data_dir).with_context(|| format!("cannot resolve {}", data_dir.display()))?;
    let unreadable = data_dir.join(".unreadable");
    if !unreadable.is_file() {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .custom_flags(nix::libc::O_NOFOLLOW)
            .mode(0o000)
            .open(&unreadable)
            .with_context(|| format!("cannot create {}", unreadable.display()))?;
    }
    let files = kubeconfigs.into_iter().filter_map(|k| std::fs::canonicalize(k).ok()).collect();
    Ok(process::Hidden { dirs: vec![data_dir], files, unreadable })
}

impl Drop for EmbeddedCluster {
    fn drop(&mut self) {
        self.stop_all();
    }
}
