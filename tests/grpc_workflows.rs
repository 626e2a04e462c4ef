//! The workflows over gRPC on the embedded cluster, whose claims are real shared directories: test runs
//! at two commits of a git repository in parallel, a timeout, an unknown commit (seen by kubegate, and
//! seen by the pod when kubegate cannot read the claim), a pod that never starts, the streamed progress;
//! previews made and removed whole; image matching from a project on the claim.

mod support;

use std::path::Path;
use std::time::Duration;

use futures::StreamExt as _;
use kube::api::Api;
use kubegate_proto::v1::workflow_service_client::WorkflowServiceClient;
use kubegate_proto::v1::*;
use tonic::Code;

const NS: &str = "opencode-manager";

fn git(dir: &Path, args: &[&str]) -> String {
    support::git(dir, args)
}

async fn workspace(stack: &support::Stack) -> (String, String) {
    support::git_workspace(stack).await
}

fn run_request(commit: &str, command: &str) -> RunTestsRequest {
    RunTestsRequest {
        repository: Some(ProjectLocation { claim_name: "workspace".into(), path: "repos/myapp".into() }),
        commit: commit.into(),
        command: command.into(),
        ..Default::default()
    }
}

fn workflows(stack: &support::Stack) -> WorkflowServiceClient<tonic::transport::Channel> {
    WorkflowServiceClient::new(stack.channel.clone())
}

fn outcome(r: &RunTestsResponse) -> TestRunOutcome {
    TestRunOutcome::try_from(r.outcome).unwrap_or(TestRunOutcome::Unspecified)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_at_two_commits_in_parallel_fail_and_pass_with_a_matched_image() {
    let stack = support::stack_with(support::loopback_options(false), false).await;
    let (first, second) = workspace(&stack).await;
    let mut a = workflows(&stack);
    let mut b = workflows(&stack);
    let (failing, passing) = tokio::join!(
        a.run_tests(run_request(&first, "sh test.sh")),
        b.run_tests(run_request(&second[..12], "sh test.sh")),
    );
    let (failing, passing) =
        (failing.expect("first run").into_inner(), passing.expect("second run").into_inner());

    assert_eq!(outcome(&failing), TestRunOutcome::TestsFailed, "{failing:?}");
    assert_eq!(failing.exit_code, Some(1));
    assert!(failing.log_tail.contains("running the tests of one"), "{}", failing.log_tail);
    assert!(failing.log_tail.contains("expected 2, got 3"), "stderr is in the log: {}", failing.log_tail);
    assert_eq!(outcome(&passing), TestRunOutcome::Passed, "{passing:?}");
    assert_eq!(passing.exit_code, Some(0));
    assert!(passing.log_tail.contains("running the tests of two"), "its own commit: {}", passing.log_tail);
    assert_eq!(passing.image, "node:20.11.0-alpine", "matched from .nvmrc at that commit");
    assert!(passing.duration.is_some_and(|d| d.seconds < 60));
    assert_ne!(failing.pod_name, passing.pod_name);

    // The pods are kept for inspection, and the shared repository was not written by the runs.
    let mut pods = stack.pods();
    for name in [&failing.pod_name, &passing.pod_name] {
        pods.get_pod(GetPodRequest { namespace: String::new(), name: name.clone() }).await.expect("kept");
    }
    let repo = stack.cluster.claims_root().join(NS).join("workspace/repos/myapp");
    assert_eq!(git(&repo, &["status", "--porcelain"]), "", "the shared checkout is untouched");
    assert_eq!(git(&repo, &["rev-parse", "HEAD"]), second);
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timeouts_unknown_commits_and_pods_that_never_start_are_told_apart() {
    let stack = support::stack_with(support::loopback_options(false), false).await;
    let (first, _) = workspace(&stack).await;
    let mut client = workflows(&stack);

    let mut slow = run_request(&first, "sleep 100");
    slow.image = "busybox:1.36".into();
    slow.timeout = Some(prost_types::Duration { seconds: 2, nanos: 0 });
    let timed_out = client.run_tests(slow).await.expect("run").into_inner();
    assert_eq!(outcome(&timed_out), TestRunOutcome::TimedOut, "{timed_out:?}");

    let unknown = client.run_tests(run_request("0123456789abcdef", "true")).await.expect("run").into_inner();
    assert_eq!(outcome(&unknown), TestRunOutcome::UnknownCommit, "{unknown:?}");
    assert!(unknown.pod_name.is_empty(), "kubegate saw it before creating a pod");

    let mut nowhere = run_request(&first, "true");
    nowhere.image = "busybox:1.36".into();
    nowhere.repository = Some(ProjectLocation { claim_name: "no-such-claim".into(), path: "x".into() });
    let never = client.run_tests(nowhere).await.expect("run").into_inner();
    assert_eq!(outcome(&never), TestRunOutcome::NeverStarted, "{never:?}");
    assert!(never.message.contains("no-such-claim"), "the pod's reason: {}", never.message);

    let invalid = client.run_tests(run_request("main; rm -rf /", "true")).await.expect_err("refused");
    assert_eq!(invalid.code(), Code::InvalidArgument);
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pod_itself_reports_an_unknown_commit_when_kubegate_cannot_read_the_claim() {
    let mut options = support::loopback_options(false);
    options.workflows.claims_root = Some(std::env::temp_dir().join("kubegate-tests-unreadable-claims"));
    let stack = support::stack_with(options, false).await;
    let (first, _) = workspace(&stack).await;
    let mut client = workflows(&stack);
    let mut request = run_request("0123456789abcdef", "true");
    request.image = "busybox:1.36".into();
    let unknown = client.run_tests(request).await.expect("run").into_inner();
    assert_eq!(outcome(&unknown), TestRunOutcome::UnknownCommit, "{unknown:?}");
    assert!(!unknown.pod_name.is_empty(), "the pod found out");
    assert_eq!(unknown.exit_code, None, "the checkout's exit is not the tests' exit code");

    let mut broken = run_request(&first, "true");
    broken.image = "busybox:1.36".into();
    broken.repository = Some(ProjectLocation { claim_name: "workspace".into(), path: "repos/none".into() });
    let failed = client.run_tests(broken).await.expect("run").into_inner();
    assert_eq!(outcome(&failed), TestRunOutcome::CheckoutFailed, "{failed:?}");

    // Without an image and without access to the project, there is nothing to match: said before any pod.
    let refused = client.run_tests(run_request(&first, "true")).await.expect_err("refused");
    assert_eq!(refused.code(), Code::FailedPrecondition);
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamed_run_reports_progress_in_order() {
    let stack = support::stack_with(support::loopback_options(false), false).await;
    let (_, second) = workspace(&stack).await;
    let mut client = workflows(&stack);
    let mut events = client
        .stream_test_run(StreamTestRunRequest { run: Some(run_request(&second, "sh test.sh")) })
        .await
        .expect("stream")
        .into_inner();
    let mut kinds = Vec::new();
    let mut output = Vec::new();
    let mut finished = None;
    while let Some(event) =
        tokio::time::timeout(Duration::from_secs(60), events.next()).await.expect("in time")
    {
        match event.expect("event").event.expect("kind") {
            stream_test_run_response::Event::Scheduled(_) => kinds.push("scheduled"),
            stream_test_run_response::Event::Running(_) => kinds.push("running"),
            stream_test_run_response::Event::Output(data) => {
                if kinds.last() != Some(&"output") {
                    kinds.push("output");
                }
                output.extend(data);
            }
            stream_test_run_response::Event::Finished(result) => {
                kinds.push("finished");
                finished = Some(result);
            }
        }
    }
    assert_eq!(kinds.first(), Some(&"scheduled"), "{kinds:?}");
    assert_eq!(kinds.last(), Some(&"finished"), "{kinds:?}");
    assert!(kinds.contains(&"output"), "{kinds:?}");
    assert!(String::from_utf8_lossy(&output).contains("all passed"));
    assert_eq!(finished.map(|f| outcome(&f)), Some(TestRunOutcome::Passed));
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn previews_are_made_and_removed_whole() {
    let stack = support::stack_with(support::loopback_options(false), false).await;
    let mut client = workflows(&stack);
    let request = CreatePreviewRequest {
        name: "web".into(),
        image: "node:20-alpine".into(),
        command: vec!["sleep".into(), "600".into()],
        port: 3000,
        websocket: true,
        ..Default::default()
    };
    let preview =
        client.create_preview(request.clone()).await.expect("created").into_inner().preview.expect("preview");
    assert_eq!(preview.url, "http://preview-web.localhost/");
    let ingress = preview.ingress.clone().expect("ingress");
    assert_eq!(ingress.rules[0].host, "preview-web.localhost");
    let annotations = ingress.metadata.as_ref().map(|m| m.annotations.clone()).unwrap_or_default();
    assert_eq!(
        annotations.get("nginx.ingress.kubernetes.io/upgrade-proxy-header").map(String::as_str),
        Some("websocket")
    );
    assert!(preview.service.is_some() && preview.pod.is_some());

    // The Service and Ingress are owned by the pod.
    let client_k8s = stack.cluster.client().await.expect("client");
    let services: Api<k8s_openapi::api::core::v1::Service> = Api::namespaced(client_k8s.clone(), NS);
    let owner = services.get("web").await.expect("service").metadata.owner_references.unwrap_or_default();
    assert_eq!((owner[0].kind.as_str(), owner[0].name.as_str()), ("Pod", "web"));

    let listed = client.list_previews(ListPreviewsRequest::default()).await.expect("list").into_inner();
    assert_eq!(listed.previews.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["web"]);
    let again = client.create_preview(request).await.expect_err("exists");
    assert_eq!(again.code(), Code::AlreadyExists);
    client
        .delete_preview(DeletePreviewRequest { namespace: String::new(), name: "web".into() })
        .await
        .expect("delete");
    // Deletion is graceful: the pod lingers while its process ends.
    support::eventually(40, "the preview to go", || {
        let mut client = client.clone();
        async move {
            let gone =
                client.get_preview(GetPreviewRequest { namespace: String::new(), name: "web".into() }).await;
            matches!(gone, Err(e) if e.code() == Code::NotFound).then_some(())
        }
    })
    .await;
    let network = stack.network();
    support::eventually(10, "the service and ingress to go", || {
        let mut network = network.clone();
        async move {
            let s = network
                .list_kubernetes_services(ListKubernetesServicesRequest::default())
                .await
                .ok()?
                .into_inner();
            let i = network.list_ingresses(ListIngressesRequest::default()).await.ok()?.into_inner();
            (s.services.is_empty() && i.ingresses.is_empty()).then_some(())
        }
    })
    .await;

    // Deleting the pod alone takes its Service and Ingress with it (garbage collection by owner).
    let mut second = CreatePreviewRequest {
        name: "api".into(),
        image: "busybox".into(),
        port: 8080,
        ..Default::default()
    };
    second.command = vec!["sleep".into(), "600".into()];
    client.create_preview(second).await.expect("created");
    let mut pods = stack.pods();
    pods.delete_pod(DeletePodRequest {
        name: "api".into(),
        grace_period_seconds: Some(0),
        ..Default::default()
    })
    .await
    .expect("delete pod");
    support::eventually(10, "the owned objects to go", || {
        let mut network = network.clone();
        async move {
            let s = network
                .list_kubernetes_services(ListKubernetesServicesRequest::default())
                .await
                .ok()?
                .into_inner();
            let i = network.list_ingresses(ListIngressesRequest::default()).await.ok()?.into_inner();
            (s.services.is_empty() && i.ingresses.is_empty()).then_some(())
        }
    })
    .await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_preview_whose_ingress_fails_leaves_nothing_behind() {
    let stack = support::stack_with(support::loopback_options(false), false).await;
    let mut client = workflows(&stack);
    stack.cluster.faults().fail_requests(Some("POST"), "/ingresses", 500, Some(1));
    let request = CreatePreviewRequest {
        name: "broken".into(),
        image: "busybox".into(),
        command: vec!["sleep".into(), "600".into()],
        port: 80,
        ..Default::default()
    };
    let failed = client.create_preview(request).await.expect_err("the ingress failed");
    assert!(failed.message().contains("ngress"), "the failure names the Ingress: {failed:?}");
    let pods = stack.pods();
    let network = stack.network();
    support::eventually(10, "nothing left", || {
        let (mut pods, mut network) = (pods.clone(), network.clone());
        async move {
            let p = pods.list_pods(ListPodsRequest::default()).await.ok()?.into_inner();
            let s = network
                .list_kubernetes_services(ListKubernetesServicesRequest::default())
                .await
                .ok()?
                .into_inner();
            let i = network.list_ingresses(ListIngressesRequest::default()).await.ok()?.into_inner();
            (p.pods.is_empty() && s.services.is_empty() && i.ingresses.is_empty()).then_some(())
        }
    })
    .await;
    let invalid = client
        .create_preview(CreatePreviewRequest {
            name: "Bad_Name".into(),
            image: "x".into(),
            port: 0,
            ..Default::default()
        })
        .await
        .expect_err("invalid");
    assert_eq!(invalid.code(), Code::InvalidArgument);
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn images_match_from_a_project_on_the_claim() {
    let stack = support::stack_with(support::loopback_options(false), false).await;
    let (first, _) = workspace(&stack).await;
    let project = stack.cluster.claims_root().join(NS).join("workspace/projects/mixed");
    std::fs::create_dir_all(&project).expect("dir");
    std::fs::write(project.join(".python-version"), "3.12.0\n").expect("write");
    std::fs::write(project.join("mise.toml"), "[tools]\npython = \"3.11\"\n").expect("write");
    std::fs::write(project.join("package.json"), "{ not json").expect("write");
    let mut client = workflows(&stack);
    let location = |path: &str| Some(ProjectLocation { claim_name: "workspace".into(), path: path.into() });

    let mixed = client
        .match_image(MatchImageRequest { project: location("projects/mixed"), commit: String::new() })
        .await
        .expect("match")
        .into_inner();
    assert_eq!(mixed.image, "python:3.12.0-slim");
    assert_eq!(mixed.conflicts.len(), 1, "3.11 and 3.12.0 disagree: {:?}", mixed.conflicts);
    assert_eq!(mixed.malformed.iter().map(|m| m.file.as_str()).collect::<Vec<_>>(), ["package.json"]);
    let chosen = mixed.chosen.expect("chosen");
    assert_eq!((chosen.file.as_str(), chosen.line), (".python-version", 1));

    let at_commit = client
        .match_image(MatchImageRequest { project: location("repos/myapp"), commit: first })
        .await
        .expect("match")
        .into_inner();
    assert_eq!(at_commit.image, "node:20.11.0-alpine");
    let missing =
        client.match_image(MatchImageRequest { project: location("nowhere"), commit: String::new() }).await;
    assert_eq!(missing.expect_err("missing").code(), Code::NotFound);
    let escape =
        client.match_image(MatchImageRequest { project: location("../../etc"), commit: String::new() }).await;
    assert_eq!(escape.expect_err("escape").code(), Code::InvalidArgument);
    stack.stop().await;
}
