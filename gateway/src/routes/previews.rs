//! Previews: a pod with its Service and Ingress, created, listed, read and deleted together.

use std::collections::BTreeMap;

use axum::extract::{Path, Query};
use axum::routing::get;
use axum::{Json, Router};
use kubegate_proto::v1 as pb;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{BodyErrors, CommonErrors, ErrorBody};
use crate::input::JsonBody;
use crate::reply::{Reply, SUCCESS, Success};
use crate::routes::ingresses::IngressSummary;
use crate::routes::pods::PodSummary;
use crate::routes::services::ServiceSummary;
use crate::routes::workflows::{ClaimMountBody, ResourcesBody, env, resources};
use crate::upstream::{AsCaller, Upstream};

/// The preview routes.
pub fn routes() -> Router<Upstream> {
    Router::new()
        .route("/api/kubernetes/previews", get(list_previews).post(create_preview))
        .route("/api/kubernetes/previews/{name}", get(get_preview).delete(delete_preview))
}

/// A preview, as the REST route takes it.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct PreviewBody {
    #[serde(default)]
    namespace: String,
    /// A DNS label; the pod, Service and Ingress are named after it.
    name: String,
    image: String,
    #[serde(default)]
    command: Vec<String>,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    /// The port the app listens on.
    port: i32,
    /// Default: the configured pattern, `preview-{name}.{domain}`.
    #[serde(default)]
    host: String,
    #[serde(default)]
    path: String,
    /// Add the original's WebSocket proxy annotations.
    #[serde(default)]
    websocket: bool,
    #[serde(default)]
    ingress_class_name: String,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    working_dir: String,
    #[serde(default)]
    tls_secret_name: String,
    resources: Option<ResourcesBody>,
    #[serde(default)]
    volume_claims: Vec<ClaimMountBody>,
}

/// A preview as the routes show it.
#[derive(Serialize, ToSchema)]
pub struct PreviewSummary {
    host: String,
    ingress: Option<IngressSummary>,
    name: String,
    namespace: String,
    pod: Option<PodSummary>,
    service: Option<ServiceSummary>,
    url: String,
}

impl From<&pb::Preview> for PreviewSummary {
    fn from(p: &pb::Preview) -> Self {
        Self {
            host: p.host.clone(),
            ingress: p.ingress.as_ref().map(IngressSummary::from),
            name: p.name.clone(),
            namespace: p.namespace.clone(),
            pod: p.pod.as_ref().map(PodSummary::from),
            service: p.service.as_ref().map(ServiceSummary::from),
            url: p.url.clone(),
        }
    }
}

/// `{success: true, preview}`.
#[derive(Serialize, ToSchema)]
pub struct PreviewCreated {
    preview: Option<PreviewSummary>,
    success: bool,
}

/// `{preview}`.
#[derive(Serialize, ToSchema)]
pub struct PreviewResult {
    preview: Option<PreviewSummary>,
}

/// `{previews: [...]}`.
#[derive(Serialize, ToSchema)]
pub struct PreviewList {
    previews: Vec<PreviewSummary>,
}

#[utoipa::path(post, path = "/api/kubernetes/previews", tag = "workflows", summary = "Create a preview (pod + Service + Ingress)",
    request_body = PreviewBody,
    responses((status = 200, description = "`{success: true, preview: {name, url, host, pod, service, ingress}}`", body = PreviewCreated),
        (status = 409, description = "A preview or one of its parts exists", body = ErrorBody), BodyErrors, CommonErrors))]
pub(crate) async fn create_preview(
    AsCaller(up): AsCaller,
    JsonBody(b): JsonBody<PreviewBody>,
) -> Reply<PreviewCreated> {
    let request = pb::CreatePreviewRequest {
        namespace: b.namespace,
        name: b.name,
        image: b.image,
        command: b.command,
        args: b.args,
        env: env(b.env),
        port: b.port,
        host: b.host,
        path: b.path,
        websocket: b.websocket,
        ingress_class_name: b.ingress_class_name,
        volume_claims: b.volume_claims.into_iter().map(pb::VolumeClaimMount::from).collect(),
        labels: b.labels.into_iter().collect(),
        resources: resources(b.resources),
        working_dir: b.working_dir,
        tls_secret_name: b.tls_secret_name,
    };
    let created = up.workflows().create_preview(request).await?.into_inner();
    Ok(Json(PreviewCreated { preview: created.preview.as_ref().map(PreviewSummary::from), success: true }))
}

/// `?namespace=`: where the previews are.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PreviewQuery {
    /// The namespace; default the configured one.
    #[serde(default)]
    namespace: String,
}

#[utoipa::path(get, path = "/api/kubernetes/previews", tag = "workflows", summary = "List previews", params(PreviewQuery),
    responses((status = 200, description = "`{previews: [...]}`", body = PreviewList), CommonErrors))]
pub(crate) async fn list_previews(
    AsCaller(up): AsCaller,
    Query(q): Query<PreviewQuery>,
) -> Reply<PreviewList> {
    let listed =
        up.workflows().list_previews(pb::ListPreviewsRequest { namespace: q.namespace }).await?.into_inner();
    Ok(Json(PreviewList { previews: listed.previews.iter().map(PreviewSummary::from).collect() }))
}

#[utoipa::path(get, path = "/api/kubernetes/previews/{name}", tag = "workflows", summary = "Get a preview",
    params(("name" = String, Path, description = "The preview"), PreviewQuery),
    responses((status = 200, description = "`{preview}`", body = PreviewResult),
        (status = 404, description = "No such preview", body = ErrorBody), CommonErrors))]
pub(crate) async fn get_preview(
    AsCaller(up): AsCaller,
    Path(name): Path<String>,
    Query(q): Query<PreviewQuery>,
) -> Reply<PreviewResult> {
    let got = up
        .workflows()
        .get_preview(pb::GetPreviewRequest { namespace: q.namespace, name })
        .await?
        .into_inner();
    Ok(Json(PreviewResult { preview: got.preview.as_ref().map(PreviewSummary::from) }))
}

#[utoipa::path(delete, path = "/api/kubernetes/previews/{name}", tag = "workflows", summary = "Delete a preview with its Service and Ingress",
    params(("name" = String, Path, description = "The preview"), PreviewQuery),
    responses((status = 200, description = "`{success: true}`", body = Success),
        (status = 404, description = "No such preview", body = ErrorBody), CommonErrors))]
pub(crate) async fn delete_preview(
    AsCaller(up): AsCaller,
    Path(name): Path<String>,
    Query(q): Query<PreviewQuery>,
) -> Reply<Success> {
    up.workflows().delete_preview(pb::DeletePreviewRequest { namespace: q.namespace, name }).await?;
    Ok(Json(SUCCESS))
}
