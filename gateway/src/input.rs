//! What the routes read from a request: JSON bodies (however they are labelled, as the original read
//! them) turned into errors that say what is wrong, query flags and numbers, and the
//! namespace/label-selector query most routes take.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, header};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::upstream::Upstream;

/// A JSON request body. The original parsed the body as JSON whatever its `Content-Type`, and callers
/// rely on that (`curl -d '{…}'` labels JSON as a form), so a body labelled `application/json`, as a
/// form, as `text/plain` or not at all is read as JSON. Those three other labels are also what a
/// browser may send from any site without asking first, so they are refused from a cross-site page.
///
/// Answers: 400 for an empty body, for malformed JSON labelled as JSON, and for JSON that does not fit
/// the route (with `details` naming the field); 415 for another content type or a body labelled
/// otherwise that is not JSON at all; 403 for a form from a cross-site page; 413 when too large.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

/// How a request labelled its body.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Label {
    /// `application/json` or `*/*+json`.
    Json,
    /// None, a form or plain text: read as JSON, as the original did.
    Lenient,
    /// Anything else (multipart forms, XML, …).
    Other,
}

fn label(headers: &HeaderMap) -> Label {
    let Some(value) = headers.get(header::CONTENT_TYPE) else { return Label::Lenient };
    let Ok(value) = value.to_str() else { return Label::Other };
    let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => Label::Json,
        e if e.starts_with("application/") && e.ends_with("+json") => Label::Json,
        "" | "application/x-www-form-urlencoded" | "text/plain" => Label::Lenient,
        _ => Label::Other,
    }
}

/// Whether a browser page at `Origin` is this site or one the operator allowed cross-origin access
/// (`--cors-origins`). Callers that are not browsers send no `Origin`.
fn same_site(request: &Request, cors_origins: &[String]) -> bool {
    let Some(origin) = request.headers().get(header::ORIGIN) else { return true };
    let Ok(origin) = origin.to_str() else { return false };
    let origin = origin.trim().trim_end_matches('/');
    if cors_origins.iter().any(|o| o == "*" || o.trim_end_matches('/').eq_ignore_ascii_case(origin)) {
        return true;
    }
    let Some((_, authority)) = origin.split_once("://") else { return false };
    kubegate_proto::auth::HostPolicy::request_host(request).is_some_and(|h| h.eq_ignore_ascii_case(authority))
}

/// The problem without serde_json's position suffix (` at line 1 column 9`), which means nothing to a
/// caller who sent one line.
fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// The field a body's data error is about, and what is wrong with it.
fn violation(error: &serde_path_to_error::Error<serde_json::Error>) -> (String, String) {
    let path = error.path().to_string();
    let problem = without_position(error.inner());
    // serde reports a missing field at its parent: `missing field `image`` at `.`.
    if let Some(name) = problem.strip_prefix("missing field `").and_then(|r| r.strip_suffix('`')) {
        let field = if path == "." { name.to_string() } else { format!("{path}.{name}") };
        return (field, "is required".to_string());
    }
    let field = if path == "." { "body".to_string() } else { path };
    // `expected struct CreatePodBody` names a Rust type the caller never saw.
    match problem.find("expected struct ") {
        Some(at) => (field, format!("{}expected a JSON object", &problem[..at])),
        None => (field, problem),
    }
}

/// The answer for a body that is not JSON: a 400 when it was labelled JSON, else a 415 (it was meant to
/// be something else).
fn not_json(label: Label, error: &serde_json::Error) -> ApiError {
    match label {
        Label::Json => {
            ApiError::bad_request(format!("the body is not valid JSON: {}", without_position(error)))
        }
        _ => ApiError::unsupported_media_type(
            "the body is not JSON: send a JSON body, preferably with Content-Type: application/json",
        ),
    }
}

/// Reads `bytes` as a `T`, with the answer [`JsonBody`] documents for each way it can fail.
fn parse<T: DeserializeOwned>(bytes: &[u8], label: Label) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request("a JSON body is required"));
    }
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize::<_, T>(&mut reader).map_err(|error| {
        match error.inner().classify() {
            serde_json::error::Category::Data => {
                let (field, problem) = violation(&error);
                ApiError::invalid_field(field, problem)
            }
            _ => not_json(label, error.inner()),
        }
    })?;
    // Anything after the value (`{…}x`) makes the whole body something other than JSON.
    reader.end().map_err(|trailing| not_json(label, &trailing))?;
    Ok(value)
}

impl<T: DeserializeOwned> FromRequest<Upstream> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, up: &Upstream) -> Result<Self, ApiError> {
        let label = label(request.headers());
        if label == Label::Other {
            let declared = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
            return Err(ApiError::unsupported_media_type(format!(
                "content type {:?} is not accepted: send a JSON body with Content-Type: application/json",
                declared.unwrap_or("?")
            )));
        }
        // A form or text body is one a page on any site can make a browser send without asking
        // first (no CORS preflight); JSON labelled as JSON always asks, and CORS answers that.
        if label == Label::Lenient && !same_site(&request, &up.config.cors_origins) {
            return Err(ApiError::forbidden(
                "a cross-site page may not send a form or text body to kubegate: send application/json",
            ));
        }
        let bytes = Bytes::from_request(request, up)
            .await
            .map_err(|rejection| ApiError::rejected(rejection.status(), rejection.body_text()))?;
        parse(&bytes, label).map(JsonBody)
    }
}

/// A query number; absent is `None`, anything but an integer is a 400 naming the field.
pub fn number(field: &str, value: Option<&String>) -> Result<Option<i64>, ApiError> {
    value
        .map(|v| {
            v.parse::<i64>().map_err(|_| ApiError::bad_request(format!("{field}: {v:?} is not a number")))
        })
        .transpose()
}

/// A query flag: `true`/`1` or `false`/`0`; absent is `default`, anything else a 400 naming the field.
pub fn flag(field: &str, value: Option<&String>, default: bool) -> Result<bool, ApiError> {
    match value.map(String::as_str) {
        None => Ok(default),
        Some("true" | "1") => Ok(true),
        Some("false" | "0") => Ok(false),
        Some(other) => Err(ApiError::bad_request(format!("{field}: {other:?} is not true or false"))),
    }
}

/// `?namespace=&labelSelector=`: empty means the configured namespace and every object.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct NamespaceQuery {
    /// The namespace; default the configured one.
    #[serde(default)]
    pub namespace: String,
    /// A Kubernetes label selector.
    #[serde(default)]
    pub label_selector: String,
}
