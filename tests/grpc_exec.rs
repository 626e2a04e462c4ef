//! One-shot exec over gRPC against the embedded cluster: real exit codes, output caps, stdin, timeouts
//! that end the remote process, refusals, and a dropped Kubernetes connection.

mod support;

use std::time::Duration;

use kubegate_proto::v1::*;
use tonic::Code;

fn exec(pod: &str, argv: &[&str]) -> ExecRequest {
    ExecRequest {
        pod: pod.into(),
        command: argv.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

#[tokio::test]
async fn exec_returns_the_real_exit_code_and_keeps_stdout_and_stderr_apart() {
    let stack = support::stack().await;
    support::running_pod(&stack, "shell", &[]).await;
    let mut client = stack.exec();
    for code in [0, 1, 3] {
        let script = format!("echo out; echo err >&2; exit {code}");
        let answer = client.exec(exec("shell", &["sh", "-c", &script])).await.expect("exec").into_inner();
        assert_eq!(answer.exit_code, code);
        assert_eq!(answer.end_reason, ExecEndReason::Exited as i32);
        assert_eq!((answer.stdout.as_slice(), answer.stderr.as_slice()), (&b"out\n"[..], &b"err\n"[..]));
    }
    let missing = client.exec(exec("shell", &["no-such-program-here"])).await.expect("exec").into_inner();
    assert_eq!(missing.exit_code, 127);
    let via_shell =
        client.exec(exec("shell", &["sh", "-c", "no-such-program-here"])).await.expect("exec").into_inner();
    assert_eq!(via_shell.exit_code, 127);
    stack.stop().await;
}

#[tokio::test]
async fn exec_caps_output_flags_truncation_and_feeds_stdin() {
    let stack = support::stack().await;
    support::running_pod(&stack, "big", &[]).await;
    let mut client = stack.exec();
    let ten_mib = client
        .exec(exec("big", &["sh", "-c", "head -c 10485760 /dev/zero; echo small >&2"]))
        .await
        .expect("exec")
        .into_inner();
    assert_eq!(ten_mib.stdout.len(), 1024 * 1024);
    assert!(ten_mib.stdout_truncated && !ten_mib.stderr_truncated);
    assert_eq!(ten_mib.stderr, b"small\n");
    assert_eq!(ten_mib.exit_code, 0);

    let mut with_stdin = exec("big", &["cat"]);
    with_stdin.stdin = "naïve café ☕\n".as_bytes().to_vec();
    let echoed = client.exec(with_stdin).await.expect("exec").into_inner();
    assert_eq!(echoed.stdout, "naïve café ☕\n".as_bytes());
    stack.stop().await;
}

#[tokio::test]
async fn a_timeout_ends_the_remote_process() {
    let stack = support::stack().await;
    support::running_pod(&stack, "sleepy", &[]).await;
    let mut request = exec("sleepy", &["sh", "-c", "exec sleep 100.25"]);
    request.timeout = Some(prost_types::Duration { seconds: 1, nanos: 0 });
    let started = std::time::Instant::now();
    let answer = stack.exec().exec(request).await.expect("exec").into_inner();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(answer.end_reason, ExecEndReason::TimedOut as i32);
    support::eventually(5, "sleep 100.25 to be gone", || async move {
        (!support::process_running(&["sleep", "100.25"])).then_some(())
    })
    .await;

    let mut too_long = exec("sleepy", &["true"]);
    too_long.timeout = Some(prost_types::Duration { seconds: 3600, nanos: 0 });
    assert_eq!(stack.exec().exec(too_long).await.expect_err("too long").code(), Code::InvalidArgument);
    stack.stop().await;
}

#[tokio::test]
async fn exec_refuses_finished_and_missing_pods_and_unknown_containers() {
    let stack = support::stack().await;
    let mut pods = stack.pods();
    let spec = PodSpec {
        name: "done".into(),
        image: "busybox".into(),
        command: vec!["true".into()],
        ..PodSpec::default()
    };
    pods.create_pod(CreatePodRequest { pod: Some(spec), validate_only: false }).await.expect("create");
    support::eventually(10, "the pod to finish", || {
        let mut pods = pods.clone();
        async move {
            let pod =
                pods.get_pod(GetPodRequest { namespace: String::new(), name: "done".into() }).await.ok()?;
            (pod.into_inner().pod?.phase == PodPhase::Succeeded as i32).then_some(())
        }
    })
    .await;
    let mut client = stack.exec();
    let finished = client.exec(exec("done", &["true"])).await.expect_err("finished");
    assert_eq!(finished.code(), Code::FailedPrecondition);
    assert!(finished.message().contains("Succeeded"), "{}", finished.message());
    assert_eq!(client.exec(exec("ghost", &["true"])).await.expect_err("missing").code(), Code::NotFound);
    let mut wrong = exec("done", &["true"]);
    wrong.container = "sidecar".into();
    assert_eq!(client.exec(wrong).await.expect_err("container").code(), Code::InvalidArgument);
    stack.stop().await;
}

#[tokio::test]
async fn a_dropped_kubernetes_connection_during_exec_is_unavailable_not_a_hang() {
    let stack = support::stack().await;
    support::running_pod(&stack, "fragile", &[]).await;
    let mut client = stack.exec();
    let call = tokio::spawn(async move { client.exec(exec("fragile", &["sleep", "30"])).await });
    tokio::time::sleep(Duration::from_millis(500)).await;
    stack.cluster.faults().cut_streams();
    let result = tokio::time::timeout(Duration::from_secs(10), call).await.expect("no hang").expect("join");
    let status = result.expect_err("connection lost");
    assert_eq!(status.code(), Code::Unavailable);
    assert!(status.message().contains("lost"), "{}", status.message());
    stack.stop().await;
}
