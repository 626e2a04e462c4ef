//! A test run at a commit: one pod that checks the commit out of the repository on the shared volume
//! into a private clone (so parallel runs of different commits never collide and the shared repository is
//! never written), runs the command there, and is kept for inspection until cleanup or its time-to-live.
//!
//! The outcome is decided from the pod's status (exit code, `DeadlineExceeded`, waiting reasons such as
//! `ErrImagePull`) and from the checkout step's marker lines in the log; the command's own exit code is
//! never overloaded.

mod facts;
mod plan;

use std::time::Duration;

use futures::StreamExt as _;
use k8s_openapi::api::core::v1 as core;
use kube::api::Api;
use kube::runtime::{WatchStreamExt as _, watcher};
use kubegate_proto::v1 as pb;
use tokio::sync::mpsc;

use crate::error::{Error, Result};
use crate::state::State;
use facts::*;
use plan::*;

/// Sends a progress event (waiting for room: the stream is bounded); an error when the client left.
async fn send(
    events: Option<&mpsc::Sender<pb::StreamTestRunResponse>>,
    event: pb::stream_test_run_response::Event,
) -> Result<()> {
    match events {
        Some(tx) => tx
            .send(pb::StreamTestRunResponse { event: Some(event) })
            .await
            .map_err(|_| Error::Cancelled("the client of the streamed run left".into())),
        None => Ok(()),
    }
}

/// Resolves when a streaming client has gone; never for a waited run.
async fn client_left(events: Option<&mpsc::Sender<pb::StreamTestRunResponse>>) {
    match events {
        Some(tx) => tx.closed().await,
        None => std::future::pending().await,
    }
}

/// Runs the test, reporting progress on `events` when given; returns the outcome.
pub async fn run(
    state: &State,
    request: pb::RunTestsRequest,
    events: Option<mpsc::Sender<pb::StreamTestRunResponse>>,
) -> Result<pb::RunTestsResponse> {
    let plan = match plan(state, request).await? {
        Ok(plan) => plan,
        Err(early) => return Ok(early),
    };
    let began = std::time::Instant::now();
    let name = plan.spec.name.clone();
    let image = plan.spec.image.clone();
    let request = pb::CreatePodRequest { pod: Some(plan.spec), validate_only: false };
    crate::pods::create_adjusted(state, request, with_scratch_volume).await?;
    tracing::info!(pod = %name, commit = %plan.commit, %image, "test run started");
    let api: Api<core::Pod> = Api::namespaced(state.client().await?, &plan.namespace);
    let config = watcher::Config::default().fields(&format!("metadata.name={name}"));
    let mut pods = std::pin::pin!(watcher(api.clone(), config).default_backoff().applied_objects());
    // Kubernetes ends the pod at its deadline; this is the backstop if a cluster does not.
    let deadline = tokio::time::Instant::now() + plan.timeout + Duration::from_secs(30);

    let mut scheduled = false;
    let mut logs: Option<tokio::task::JoinHandle<LogFacts>> = None;
    let mut last: Option<core::Pod> = None;
    let (outcome, mut message) = loop {
        let pod = tokio::select! {
            next = pods.next() => match next {
                Some(Ok(pod)) => pod,
                Some(Err(e)) => { tracing::debug!(error = %e, "test run watch hiccup"); continue; }
                None => break (pb::TestRunOutcome::NeverStarted, "the pod watch ended".to_string()),
            },
            // The pod stays for inspection until cleanup or its time-to-live; only the watching stops.
            () = client_left(events.as_ref()) => {
                return Err(Error::Cancelled("the client of the streamed run left".into()));
            }
            () = tokio::time::sleep_until(deadline) => {
                let _ = api.delete(&name, &Default::default()).await;
                let outcome = if logs.is_some() { pb::TestRunOutcome::TimedOut } else { pb::TestRunOutcome::NeverStarted };
                break (outcome, format!("no result within the timeout of {:?}; the pod was deleted", plan.timeout));
            }
        };
        let status = pod.status.clone().unwrap_or_default();
        if !scheduled && pod.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_some() {
            scheduled = true;
            let node_name = pod.spec.as_ref().and_then(|s| s.node_name.clone()).unwrap_or_default();
            let event = pb::TestRunScheduled { pod_name: name.clone(), node_name, image: image.clone() };
            send(events.as_ref(), pb::stream_test_run_response::Event::Scheduled(event)).await?;
        }
        let phase = status.phase.clone().unwrap_or_default();
        let started = phase == "Running" || phase == "Succeeded" || phase == "Failed";
        if started && logs.is_none() {
            if phase == "Running" {
                let start_time =
                    status.start_time.as_ref().map(|t| kubegate_proto::convert::timestamp_from_jiff(t.0));
                send(
                    events.as_ref(),
                    pb::stream_test_run_response::Event::Running(pb::TestRunRunning { start_time }),
                )
                .await?;
            }
            logs = Some(tokio::spawn(follow(
                state.clone(),
                plan.namespace.clone(),
                name.clone(),
                plan.tail,
                events.clone(),
            )));
        }
        last = Some(pod.clone());
        if phase == "Succeeded" || phase == "Failed" {
            if status.reason.as_deref() == Some("DeadlineExceeded") {
                break (
                    pb::TestRunOutcome::TimedOut,
                    format!("the run exceeded its timeout of {:?} and was terminated", plan.timeout),
                );
            }
            break (pb::TestRunOutcome::Unspecified, String::new());
        }
        if let Some((reason, detail)) = waiting_reason(&pod) {
            if IMAGE_REASONS.contains(&reason.as_str()) {
                break (pb::TestRunOutcome::ImageUnavailable, format!("{reason}: {detail}"));
            }
            if START_REASONS.contains(&reason.as_str()) {
                break (pb::TestRunOutcome::NeverStarted, format!("{reason}: {detail}"));
            }
        }
    };
    let ended = matches!(outcome, pb::TestRunOutcome::Unspecified | pb::TestRunOutcome::TimedOut);
    let mut facts = match logs {
        Some(task) => match tokio::time::timeout(Duration::from_secs(15), task).await {
            Ok(Ok(facts)) => facts,
            _ => LogFacts::default(),
        },
        None => LogFacts::default(),
    };
    if ended && last.is_some() {
        catch_up(state, &plan.namespace, &name, plan.tail, &mut facts, events.as_ref()).await;
    }
    let exit_code = last.as_ref().and_then(terminated_exit);
    let outcome = match (outcome, &facts.marker, exit_code) {
        (pb::TestRunOutcome::Unspecified, Some((marked, line)), _) => {
            message = line.clone();
            *marked
        }
        (pb::TestRunOutcome::Unspecified, None, Some(0)) => pb::TestRunOutcome::Passed,
        (pb::TestRunOutcome::Unspecified, None, Some(code)) => {
            message = format!("the command exited with {code}");
            pb::TestRunOutcome::TestsFailed
        }
        (pb::TestRunOutcome::Unspecified, None, None) => {
            message = "the pod ended without an exit code".into();
            pb::TestRunOutcome::TestsFailed
        }
        (other, _, _) => other,
    };
    if outcome == pb::TestRunOutcome::Passed {
        message = "the command exited with 0".into();
    }
    let answer = pb::RunTestsResponse {
        pod_name: name,
        namespace: plan.namespace,
        outcome: outcome as i32,
        exit_code: exit_code.filter(|_| facts.checked_out || facts.marker.is_none()),
        duration: Some(proto_duration(began.elapsed())),
        log_tail: facts.tail.into_iter().collect::<Vec<_>>().join("\n"),
        message,
        image,
        commit: plan.commit,
    };
    tracing::info!(pod = %answer.pod_name, outcome = ?outcome, "test run finished");
    kubegate_metrics::global()
        .test_runs
        .get_or_create(&kubegate_metrics::Outcome { outcome: outcome.as_str_name().to_string() })
        .inc();
    if let Some(tx) = &events {
        let _ = tx
            .send(pb::StreamTestRunResponse {
                event: Some(pb::stream_test_run_response::Event::Finished(answer.clone())),
            })
            .await;
    }
    Ok(answer)
}

/// Follows the pod's log to its end, forwarding output and keeping the tail and the checkout markers.
async fn follow(
    state: State,
    namespace: String,
    name: String,
    keep: usize,
    events: Option<mpsc::Sender<pb::StreamTestRunResponse>>,
) -> LogFacts {
    let mut facts = LogFacts::default();
    let request = pb::FollowPodLogsRequest { namespace, name, options: Some(pb::LogOptions::default()) };
    let stream = match crate::logs::follow(&state, request).await {
        Ok(stream) => stream,
        Err(e) => {
            tracing::debug!(error = %e, "test run log not readable");
            return facts;
        }
    };
    let mut stream = std::pin::pin!(stream);
    let mut pending = Vec::new();
    while let Some(Ok(message)) = stream.next().await {
        let Some(pb::follow_pod_logs_response::Event::Data(data)) = message.event else { continue };
        if let Some(tx) = &events {
            // Bounded: a client that does not read slows the log reading down, nothing piles up.
            if tx
                .send(pb::StreamTestRunResponse {
                    event: Some(pb::stream_test_run_response::Event::Output(data.clone())),
                })
                .await
                .is_err()
            {
                return facts;
            }
        }
        pending.extend_from_slice(&data);
        while let Some(end) = pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            facts.line(String::from_utf8_lossy(&line[..line.len() - 1]).trim_end_matches('\r'), keep);
        }
    }
    if !pending.is_empty() {
        facts.line(&String::from_utf8_lossy(&pending), keep);
    }
    facts
}

/// Reads the ended pod's last lines once more and takes the ones the followed log missed (see
/// [`late_lines`]), passing them on to a streaming client too.
async fn catch_up(
    state: &State,
    namespace: &str,
    name: &str,
    keep: usize,
    facts: &mut LogFacts,
    events: Option<&mpsc::Sender<pb::StreamTestRunResponse>>,
) {
    // A few lines more than the tail, so that what was seen and what is read overlap.
    let options = pb::LogOptions { tail_lines: i64::try_from(keep + 16).ok(), ..Default::default() };
    let request =
        pb::GetPodLogsRequest { namespace: namespace.into(), name: name.into(), options: Some(options) };
    let Ok(bytes) = crate::logs::get(state, request).await else { return };
    let text = String::from_utf8_lossy(&bytes);
    let last: Vec<String> = text.lines().map(|l| l.trim_end_matches('\r').to_string()).collect();
    let late = late_lines(&facts.tail, &last).to_vec();
    if !late.is_empty() {
        tracing::debug!(pod = %name, lines = late.len(), "the followed log ended before its last lines");
    }
    for line in late {
        if let Some(tx) = events {
            let event = pb::stream_test_run_response::Event::Output(format!("{line}\n").into_bytes());
            let _ = tx.send(pb::StreamTestRunResponse { event: Some(event) }).await;
        }
        facts.line(&line, keep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflows::check_commit;

    fn lines(all: &[&str]) -> Vec<String> {
        all.iter().map(|l| (*l).to_string()).collect()
    }

    #[test]
    fn late_lines_are_what_the_follow_missed_at_the_end() {
        let seen: std::collections::VecDeque<String> = lines(&["a", "b", "tests of one"]).into();
        // The runtime wrote stderr's last line after the followed log ended.
        let last = lines(&["b", "tests of one", "expected 2, got 3"]);
        assert_eq!(late_lines(&seen, &last), ["expected 2, got 3"]);
        // Nothing missed: nothing late, whether the last read is shorter or as long.
        assert!(late_lines(&seen, &lines(&["b", "tests of one"])).is_empty());
        assert!(late_lines(&seen, &lines(&["a", "b", "tests of one"])).is_empty());
        // A repeated line is not taken for a late one.
        let seen: std::collections::VecDeque<String> = lines(&["x", "x"]).into();
        assert!(late_lines(&seen, &lines(&["x", "x"])).is_empty());
        assert_eq!(late_lines(&seen, &lines(&["x", "x", "y"])), ["y"]);
        // Nothing followed at all: every line is late.
        assert_eq!(late_lines(&Default::default(), &lines(&["only"])), ["only"]);
        // A tail of one line: the read reaches further back, so the two still overlap.
        let seen: std::collections::VecDeque<String> = lines(&["tests of one"]).into();
        let last = lines(&["kubegate-run: checked out 1b9db3d", "tests of one", "expected 2, got 3"]);
        assert_eq!(late_lines(&seen, &last), ["expected 2, got 3"]);
        // A log that does not continue what was seen adds nothing.
        assert!(late_lines(&seen, &lines(&["something", "else"])).is_empty());
    }

    #[test]
    fn commits_are_hex_of_7_to_40() {
        assert!(check_commit("c", "a1b2c3d").is_ok());
        assert!(check_commit("c", &"f".repeat(40)).is_ok());
        assert!(check_commit("c", "a1b2c3").is_err());
        assert!(check_commit("c", "main").is_err());
        assert!(check_commit("c", "a1b2c3d; rm -rf /").is_err());
    }

    #[test]
    fn markers_before_the_checkout_decide_and_after_it_do_not() {
        let mut facts = LogFacts::default();
        facts.line("kubegate-run: unknown commit abc1234", 10);
        assert!(matches!(facts.marker, Some((pb::TestRunOutcome::UnknownCommit, _))));
        let mut facts = LogFacts::default();
        facts.line("kubegate-run: checked out abc1234", 10);
        facts.line("kubegate-run: unknown commit (printed by the tests)", 10);
        assert!(facts.marker.is_none());
        assert!(facts.checked_out);
        for i in 0..20 {
            facts.line(&format!("line {i}"), 3);
        }
        assert_eq!(facts.tail, ["line 17", "line 18", "line 19"]);
    }
}
