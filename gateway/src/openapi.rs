//! The OpenAPI 3 document of the gateway, generated from the route handlers and the body types they
//! answer, served at `/api/kubernetes/openapi.json` and committed as `gateway/openapi.json` (a test fails
//! when they differ; `KUBEGATE_UPDATE_OPENAPI=1 cargo test -p kubegate-gateway openapi` rewrites the file).

use axum::Json;
use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes::{cleanup, config, exec, ingresses, logs, pods, previews, services, sessions, workflows};

/// Where the document is served.
pub const PATH: &str = "/api/kubernetes/openapi.json";

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
        config::get_config, config::put_config, config::test_connection,
        pods::list_pods, pods::create_pod, pods::get_pod, pods::delete_pod, pods::watch_pods,
        logs::pod_logs, exec::exec, exec::exec_ws_url, cleanup::cleanup,
        services::list_services, services::create_service, services::get_service, services::delete_service,
        ingresses::list_ingresses, ingresses::create_ingress, ingresses::get_ingress, ingresses::delete_ingress,
        workflows::run_tests, workflows::match_image,
        previews::create_preview, previews::list_previews, previews::get_preview, previews::delete_preview,
        sessions::list_sessions, sessions::end_session,
    ),
    modifiers(&BearerToken),
    security(("bearer" = [])),
    tags((name = "kubernetes", description = "Pods, logs, exec and its sessions, services, ingresses and settings"),
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
        assert_eq!(document["paths"].as_object().map(|p| p.len()), Some(19));
    }
}
