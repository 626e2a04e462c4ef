//! The core's error as a gRPC status: one exhaustive mapping, field violations as `BadRequest` details,
//! internal details logged and never sent.

use kubegate_core::error::{Error, describe};
use tonic::{Code, Status};

/// The stream type of every server-streaming RPC.
pub type ResponseStream<T> =
    std::pin::Pin<Box<dyn futures::Stream<Item = Result<T, Status>> + Send + 'static>>;

/// The gRPC code of an error. There is no catch-all arm: a new variant forces a decision here.
pub fn code(error: &Error) -> Code {
    match error {
        Error::InvalidArgument(_) => Code::InvalidArgument,
        Error::NotFound(_) => Code::NotFound,
        Error::AlreadyExists(_) => Code::AlreadyExists,
        Error::Conflict(_) => Code::Aborted,
        Error::PermissionDenied(_) => Code::PermissionDenied,
        Error::Unauthenticated(_) => Code::Unauthenticated,
        Error::FailedPrecondition(_) => Code::FailedPrecondition,
        Error::ResourceExhausted(_) => Code::ResourceExhausted,
        Error::Unavailable(_) | Error::Transport { .. } => Code::Unavailable,
        Error::DeadlineExceeded(_) => Code::DeadlineExceeded,
        Error::Cancelled(_) => Code::Cancelled,
        Error::Unimplemented(_) => Code::Unimplemented,
        Error::Internal(_) => Code::Internal,
    }
}

/// The status a caller receives for an error.
pub fn status(error: Error) -> Status {
    let code = code(&error);
    match error {
        Error::InvalidArgument(violations) => {
            let mut details = tonic_types::ErrorDetails::new();
            for v in &violations {
                details.add_bad_request_violation(v.field.clone(), v.description.clone());
            }
            let message = format!("invalid request: {}", describe(&violations));
            <Status as tonic_types::StatusExt>::with_error_details(code, message, details)
        }
        Error::Internal(message) => {
            tracing::error!(%message, "internal error");
            Status::internal("internal error; the details are in the service's log")
        }
        other => Status::new(code, other.to_string()),
    }
}

/// `?` on a core result inside a handler: `.grpc()?`.
pub trait Grpc<T> {
    /// The result with its error as a status.
    fn grpc(self) -> Result<T, Status>;
}

impl<T> Grpc<T> for kubegate_core::Result<T> {
    fn grpc(self) -> Result<T, Status> {
        self.map_err(status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_violations_travel_as_bad_request_details() {
        let s = status(Error::invalid("pod.image", "is required"));
        assert_eq!(s.code(), Code::InvalidArgument);
        let details = <Status as tonic_types::StatusExt>::get_error_details(&s);
        let bad = details.bad_request().expect("bad request details");
        assert_eq!(bad.field_violations[0].field, "pod.image");
        assert!(s.message().contains("pod.image: is required"));
    }

    #[test]
    fn internal_details_stay_in_the_log() {
        let s = status(Error::Internal("secret path /etc/x".into()));
        assert_eq!(s.code(), Code::Internal);
        assert!(!s.message().contains("/etc/x"));
    }

    #[test]
    fn a_conflict_is_aborted_so_callers_retry() {
        assert_eq!(code(&Error::Conflict("rv".into())), Code::Aborted);
    }
}
