//! HTTP errors of the gateway: `{"error": "...", "details": ..., "code": "NOT_FOUND"}` with the standard
//! gRPC→HTTP status table (as grpc-gateway maps them, CANCELLED → 499).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tonic::Code;

/// An error answered to a REST caller.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    error: String,
    details: Value,
}

/// The HTTP status of a gRPC code.
pub fn http_status(code: Code) -> StatusCode {
    match code {
        Code::Ok => StatusCode::OK,
        Code::Cancelled => StatusCode::from_u16(499).unwrap_or(StatusCode::BAD_REQUEST),
        Code::InvalidArgument | Code::OutOfRange => StatusCode::BAD_REQUEST,
        Code::FailedPrecondition => StatusCode::BAD_REQUEST,
        Code::DeadlineExceeded => StatusCode::GATEWAY_TIMEOUT,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::AlreadyExists | Code::Aborted => StatusCode::CONFLICT,
        Code::PermissionDenied => StatusCode::FORBIDDEN,
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
        Code::ResourceExhausted => StatusCode::TOO_MANY_REQUESTS,
        Code::Unimplemented => StatusCode::NOT_IMPLEMENTED,
        Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Code::Unknown | Code::Internal | Code::DataLoss => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

pub fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "CANCELLED",
        Code::Unknown => "UNKNOWN",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::OutOfRange => "OUT_OF_RANGE",
        Code::Unimplemented => "UNIMPLEMENTED",
        Code::Internal => "INTERNAL",
        Code::Unavailable => "UNAVAILABLE",
        Code::DataLoss => "DATA_LOSS",
        Code::Unauthenticated => "UNAUTHENTICATED",
    }
}

impl ApiError {
    /// A malformed request: 400 naming what is wrong.
    pub fn bad_request(error: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "INVALID_ARGUMENT",
            error: error.into(),
            details: Value::Null,
        }
    }

    /// A body the JSON extractor refused: 413 when too large, 415 without a JSON content type, else 400.
    pub fn rejected(status: StatusCode, error: impl Into<String>) -> Self {
        let (status, code) = match status {
            StatusCode::PAYLOAD_TOO_LARGE => (status, "RESOURCE_EXHAUSTED"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => (status, "INVALID_ARGUMENT"),
            _ => (StatusCode::BAD_REQUEST, "INVALID_ARGUMENT"),
        };
        Self { status, code, error: error.into(), details: Value::Null }
    }

    /// A caller without the API token: 401.
    pub fn unauthenticated(error: impl Into<String>) -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            code: "UNAUTHENTICATED",
            error: error.into(),
            details: Value::Null,
        }
    }

    /// A caller refused for who it is (a cross-site terminal): 403.
    pub fn forbidden(error: impl Into<String>) -> Self {
        Self {
            status: StatusCode::FORBIDDEN,
            code: "PERMISSION_DENIED",
            error: error.into(),
            details: Value::Null,
        }
    }
}

impl From<tonic::Status> for ApiError {
    fn from(status: tonic::Status) -> Self {
        let details = <tonic::Status as tonic_types::StatusExt>::get_details_bad_request(&status)
            .map(|bad| {
                json!(
                    bad.field_violations
                        .iter()
                        .map(|v| json!({"field": v.field, "message": v.description}))
                        .collect::<Vec<_>>()
                )
            })
            .unwrap_or(Value::Null);
        Self {
            status: http_status(status.code()),
            code: code_name(status.code()),
            error: status.message().to_string(),
            details,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({"error": self.error, "code": self.code});
        if !self.details.is_null() {
            body["details"] = self.details;
        }
        (self.status, Json(body)).into_response()
    }
}
