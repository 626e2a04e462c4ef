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
        if let Some((_, dir)) = self.claim_mounts.iter().find(|(name, _)| name == claim) {
            return Some(dir.clone());
        }
        let root = self.claims_root.as_ref()?.join(namespace).join(claim);
        root.is_dir().then_some(root)
    }
}
