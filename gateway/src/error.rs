//! HTTP errors of the gateway: `{"code": "NOT_FOUND", "details": ..., "error": "..."}` with the standard
//! gRPC→HTTP status table (as grpc-gateway maps them, CANCELLED → 499), and the error responses the
//! OpenAPI document declares for the routes, each declared once here.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tonic::Code;
use utoipa::{IntoResponses, ToSchema};

/// Every error: a message, the gRPC code name, and for invalid fields the field violations.
// Fields are declared in the alphabetical order of their JSON keys, as every body type is (see
// `crate::reply`): the bodies were first written as sorted JSON maps, and this keeps every byte the same.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The gRPC code name, for example `NOT_FOUND`.
    code: &'static str,
    /// For invalid input: `[{field, message}]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<Vec<FieldViolation>>,
    /// What went wrong.
    error: String,
}

/// One invalid field.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldViolation {
    field: String,
    message: String,
}

/// An error answered to a REST caller.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
    /// Seconds after which a refused caller may try again (a 429 from a per-caller cap).
    retry_after: Option<String>,
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

/// The name of a gRPC code as the bodies carry it, for example `NOT_FOUND`.
pub use kubegate_proto::convert::code_name;

impl ApiError {
    fn new(status: StatusCode, code: &'static str, error: impl Into<String>) -> Self {
        Self { status, body: ErrorBody { code, details: None, error: error.into() }, retry_after: None }
    }

    /// A malformed request: 400 naming what is wrong.
    pub fn bad_request(error: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "INVALID_ARGUMENT", error)
    }

    /// A body the JSON extractor refused: 413 when too large, 415 without a JSON content type, else 400.
    pub fn rejected(status: StatusCode, error: impl Into<String>) -> Self {
        let (status, code) = match status {
            StatusCode::PAYLOAD_TOO_LARGE => (status, "RESOURCE_EXHAUSTED"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => (status, "INVALID_ARGUMENT"),
            _ => (StatusCode::BAD_REQUEST, "INVALID_ARGUMENT"),
        };
        Self::new(status, code, error)
    }

    /// A body that does not fit the route: 400 with one field violation naming the field.
    pub fn invalid_field(field: impl Into<String>, problem: impl Into<String>) -> Self {
        let (field, message) = (field.into(), problem.into());
        let mut error = Self::bad_request(format!("invalid request body: {field}: {message}"));
        error.body.details = Some(vec![FieldViolation { field, message }]);
        error
    }

    /// A body in a content type kubegate does not read: 415.
    pub fn unsupported_media_type(error: impl Into<String>) -> Self {
        Self::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "INVALID_ARGUMENT", error)
    }

    /// A request naming a host kubegate does not serve (the DNS-rebinding defence): 421.
    pub fn misdirected(host: &str) -> Self {
        Self::new(
            StatusCode::MISDIRECTED_REQUEST,
            "PERMISSION_DENIED",
            format!(
                "host {host:?} is not served here: use localhost, an IP address, or a name listed in \
                 --allowed-hosts"
            ),
        )
    }

    /// The HTTP status this error answers with.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// A caller without the API token: 401.
    pub fn unauthenticated(error: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", error)
    }

    /// A caller refused for who it is (a cross-site terminal): 403.
    pub fn forbidden(error: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "PERMISSION_DENIED", error)
    }

    /// A path no route serves: 404.
    pub fn no_route() -> Self {
        Self::new(StatusCode::NOT_FOUND, "NOT_FOUND", "no such route")
    }
}

impl From<tonic::Status> for ApiError {
    fn from(status: tonic::Status) -> Self {
        let details =
            <tonic::Status as tonic_types::StatusExt>::get_details_bad_request(&status).map(|bad| {
                bad.field_violations
                    .into_iter()
                    .map(|v| FieldViolation { field: v.field, message: v.description })
                    .collect()
            });
        let mut error = Self::new(http_status(status.code()), code_name(status.code()), status.message());
        error.body.details = details;
        // The service's hint for when to retry travels on as the HTTP header of the same name.
        error.retry_after = status
            .metadata()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .filter(|v| v.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_string);
        error
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body)).into_response();
        if let Some(seconds) = self.retry_after.and_then(|s| http::HeaderValue::from_str(&s).ok()) {
            response.headers_mut().insert(http::header::RETRY_AFTER, seconds);
        }
        response
    }
}

/// The errors every guarded route may answer: bad input, no token, refused, a host not served,
/// Kubernetes unreachable.
#[derive(IntoResponses)]
#[allow(dead_code)] // Describes responses in the OpenAPI document; never built.
pub enum CommonErrors {
    /// Invalid input; for a body that does not fit, `details` names the field
    #[response(status = 400)]
    BadRequest(ErrorBody),
    /// Missing or wrong API token
    #[response(status = 401)]
    Unauthenticated(ErrorBody),
    /// Refused: by Kubernetes RBAC, the namespace allow-list, a setting only the operator (admin token)
    /// may change, or a form sent from a cross-site page
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// The `Host` is not served: not localhost, an IP address or a name in --allowed-hosts
    #[response(status = 421)]
    Misdirected(ErrorBody),
    /// Kubernetes unreachable
    #[response(status = 503)]
    Unavailable(ErrorBody),
}

/// The errors every route that reads a body may also answer. The body is read as JSON whether it is
/// labelled `application/json`, a form, `text/plain` or not at all.
#[derive(IntoResponses)]
#[allow(dead_code)] // Describes responses in the OpenAPI document; never built.
pub enum BodyErrors {
    /// Body too large
    #[response(status = 413)]
    TooLarge(ErrorBody),
    /// Another content type, or a body labelled as a form or text that is not JSON
    #[response(status = 415)]
    UnsupportedMediaType(ErrorBody),
}

/// The answer for a named object that does not exist.
#[derive(IntoResponses)]
#[response(status = 404, description = "No such object")]
#[allow(dead_code)] // Describes a response in the OpenAPI document; never built.
pub struct NoSuchObject(ErrorBody);

#[cfg(test)]
mod retry_tests {
    use super::*;

    #[test]
    fn a_capped_caller_gets_429_with_the_services_retry_after() {
        let mut status = tonic::Status::resource_exhausted("this caller already has 64 open pod watches");
        status.metadata_mut().insert("retry-after", tonic::metadata::MetadataValue::from_static("5"));
        let response = ApiError::from(status).into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            response.headers().get(http::header::RETRY_AFTER).and_then(|v| v.to_str().ok()),
            Some("5")
        );
    }
}
