//! The OpenAPI 3 document of the gateway, generated from the route handlers and body types, served at
//! `/api/kubernetes/openapi.json` and committed as `gateway/openapi.json` (a test fails when they differ;
//! `KUBEGATE_UPDATE_OPENAPI=1 cargo test -p kubegate-gateway openapi` rewrites the file).

#![allow(dead_code)] // The response types exist to describe bodies in the document.

use std::collections::BTreeMap;

use axum::Json;
use axum::response::IntoResponse;
use serde_json::Value;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// Where the document is served.
pub const PATH: &str = "/api/kubernetes/openapi.json";

/// Every error: a message, the gRPC code name, and for invalid fields the field violations.
#[derive(ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    error: String,
    /// The gRPC code name, for example `NOT_FOUND`.
    code: String,
    /// For invalid input: `[{field, message}]`.
    details: Option<Vec<FieldViolation>>,
}

/// One invalid field.
#[derive(ToSchema)]
pub struct FieldViolation {
    field: String,
    message: String,
}

/// `{success: true, podName | serviceName | ingressName}`.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct Created {
    success: bool,
    pod_name: Option<String>,
    service_name: Option<String>,
    ingress_name: Option<String>,
}

/// `{success: true}`.
#[derive(ToSchema)]
pub struct Success {
    success: bool,
}

/// A Kubernetes object under its kind's key (`pod`, `service`, `ingress`).
#[derive(ToSchema)]
pub struct Object {
    pod: Option<BTreeMap<String, Value>>,
    service: Option<BTreeMap<String, Value>>,
    ingress: Option<BTreeMap<String, Value>>,
}

/// A pod as the list shows it.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct PodSummary {
    name: String,
    namespace: String,
    /// Pending, Running, Succeeded, Failed or Unknown.
    phase: String,
    ready: bool,
    /// Milliseconds since the pod started.
    age: i64,
    restart_count: i32,
    node_name: String,
    #[schema(rename = "podIP")]
    pod_ip: String,
    image: Option<String>,
    /// The main container's exit code, once it ended.
    exit_code: Option<i32>,
}

/// `{pods: [...]}`.
#[derive(ToSchema)]
pub struct PodList {
    pods: Vec<PodSummary>,
}

/// `{logs}`.
#[derive(ToSchema)]
pub struct Logs {
    logs: String,
}

/// The answer of a one-shot exec.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct ExecResult {
    /// True when the command ran to its end (whatever its exit code).
    success: bool,
    exit_code: i32,
    output: String,
    errors: String,
    timed_out: bool,
}

/// The answer of cleanup.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct Cleanup {
    success: bool,
    deleted: i32,
    deleted_names: Vec<String>,
}

/// The connection test.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct Connection {
    connected: bool,
    namespace: Option<String>,
    error: Option<String>,
    server_version: Option<String>,
    username: Option<String>,
    all_permissions_allowed: Option<bool>,
}

/// The cluster settings.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct Settings {
    enabled: bool,
    namespace: String,
    kubeconfig_path: Option<String>,
}

/// `{config, connection}` (GET) or `{success, config}` (PUT).
#[derive(ToSchema)]
pub struct Config {
    config: Settings,
    connection: Option<Connection>,
    success: Option<bool>,
}

/// A service port as the list shows it.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct ServicePortSummary {
    port: i32,
    /// A number or a port name.
    #[schema(value_type = Object)]
    target_port: Value,
    protocol: String,
}

/// A service as the list shows it.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct ServiceSummary {
    name: String,
    namespace: String,
    #[schema(rename = "type")]
    service_type: String,
    ports: Vec<ServicePortSummary>,
    selector: BTreeMap<String, String>,
    age: i64,
    #[schema(rename = "clusterIP")]
    cluster_ip: Option<String>,
}

/// `{services: [...]}`.
#[derive(ToSchema)]
pub struct ServiceList {
    services: Vec<ServiceSummary>,
}

/// An ingress as the list shows it.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct IngressSummary {
    name: String,
    namespace: String,
    hosts: Vec<String>,
    ingress_class_name: String,
    annotations: BTreeMap<String, String>,
    addresses: Vec<String>,
    age: i64,
}

/// `{ingresses: [...]}`.
#[derive(ToSchema)]
pub struct IngressList {
    ingresses: Vec<IngressSummary>,
}

/// `{wsUrl}`.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct WsUrl {
    ws_url: String,
}

/// The result of a test run.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct TestRunResult {
    /// PASSED, TESTS_FAILED, UNKNOWN_COMMIT, CHECKOUT_FAILED, IMAGE_UNAVAILABLE, NEVER_STARTED or TIMED_OUT.
    outcome: String,
    success: bool,
    pod_name: String,
    namespace: String,
    exit_code: Option<i32>,
    duration_ms: Option<i64>,
    log_tail: String,
    message: String,
    image: String,
    commit: String,
}

/// A preview as the routes show it.
#[derive(ToSchema)]
pub struct PreviewSummary {
    name: String,
    namespace: String,
    url: String,
    host: String,
    pod: Option<PodSummary>,
    service: Option<ServiceSummary>,
    ingress: Option<IngressSummary>,
}

/// `{success, preview}` or `{preview}`.
#[derive(ToSchema)]
pub struct PreviewResult {
    success: Option<bool>,
    preview: PreviewSummary,
}

/// `{previews: [...]}`.
#[derive(ToSchema)]
pub struct PreviewList {
    previews: Vec<PreviewSummary>,
}

/// A version found in a file.
#[derive(ToSchema)]
pub struct Finding {
    runtime: String,
    version: String,
    file: String,
    line: i32,
}

/// Files that disagree.
#[derive(ToSchema)]
pub struct Conflict {
    runtime: String,
    findings: Vec<Finding>,
}

/// A file that could not be parsed.
#[derive(ToSchema)]
pub struct Malformed {
    file: String,
    error: String,
}

/// The image proposed for a project.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct ImageMatch {
    image: String,
    runtime: String,
    major_only: bool,
    chosen: Option<Finding>,
    found: Vec<Finding>,
    conflicts: Vec<Conflict>,
    malformed: Vec<Malformed>,
    notes: Vec<String>,
}

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "kubegate REST gateway",
        description = "The REST routes of the OpenCode Manager Kubernetes integration, served by kubegate. \
            Every route is a gRPC call underneath. When kubegate has an API token, send \
            `Authorization: Bearer <token>`.",
        license(name = "Apache-2.0"),
    ),
    paths(
        crate::rest::get_config, crate::rest::put_config, crate::rest::test_connection,
        crate::rest::list_pods, crate::rest::create_pod, crate::rest::get_pod, crate::rest::delete_pod,
        crate::rest::pod_logs, crate::rest::exec, crate::rest::cleanup,
        crate::rest::list_services, crate::rest::create_service, crate::rest::get_service,
        crate::rest::delete_service, crate::rest::list_ingresses, crate::rest::create_ingress,
        crate::rest::get_ingress, crate::rest::delete_ingress, crate::rest::exec_ws_url,
        crate::streams::watch_pods,
        crate::workflows::run_tests, crate::workflows::create_preview, crate::workflows::list_previews,
        crate::workflows::get_preview, crate::workflows::delete_preview, crate::workflows::match_image,
    ),
    modifiers(&BearerToken),
    security(("bearer" = [])),
    tags((name = "kubernetes", description = "Pods, logs, exec, services, ingresses and settings"),
        (name = "workflows", description = "Test runs at a commit, previews, image matching")),
)]
struct Document;

/// The document as pretty JSON, as committed.
pub fn json() -> String {
    let mut text = Document::openapi().to_pretty_json().unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

/// `GET /api/kubernetes/openapi.json`.
pub async fn serve() -> impl IntoResponse {
    Json(Document::openapi())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_committed_openapi_document_matches_the_code() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.json");
        let generated = super::json();
        if std::env::var_os("KUBEGATE_UPDATE_OPENAPI").is_some() {
            std::fs::write(&path, &generated).expect("write openapi.json");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "gateway/openapi.json is stale: run KUBEGATE_UPDATE_OPENAPI=1 cargo test -p kubegate-gateway openapi"
        );
        let document: serde_json::Value = serde_json::from_str(&generated).expect("valid JSON");
        assert_eq!(document["openapi"].as_str().map(|v| v.starts_with("3.")), Some(true));
        assert_eq!(document["paths"].as_object().map(|p| p.len()), Some(17));
    }
}
