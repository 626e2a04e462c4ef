//! Tool results: JSON text sized for a model's context, and failures as tool errors (`isError: true`)
//! naming the gRPC code and a one-line reason, so a model reads what went wrong instead of the client
//! seeing a transport failure.

use rmcp::model::{CallToolResult, ContentBlock};
use serde_json::Value;

use crate::output;

/// What a model can do about a failed call, by gRPC code.
fn advice(code: tonic::Code) -> &'static str {
    use tonic::Code;
    match code {
        Code::InvalidArgument | Code::OutOfRange => "fix the named argument and call again",
        Code::NotFound => "check the name and namespace (list_pods, list_services, list_previews)",
        Code::AlreadyExists => "pick another name, or delete the existing object first",
        Code::FailedPrecondition => {
            "the object is not in a state that allows this yet (for example a pod that is not running): check it with get_pod and retry"
        }
        Code::PermissionDenied => "kubegate's policy refuses this; do not retry it as is",
        Code::Unauthenticated => {
            "kubegate refused the API token; this needs a person to fix the configuration"
        }
        Code::ResourceExhausted => "too many calls of this kind are open; wait and retry",
        Code::Unavailable => {
            "kubegate or Kubernetes is not reachable right now; retry shortly, or call test_connection"
        }
        Code::DeadlineExceeded => "it took too long; retry with a longer timeout",
        Code::Cancelled => "the call was cancelled",
        _ => "an unexpected failure; retry once, then report it",
    }
}

/// The `SCREAMING_CASE` name of a gRPC code, as the REST API and the docs spell it.
pub use kubegate_proto::convert::code_name;

/// A message squeezed onto one line.
fn one_line(message: &str) -> String {
    let line = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() { "no reason given".into() } else { line }
}

/// A failed gRPC call as a tool error: `CODE: reason (what to do)`.
pub fn status(status: &tonic::Status) -> CallToolResult {
    failure(status.code(), status.message())
}

/// A tool error with a gRPC code and a reason.
pub fn failure(code: tonic::Code, reason: &str) -> CallToolResult {
    let text = format!("{}: {} ({})", code_name(code), one_line(reason), advice(code));
    CallToolResult::error(vec![ContentBlock::text(text)])
}

/// A successful result: compact JSON, cut in the middle past `limit` bytes as a last resort (the tools
/// cut their long text fields first, so this only happens to very long listings).
pub fn json(value: &Value, limit: usize) -> CallToolResult {
    let text = value.to_string();
    let text = output::cut_middle(
        &text,
        limit,
        "the listing is too long: ask for fewer items (page_size, label_selector) and continue with page_token",
    );
    CallToolResult::success(vec![ContentBlock::text(text.into_owned())])
}

/// The result of a call that returns nothing.
pub fn done(what: String) -> CallToolResult {
    CallToolResult::success(vec![ContentBlock::text(what)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_code_on_one_line() {
        let result = status(&tonic::Status::not_found("pod \"web\"\nnot found"));
        assert_eq!(result.is_error, Some(true));
        let text = serde_json::to_value(&result.content).expect("json").to_string();
        assert!(text.contains("NOT_FOUND: pod \\\"web\\\" not found ("), "{text}");
    }
}
