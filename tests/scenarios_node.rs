//! Scenarios only a real node can answer, ignored elsewhere (the embedded cluster has no images and no
//! Service network; kwok runs nothing): `tests/control-plane/e2e.sh` runs them with `--ignored` against
//! the control plane with a real kubelet. An image that no registry has is IMAGE_UNAVAILABLE, and a
//! preview answers HTTP through its Service. With deploy/'s ServiceAccount token (RBAC as deploy/ sets it
//! up), the connection test finds every permission of the Role allowed, and names the one taken out.

mod support;

use k8s_openapi::api::core::v1::Service;
use kube::api::Api;
use kubegate_proto::v1::workflow_service_client::WorkflowServiceClient;
use kubegate_proto::v1::*;
use support::ScenarioStack;
use support::scenario::NAMESPACE;

const REAL_NODE: &str = "needs a real node: tests/control-plane/e2e.sh runs it with --ignored";

fn workflows(s: &ScenarioStack) -> WorkflowServiceClient<tonic::transport::Channel> {
    WorkflowServiceClient::new(s.channel.clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a real node: tests/control-plane/e2e.sh runs it with --ignored"]
async fn scenario_node_an_image_nobody_has_is_image_unavailable() {
    let s = ScenarioStack::start_with_claim("sc-images").await;
    assert!(s.real, "{REAL_NODE}");
    let repo = s.claim_dir.as_deref().expect("claim").join("app");
    std::fs::create_dir_all(&repo).expect("repo dir");
    support::git(&repo, &["init", "--quiet", "--initial-branch=main"]);
    std::fs::write(repo.join("test.sh"), "true\n").expect("write");
    support::git(&repo, &["add", "."]);
    support::git(&repo, &["commit", "--quiet", "-m", "only"]);
    let commit = support::git(&repo, &["rev-parse", "HEAD"]);
    let _ = std::process::Command::new("chmod").args(["-R", "a+rX"]).arg(&repo).status();
    let request = RunTestsRequest {
        repository: Some(ProjectLocation { claim_name: "sc-images".into(), path: "app".into() }),
        commit,
        image: "kubegate.local/no-such-image:0.0.0".into(),
        command: "sh test.sh".into(),
        timeout: Some(prost_types::Duration { seconds: 90, nanos: 0 }),
        ..Default::default()
    };
    let answer = workflows(&s).run_tests(request).await.expect("answered").into_inner();
    assert_eq!(answer.outcome, TestRunOutcome::ImageUnavailable as i32, "{answer:?}");
    assert!(answer.message.contains("no-such-image"), "the message names the image: {}", answer.message);
    s.delete(&answer.pod_name).await;
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a real node: tests/control-plane/e2e.sh runs it with --ignored"]
async fn scenario_node_a_preview_answers_through_its_service() {
    let s = ScenarioStack::start().await;
    assert!(s.real, "{REAL_NODE}");
    // Named per run: a run cut short leaves its preview behind on a cluster that outlives it.
    let name = format!("sc-web-{}", std::process::id());
    let request = CreatePreviewRequest {
        name: name.clone(),
        image: "busybox:1.36".into(),
        command: vec![
            "sh".into(),
            "-c".into(),
            "mkdir -p /tmp/www && echo preview-of-$((6*7)) > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www".into(),
        ],
        port: 8080,
        ..Default::default()
    };
    workflows(&s).create_preview(request).await.expect("created");
    let services: Api<Service> = Api::namespaced(s.kube.clone(), NAMESPACE);
    let service = services.get(&name).await.expect("service");
    let ip = service.spec.and_then(|s| s.cluster_ip).expect("a cluster IP");
    let port = 8080;
    let page = support::eventually(60, "the preview to answer through its Service", || {
        let ip = ip.clone();
        async move {
            let addr: std::net::SocketAddr = format!("{ip}:{port}").parse().ok()?;
            use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
            let connect = tokio::net::TcpStream::connect(addr);
            let mut socket =
                tokio::time::timeout(std::time::Duration::from_secs(2), connect).await.ok()?.ok()?;
            socket.write_all(b"GET / HTTP/1.0\r\nHost: preview\r\n\r\n").await.ok()?;
            let mut answer = String::new();
            socket.read_to_string(&mut answer).await.ok()?;
            // Until kube-proxy has programmed the Service, the address is nobody's (or someone else's).
            (answer.starts_with("HTTP/1.") && answer.contains("preview-of-42")).then_some(answer)
        }
    })
    .await;
    assert!(page.contains(" 200 ") && page.contains("preview-of-42"), "{page}");
    let mut client = workflows(&s);
    client.delete_preview(DeletePreviewRequest { namespace: String::new(), name }).await.expect("delete");
    s.stop().await;
}

/// The checks of the connection test, as "verb group/resource/subresource" → allowed.
async fn permissions(s: &ScenarioStack) -> (bool, Vec<(String, bool)>) {
    let mut cluster =
        kubegate_proto::v1::cluster_service_client::ClusterServiceClient::new(s.channel.clone());
    let report = cluster.test_connection(TestConnectionRequest::default()).await.expect("test").into_inner();
    let checks = report
        .permissions
        .iter()
        .map(|p| (format!("{} {}/{}/{}", p.verb, p.group, p.resource, p.subresource), p.allowed))
        .collect();
    (report.all_permissions_allowed, checks)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a real API server with deploy/'s Role: tests/control-plane/e2e.sh runs it with --ignored"]
async fn scenario_rbac_the_role_grants_every_permission_the_connection_test_checks_and_no_fewer() {
    use k8s_openapi::api::rbac::v1::Role;
    let s = ScenarioStack::start_restricted().await;
    assert!(s.real, "{REAL_NODE}");
    let (all, checks) = permissions(&s).await;
    assert!(all && !checks.is_empty() && checks.iter().all(|(_, allowed)| *allowed), "{checks:?}");
    // Take the logs rule out of deploy/'s Role: the connection test names exactly what is missing.
    let roles: Api<Role> = Api::namespaced(s.kube.clone(), NAMESPACE);
    let role = roles.get("kubegate").await.expect("deploy/'s Role is applied");
    let mut narrowed = role.clone();
    let rules = narrowed.rules.get_or_insert_with(Vec::new);
    let before = rules.len();
    rules.retain(|r| r.resources.as_ref().is_none_or(|res| !res.iter().any(|x| x == "pods/log")));
    assert_eq!(rules.len(), before - 1, "the Role has one rule for pods/log");
    roles.replace("kubegate", &Default::default(), &narrowed).await.expect("narrow the Role");
    let narrowed_report = support::eventually(30, "RBAC to see the narrowed Role", || async {
        let (all, checks) = permissions(&s).await;
        (!all).then_some(checks)
    })
    .await;
    let mut restored = roles.get("kubegate").await.expect("role");
    restored.rules = role.rules.clone();
    roles.replace("kubegate", &Default::default(), &restored).await.expect("restore the Role");
    let denied: Vec<_> =
        narrowed_report.iter().filter(|(_, allowed)| !allowed).map(|(p, _)| p.as_str()).collect();
    assert_eq!(denied, ["get /pods/log"], "exactly the removed permission is reported missing");
    support::eventually(30, "the restored Role to grant everything again", || async {
        permissions(&s).await.0.then_some(())
    })
    .await;
    s.stop().await;
}
