//! Exec sessions over gRPC against the embedded cluster: the bidirectional stream, resize, reattach
//! from an offset, expiry, listing, limits, keepalives and signals.

mod support;

use std::time::Duration;

use futures::StreamExt as _;
use kubegate_proto::v1::*;
use tokio_stream::wrappers::ReceiverStream;
use tonic::Code;

use support::exec::{events, input};

async fn open_session(
    stack: &support::Stack,
    start: ExecStart,
) -> (support::exec::Requests, tonic::Streaming<ExecStreamResponse>, String) {
    support::exec::open(stack.exec(), start).await
}

/// Collects a session's output until its exit event.
async fn collect(
    mut responses: impl futures::Stream<Item = Result<ExecEvent, tonic::Status>> + Unpin,
) -> (Vec<u8>, Vec<u8>, Option<ExecExit>) {
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    while let Some(Ok(event)) = responses.next().await {
        match event.kind {
            Some(exec_event::Kind::Stdout(chunk)) => stdout.extend(chunk.data),
            Some(exec_event::Kind::Stderr(chunk)) => stderr.extend(chunk.data),
            Some(exec_event::Kind::Exit(exit)) => return (stdout, stderr, Some(exit)),
            _ => {}
        }
    }
    (stdout, stderr, None)
}

#[tokio::test]
async fn an_exec_stream_sends_stdin_to_the_end_and_returns_the_echo_and_exit_code() {
    let stack = support::stack().await;
    support::running_pod(&stack, "interactive", &[]).await;
    let start = ExecStart {
        pod: "interactive".into(),
        command: vec!["sh".into(), "-c".into(), "cat; exit 7".into()],
        stdin: true,
        ..Default::default()
    };
    let (tx, responses, _) = open_session(&stack, start).await;
    tx.send(input(exec_input::Kind::Stdin("€ split ".as_bytes()[..2].to_vec()))).await.expect("stdin");
    tx.send(input(exec_input::Kind::Stdin("€ split ".as_bytes()[2..].to_vec()))).await.expect("stdin");
    tx.send(input(exec_input::Kind::CloseStdin(true))).await.expect("eof");
    let (stdout, _, exit) =
        tokio::time::timeout(Duration::from_secs(10), collect(events(responses))).await.expect("ends");
    assert_eq!(stdout, "€ split ".as_bytes());
    let exit = exit.expect("exit");
    assert_eq!((exit.exit_code, exit.reason), (7, ExecEndReason::Exited as i32));
    stack.stop().await;
}

#[tokio::test]
async fn a_terminal_session_sees_its_resize() {
    let stack = support::stack().await;
    support::running_pod(&stack, "term", &[]).await;
    let start = ExecStart {
        pod: "term".into(),
        command: vec!["sh".into(), "-c".into(), "stty size; read x; stty size".into()],
        tty: true,
        terminal_size: Some(TerminalSize { cols: 100, rows: 30 }),
        ..Default::default()
    };
    let (tx, responses, _) = open_session(&stack, start).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    tx.send(input(exec_input::Kind::Resize(TerminalSize { cols: 132, rows: 43 }))).await.expect("resize");
    tokio::time::sleep(Duration::from_millis(200)).await;
    tx.send(input(exec_input::Kind::Stdin(b"\n".to_vec()))).await.expect("enter");
    let (stdout, stderr, exit) =
        tokio::time::timeout(Duration::from_secs(10), collect(events(responses))).await.expect("ends");
    let text = String::from_utf8_lossy(&stdout);
    assert!(text.contains("30 100"), "initial size: {text:?}");
    assert!(text.contains("43 132"), "after the resize: {text:?}");
    assert!(stderr.is_empty(), "a terminal merges stderr into stdout");
    assert_eq!(exit.map(|e| e.exit_code), Some(0));
    stack.stop().await;
}

#[tokio::test]
async fn a_client_that_disconnects_reattaches_and_gets_what_it_missed() {
    let stack = support::stack().await;
    support::running_pod(&stack, "resumable", &[]).await;
    let script = "for i in 1 2 3 4 5 6; do echo line-$i; sleep 0.25; done; exit 4";
    let start = ExecStart {
        pod: "resumable".into(),
        command: vec!["sh".into(), "-c".into(), script.into()],
        ..Default::default()
    };
    let (tx, mut responses, session) = open_session(&stack, start).await;
    // Read the first line, then vanish.
    let mut seen = Vec::new();
    while let Some(Ok(r)) = responses.next().await {
        if let Some(exec_event::Kind::Stdout(chunk)) = r.event.and_then(|e| e.kind) {
            seen.extend(chunk.data);
            break;
        }
    }
    let offset = seen.len() as u64;
    drop(responses);
    drop(tx);
    tokio::time::sleep(Duration::from_millis(800)).await;
    let listed =
        stack.exec().list_exec_sessions(ListExecSessionsRequest::default()).await.expect("list").into_inner();
    let state = listed.sessions.iter().find(|s| s.session_id == session).map(|s| s.state);
    assert_eq!(state, Some(ExecSessionState::Detached as i32));

    let (atx, arx) = tokio::sync::mpsc::channel(4);
    atx.send(AttachExecSessionRequest {
        kind: Some(attach_exec_session_request::Kind::Attach(ExecAttach {
            session_id: session.clone(),
            offset,
        })),
    })
    .await
    .expect("attach");
    let reattached =
        stack.exec().attach_exec_session(ReceiverStream::new(arx)).await.expect("reattach").into_inner();
    let (rest, _, exit) = tokio::time::timeout(
        Duration::from_secs(10),
        collect(reattached.map(|r| r.map(|r| r.event.unwrap_or_default()))),
    )
    .await
    .expect("ends");
    seen.extend(rest);
    let text = String::from_utf8_lossy(&seen);
    assert_eq!(text, "line-1\nline-2\nline-3\nline-4\nline-5\nline-6\n", "nothing lost, nothing twice");
    assert_eq!(exit.map(|e| e.exit_code), Some(4));
    drop(atx);
    stack.stop().await;
}

#[tokio::test]
async fn a_session_left_alone_expires_after_its_grace_period_and_its_process_is_gone() {
    let stack = support::stack().await;
    support::running_pod(&stack, "abandoned", &[]).await;
    let start = ExecStart {
        pod: "abandoned".into(),
        command: vec!["sh".into(), "-c".into(), "exec sleep 100.75".into()],
        detach_grace_period: Some(prost_types::Duration { seconds: 1, nanos: 0 }),
        ..Default::default()
    };
    let (tx, responses, session) = open_session(&stack, start).await;
    support::eventually(5, "the session's process to run", || async {
        support::process_running(&["sleep", "100.75"]).then_some(())
    })
    .await;
    drop(responses);
    drop(tx);
    support::eventually(10, "the process to be ended after the grace period", || async {
        (!support::process_running(&["sleep", "100.75"])).then_some(())
    })
    .await;
    let (atx, arx) = tokio::sync::mpsc::channel(1);
    atx.send(AttachExecSessionRequest {
        kind: Some(attach_exec_session_request::Kind::Attach(ExecAttach { session_id: session, offset: 0 })),
    })
    .await
    .expect("attach");
    support::eventually(5, "the session to be removed", || {
        let mut client = stack.exec();
        async move {
            let listed =
                client.list_exec_sessions(ListExecSessionsRequest::default()).await.ok()?.into_inner();
            listed.sessions.is_empty().then_some(())
        }
    })
    .await;
    let status = stack.exec().attach_exec_session(ReceiverStream::new(arx)).await.expect_err("expired");
    assert_eq!(status.code(), Code::NotFound);
    stack.stop().await;
}

#[tokio::test]
async fn a_session_can_be_listed_and_terminated() {
    let stack = support::stack().await;
    support::running_pod(&stack, "victim", &[]).await;
    let start =
        ExecStart { pod: "victim".into(), command: vec!["sleep".into(), "100".into()], ..Default::default() };
    let (_tx, responses, session) = open_session(&stack, start).await;
    let listed = stack
        .exec()
        .list_exec_sessions(ListExecSessionsRequest { pod: "victim".into(), ..Default::default() })
        .await
        .expect("list");
    assert_eq!(listed.into_inner().sessions.len(), 1);
    let ended = stack
        .exec()
        .terminate_exec_session(TerminateExecSessionRequest { session_id: session.clone() })
        .await
        .expect("terminate");
    assert_eq!(ended.into_inner().exit.map(|e| e.reason), Some(ExecEndReason::Killed as i32));
    let (_, _, exit) =
        tokio::time::timeout(Duration::from_secs(5), collect(events(responses))).await.expect("ends");
    assert_eq!(exit.map(|e| e.reason), Some(ExecEndReason::Killed as i32));
    let again = stack
        .exec()
        .terminate_exec_session(TerminateExecSessionRequest { session_id: session })
        .await
        .expect_err("gone");
    assert_eq!(again.code(), Code::NotFound);
    stack.stop().await;
}

#[tokio::test]
async fn a_hundred_exec_streams_run_at_once() {
    // One caller opens them all: its own cap (64 by default) is raised for the point of this test.
    let mut options = support::loopback_options(false);
    options.exec_limits.max_sessions_per_caller = 128;
    let stack = support::stack_with(options, false).await;
    support::running_pod(&stack, "busy", &[]).await;
    let results = futures::stream::iter(0..100)
        .map(|i| {
            let stack = &stack;
            async move {
                let start = ExecStart {
                    pod: "busy".into(),
                    command: vec!["echo".into(), format!("n{i}")],
                    ..Default::default()
                };
                let (_tx, responses, _) = open_session(stack, start).await;
                collect(events(responses)).await
            }
        })
        .buffer_unordered(100)
        .collect::<Vec<_>>()
        .await;
    let mut outputs: Vec<String> =
        results.iter().map(|(out, _, _)| String::from_utf8_lossy(out).trim().to_string()).collect();
    outputs.sort();
    let mut expected: Vec<String> = (0..100).map(|i| format!("n{i}")).collect();
    expected.sort();
    assert_eq!(outputs, expected);
    assert!(results.iter().all(|(_, _, exit)| exit.as_ref().map(|e| e.exit_code) == Some(0)));
    stack.stop().await;
}

#[tokio::test]
async fn session_limits_are_enforced_and_reported() {
    let mut options = support::loopback_options(false);
    options.exec_limits.max_sessions = 1;
    options.exec_limits.idle_timeout = Duration::from_secs(1);
    let stack = support::stack_with(options, false).await;
    support::running_pod(&stack, "limited", &[]).await;
    let start = ExecStart {
        pod: "limited".into(),
        command: vec!["sleep".into(), "100".into()],
        ..Default::default()
    };
    let (_tx, responses, _) = open_session(&stack, start.clone()).await;
    let (tx2, rx2) = tokio::sync::mpsc::channel(1);
    tx2.send(ExecStreamRequest { kind: Some(exec_stream_request::Kind::Start(start)) }).await.expect("send");
    let refused = stack.exec().exec_stream(ReceiverStream::new(rx2)).await.expect_err("over the limit");
    assert_eq!(refused.code(), Code::ResourceExhausted);
    assert!(refused.message().contains("1 exec sessions"), "{}", refused.message());
    // With no input and no output, the idle timeout ends the first session.
    let (_, _, exit) =
        tokio::time::timeout(Duration::from_secs(10), collect(events(responses))).await.expect("ends");
    let exit = exit.expect("exit");
    assert_eq!(exit.reason, ExecEndReason::Expired as i32);
    assert!(exit.message.contains("no input or output"), "{}", exit.message);
    stack.stop().await;
}

#[tokio::test]
async fn a_client_keepalive_is_answered_and_an_interrupt_signal_ends_a_plain_session() {
    let stack = support::stack().await;
    support::running_pod(&stack, "alive", &[]).await;
    let start =
        ExecStart { pod: "alive".into(), command: vec!["sleep".into(), "100".into()], ..Default::default() };
    let (tx, mut responses, _) = open_session(&stack, start).await;
    tx.send(input(exec_input::Kind::Keepalive(true))).await.expect("keepalive");
    let answer = tokio::time::timeout(Duration::from_secs(5), responses.next())
        .await
        .expect("answer")
        .expect("item")
        .expect("ok");
    assert_eq!(answer.event.and_then(|e| e.kind), Some(exec_event::Kind::Keepalive(true)));
    tx.send(input(exec_input::Kind::Signal(ExecSignal::Terminate as i32))).await.expect("signal");
    let (_, _, exit) =
        tokio::time::timeout(Duration::from_secs(5), collect(events(responses))).await.expect("ends");
    assert_eq!(exit.map(|e| e.reason), Some(ExecEndReason::Killed as i32));
    stack.stop().await;
}

#[tokio::test]
async fn a_session_streams_output_larger_than_its_buffer_without_losing_a_byte() {
    let stack = support::stack().await;
    support::running_pod(&stack, "flood", &[]).await;
    // 8 MiB through a 1 MiB session buffer: backpressure, not loss.
    let start = ExecStart {
        pod: "flood".into(),
        command: vec!["head".into(), "-c".into(), "8388608".into(), "/dev/urandom".into()],
        ..Default::default()
    };
    let (_tx, mut responses, _) = open_session(&stack, start).await;
    let mut received = 0u64;
    let mut gaps = 0;
    let mut expected_offset = 0u64;
    while let Some(Ok(r)) = responses.next().await {
        match r.event.and_then(|e| e.kind) {
            Some(exec_event::Kind::Stdout(chunk)) => {
                assert_eq!(chunk.offset, expected_offset, "offsets are contiguous");
                expected_offset += chunk.data.len() as u64;
                received += chunk.data.len() as u64;
                // A slow reader, so the remote side must wait for it.
                if received % (1024 * 1024) < 70_000 {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
            Some(exec_event::Kind::Gap(_)) => gaps += 1,
            Some(exec_event::Kind::Exit(exit)) => {
                assert_eq!(exit.exit_code, 0);
                break;
            }
            _ => {}
        }
    }
    assert_eq!((received, gaps), (8 * 1024 * 1024, 0));
    stack.stop().await;
}
