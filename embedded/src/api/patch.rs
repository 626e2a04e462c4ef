//! PATCH of an object or its status: JSON merge patch (strategic merge is served as one) and JSON
//! patch, with server-owned fields kept and resourceVersion preconditions honoured.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;

use super::crud::keep_server_fields;
use super::request::Target;
use super::response::json_response;
use crate::cluster::Cluster;
use crate::status::{ApiError, ApiResult};

/// Patches an object, or only its status on the status subresource.
pub fn patch(cluster: &Cluster, target: &Target, content_type: &str, body: &[u8]) -> ApiResult<Response> {
    let kind = target.kind;
    let status_only = target.subresource == "status";
    let patch: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("the patch is not valid JSON: {e}")))?;
    let media = content_type.split(';').next().unwrap_or("").trim().to_string();
    let expected = patch["metadata"]["resourceVersion"].as_str().map(str::to_string);
    let updated =
        cluster.store.update(&kind, &target.namespace, &target.name, expected.as_deref(), |stored| {
            let mut new = stored.clone();
            match media.as_str() {
                // Strategic merge is served as a JSON merge patch: they agree except on keyed lists.
                "application/merge-patch+json" | "application/strategic-merge-patch+json" => {
                    json_patch::merge(&mut new, &patch);
                }
                "application/json-patch+json" => {
                    let ops: json_patch::Patch = serde_json::from_value(patch.clone())
                        .map_err(|e| ApiError::bad_request(format!("invalid JSON patch: {e}")))?;
                    json_patch::patch(&mut new, &ops).map_err(|e| {
                        ApiError::with_code(422, format!("the JSON patch could not be applied: {e}"))
                    })?;
                }
                other => return Err(ApiError::unsupported_media_type(other)),
            }
            keep_server_fields(stored, &mut new, &kind, status_only);
            new["metadata"]["resourceVersion"] = stored["metadata"]["resourceVersion"].clone();
            *stored = new;
            Ok(())
        })?;
    Ok(json_response(StatusCode::OK, &updated))
}
