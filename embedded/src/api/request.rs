//! What a request asks for: the object or collection its path points to, its query, and its body.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::Request;
use axum::http::{HeaderMap, header};
use serde_json::Value;

use crate::kinds::Kind;
use crate::status::{ApiError, ApiResult};

/// The largest request body accepted, as a real API server's default.
const MAX_BODY: usize = 3 * 1024 * 1024;

/// Where a request points.
#[derive(Debug, Clone)]
pub struct Target {
    /// The kind of the object or collection.
    pub kind: Kind,
    /// The namespace, empty for cluster-scoped kinds and for every namespace.
    pub namespace: String,
    /// The object's name, empty for a collection.
    pub name: String,
    /// The subresource (`status`, `log`, `exec`, `attach`), empty for none.
    pub subresource: String,
}

impl Target {
    /// The namespace a list is confined to, `None` for every namespace.
    pub fn namespace_scope(&self) -> Option<&str> {
        (self.kind.namespaced && !self.namespace.is_empty()).then_some(self.namespace.as_str())
    }
}

/// The query of a request; of a repeated key, the last value.
pub fn query_map(request: &Request) -> HashMap<String, String> {
    request.uri().query().map(|q| url_pairs(q).into_iter().collect()).unwrap_or_default()
}

/// Decodes `a=b&c=d` pairs, keeping repeated keys in order.
pub fn url_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(text: &str) -> String {
    let plus_as_space = text.replace('+', " ");
    percent_encoding::percent_decode_str(&plus_as_space).decode_utf8_lossy().into_owned()
}

/// Whether a boolean query parameter is set, as Kubernetes parses them (`true` or `1`).
pub fn is_true(query: &HashMap<String, String>, key: &str) -> bool {
    query.get(key).is_some_and(|v| v == "true" || v == "1")
}

/// The request's content type, JSON when it names none.
pub fn content_type(headers: &HeaderMap) -> String {
    headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("application/json").to_string()
}

/// The request body, refused with 413 past the size a real API server accepts.
pub async fn read_body(request: Request) -> ApiResult<Bytes> {
    axum::body::to_bytes(request.into_body(), MAX_BODY)
        .await
        .map_err(|_| ApiError::with_code(413, "the request body is larger than 3 MiB"))
}

/// The request body as a JSON object. Protobuf bodies are read for the kinds kubectl sends that way
/// (see `protobuf`); YAML and other protobuf bodies are 415.
pub async fn read_json(request: Request) -> ApiResult<Value> {
    let content_type = content_type(request.headers());
    if content_type.contains("yaml") {
        return Err(ApiError::unsupported_media_type(&content_type));
    }
    let protobuf = content_type.contains("protobuf");
    let body = read_body(request).await?;
    if protobuf {
        return super::protobuf::to_json(&body, &content_type);
    }
    serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("the request body is not valid JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_pairs_are_percent_decoded_and_keep_repeated_keys() {
        let pairs = url_pairs("command=sh&command=-c&command=echo+hi%3B+exit+2&stdout=true&flag");
        let values: Vec<&str> = pairs.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(values, ["sh", "-c", "echo hi; exit 2", "true", ""]);
        assert_eq!(pairs[4].0, "flag");
    }
}
