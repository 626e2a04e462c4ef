//! The API token's wire contract, shared by the service and its gateway: one secret guarding REST, gRPC
//! and the terminal, carried as `Authorization: Bearer <token>` or a WebSocket subprotocol, compared in
//! constant time and never printed (its `Debug` is redacted).

use std::sync::Arc;

use http::HeaderMap;
use subtle::ConstantTimeEq;

/// The subprotocol prefix a browser uses to carry the token, as Kubernetes does for its own WebSockets.
pub const KUBERNETES_BEARER_PROTOCOL: &str = "base64url.bearer.authorization.k8s.io.";
/// The shorter subprotocol form: `bearer.<token>`.
pub const BEARER_PROTOCOL: &str = "bearer.";

/// The configured API token, with its fingerprint (computed once: every request names its caller by it).
#[derive(Clone)]
pub struct ApiToken(Arc<str>, Arc<str>);

impl std::fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiToken(<redacted>)")
    }
}

/// Why a token cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// Empty or surrounded by whitespace only.
    #[error("the API token is empty")]
    Empty,
    /// Shorter than [`MIN_TOKEN_LENGTH`].
    #[error("the API token is {0} characters long; use at least 32 (for example `openssl rand -hex 32`)")]
    TooShort(usize),
    /// Characters that cannot travel in an HTTP header.
    #[error("the API token may only hold visible ASCII characters (it travels in HTTP headers)")]
    NotVisibleAscii,
    /// The token file could not be read.
    #[error("cannot read the API token file {0}: {1}")]
    File(String, std::io::Error),
}

impl ApiToken {
    /// A token from its text; surrounding whitespace (a file's final newline) is not part of it.
    pub fn new(text: &str) -> Result<Self, TokenError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(TokenError::Empty);
        }
        if !text.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(TokenError::NotVisibleAscii);
        }
        if text.len() < MIN_TOKEN_LENGTH {
            return Err(TokenError::TooShort(text.len()));
        }
        let digest = ring::digest::digest(&ring::digest::SHA256, text.as_bytes());
        let fingerprint: String = digest.as_ref().iter().take(6).map(|b| format!("{b:02x}")).collect();
        Ok(Self(Arc::from(text), Arc::from(fingerprint)))
    }

    /// Reads the token from a file (for example a mounted Secret).
    pub fn from_file(path: &std::path::Path) -> Result<Self, TokenError> {
        let text =
            std::fs::read_to_string(path).map_err(|e| TokenError::File(path.display().to_string(), e))?;
        Self::new(&text)
    }

    /// Whether `candidate` is this token, in time that does not depend on where they differ.
    pub fn matches(&self, candidate: &str) -> bool {
        bool::from(self.0.as_bytes().ct_eq(candidate.as_bytes()))
    }

    /// A short, stable fingerprint (the first 12 hex digits of its SHA-256): how the audit trail and
    /// quotas name a caller without holding the token.
    pub fn fingerprint(&self) -> &str {
        &self.1
    }

    /// The `authorization` header value that carries this token.
    pub fn bearer(&self) -> String {
        format!("Bearer {}", self.0)
    }

    /// Whether an `Authorization` header value (`Bearer <token>`) carries this token.
    pub fn matches_header(&self, value: &str) -> bool {
        match value.split_once(' ') {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => self.matches(token.trim()),
            _ => false,
        }
    }

    /// Whether a request's headers carry this token in `Authorization`.
    pub fn matches_headers(&self, headers: &HeaderMap) -> bool {
        headers
            .get_all(http::header::AUTHORIZATION)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| self.matches_header(v))
    }

    /// Whether one of the offered WebSocket subprotocols carries this token.
    pub fn matches_protocols(&self, headers: &HeaderMap) -> bool {
        use base64::Engine as _;
        offered_protocols(headers).any(|p| {
            if let Some(encoded) = p.strip_prefix(KUBERNETES_BEARER_PROTOCOL) {
                base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(encoded.trim_end_matches('='))
                    .ok()
                    .and_then(|raw| String::from_utf8(raw).ok())
                    .is_some_and(|t| self.matches(&t))
            } else {
                p.strip_prefix(BEARER_PROTOCOL).is_some_and(|t| self.matches(t))
            }
        })
    }
}

/// The subprotocols a WebSocket client offered, in order.
pub fn offered_protocols(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    headers
        .get_all(http::header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

/// Which `Host` (or HTTP/2 `:authority`) a request may name: the defence against DNS rebinding, where a
/// web page on another site points its own name at kubegate's address and so becomes "same-origin" with
/// it. Loopback names and IP literals are always accepted (a page can only be at an IP literal if that
/// address served it); any other name must be listed (`--allowed-hosts`).
#[derive(Debug, Clone, Default)]
pub struct HostPolicy {
    names: Arc<[String]>,
}

impl HostPolicy {
    /// A policy accepting loopback names, IP literals and `names` (host names, without ports; case does
    /// not matter; a leading `*.` accepts any subdomain).
    pub fn new(names: impl IntoIterator<Item = String>) -> Self {
        let names: Vec<String> = names
            .into_iter()
            .map(|n| n.trim().trim_end_matches('.').to_ascii_lowercase())
            .filter(|n| !n.is_empty())
            .collect();
        Self { names: names.into() }
    }

    /// Whether a `Host` value (`name`, `name:port`, `[v6]:port`) is acceptable.
    pub fn allows(&self, host: &str) -> bool {
        let host = host.trim();
        let name = if let Some(rest) = host.strip_prefix('[') {
            match rest.split_once(']') {
                Some((inside, _)) => inside,
                None => return false,
            }
        } else {
            match host.rsplit_once(':') {
                Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
                _ => host,
            }
        };
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if name.is_empty() {
            return false;
        }
        if name == "localhost" || name.ends_with(".localhost") || name.parse::<std::net::IpAddr>().is_ok() {
            return true;
        }
        self.names.iter().any(|allowed| match allowed.strip_prefix("*.") {
            Some(suffix) => name.strip_suffix(suffix).is_some_and(|head| head.ends_with('.')),
            None => *allowed == name,
        })
    }

    /// The host a request names: HTTP/2's `:authority` (in the URI), else the `Host` header.
    pub fn request_host<B>(request: &http::Request<B>) -> Option<String> {
        request.uri().authority().map(|a| a.as_str().to_string()).or_else(|| {
            request.headers().get(http::header::HOST).and_then(|v| v.to_str().ok()).map(str::to_string)
        })
    }

    /// Whether a request names an acceptable host. A request naming none is refused.
    pub fn allows_request<B>(&self, request: &http::Request<B>) -> bool {
        Self::request_host(request).is_some_and(|h| self.allows(&h))
    }
}

/// The shortest API token accepted: shorter ones are guessable.
pub const MIN_TOKEN_LENGTH: usize = 32;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_is_the_start_of_the_tokens_sha256() {
        // sha256("0123456789abcdef0123456789abcdef") begins 3eb1bd439947; the token read from a file
        // (surrounding whitespace dropped) has the same fingerprint.
        let token = ApiToken::new("0123456789abcdef0123456789abcdef").expect("valid");
        assert_eq!(token.fingerprint(), "3eb1bd439947");
        let read = ApiToken::new(" 0123456789abcdef0123456789abcdef\n").expect("valid");
        assert_eq!(read.fingerprint(), "3eb1bd439947");
        let other = ApiToken::new("0123456789abcdef0123456789abcdeg").expect("valid");
        assert_ne!(other.fingerprint(), token.fingerprint());
    }

    #[test]
    fn tokens_match_only_themselves() {
        let token = ApiToken::new(" s3cret-0123456789abcdef0123456789abcdef\n").expect("valid");
        assert!(token.matches("s3cret-0123456789abcdef0123456789abcdef"));
        assert!(!token.matches("s3cret-0123456789abcdef0123456789abcde"));
        assert!(!token.matches("s3cret-0123456789abcdef0123456789abcdef2"));
        assert!(token.matches_header("Bearer s3cret-0123456789abcdef0123456789abcdef"));
        assert!(token.matches_header("bearer s3cret-0123456789abcdef0123456789abcdef"));
        assert!(!token.matches_header("Basic s3cret-0123456789abcdef0123456789abcdef"));
        assert!(!format!("{token:?}").contains("s3cret-0123456789abcdef0123456789abcdef"));
        assert!(matches!(ApiToken::new("  "), Err(TokenError::Empty)));
        assert!(matches!(ApiToken::new("a b"), Err(TokenError::NotVisibleAscii)));
        assert!(matches!(ApiToken::new("short-but-visible"), Err(TokenError::TooShort(17))));
    }

    #[test]
    fn tokens_travel_in_subprotocols() {
        use base64::Engine as _;
        let token = ApiToken::new("s3cret-0123456789abcdef0123456789abcdef").expect("valid");
        let mut headers = HeaderMap::new();
        let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode("s3cret-0123456789abcdef0123456789abcdef");
        let value = format!("kubegate.terminal, {KUBERNETES_BEARER_PROTOCOL}{encoded}");
        headers.insert(http::header::SEC_WEBSOCKET_PROTOCOL, value.parse().expect("header"));
        assert!(token.matches_protocols(&headers));
        headers.insert(
            http::header::SEC_WEBSOCKET_PROTOCOL,
            "bearer.s3cret-0123456789abcdef0123456789abcdef".parse().expect("header"),
        );
        assert!(token.matches_protocols(&headers));
        headers.insert(http::header::SEC_WEBSOCKET_PROTOCOL, "bearer.wrong".parse().expect("header"));
        assert!(!token.matches_protocols(&headers));
    }

    #[test]
    fn only_loopback_names_ip_literals_and_listed_names_are_hosts() {
        let policy = HostPolicy::new(["kubegate.example.com".to_string(), "*.svc.cluster.local".to_string()]);
        for ok in [
            "localhost:5003",
            "127.0.0.1:5003",
            "[::1]:50051",
            "10.1.2.3",
            "LOCALHOST",
            "kubegate.example.com:443",
            "kubegate.ns.svc.cluster.local",
        ] {
            assert!(policy.allows(ok), "{ok} should be allowed");
        }
        for refused in
            ["evil.example.com:5003", "", "kubegate.example.com.evil.net", "svc.cluster.local", "[::1"]
        {
            assert!(!policy.allows(refused), "{refused:?} should be refused");
        }
    }
}
