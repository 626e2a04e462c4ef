//! The state every handler shares: the settings in force and the Kubernetes connection they lead to.

use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::RwLock;

use crate::config::{ExecLimits, WorkflowConfig, WorkloadPolicy};
use crate::connection::{ConnectError, Source};
use crate::error::{Error, Result};
use crate::policy::Role;
use crate::settings::Settings;

/// The Kubernetes connection in force: a client, or why there is none.
#[derive(Clone)]
pub struct Connection {
    /// Where the credentials came from, when they could be resolved.
    pub source: Option<Source>,
    /// The client, or the reason it could not be built.
    pub client: std::result::Result<kube::Client, ConnectError>,
    /// Whether the connection was given (the embedded cluster) rather than built from settings.
    pub fixed: bool,
    /// The API server URL, when known.
    pub server_url: String,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("source", &self.source)
            .field("connected", &self.client.is_ok())
            .finish()
    }
}

impl Connection {
    /// Resolves credentials and builds a client; failures are kept, not raised, so the service still starts.
    pub async fn establish(explicit: Option<&std::path::Path>) -> Self {
        match crate::connection::resolve_source(explicit) {
            Ok(source) => {
                let server_url = match crate::connection::load_config(&source).await {
                    Ok(config) => config.cluster_url.to_string(),
                    Err(_) => String::new(),
                };
                let client = crate::connection::connect(&source).await;
                Self { source: Some(source), client, fixed: false, server_url }
            }
            Err(e) => Self { source: None, client: Err(e), fixed: false, server_url: String::new() },
        }
    }

    /// A connection through an existing client (the embedded cluster); settings do not replace it.
    pub fn with_client(client: kube::Client, server_url: String) -> Self {
        Self { source: None, client: Ok(client), fixed: true, server_url }
    }
}

/// kubegate's own namespace: its pod's (`POD_NAMESPACE`, from the downward API), else `fallback` (the
/// configured workload namespace, where a kubegate outside a pod keeps its Lease and ConfigMaps).
pub fn own_namespace(fallback: &str) -> String {
    match std::env::var("POD_NAMESPACE") {
        Ok(namespace) if !namespace.is_empty() => namespace,
        _ => fallback.to_string(),
    }
}

/// Shared, cheaply cloned service state.
#[derive(Clone, Debug)]
pub struct State {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    settings: RwLock<Settings>,
    settings_path: Option<PathBuf>,
    connection: RwLock<Connection>,
    /// The service's own pod, from the downward API (`POD_NAMESPACE`, `POD_NAME`), which cleanup spares.
    own_pod: Option<(String, String)>,
    /// Exec limits.
    exec_limits: ExecLimits,
    /// Whether a Kubernetes client is in force, published for health reporting.
    connected: tokio::sync::watch::Sender<bool>,
    /// Where kubegate reads shared volumes and how previews are named.
    workflows: WorkflowConfig,
    /// The only directory a kubeconfig named through the API may come from (`--kubeconfig-dir`).
    kubeconfig_dir: Option<PathBuf>,
    /// What workloads may have and expose.
    workload: WorkloadPolicy,
    /// Pods as the shared watch of each namespace read so far has seen them.
    pod_cache: crate::podcache::PodCache,
    /// Settings shared by replicas in a ConfigMap, when configured; else they persist in the file.
    shared: Option<Arc<crate::shared_settings::SharedSettings>>,
}

impl State {
    /// State with settings (persisted at `settings_path` when given) and a connection.
    pub fn new(settings: Settings, settings_path: Option<PathBuf>, connection: Connection) -> Self {
        Self::with_limits(
            settings,
            settings_path,
            connection,
            ExecLimits::default(),
            WorkflowConfig::default(),
        )
    }

    /// State with explicit exec limits.
    pub fn with_limits(
        settings: Settings,
        settings_path: Option<PathBuf>,
        connection: Connection,
        exec_limits: ExecLimits,
        workflows: WorkflowConfig,
    ) -> Self {
        let own_pod = match (std::env::var("POD_NAMESPACE"), std::env::var("POD_NAME")) {
            (Ok(ns), Ok(name)) if !ns.is_empty() && !name.is_empty() => Some((ns, name)),
            _ => None,
        };
        let connected = tokio::sync::watch::Sender::new(connection.client.is_ok());
        Self {
            inner: Arc::new(Inner {
                settings: RwLock::new(settings),
                settings_path,
                connection: RwLock::new(connection),
                own_pod,
                exec_limits,
                connected,
                workflows,
                kubeconfig_dir: None,
                workload: WorkloadPolicy::default(),
                pod_cache: crate::podcache::PodCache::default(),
                shared: None,
            }),
        }
    }

    /// The same state with the operator's start-up policy: kubeconfigs named through the API come from
    /// `kubeconfig_dir` only, and workloads get `workload`. Call it before the state is shared.
    pub fn with_operator_policy(self, kubeconfig_dir: Option<PathBuf>, workload: WorkloadPolicy) -> Self {
        match Arc::try_unwrap(self.inner) {
            Ok(mut inner) => {
                inner.kubeconfig_dir = kubeconfig_dir;
                inner.workload = workload;
                Self { inner: Arc::new(inner) }
            }
            Err(inner) => {
                tracing::error!("the operator policy was set after the state was shared; it is ignored");
                Self { inner }
            }
        }
    }

    /// The same state with settings shared through `shared` (a ConfigMap). Call it before the state is
    /// shared.
    pub fn with_shared_settings(self, shared: Arc<crate::shared_settings::SharedSettings>) -> Self {
        match Arc::try_unwrap(self.inner) {
            Ok(mut inner) => {
                inner.shared = Some(shared);
                Self { inner: Arc::new(inner) }
            }
            Err(inner) => {
                tracing::error!("shared settings were set after the state was shared; they are ignored");
                Self { inner }
            }
        }
    }

    /// Puts settings another replica wrote in force here (checked as an update is, but not written back).
    pub async fn adopt_settings(&self, new: Settings) -> Result<()> {
        crate::policy::validate(&new)?;
        self.install(new, false).await.map(drop)
    }

    /// The pod cache: one shared watch per namespace read so far.
    pub fn pod_cache(&self) -> &crate::podcache::PodCache {
        &self.inner.pod_cache
    }

    /// What workloads may have and expose.
    pub fn workload(&self) -> &WorkloadPolicy {
        &self.inner.workload
    }

    /// The settings in force.
    pub async fn settings(&self) -> Settings {
        self.inner.settings.read().await.clone()
    }

    /// Where settings persist.
    pub fn settings_path(&self) -> Option<&PathBuf> {
        self.inner.settings_path.as_ref()
    }

    /// The service's own pod, if it runs in one.
    pub fn own_pod(&self) -> Option<&(String, String)> {
        self.inner.own_pod.as_ref()
    }

    /// Whether a Kubernetes client is in force, now and on every change: the server forwards it to
    /// `grpc.health.v1`.
    pub fn connected(&self) -> tokio::sync::watch::Receiver<bool> {
        self.inner.connected.subscribe()
    }

    /// Workflow settings.
    pub fn workflows(&self) -> &WorkflowConfig {
        &self.inner.workflows
    }

    /// Exec limits.
    pub fn exec_limits(&self) -> &ExecLimits {
        &self.inner.exec_limits
    }

    /// The connection in force.
    pub async fn connection(&self) -> Connection {
        self.inner.connection.read().await.clone()
    }

    /// The client, or UNAVAILABLE saying why there is none.
    pub async fn client(&self) -> Result<kube::Client> {
        match &self.inner.connection.read().await.client {
            Ok(client) => Ok(client.clone()),
            Err(problem) => Err(Error::Unavailable(format!("Kubernetes is not reachable: {problem}"))),
        }
    }

    /// The namespace a request acts in: the requested one, or the default; PERMISSION_DENIED outside the
    /// allow-list, INVALID_ARGUMENT for a malformed name.
    pub async fn namespace(&self, requested: &str) -> Result<String> {
        let settings = self.inner.settings.read().await;
        if requested.is_empty() {
            return Ok(settings.namespace.clone());
        }
        if !crate::validation::is_dns1123_label(requested) {
            return Err(Error::invalid("namespace", format!("{requested:?} is not a valid namespace name")));
        }
        let allowed = settings.allowed_namespaces();
        if allowed.iter().any(|ns| ns == requested) {
            Ok(requested.to_string())
        } else {
            Err(Error::PermissionDenied(format!(
                "namespace {requested:?} is not allowed: kubegate may use {} (add it to allowed_namespaces in the cluster settings)",
                allowed.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ")
            )))
        }
    }

    /// Replaces the settings: validates them, checks that `role` may make the change, builds the
    /// connection they lead to (unless it is fixed), persists them, and only then puts both in force. On
    /// any failure nothing changes.
    pub async fn replace_settings(&self, new: Settings, role: Role) -> Result<Settings> {
        crate::policy::validate(&new)?;
        {
            let current = self.inner.settings.read().await;
            crate::policy::authorize(role, &current, &new)?;
            if new.kubeconfig_path != current.kubeconfig_path && !new.kubeconfig_path.is_empty() {
                crate::policy::check_api_kubeconfig(
                    self.inner.kubeconfig_dir.as_deref(),
                    &new.kubeconfig_path,
                )?;
            }
        }

        self.install(new, true).await
    }

    /// Builds the connection `new` leads to (unless it is fixed), persists `new` when `persist` (in the
    /// shared ConfigMap, else the settings file), and only then puts both in force. On any failure
    /// nothing changes.
    async fn install(&self, new: Settings, persist: bool) -> Result<Settings> {
        let mut connection_guard = self.inner.connection.write().await;
        let mut settings_guard = self.inner.settings.write().await;
        let changed = new.kubeconfig_path != settings_guard.kubeconfig_path;
        let explicit = (!new.kubeconfig_path.is_empty()).then(|| PathBuf::from(&new.kubeconfig_path));
        if let (true, Some(path)) = (changed, &explicit)
            && let Err(problem) = crate::connection::connect(&Source::Kubeconfig(path.clone())).await
        {
            return Err(Error::invalid("settings.kubeconfig_path", problem.to_string()));
        }
        // The embedded cluster's connection is fixed: the path is kept but not used while it runs.
        let new_connection = if changed && !connection_guard.fixed {
            Some(Connection::establish(explicit.as_deref()).await)
        } else {
            None
        };
        if persist {
            match (&self.inner.shared, &self.inner.settings_path) {
                (Some(shared), _) => shared.save(&new).await?,
                (None, Some(path)) => crate::settings::save(path, &new)?,
                (None, None) => {}
            }
        }
        *settings_guard = new.clone();
        let connected = match new_connection {
            Some(connection) => {
                *connection_guard = connection;
                // Watches of the previous cluster must not answer for the new one.
                self.inner.pod_cache.reset();
                Some(connection_guard.client.is_ok())
            }
            None => None,
        };
        drop(settings_guard);
        drop(connection_guard);
        if let Some(connected) = connected {
            self.inner.connected.send_replace(connected);
        }
        Ok(new)
    }
}
