//! Claims of the README and the API that had no test: Ctrl-C through an exec session reaches the
//! command (its `trap` runs and sets the exit code), and a shutdown closes an open terminal with 1001
//! ("going away") and ends an open followed log, within the grace period.

mod support;

use std::time::Duration;

use futures::StreamExt as _;
use kubegate_proto::v1::*;
use tokio_tungstenite::tungstenite::Message;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupt_reaches_the_command_and_its_trap_sets_the_exit_code() {
    let stack = support::stack().await;
    support::running_pod(&stack, "signalled", &["sleep", "600"]).await;
    let script = r#"trap 'echo got-int; exit 7' INT; echo ready; while :; do sleep 0.1; done"#;
    let start = ExecStart {
        pod: "signalled".into(),
        command: vec!["sh".into(), "-c".into(), script.into()],
        tty: true,
        stdin: true,
        ..Default::default()
    };
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    tx.send(ExecStreamRequest { kind: Some(exec_stream_request::Kind::Start(start)) }).await.expect("start");
    let mut events = stack
        .exec()
        .exec_stream(tokio_stream::wrappers::ReceiverStream::new(rx))
        .await
        .expect("session")
        .into_inner();
    let (mut output, mut exit) = (String::new(), None);
    let mut interrupted = false;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while exit.is_none() {
        let event = tokio::time::timeout_at(deadline, events.next())
            .await
            .unwrap_or_else(|_| panic!("no exit; output so far {output:?}"))
            .expect("the session answers")
            .expect("an event");
        match event.event.and_then(|e| e.kind) {
            Some(exec_event::Kind::Stdout(chunk)) => output.push_str(&String::from_utf8_lossy(&chunk.data)),
            Some(exec_event::Kind::Exit(e)) => exit = Some(e.exit_code),
            _ => {}
        }
        if output.contains("ready") && !interrupted {
            interrupted = true;
            let signal = ExecInput { kind: Some(exec_input::Kind::Signal(ExecSignal::Interrupt as i32)) };
            tx.send(ExecStreamRequest { kind: Some(exec_stream_request::Kind::Input(signal)) })
                .await
                .expect("send");
        }
    }
    assert!(output.contains("got-int"), "the trap ran: {output:?}");
    assert_eq!(exit, Some(7), "the trap's exit code");
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shutdown_closes_terminals_with_1001_and_ends_followed_logs() {
    let stack = support::stack_with(support::loopback_options(true), false).await;
    support::running_pod(&stack, "leaving", &["sh", "-c", "while :; do echo tick; sleep 0.2; done"]).await;
    let rest = stack.server.http_addr.expect("rest");
    let url = format!("ws://{rest}/ws/kubernetes/exec?pod=leaving&namespace=opencode-manager&shell=/bin/sh");
    let (mut terminal, _) = tokio_tungstenite::connect_async(url).await.expect("the terminal opens");
    // A followed log, read as it comes.
    let mut follow = tokio::net::TcpStream::connect(rest).await.expect("connect");
    let request = format!(
        "GET /api/kubernetes/pods/leaving/logs?namespace=opencode-manager&follow=true HTTP/1.1\r\nHost: {rest}\r\n\r\n"
    );
    tokio::io::AsyncWriteExt::write_all(&mut follow, request.as_bytes()).await.expect("write");
    let mut first = vec![0u8; 4096];
    let n = tokio::io::AsyncReadExt::read(&mut follow, &mut first).await.expect("read");
    assert!(String::from_utf8_lossy(&first[..n]).starts_with("HTTP/1.1 200"), "the follow is open");

    let stopped = tokio::spawn(stack.server.shutdown());
    let closed = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match terminal.next().await {
                Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
                Some(Ok(_)) => {}
                _ => return None,
            }
        }
    })
    .await
    .expect("the terminal is closed within the grace period");
    assert_eq!(closed, Some(1001), "going away");
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        let mut rest = Vec::new();
        tokio::io::AsyncReadExt::read_to_end(&mut follow, &mut rest).await.map(|_| rest.len())
    })
    .await;
    assert!(ended.is_ok(), "the followed log ended within the grace period");
    stopped.await.expect("join").expect("clean shutdown");
    stack.cluster.shutdown().await;
}
