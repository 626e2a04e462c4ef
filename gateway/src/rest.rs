//! The `/api/kubernetes` routes of the original OpenCode Manager integration, each translated onto one
//! or two gRPC calls. Success bodies keep the original's shapes; errors carry a status that means what
//! happened (404, 409, 403, 400, 503) instead of the original's blanket 500.

use std::collections::BTreeMap;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use kubegate_proto::v1 as pb;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::upstream::Upstream;

pub(crate) type Reply = Result<Json<Value>, ApiError>;

/// The REST routes.
pub fn routes() -> Router<Upstream> {
    Router::new()
        .route("/api/kubernetes/config", get(get_config).put(put_config))
        .route("/api/kubernetes/test-connection", post(test_connection))
        .route("/api/kubernetes/pods", get(list_pods).post(create_pod))
        .route("/api/kubernetes/pods/{name}", get(get_pod).delete(delete_pod))
        .route("/api/kubernetes/pods/{name}/logs", get(pod_logs))
        .route("/api/kubernetes/pods/{name}/exec", post(exec))
        .route("/api/kubernetes/cleanup", post(cleanup))
        .route("/api/kubernetes/services", get(list_services).post(create_service))
        .route("/api/kubernetes/services/{name}", get(get_service).delete(delete_service))
        .route("/api/kubernetes/ingresses", get(list_ingresses).post(create_ingress))
        .route("/api/kubernetes/ingresses/{name}", get(get_ingress).delete(delete_ingress))
        .route("/api/kubernetes/exec-ws-url", get(exec_ws_url))
}

/// Parses a JSON body, turning every malformed body into a 400 that says what is wrong.
pub(crate) fn body<T>(parsed: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    parsed.map(|Json(v)| v).map_err(|rejection| ApiError::rejected(rejection.status(), rejection.body_text()))
}

/// `{"<key>": <object>}` with the object's JSON spliced in as Kubernetes wrote it: no parse, no re-encode.
/// The service sends JSON it serialized itself; anything else (never expected) becomes `null`.
fn wrapped(key: &str, object_json: &str) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    let inner = object_json.trim();
    let valid = inner.starts_with('{') && inner.ends_with('}');
    let body = format!("{{\"{key}\":{}}}", if valid { inner } else { "null" });
    ([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response()
}

type RawReply = Result<axum::response::Response, ApiError>;

fn millis_since(t: Option<&prost_types::Timestamp>) -> i64 {
    let Some(t) = t else { return 0 };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    (now - (t.seconds * 1000 + i64::from(t.nanos) / 1_000_000)).max(0)
}

fn phase_name(phase: i32) -> &'static str {
    match pb::PodPhase::try_from(phase).unwrap_or(pb::PodPhase::Unspecified) {
        pb::PodPhase::Pending => "Pending",
        pb::PodPhase::Running => "Running",
        pb::PodPhase::Succeeded => "Succeeded",
        pb::PodPhase::Failed => "Failed",
        pb::PodPhase::Unknown | pb::PodPhase::Unspecified => "Unknown",
    }
}

/// The original's PodSummary, plus kubegate's extra fields under new keys.
pub(crate) fn pod_summary(p: &pb::Pod) -> Value {
    let mut summary = json!({
        "name": p.name,
        "namespace": p.namespace,
        "phase": phase_name(p.phase),
        "ready": p.ready,
        "age": millis_since(p.start_time.as_ref()),
        "restartCount": p.restart_count,
        "nodeName": p.node_name,
        "podIP": p.pod_ip,
    });
    if !p.image.is_empty() {
        summary["image"] = json!(p.image);
    }
    if let Some(code) = p.exit_code {
        summary["exitCode"] = json!(code);
    }
    summary
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub(crate) struct NamespaceQuery {
    #[serde(default)]
    namespace: String,
    #[serde(default)]
    label_selector: String,
}

#[utoipa::path(get, path = "/api/kubernetes/pods", tag = "kubernetes", summary = "List pods", params(NamespaceQuery), responses((status = 200, description = "The pods: `{pods: [PodSummary]}`", body = crate::openapi::PodList), (status = 400, description = "Invalid input", body = crate::openapi::ErrorBody), (status = 401, description = "Missing or wrong API token", body = crate::openapi::ErrorBody), (status = 403, description = "Refused by Kubernetes RBAC or the namespace allow-list", body = crate::openapi::ErrorBody), (status = 503, description = "Kubernetes unreachable", body = crate::openapi::ErrorBody)))]
pub(crate) async fn list_pods(State(up): State<Upstream>, Query(q): Query<NamespaceQuery>) -> Reply {
    let request = pb::ListPodsRequest {
        namespace: q.namespace,
        label_selector: q.label_selector,
        ..Default::default()
    };
    let listed = up.pods().list_pods(request).await?.into_inner();
    Ok(Json(json!({"pods": listed.pods.iter().map(pod_summary).collect::<Vec<_>>()})))
}

#[derive(Deserialize, utoipa::ToSchema)]
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
}

#[utoipa::path(post, path = "/api/kubernetes/pods", tag = "kubernetes", summary = "Create a pod", request_body = CreatePodBody, responses((status = 200, description = "`{success: true, podName}`", body = crate::openapi::Created), (status = 409, description = "A pod of that name exists", body = crate::openapi::ErrorBody), (status = 413, description = "Body too large", body = crate::openapi::ErrorBody), (status = 400, description = "Invalid input", body = crate::openapi::ErrorBody), (status = 401, description = "Missing or wrong API token", body = crate::openapi::ErrorBody), (status = 403, description = "Refused by Kubernetes RBAC or the namespace allow-list", body = crate::openapi::ErrorBody), (status = 503, description = "Kubernetes unreachable", body = crate::openapi::ErrorBody)))]
pub(crate) async fn create_pod(
    State(up): State<Upstream>,
    parsed: Result<Json<CreatePodBody>, JsonRejection>,
) -> Reply {
    let b = body(parsed)?;
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
        ..Default::default()
    };
    let created =
        up.pods().create_pod(pb::CreatePodRequest { pod: Some(spec), validate_only: false }).await?;
    let name = created.into_inner().pod.map(|p| p.name).unwrap_or_default();
    Ok(Json(json!({"success": true, "podName": name})))
}

#[utoipa::path(get, path = "/api/kubernetes/pods/{name}", tag = "kubernetes", summary = "Get a pod", params(("name" = String, Path, description = "The pod"), NamespaceQuery), responses((status = 200, description = "`{pod}`: the Kubernetes object as Kubernetes writes it", body = crate::openapi::Object), (status = 404, description = "No such object", body = crate::openapi::ErrorBody), (status = 400, description = "Invalid input", body = crate::openapi::ErrorBody), (status = 401, description = "Missing or wrong API token", body = crate::openapi::ErrorBody), (status = 403, description = "Refused by Kubernetes RBAC or the namespace allow-list", body = crate::openapi::ErrorBody), (status = 503, description = "Kubernetes unreachable", body = crate::openapi::ErrorBody)))]
pub(crate) async fn get_pod(
    State(up): State<Upstream>,
    Path(name): Path<String>,
    Query(q): Query<NamespaceQuery>,
) -> RawReply {
    let got = up.pods().get_pod(pb::GetPodRequest { namespace: q.namespace, name }).await?.into_inner();
    Ok(wrapped("pod", &got.object_json))
}

#[utoipa::path(delete, path = "/api/kubernetes/pods/{name}", tag = "kubernetes", summary = "Delete a pod", params(("name" = String, Path, description = "The pod"), NamespaceQuery), responses((status = 200, description = "`{success: true}`", body = crate::openapi::Success), (status = 404, description = "No such object", body = crate::openapi::ErrorBody), (status = 400, description = "Invalid input", body = crate::openapi::ErrorBody), (status = 401, description = "Missing or wrong API token", body = crate::openapi::ErrorBody), (status = 403, description = "Refused by Kubernetes RBAC or the namespace allow-list", body = crate::openapi::ErrorBody), (status = 503, description = "Kubernetes unreachable", body = crate::openapi::ErrorBody)))]
pub(crate) async fn delete_pod(
    State(up): State<Upstream>,
    Path(name): Path<String>,
    Query(q): Query<NamespaceQuery>,
) -> Reply {
    up.pods().delete_pod(pb::DeletePodRequest { namespace: q.namespace, name, ..Default::default() }).await?;
    Ok(Json(json!({"success": true})))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub(crate) struct LogsQuery {
    #[serde(default)]
    pub namespace: String,
    /// Stream the log (one JSON object per line, or server-sent events).
    #[param(value_type = Option<bool>)]
    pub follow: Option<String>,
    /// Only the last lines (default 100; all when following).
    #[param(value_type = Option<i64>)]
    tail_lines: Option<String>,
    /// The container; default "runner" or the only one.
    #[param(value_type = Option<String>)]
    container: Option<String>,
    /// Only lines of the last seconds.
    #[param(value_type = Option<i64>)]
    since_seconds: Option<String>,
    /// Prefix lines with their RFC 3339 time (default true, as the original).
    #[param(value_type = Option<bool>)]
    timestamps: Option<String>,
    /// The previous run of a restarted container.
    #[param(value_type = Option<bool>)]
    previous: Option<String>,
}

pub(crate) fn number(field: &str, value: Option<&String>) -> Result<Option<i64>, ApiError> {
    value
        .map(|v| {
            v.parse::<i64>().map_err(|_| ApiError::bad_request(format!("{field}: {v:?} is not a number")))
        })
        .transpose()
}

pub(crate) fn flag(field: &str, value: Option<&String>, default: bool) -> Result<bool, ApiError> {
    match value.map(String::as_str) {
        None => Ok(default),
        Some("true" | "1") => Ok(true),
        Some("false" | "0") => Ok(false),
        Some(other) => Err(ApiError::bad_request(format!("{field}: {other:?} is not true or false"))),
    }
}

impl LogsQuery {
    /// The log options the query asks for; `timestamps` defaults to the original route's `true`.
    pub fn options(&self) -> Result<pb::LogOptions, ApiError> {
        Ok(pb::LogOptions {
            container: self.container.clone().unwrap_or_default(),
            tail_lines: number("tailLines", self.tail_lines.as_ref())?,
            since_seconds: number("sinceSeconds", self.since_seconds.as_ref())?,
            timestamps: flag("timestamps", self.timestamps.as_ref(), true)?,
            previous: flag("previous", self.previous.as_ref(), false)?,
            ..Default::default()
        })
    }
}

#[utoipa::path(get, path = "/api/kubernetes/pods/{name}/logs", tag = "kubernetes", summary = "Read or follow a pod's log", params(("name" = String, Path, description = "The pod"), LogsQuery), responses((status = 200, description = "`{logs}`; with follow=true one JSON object per line (`application/x-ndjson`) or server-sent events", content((crate::openapi::Logs = "application/json"), (String = "application/x-ndjson"), (String = "text/event-stream"))), (status = 404, description = "No such object", body = crate::openapi::ErrorBody), (status = 400, description = "Invalid input", body = crate::openapi::ErrorBody), (status = 401, description = "Missing or wrong API token", body = crate::openapi::ErrorBody), (status = 403, description = "Refused by Kubernetes RBAC or the namespace allow-list", body = crate::openapi::ErrorBody), (status = 503, description = "Kubernetes unreachable", body = crate::openapi::ErrorBody)))]
pub(crate) async fn pod_logs(
    State(up): State<Upstream>,
    Path(name): Path<String>,
    Query(q): Query<LogsQuery>,
    headers: axum::http::HeaderMap,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse as _;
    if flag("follow", q.follow.as_ref(), false)? {
        return crate::streams::follow_logs(up, name, q, &headers).await;
    }
    let request = pb::GetPodLogsRequest { namespace: q.namespace.clone(), name, options: Some(q.options()?) };
    let logs = up.pods().get_pod_logs(request).await?.into_inner().content;
    Ok(Json(json!({"logs": String::from_utf8_lossy(&logs)})).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ExecBody {
    #[serde(default)]
    namespace: String,
    command: Vec<String>,
    #[serde(default)]
    container: String,
}

#[utoipa::path(post, path = "/api/kubernetes/pods/{name}/exec", tag = "kubernetes", summary = "Run a command in a pod", params(("name" = String, Path, description = "The pod")), request_body = ExecBody, responses((status = 200, description = "`{success, exitCode, output, errors, timedOut}` with the real exit code", body = crate::openapi::ExecResult), (status = 404, description = "No such object", body = crate::openapi::ErrorBody), (status = 400, description = "Invalid input", body = crate::openapi::ErrorBody), (status = 401, description = "Missing or wrong API token", body = crate::openapi::ErrorBody), (status = 403, description = "Refused by Kubernetes RBAC or the namespace allow-list", body = crate::openapi::ErrorBody), (status = 503, description = "Kubernetes unreachable", body = crate::openapi::ErrorBody)))]
pub(crate) async fn exec(
    State(up): State<Upstream>,
    Path(pod): Path<String>,
    parsed: Result<Json<ExecBody>, JsonRejection>,
) -> Reply {
    let b = body(parsed)?;
    let request = pb::ExecRequest {
        namespace: b.namespace,
        pod,
        container: b.container,
        command: b.command,
        ..Default::default()
    };
    let answer = up.exec().exec(request).await?.into_inner();
    let ended = pb::ExecEndReason::try_from(answer.end_reason).unwrap_or(pb::ExecEndReason::Unspecified);
    Ok(Json(json!({
        "success": ended == pb::ExecEndReason::Exited,
        "exitCode": answer.exit_code,
        "output": String::from_utf8_lossy(&answer.stdout),
        "errors": String::from_utf8_lossy(&answer.stderr),
        "timedOut": ended == pb::ExecEndReason::TimedOut,
    })))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CleanupBody {
    #[serde(default)]
    namespace: String,
    max_age_ms: Option<u64>,
    #[serde(default)]
    dry_run: bool,
}

#[utoipa::path(post, path = "/api/kubernetes/cleanup", tag = "kubernetes", summary = "Delete finished managed pods", request_body = CleanupBody, responses((status = 200, description = "`{success, deleted, deletedNames}`", body = crate::openapi::Cleanup), (status = 400, description = "Invalid input", body = crate::openapi::ErrorBody), (status = 401, description = "Missing or wrong API token", body = crate::openapi::ErrorBody), (status = 403, description = "Refused by Kubernetes RBAC or the namespace allow-list", body = crate::openapi::ErrorBody), (status = 503, description = "Kubernetes unreachable", body = crate::openapi::ErrorBody)))]
pub(crate) async fn cleanup(
    State(up): State<Upstream>,
    parsed: Result<Json<CleanupBody>, JsonRejection>,
) -> Reply {
    let b = body(parsed)?;
    let max_age = b.max_age_ms.map(|ms| prost_types::Duration {
        seconds: i64::try_from(ms / 1000).unwrap_or(i64::MAX),
        nanos: i32::try_from((ms % 1000) * 1_000_000).unwrap_or(0),
    });
    let request =
        pb::CleanupPodsRequest { namespace: b.namespace, max_age, dry_run: b.dry_run, ..Default::default() };
    let done = up.pods().cleanup_pods(request).await?.into_inner();
    Ok(Json(json!({"success": true, "deleted": done.deleted_count, "deletedNames": done.deleted_names})))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub(crate) struct TestConnectionBody {
    #[serde(default)]
    namespace: String,
}

async fn connection_report(up: &Upstream, namespace: String) -> Result<Value, ApiError> {
    let report = up.cluster().test_connection(pb::TestConnectionRequest { namespace }).await?.into_inner();
    Ok(if report.connected {
        json!({"connected": true, "namespace": report.namespace, "serverVersion": report.server_version,
               "username": report.username, "allPermissionsAllowed": report.all_permissions_allowed})
    } else {
        json!({"connected": false, "error": report.error})
    })
}

#[utoipa::path(post, path = "/api/kubernetes/test-connection", tag = "kubernetes", summary = "Test the connection to Kubernetes", request_body(content = Option<TestConnectionBody>, description = "Optional; any body is tolerated"), responses((status = 200, description = "`{connected, namespace}` or `{connected: false, error}`", body = crate::openapi::Connection), (status = 400, description = "Invalid input", body = crate::openapi::ErrorBody), (status = 401, description = "Missing or wrong API token", body = crate::openapi::ErrorBody), (status = 403, description = "Refused by Kubernetes RBAC or the namespace allow-list", body = crate::openapi::ErrorBody), (status = 503, description = "Kubernetes unreachable", body = crate::openapi::ErrorBody)))]
pub(crate) async fn test_connection(
    State(up): State<Upstream>,
    parsed: Result<Json<TestConnectionBody>, JsonRejection>,
) -> Reply {
    // The original tolerated any body here; so does this route.
    let namespace = parsed.map(|Json(b)| b.namespace).unwrap_or_default();
    Ok(Json(connection_report(&up, namespace).await?))
}

fn config_json(s: &pb::ClusterSettings) -> Value {
    let mut config = json!({"enabled": s.enabled, "namespace": s.namespace});
    if !s.kubeconfig_path.is_empty() {
        config["kubeconfigPath"] = json!(s.kubeconfig_path);
    }
    config
}

#[utoipa::path(get, path = "/api/kubernetes/config", tag = "kubernetes", summary = "Read the cluster settings", responses((status = 200, description = "`{config, connection}`", body = crate::openapi::Config), (status = 400, description = "Invalid input", body = crate::openapi::ErrorBody), (status = 401, description = "Missing or wrong API token", body = crate::openapi::ErrorBody), (status = 403, description = "Refused by Kubernetes RBAC or the namespace allow-list", body = crate::openapi::ErrorBody), (status = 503, description = "Kubernetes unreachable", body = crate::openapi::ErrorBody)))]
pub(crate) async fn get_config(State(up): State<Upstream>) -> Reply {
    let settings = up.cluster().get_cluster_settings(pb::GetClusterSettingsRequest {}).await?.into_inner();
    let settings = settings.settings.unwrap_or_default();
    let connection = if settings.enabled {
        connection_report(&up, String::new()).await?
    } else {
        json!({"connected": false})
    };
    Ok(Json(json!({"config": config_json(&settings), "connection": connection})))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ConfigBody {
    enabled: bool,
    namespace: Option<String>,
    kubeconfig_path: Option<String>,
}

#[utoipa::path(put, path = "/api/kubernetes/config", tag = "kubernetes", summary = "Change the cluster settings", request_body = ConfigBody, responses((status = 200, description = "`{success, config}`: the settings now in force", body = crate::openapi::Config), (status = 400, description = "Invalid input", body = crate::openapi::ErrorBody), (status = 401, description = "Missing or wrong API token", body = crate::openapi::ErrorBody), (status = 403, description = "Refused by Kubernetes RBAC or the namespace allow-list", body = crate::openapi::ErrorBody), (status = 503, description = "Kubernetes unreachable", body = crate::openapi::ErrorBody)))]
pub(crate) async fn put_config(
    State(up): State<Upstream>,
    parsed: Result<Json<ConfigBody>, JsonRejection>,
) -> Reply {
    let b = body(parsed)?;
    let mut paths = vec!["enabled".to_string()];
    let mut settings = pb::ClusterSettings { enabled: b.enabled, ..Default::default() };
    if let Some(ns) = &b.namespace {
        settings.namespace = ns.clone();
        paths.push("namespace".into());
    }
    if let Some(path) = &b.kubeconfig_path {
        settings.kubeconfig_path = path.clone();
        paths.push("kubeconfig_path".into());
    }
    let request = pb::UpdateClusterSettingsRequest {
        settings: Some(settings),
        update_mask: Some(prost_types::FieldMask { paths }),
    };
    let applied =
        up.cluster().update_cluster_settings(request).await?.into_inner().settings.unwrap_or_default();
    Ok(Json(json!({"success": true, "config": config_json(&applied)})))
}

pub(crate) fn service_summary(s: &pb::KubernetesService) -> Value {
    let meta = s.metadata.clone().unwrap_or_default();
    let service_type =
        match pb::KubernetesServiceType::try_from(s.r#type).unwrap_or(pb::KubernetesServiceType::ClusterIp) {
            pb::KubernetesServiceType::NodePort => "NodePort",
            pb::KubernetesServiceType::LoadBalancer => "LoadBalancer",
            _ => "ClusterIP",
        };
    let ports: Vec<Value> = s
        .ports
        .iter()
        .map(|p| {
            let target =
                if p.target_port_name.is_empty() { json!(p.target_port) } else { json!(p.target_port_name) };
            let protocol = match pb::Protocol::try_from(p.protocol).unwrap_or(pb::Protocol::Tcp) {
                pb::Protocol::Udp => "UDP",
                pb::Protocol::Sctp => "SCTP",
                _ => "TCP",
            };
            json!({"port": p.port, "targetPort": target, "protocol": protocol})
        })
        .collect();
    let mut summary = json!({
        "name": meta.name, "namespace": meta.namespace, "type": service_type, "ports": ports,
        "selector": s.selector, "age": millis_since(meta.create_time.as_ref()),
    });
    if !s.cluster_ip.is_empty() {
        summary["clusterIP"] = json!(s.cluster_ip);
    }
    summary
}

#[utoipa::path(get, path = "/api/kubernetes/services", tag = "kubernetes", summary = "List services", params(NamespaceQuery), responses((status = 200, description = "`{services: [ServiceSummary]}`", body = crate::openapi::ServiceList), (status = 400, description = "Invalid input", body = crate::openapi::ErrorBody), (status = 401, description = "Missing or wrong API token", body = crate::openapi::ErrorBody), (status = 403, description = "Refused by Kubernetes RBAC or the namespace allow-list", body = crate::openapi::ErrorBody), (status = 503, description = "Kubernetes unreachable", body = crate::openapi::ErrorBody)))]
pub(crate) async fn list_services(State(up): State<Upstream>, Query(q): Query<NamespaceQuery>) -> Reply {
    let request = pb::ListKubernetesServicesRequest {
        namespace: q.namespace,
        label_selector: q.label_selector,
        ..Default::default()
    };
    let listed = up.network().list_kubernetes_services(request).await?.into_inner();
    Ok(Json(json!({"services": listed.services.iter().map(service_summary).collect::<Vec<_>>()})))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ServicePortBody {
    #[serde(default)]
    name: String,
    port: i32,
    target_port: Option<i32>,
    protocol: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreateServiceBody {
    name: String,
    #[serde(default)]
    namespace: String,
    #[serde(default)]
    selector: BTreeMap<String, String>,
    ports: Vec<ServicePortBody>,
    #[serde(rename = "type")]
    service_type: Option<String>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
}

#[utoipa::path(post, path = "/api/kubernetes/services", tag = "kubernetes", summary = "Create a service", request_body = CreateServiceBody, responses((status = 200, description = "`{success: true, serviceName}`", body = crate::openapi::Created), (status = 409, description = "A service of that name exists", body = crate::openapi::ErrorBody), (status = 400, description = "Invalid input", body = crate::openapi::ErrorBody), (status = 401, description = "Missing or wrong API token", body = crate::openapi::ErrorBody), (status = 403, description = "Refused by Kubernetes RBAC or the namespace allow-list", body = crate::openapi::ErrorBody), (status = 503, description = "Kubernetes unreachable", body = crate::openapi::ErrorBody)))]
pub(crate) async fn create_service(
    State(up): State<Upstream>,
    parsed: Result<Json<CreateServiceBody>, JsonRejection>,
) -> Reply {
    let b = body(parsed)?;
    let service_type = match b.service_type.as_deref() {
        None | Some("ClusterIP") => pb::KubernetesServiceType::ClusterIp,
        Some("NodePort") => pb::KubernetesServiceType::NodePort,
        Some("LoadBalancer") => pb::KubernetesServiceType::LoadBalancer,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "type: {other:?} is not ClusterIP, NodePort or LoadBalancer"
            )));
        }
    };
    let mut ports = Vec::new();
    for (i, p) in b.ports.into_iter().enumerate() {
        let protocol = match p.protocol.as_deref() {
            None | Some("TCP") => pb::Protocol::Tcp,
            Some("UDP") => pb::Protocol::Udp,
            Some("SCTP") => pb::Protocol::Sctp,
            Some(other) => {
                return Err(ApiError::bad_request(format!(
                    "ports[{i}].protocol: {other:?} is not TCP, UDP or SCTP"
                )));
            }
        };
        ports.push(pb::ServicePort {
            name: p.name,
            port: p.port,
            target_port: p.target_port.unwrap_or(0),
            protocol: protocol as i32,
            ..Default::default()
        });
    }
    let spec = pb::KubernetesServiceSpec {
        name: b.name,
        namespace: b.namespace,
        selector: b.selector.into_iter().collect(),
        ports,
        r#type: service_type as i32,
        labels: b.labels.into_iter().collect(),
        ..Default::default()
    };
    let created = up
        .network()
        .create_kubernetes_service(pb::CreateKubernetesServiceRequest { service: Some(spec) })
        .await?;
    let name = created.into_inner().service.and_then(|s| s.metadata).map(|m| m.name).unwrap_or_default();
    Ok(Json(json!({"success": true, "serviceName": name})))
}

#[utoipa::path(get, path = "/api/kubernetes/services/{name}", tag = "kubernetes", summary = "Get a service", params(("name" = String, Path, description = "The service"), NamespaceQuery), responses((status = 200, description = "`{service}`: the Kubernetes object", body = crate::openapi::Object), (status = 404, description = "No such object", body = crate::openapi::ErrorBody), (status = 400, description = "Invalid input", body = crate::openapi::ErrorBody), (status = 401, description = "Missing or wrong API token", body = crate::openapi::ErrorBody), (status = 403, description = "Refused by Kubernetes RBAC or the namespace allow-list", body = crate::openapi::ErrorBody), (status = 503, description = "Kubernetes unreachable", body = crate::openapi::ErrorBody)))]
pub(crate) async fn get_service(
    State(up): State<Upstream>,
    Path(name): Path<String>,
    Query(q): Query<NamespaceQuery>,
) -> RawReply {
    let got = up
        .network()
        .get_kubernetes_service(pb::GetKubernetesServiceRequest { namespace: q.namespace, name })
        .await?;
    Ok(wrapped("service", &got.into_inner().object_json))
}

#[utoipa::path(delete, path = "/api/kubernetes/services/{name}", tag = "kubernetes", summary = "Delete a service", params(("name" = String, Path, description = "The service"), NamespaceQuery), responses((status = 200, description = "`{success: true}`", body = crate::openapi::Success), (status = 404, description = "No such object", body = crate::openapi::ErrorBody), (status = 400, description = "Invalid input", body = crate::openapi::ErrorBody), (status = 401, description = "Missing or wrong API token", body = crate::openapi::ErrorBody), (status = 403, description = "Refused by Kubernetes RBAC or the namespace allow-list", body = crate::openapi::ErrorBody), (status = 503, description = "Kubernetes unreachable", body = crate::openapi::ErrorBody)))]
pub(crate) async fn delete_service(
    State(up): State<Upstream>,
    Path(name): Path<String>,
    Query(q): Query<NamespaceQuery>,
) -> Reply {
    up.network()
        .delete_kubernetes_service(pb::DeleteKubernetesServiceRequest { namespace: q.namespace, name })
        .await?;
    Ok(Json(json!({"success": true})))
}

pub(crate) fn ingress_summary(i: &pb::Ingress) -> Value {
    let meta = i.metadata.clone().unwrap_or_default();
    let hosts: Vec<&str> = i.rules.iter().map(|r| r.host.as_str()).filter(|h| !h.is_empty()).collect();
    json!({
        "name": meta.name, "namespace": meta.namespace, "hosts": hosts, "ingressClassName": i.ingress_class_name,
        "annotations": meta.annotations, "addresses": i.addresses, "age": millis_since(meta.create_time.as_ref()),
    })
}

#[utoipa::path(get, path = "/api/kubernetes/ingresses", tag = "kubernetes", summary = "List ingresses", params(NamespaceQuery), responses((status = 200, description = "`{ingresses: [IngressSummary]}`", body = crate::openapi::IngressList), (status = 400, description = "Invalid input", body = crate::openapi::ErrorBody), (status = 401, description = "Missing or wrong API token", body = crate::openapi::ErrorBody), (status = 403, description = "Refused by Kubernetes RBAC or the namespace allow-list", body = crate::openapi::ErrorBody), (status = 503, description = "Kubernetes unreachable", body = crate::openapi::ErrorBody)))]
pub(crate) async fn list_ingresses(State(up): State<Upstream>, Query(q): Query<NamespaceQuery>) -> Reply {
    let request = pb::ListIngressesRequest {
        namespace: q.namespace,
        label_selector: q.label_selector,
        ..Default::default()
    };
    let listed = up.network().list_ingresses(request).await?.into_inner();
    Ok(Json(json!({"ingresses": listed.ingresses.iter().map(ingress_summary).collect::<Vec<_>>()})))
}

/// The native `networking.k8s.io/v1` rule JSON the seed documents.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RuleBody {
    #[serde(default)]
    host: String,
    http: Option<HttpBody>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct HttpBody {
    paths: Vec<PathBody>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PathBody {
    #[serde(default)]
    path: String,
    path_type: Option<String>,
    backend: BackendBody,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct BackendBody {
    service: ServiceBackendBody,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct ServiceBackendBody {
    name: String,
    port: PortBody,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct PortBody {
    number: Option<i32>,
    name: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreateIngressBody {
    name: String,
    #[serde(default)]
    namespace: String,
    rules: Vec<RuleBody>,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
    #[serde(default)]
    ingress_class_name: String,
    #[serde(default)]
    labels: BTreeMap<String, String>,
}

#[utoipa::path(post, path = "/api/kubernetes/ingresses", tag = "kubernetes", summary = "Create an ingress", request_body = CreateIngressBody, responses((status = 200, description = "`{success: true, ingressName}`", body = crate::openapi::Created), (status = 409, description = "An ingress of that name exists", body = crate::openapi::ErrorBody), (status = 400, description = "Invalid input", body = crate::openapi::ErrorBody), (status = 401, description = "Missing or wrong API token", body = crate::openapi::ErrorBody), (status = 403, description = "Refused by Kubernetes RBAC or the namespace allow-list", body = crate::openapi::ErrorBody), (status = 503, description = "Kubernetes unreachable", body = crate::openapi::ErrorBody)))]
pub(crate) async fn create_ingress(
    State(up): State<Upstream>,
    parsed: Result<Json<CreateIngressBody>, JsonRejection>,
) -> Reply {
    let b = body(parsed)?;
    let mut rules = Vec::new();
    for (i, rule) in b.rules.into_iter().enumerate() {
        let mut paths = Vec::new();
        for (j, p) in rule.http.map(|h| h.paths).unwrap_or_default().into_iter().enumerate() {
            let path_type = match p.path_type.as_deref() {
                None | Some("Prefix") => pb::PathType::Prefix,
                Some("Exact") => pb::PathType::Exact,
                Some("ImplementationSpecific") => pb::PathType::ImplementationSpecific,
                Some(other) => {
                    return Err(ApiError::bad_request(format!(
                        "rules[{i}].http.paths[{j}].pathType: {other:?} is not Prefix, Exact or ImplementationSpecific"
                    )));
                }
            };
            let backend = pb::IngressBackend {
                service_name: p.backend.service.name,
                service_port_number: p.backend.service.port.number.unwrap_or(0),
                service_port_name: p.backend.service.port.name.unwrap_or_default(),
            };
            paths.push(pb::IngressPath { path: p.path, path_type: path_type as i32, backend: Some(backend) });
        }
        rules.push(pb::IngressRule { host: rule.host, paths });
    }
    let spec = pb::IngressSpec {
        name: b.name,
        namespace: b.namespace,
        rules,
        annotations: b.annotations.into_iter().collect(),
        ingress_class_name: b.ingress_class_name,
        labels: b.labels.into_iter().collect(),
        ..Default::default()
    };
    let created = up.network().create_ingress(pb::CreateIngressRequest { ingress: Some(spec) }).await?;
    let name = created.into_inner().ingress.and_then(|i| i.metadata).map(|m| m.name).unwrap_or_default();
    Ok(Json(json!({"success": true, "ingressName": name})))
}

#[utoipa::path(get, path = "/api/kubernetes/ingresses/{name}", tag = "kubernetes", summary = "Get an ingress", params(("name" = String, Path, description = "The ingress"), NamespaceQuery), responses((status = 200, description = "`{ingress}`: the Kubernetes object", body = crate::openapi::Object), (status = 404, description = "No such object", body = crate::openapi::ErrorBody), (status = 400, description = "Invalid input", body = crate::openapi::ErrorBody), (status = 401, description = "Missing or wrong API token", body = crate::openapi::ErrorBody), (status = 403, description = "Refused by Kubernetes RBAC or the namespace allow-list", body = crate::openapi::ErrorBody), (status = 503, description = "Kubernetes unreachable", body = crate::openapi::ErrorBody)))]
pub(crate) async fn get_ingress(
    State(up): State<Upstream>,
    Path(name): Path<String>,
    Query(q): Query<NamespaceQuery>,
) -> RawReply {
    let got = up.network().get_ingress(pb::GetIngressRequest { namespace: q.namespace, name }).await?;
    Ok(wrapped("ingress", &got.into_inner().object_json))
}

#[utoipa::path(delete, path = "/api/kubernetes/ingresses/{name}", tag = "kubernetes", summary = "Delete an ingress", params(("name" = String, Path, description = "The ingress"), NamespaceQuery), responses((status = 200, description = "`{success: true}`", body = crate::openapi::Success), (status = 404, description = "No such object", body = crate::openapi::ErrorBody), (status = 400, description = "Invalid input", body = crate::openapi::ErrorBody), (status = 401, description = "Missing or wrong API token", body = crate::openapi::ErrorBody), (status = 403, description = "Refused by Kubernetes RBAC or the namespace allow-list", body = crate::openapi::ErrorBody), (status = 503, description = "Kubernetes unreachable", body = crate::openapi::ErrorBody)))]
pub(crate) async fn delete_ingress(
    State(up): State<Upstream>,
    Path(name): Path<String>,
    Query(q): Query<NamespaceQuery>,
) -> Reply {
    up.network().delete_ingress(pb::DeleteIngressRequest { namespace: q.namespace, name }).await?;
    Ok(Json(json!({"success": true})))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct WsUrlQuery {
    pod: Option<String>,
    namespace: Option<String>,
    container: Option<String>,
}

/// The URL of the terminal for a pod, as the original built it (scheme and port from the proxy headers),
/// but reaching a real terminal: the gateway serves it on this port as well as on the terminal port.
#[utoipa::path(get, path = "/api/kubernetes/exec-ws-url", tag = "kubernetes", summary = "The terminal URL of a pod", params(WsUrlQuery), responses((status = 200, description = "`{wsUrl}`: the terminal WebSocket for the pod", body = crate::openapi::WsUrl), (status = 400, description = "Invalid input", body = crate::openapi::ErrorBody), (status = 401, description = "Missing or wrong API token", body = crate::openapi::ErrorBody), (status = 403, description = "Refused by Kubernetes RBAC or the namespace allow-list", body = crate::openapi::ErrorBody), (status = 503, description = "Kubernetes unreachable", body = crate::openapi::ErrorBody)))]
pub(crate) async fn exec_ws_url(headers: axum::http::HeaderMap, Query(q): Query<WsUrlQuery>) -> Reply {
    let (Some(pod), Some(namespace)) =
        (q.pod.filter(|p| !p.is_empty()), q.namespace.filter(|n| !n.is_empty()))
    else {
        return Err(ApiError::bad_request("pod and namespace query parameters required"));
    };
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let https = header("x-forwarded-proto").is_some_and(|p| p.eq_ignore_ascii_case("https"));
    let host_header = header("x-forwarded-host").or_else(|| header("host")).unwrap_or("localhost");
    let (host, port) = split_host(host_header);
    let port = header("x-forwarded-port")
        .map(str::to_string)
        .or_else(|| port.filter(|p| !matches!((https, p.as_str()), (false, "80") | (true, "443"))));
    let mut url = format!("{}://{host}", if https { "wss" } else { "ws" });
    if let Some(port) = port {
        url.push(':');
        url.push_str(&port);
    }
    let mut query = vec![("pod", pod), ("namespace", namespace)];
    if let Some(container) = q.container.filter(|c| !c.is_empty()) {
        query.push(("container", container));
    }
    let query = serde_urlencoded::to_string(&query).map_err(|e| ApiError::bad_request(e.to_string()))?;
    url.push_str(crate::terminal::PATH);
    url.push('?');
    url.push_str(&query);
    Ok(Json(json!({"wsUrl": url})))
}

/// Splits a Host header into host and port, keeping IPv6 literals in their brackets.
fn split_host(value: &str) -> (&str, Option<String>) {
    if value.starts_with('[') {
        return match value.find(']') {
            Some(end) => {
                let port = value[end + 1..].strip_prefix(':').map(str::to_string);
                (&value[..=end], port)
            }
            None => (value, None),
        };
    }
    match value.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !port.is_empty() => {
            (host, Some(port.to_string()))
        }
        _ => (value, None),
    }
}

#[cfg(test)]
mod tests {
    use super::split_host;

    #[test]
    fn host_headers_split_with_ipv6_literals_intact() {
        assert_eq!(split_host("127.0.0.1:15003"), ("127.0.0.1", Some("15003".into())));
        assert_eq!(split_host("ex.com"), ("ex.com", None));
        assert_eq!(split_host("[::1]:5003"), ("[::1]", Some("5003".into())));
        assert_eq!(split_host("[::1]"), ("[::1]", None));
    }
}
