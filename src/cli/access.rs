//! Access flags shared by `serve` and `gateway`, and the API token: configured, or generated at start.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;
use kubegate_proto::auth::{ApiToken, HostPolicy};

/// Access control, shared by `serve` and `gateway`. The token itself comes from the environment variable
/// `KUBEGATE_API_TOKEN` (never a flag: command lines are visible to every user of the machine) or a file.
#[derive(Debug, Args)]
pub struct AccessArgs {
    /// A file holding the API token (for example a mounted Secret); overrides KUBEGATE_API_TOKEN.
    #[arg(long, env = "KUBEGATE_API_TOKEN_FILE")]
    pub api_token_file: Option<PathBuf>,
    /// Allows listening beyond loopback without an API token or without TLS.
    #[arg(long, env = "KUBEGATE_INSECURE")]
    pub insecure: bool,
    /// The certificate chain (PEM) the gRPC, REST and terminal listeners serve TLS with; with --tls-key.
    /// Replaced files are picked up within seconds, without a restart.
    #[arg(long, env = "KUBEGATE_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The private key (PEM) of --tls-cert.
    #[arg(long, env = "KUBEGATE_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Runs without an API token (every local caller may do everything). Without it and without a
    /// configured token, `serve` generates one. Refused together with a non-loopback address.
    #[arg(long, env = "KUBEGATE_NO_AUTH")]
    pub no_auth: bool,
    /// A file holding the admin token, which may also widen policy (allow-lists, kubeconfig, default
    /// resources) through the API; the token may also come from KUBEGATE_ADMIN_TOKEN.
    #[arg(long, env = "KUBEGATE_ADMIN_TOKEN_FILE")]
    pub admin_token_file: Option<PathBuf>,
    /// Host names (for the `Host` header) served besides localhost and IP addresses, comma-separated; a
    /// leading `*.` allows subdomains. Everything else is refused: the defence against DNS rebinding.
    #[arg(long, env = "KUBEGATE_ALLOWED_HOSTS", value_delimiter = ',')]
    pub allowed_hosts: Vec<String>,
    /// Browser origins allowed to open the terminal besides the page's own host and localhost
    /// (comma-separated; `*` allows any).
    #[arg(long, env = "KUBEGATE_TERMINAL_ORIGINS", value_delimiter = ',')]
    pub terminal_origins: Vec<String>,
    /// Origins allowed cross-origin access to the REST routes (comma-separated; `*` allows any).
    /// Default: none.
    #[arg(long, env = "KUBEGATE_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
    /// The largest REST request body accepted, in bytes.
    #[arg(long, env = "KUBEGATE_MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,
}

impl AccessArgs {
    /// The configured API token, if any.
    pub fn token(&self) -> anyhow::Result<Option<ApiToken>> {
        configured_token(self.api_token_file.as_deref(), "KUBEGATE_API_TOKEN")
    }

    /// The configured admin token, if any.
    pub fn admin_token(&self) -> anyhow::Result<Option<ApiToken>> {
        configured_token(self.admin_token_file.as_deref(), "KUBEGATE_ADMIN_TOKEN")
    }

    /// The certificate to serve, when TLS is configured.
    pub fn tls(&self) -> anyhow::Result<Option<kubegate_gateway::tls::ServerTls>> {
        match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => Ok(Some(kubegate_gateway::tls::ServerTls::load(cert, key)?)),
            _ => Ok(None),
        }
    }

    /// The host names served besides loopback names and IP literals.
    pub fn host_policy(&self) -> HostPolicy {
        HostPolicy::new(self.allowed_hosts.iter().cloned())
    }

    /// The gateway settings these flags give, for `upstream`.
    pub fn gateway_config(&self, upstream: String) -> anyhow::Result<kubegate_gateway::GatewayConfig> {
        let mut config = kubegate_gateway::GatewayConfig::new(upstream);
        config.token = self.token()?;
        config.admin_token = self.admin_token()?;
        config.hosts = self.host_policy();
        config.terminal_origins = self.terminal_origins.iter().filter(|o| !o.is_empty()).cloned().collect();
        config.cors_origins = self.cors_origins.iter().filter(|o| !o.is_empty()).cloned().collect();
        config.max_body_bytes = self.max_body_bytes;
        Ok(config)
    }
}

/// Where `gateway` and `mcp` find the kubegate gRPC service.
#[derive(Debug, Args)]
pub struct UpstreamArgs {
    /// The kubegate gRPC service to call: http://127.0.0.1:50051, or https://HOST:PORT for a service
    /// serving TLS (verified against --upstream-ca, or the system's roots).
    #[arg(long, env = "KUBEGATE_UPSTREAM")]
    pub upstream: String,
    /// The CA certificate (PEM) an https upstream's certificate must chain to.
    #[arg(long, env = "KUBEGATE_UPSTREAM_CA")]
    pub upstream_ca: Option<PathBuf>,
}

impl UpstreamArgs {
    /// The CA's PEM, when one is given.
    pub fn ca(&self) -> anyhow::Result<Option<Vec<u8>>> {
        match &self.upstream_ca {
            Some(path) => Ok(Some(kubegate_gateway::tls::read_bounded(path)?)),
            None => Ok(None),
        }
    }
}

/// A token from a file, else from an environment variable; `None` when neither is set.
pub(super) fn configured_token(
    file: Option<&std::path::Path>,
    variable: &str,
) -> anyhow::Result<Option<ApiToken>> {
    if let Some(path) = file {
        return Ok(Some(ApiToken::from_file(path)?));
    }
    match std::env::var(variable) {
        Ok(text) if !text.is_empty() => Ok(Some(ApiToken::new(&text).context(variable.to_string())?)),
        _ => Ok(None),
    }
}

/// Generates an API token and writes it, readable by its owner only, to `dir/api-token` (the directory is
/// created private). An existing file is replaced, never followed: a planted symlink is removed first.
pub(super) fn generate_token(dir: &std::path::Path) -> anyhow::Result<(ApiToken, PathBuf)> {
    use std::io::Write as _;
    use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _};
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    let text: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join("api-token");
    match std::fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("cannot replace {}", path.display())),
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(format!("{text}\n").as_bytes())?;
    Ok((ApiToken::new(&text)?, path))
}

/// Where `serve` keeps a generated token when no data directory is given.
pub(super) fn default_state_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("XDG_STATE_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir).join("kubegate");
    }
    match std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        Some(home) => PathBuf::from(home).join(".local/state/kubegate"),
        None => std::env::temp_dir().join(format!("kubegate-{}", std::process::id())),
    }
}
