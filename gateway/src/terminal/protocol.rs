//! The terminal's browser protocol: what a browser's text frame means (keystrokes, or a control message
//! only when it is a JSON object of a known `type`), how output is decoded across chunks, and the
//! messages and close frames the browser is sent.

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes};
use kubegate_proto::v1 as pb;
use serde::Serialize;
use serde_json::Value;

use crate::error::{code_name, http_status};

/// Keeps bytes of a character split across chunks until the rest arrives.
#[derive(Default)]
pub struct Utf8Carry {
    pending: Vec<u8>,
}

impl Utf8Carry {
    /// Decodes what is complete; invalid bytes become U+FFFD, an unfinished character waits.
    pub fn push(&mut self, data: &[u8]) -> String {
        self.pending.extend_from_slice(data);
        let mut out = String::with_capacity(self.pending.len());
        let mut rest: &[u8] = &self.pending;
        loop {
            match std::str::from_utf8(rest) {
                Ok(valid) => {
                    out.push_str(valid);
                    rest = &[];
                    break;
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                    match e.error_len() {
                        Some(bad) => {
                            out.push(char::REPLACEMENT_CHARACTER);
                            rest = &after[bad..];
                        }
                        None => {
                            rest = after;
                            break;
                        }
                    }
                }
            }
        }
        self.pending = rest.to_vec();
        out
    }
}

/// A message from the browser, classified.
#[derive(Debug, PartialEq)]
pub enum Inbound {
    /// Input for the session: stdin, a resize or a signal.
    Input(pb::ExecInput),
    /// A control message that was malformed: reported to the browser, not typed into the shell.
    Invalid(String),
}

/// Input of one kind for the session.
pub fn input(kind: pb::exec_input::Kind) -> Inbound {
    Inbound::Input(pb::ExecInput { kind: Some(kind) })
}

/// Only a JSON object whose `type` is a known control type is a control message; anything else
/// (`5`, `true`, `"x"`, `ls -l`) is typed into the shell as it is.
pub fn classify_text(text: &str) -> Inbound {
    let control = serde_json::from_str::<serde_json::Map<String, Value>>(text)
        .ok()
        .filter(|m| matches!(m.get("type").and_then(Value::as_str), Some("resize" | "signal")));
    let Some(message) = control else {
        return input(pb::exec_input::Kind::Stdin(text.as_bytes().to_vec()));
    };
    let number = |key: &str| {
        message.get(key).and_then(Value::as_u64).filter(|v| (1..=65535).contains(v)).map(|v| v as u32)
    };
    match message.get("type").and_then(Value::as_str) {
        Some("resize") => match (number("cols"), number("rows")) {
            (Some(cols), Some(rows)) => input(pb::exec_input::Kind::Resize(pb::TerminalSize { cols, rows })),
            _ => Inbound::Invalid("resize needs cols and rows from 1 to 65535".into()),
        },
        _ => match message.get("signal").and_then(Value::as_str) {
            Some("interrupt" | "INT" | "SIGINT") => {
                input(pb::exec_input::Kind::Signal(pb::ExecSignal::Interrupt as i32))
            }
            Some("terminate" | "TERM" | "SIGTERM") => {
                input(pb::exec_input::Kind::Signal(pb::ExecSignal::Terminate as i32))
            }
            Some("kill" | "KILL" | "SIGKILL") => {
                input(pb::exec_input::Kind::Signal(pb::ExecSignal::Kill as i32))
            }
            _ => Inbound::Invalid("signal must be interrupt, terminate or kill".into()),
        },
    }
}

/// A JSON message to the browser. It serializes its own fields; [`text`] adds its `type` after them
/// (every field name sorts before `type`, so each message keeps the sorted key order it always had).
#[derive(Serialize)]
#[serde(untagged)]
pub enum Notice<'a> {
    /// `{"type":"session","sessionId",…}`: the session the terminal is attached to.
    #[serde(rename_all = "camelCase")]
    Session { command: &'a [String], container: &'a str, offset: u64, session_id: &'a str },
    /// `{"type":"gap",…}`: output between the two offsets was lost before a reattach.
    #[serde(rename_all = "camelCase")]
    Gap { requested_offset: u64, resumed_offset: u64 },
    /// `{"type":"exit","code"}`: the command ended; `reason` and `message` when it did not exit itself.
    Exit {
        code: Option<i32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        message: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<&'static str>,
    },
    /// `{"type":"error","code","message"}`: the session failed, or a control message was malformed.
    Error { code: &'static str, message: &'a str },
}

impl Notice<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Notice::Session { .. } => "session",
            Notice::Gap { .. } => "gap",
            Notice::Exit { .. } => "exit",
            Notice::Error { .. } => "error",
        }
    }
}

/// A notice with its `type` after its fields.
#[derive(Serialize)]
struct Typed<'a, T> {
    #[serde(flatten)]
    fields: &'a T,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// A text frame holding a notice.
pub fn text(notice: &Notice<'_>) -> Message {
    // Only strings and numbers: encoding cannot fail, and a bare type beats a panic.
    let json = serde_json::to_string(&Typed { fields: notice, kind: notice.kind() })
        .unwrap_or_else(|_| format!("{{\"type\":\"{}\"}}", notice.kind()));
    Message::Text(Utf8Bytes::from(json))
}

/// A close frame; a close reason may hold at most 123 bytes, so a long one is cut (on a character).
pub fn close(code: u16, reason: &str) -> Message {
    let mut reason = reason.to_string();
    while reason.len() > 120 {
        reason.pop();
    }
    Message::Close(Some(CloseFrame { code, reason: Utf8Bytes::from(reason) }))
}

/// The error message and close frame of a failed session: the close code is 4000 + the HTTP status
/// (4404 no such pod, 4403 refused, …).
pub fn failure(status: &tonic::Status) -> (Message, Message) {
    let code = 4000 + http_status(status.code()).as_u16().min(999);
    (
        text(&Notice::Error { code: code_name(status.code()), message: status.message() }),
        close(code, status.message()),
    )
}

/// The full name of why a session ended, as the exit message carries it.
pub fn end_reason(reason: i32) -> &'static str {
    pb::ExecEndReason::try_from(reason).map(|r| r.as_str_name()).unwrap_or("EXEC_END_REASON_UNSPECIFIED")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_json_objects_are_control_messages() {
        let stdin = |s: &str| input(pb::exec_input::Kind::Stdin(s.as_bytes().to_vec()));
        for typed in ["5", "true", "\"x\"", "null", "[1]", "{\"type\":\"other\"}", "ls -l\r", "{"] {
            assert_eq!(classify_text(typed), stdin(typed), "{typed}");
        }
        assert_eq!(
            classify_text(r#"{"type":"resize","cols":120,"rows":40}"#),
            input(pb::exec_input::Kind::Resize(pb::TerminalSize { cols: 120, rows: 40 }))
        );
        assert!(matches!(classify_text(r#"{"type":"resize","cols":0,"rows":40}"#), Inbound::Invalid(_)));
        assert_eq!(
            classify_text(r#"{"type":"signal","signal":"interrupt"}"#),
            input(pb::exec_input::Kind::Signal(pb::ExecSignal::Interrupt as i32))
        );
    }

    #[test]
    fn characters_split_across_chunks_arrive_whole() {
        let mut carry = Utf8Carry::default();
        let euro = "€".as_bytes();
        assert_eq!(carry.push(&[b'a', euro[0]]), "a");
        assert_eq!(carry.push(&euro[1..2]), "");
        assert_eq!(carry.push(&[euro[2], b'b']), "€b");
        assert_eq!(carry.push(&[0xff, b'c']), "\u{fffd}c");
    }

    #[test]
    fn notices_have_their_type_after_their_sorted_keys() {
        let text_of = |notice: &Notice<'_>| match text(notice) {
            Message::Text(t) => t.as_str().to_string(),
            other => panic!("not text: {other:?}"),
        };
        assert_eq!(
            text_of(&Notice::Session { command: &["sh".into()], container: "c", offset: 3, session_id: "s" }),
            r#"{"command":["sh"],"container":"c","offset":3,"sessionId":"s","type":"session"}"#
        );
        assert_eq!(
            text_of(&Notice::Exit { code: None, message: Some("m"), reason: Some("EXEC_END_REASON_KILLED") }),
            r#"{"code":null,"message":"m","reason":"EXEC_END_REASON_KILLED","type":"exit"}"#
        );
        assert_eq!(
            text_of(&Notice::Gap { requested_offset: 1, resumed_offset: 9 }),
            r#"{"requestedOffset":1,"resumedOffset":9,"type":"gap"}"#
        );
    }

    #[test]
    fn failures_close_with_4000_plus_the_http_status_and_a_short_reason() {
        let (message, closing) = failure(&tonic::Status::not_found("no pod p"));
        assert_eq!(
            message,
            Message::Text(Utf8Bytes::from(r#"{"code":"NOT_FOUND","message":"no pod p","type":"error"}"#))
        );
        assert_eq!(closing, close(4404, "no pod p"));
        let Message::Close(Some(frame)) = close(1000, &"é".repeat(100)) else { panic!("a close frame") };
        assert!(frame.reason.len() <= 120);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 4096, failure_persistence: None, ..Default::default() })]

        /// Whatever a browser types, a frame is classified without a panic, and only a JSON object
        /// naming a known `type` is ever taken as control.
        #[test]
        fn any_text_frame_is_classified_and_only_typed_objects_control(text in ".{0,64}") {
            let inbound = classify_text(&text);
            let is_object = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&text).is_ok();
            if !is_object {
                let typed = matches!(
                    inbound,
                    Inbound::Input(pb::ExecInput { kind: Some(pb::exec_input::Kind::Stdin(ref bytes)) }) if bytes == text.as_bytes()
                );
                proptest::prop_assert!(typed, "{text:?} was not sent to the shell as typed");
            }
        }

        /// Control frames with any numbers or signal names are handled without a panic.
        #[test]
        fn any_control_frame_is_handled(cols in proptest::prelude::any::<i64>(), rows in proptest::prelude::any::<i64>(), signal in ".{0,12}") {
            let _ = classify_text(&format!(r#"{{"type":"resize","cols":{cols},"rows":{rows}}}"#));
            let _ = classify_text(&format!(r#"{{"type":"signal","signal":{}}}"#, serde_json::Value::from(signal)));
        }
    }
}
