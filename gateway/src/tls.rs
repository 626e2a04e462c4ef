//! TLS for kubegate's listeners: a certificate and key from PEM files (`--tls-cert`, `--tls-key`), served
//! with ALPN `h2` and `http/1.1`, and picked up again when the files change (a renewed certificate from
//! cert-manager or a mounted Secret takes effect without a restart; a broken renewal keeps the old one).

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;

/// The largest certificate or key file read: a chain is a few KiB; `/dev/zero` must not be read forever.
const MAX_PEM_BYTES: u64 = 1024 * 1024;

/// How often the files are checked for a renewal.
pub const RELOAD_INTERVAL: Duration = Duration::from_secs(10);

/// Why a certificate or key cannot be served. The messages name the file and the problem, never content.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// The file cannot be read.
    #[error("cannot read {0}: {1}")]
    Read(PathBuf, std::io::Error),
    /// The file is larger than a certificate chain or key can be.
    #[error("{0} is larger than 1 MiB; it is not a PEM certificate or key")]
    TooLarge(PathBuf),
    /// The file holds no PEM certificate.
    #[error("{0} holds no PEM certificate")]
    NoCertificate(PathBuf),
    /// The file holds no usable PEM private key.
    #[error("{0} holds no usable PEM private key: {1}")]
    Key(PathBuf, String),
    /// The key is not the certificate's.
    #[error("the key in {key} does not belong to the certificate in {cert}")]
    Mismatch {
        /// The certificate file.
        cert: PathBuf,
        /// The key file.
        key: PathBuf,
    },
}

/// A certificate and key served from files, reloaded when they change.
#[derive(Debug, Clone)]
pub struct ServerTls {
    config: Arc<rustls::ServerConfig>,
    files: Arc<Files>,
}

#[derive(Debug)]
struct Files {
    cert: PathBuf,
    key: PathBuf,
    provider: Arc<CryptoProvider>,
    current: RwLock<Loaded>,
}

#[derive(Debug, Clone)]
struct Loaded {
    key: Arc<CertifiedKey>,
    stamp: Stamp,
}

/// What tells a renewal: each file's modification time and length.
type Stamp = [(Option<SystemTime>, u64); 2];

impl ServerTls {
    /// Loads the certificate chain in `cert` and the private key in `key` (PEM), checking that they belong
    /// together.
    pub fn load(cert: &Path, key: &Path) -> Result<Self, TlsError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let loaded = load(cert, key, &provider)?;
        let files = Arc::new(Files {
            cert: cert.to_path_buf(),
            key: key.to_path_buf(),
            provider: provider.clone(),
            current: RwLock::new(loaded),
        });
        // The protocol versions are rustls's safe defaults (TLS 1.2 and 1.3); there is no client
        // certificate: callers prove themselves with the API token, inside the encrypted connection.
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsError::Key(key.to_path_buf(), e.to_string()))?
            .with_no_client_auth()
            .with_cert_resolver(files.clone());
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(Self { config: Arc::new(config), files })
    }

    /// The rustls configuration to accept connections with.
    pub fn config(&self) -> Arc<rustls::ServerConfig> {
        self.config.clone()
    }

    /// An acceptor for incoming connections.
    pub fn acceptor(&self) -> tokio_rustls::TlsAcceptor {
        tokio_rustls::TlsAcceptor::from(self.config())
    }

    /// Loads the files again when they changed since the last load. `Ok(true)` when a new certificate
    /// is served from now on; on an error the previous one stays.
    pub fn reload_if_changed(&self) -> Result<bool, TlsError> {
        let stamp = stamp(&self.files.cert, &self.files.key);
        let unchanged = self.files.current.read().map(|c| c.stamp == stamp).unwrap_or(false);
        if unchanged {
            return Ok(false);
        }
        let loaded = load(&self.files.cert, &self.files.key, &self.files.provider)?;
        if let Ok(mut current) = self.files.current.write() {
            *current = loaded;
        }
        Ok(true)
    }

    /// Checks the files every `interval` until `stop` is cancelled, logging renewals and broken files.
    pub async fn watch(self, interval: Duration, stop: tokio_util::sync::CancellationToken) {
        let mut failing = false;
        loop {
            tokio::select! {
                () = tokio::time::sleep(interval) => {}
                () = stop.cancelled() => return,
            }
            match self.reload_if_changed() {
                Ok(true) => {
                    failing = false;
                    tracing::info!(cert = %self.files.cert.display(), "serving the renewed TLS certificate");
                }
                Ok(false) => {}
                // Files are often replaced one at a time: say it once, keep the previous certificate.
                Err(e) if !failing => {
                    failing = true;
                    tracing::warn!(error = %e, "the TLS files changed but cannot be used; still serving the previous certificate");
                }
                Err(_) => {}
            }
        }
    }
}

impl ResolvesServerCert for Files {
    fn resolve(&self, _: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        self.current.read().ok().map(|c| c.key.clone())
    }
}

fn stamp(cert: &Path, key: &Path) -> Stamp {
    [cert, key].map(|p| match std::fs::metadata(p) {
        Ok(m) => (m.modified().ok(), m.len()),
        Err(_) => (None, 0),
    })
}

fn load(cert: &Path, key: &Path, provider: &Arc<CryptoProvider>) -> Result<Loaded, TlsError> {
    let stamp = stamp(cert, key);
    let cert_pem = read_bounded(cert)?;
    let chain = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| TlsError::NoCertificate(cert.to_path_buf()))?;
    if chain.is_empty() {
        return Err(TlsError::NoCertificate(cert.to_path_buf()));
    }
    let key_pem = read_bounded(key)?;
    let private = PrivateKeyDer::from_pem_slice(&key_pem)
        .map_err(|e| TlsError::Key(key.to_path_buf(), describe(&e)))?;
    let certified = CertifiedKey::from_der(chain, private, provider).map_err(|e| match e {
        rustls::Error::InconsistentKeys(_) => {
            TlsError::Mismatch { cert: cert.to_path_buf(), key: key.to_path_buf() }
        }
        other => TlsError::Key(key.to_path_buf(), other.to_string()),
    })?;
    Ok(Loaded { key: Arc::new(certified), stamp })
}

/// A PEM problem without any of the file's bytes.
fn describe(e: &rustls::pki_types::pem::Error) -> String {
    match e {
        rustls::pki_types::pem::Error::NoItemsFound => "no PRIVATE KEY block".into(),
        rustls::pki_types::pem::Error::MissingSectionEnd { .. } => "a PEM block does not end".into(),
        rustls::pki_types::pem::Error::IllegalSectionStart { .. } => "a PEM block starts badly".into(),
        rustls::pki_types::pem::Error::Base64Decode(_) => "a PEM block is not base64".into(),
        _ => "not a PEM private key".into(),
    }
}

/// Reads a PEM file (a certificate, key or CA) of at most 1 MiB.
pub fn read_bounded(path: &Path) -> Result<Vec<u8>, TlsError> {
    let file = std::fs::File::open(path).map_err(|e| TlsError::Read(path.to_path_buf(), e))?;
    let mut bytes = Vec::new();
    file.take(MAX_PEM_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| TlsError::Read(path.to_path_buf(), e))?;
    if bytes.len() as u64 > MAX_PEM_BYTES {
        return Err(TlsError::TooLarge(path.to_path_buf()));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_file_is_refused_without_reading_it_all() {
        let problem = read_bounded(Path::new("/dev/zero")).expect_err("refused");
        assert!(matches!(problem, TlsError::TooLarge(_)), "{problem}");
    }

    #[test]
    fn files_that_are_not_pem_are_named_and_not_quoted() {
        let dir = std::env::temp_dir().join(format!("kubegate-tls-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a directory");
        let secret = dir.join("secret.txt");
        std::fs::write(&secret, "the-password-is-swordfish\n").expect("write");
        let problem = ServerTls::load(&secret, &secret).expect_err("refused");
        assert!(matches!(problem, TlsError::NoCertificate(_)), "{problem}");
        let message = problem.to_string();
        assert!(message.contains("secret.txt") && !message.contains("swordfish"), "{message}");
        let missing = ServerTls::load(&dir.join("absent.crt"), &secret).expect_err("refused");
        assert!(missing.to_string().contains("absent.crt"), "{missing}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
