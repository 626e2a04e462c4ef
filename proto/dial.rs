//! Dialling the kubegate gRPC service, the one way the gateway, the MCP server and tests do it: no
//! Nagle delay, HTTP/2 keepalives, and for an `https` URL TLS verified against a given CA or the
//! system's roots (never unverified).

use std::time::Duration;

use tonic::transport::{Certificate, ClientTlsConfig, Endpoint};

/// Why an upstream URL cannot be dialled.
#[derive(Debug, thiserror::Error)]
pub enum DialError {
    /// The URL is not a gRPC endpoint.
    #[error("invalid upstream URL {0:?}: {1}")]
    Url(String, String),
    /// A CA was given for a plain `http` upstream, which would send the token in clear all the same.
    #[error("a CA is given for {0}, which is not https: use https://, or drop the CA")]
    CaWithoutTls(String),
    /// TLS cannot be set up with the given CA.
    #[error("cannot use TLS for {0}: {1}")]
    Tls(String, String),
}

/// An endpoint for `url` (`http://host:port` or `https://host:port`); `ca_pem` is the certificate
/// authority (PEM) an `https` service's certificate must chain to, instead of the system's roots.
pub fn endpoint(url: &str, ca_pem: Option<&[u8]>) -> Result<Endpoint, DialError> {
    endpoint_named(url, ca_pem, None)
}

/// As [`endpoint`], verifying the certificate for `tls_name` instead of the URL's host (a replica
/// reached at its pod IP presents the Service's certificate).
pub fn endpoint_named(
    url: &str,
    ca_pem: Option<&[u8]>,
    tls_name: Option<&str>,
) -> Result<Endpoint, DialError> {
    let endpoint = Endpoint::from_shared(url.to_string())
        .map_err(|e| DialError::Url(url.to_string(), e.to_string()))?
        .tcp_nodelay(true)
        .http2_keep_alive_interval(Duration::from_secs(20))
        .keep_alive_while_idle(true);
    let secure = endpoint.uri().scheme_str() == Some("https");
    if !secure {
        return match ca_pem {
            Some(_) => Err(DialError::CaWithoutTls(url.to_string())),
            None => Ok(endpoint),
        };
    }
    let tls = match ca_pem {
        Some(pem) => {
            if !String::from_utf8_lossy(pem).contains("-----BEGIN CERTIFICATE-----") {
                return Err(DialError::Tls(url.to_string(), "the CA holds no PEM certificate".into()));
            }
            ClientTlsConfig::new().ca_certificate(Certificate::from_pem(pem))
        }
        None => ClientTlsConfig::new().with_native_roots(),
    };
    let tls = match tls_name {
        Some(name) => tls.domain_name(name),
        None => tls,
    };
    endpoint.tls_config(tls).map_err(|e| DialError::Tls(url.to_string(), e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ca_for_a_plain_upstream_is_refused() {
        let problem =
            endpoint("http://127.0.0.1:50051", Some(b"-----BEGIN CERTIFICATE-----")).expect_err("refused");
        assert!(matches!(problem, DialError::CaWithoutTls(_)), "{problem}");
    }

    #[test]
    fn a_ca_without_a_certificate_is_refused_without_quoting_it() {
        let problem = endpoint("https://127.0.0.1:50051", Some(b"secret-bytes")).expect_err("refused");
        assert!(matches!(problem, DialError::Tls(..)), "{problem}");
        assert!(!problem.to_string().contains("secret-bytes"));
    }

    #[test]
    fn urls_are_checked() {
        assert!(endpoint("not a url", None).is_err());
        assert!(endpoint("http://127.0.0.1:50051", None).is_ok());
        assert!(endpoint("https://127.0.0.1:50051", None).is_ok());
    }
}
