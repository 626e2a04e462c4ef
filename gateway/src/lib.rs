//! The REST gateway and terminal WebSocket of kubegate. It is a gRPC client of the service: every route
//! translates onto a gRPC call, and no Kubernetes logic lives here.

mod error;
mod rest;

use std::future::Future;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use tokio::net::TcpListener;
use tonic::transport::Endpoint;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::{HealthCheckRequest, health_client::HealthClient};

/// The sockets the gateway serves.
#[derive(Debug)]
pub struct Listeners {
    /// The REST port (5003 by default); the terminal is served here too.
    pub http: TcpListener,
    /// The terminal's own port (5004 by default), when it has one.
    pub terminal: Option<TcpListener>,
}

/// Errors of the gateway itself.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// The upstream URL is not a valid gRPC endpoint.
    #[error("invalid upstream URL {0:?}: {1}")]
    Upstream(String, String),
    /// Serving HTTP failed.
    #[error("serving HTTP failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Builds the gateway's routes over a lazily connected channel to the gRPC service.
pub fn router(upstream: &str) -> Result<Router, GatewayError> {
    let endpoint = Endpoint::from_shared(upstream.to_string())
        .map_err(|e| GatewayError::Upstream(upstream.to_string(), e.to_string()))?;
    let state = rest::Upstream { channel: endpoint.connect_lazy() };
    Ok(Router::new()
        .route("/healthz", get(healthz))
        .merge(rest::routes())
        .route("/ws/kubernetes/exec", axum::routing::any(not_built))
        .fallback(no_route)
        .layer(axum::extract::DefaultBodyLimit::max(1024 * 1024))
        .with_state(state))
}

/// Serves the gateway on its listeners until `shutdown` completes.
pub async fn serve(
    listeners: Listeners,
    upstream: String,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), GatewayError> {
    let app = router(&upstream)?;
    let shutdown = futures::future::FutureExt::shared(Box::pin(shutdown));
    let http = axum::serve(listeners.http, app.clone()).with_graceful_shutdown(shutdown.clone());
    match listeners.terminal {
        Some(terminal) => {
            let terminal = axum::serve(terminal, app).with_graceful_shutdown(shutdown);
            let (a, b) = tokio::join!(http, terminal);
            a?;
            b?;
        }
        None => http.await?,
    }
    Ok(())
}

/// `GET /healthz`: the gRPC service's overall health, asked over gRPC.
async fn healthz(State(state): State<rest::Upstream>) -> Response {
    let mut client = HealthClient::new(state.channel);
    match client.check(HealthCheckRequest { service: String::new() }).await {
        Ok(answer) if answer.get_ref().status == ServingStatus::Serving as i32 => {
            Json(json!({"status": "SERVING"})).into_response()
        }
        Ok(answer) => {
            let status = ServingStatus::try_from(answer.get_ref().status)
                .map(|s| s.as_str_name())
                .unwrap_or("UNKNOWN");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"status": status}))).into_response()
        }
        Err(status) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "UNREACHABLE", "error": status.message()})),
        )
            .into_response(),
    }
}

/// The terminal is not built yet: 501, never made-up data.
async fn not_built() -> Response {
    error::ApiError::not_built("the terminal WebSocket").into_response()
}

/// Unknown paths: 404 in the error shape every route uses.
async fn no_route() -> Response {
    (StatusCode::NOT_FOUND, Json(json!({"error": "no such route", "code": "NOT_FOUND"}))).into_response()
}
