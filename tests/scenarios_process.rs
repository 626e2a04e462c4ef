//! Scenarios that need a process in the pod (the embedded cluster and a real node; not kwok's simulated
//! node, where `e2e.sh` skips the `scenario_process_` names): exec exit codes and stdin, a terminal session
//! with resize and reattach from an offset, the terminal WebSocket, followed logs across a cut connection.

mod support;

use std::time::Duration;

use futures::{SinkExt as _, StreamExt as _};
use kubegate_proto::v1::*;
use support::ScenarioStack;
use support::exec::{events, input};
use tokio_stream::wrappers::ReceiverStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

fn argv(a: &[&str]) -> Vec<String> {
    a.iter().map(|x| x.to_string()).collect()
}

/// Reads events until the exit (or the end of the stream), with a deadline.
async fn collect(
    mut events: impl futures::Stream<Item = Result<ExecEvent, tonic::Status>> + Unpin,
    until: Option<&str>,
) -> (Vec<u8>, Option<ExecExit>) {
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while let Ok(Some(Ok(event))) = tokio::time::timeout_at(deadline, events.next()).await {
        match event.kind {
            Some(exec_event::Kind::Stdout(c) | exec_event::Kind::Stderr(c)) => out.extend(c.data),
            Some(exec_event::Kind::Exit(exit)) => return (out, Some(exit)),
            _ => {}
        }
        if until.is_some_and(|u| String::from_utf8_lossy(&out).contains(u)) {
            return (out, None);
        }
    }
    (out, None)
}

async fn open(
    s: &ScenarioStack,
    start: ExecStart,
) -> (support::exec::Requests, tonic::Streaming<ExecStreamResponse>, String) {
    support::exec::open(s.exec(), start).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_process_exec_exit_codes_and_stdin() {
    let s = ScenarioStack::start().await;
    let name = "sc-codes";
    s.running(name, &["sleep", "600"], &[]).await;
    let mut exec = s.exec();
    for (script, code) in [("true", 0), ("exit 1", 1), ("exit 3", 3), ("no-such-command-here", 127)] {
        let answer = exec
            .exec(ExecRequest {
                pod: name.into(),
                command: argv(&["sh", "-c", script]),
                ..Default::default()
            })
            .await
            .expect("exec")
            .into_inner();
        assert_eq!((answer.exit_code, answer.end_reason), (code, ExecEndReason::Exited as i32), "{script}");
    }
    // stdin to its end: the command sees EOF and finishes.
    let start = ExecStart {
        pod: name.into(),
        command: argv(&["sh", "-c", "wc -c; echo eof-seen; exit 5"]),
        stdin: true,
        ..Default::default()
    };
    let (tx, responses, _) = open(&s, start).await;
    tx.send(input(exec_input::Kind::Stdin(b"twelve bytes".to_vec()))).await.expect("stdin");
    tx.send(input(exec_input::Kind::CloseStdin(true))).await.expect("eof");
    let (out, exit) = collect(events(responses), None).await;
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains("12\n") && text.contains("eof-seen\n"), "{text:?}");
    assert_eq!(exit.map(|e| e.exit_code), Some(5));
    s.delete(name).await;
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_process_terminal_session_resizes_and_reattaches_from_an_offset() {
    let s = ScenarioStack::start().await;
    let name = "sc-tty";
    s.running(name, &["sleep", "600"], &[]).await;
    let start = ExecStart {
        pod: name.into(),
        command: argv(&[
            "sh",
            "-c",
            "stty size; read x; stty size; for i in 1 2 3 4 5 6; do echo line-$i; sleep 0.3; done; exit 4",
        ]),
        stdin: true,
        tty: true,
        terminal_size: Some(TerminalSize { cols: 100, rows: 30 }),
        ..Default::default()
    };
    let (tx, responses, session) = open(&s, start).await;
    let mut responses = events(responses);
    let (mut seen, _) = collect(&mut responses, Some("30 100")).await;
    tx.send(input(exec_input::Kind::Resize(TerminalSize { cols: 132, rows: 43 }))).await.expect("resize");
    tokio::time::sleep(Duration::from_millis(300)).await;
    tx.send(input(exec_input::Kind::Stdin(b"\n".to_vec()))).await.expect("enter");
    let (more, _) = collect(&mut responses, Some("line-1")).await;
    seen.extend(more);
    // Vanish mid-output, then reattach from the offset of the last byte received.
    drop(responses);
    drop(tx);
    tokio::time::sleep(Duration::from_millis(700)).await;
    let (atx, arx) = tokio::sync::mpsc::channel(4);
    let attach = ExecAttach { session_id: session, offset: seen.len() as u64 };
    atx.send(AttachExecSessionRequest { kind: Some(attach_exec_session_request::Kind::Attach(attach)) })
        .await
        .expect("attach");
    let reattached = s.exec().attach_exec_session(ReceiverStream::new(arx)).await.expect("reattach");
    let (rest, exit) =
        collect(reattached.into_inner().map(|r| r.map(|r| r.event.unwrap_or_default())), None).await;
    seen.extend(rest);
    let text = String::from_utf8_lossy(&seen).replace('\r', "");
    assert!(text.contains("43 132"), "the resize reached the terminal: {text:?}");
    let lines: Vec<_> = text.lines().filter(|l| l.starts_with("line-")).collect();
    assert_eq!(lines, ["line-1", "line-2", "line-3", "line-4", "line-5", "line-6"], "nothing lost or twice");
    assert_eq!(exit.map(|e| e.exit_code), Some(4));
    drop(atx);
    s.delete(name).await;
    s.stop().await;
}

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Reads text frames until `done` holds for what was read; returns (output, control messages, close code).
async fn read_ws(
    ws: &mut Socket,
    out: &mut String,
    control: &mut Vec<serde_json::Value>,
    done: impl Fn(&str, &[serde_json::Value]) -> bool,
) -> Option<u16> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !done(out, control) {
        match tokio::time::timeout_at(deadline, ws.next()).await {
            Ok(Some(Ok(Message::Text(t)))) => match serde_json::from_str::<serde_json::Value>(t.as_str()) {
                Ok(v) if v["type"].is_string() && v.is_object() => control.push(v),
                _ => out.push_str(t.as_str()),
            },
            Ok(Some(Ok(Message::Close(frame)))) => return Some(frame.map_or(1005, |f| u16::from(f.code))),
            Ok(Some(Ok(_))) => {}
            _ => panic!("the terminal stalled or broke; output {out:?}, control {control:?}"),
        }
    }
    None
}

async fn terminal(s: &ScenarioStack, query: &str) -> Socket {
    let url = format!("ws://{}/ws/kubernetes/exec?{query}", s.server.http_addr.expect("gateway"));
    let (ws, _) =
        tokio_tungstenite::connect_async(url.into_client_request().expect("request")).await.expect("opens");
    ws
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_process_terminal_websocket_types_resizes_reattaches_and_exits() {
    let s = ScenarioStack::start().await;
    let name = "sc-term";
    s.running(name, &["sleep", "600"], &[]).await;
    let mut ws = terminal(&s, &format!("pod={name}&namespace=opencode-manager&shell=/bin/sh")).await;
    let (mut out, mut control) = (String::new(), Vec::new());
    read_ws(&mut ws, &mut out, &mut control, |_, c| c.iter().any(|c| c["type"] == "session")).await;
    let session =
        control.iter().find_map(|c| c["sessionId"].as_str().map(str::to_string)).expect("session id");
    ws.send(Message::text(r#"{"type":"resize","cols":111,"rows":33}"#)).await.expect("resize");
    ws.send(Message::text("stty size; echo before-$((6*7))\r")).await.expect("type");
    read_ws(&mut ws, &mut out, &mut control, |o, _| o.contains("before-42\r\n")).await;
    assert!(out.contains("33 111"), "{out:?}");
    ws.send(Message::text("sleep 1; echo while-$((6*7))-gone\r")).await.expect("type");
    read_ws(&mut ws, &mut out, &mut control, |o, _| o.contains("sleep 1; echo")).await;
    let offset = out.len();
    drop(ws);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut again = terminal(&s, &format!("session={session}&offset={offset}")).await;
    let (mut rest, mut control2) = (String::new(), Vec::new());
    read_ws(&mut again, &mut rest, &mut control2, |o, _| o.contains("while-42-gone\r\n")).await;
    let whole = format!("{out}{rest}");
    assert_eq!(whole.matches("before-42\r\n").count(), 1, "{whole:?}");
    assert_eq!(whole.matches("while-42-gone\r\n").count(), 1, "{whole:?}");
    again.send(Message::text("exit 7\r")).await.expect("type");
    let closed = read_ws(&mut again, &mut rest, &mut control2, |_, _| false).await;
    assert_eq!(
        control2.iter().find(|c| c["type"] == "exit"),
        Some(&serde_json::json!({"type": "exit", "code": 7}))
    );
    assert_eq!(closed, Some(1000));
    s.delete(name).await;
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_process_followed_logs_resume_after_a_cut_without_repeats() {
    let s = ScenarioStack::start().await;
    let name = "sc-follow";
    s.running(name, &["sh", "-c", "sleep 1; for i in $(seq 1 40); do echo n$i; sleep 0.1; done"], &[]).await;
    let request = FollowPodLogsRequest { name: name.into(), ..Default::default() };
    let mut stream = s.pods().follow_pod_logs(request).await.expect("follow").into_inner();
    let (mut text, mut end, mut cut) = (String::new(), None, false);
    while let Some(item) =
        tokio::time::timeout(Duration::from_secs(30), stream.next()).await.expect("progress")
    {
        match item.expect("ok").event {
            Some(follow_pod_logs_response::Event::Data(data)) => {
                text.push_str(&String::from_utf8_lossy(&data));
                if !cut && text.lines().count() >= 8 {
                    s.cut();
                    cut = true;
                }
            }
            Some(follow_pod_logs_response::Event::End(reason)) => end = Some(reason),
            None => {}
        }
    }
    let expected: String = (1..=40).map(|i| format!("n{i}\n")).collect();
    assert!(cut, "the connection was cut while following");
    assert_eq!(text, expected, "every line once, in order, across the cut");
    assert_eq!(end, Some(LogEndReason::ContainerExited as i32));
    s.delete(name).await;
    s.stop().await;
}
