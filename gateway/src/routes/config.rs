//! The cluster settings and the connection test.

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use kubegate_proto::v1 as pb;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, BodyErrors, CommonErrors};
use crate::input::JsonBody;
use crate::reply::Reply;
use crate::upstream::{AsCaller, Upstream};

/// The settings routes.
pub fn routes() -> Router<Upstream> {
    Router::new()
        .route("/api/kubernetes/config", get(get_config).put(put_config))
        .route("/api/kubernetes/test-connection", post(test_connection))
}

/// The connection test.
#[derive(Serialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    #[serde(skip_serializing_if = "Option::is_none")]
    all_permissions_allowed: Option<bool>,
    connected: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace: Option<String>,
    /// Each permission kubegate needs, as checked in the namespace (kubegate's addition).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    permissions: Vec<Permission>,
    #[serde(skip_serializing_if = "Option::is_none")]
    server_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<String>,
}

/// One permission of the connection test.
#[derive(Serialize, ToSchema)]
pub struct Permission {
    allowed: bool,
    /// The API group; empty for the core group.
    group: String,
    /// The authorizer's reason, when it gave one.
    #[serde(skip_serializing_if = "String::is_empty")]
    reason: String,
    resource: String,
    /// The subresource (`exec`, `log`); empty for none.
    subresource: String,
    verb: String,
}

impl From<pb::PermissionCheck> for Permission {
    fn from(p: pb::PermissionCheck) -> Self {
        Self {
            allowed: p.allowed,
            group: p.group,
            reason: p.reason,
            resource: p.resource,
            subresource: p.subresource,
            verb: p.verb,
        }
    }
}

impl From<pb::TestConnectionResponse> for Connection {
    fn from(report: pb::TestConnectionResponse) -> Self {
        if report.connected {
            Self {
                all_permissions_allowed: Some(report.all_permissions_allowed),
                connected: true,
                namespace: Some(report.namespace),
                permissions: report.permissions.into_iter().map(Permission::from).collect(),
                server_version: Some(report.server_version),
                username: Some(report.username),
                error: None,
            }
        } else {
            Self { error: Some(report.error), ..Self::default() }
        }
    }
}

/// The cluster settings.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    kubeconfig_path: Option<String>,
    namespace: String,
}

impl From<pb::ClusterSettings> for Settings {
    fn from(s: pb::ClusterSettings) -> Self {
        Self {
            enabled: s.enabled,
            kubeconfig_path: Some(s.kubeconfig_path).filter(|p| !p.is_empty()),
            namespace: s.namespace,
        }
    }
}

/// `{config, connection}`: the settings, and the connection test when enabled.
#[derive(Serialize, ToSchema)]
pub struct Config {
    config: Settings,
    connection: Connection,
}

/// `{success, config}`: the settings now in force.
#[derive(Serialize, ToSchema)]
pub struct ConfigUpdated {
    config: Settings,
    success: bool,
}

/// Any body; only its namespace is read.
#[derive(Deserialize, Default, ToSchema)]
pub(crate) struct TestConnectionBody {
    #[serde(default)]
    namespace: String,
}

async fn connection_report(up: &Upstream, namespace: String) -> Result<Connection, ApiError> {
    let report = up.cluster().test_connection(pb::TestConnectionRequest { namespace }).await?.into_inner();
    Ok(Connection::from(report))
}

#[utoipa::path(post, path = "/api/kubernetes/test-connection", tag = "kubernetes", summary = "Test the connection to Kubernetes",
    request_body(content = Option<TestConnectionBody>, description = "Optional; any body is tolerated"),
    responses((status = 200, description = "`{connected, namespace}` or `{connected: false, error}`", body = Connection),
        BodyErrors, CommonErrors))]
pub(crate) async fn test_connection(
    AsCaller(up): AsCaller,
    parsed: Result<JsonBody<TestConnectionBody>, ApiError>,
) -> Reply<Connection> {
    // The original tolerated any body here; so does this route, but not a form from a cross-site page.
    let namespace = match parsed {
        Ok(JsonBody(b)) => b.namespace,
        Err(refused) if refused.status() == StatusCode::FORBIDDEN => return Err(refused),
        Err(_) => String::new(),
    };
    Ok(Json(connection_report(&up, namespace).await?))
}

#[utoipa::path(get, path = "/api/kubernetes/config", tag = "kubernetes", summary = "Read the cluster settings",
    responses((status = 200, description = "`{config, connection}`", body = Config), CommonErrors))]
pub(crate) async fn get_config(AsCaller(up): AsCaller) -> Reply<Config> {
    let settings = up.cluster().get_cluster_settings(pb::GetClusterSettingsRequest {}).await?.into_inner();
    let settings = settings.settings.unwrap_or_default();
    let connection = if settings.enabled {
        connection_report(&up, String::new()).await?
    } else {
        // Disabled: not tested, so no error either.
        Connection::default()
    };
    Ok(Json(Config { config: Settings::from(settings), connection }))
}

/// The settings to change; absent fields keep their value.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ConfigBody {
    enabled: bool,
    namespace: Option<String>,
    kubeconfig_path: Option<String>,
}

#[utoipa::path(put, path = "/api/kubernetes/config", tag = "kubernetes", summary = "Change the cluster settings",
    request_body = ConfigBody,
    responses((status = 200, description = "`{success, config}`: the settings now in force", body = ConfigUpdated),
        BodyErrors, CommonErrors))]
pub(crate) async fn put_config(
    AsCaller(up): AsCaller,
    JsonBody(b): JsonBody<ConfigBody>,
) -> Reply<ConfigUpdated> {
    // Only what the caller sent is changed: the mask names exactly those fields.
    let mut paths = vec!["enabled".to_string()];
    let mut settings = pb::ClusterSettings { enabled: b.enabled, ..Default::default() };
    if let Some(ns) = b.namespace {
        settings.namespace = ns;
        paths.push("namespace".into());
    }
    if let Some(path) = b.kubeconfig_path {
        settings.kubeconfig_path = path;
        paths.push("kubeconfig_path".into());
    }
    let request = pb::UpdateClusterSettingsRequest {
        settings: Some(settings),
        update_mask: Some(prost_types::FieldMask { paths }),
    };
    let applied =
        up.cluster().update_cluster_settings(request).await?.into_inner().settings.unwrap_or_default();
    Ok(Json(ConfigUpdated { config: Settings::from(applied), success: true }))
}
