//! `GET /healthz`, which needs no token, and the answer for paths no route serves.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::{HealthCheckRequest, health_client::HealthClient};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::upstream::Upstream;

/// `{status}`, with `error` when the service could not be asked.
#[derive(Serialize, ToSchema)]
pub struct Health {
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    /// `SERVING`, another gRPC health status, or `UNREACHABLE`.
    status: &'static str,
}

/// `GET /healthz`: the gRPC service's overall health, asked over gRPC; 503 unless it is serving.
pub async fn healthz(State(up): State<Upstream>) -> (StatusCode, Json<Health>) {
    let mut client = HealthClient::with_interceptor(up.channel(), up.interceptor());
    match client.check(HealthCheckRequest { service: String::new() }).await {
        Ok(answer) if answer.get_ref().status == ServingStatus::Serving as i32 => {
            (StatusCode::OK, Json(Health { error: None, status: "SERVING" }))
        }
        Ok(answer) => {
            let status = ServingStatus::try_from(answer.get_ref().status)
                .map(|s| s.as_str_name())
                .unwrap_or("UNKNOWN");
            (StatusCode::SERVICE_UNAVAILABLE, Json(Health { error: None, status }))
        }
        Err(status) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Health { error: Some(status.message().to_string()), status: "UNREACHABLE" }),
        ),
    }
}

/// Unknown paths: 404 in the error shape every route uses.
pub async fn no_route() -> ApiError {
    ApiError::no_route()
}
