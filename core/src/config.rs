//! The service's configuration types, set at start by the operator: the leaf every feature reads.

use std::path::PathBuf;
use std::time::Duration;

/// Limits of exec and exec sessions.
#[derive(Debug, Clone)]
pub struct ExecLimits {
    /// The timeout of a one-shot exec that names none.
    pub default_timeout: Duration,
    /// The longest timeout a one-shot exec may ask for.
    pub max_timeout: Duration,
    /// The output kept per stream by a one-shot exec that names no limit.
    pub default_output_limit: usize,
    /// The most sessions open at once.
    pub max_sessions: usize,
    /// The most sessions one caller (one token) may have open at once.
    pub max_sessions_per_caller: usize,
    /// How long a session whose client left is kept for a reattach, by default.
    pub detach_grace: Duration,
    /// The longest grace period a session may ask for.
    pub max_detach_grace: Duration,
    /// The output a session keeps for a reattach.
    pub session_buffer: usize,
    /// A session with no input and no output for this long is ended.
    pub idle_timeout: Duration,
    /// Silence after which keepalives are sent on a session stream.
    pub keepalive: Duration,
}

impl Default for ExecLimits {
    fn default() -> Self {
        Self {
            default_timeout: Duration::from_secs(60),
            max_timeout: Duration::from_secs(15 * 60),
            default_output_limit: 1024 * 1024,
            max_sessions: 256,
            max_sessions_per_caller: 64,
            detach_grace: Duration::from_secs(60),
            max_detach_grace: Duration::from_secs(3600),
            session_buffer: 1024 * 1024,
            idle_timeout: Duration::from_secs(3600),
            keepalive: Duration::from_secs(20),
        }
    }
}

/// Where kubegate can read shared volumes itself, and how previews are named.
#[derive(Debug, Clone)]
pub struct WorkflowConfig {
    /// Claims mounted into kubegate's own file system: claim name → local directory (any namespace).
    pub claim_mounts: Vec<(String, PathBuf)>,
    /// A root holding `<namespace>/<claim>` directories (the embedded cluster's volumes).
    pub claims_root: Option<PathBuf>,
    /// The preview host pattern; `{name}`, `{namespace}` and `{domain}` are replaced.
    pub preview_host_pattern: String,
    /// The domain of preview hosts.
    pub preview_domain: String,
    /// How long a test run may take when the request does not say.
    pub default_run_timeout: std::time::Duration,
}

impl Default for WorkflowConfig {
    fn default() -> Self {
        Self {
            claim_mounts: Vec::new(),
            claims_root: None,
            preview_host_pattern: "preview-{name}.{domain}".into(),
            preview_domain: "localhost".into(),
            default_run_timeout: std::time::Duration::from_secs(30 * 60),
        }
    }
}

impl WorkflowConfig {
    /// The local directory of a claim, when kubegate can read it.
    pub fn claim_dir(&self, namespace: &str, claim: &str) -> Option<PathBuf> {
        // A claim name is a Kubernetes name, never a path: "/etc" or "../x" must not be joined.
        if !crate::validation::is_dns1123_subdomain(claim) || !crate::validation::is_dns1123_label(namespace)
        {
            return None;
        }
        if let Some((_, dir)) = self.claim_mounts.iter().find(|(name, _)| name == claim) {
            return Some(dir.clone());
        }
        let root = self.claims_root.as_ref()?.join(namespace).join(claim);
        root.is_dir().then_some(root)
    }
}

/// What the operator lets workloads have and expose. The defaults are hardened; each field is a flag of
/// `kubegate serve`, never something a caller can change.
#[derive(Debug, Clone)]
pub struct WorkloadPolicy {
    /// Whether processes in workload pods may gain privileges (setuid binaries). Default: no.
    pub allow_privilege_escalation: bool,
    /// Capabilities added back after dropping all of them.
    pub capabilities_add: Vec<String>,
    /// Whether workload pods get a ServiceAccount token mounted. Default: no (a test run has no business
    /// talking to the Kubernetes API as kubegate's namespace).
    pub automount_service_account_token: bool,
    /// Whether workload pods run without the runtime's default seccomp profile. Default: no.
    pub seccomp_unconfined: bool,
    /// Ingress annotations callers may set: exact keys, or prefixes ending in `*`.
    pub ingress_annotation_allow: Vec<String>,
    /// The Service types callers may create.
    pub service_types: Vec<String>,
}

/// The capabilities a workload keeps by default: what package managers and test suites running as root
/// in common images need (changing file owners, switching to an unprivileged user) and binding ports
/// below 1024. Everything else (`NET_RAW`, `SYS_CHROOT`, `MKNOD`, ...) is dropped.
pub const DEFAULT_CAPABILITIES: [&str; 5] = ["CHOWN", "FOWNER", "SETGID", "SETUID", "NET_BIND_SERVICE"];

/// The Ingress annotations allowed by default: the ones the original integration's documentation uses
/// for WebSocket traffic through ingress-nginx, and its path rewrite. Annotations that inject
/// configuration (`configuration-snippet`, `server-snippet`) or send requests elsewhere (`auth-url`) are
/// not among them.
pub const DEFAULT_INGRESS_ANNOTATIONS: [&str; 7] = [
    "nginx.ingress.kubernetes.io/rewrite-target",
    "nginx.ingress.kubernetes.io/proxy-read-timeout",
    "nginx.ingress.kubernetes.io/proxy-send-timeout",
    "nginx.ingress.kubernetes.io/proxy-http-version",
    "nginx.ingress.kubernetes.io/proxy-buffering",
    "nginx.ingress.kubernetes.io/connection-proxy-header",
    "nginx.ingress.kubernetes.io/upgrade-proxy-header",
];

impl Default for WorkloadPolicy {
    fn default() -> Self {
        Self {
            allow_privilege_escalation: false,
            capabilities_add: DEFAULT_CAPABILITIES.iter().map(|c| (*c).to_string()).collect(),
            automount_service_account_token: false,
            seccomp_unconfined: false,
            ingress_annotation_allow: DEFAULT_INGRESS_ANNOTATIONS.iter().map(|a| (*a).to_string()).collect(),
            service_types: vec!["ClusterIP".to_string()],
        }
    }
}

impl WorkloadPolicy {
    /// Whether callers may set the Ingress annotation `key`.
    pub fn allows_annotation(&self, key: &str) -> bool {
        self.ingress_annotation_allow.iter().any(|allowed| match allowed.strip_suffix('*') {
            Some(prefix) => key.starts_with(prefix),
            None => allowed == key,
        })
    }
}
