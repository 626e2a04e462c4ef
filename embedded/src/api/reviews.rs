//! SelfSubjectAccessReview and SelfSubjectReview: created, never stored, answered for the caller.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::response::json_response;
use crate::auth::{Attributes, User};
use crate::kinds::{self, Kind};
use crate::status::{ApiError, ApiResult, Cause};

/// Answers a SelfSubjectAccessReview or SelfSubjectReview for the caller.
pub fn review(kind: &Kind, mut body: Value, user: &User) -> ApiResult<Response> {
    if *kind == kinds::SSR {
        let answer = json!({
            "kind": "SelfSubjectReview",
            "apiVersion": "authentication.k8s.io/v1",
            "metadata": {"creationTimestamp": null},
            "status": {"userInfo": user.user_info()},
        });
        return Ok(json_response(StatusCode::CREATED, &answer));
    }
    let attrs = &body["spec"]["resourceAttributes"];
    if !attrs.is_object() {
        return Err(ApiError::invalid(
            kind.kind,
            kind.group,
            "",
            &[Cause::required("spec.resourceAttributes")],
        ));
    }
    let field = |k: &str| attrs[k].as_str().unwrap_or_default().to_string();
    let attributes = Attributes {
        verb: field("verb"),
        group: field("group"),
        resource: field("resource"),
        subresource: field("subresource"),
        namespace: field("namespace"),
        name: field("name"),
    };
    let allowed = user.allows(&attributes);
    let reason = if allowed { "allowed by the embedded cluster's RBAC rules" } else { "" };
    body["status"] = json!({"allowed": allowed, "denied": false, "reason": reason});
    body["kind"] = json!(kind.kind);
    body["apiVersion"] = json!(kind.api_version());
    if !body["metadata"].is_object() {
        body["metadata"] = json!({"creationTimestamp": null});
    }
    Ok(json_response(StatusCode::CREATED, &body))
}
