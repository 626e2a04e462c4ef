//! Planning a test run: everything checked before Kubernetes is called, the image chosen, and the pod
//! that checks the commit out into a private clone and runs the command.

use std::time::Duration;

use k8s_openapi::api::core::v1 as core;
use kubegate_proto::v1 as pb;

use crate::error::{Error, Result};
use crate::state::State;
use crate::workflows::images;
use crate::workflows::repo::{GitError, GitFiles, check_commit, relative_path};

/// Where the claim is mounted in the run's pod (read-only).
pub(super) const WORKSPACE: &str = "/workspace";
/// Where the run's private clone lives: an `emptyDir` of its own.
pub(super) const SCRATCH: &str = "/kubegate-scratch";

/// Adds the scratch `emptyDir` the clone goes to.
pub(super) fn with_scratch_volume(pod: &mut core::Pod) {
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

/// The script the pod runs: check out into a private clone, then run the command there.
pub(super) const SCRIPT: &str = r#"set -u
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

pub(super) fn duration(d: Option<&prost_types::Duration>) -> Option<Duration> {
    d.map(|d| Duration::new(u64::try_from(d.seconds).unwrap_or(0), u32::try_from(d.nanos).unwrap_or(0)))
}

pub(super) fn proto_duration(d: Duration) -> prost_types::Duration {
    prost_types::Duration {
        seconds: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        nanos: i32::try_from(d.subsec_nanos()).unwrap_or(0),
    }
}

pub(super) fn random_suffix() -> String {
    use rand::Rng as _;
    let mut rng = rand::rng();
    (0..5).map(|_| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[rng.random_range(0..36)])).collect()
}

/// Everything checked before Kubernetes is called.
pub(super) struct Plan {
    pub(super) namespace: String,
    pub(super) spec: pb::PodSpec,
    pub(super) timeout: Duration,
    pub(super) tail: usize,
    pub(super) commit: String,
}

pub(super) async fn plan(
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
        if let Err(problem) = crate::workflows::beneath::is_dir(&root, &subpath) {
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
