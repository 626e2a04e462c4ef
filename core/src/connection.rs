//! How kubegate reaches Kubernetes: a kube client built from a kubeconfig (token, client certificate or
//! exec-plugin users) or in-cluster credentials, with extra trusted CAs from the environment.

use std::path::{Path, PathBuf};

use kube::config::{KubeConfigOptions, Kubeconfig};
use rustls::pki_types::{CertificateDer, pem::PemObject};

/// Environment variables naming extra CA bundles (PEM) to trust, in the order they are read. The second is
/// the original integration's, honoured for drop-in compatibility with its deployment docs.
pub const EXTRA_CA_ENV: [&str; 2] = ["KUBEGATE_EXTRA_CA_CERTS", "NODE_EXTRA_CA_CERTS"];

/// The kubeconfig path used when none is configured and `$KUBECONFIG` is unset, as the original did.
pub const DEFAULT_KUBECONFIG: &str = "/workspace/.kube/kubeconfig";

/// The environment variable that moves the default kubeconfig path elsewhere (the tests point it into
/// their own directory, so that a kubeconfig of the machine is never picked up).
pub const DEFAULT_KUBECONFIG_ENV: &str = "KUBEGATE_DEFAULT_KUBECONFIG";

/// The kubeconfig looked for when none is named and `$KUBECONFIG` is unset: `$KUBEGATE_DEFAULT_KUBECONFIG`
/// when set and not empty, else [`DEFAULT_KUBECONFIG`].
pub fn default_kubeconfig() -> PathBuf {
    std::env::var_os(DEFAULT_KUBECONFIG_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_KUBECONFIG))
}

/// Where the Kubernetes credentials come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A kubeconfig file.
    Kubeconfig(PathBuf),
    /// The pod's service account (`KUBERNETES_SERVICE_HOST` and the mounted token).
    InCluster,
}

/// Why no client could be built. Messages name the file or setting to fix and never carry secrets.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ConnectError {
    /// No kubeconfig exists and the service is not in a cluster.
    #[error(
        "no Kubernetes credentials: {0} does not exist and kubegate is not running in a cluster; pass \
         --kubeconfig, set KUBECONFIG, or run with --embedded-cluster"
    )]
    NotConfigured(String),
    /// The kubeconfig could not be read or understood.
    #[error("cannot use kubeconfig {path}: {reason}")]
    KubeconfigInvalid {
        /// The file.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An extra CA bundle could not be read.
    #[error("cannot read the CA bundle {path} named by {variable}: {reason}")]
    ExtraCa {
        /// The environment variable that named it.
        variable: String,
        /// The file.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The in-cluster credentials could not be loaded.
    #[error("cannot use in-cluster credentials: {0}")]
    InCluster(String),
}

/// Chooses where credentials come from: an explicit path, else `$KUBECONFIG`, else the default path
/// ([`default_kubeconfig`]) when it exists, else in-cluster credentials when present.
pub fn resolve_source(explicit: Option<&Path>) -> Result<Source, ConnectError> {
    resolve_source_in(
        explicit,
        std::env::var_os("KUBECONFIG"),
        &default_kubeconfig(),
        std::env::var_os("KUBERNETES_SERVICE_HOST").is_some(),
    )
}

/// [`resolve_source`] with the environment given: `$KUBECONFIG`, the default path and whether
/// `KUBERNETES_SERVICE_HOST` is set.
fn resolve_source_in(
    explicit: Option<&Path>,
    kubeconfig_env: Option<std::ffi::OsString>,
    default: &Path,
    in_cluster: bool,
) -> Result<Source, ConnectError> {
    if let Some(path) = explicit.filter(|p| !p.as_os_str().is_empty()) {
        return Ok(Source::Kubeconfig(path.to_path_buf()));
    }
    if let Some(path) = kubeconfig_env.filter(|v| !v.is_empty()) {
        // Like kubectl, the first entry of a path list is the one that is read.
        let first = std::env::split_paths(&path).next().unwrap_or_default();
        return Ok(Source::Kubeconfig(first));
    }
    if default.exists() {
        return Ok(Source::Kubeconfig(default.to_path_buf()));
    }
    if in_cluster {
        return Ok(Source::InCluster);
    }
    Err(ConnectError::NotConfigured(default.display().to_string()))
}

/// Builds the kube configuration for a source, with the extra CA bundles appended to the trusted roots.
pub async fn load_config(source: &Source) -> Result<kube::Config, ConnectError> {
    let mut config = match source {
        Source::Kubeconfig(path) => {
            let shown = path.display().to_string();
            let invalid = |reason: String| ConnectError::KubeconfigInvalid { path: shown.clone(), reason };
            if !path.exists() {
                return Err(invalid("the file does not exist".into()));
            }
            let kubeconfig = Kubeconfig::read_from(path).map_err(|e| invalid(e.to_string()))?;
            kube::Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
                .await
                .map_err(|e| invalid(scrubbed(&e)))?
        }
        Source::InCluster => kube::Config::incluster().map_err(|e| ConnectError::InCluster(e.to_string()))?,
    };
    let extra = extra_ca_certs()?;
    if !extra.is_empty() {
        config.root_cert.get_or_insert_with(Vec::new).extend(extra);
    }
    Ok(config)
}

/// Builds a client for a source. Nothing is sent to the API server yet.
pub async fn connect(source: &Source) -> Result<kube::Client, ConnectError> {
    let config = load_config(source).await?;
    let where_ = source_label(source);
    client_for(config).map_err(|e| ConnectError::KubeconfigInvalid { path: where_, reason: scrubbed(&e) })
}

/// A client whose connections to the API server send small writes at once (`TCP_NODELAY`): a keystroke
/// in an exec session is one small WebSocket frame, and Nagle's algorithm would hold it until the
/// previous one is acknowledged (up to the peer's delayed-ACK interval, about 40 ms). kube-rs's default
/// builder leaves Nagle on. A kubeconfig with a proxy keeps kube-rs's own builder, which handles proxies.
pub fn client_for(config: kube::Config) -> Result<kube::Client, kube::Error> {
    use kube::client::ConfigExt as _;
    use tower::ServiceBuilder;

    if config.proxy_url.is_some() {
        return kube::Client::try_from(config);
    }
    let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
    http.enforce_http(false);
    http.set_nodelay(true);
    let https = config.rustls_https_connector_with_connector(http)?;
    let mut connector = hyper_timeout::TimeoutConnector::new(https);
    connector.set_connect_timeout(config.connect_timeout);
    connector.set_read_timeout(config.read_timeout);
    connector.set_write_timeout(config.write_timeout);
    let client: hyper_util::client::legacy::Client<_, kube::client::Body> =
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build(connector);
    let service = ServiceBuilder::new()
        .layer(config.base_uri_layer())
        .option_layer(config.auth_layer()?)
        .layer(config.extra_headers_layer()?)
        .map_err(tower::BoxError::from)
        .service(crate::observe::KubeObserve { inner: client });
    Ok(kube::Client::new(service, config.default_namespace))
}

/// A short description of a source for messages.
pub fn source_label(source: &Source) -> String {
    match source {
        Source::Kubeconfig(path) => path.display().to_string(),
        Source::InCluster => "in-cluster credentials".to_string(),
    }
}

/// Reads every certificate of the bundles named by [`EXTRA_CA_ENV`], as DER.
fn extra_ca_certs() -> Result<Vec<Vec<u8>>, ConnectError> {
    let mut certs = Vec::new();
    for variable in EXTRA_CA_ENV {
        let Some(path) = std::env::var_os(variable).filter(|v| !v.is_empty()) else {
            continue;
        };
        let error = |reason: String| ConnectError::ExtraCa {
            variable: variable.to_string(),
            path: PathBuf::from(&path).display().to_string(),
            reason,
        };
        let pem = std::fs::read(&path).map_err(|e| error(e.to_string()))?;
        let before = certs.len();
        for cert in CertificateDer::pem_slice_iter(&pem) {
            let cert = cert.map_err(|e| error(format!("not a PEM certificate bundle ({e})")))?;
            certs.push(cert.as_ref().to_vec());
        }
        if certs.len() == before {
            return Err(error("the file holds no PEM certificate".into()));
        }
    }
    Ok(certs)
}

/// What kind of transport failure kept kubegate from the API server; the connection test reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportProblem {
    /// The server's TLS certificate is not trusted.
    Tls,
    /// The server could not be reached (refused, no such host, timed out).
    Unreachable,
    /// Any other failure on the way.
    Other,
}

/// Classifies a failure to talk to the API server and describes it in words a user can act on, naming
/// the setting to fix for TLS problems. Never includes credentials. The classification reads the cause
/// chain's words because the TLS and socket layers below kube-rs expose no stable error kinds.
pub fn classify_transport_error(error: &kube::Error) -> (TransportProblem, String) {
    let first: &(dyn std::error::Error + 'static) = error;
    let chain: Vec<String> = std::iter::successors(Some(first), |e| e.source()).map(described).collect();
    let text = chain.join(": ");
    let lower = text.to_lowercase();
    if lower.contains("certificate") || lower.contains("unknownissuer") || lower.contains("invalid peer") {
        let message = format!(
            "the API server's TLS certificate is not trusted ({text}); put the cluster's CA in the kubeconfig's \
             certificate-authority-data, or point KUBEGATE_EXTRA_CA_CERTS (or NODE_EXTRA_CA_CERTS) at a PEM file"
        );
        (TransportProblem::Tls, message)
    } else if lower.contains("connection refused")
        || lower.contains("dns error")
        || lower.contains("timed out")
    {
        (TransportProblem::Unreachable, format!("the API server cannot be reached ({text})"))
    } else {
        (TransportProblem::Other, format!("Kubernetes request failed: {text}"))
    }
}

/// The output of a failed exec credential plugin, when `error` is that failure.
fn exec_plugin_failure<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a std::process::Output> {
    let auth = match error.downcast_ref::<kube::Error>() {
        Some(kube::Error::Auth(auth)) => Some(auth),
        _ => error.downcast_ref::<kube::client::AuthError>(),
    };
    match auth {
        Some(kube::client::AuthError::AuthExecRun { out, .. }) => Some(out),
        _ => None,
    }
}

/// A failed exec credential plugin, told by its exit status and stderr only: kube-rs's own text quotes the
/// command with the environment the kubeconfig gives it and the plugin's stdout, either of which can hold
/// a credential, and this text reaches logs and callers.
fn plugin_failed(out: &std::process::Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stderr: String = stderr.trim().chars().take(512).collect();
    format!("the kubeconfig's exec credential plugin failed ({}): {stderr}", out.status)
}

/// One error of a chain, in words (see [`plugin_failed`]).
fn described(error: &(dyn std::error::Error + 'static)) -> String {
    exec_plugin_failure(error).map_or_else(|| error.to_string(), plugin_failed)
}

/// An error in words; when a failed exec credential plugin is anywhere in its chain, only that (the
/// error's own text would quote what [`plugin_failed`] leaves out).
fn scrubbed(error: &(dyn std::error::Error + 'static)) -> String {
    std::iter::successors(Some(error), |e| e.source())
        .find_map(exec_plugin_failure)
        .map_or_else(|| error.to_string(), plugin_failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_exec_plugin_is_told_without_its_environment_or_stdout() {
        use std::os::unix::process::ExitStatusExt as _;
        let out = std::process::Output {
            status: std::process::ExitStatus::from_raw(3 << 8),
            stdout: b"{\"status\":{\"token\":\"stdout-secret\"}}".to_vec(),
            stderr: b"login expired\n".to_vec(),
        };
        let cmd = r#"API_KEY="env-secret" "/usr/local/bin/plugin" "get-token""#.to_string();
        let error = kube::Error::Auth(kube::client::AuthError::AuthExecRun { cmd, out: Box::new(out) });
        let (_, message) = classify_transport_error(&error);
        assert!(message.contains("login expired") && message.contains("exit status: 3"), "{message}");
        assert!(!message.contains("env-secret") && !message.contains("stdout-secret"), "{message}");
    }

    #[test]
    fn an_explicit_path_wins_over_everything() {
        let source = resolve_source(Some(Path::new("/some/where"))).ok();
        assert_eq!(source, Some(Source::Kubeconfig(PathBuf::from("/some/where"))));
    }

    #[test]
    fn kubeconfig_then_the_default_path_then_in_cluster() {
        let dir = tempfile::tempdir().expect("temp dir");
        let default = dir.path().join("kubeconfig");
        let env = Some(std::ffi::OsString::from("/first/config:/second/config"));
        let from_env = resolve_source_in(None, env, &default, true);
        assert_eq!(from_env, Ok(Source::Kubeconfig("/first/config".into())));
        let missing = resolve_source_in(None, Some("".into()), &default, false);
        assert_eq!(missing, Err(ConnectError::NotConfigured(default.display().to_string())));
        assert_eq!(resolve_source_in(None, None, &default, true), Ok(Source::InCluster));
        std::fs::write(&default, "").expect("write");
        assert_eq!(resolve_source_in(None, None, &default, true), Ok(Source::Kubeconfig(default.clone())));
        let explicit = resolve_source_in(Some(Path::new("/x")), Some("/y".into()), &default, true);
        assert_eq!(explicit, Ok(Source::Kubeconfig("/x".into())));
    }

    #[tokio::test]
    async fn a_missing_kubeconfig_is_a_clear_error_naming_the_file() {
        let err = connect(&Source::Kubeconfig("/nonexistent/kubeconfig".into())).await.err();
        let message = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("/nonexistent/kubeconfig"), "{message}");
        assert!(message.contains("does not exist"), "{message}");
    }

    #[tokio::test]
    async fn a_broken_kubeconfig_is_a_clear_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config");
        std::fs::write(&path, "this: [is not a kubeconfig").expect("write");
        let err = connect(&Source::Kubeconfig(path.clone())).await.err();
        let message = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.starts_with("cannot use kubeconfig"), "{message}");
    }
}
