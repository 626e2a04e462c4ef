//! REST routes of the workflows: a test run at a commit (waited for, or streamed with `?stream=true`),
//! previews, and image matching. Each is one gRPC call.

use std::collections::BTreeMap;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse as _, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures::StreamExt as _;
use kubegate_proto::v1 as pb;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::rest::{Reply, body, flag, ingress_summary, pod_summary, service_summary};
use crate::streams::{error_event, first, respond};
use crate::upstream::Upstream;

/// The workflow routes.
pub fn routes() -> Router<Upstream> {
    Router::new()
        .route("/api/kubernetes/test-runs", post(run_tests))
        .route("/api/kubernetes/previews", get(list_previews).post(create_preview))
        .route("/api/kubernetes/previews/{name}", get(get_preview).delete(delete_preview))
        .route("/api/kubernetes/match-image", post(match_image))
}

fn seconds(field: &str, value: Option<f64>) -> Result<Option<prost_types::Duration>, ApiError> {
    value
        .map(|s| {
            if s.is_finite() && s > 0.0 && s <= 1e9 {
                Ok(prost_types::Duration { seconds: s.trunc() as i64, nanos: (s.fract() * 1e9) as i32 })
            } else {
                Err(ApiError::bad_request(format!("{field}: must be a positive number of seconds")))
            }
        })
        .transpose()
}

/// CPU, memory and ephemeral storage as Kubernetes quantities ("500m", "1Gi").
#[derive(Deserialize, utoipa::ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct QuantitiesBody {
    #[serde(default)]
    cpu: String,
    #[serde(default)]
    memory: String,
    #[serde(default)]
    ephemeral_storage: String,
}

/// Requests and limits of the container.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResourcesBody {
    requests: Option<QuantitiesBody>,
    limits: Option<QuantitiesBody>,
}

fn resources(body: Option<ResourcesBody>) -> Option<pb::ResourceRequirements> {
    let quantities = |q: QuantitiesBody| pb::ResourceQuantities {
        cpu: q.cpu,
        memory: q.memory,
        ephemeral_storage: q.ephemeral_storage,
    };
    body.map(|b| pb::ResourceRequirements {
        requests: b.requests.map(quantities),
        limits: b.limits.map(quantities),
    })
}

fn env(map: BTreeMap<String, String>) -> Vec<pb::EnvVar> {
    map.into_iter().map(|(name, value)| pb::EnvVar { name, value }).collect()
}

/// A test run, as the REST route takes it.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct TestRunBody {
    #[serde(default)]
    namespace: String,
    /// The pod's name; default `test-<commit>-<random>`.
    #[serde(default)]
    name: String,
    /// The PersistentVolumeClaim holding the repository.
    claim_name: String,
    /// The repository's directory inside the claim.
    #[serde(default)]
    path: String,
    /// The commit: 7 to 40 hexadecimal characters.
    commit: String,
    /// Run by /bin/sh -c in the checked-out tree.
    command: String,
    /// Empty: matched from the project's version files at the commit.
    #[serde(default)]
    image: String,
    #[serde(default)]
    env: BTreeMap<String, String>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    /// Default: the configured default resources.
    resources: Option<ResourcesBody>,
    /// Default 1800.
    timeout_seconds: Option<f64>,
    ttl_seconds: Option<f64>,
    /// Default 50.
    #[serde(default)]
    log_tail_lines: i32,
}

fn outcome_name(outcome: i32) -> &'static str {
    let name = pb::TestRunOutcome::try_from(outcome).map(|o| o.as_str_name()).unwrap_or("UNSPECIFIED");
    name.strip_prefix("TEST_RUN_OUTCOME_").unwrap_or(name)
}

fn run_result(r: &pb::RunTestsResponse) -> Value {
    let duration = r.duration.map(|d| d.seconds * 1000 + i64::from(d.nanos) / 1_000_000);
    json!({
        "outcome": outcome_name(r.outcome), "success": r.outcome == pb::TestRunOutcome::Passed as i32,
        "podName": r.pod_name, "namespace": r.namespace, "exitCode": r.exit_code, "durationMs": duration,
        "logTail": r.log_tail, "message": r.message, "image": r.image, "commit": r.commit,
    })
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct StreamQuery {
    /// Stream progress (JSON lines, or SSE with `Accept: text/event-stream`) instead of waiting.
    #[param(value_type = Option<bool>)]
    stream: Option<String>,
}

#[utoipa::path(post, path = "/api/kubernetes/test-runs", tag = "workflows", summary = "Run tests at a commit",
    params(StreamQuery), request_body = TestRunBody,
    responses((status = 200, description = "`{outcome, success, podName, exitCode, durationMs, logTail, message, image, commit}`; with stream=true, events `scheduled`, `running`, `output`, `finished`",
        body = crate::openapi::TestRunResult),
        (status = 400, description = "Invalid input", body = crate::openapi::ErrorBody),
        (status = 401, description = "Missing or wrong API token", body = crate::openapi::ErrorBody)))]
pub(crate) async fn run_tests(
    State(up): State<Upstream>,
    Query(q): Query<StreamQuery>,
    headers: HeaderMap,
    parsed: Result<Json<TestRunBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let b = body(parsed)?;
    let request = pb::RunTestsRequest {
        namespace: b.namespace,
        name: b.name,
        repository: Some(pb::ProjectLocation { claim_name: b.claim_name, path: b.path }),
        commit: b.commit,
        command: b.command,
        image: b.image,
        env: env(b.env),
        resources: resources(b.resources),
        timeout: seconds("timeoutSeconds", b.timeout_seconds)?,
        ttl_after_finished: seconds("ttlSeconds", b.ttl_seconds)?,
        log_tail_lines: b.log_tail_lines,
        labels: b.labels.into_iter().collect(),
    };
    if !flag("stream", q.stream.as_ref(), false)? {
        let result = up.workflows().run_tests(request).await?.into_inner();
        return Ok(Json(run_result(&result)).into_response());
    }
    let stream = first(
        up.workflows().stream_test_run(pb::StreamTestRunRequest { run: Some(request) }).await?.into_inner(),
    )
    .await?;
    let events = stream.map(|message| match message.map(|m| m.event) {
        Ok(Some(pb::stream_test_run_response::Event::Scheduled(s))) => {
            json!({"type": "scheduled", "podName": s.pod_name, "nodeName": s.node_name, "image": s.image})
        }
        Ok(Some(pb::stream_test_run_response::Event::Running(_))) => json!({"type": "running"}),
        Ok(Some(pb::stream_test_run_response::Event::Output(data))) => {
            json!({"type": "output", "data": String::from_utf8_lossy(&data)})
        }
        Ok(Some(pb::stream_test_run_response::Event::Finished(result))) => {
            let mut value = run_result(&result);
            value["type"] = json!("finished");
            value
        }
        Ok(None) => json!({"type": "keepalive"}),
        Err(status) => error_event(&status),
    });
    Ok(respond(&up, Box::pin(events), &headers))
}

/// A shared volume to mount.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ClaimMountBody {
    claim_name: String,
    mount_path: String,
    #[serde(default)]
    sub_path: String,
    #[serde(default)]
    read_only: bool,
}

/// A preview, as the REST route takes it.
#[derive(Deserialize, utoipa::ToSchema)]
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
    /// Add the seed's WebSocket proxy annotations.
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

fn preview_json(p: &pb::Preview) -> Value {
    json!({
        "name": p.name, "namespace": p.namespace, "url": p.url, "host": p.host,
        "pod": p.pod.as_ref().map(pod_summary),
        "service": p.service.as_ref().map(service_summary),
        "ingress": p.ingress.as_ref().map(ingress_summary),
    })
}

#[utoipa::path(post, path = "/api/kubernetes/previews", tag = "workflows", summary = "Create a preview (pod + Service + Ingress)",
    request_body = PreviewBody,
    responses((status = 200, description = "`{success: true, preview: {name, url, host, pod, service, ingress}}`", body = crate::openapi::PreviewResult),
        (status = 400, description = "Invalid input", body = crate::openapi::ErrorBody),
        (status = 409, description = "A preview or one of its parts exists", body = crate::openapi::ErrorBody)))]
pub(crate) async fn create_preview(
    State(up): State<Upstream>,
    parsed: Result<Json<PreviewBody>, JsonRejection>,
) -> Reply {
    let b = body(parsed)?;
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
        volume_claims: b
            .volume_claims
            .into_iter()
            .map(|c| pb::VolumeClaimMount {
                claim_name: c.claim_name,
                mount_path: c.mount_path,
                sub_path: c.sub_path,
                read_only: c.read_only,
            })
            .collect(),
        labels: b.labels.into_iter().collect(),
        resources: resources(b.resources),
        working_dir: b.working_dir,
        tls_secret_name: b.tls_secret_name,
    };
    let created = up.workflows().create_preview(request).await?.into_inner();
    Ok(Json(json!({"success": true, "preview": created.preview.as_ref().map(preview_json)})))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PreviewQuery {
    /// The namespace; default the configured one.
    #[serde(default)]
    namespace: String,
}

#[utoipa::path(get, path = "/api/kubernetes/previews", tag = "workflows", summary = "List previews", params(PreviewQuery),
    responses((status = 200, description = "`{previews: [...]}`", body = crate::openapi::PreviewList)))]
pub(crate) async fn list_previews(State(up): State<Upstream>, Query(q): Query<PreviewQuery>) -> Reply {
    let listed =
        up.workflows().list_previews(pb::ListPreviewsRequest { namespace: q.namespace }).await?.into_inner();
    Ok(Json(json!({"previews": listed.previews.iter().map(preview_json).collect::<Vec<_>>()})))
}

#[utoipa::path(get, path = "/api/kubernetes/previews/{name}", tag = "workflows", summary = "Get a preview",
    params(("name" = String, Path, description = "The preview"), PreviewQuery),
    responses((status = 200, description = "`{preview}`", body = crate::openapi::PreviewResult),
        (status = 404, description = "No such preview", body = crate::openapi::ErrorBody)))]
pub(crate) async fn get_preview(
    State(up): State<Upstream>,
    Path(name): Path<String>,
    Query(q): Query<PreviewQuery>,
) -> Reply {
    let got = up
        .workflows()
        .get_preview(pb::GetPreviewRequest { namespace: q.namespace, name })
        .await?
        .into_inner();
    Ok(Json(json!({"preview": got.preview.as_ref().map(preview_json)})))
}

#[utoipa::path(delete, path = "/api/kubernetes/previews/{name}", tag = "workflows", summary = "Delete a preview with its Service and Ingress",
    params(("name" = String, Path, description = "The preview"), PreviewQuery),
    responses((status = 200, description = "`{success: true}`", body = crate::openapi::Success),
        (status = 404, description = "No such preview", body = crate::openapi::ErrorBody)))]
pub(crate) async fn delete_preview(
    State(up): State<Upstream>,
    Path(name): Path<String>,
    Query(q): Query<PreviewQuery>,
) -> Reply {
    up.workflows().delete_preview(pb::DeletePreviewRequest { namespace: q.namespace, name }).await?;
    Ok(Json(json!({"success": true})))
}

/// Where the project is.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct MatchImageBody {
    claim_name: String,
    #[serde(default)]
    path: String,
    /// Read the files at this commit; default the files as they are.
    #[serde(default)]
    commit: String,
}

fn finding(f: &pb::RuntimeVersion) -> Value {
    json!({"runtime": f.runtime, "version": f.version, "file": f.file, "line": f.line})
}

#[utoipa::path(post, path = "/api/kubernetes/match-image", tag = "workflows", summary = "Propose an image from a project's version files",
    request_body = MatchImageBody,
    responses((status = 200, description = "`{image, runtime, majorOnly, chosen, found, conflicts, malformed, notes}`", body = crate::openapi::ImageMatch),
        (status = 404, description = "No such project directory", body = crate::openapi::ErrorBody)))]
pub(crate) async fn match_image(
    State(up): State<Upstream>,
    parsed: Result<Json<MatchImageBody>, JsonRejection>,
) -> Reply {
    let b = body(parsed)?;
    let request = pb::MatchImageRequest {
        project: Some(pb::ProjectLocation { claim_name: b.claim_name, path: b.path }),
        commit: b.commit,
    };
    let m = up.workflows().match_image(request).await?.into_inner();
    Ok(Json(json!({
        "image": m.image, "runtime": m.runtime, "majorOnly": m.major_only,
        "chosen": m.chosen.as_ref().map(finding),
        "found": m.found.iter().map(finding).collect::<Vec<_>>(),
        "conflicts": m.conflicts.iter().map(|c| json!({"runtime": c.runtime,
            "findings": c.findings.iter().map(finding).collect::<Vec<_>>()})).collect::<Vec<_>>(),
        "malformed": m.malformed.iter().map(|f| json!({"file": f.file, "error": f.error})).collect::<Vec<_>>(),
        "notes": m.notes,
    })))
}
