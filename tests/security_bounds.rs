//! What a caller (or a workload) can make kubegate hold is bounded: a log line without a newline, a burst
//! of session starts, byte limits past the server's maxima.

mod support;

use std::time::Duration;

use futures::StreamExt as _;
use kubegate_proto::v1::*;
use tokio_stream::wrappers::ReceiverStream;
use tonic::Code;

/// This process's resident memory in bytes (kubegate and the embedded cluster run in it).
fn rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("status");
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("VmRSS");
    kib * 1024
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_200_mib_log_line_is_followed_in_pieces_without_holding_it() {
    let stack = support::stack().await;
    let command = ["sh", "-c", "head -c 209715200 /dev/zero | tr '\\0' a; echo; echo after"];
    let spec = PodSpec {
        name: "long-line".into(),
        image: "busybox".into(),
        command: command.iter().map(|s| (*s).to_string()).collect(),
        ..Default::default()
    };
    stack
        .pods()
        .create_pod(CreatePodRequest { pod: Some(spec), validate_only: false })
        .await
        .expect("create");
    let before = rss();
    // Following needs a started container: retried while it is still being created.
    let mut stream = support::eventually(20, "the container to start", || async {
        let request = FollowPodLogsRequest { name: "long-line".into(), ..Default::default() };
        stack.pods().follow_pod_logs(request).await.ok().map(tonic::Response::into_inner)
    })
    .await;
    let (mut total, mut largest, mut peak) = (0usize, 0usize, before);
    let mut tail = Vec::new();
    while let Some(item) =
        tokio::time::timeout(Duration::from_secs(120), stream.next()).await.expect("progress")
    {
        if let Some(follow_pod_logs_response::Event::Data(data)) = item.expect("ok").event {
            total += data.len();
            largest = largest.max(data.len());
            tail = data;
            peak = peak.max(rss());
        }
    }
    // Every byte arrives. A runtime stores a long line as 16 KiB partial entries, and with timestamps on
    // (kubegate asks for them to resume without duplicates) the kubelet puts one before each entry: up to
    // about 2% more bytes than the line itself, as a real node answers.
    let line = 200 * 1024 * 1024;
    assert!((line..line + line / 50).contains(&total), "{total} bytes arrived for a {line}-byte line");
    assert!(largest <= 64 * 1024, "pieces are at most 64 KiB, got {largest}");
    assert_eq!(tail, b"after\n");
    let growth = peak.saturating_sub(before);
    assert!(growth < 64 * 1024 * 1024, "resident memory grew by {} MiB", growth / (1024 * 1024));
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_twice_the_session_limit_never_opens_more_than_the_limit() {
    let mut options = support::loopback_options(false);
    options.exec_limits.max_sessions = 4;
    let stack = support::stack_with(options, false).await;
    support::running_pod(&stack, "burst", &["sleep", "600"]).await;
    let start =
        ExecStart { pod: "burst".into(), command: vec!["sleep".into(), "100".into()], ..Default::default() };
    let mut attempts = Vec::new();
    for _ in 0..8 {
        let mut exec = stack.exec();
        let start = start.clone();
        attempts.push(tokio::spawn(async move {
            let (tx, rx) = tokio::sync::mpsc::channel(1);
            tx.send(ExecStreamRequest { kind: Some(exec_stream_request::Kind::Start(start)) })
                .await
                .expect("send");
            let answer = exec.exec_stream(ReceiverStream::new(rx)).await;
            (answer, tx)
        }));
    }
    let mut open = Vec::new();
    let mut refused = 0;
    for attempt in attempts {
        let (answer, tx) = attempt.await.expect("join");
        match answer {
            Ok(stream) => open.push((stream, tx)),
            Err(status) => {
                assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
                refused += 1;
            }
        }
    }
    assert_eq!(open.len(), 4, "exactly the limit opened ({refused} refused)");
    let listed =
        stack.exec().list_exec_sessions(ListExecSessionsRequest::default()).await.expect("list").into_inner();
    assert_eq!(listed.sessions.len(), 4);
    stack.stop().await;
}

#[tokio::test]
async fn byte_limits_past_the_servers_maxima_are_refused() {
    let stack = support::stack().await;
    support::running_pod(&stack, "limits", &["sleep", "600"]).await;
    let exec = ExecRequest {
        pod: "limits".into(),
        command: vec!["true".into()],
        output_limit_bytes: 1 << 40,
        ..Default::default()
    };
    let refused = stack.exec().exec(exec).await.expect_err("a terabyte of output");
    assert_eq!(refused.code(), Code::InvalidArgument);
    let logs = GetPodLogsRequest {
        name: "limits".into(),
        options: Some(LogOptions { limit_bytes: Some(1 << 40), ..Default::default() }),
        ..Default::default()
    };
    let refused = stack.pods().get_pod_logs(logs).await.expect_err("a terabyte of logs");
    assert_eq!(refused.code(), Code::InvalidArgument);
    stack.stop().await;
}

#[tokio::test]
async fn one_caller_cannot_hold_more_watches_than_its_cap_and_gets_them_back() {
    let mut options = support::loopback_options(false);
    options.quotas = kubegate::quota::Limits { watches: 2, follows: 2, test_runs: 2 };
    let stack = support::stack_with(options, false).await;
    let first = stack.pods().watch_pods(WatchPodsRequest::default()).await.expect("first watch");
    let _second = stack.pods().watch_pods(WatchPodsRequest::default()).await.expect("second watch");
    let refused = stack.pods().watch_pods(WatchPodsRequest::default()).await.expect_err("third watch");
    assert_eq!(refused.code(), Code::ResourceExhausted);
    assert_eq!(refused.metadata().get("retry-after").and_then(|v| v.to_str().ok()), Some("5"));
    drop(first);
    support::eventually(5, "the closed watch's unit to come back", || {
        let mut pods = stack.pods();
        async move { pods.watch_pods(WatchPodsRequest::default()).await.ok().map(|_| ()) }
    })
    .await;
    stack.stop().await;
}
