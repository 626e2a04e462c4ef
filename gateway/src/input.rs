//! What the routes read from a request besides their own bodies: JSON bodies turned into 400s that say
//! what is wrong, query flags and numbers, and the namespace/label-selector query most routes take.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use serde::Deserialize;

use crate::error::ApiError;

/// Parses a JSON body, turning every malformed body into a 400 that says what is wrong.
pub fn body<T>(parsed: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    parsed.map(|Json(v)| v).map_err(|rejection| ApiError::rejected(rejection.status(), rejection.body_text()))
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
