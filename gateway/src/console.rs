//! The web console: a page at `/` and its files under `/console/`, built from `gateway/console/` (its
//! TypeScript bundled by esbuild into `gateway/console/dist/`, committed) and embedded at compile time,
//! so serving it needs no npm and no file system.
//!
//! The files hold no secret, so they are served without the API token (the page asks for it and keeps it
//! in the tab's `sessionStorage`); they are still behind the `Host` check, like every route. Every answer
//! carries a Content-Security-Policy that allows only the console's own files and connections to its own
//! origin (the REST routes and the terminal WebSocket): no inline script or style, no framing, no form
//! submission (a form that somehow submitted itself would put the token in a URL).

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// Where the console's files are served, besides the page itself at `/`.
pub const ASSETS: &str = "/console/{file}";

/// One embedded file.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

/// The page and the files it loads.
const INDEX: Asset = Asset {
    name: "index.html",
    content_type: "text/html; charset=utf-8",
    bytes: include_bytes!("../console/dist/index.html"),
};
const FILES: [Asset; 3] = [
    Asset {
        name: "console.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../console/dist/console.js"),
    },
    Asset {
        name: "console.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../console/dist/console.css"),
    },
    Asset {
        name: "icon.svg",
        content_type: "image/svg+xml",
        bytes: include_bytes!("../console/dist/icon.svg"),
    },
];

/// The policy without the WebSocket sources, which name the request's host.
const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; \
                      font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; \
                      frame-ancestors 'none'";

/// Each file's validator: a hash of its bytes, computed once.
static ETAGS: LazyLock<Vec<(&'static str, HeaderValue)>> = LazyLock::new(|| {
    std::iter::once(&INDEX)
        .chain(FILES.iter())
        .map(|asset| {
            use std::hash::{Hash as _, Hasher as _};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            asset.bytes.hash(&mut hasher);
            let tag = format!("\"{:016x}-{:x}\"", hasher.finish(), asset.bytes.len());
            (asset.name, HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("\"0\"")))
        })
        .collect()
});

/// The Content-Security-Policy of an answer to a request naming `host`: `connect-src` allows the page's
/// own origin and the WebSocket schemes of the same host (older browsers do not count `ws:` as `'self'`).
/// The host passed the `Host` check already; one with characters a host cannot have gets no WebSocket
/// sources rather than a policy it could extend.
pub fn content_security_policy(host: Option<&str>) -> String {
    let host = host.filter(|h| {
        !h.is_empty()
            && h.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
    });
    match host {
        Some(host) => format!("{POLICY}; connect-src 'self' ws://{host} wss://{host}"),
        None => format!("{POLICY}; connect-src 'self'"),
    }
}

fn serve(asset: &Asset, headers: &HeaderMap) -> Response {
    let etag = ETAGS.iter().find(|(name, _)| *name == asset.name).map(|(_, tag)| tag.clone());
    let fresh = etag.as_ref().is_some_and(|tag| {
        headers
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.split(',').any(|t| t.trim() == tag.to_str().unwrap_or_default()))
    });
    let mut response =
        if fresh { StatusCode::NOT_MODIFIED.into_response() } else { asset.bytes.into_response() };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let out = response.headers_mut();
    out.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
    // Revalidated on every load (a 304 when unchanged), so an upgraded kubegate serves its new console.
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Some(etag) = etag {
        out.insert(header::ETAG, etag);
    }
    if let Ok(policy) = HeaderValue::from_str(&content_security_policy(host)) {
        out.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    out.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    out.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    out.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    out.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    out.insert("cross-origin-resource-policy", HeaderValue::from_static("same-origin"));
    response
}

/// `GET /`: the console's page.
pub async fn index(headers: HeaderMap) -> Response {
    serve(&INDEX, &headers)
}

/// `GET /console/{file}`: a file of the console; anything else is 404.
pub async fn asset(Path(file): Path<String>, headers: HeaderMap) -> Response {
    match FILES.iter().find(|asset| asset.name == file) {
        Some(asset) => serve(asset, &headers),
        None => ApiError::no_route().into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_names_only_a_well_formed_host() {
        let policy = content_security_policy(Some("127.0.0.1:5003"));
        assert!(policy.ends_with("connect-src 'self' ws://127.0.0.1:5003 wss://127.0.0.1:5003"), "{policy}");
        assert!(policy.contains("script-src 'self';") && policy.contains("frame-ancestors 'none'"));
        assert!(!policy.contains("unsafe"), "{policy}");
        for odd in [Some("a.example; script-src *"), Some("x y"), Some(""), None] {
            assert!(content_security_policy(odd).ends_with("connect-src 'self'"), "{odd:?}");
        }
    }

    #[test]
    fn the_page_loads_only_files_that_are_served() {
        let page = std::str::from_utf8(INDEX.bytes).unwrap_or_default();
        for reference in page.split("\"/console/").skip(1) {
            let name = reference.split('"').next().unwrap_or_default();
            assert!(FILES.iter().any(|f| f.name == name), "index.html loads {name}, which is not served");
        }
        assert!(!page.contains("<script>") && !page.contains("style="), "no inline script or style");
    }
}
