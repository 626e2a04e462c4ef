//! The workflows: a test run at a commit (waited for, or streamed with `?stream=true`) and image
//! matching, each one gRPC call; and the request pieces the previews share with them.

use std::collections::BTreeMap;

use axum::extract::Query;
use axum::http::HeaderMap;
use axum::response::{IntoResponse as _, Response};
use axum::routing::post;
use axum::{Json, Router};
use futures::StreamExt as _;
use kubegate_proto::convert;
use kubegate_proto::v1 as pb;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, BodyErrors, CommonErrors, ErrorBody};
use crate::input::{JsonBody, flag};
use crate::reply::Reply;
use crate::streams::{ErrorEvent, StreamEvent, first, respond};
use crate::upstream::{AsCaller, Upstream};

/// The test-run and image-matching routes.
pub fn routes() -> Router<Upstream> {
    Router::new()
        .route("/api/kubernetes/test-runs", post(run_tests))
        .route("/api/kubernetes/match-image", post(match_image))
}

/// A positive number of seconds (at most 10^9) as a protobuf duration; else a 400 naming the field.
fn seconds(field: &str, value: Option<f64>) -> Result<Option<prost_types::Duration>, ApiError> {
    value
        .map(|s| {
            Some(s).filter(|s| *s > 0.0 && *s <= 1e9).and_then(convert::duration_from_secs_f64).ok_or_else(
                || ApiError::bad_request(format!("{field}: must be a positive number of seconds")),
            )
        })
        .transpose()
}

/// CPU, memory and ephemeral storage as Kubernetes quantities ("500m", "1Gi").
#[derive(Deserialize, ToSchema, Default)]
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
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResourcesBody {
    requests: Option<QuantitiesBody>,
    limits: Option<QuantitiesBody>,
}

/// The resource requirements of the API from their REST form.
pub(crate) fn resources(body: Option<ResourcesBody>) -> Option<pb::ResourceRequirements> {
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

/// The environment of the API from its REST form, a map of names to values.
pub(crate) fn env(map: BTreeMap<String, String>) -> Vec<pb::EnvVar> {
    map.into_iter().map(|(name, value)| pb::EnvVar { name, value }).collect()
}

/// A shared volume to mount.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ClaimMountBody {
    claim_name: String,
    mount_path: String,
    #[serde(default)]
    sub_path: String,
    #[serde(default)]
    read_only: bool,
}

impl From<ClaimMountBody> for pb::VolumeClaimMount {
    fn from(c: ClaimMountBody) -> Self {
        Self {
            claim_name: c.claim_name,
            mount_path: c.mount_path,
            sub_path: c.sub_path,
            read_only: c.read_only,
        }
    }
}

/// A test run, as the REST route takes it.
#[derive(Deserialize, ToSchema)]
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

/// The result of a test run.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TestRunResult {
    commit: String,
    duration_ms: Option<i64>,
    exit_code: Option<i32>,
    image: String,
    log_tail: String,
    message: String,
    namespace: String,
    /// PASSED, TESTS_FAILED, UNKNOWN_COMMIT, CHECKOUT_FAILED, IMAGE_UNAVAILABLE, NEVER_STARTED or TIMED_OUT.
    outcome: &'static str,
    pod_name: String,
    success: bool,
}

impl From<pb::RunTestsResponse> for TestRunResult {
    fn from(r: pb::RunTestsResponse) -> Self {
        let outcome = r.outcome();
        let name = outcome.as_str_name();
        Self {
            commit: r.commit,
            duration_ms: r.duration.as_ref().map(convert::duration_to_millis),
            exit_code: r.exit_code,
            image: r.image,
            log_tail: r.log_tail,
            message: r.message,
            namespace: r.namespace,
            outcome: name.strip_prefix("TEST_RUN_OUTCOME_").unwrap_or(name),
            pod_name: r.pod_name,
            success: outcome == pb::TestRunOutcome::Passed,
        }
    }
}

/// One event of a streamed test run.
#[derive(Serialize)]
#[serde(untagged)]
enum TestRunEvent {
    #[serde(rename_all = "camelCase")]
    Scheduled {
        image: String,
        node_name: String,
        pod_name: String,
    },
    Running {},
    Output {
        data: String,
    },
    Finished(TestRunResult),
    Error(ErrorEvent),
    Keepalive {},
}

impl StreamEvent for TestRunEvent {
    fn kind(&self) -> &'static str {
        match self {
            TestRunEvent::Scheduled { .. } => "scheduled",
            TestRunEvent::Running {} => "running",
            TestRunEvent::Output { .. } => "output",
            TestRunEvent::Finished(_) => "finished",
            TestRunEvent::Error(_) => "error",
            TestRunEvent::Keepalive {} => "keepalive",
        }
    }
    fn keepalive() -> Self {
        TestRunEvent::Keepalive {}
    }
}

impl From<Result<pb::StreamTestRunResponse, tonic::Status>> for TestRunEvent {
    fn from(message: Result<pb::StreamTestRunResponse, tonic::Status>) -> Self {
        use pb::stream_test_run_response::Event;
        match message.map(|m| m.event) {
            Ok(Some(Event::Scheduled(s))) => {
                TestRunEvent::Scheduled { image: s.image, node_name: s.node_name, pod_name: s.pod_name }
            }
            Ok(Some(Event::Running(_))) => TestRunEvent::Running {},
            Ok(Some(Event::Output(data))) => {
                TestRunEvent::Output { data: String::from_utf8_lossy(&data).into_owned() }
            }
            Ok(Some(Event::Finished(result))) => TestRunEvent::Finished(TestRunResult::from(result)),
            Ok(None) => TestRunEvent::Keepalive {},
            Err(status) => TestRunEvent::Error(ErrorEvent::from(&status)),
        }
    }
}

/// `?stream=`: whether to stream the run's progress.
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
        body = TestRunResult), BodyErrors, CommonErrors))]
pub(crate) async fn run_tests(
    AsCaller(up): AsCaller,
    Query(q): Query<StreamQuery>,
    headers: HeaderMap,
    JsonBody(b): JsonBody<TestRunBody>,
) -> Result<Response, ApiError> {
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
        return Ok(Json(TestRunResult::from(result)).into_response());
    }
    let stream = first(
        up.workflows().stream_test_run(pb::StreamTestRunRequest { run: Some(request) }).await?.into_inner(),
    )
    .await?;
    Ok(respond(&up, stream.map(TestRunEvent::from), &headers))
}

/// Where the project is.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct MatchImageBody {
    claim_name: String,
    #[serde(default)]
    path: String,
    /// Read the files at this commit; default the files as they are.
    #[serde(default)]
    commit: String,
}

/// A version found in a file.
#[derive(Serialize, ToSchema)]
pub struct Finding {
    file: String,
    line: i32,
    runtime: String,
    version: String,
}

impl From<pb::RuntimeVersion> for Finding {
    fn from(f: pb::RuntimeVersion) -> Self {
        Self { file: f.file, line: f.line, runtime: f.runtime, version: f.version }
    }
}

/// Files that disagree.
#[derive(Serialize, ToSchema)]
pub struct Conflict {
    findings: Vec<Finding>,
    runtime: String,
}

/// A file that could not be parsed.
#[derive(Serialize, ToSchema)]
pub struct Malformed {
    error: String,
    file: String,
}

/// The image proposed for a project.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImageMatch {
    chosen: Option<Finding>,
    conflicts: Vec<Conflict>,
    found: Vec<Finding>,
    image: String,
    major_only: bool,
    malformed: Vec<Malformed>,
    notes: Vec<String>,
    runtime: String,
}

impl From<pb::MatchImageResponse> for ImageMatch {
    fn from(m: pb::MatchImageResponse) -> Self {
        let findings = |found: Vec<pb::RuntimeVersion>| found.into_iter().map(Finding::from).collect();
        Self {
            chosen: m.chosen.map(Finding::from),
            conflicts: m
                .conflicts
                .into_iter()
                .map(|c| Conflict { findings: findings(c.findings), runtime: c.runtime })
                .collect(),
            found: findings(m.found),
            image: m.image,
            major_only: m.major_only,
            malformed: m.malformed.into_iter().map(|f| Malformed { error: f.error, file: f.file }).collect(),
            notes: m.notes,
            runtime: m.runtime,
        }
    }
}

#[utoipa::path(post, path = "/api/kubernetes/match-image", tag = "workflows", summary = "Propose an image from a project's version files",
    request_body = MatchImageBody,
    responses((status = 200, description = "`{image, runtime, majorOnly, chosen, found, conflicts, malformed, notes}`", body = ImageMatch),
        (status = 404, description = "No such project directory", body = ErrorBody), BodyErrors, CommonErrors))]
pub(crate) async fn match_image(
    AsCaller(up): AsCaller,
    JsonBody(b): JsonBody<MatchImageBody>,
) -> Reply<ImageMatch> {
    let request = pb::MatchImageRequest {
        project: Some(pb::ProjectLocation { claim_name: b.claim_name, path: b.path }),
        commit: b.commit,
    };
    let matched = up.workflows().match_image(request).await?.into_inner();
    Ok(Json(ImageMatch::from(matched)))
}
