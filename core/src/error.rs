//! The one domain error of kubegate. The gRPC adapters map it exhaustively to status codes.

/// A field that failed validation, with the reason in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldViolation {
    /// The field's path in the request, for example `pod.labels["app"]`.
    pub field: String,
    /// Why the value was refused.
    pub description: String,
}

impl FieldViolation {
    /// A violation of `field` for `description`.
    pub fn new(field: impl Into<String>, description: impl Into<String>) -> Self {
        Self { field: field.into(), description: description.into() }
    }
}

/// Everything that can go wrong in kubegate's core. Every variant maps to exactly one gRPC code in the
/// service's adapter, with no catch-all arm, so a new variant forces a decision.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request is malformed; each bad field is named.
    #[error("invalid request: {}", describe(.0))]
    InvalidArgument(Vec<FieldViolation>),
    /// The object does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The object already exists.
    #[error("{0}")]
    AlreadyExists(String),
    /// A concurrent change conflicted with this one (Kubernetes 409 Conflict); retrying may succeed.
    #[error("{0}")]
    Conflict(String),
    /// Kubernetes or kubegate's policy refused the request.
    #[error("{0}")]
    PermissionDenied(String),
    /// The credentials were refused.
    #[error("{0}")]
    Unauthenticated(String),
    /// The object is not in a state that allows the request (for example exec into a finished pod).
    #[error("{0}")]
    FailedPrecondition(String),
    /// A limit was hit (sessions, sizes).
    #[error("{0}")]
    ResourceExhausted(String),
    /// Kubernetes could not be reached, or answered with a server error.
    #[error("{0}")]
    Unavailable(String),
    /// The way to Kubernetes failed (TLS, network); the cause is kept.
    #[error("{message}")]
    Transport {
        /// What kind of failure it was.
        problem: crate::connection::TransportProblem,
        /// The failure in words a user can act on.
        message: String,
        /// The failure as kube-rs reported it.
        #[source]
        source: Box<kube::Error>,
    },
    /// The operation did not finish in time.
    #[error("{0}")]
    DeadlineExceeded(String),
    /// The caller went away.
    #[error("{0}")]
    Cancelled(String),
    /// The capability is not built yet, or not available with the current configuration.
    #[error("{0}")]
    Unimplemented(String),
    /// A bug or an unexpected answer; details are logged, not sent.
    #[error("{0}")]
    Internal(String),
}

/// The violations in one line, as error messages show them.
pub fn describe(violations: &[FieldViolation]) -> String {
    violations.iter().map(|v| format!("{}: {}", v.field, v.description)).collect::<Vec<_>>().join("; ")
}

impl Error {
    /// A single-field validation error.
    pub fn invalid(field: impl Into<String>, description: impl Into<String>) -> Self {
        Self::InvalidArgument(vec![FieldViolation::new(field, description)])
    }
}

/// The result of a core operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<kube::Error> for Error {
    fn from(error: kube::Error) -> Self {
        match error {
            kube::Error::Api(status) => {
                let message = status.message.clone();
                match status.code {
                    400 | 422 => Self::InvalidArgument(vec![FieldViolation::new("kubernetes", message)]),
                    401 => Self::Unauthenticated(format!(
                        "Kubernetes refused the credentials ({message}): the token may be expired or wrong"
                    )),
                    403 => Self::PermissionDenied(message),
                    404 => Self::NotFound(message),
                    409 if status.reason == "AlreadyExists" => Self::AlreadyExists(message),
                    409 => Self::Conflict(message),
                    410 => Self::Conflict(message),
                    429 => Self::ResourceExhausted(message),
                    504 => Self::DeadlineExceeded(message),
                    _ => Self::Unavailable(format!("Kubernetes answered {}: {message}", status.code)),
                }
            }
            other => {
                let (problem, message) = crate::connection::classify_transport_error(&other);
                Self::Transport { problem, message, source: Box::new(other) }
            }
        }
    }
}
