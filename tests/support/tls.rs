//! Certificates for TLS tests: a CA, a serving certificate for localhost signed by it, and clients that
//! trust exactly that CA.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};

/// A certificate authority: its PEM and what signs with it.
pub struct Authority {
    /// The CA certificate, PEM.
    pub pem: String,
    issuer: Issuer<'static, KeyPair>,
}

/// A new certificate authority named `name`.
pub fn authority(name: &str) -> Authority {
    let key = KeyPair::generate().expect("a CA key");
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).expect("a CA certificate");
    Authority { pem: cert.pem(), issuer: Issuer::new(params, key) }
}

/// Writes a certificate for localhost and 127.0.0.1 signed by `ca`, and its key, into `dir`.
pub fn write_leaf(ca: &Authority, dir: &Path) -> (PathBuf, PathBuf) {
    let key = KeyPair::generate().expect("a key");
    let params =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).expect("names");
    let cert = params.signed_by(&key, &ca.issuer).expect("a signed certificate");
    let (cert_path, key_path) = (dir.join("tls.crt"), dir.join("tls.key"));
    // Replaced whole, as a Secret update or a renewal replaces them.
    let staged = dir.join("tls.crt.new");
    std::fs::write(&staged, cert.pem()).expect("write the certificate");
    std::fs::rename(&staged, &cert_path).expect("replace the certificate");
    let staged = dir.join("tls.key.new");
    std::fs::write(&staged, key.serialize_pem()).expect("write the key");
    std::fs::rename(&staged, &key_path).expect("replace the key");
    (cert_path, key_path)
}

/// A rustls client trusting `ca_pem` only.
pub fn client_config(ca_pem: &str) -> Arc<rustls::ClientConfig> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject as _;
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(cert.expect("a CA certificate")).expect("a root");
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Arc::new(config)
}

/// A TLS connection to `addr`, trusting `ca_pem` only.
pub async fn tls_connect(
    addr: SocketAddr,
    ca_pem: &str,
) -> std::io::Result<tokio_rustls::client::TlsStream<tokio::net::TcpStream>> {
    let tcp = tokio::net::TcpStream::connect(addr).await?;
    let name = rustls::pki_types::ServerName::try_from("localhost").expect("a server name");
    tokio_rustls::TlsConnector::from(client_config(ca_pem)).connect(name, tcp).await
}
