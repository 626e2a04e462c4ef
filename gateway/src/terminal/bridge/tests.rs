//! The bridge on channels: a browser made of two `futures` channels, a service made of an event channel
//! and the input queue.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::ws::{Message, Utf8Bytes};
use futures::StreamExt as _;
use futures::channel::mpsc::{UnboundedReceiver, UnboundedSender, unbounded};
use kubegate_proto::v1 as pb;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::{Outcome, Session, Watch, bridge};
use crate::terminal::protocol::close;

/// One terminal on channels, its bridge running on a task.
struct Terminal {
    /// What the browser types.
    browser: UnboundedSender<Result<Message, Infallible>>,
    /// What the browser is sent.
    screen: UnboundedReceiver<Message>,
    /// What the service sends.
    service: UnboundedSender<Result<pb::ExecEvent, tonic::Status>>,
    /// What reaches the service.
    stdin: mpsc::Receiver<pb::ExecInput>,
    bridge: tokio::task::JoinHandle<Outcome>,
}

fn terminal() -> Terminal {
    let (browser, from_browser) = unbounded();
    let (to_browser, screen) = unbounded();
    let (service, events) = unbounded();
    let (input, stdin) = mpsc::channel(8);
    let session = Session { events: Box::pin(events), input, id: None, offset: 0 };
    let watch = Watch { ping_interval: Duration::from_secs(3600), shutdown: CancellationToken::new() };
    let bridge = tokio::spawn(bridge(to_browser, from_browser, session, watch));
    Terminal { browser, screen, service, stdin, bridge }
}

fn event(kind: pb::exec_event::Kind) -> Result<pb::ExecEvent, tonic::Status> {
    Ok(pb::ExecEvent { kind: Some(kind) })
}

fn output(data: &[u8]) -> Result<pb::ExecEvent, tonic::Status> {
    event(pb::exec_event::Kind::Stdout(pb::OutputChunk {
        data: bytes::Bytes::copy_from_slice(data),
        ..Default::default()
    }))
}

fn typed(text: &str) -> Result<Message, Infallible> {
    Ok(Message::Text(Utf8Bytes::from(text)))
}

fn text(message: Option<Message>) -> String {
    match message {
        Some(Message::Text(t)) => t.as_str().to_string(),
        other => panic!("expected a text frame, got {other:?}"),
    }
}

impl Terminal {
    async fn next_input(&mut self) -> Option<pb::exec_input::Kind> {
        let next = tokio::time::timeout(Duration::from_secs(5), self.stdin.recv()).await;
        next.expect("input within 5 s").and_then(|i| i.kind)
    }

    async fn next_frame(&mut self) -> Option<Message> {
        tokio::time::timeout(Duration::from_secs(5), self.screen.next()).await.expect("a frame within 5 s")
    }
}

#[tokio::test]
async fn a_keystroke_text_frame_becomes_stdin() {
    let mut t = terminal();
    t.browser.unbounded_send(typed("ls -l\r")).expect("send");
    assert_eq!(t.next_input().await, Some(pb::exec_input::Kind::Stdin(b"ls -l\r".to_vec())));
}

#[tokio::test]
async fn a_resize_message_becomes_a_resize() {
    let mut t = terminal();
    t.browser.unbounded_send(typed(r#"{"type":"resize","cols":132,"rows":43}"#)).expect("send");
    assert_eq!(
        t.next_input().await,
        Some(pb::exec_input::Kind::Resize(pb::TerminalSize { cols: 132, rows: 43 }))
    );
}

#[tokio::test]
async fn a_typed_number_reaches_stdin_not_the_control_channel() {
    let mut t = terminal();
    t.browser.unbounded_send(typed("5")).expect("send");
    assert_eq!(t.next_input().await, Some(pb::exec_input::Kind::Stdin(b"5".to_vec())));
}

#[tokio::test]
async fn a_malformed_control_message_is_answered_not_typed() {
    let mut t = terminal();
    t.browser.unbounded_send(typed(r#"{"type":"resize","cols":0,"rows":43}"#)).expect("send");
    t.browser.unbounded_send(typed("x")).expect("send");
    assert_eq!(
        text(t.next_frame().await),
        r#"{"code":"INVALID_ARGUMENT","message":"resize needs cols and rows from 1 to 65535","type":"error"}"#
    );
    assert_eq!(t.next_input().await, Some(pb::exec_input::Kind::Stdin(b"x".to_vec())));
}

#[tokio::test]
async fn output_split_inside_a_character_is_delivered_whole() {
    let mut t = terminal();
    let euro = "€".as_bytes();
    t.service.unbounded_send(output(&[b'a', euro[0]])).expect("send");
    t.service.unbounded_send(output(&euro[1..2])).expect("send");
    t.service.unbounded_send(output(&[euro[2], b'b'])).expect("send");
    assert_eq!(text(t.next_frame().await), "a");
    assert_eq!(text(t.next_frame().await), "€b");
}

#[tokio::test]
async fn the_session_is_announced_and_the_exit_closes_with_1000() {
    let mut t = terminal();
    let started =
        pb::ExecStarted { session_id: "s-1".into(), container: "runner".into(), command: vec!["sh".into()] };
    t.service.unbounded_send(event(pb::exec_event::Kind::Started(started))).expect("send");
    t.service.unbounded_send(output(b"bye\n")).expect("send");
    let exit = pb::ExecExit { reason: pb::ExecEndReason::Exited as i32, exit_code: 3, ..Default::default() };
    t.service.unbounded_send(event(pb::exec_event::Kind::Exit(exit))).expect("send");
    assert_eq!(
        text(t.next_frame().await),
        r#"{"command":["sh"],"container":"runner","offset":0,"sessionId":"s-1","type":"session"}"#
    );
    assert_eq!(text(t.next_frame().await), "bye\n");
    assert_eq!(text(t.next_frame().await), r#"{"code":3,"type":"exit"}"#);
    assert_eq!(t.next_frame().await, Some(close(1000, "exited")));
    assert_eq!(t.bridge.await.expect("bridge"), Outcome::Ended);
}

#[tokio::test]
async fn a_session_that_fails_closes_with_4000_plus_the_http_status() {
    let mut t = terminal();
    t.service.unbounded_send(Err(tonic::Status::not_found("pod p not found"))).expect("send");
    assert_eq!(
        text(t.next_frame().await),
        r#"{"code":"NOT_FOUND","message":"pod p not found","type":"error"}"#
    );
    assert_eq!(t.next_frame().await, Some(close(4404, "pod p not found")));
}

#[tokio::test]
async fn a_browser_that_closes_leaves_cleanly_with_its_session() {
    let mut t = terminal();
    let started = pb::ExecStarted { session_id: "s-2".into(), ..Default::default() };
    t.service.unbounded_send(event(pb::exec_event::Kind::Started(started))).expect("send");
    let _ = t.next_frame().await;
    t.browser.unbounded_send(Ok(Message::Close(None))).expect("send");
    assert_eq!(
        t.bridge.await.expect("bridge"),
        Outcome::Left { cleanly: true, session_id: Some("s-2".into()) }
    );
}

#[tokio::test]
async fn output_that_parses_as_json_goes_out_with_output_already_there() {
    let (browser, from_browser) = unbounded::<Result<Message, Infallible>>();
    let (to_browser, mut screen) = unbounded();
    let (service, events) = unbounded();
    let (input, _stdin) = mpsc::channel(8);
    // The echo of a typed `5` and the prompt after it have both arrived before the bridge reads them.
    service.unbounded_send(output(b"5")).expect("send");
    service.unbounded_send(output(b"\r\n$ ")).expect("send");
    let session = Session { events: Box::pin(events), input, id: None, offset: 0 };
    let watch = Watch { ping_interval: Duration::from_secs(3600), shutdown: CancellationToken::new() };
    let running = tokio::spawn(bridge(to_browser, from_browser, session, watch));
    let frame = tokio::time::timeout(Duration::from_secs(5), screen.next()).await.expect("a frame");
    assert_eq!(text(frame), "5\r\n$ ", "one frame, which the original's client does not take for JSON");
    // Alone, it still goes out at once (never held back waiting for more).
    service.unbounded_send(output(b"7")).expect("send");
    let frame = tokio::time::timeout(Duration::from_secs(5), screen.next()).await.expect("a frame");
    assert_eq!(text(frame), "7");
    drop(browser);
    running.abort();
}
