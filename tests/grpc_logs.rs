//! Pod logs over gRPC against the embedded cluster: read at once, followed to the end, and resumed
//! across a dropped Kubernetes connection.

mod support;

use std::time::Duration;

use futures::StreamExt as _;
use kubegate_proto::v1::*;
use tonic::Code;

async fn running_pod(stack: &support::Stack, name: &str, command: &[&str]) {
    support::running_pod(stack, name, command).await;
}

#[tokio::test]
async fn logs_are_read_at_once_with_a_default_tail_and_errors_for_missing_things() {
    let stack = support::stack().await;
    running_pod(&stack, "chatty", &["sh", "-c", "seq 1 150; sleep 60"]).await;
    let mut pods = stack.pods();
    let logs = support::eventually(5, "150 lines", || {
        let mut pods = pods.clone();
        async move {
            let request = GetPodLogsRequest { name: "chatty".into(), ..Default::default() };
            let content = pods.get_pod_logs(request).await.ok()?.into_inner().content;
            String::from_utf8(content).ok().filter(|t| t.ends_with("150\n"))
        }
    })
    .await;
    let lines: Vec<&str> = logs.lines().collect();
    assert_eq!((lines.len(), lines[0]), (100, "51"), "the default tail is 100 lines");
    let with_time = pods
        .get_pod_logs(GetPodLogsRequest {
            name: "chatty".into(),
            options: Some(LogOptions { tail_lines: Some(1), timestamps: true, ..Default::default() }),
            ..Default::default()
        })
        .await
        .expect("logs")
        .into_inner()
        .content;
    assert!(String::from_utf8_lossy(&with_time).ends_with("Z 150\n"));
    let missing = pods
        .get_pod_logs(GetPodLogsRequest { name: "ghost".into(), ..Default::default() })
        .await
        .expect_err("missing");
    assert_eq!(missing.code(), Code::NotFound);
    let wrong = GetPodLogsRequest {
        name: "chatty".into(),
        options: Some(LogOptions { container: "nope".into(), ..Default::default() }),
        ..Default::default()
    };
    assert_eq!(pods.get_pod_logs(wrong).await.expect_err("container").code(), Code::InvalidArgument);
    stack.stop().await;
}

async fn follow_all(stack: &support::Stack, name: &str, cut_after: Option<usize>) -> (String, Option<i32>) {
    let request = FollowPodLogsRequest { name: name.into(), ..Default::default() };
    let mut stream = stack.pods().follow_pod_logs(request).await.expect("follow").into_inner();
    let mut text = String::new();
    let mut end = None;
    let mut cut = cut_after;
    while let Some(item) =
        tokio::time::timeout(Duration::from_secs(15), stream.next()).await.expect("progress")
    {
        match item.expect("ok").event {
            Some(follow_pod_logs_response::Event::Data(data)) => {
                text.push_str(&String::from_utf8_lossy(&data));
                if cut.is_some_and(|n| text.lines().count() >= n) {
                    stack.cluster.faults().cut_streams();
                    cut = None;
                }
            }
            Some(follow_pod_logs_response::Event::End(reason)) => end = Some(reason),
            None => {}
        }
    }
    (text, end)
}

#[tokio::test]
async fn a_followed_log_ends_when_the_container_ends() {
    let stack = support::stack().await;
    running_pod(&stack, "counter", &["sh", "-c", "for i in $(seq 1 10); do echo $i; sleep 0.2; done"]).await;
    let (text, end) = follow_all(&stack, "counter", None).await;
    assert_eq!(text, (1..=10).map(|i| format!("{i}\n")).collect::<String>());
    assert_eq!(end, Some(LogEndReason::ContainerExited as i32));
    stack.stop().await;
}

#[tokio::test]
async fn a_followed_log_survives_a_dropped_connection_without_duplicates() {
    let stack = support::stack().await;
    running_pod(&stack, "steady", &["sh", "-c", "for i in $(seq 1 40); do echo n$i; sleep 0.05; done"]).await;
    let (text, end) = follow_all(&stack, "steady", Some(8)).await;
    let expected: String = (1..=40).map(|i| format!("n{i}\n")).collect();
    assert_eq!(text, expected, "every line once, in order, across the cut");
    assert_eq!(end, Some(LogEndReason::ContainerExited as i32));
    stack.stop().await;
}
