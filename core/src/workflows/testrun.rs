//! A test run at a commit: one pod that checks the commit out of the repository on the shared volume
//! into a private clone (so parallel runs of different commits never collide and the shared repository is
//! never written), runs the command there, and is kept for inspection until cleanup or its time-to-live.
//!
//! The outcome is decided from the pod's status (exit code, `DeadlineExceeded`, waiting reasons such as
//! `ErrImagePull`) and from the checkout step's marker lines in the log; the command's own exit code is
//! never overloaded.

use std::collections::VecDeque;
use std::time::Duration;

use futures::StreamExt as _;
use k8s_openapi::api::core::v1 as core;
use kube::api::Api;
use kube::runtime::{WatchStreamExt as _, watcher};
use kubegate_proto::v1 as pb;
use tokio::sync::mpsc;

use super::images;
use super::repo::{GitError, GitFiles, check_commit, relative_path};
use crate::error::{Error, Result};
use crate::state::State;

/// Where the claim is mounted in the run's pod (read-only).
const WORKSPACE: &str = "/workspace";
/// Where the run's private clone lives: an `emptyDir` of its own.
const SCRATCH: &str = "/kubegate-scratch";

/// Adds the scratch `emptyDir` the clone goes to.
fn with_scratch_volume(pod: &mut core::Pod) {
    let Some(spec) = pod.spec.as_mut() else { return };
    spec.volumes.get_or_insert_with(Vec::new).push(core::Volume {
        name: "kubegate-scratch".into(),
        empty_dir: Some(core::EmptyDirVolumeSource::default()),
        ..core::Volume::default()
    });
    for container in &mut spec.containers {
        container.volume_mounts.get_or_insert_with(Vec::new).push(core::VolumeMount {
            name: "kubegate-scratch".into(),
            mount_path: SCRATCH.into(),
            ..core::VolumeMount::default()
        });
    }
}
/// Marker lines the checkout step prints; the command's output comes after `CHECKED_OUT`.
const UNKNOWN_COMMIT: &str = "kubegate-run: unknown commit";
const CHECKOUT_FAILED: &str = "kubegate-run: checkout failed";
const CHECKED_OUT: &str = "kubegate-run: checked out";
/// Waiting reasons that mean the image cannot be had.
const IMAGE_REASONS: [&str; 4] =
    ["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"];
/// Waiting reasons that mean the container will not start without a change.
const START_REASONS: [&str; 3] = ["CreateContainerConfigError", "CreateContainerError", "RunContainerError"];

/// The script the pod runs: check out into a private clone, then run the command there.
const SCRIPT: &str = r#"set -u
if [ ! -d "$REPO_PATH" ]; then echo "kubegate-run: checkout failed: no repository at $REPO_PATH"; exit 1; fi
if ! command -v git >/dev/null 2>&1; then echo "kubegate-run: checkout failed: the image has no git"; exit 1; fi
gh=$(mktemp -d "${TMPDIR:-/tmp}/kubegate-git.XXXXXX") || { echo "kubegate-run: checkout failed: no temporary directory"; exit 1; }
printf '[safe]\n\tdirectory = %s\n\tdirectory = %s/.git\n' "$REPO_PATH" "$REPO_PATH" > "$gh/.gitconfig"
g() { HOME="$gh" git "$@"; }
if ! err=$(g -C "$REPO_PATH" rev-parse --git-dir 2>&1 >/dev/null); then echo "kubegate-run: checkout failed: $REPO_PATH is not a usable git repository: $err" | tr '\n' ' '; echo; exit 1; fi
if ! g -C "$REPO_PATH" cat-file -e "$COMMIT_SHA^{commit}" 2>/dev/null; then echo "kubegate-run: unknown commit $COMMIT_SHA"; exit 1; fi
work=$(mktemp -d "${TMPDIR:-/tmp}/kubegate-run.XXXXXX") || { echo "kubegate-run: checkout failed: no temporary directory"; exit 1; }
trap 'rm -rf "$work" "$gh"' EXIT
if ! out=$(g -c advice.detachedHead=false clone --quiet --shared --no-checkout "$REPO_PATH" "$work" 2>&1 && git -C "$work" -c advice.detachedHead=false checkout --quiet --detach "$COMMIT_SHA" 2>&1); then
  echo "kubegate-run: checkout failed: $out" | tr '\n' ' '; echo; exit 1
fi
echo "kubegate-run: checked out $COMMIT_SHA"
cd "$work" && /bin/sh -c "$KUBEGATE_COMMAND"
"#;

fn duration(d: Option<&prost_types::Duration>) -> Option<Duration> {
    d.map(|d| Duration::new(u64::try_from(d.seconds).unwrap_or(0), u32::try_from(d.nanos).unwrap_or(0)))
}

fn proto_duration(d: Duration) -> prost_types::Duration {
    prost_types::Duration {
        seconds: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        nanos: i32::try_from(d.subsec_nanos()).unwrap_or(0),
    }
}

fn random_suffix() -> String {
    use rand::Rng as _;
    let mut rng = rand::rng();
    (0..5).map(|_| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[rng.random_range(0..36)])).collect()
}

/// Everything checked before Kubernetes is called.
struct Plan {
    namespace: String,
    spec: pb::PodSpec,
    timeout: Duration,
    tail: usize,
    commit: String,
}

async fn plan(
    state: &State,
    mut r: pb::RunTestsRequest,
) -> Result<std::result::Result<Plan, pb::RunTestsResponse>> {
    let mut v = crate::validation::Violations::default();
    let repository = r.repository.take().unwrap_or_default();
    if repository.claim_name.is_empty() {
        v.add("repository.claim_name", "is required");
    }
    let path = relative_path("repository.path", &repository.path);
    if let Err(Error::InvalidArgument(e)) = &path {
        v.0.extend(e.clone());
    }
    if let Err(Error::InvalidArgument(e)) = check_commit("commit", &r.commit) {
        v.0.extend(e);
    }
    if r.command.trim().is_empty() {
        v.add("command", "is required");
    }
    let timeout = duration(r.timeout.as_ref()).unwrap_or(state.workflows().default_run_timeout);
    if timeout < Duration::from_secs(1) || timeout > Duration::from_secs(24 * 3600) {
        v.add("timeout", "must be between 1 second and 24 hours");
    }
    if !(0..=10_000).contains(&r.log_tail_lines) {
        v.add("log_tail_lines", "must be between 0 and 10000");
    }
    v.into_result()?;
    let namespace = state.namespace(&r.namespace).await?;
    let repo_path = format!("{WORKSPACE}/{}", repository.path.trim_matches('/'));
    let repo_path = repo_path.trim_end_matches('/').to_string();

    // When kubegate can read the repository itself, an unknown commit is known before any pod exists,
    // and the image can be matched from the project's version files at that commit.
    let config = state.workflows().clone();
    let subpath = path.unwrap_or_default();
    let ns = namespace.clone();
    let commit = r.commit.clone();
    let image = r.image.clone();
    let claim_name = repository.claim_name.clone();
    // The image to run, or the outcome that ends the run before a pod is made.
    type Verdict = std::result::Result<String, (pb::TestRunOutcome, String)>;
    let verdict = tokio::task::spawn_blocking(move || -> Result<Verdict> {
        // claim_dir stats the file system: off the async threads, with the git calls.
        let Some(root) = config.claim_dir(&ns, &claim_name) else {
            return if image.is_empty() {
                Err(Error::FailedPrecondition(format!(
                    "no image given, and kubegate cannot read the claim {:?} to match one from the project's \
                     version files (mount it and name it with --claim-mount)",
                    claim_name
                )))
            } else {
                Ok(Ok(image))
            };
        };
        // The repository must be reached without a link a workload could have planted.
        if let Err(problem) = super::beneath::is_dir(&root, &subpath) {
            let message = format!("repository.path: {problem}");
            return Ok(Err((pb::TestRunOutcome::CheckoutFailed, message)));
        }
        let files = GitFiles { repo: root.join(&subpath), commit: commit.clone() };
        match files.commit_exists() {
            Ok(true) => {}
            Ok(false) => {
                let message = format!("commit {commit} is not in the repository");
                return Ok(Err((pb::TestRunOutcome::UnknownCommit, message)));
            }
            Err(e @ GitError::DubiousOwnership(_)) => {
                return Ok(Err((pb::TestRunOutcome::CheckoutFailed, e.to_string())));
            }
            // Not readable as a repository from here: the pod's checkout step will say what is wrong.
            Err(_) if !image.is_empty() => return Ok(Ok(image)),
            Err(e) => return Err(Error::FailedPrecondition(e.to_string())),
        }
        if !image.is_empty() {
            return Ok(Ok(image));
        }
        let matched = images::match_image(&files);
        if matched.image.is_empty() {
            let mut why = matched.notes.join("; ");
            for m in &matched.malformed {
                why.push_str(&format!("; {}: {}", m.file, m.error));
            }
            return Err(Error::FailedPrecondition(format!(
                "no image given and none could be matched: {why}"
            )));
        }
        Ok(Ok(matched.image))
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))??;
    let image = match verdict {
        Ok(image) => image,
        Err((outcome, message)) => {
            return Ok(Err(pb::RunTestsResponse {
                namespace,
                outcome: outcome as i32,
                message,
                commit: r.commit,
                image: r.image,
                ..Default::default()
            }));
        }
    };

    let name = if r.name.is_empty() {
        format!("test-{}-{}", &r.commit[..8.min(r.commit.len())].to_ascii_lowercase(), random_suffix())
    } else {
        r.name.clone()
    };
    let mut env = vec![
        pb::EnvVar { name: "COMMIT_SHA".into(), value: r.commit.clone() },
        pb::EnvVar { name: "REPO_PATH".into(), value: repo_path },
        pb::EnvVar { name: "KUBEGATE_COMMAND".into(), value: r.command.clone() },
        pb::EnvVar { name: "TMPDIR".into(), value: SCRATCH.into() },
    ];
    env.extend(
        r.env.into_iter().filter(|e| {
            !["COMMIT_SHA", "REPO_PATH", "KUBEGATE_COMMAND", "TMPDIR"].contains(&e.name.as_str())
        }),
    );
    let mut labels = r.labels;
    labels.insert("kubegate.dev/workflow".into(), "test-run".into());
    labels.insert("kubegate.dev/commit".into(), r.commit.to_ascii_lowercase());
    let spec = pb::PodSpec {
        name,
        namespace: namespace.clone(),
        image,
        command: vec!["/bin/sh".into(), "-c".into(), SCRIPT.into()],
        env,
        labels,
        // Read-only: test code must not rewrite the shared repository (hooks, config, objects) that the
        // agent and other runs use. The private clone goes to a scratch emptyDir.
        volume_claims: vec![pb::VolumeClaimMount {
            claim_name: repository.claim_name,
            mount_path: WORKSPACE.into(),
            sub_path: String::new(),
            read_only: true,
        }],
        resources: r.resources,
        restart_policy: pb::RestartPolicy::Never as i32,
        max_run_duration: Some(proto_duration(timeout)),
        ttl_after_finished: r.ttl_after_finished,
        ..Default::default()
    };
    let tail = if r.log_tail_lines == 0 { 50 } else { usize::try_from(r.log_tail_lines).unwrap_or(50) };
    Ok(Ok(Plan { namespace, spec, timeout, tail, commit: r.commit }))
}

/// What was learned from the log.
#[derive(Default)]
struct LogFacts {
    tail: VecDeque<String>,
    checked_out: bool,
    marker: Option<(pb::TestRunOutcome, String)>,
}

impl LogFacts {
    fn line(&mut self, line: &str, keep: usize) {
        if !self.checked_out {
            if line.starts_with(CHECKED_OUT) {
                self.checked_out = true;
            } else if line.starts_with(UNKNOWN_COMMIT) {
                self.marker = Some((pb::TestRunOutcome::UnknownCommit, line.to_string()));
            } else if line.starts_with(CHECKOUT_FAILED) {
                self.marker = Some((pb::TestRunOutcome::CheckoutFailed, line.to_string()));
            }
        }
        self.tail.push_back(line.to_string());
        while self.tail.len() > keep {
            self.tail.pop_front();
        }
    }
}

fn waiting_reason(pod: &core::Pod) -> Option<(String, String)> {
    let statuses = pod.status.as_ref()?.container_statuses.as_ref()?;
    statuses.iter().find_map(|s| {
        let waiting = s.state.as_ref()?.waiting.as_ref()?;
        let reason = waiting.reason.clone()?;
        Some((reason, waiting.message.clone().unwrap_or_default()))
    })
}

fn terminated_exit(pod: &core::Pod) -> Option<i32> {
    let statuses = pod.status.as_ref()?.container_statuses.as_ref()?;
    statuses.iter().find_map(|s| s.state.as_ref()?.terminated.as_ref().map(|t| t.exit_code))
}

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
    let facts = match logs {
        Some(task) => match tokio::time::timeout(Duration::from_secs(15), task).await {
            Ok(Ok(facts)) => facts,
            _ => LogFacts::default(),
        },
        None => LogFacts::default(),
    };
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

#[cfg(test)]
mod tests {
    use super::*;

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
