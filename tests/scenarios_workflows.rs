//! Workflow scenarios on every cluster that runs them: a preview made whole and collected with its pod
//! (garbage collection by owner), and test runs at two commits of a repository on a real claim (on a real
//! cluster a hostPath PersistentVolume bound to the claim; the run needs a process, so kwok skips it).

mod support;

use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::networking::v1::Ingress;
use kube::api::Api;
use kubegate_proto::v1::workflow_service_client::WorkflowServiceClient;
use kubegate_proto::v1::*;
use support::ScenarioStack;
use support::scenario::NAMESPACE;
use tonic::Code;

fn workflows(s: &ScenarioStack) -> WorkflowServiceClient<tonic::transport::Channel> {
    WorkflowServiceClient::new(s.channel.clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_a_preview_is_made_whole_and_collected_with_its_pod() {
    let s = ScenarioStack::start().await;
    let mut client = workflows(&s);
    let request = CreatePreviewRequest {
        name: "sc-preview".into(),
        image: "busybox:1.36".into(),
        command: vec!["sleep".into(), "600".into()],
        port: 8080,
        websocket: true,
        ..Default::default()
    };
    let preview = client.create_preview(request.clone()).await.expect("created").into_inner();
    let preview = preview.preview.expect("preview");
    assert_eq!(preview.url, "http://preview-sc-preview.localhost/");
    assert!(preview.pod.is_some() && preview.service.is_some() && preview.ingress.is_some());
    let again = client.create_preview(request).await.expect_err("exists");
    assert_eq!(again.code(), Code::AlreadyExists);

    // The Service and the Ingress belong to the pod, as the API server stored them.
    let services: Api<Service> = Api::namespaced(s.kube.clone(), NAMESPACE);
    let ingresses: Api<Ingress> = Api::namespaced(s.kube.clone(), NAMESPACE);
    for owners in [
        services.get("sc-preview").await.expect("service").metadata.owner_references,
        ingresses.get("sc-preview").await.expect("ingress").metadata.owner_references,
    ] {
        let owner = owners.unwrap_or_default();
        assert_eq!(
            owner.iter().map(|o| (o.kind.as_str(), o.name.as_str())).collect::<Vec<_>>(),
            [("Pod", "sc-preview")]
        );
    }
    // Deleting the pod alone (behind kubegate's back) takes them with it: the cluster's garbage collector.
    s.delete("sc-preview").await;
    support::eventually(90, "the owned Service and Ingress to be collected", || {
        let (services, ingresses) = (services.clone(), ingresses.clone());
        async move {
            let service = services.get_opt("sc-preview").await.ok()?;
            let ingress = ingresses.get_opt("sc-preview").await.ok()?;
            (service.is_none() && ingress.is_none()).then_some(())
        }
    })
    .await;
    s.stop().await;
}

/// A repository of two commits on the claim: the first fails its tests, the second passes; the work tree
/// then changes the runtime version, which a run at a commit must not see.
fn repository(claim: &std::path::Path) -> (String, String) {
    let repo = claim.join("repos/myapp");
    std::fs::create_dir_all(&repo).expect("repo dir");
    support::git(&repo, &["init", "--quiet", "--initial-branch=main"]);
    std::fs::write(repo.join(".nvmrc"), "20.11.0\n").expect("write");
    std::fs::write(repo.join("VERSION"), "one\n").expect("write");
    std::fs::write(
        repo.join("test.sh"),
        "echo tests of $(cat VERSION) in $(id -u)\necho 'expected 2, got 3' >&2\nexit 1\n",
    )
    .expect("write");
    support::git(&repo, &["add", "."]);
    support::git(&repo, &["commit", "--quiet", "-m", "first"]);
    let first = support::git(&repo, &["rev-parse", "HEAD"]);
    std::fs::write(repo.join("VERSION"), "two\n").expect("write");
    std::fs::write(repo.join("test.sh"), "echo tests of $(cat VERSION)\necho all passed\n").expect("write");
    support::git(&repo, &["commit", "--quiet", "-am", "second"]);
    let second = support::git(&repo, &["rev-parse", "HEAD"]);
    std::fs::write(repo.join(".nvmrc"), "18.19.0\n").expect("uncommitted change");
    // The pods run as another user than this test: the repository must be readable to them.
    let _ = std::process::Command::new("chmod").args(["-R", "a+rX"]).arg(claim).status();
    (first, second)
}

fn run(commit: &str) -> RunTestsRequest {
    RunTestsRequest {
        repository: Some(ProjectLocation { claim_name: "sc-workspace".into(), path: "repos/myapp".into() }),
        commit: commit.into(),
        command: "sh test.sh".into(),
        timeout: Some(prost_types::Duration { seconds: 120, nanos: 0 }),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_process_test_runs_at_two_commits_on_a_claim() {
    let s = ScenarioStack::start_with_claim("sc-workspace").await;
    let (first, second) = repository(s.claim_dir.as_deref().expect("claim"));
    let (mut a, mut b) = (workflows(&s), workflows(&s));
    let (failing, passing) = tokio::join!(a.run_tests(run(&first)), b.run_tests(run(&second[..12])));
    let (failing, passing) = (failing.expect("first").into_inner(), passing.expect("second").into_inner());
    assert_eq!(failing.outcome, TestRunOutcome::TestsFailed as i32, "{failing:?}");
    assert_eq!(failing.exit_code, Some(1));
    assert!(failing.log_tail.contains("tests of one"), "{}", failing.log_tail);
    assert!(failing.log_tail.contains("expected 2, got 3"), "stderr is in the log: {}", failing.log_tail);
    assert_eq!(passing.outcome, TestRunOutcome::Passed as i32, "{passing:?}");
    assert!(passing.log_tail.contains("tests of two"), "its own commit: {}", passing.log_tail);
    assert_eq!(passing.image, "node:20.11.0-alpine", "matched from .nvmrc at the commit, not the work tree");
    let mut matcher = workflows(&s);
    let location = ProjectLocation { claim_name: "sc-workspace".into(), path: "repos/myapp".into() };
    let at_work_tree = MatchImageRequest { project: Some(location), ..Default::default() };
    let answer = matcher.match_image(at_work_tree).await.expect("match").into_inner();
    assert_eq!(answer.image, "node:18.19.0-alpine", "the work tree has its own version");
    let commit = "0123456789abcdef0123456789abcdef01234567";
    let unknown = workflows(&s).run_tests(run(commit)).await.expect("answered").into_inner();
    assert_eq!(unknown.outcome, TestRunOutcome::UnknownCommit as i32, "{unknown:?}");
    for pod in [&failing.pod_name, &passing.pod_name] {
        s.delete(pod).await;
    }
    s.stop().await;
}
