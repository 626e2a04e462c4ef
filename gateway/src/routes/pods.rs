//! Pods: list, create, get, delete, and watch.

use std::collections::BTreeMap;

use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use futures::StreamExt as _;
use kubegate_proto::convert;
use kubegate_proto::v1 as pb;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use utoipa::ToSchema;

use crate::error::{ApiError, BodyErrors, CommonErrors, ErrorBody, NoSuchObject};
use crate::input::{JsonBody, NamespaceQuery, flag};
use crate::reply::{Reply, SUCCESS, Success, age_millis, raw_object};
use crate::routes::workflows::ClaimMountBody;
use crate::streams::{ErrorEvent, StreamEvent, respond};
use crate::upstream::{AsCaller, Upstream};

/// The pod routes.
pub fn routes() -> Router<Upstream> {
    Router::new()
        .route("/api/kubernetes/pods", get(list_pods).post(create_pod))
        .route("/api/kubernetes/pods/watch", get(watch_pods))
        .route("/api/kubernetes/pods/{name}", get(get_pod).delete(delete_pod))
}

/// A pod as the list shows it.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PodSummary {
    /// Milliseconds since the pod started.
    age: i64,
    /// The main container's exit code, once it ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    exit_code: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    name: String,
    namespace: String,
    node_name: String,
    /// Pending, Running, Succeeded, Failed or Unknown.
    phase: &'static str,
    #[serde(rename = "podIP")]
    pod_ip: String,
    ready: bool,
    restart_count: i32,
}

/// The original's PodSummary, plus kubegate's extra fields under new keys.
impl From<&pb::Pod> for PodSummary {
    fn from(p: &pb::Pod) -> Self {
        Self {
            age: age_millis(p.start_time.as_ref()),
            exit_code: p.exit_code,
            image: Some(p.image.clone()).filter(|i| !i.is_empty()),
            name: p.name.clone(),
            namespace: p.namespace.clone(),
            node_name: p.node_name.clone(),
            phase: convert::pod_phase_name(p.phase()),
            pod_ip: p.pod_ip.clone(),
            ready: p.ready,
            restart_count: p.restart_count,
        }
    }
}

/// `{pods: [...]}`.
#[derive(Serialize, ToSchema)]
pub struct PodList {
    pods: Vec<PodSummary>,
}

#[utoipa::path(get, path = "/api/kubernetes/pods", tag = "kubernetes", summary = "List pods",
    params(NamespaceQuery),
    responses((status = 200, description = "The pods: `{pods: [PodSummary]}`", body = PodList), CommonErrors))]
pub(crate) async fn list_pods(AsCaller(up): AsCaller, Query(q): Query<NamespaceQuery>) -> Reply<PodList> {
    let request = pb::ListPodsRequest {
        namespace: q.namespace,
        label_selector: q.label_selector,
        ..Default::default()
    };
    let listed = up.pods().list_pods(request).await?.into_inner();
    Ok(Json(PodList { pods: listed.pods.iter().map(PodSummary::from).collect() }))
}

/// A pod to create, as the original took it.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreatePodBody {
    name: String,
    #[serde(default)]
    namespace: String,
    image: String,
    #[serde(default)]
    command: Vec<String>,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    working_dir: String,
    #[serde(default)]
    env: BTreeMap<String, String>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    mount_path: Option<String>,
    host_path: Option<String>,
    /// PersistentVolumeClaims to mount (kubegate's addition; the original mounted a hostPath only).
    #[serde(default)]
    volume_claims: Vec<ClaimMountBody>,
}

/// `{success: true, podName}`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PodCreated {
    pod_name: String,
    success: bool,
}

#[utoipa::path(post, path = "/api/kubernetes/pods", tag = "kubernetes", summary = "Create a pod",
    request_body = CreatePodBody,
    responses((status = 200, description = "`{success: true, podName}`", body = PodCreated),
        (status = 409, description = "A pod of that name exists", body = ErrorBody),
        BodyErrors, CommonErrors))]
pub(crate) async fn create_pod(
    AsCaller(up): AsCaller,
    JsonBody(b): JsonBody<CreatePodBody>,
) -> Reply<PodCreated> {
    let host_paths = match (b.host_path, b.mount_path) {
        (Some(host_path), Some(mount_path)) => {
            vec![pb::HostPathMount { host_path, mount_path, read_only: false }]
        }
        (None, None) => vec![],
        // The original ignored one without the other; a caller should hear that nothing was mounted.
        _ => return Err(ApiError::bad_request("mountPath and hostPath must be given together")),
    };
    let spec = pb::PodSpec {
        name: b.name,
        namespace: b.namespace,
        image: b.image,
        command: b.command,
        args: b.args,
        working_dir: b.working_dir,
        env: b.env.into_iter().map(|(name, value)| pb::EnvVar { name, value }).collect(),
        labels: b.labels.into_iter().collect(),
        host_paths,
        volume_claims: b.volume_claims.into_iter().map(pb::VolumeClaimMount::from).collect(),
        ..Default::default()
    };
    let created =
        up.pods().create_pod(pb::CreatePodRequest { pod: Some(spec), validate_only: false }).await?;
    let pod_name = created.into_inner().pod.map(|p| p.name).unwrap_or_default();
    Ok(Json(PodCreated { pod_name, success: true }))
}

/// `{pod}`: the Kubernetes object as Kubernetes wrote it.
#[derive(Serialize, ToSchema)]
pub struct PodObject {
    #[schema(value_type = Object)]
    pod: Option<Box<RawValue>>,
}

#[utoipa::path(get, path = "/api/kubernetes/pods/{name}", tag = "kubernetes", summary = "Get a pod",
    params(("name" = String, Path, description = "The pod"), NamespaceQuery),
    responses((status = 200, description = "`{pod}`: the Kubernetes object as Kubernetes writes it", body = PodObject),
        NoSuchObject, CommonErrors))]
pub(crate) async fn get_pod(
    AsCaller(up): AsCaller,
    Path(name): Path<String>,
    Query(q): Query<NamespaceQuery>,
) -> Reply<PodObject> {
    let got = up.pods().get_pod(pb::GetPodRequest { namespace: q.namespace, name }).await?.into_inner();
    Ok(Json(PodObject { pod: raw_object(got.object_json) }))
}

#[utoipa::path(delete, path = "/api/kubernetes/pods/{name}", tag = "kubernetes", summary = "Delete a pod",
    params(("name" = String, Path, description = "The pod"), NamespaceQuery),
    responses((status = 200, description = "`{success: true}`", body = Success), NoSuchObject, CommonErrors))]
pub(crate) async fn delete_pod(
    AsCaller(up): AsCaller,
    Path(name): Path<String>,
    Query(q): Query<NamespaceQuery>,
) -> Reply<Success> {
    up.pods().delete_pod(pb::DeletePodRequest { namespace: q.namespace, name, ..Default::default() }).await?;
    Ok(Json(SUCCESS))
}

/// `?namespace=&labelSelector=&initial=`: the pods to watch.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub(crate) struct WatchQuery {
    /// The namespace; default the configured one.
    #[serde(default)]
    namespace: String,
    /// A Kubernetes label selector.
    #[serde(default)]
    label_selector: String,
    /// Start with the existing pods and a SYNCED event (default true).
    #[param(value_type = Option<bool>)]
    initial: Option<String>,
}

/// One line of a pod watch: `{pod, type}`, or `{code, error, type: "error"}`.
#[derive(Serialize)]
#[serde(untagged)]
enum WatchEvent {
    Change {
        #[serde(skip_serializing_if = "Option::is_none")]
        pod: Option<PodSummary>,
        #[serde(skip)]
        kind: &'static str,
    },
    Error(ErrorEvent),
}

impl StreamEvent for WatchEvent {
    fn kind(&self) -> &'static str {
        match self {
            WatchEvent::Change { kind, .. } => kind,
            WatchEvent::Error(_) => "error",
        }
    }
    fn keepalive() -> Self {
        WatchEvent::Change { pod: None, kind: "keepalive" }
    }
}

fn event_type(t: pb::WatchEventType) -> &'static str {
    match t {
        pb::WatchEventType::Added => "ADDED",
        pb::WatchEventType::Modified => "MODIFIED",
        pb::WatchEventType::Deleted => "DELETED",
        pb::WatchEventType::Synced => "SYNCED",
        pb::WatchEventType::Unspecified => "UNKNOWN",
    }
}

/// `GET /pods/watch`: `{"type":"ADDED"|"MODIFIED"|"DELETED","pod":{summary}}` per change, after the
/// existing pods (unless `initial=false`) and a `{"type":"SYNCED"}`.
#[utoipa::path(get, path = "/api/kubernetes/pods/watch", tag = "kubernetes", summary = "Watch pods",
    params(WatchQuery),
    responses((status = 200, description = "One JSON object per line (`application/x-ndjson`) or server-sent events",
        content((String = "application/x-ndjson"), (String = "text/event-stream"))), CommonErrors))]
pub(crate) async fn watch_pods(
    AsCaller(up): AsCaller,
    Query(q): Query<WatchQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let request = pb::WatchPodsRequest {
        namespace: q.namespace,
        label_selector: q.label_selector,
        send_initial_pods: flag("initial", q.initial.as_ref(), true)?,
    };
    let stream = up.pods().watch_pods(request).await?.into_inner();
    let events = stream.map(|message| match message {
        Ok(event) => WatchEvent::Change {
            pod: event.pod.as_ref().map(PodSummary::from),
            kind: event_type(event.r#type()),
        },
        Err(status) => WatchEvent::Error(ErrorEvent::from(&status)),
    });
    Ok(respond(&up, events, &headers))
}
