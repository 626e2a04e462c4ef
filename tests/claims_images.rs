//! Image matching "at the run's commit": a repository on a claim whose version files differ between two
//! commits and the work tree. MatchImage at a commit and a test run at a commit (without an image) each
//! take that commit's files, never the work tree's; without a commit the work tree counts. A project in
//! a subdirectory of a repository reads its own files at the commit, not the repository root's.

mod support;

use std::path::Path;

use kubegate_proto::v1::workflow_service_client::WorkflowServiceClient;
use kubegate_proto::v1::*;

const NS: &str = "opencode-manager";

/// An empty git repository `name` on the claim.
async fn repository(stack: &support::Stack, name: &str) -> std::path::PathBuf {
    let repo = claim(stack).await.join(name);
    std::fs::create_dir_all(&repo).expect("repo dir");
    support::git(&repo, &["init", "--quiet", "--initial-branch=main"]);
    repo
}

/// Creates the claim `projects` and returns its directory.
async fn claim(stack: &support::Stack) -> std::path::PathBuf {
    let client = stack.cluster.client().await.expect("client");
    let claims: kube::api::Api<k8s_openapi::api::core::v1::PersistentVolumeClaim> =
        kube::api::Api::namespaced(client, NS);
    let claim = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "projects"},
        "spec": {"accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": "1Gi"}}},
    }))
    .expect("a claim");
    claims.create(&kube::api::PostParams::default(), &claim).await.expect("create the claim");
    stack.cluster.claims_root().join(NS).join("projects")
}

/// Writes `files` (name, text; an empty text removes the file) into `dir`.
fn put(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        if text.is_empty() {
            std::fs::remove_file(&path).expect("remove");
        } else {
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("dir");
            std::fs::write(&path, text).expect("write");
        }
    }
}

/// Commits everything in `repo`; the commit id.
fn commit(repo: &Path, message: &str) -> String {
    support::git(repo, &["add", "-A"]);
    support::git(repo, &["commit", "--quiet", "-m", message]);
    support::git(repo, &["rev-parse", "HEAD"])
}

async fn matched(
    client: &mut WorkflowServiceClient<tonic::transport::Channel>,
    path: &str,
    commit: &str,
) -> MatchImageResponse {
    let project = Some(ProjectLocation { claim_name: "projects".into(), path: path.into() });
    client
        .match_image(MatchImageRequest { project, commit: commit.into() })
        .await
        .unwrap_or_else(|e| panic!("MatchImage {path}@{commit:?}: {e}"))
        .into_inner()
}

fn files(answer: &MatchImageResponse) -> Vec<(String, String)> {
    answer.found.iter().map(|f| (f.file.clone(), f.version.clone())).collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn match_image_and_test_runs_take_the_version_files_of_their_commit_not_the_work_tree() {
    let stack = support::stack_with(support::loopback_options(false), false).await;
    let repo = repository(&stack, "app").await;
    let show = "for f in .nvmrc .python-version; do echo \"$f=$(cat $f 2>/dev/null || echo none)\"; done";
    put(&repo, &[(".python-version", "3.11.4\n"), ("show.sh", show)]);
    let a = commit(&repo, "python");
    put(
        &repo,
        &[
            (".python-version", ""),
            (".nvmrc", "20.11.1\n"),
            ("package.json", r#"{"engines":{"node":">=20.11.1"}}"#),
        ],
    );
    let b = commit(&repo, "node");
    // The work tree moves on without a commit: a changed .nvmrc and a file git does not know.
    put(&repo, &[(".nvmrc", "22.2.0\n"), (".python-version", "3.13.0\n")]);

    let mut client = WorkflowServiceClient::new(stack.channel.clone());
    let at_a = matched(&mut client, "app", &a).await;
    assert_eq!(at_a.image, "python:3.11.4-slim", "{at_a:?}");
    assert_eq!(files(&at_a), pairs(&[(".python-version", "3.11.4")]));
    let at_b = matched(&mut client, "app", &b[..10]).await;
    assert_eq!(at_b.image, "node:20.11.1-alpine", "{at_b:?}");
    assert_eq!(files(&at_b), pairs(&[(".nvmrc", "20.11.1"), ("package.json", ">=20.11.1")]));
    let now = matched(&mut client, "app", "").await;
    assert_eq!(now.image, "node:22.2.0-alpine", "{now:?}");
    assert_eq!(
        files(&now),
        pairs(&[(".nvmrc", "22.2.0"), ("package.json", ">=20.11.1"), (".python-version", "3.13.0")])
    );

    // Test runs without an image: each pod gets its commit's image and sees its commit's files.
    let run = |commit: &str| RunTestsRequest {
        repository: Some(ProjectLocation { claim_name: "projects".into(), path: "app".into() }),
        commit: commit.into(),
        command: "sh show.sh".into(),
        ..Default::default()
    };
    let (mut first, mut second) = (client.clone(), client.clone());
    let (run_a, run_b) = tokio::join!(first.run_tests(run(&a)), second.run_tests(run(&b)));
    let (run_a, run_b) = (run_a.expect("run at A").into_inner(), run_b.expect("run at B").into_inner());
    for (answer, image, seen) in [
        (&run_a, "python:3.11.4-slim", ".nvmrc=none\n.python-version=3.11.4"),
        (&run_b, "node:20.11.1-alpine", ".nvmrc=20.11.1\n.python-version=none"),
    ] {
        assert_eq!(answer.outcome, TestRunOutcome::Passed as i32, "{answer:?}");
        assert_eq!(answer.image, image, "{answer:?}");
        assert!(answer.log_tail.contains(seen), "the commit's files: {}", answer.log_tail);
        let pod = stack
            .pods()
            .get_pod(GetPodRequest { namespace: String::new(), name: answer.pod_name.clone() })
            .await
            .expect("the run's pod")
            .into_inner()
            .pod
            .expect("a pod");
        assert_eq!(pod.image, image, "the pod was created with the commit's image");
    }
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_project_in_a_subdirectory_reads_its_own_files_at_the_commit() {
    let stack = support::stack_with(support::loopback_options(false), false).await;
    let repo = repository(&stack, "mono").await;
    put(&repo, &[(".nvmrc", "16.20.2\n"), ("web/.nvmrc", "18.19.0\n"), ("api/.python-version", "3.10.13\n")]);
    let a = commit(&repo, "first");
    put(&repo, &[("web/.nvmrc", "20.11.1\n")]);
    let b = commit(&repo, "second");
    put(&repo, &[("web/.nvmrc", "22.2.0\n")]);

    let mut client = WorkflowServiceClient::new(stack.channel.clone());
    for (commit, image) in [(&a, "node:18.19.0-alpine"), (&b, "node:20.11.1-alpine")] {
        let answer = matched(&mut client, "mono/web", commit).await;
        assert_eq!(answer.image, image, "web's own .nvmrc at {commit}, not the root's: {answer:?}");
    }
    assert_eq!(matched(&mut client, "mono/web", "").await.image, "node:22.2.0-alpine");
    assert_eq!(matched(&mut client, "mono/api", &a).await.image, "python:3.10.13-slim");
    assert_eq!(matched(&mut client, "mono", &a).await.image, "node:16.20.2-alpine");
    stack.stop().await;
}
