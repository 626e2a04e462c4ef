//! kubegate's core: what the service does with Kubernetes, independent of how it is called. The gRPC
//! adapters in the `kubegate` binary and the REST gateway (through gRPC) are its only callers; nothing
//! here knows a transport.

pub mod cleanup;
pub mod config;
pub mod connection;
pub mod diagnose;
pub mod error;
pub mod exec;
pub mod leader;
pub mod logs;
pub mod network;
mod observe;
pub mod peers;
pub mod podcache;
pub mod pods;
pub mod policy;
pub mod remote;
pub mod sessions;
pub mod settings;
pub mod shared_settings;
pub mod state;
pub mod validation;
pub mod workflows;

pub use error::{Error, FieldViolation, Result};

/// The label every object kubegate creates carries, with the value `kubegate`.
pub const MANAGED_BY: &str = "app.kubernetes.io/managed-by";
/// The original integration's managed-by label, kept so its callers and cleanup find kubegate's pods.
pub const LEGACY_MANAGED_BY: &str = "managed-by";
/// The value of the legacy managed-by label.
pub const LEGACY_MANAGER: &str = "opencode-manager";
/// The label the original integration put on every pod it created (`app: opencode-manager`); kubegate's
/// pods carry it too unless the caller names another `app`, so `labelSelector=app=opencode-manager` finds them.
pub const APP_LABEL: &str = "app";
/// The label identifying kubegate's own pods (the Deployment in `deploy/` sets it to [`SELF_NAME`]).
pub const SELF_NAME_LABEL: &str = "app.kubernetes.io/name";
/// The value of [`SELF_NAME_LABEL`] on kubegate's own pods; callers may not put it on theirs.
pub const SELF_NAME: &str = "kubegate";
/// The annotation holding a pod's time-to-live after finishing, in seconds.
pub const TTL_ANNOTATION: &str = "kubegate.dev/ttl-after-finished-seconds";
