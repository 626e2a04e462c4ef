//! Pieces of the bodies several route families send: `{success: true}`, a Kubernetes object spliced in
//! as the service sent it, and the age of an object.
//!
//! Every body type declares its fields in the alphabetical order of their JSON keys: the bodies were
//! first written as sorted JSON maps, and declaring them so keeps every byte of every body the same.

use axum::Json;
use serde::Serialize;
use serde_json::value::RawValue;
use utoipa::ToSchema;

use crate::error::ApiError;

/// What a route answers: its body as JSON, or an error.
pub type Reply<T> = Result<Json<T>, ApiError>;

/// `{success: true}`.
#[derive(Serialize, ToSchema)]
pub struct Success {
    success: bool,
}

/// The answer of a route that did what it was asked and has nothing more to say.
pub const SUCCESS: Success = Success { success: true };

/// A Kubernetes object's JSON, as the service sent it, to splice into a body without parsing it into
/// values and encoding it again. The service sends JSON objects it serialized itself; anything else
/// (never expected) becomes `null` rather than a body that is not JSON.
pub fn raw_object(object_json: String) -> Option<Box<RawValue>> {
    let inner = object_json.trim();
    if !(inner.starts_with('{') && inner.ends_with('}')) {
        return None;
    }
    RawValue::from_string(object_json).ok()
}

/// Milliseconds from `since` to now, never negative; 0 without a time.
pub fn age_millis(since: Option<&prost_types::Timestamp>) -> i64 {
    let Some(since) = since else { return 0 };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    now.saturating_sub(kubegate_proto::convert::timestamp_to_millis(since)).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_are_spliced_verbatim_and_anything_else_is_null() {
        let spliced = |json: &str| serde_json::to_string(&raw_object(json.to_string())).expect("serializes");
        assert_eq!(spliced(" {\"kind\": \"Pod\",\"spec\":{}}\n"), "{\"kind\": \"Pod\",\"spec\":{}}");
        assert_eq!(spliced(""), "null");
        assert_eq!(spliced("[1]"), "null");
        assert_eq!(spliced("{not json}"), "null");
    }

    #[test]
    fn ages_are_milliseconds_up_to_now_and_never_negative() {
        assert_eq!(age_millis(None), 0);
        let future = prost_types::Timestamp { seconds: i64::MAX / 1000, nanos: 0 };
        assert_eq!(age_millis(Some(&future)), 0);
        let epoch = prost_types::Timestamp { seconds: 0, nanos: 0 };
        assert!(age_millis(Some(&epoch)) > 1_700_000_000_000);
    }
}
