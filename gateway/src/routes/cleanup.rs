//! Cleanup: deleting the managed pods that finished long enough ago.

use axum::routing::post;
use axum::{Json, Router};
use kubegate_proto::convert;
use kubegate_proto::v1 as pb;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{BodyErrors, CommonErrors};
use crate::input::JsonBody;
use crate::reply::Reply;
use crate::upstream::{AsCaller, Upstream};

/// The cleanup route.
pub fn routes() -> Router<Upstream> {
    Router::new().route("/api/kubernetes/cleanup", post(cleanup))
}

/// What to clean up, as the original took it.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CleanupBody {
    #[serde(default)]
    namespace: String,
    max_age_ms: Option<u64>,
    #[serde(default)]
    dry_run: bool,
}

/// The answer of cleanup.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Cleanup {
    deleted: i32,
    deleted_names: Vec<String>,
    success: bool,
}

#[utoipa::path(post, path = "/api/kubernetes/cleanup", tag = "kubernetes", summary = "Delete finished managed pods",
    request_body = CleanupBody,
    responses((status = 200, description = "`{success, deleted, deletedNames}`", body = Cleanup), BodyErrors, CommonErrors))]
pub(crate) async fn cleanup(AsCaller(up): AsCaller, JsonBody(b): JsonBody<CleanupBody>) -> Reply<Cleanup> {
    let request = pb::CleanupPodsRequest {
        namespace: b.namespace,
        max_age: b.max_age_ms.map(convert::duration_from_millis),
        dry_run: b.dry_run,
        ..Default::default()
    };
    let done = up.pods().cleanup_pods(request).await?.into_inner();
    Ok(Json(Cleanup { deleted: done.deleted_count, deleted_names: done.deleted_names, success: true }))
}
