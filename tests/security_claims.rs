//! The shared claim is written by untrusted code (a test suite's install scripts, an agent's command):
//! what kubegate reads there and what a test run may do to it. Each test failed before its protection.

mod support;

use kubegate_proto::v1::workflow_service_client::WorkflowServiceClient;
use kubegate_proto::v1::*;
use tonic::Code;

const NS: &str = "opencode-manager";

fn location(claim: &str, path: &str) -> Option<ProjectLocation> {
    Some(ProjectLocation { claim_name: claim.into(), path: path.into() })
}

fn run(commit: &str, command: &str) -> RunTestsRequest {
    RunTestsRequest {
        repository: location("workspace", "repos/myapp"),
        commit: commit.into(),
        command: command.into(),
        image: "busybox".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_version_file_linked_to_a_secret_is_never_read_or_quoted() {
    let stack = support::stack().await;
    support::git_workspace(&stack).await;
    let project = stack.cluster.claims_root().join(NS).join("workspace/projects/evil");
    std::fs::create_dir_all(&project).expect("dir");
    let secret = tempfile::NamedTempFile::new().expect("secret");
    std::fs::write(secret.path(), "eyJhbGciOi-service-account-token\n").expect("write");
    std::os::unix::fs::symlink(secret.path(), project.join(".nvmrc")).expect("link");
    std::fs::write(project.join(".python-version"), "not-a-version secret-value-42\n").expect("write");
    let mut client = WorkflowServiceClient::new(stack.channel.clone());
    let answer = client
        .match_image(MatchImageRequest {
            project: location("workspace", "projects/evil"),
            commit: String::new(),
        })
        .await
        .expect("answers")
        .into_inner();
    let text = format!("{answer:?}");
    assert!(!text.contains("service-account-token"), "the linked secret leaked: {text}");
    assert!(!text.contains("secret-value-42"), "a malformed file was quoted: {text}");
    let nvmrc = answer.malformed.iter().find(|m| m.file == ".nvmrc").expect(".nvmrc reported");
    assert!(nvmrc.error.contains("symbolic link"), "{}", nvmrc.error);
    // A project directory that is a link out of the claim is refused too.
    std::os::unix::fs::symlink("/etc", stack.cluster.claims_root().join(NS).join("workspace/projects/etc"))
        .expect("link");
    let escape = client
        .match_image(MatchImageRequest {
            project: location("workspace", "projects/etc"),
            commit: String::new(),
        })
        .await
        .expect_err("a link to /etc");
    assert_eq!(escape.code(), Code::FailedPrecondition);
    stack.stop().await;
}

#[tokio::test]
async fn a_claim_name_that_is_a_path_reaches_nothing() {
    let stack = support::stack().await;
    let mut client = WorkflowServiceClient::new(stack.channel.clone());
    for claim in ["/etc", "../../..", "workspace/../../x"] {
        let refused = client
            .match_image(MatchImageRequest { project: location(claim, "."), commit: String::new() })
            .await
            .expect_err("a path is not a claim name");
        assert!(
            matches!(refused.code(), Code::InvalidArgument | Code::FailedPrecondition),
            "{claim}: {refused:?}"
        );
        assert!(!refused.message().contains("passwd"), "{}", refused.message());
    }
    stack.stop().await;
}

#[tokio::test]
async fn test_code_cannot_rewrite_the_shared_repository() {
    let stack = support::stack().await;
    let (_, second) = support::git_workspace(&stack).await;
    let repo = stack.cluster.claims_root().join(NS).join("workspace/repos/myapp");
    let hooks_before = std::fs::read_dir(repo.join(".git/hooks")).map(|d| d.count()).unwrap_or(0);
    let head_before = support::git(&repo, &["rev-parse", "HEAD"]);
    let attack = "echo 'exit 0' > /workspace/repos/myapp/.git/hooks/post-checkout && \
                  chmod +x /workspace/repos/myapp/.git/hooks/post-checkout; \
                  echo pwned >> /workspace/repos/myapp/VERSION; \
                  git -C /workspace/repos/myapp config core.fsmonitor 'touch /tmp/owned'; \
                  echo done";
    let mut client = WorkflowServiceClient::new(stack.channel.clone());
    let answer = client.run_tests(run(&second, attack)).await.expect("the run runs").into_inner();
    assert_eq!(answer.outcome, TestRunOutcome::Passed as i32, "{answer:?}");
    assert!(
        answer.log_tail.contains("Read-only file system") || answer.log_tail.contains("read-only"),
        "{}",
        answer.log_tail
    );
    assert_eq!(
        std::fs::read_to_string(repo.join("VERSION")).expect("read"),
        "two\n",
        "VERSION was rewritten"
    );
    let hooks_after = std::fs::read_dir(repo.join(".git/hooks")).map(|d| d.count()).unwrap_or(0);
    assert_eq!(hooks_before, hooks_after, "a hook was planted");
    let config = std::fs::read_to_string(repo.join(".git/config")).expect("config");
    assert!(!config.contains("fsmonitor"), "the repository's config was rewritten: {config}");
    assert_eq!(support::git(&repo, &["rev-parse", "HEAD"]), head_before);
    stack.stop().await;
}

#[tokio::test]
async fn a_repository_owned_by_another_user_still_runs_and_its_config_runs_nothing_in_kubegate() {
    let stack = support::stack().await;
    let (_, second) = support::git_workspace(&stack).await;
    let repo = stack.cluster.claims_root().join(NS).join("workspace/repos/myapp");
    // The repository's own config asks git to run a command; kubegate's git calls must not run it.
    let marker = tempfile::tempdir().expect("dir").keep().join("fsmonitor-ran");
    support::git(&repo, &["config", "core.fsmonitor", &format!("touch {}", marker.display())]);
    // Owned by another user, as a claim written by a workload pod is: git's ownership check applies.
    let status =
        std::process::Command::new("chown").args(["-R", "12345:12345"]).arg(&repo).status().expect("chown");
    assert!(status.success());
    let mut client = WorkflowServiceClient::new(stack.channel.clone());
    let mut request = run(&second, "sh test.sh");
    request.image = String::new(); // matched from .nvmrc at the commit: kubegate's own git reads the repository
    let answer = client.run_tests(request).await.expect("the run runs").into_inner();
    assert_eq!(answer.outcome, TestRunOutcome::Passed as i32, "not UNKNOWN_COMMIT: {answer:?}");
    assert_eq!(answer.image, "node:20.11.0-alpine");
    assert!(!marker.exists(), "kubegate ran the repository's fsmonitor command");
    stack.stop().await;
}
