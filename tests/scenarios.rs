//! One scenario suite for two clusters: it runs against the embedded cluster by default, and against a
//! real API server when `KUBEGATE_TEST_KUBECONFIG` names one (`tests/run` starts kube-apiserver, etcd and
//! kwok for that; any user cluster works the same way). kwok runs no containers: pods are simulated,
//! logs come from a fixed file, exec runs on the kwok host. Where the two differ, the scenario says so.
//! Names carry the test's name so scenarios can share a namespace.

mod support;

use kubegate_proto::v1::cluster_service_client::ClusterServiceClient;
use kubegate_proto::v1::exec_service_client::ExecServiceClient;
use kubegate_proto::v1::network_service_client::NetworkServiceClient;
use kubegate_proto::v1::*;
use support::ScenarioStack;
use tonic::Code;

/// GetPod's JSON is the API server's: the object a GET of the pod returns, every field included (`null`s
/// and fields this build's Kubernetes types do not know), read until both show the same resourceVersion.
async fn same_json_as_the_api_server(s: &ScenarioStack, name: &str) {
    let path = format!("/api/v1/namespaces/{}/pods", support::scenario::NAMESPACE);
    for _ in 0..50 {
        let request = GetPodRequest { namespace: String::new(), name: name.into() };
        let ours = s.pods().get_pod(request).await.expect("get").into_inner().object_json;
        let ours: serde_json::Value = serde_json::from_str(&ours).expect("GetPod's JSON");
        let request =
            kube::core::Request::new(&path).get(name, &kube::api::GetParams::default()).expect("a GET");
        let theirs = s.kube.request_text(request).await.expect("the API server's GET");
        let theirs: serde_json::Value = serde_json::from_str(&theirs).expect("the API server's JSON");
        if ours["metadata"]["resourceVersion"] == theirs["metadata"]["resourceVersion"] {
            assert_eq!(ours, theirs, "GetPod's JSON is the API server's");
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("GetPod and the API server never showed the same resourceVersion of {name}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_pods_live_and_die() {
    let s = ScenarioStack::start().await;
    let name = "sc-pods";
    s.running(name, &["sleep", "600"], &[("scenario", "pods")]).await;
    let mut client = s.pods();
    let listed = client
        .list_pods(ListPodsRequest { label_selector: "scenario=pods".into(), ..Default::default() })
        .await
        .expect("list")
        .into_inner();
    assert_eq!(listed.pods.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), [name]);
    let got =
        client.get_pod(GetPodRequest { namespace: String::new(), name: name.into() }).await.expect("get");
    let object: serde_json::Value = serde_json::from_str(&got.into_inner().object_json).expect("json");
    assert_eq!(object["metadata"]["labels"]["managed-by"], "opencode-manager");
    assert_eq!(object["metadata"]["labels"]["app"], "opencode-manager");
    // Hardened as the API server stored it (on a real cluster, admitted under Pod Security baseline).
    assert_eq!(object["spec"]["automountServiceAccountToken"], false);
    assert_eq!(object["spec"]["securityContext"]["seccompProfile"]["type"], "RuntimeDefault");
    let container = &object["spec"]["containers"][0]["securityContext"];
    assert_eq!(container["allowPrivilegeEscalation"], false);
    assert_eq!(container["capabilities"]["drop"], serde_json::json!(["ALL"]));
    same_json_as_the_api_server(&s, name).await;
    let again = client
        .create_pod(CreatePodRequest {
            pod: Some(PodSpec { name: name.into(), image: "busybox".into(), ..Default::default() }),
            validate_only: false,
        })
        .await
        .expect_err("exists");
    assert_eq!(again.code(), Code::AlreadyExists);
    let invalid = client
        .create_pod(CreatePodRequest {
            pod: Some(PodSpec { name: "Not_Valid".into(), image: "busybox".into(), ..Default::default() }),
            validate_only: false,
        })
        .await
        .expect_err("invalid");
    assert_eq!(invalid.code(), Code::InvalidArgument);
    s.delete(name).await;
    support::eventually(60, "the pod to go", || {
        let mut client = client.clone();
        async move {
            let gone = client.get_pod(GetPodRequest { namespace: String::new(), name: name.into() }).await;
            matches!(gone, Err(e) if e.code() == Code::NotFound).then_some(())
        }
    })
    .await;
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_services_and_ingresses() {
    let s = ScenarioStack::start().await;
    let mut network = NetworkServiceClient::new(s.channel.clone());
    let service = KubernetesServiceSpec {
        name: "sc-svc".into(),
        selector: [("app".to_string(), "sc".to_string())].into(),
        ports: vec![ServicePort { port: 8080, target_port: 3000, ..Default::default() }],
        ..Default::default()
    };
    network
        .create_kubernetes_service(CreateKubernetesServiceRequest { service: Some(service) })
        .await
        .expect("service");
    let got = network
        .get_kubernetes_service(GetKubernetesServiceRequest {
            namespace: String::new(),
            name: "sc-svc".into(),
        })
        .await
        .expect("get")
        .into_inner();
    assert!(!got.service.expect("service").cluster_ip.is_empty(), "a ClusterIP is assigned");
    let ingress = IngressSpec {
        name: "sc-ing".into(),
        rules: vec![IngressRule {
            host: "sc.example.com".into(),
            paths: vec![IngressPath {
                path: "/".into(),
                path_type: PathType::Prefix as i32,
                backend: Some(IngressBackend {
                    service_name: "sc-svc".into(),
                    service_port_number: 8080,
                    ..Default::default()
                }),
            }],
        }],
        ..Default::default()
    };
    network.create_ingress(CreateIngressRequest { ingress: Some(ingress) }).await.expect("ingress");
    let listed = network.list_ingresses(ListIngressesRequest::default()).await.expect("list").into_inner();
    assert!(
        listed.ingresses.iter().any(|i| i.rules.first().map(|r| r.host.as_str()) == Some("sc.example.com"))
    );
    let bad = KubernetesServiceSpec {
        name: "sc-bad".into(),
        ports: vec![ServicePort { port: 70000, ..Default::default() }],
        ..Default::default()
    };
    let refused =
        network.create_kubernetes_service(CreateKubernetesServiceRequest { service: Some(bad) }).await;
    assert_eq!(refused.expect_err("invalid").code(), Code::InvalidArgument);
    network
        .delete_ingress(DeleteIngressRequest { namespace: String::new(), name: "sc-ing".into() })
        .await
        .expect("del");
    network
        .delete_kubernetes_service(DeleteKubernetesServiceRequest {
            namespace: String::new(),
            name: "sc-svc".into(),
        })
        .await
        .expect("del");
    let gone = network
        .get_kubernetes_service(GetKubernetesServiceRequest {
            namespace: String::new(),
            name: "sc-svc".into(),
        })
        .await;
    assert_eq!(gone.expect_err("gone").code(), Code::NotFound);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_logs_and_exec() {
    let s = ScenarioStack::start().await;
    let name = "sc-exec";
    s.running(
        name,
        &["sh", "-c", "echo kubegate-e2e log line 1; echo kubegate-e2e log line 2; sleep 600"],
        &[],
    )
    .await;
    let client = s.pods();
    let logs = support::eventually(30, "the log", || {
        let mut client = client.clone();
        async move {
            let request = GetPodLogsRequest { namespace: String::new(), name: name.into(), options: None };
            let content = client.get_pod_logs(request).await.ok()?.into_inner().content;
            let text = String::from_utf8_lossy(&content).to_string();
            text.contains("log line 2").then_some(text)
        }
    })
    .await;
    assert!(logs.contains("kubegate-e2e log line 1\n"), "{logs}");

    let mut exec = ExecServiceClient::new(s.channel.clone());
    let argv = |a: &[&str]| a.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let answer = exec
        .exec(ExecRequest {
            pod: name.into(),
            command: argv(&["sh", "-c", "echo out; echo err >&2"]),
            ..Default::default()
        })
        .await
        .expect("exec")
        .into_inner();
    assert_eq!((answer.stdout.as_slice(), answer.stderr.as_slice()), (&b"out\n"[..], &b"err\n"[..]));
    assert_eq!(answer.exit_code, 0);
    let failing = exec
        .exec(ExecRequest { pod: name.into(), command: argv(&["sh", "-c", "exit 3"]), ..Default::default() })
        .await
        .expect("exec")
        .into_inner();
    // kwok (v0.8.0 on 1.34) does not send the ExitCode cause (kubectl exits 1); kubegate reads the code from
    // the runtime's "exit status N", so both clusters give the real code.
    assert_eq!(failing.exit_code, 3, "{failing:?}");
    assert_eq!(failing.end_reason, ExecEndReason::Exited as i32);
    s.delete(name).await;
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_cleanup_spares_running_pods() {
    let s = ScenarioStack::start().await;
    s.running("sc-keep", &["sleep", "600"], &[("scenario", "cleanup")]).await;
    // A pod that finishes: on kwok the Stage of tests/control-plane finishes labelled Never pods.
    let mut client = s.pods();
    let finished = PodSpec {
        name: "sc-done".into(),
        image: "busybox:1.36".into(),
        command: vec!["true".into()],
        labels: [
            ("scenario".to_string(), "cleanup".to_string()),
            ("kubegate-e2e/finish".to_string(), "true".to_string()),
        ]
        .into(),
        ..Default::default()
    };
    client.create_pod(CreatePodRequest { pod: Some(finished), validate_only: false }).await.expect("create");
    support::eventually(60, "the pod to finish", || {
        let mut client = client.clone();
        async move {
            let pod = client
                .get_pod(GetPodRequest { namespace: String::new(), name: "sc-done".into() })
                .await
                .ok()?;
            (pod.into_inner().pod?.phase == PodPhase::Succeeded as i32).then_some(())
        }
    })
    .await;
    // A maximum age of zero: every finished pod goes, whatever its age.
    let request = CleanupPodsRequest {
        max_age: Some(prost_types::Duration { seconds: 0, nanos: 0 }),
        ..Default::default()
    };
    let done = client.cleanup_pods(request).await.expect("cleanup").into_inner();
    assert!(done.deleted_names.contains(&"sc-done".to_string()), "{:?}", done.deleted_names);
    assert!(!done.deleted_names.contains(&"sc-keep".to_string()));
    client.get_pod(GetPodRequest { namespace: String::new(), name: "sc-keep".into() }).await.expect("spared");
    s.delete("sc-keep").await;
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_connection_test_and_rest() {
    let s = ScenarioStack::start().await;
    let mut cluster = ClusterServiceClient::new(s.channel.clone());
    let report = cluster.test_connection(TestConnectionRequest::default()).await.expect("test").into_inner();
    assert!(report.connected, "{report:?}");
    assert!(report.server_version.starts_with("v1."), "{}", report.server_version);
    // REST through the gateway against the same cluster.
    let url = format!("{}/pods?labelSelector=scenario%3Dnone", s.rest());
    let client: hyper_util::client::legacy::Client<_, http_body_util::Empty<bytes::Bytes>> =
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build_http();
    let response = client.get(url.parse().expect("uri")).await.expect("answer");
    assert_eq!(response.status(), 200);
    let body = http_body_util::BodyExt::collect(response.into_body()).await.expect("body").to_bytes();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&body).expect("json"),
        serde_json::json!({"pods": []})
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_actions_outside_the_role_are_refused() {
    let s = ScenarioStack::start_restricted().await;
    // kubegate's own allow-list lets kube-system through; Kubernetes' RBAC must still refuse it.
    let mut cluster = ClusterServiceClient::new(s.channel.clone());
    let settings = ClusterSettings {
        allowed_namespaces: vec!["opencode-manager".into(), "kube-system".into()],
        ..Default::default()
    };
    let mask = prost_types::FieldMask { paths: vec!["allowed_namespaces".into()] };
    cluster
        .update_cluster_settings(UpdateClusterSettingsRequest {
            settings: Some(settings),
            update_mask: Some(mask),
        })
        .await
        .expect("settings");
    let mut client = s.pods();
    let refused = client
        .list_pods(ListPodsRequest { namespace: "kube-system".into(), ..Default::default() })
        .await
        .expect_err("outside the Role");
    assert_eq!(refused.code(), Code::PermissionDenied, "{refused:?}");
    let url = format!("{}/pods?namespace=kube-system", s.rest());
    let http: hyper_util::client::legacy::Client<_, http_body_util::Empty<bytes::Bytes>> =
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build_http();
    let response = http.get(url.parse().expect("uri")).await.expect("answer");
    assert_eq!(response.status(), 403);
    // Inside the Role, the same credentials work.
    client.list_pods(ListPodsRequest::default()).await.expect("inside the Role");
    s.stop().await;
}

async fn rest(
    s: &ScenarioStack,
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let client: hyper_util::client::legacy::Client<_, http_body_util::Full<bytes::Bytes>> =
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build_http();
    let request = http::Request::builder()
        .method(method)
        .uri(format!("{}{path}", s.rest()))
        .header("content-type", "application/json")
        .body(http_body_util::Full::new(bytes::Bytes::from(body.map(|b| b.to_string()).unwrap_or_default())))
        .expect("request");
    let response = client.request(request).await.expect("answer");
    let status = response.status().as_u16();
    let bytes = http_body_util::BodyExt::collect(response.into_body()).await.expect("body").to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_the_rest_routes() {
    use serde_json::json;
    let s = ScenarioStack::start().await;
    let ns = "namespace=opencode-manager";
    let pod = json!({"name": "sc-rest", "namespace": "opencode-manager", "image": "busybox:1.36",
        "command": ["sh", "-c", "echo kubegate-e2e log line 1; echo kubegate-e2e log line 2; sleep 600"]});
    assert_eq!(
        rest(&s, "POST", "/pods", Some(pod)).await,
        (200, json!({"success": true, "podName": "sc-rest"}))
    );
    support::eventually(60, "the pod to run", || async {
        let (_, listed) = rest(&s, "GET", &format!("/pods?{ns}"), None).await;
        let pods = listed["pods"].as_array().cloned().unwrap_or_default();
        pods.iter().any(|p| p["name"] == "sc-rest" && p["phase"] == "Running").then_some(())
    })
    .await;
    let (status, got) = rest(&s, "GET", &format!("/pods/sc-rest?{ns}"), None).await;
    assert_eq!((status, got["pod"]["metadata"]["name"].as_str()), (200, Some("sc-rest")));
    let (status, logs) = support::eventually(30, "the log", || async {
        let answer = rest(&s, "GET", &format!("/pods/sc-rest/logs?{ns}&timestamps=false"), None).await;
        answer.1["logs"].as_str().is_some_and(|l| l.contains("line 2")).then_some(answer)
    })
    .await;
    assert_eq!(status, 200);
    assert!(logs["logs"].as_str().unwrap_or_default().starts_with("kubegate-e2e log line 1\n"), "{logs}");
    let exec = json!({"namespace": "opencode-manager", "command": ["sh", "-c", "echo out; exit 3"]});
    let (status, answer) = rest(&s, "POST", "/pods/sc-rest/exec", Some(exec)).await;
    assert_eq!(
        (status, answer["exitCode"].as_i64(), answer["output"].as_str()),
        (200, Some(3), Some("out\n"))
    );

    let service = json!({"name": "sc-rest-svc", "namespace": "opencode-manager", "selector": {"app": "x"},
        "ports": [{"port": 3000, "targetPort": 3000}], "type": "ClusterIP"});
    assert_eq!(rest(&s, "POST", "/services", Some(service)).await.0, 200);
    let (status, got) = rest(&s, "GET", &format!("/services/sc-rest-svc?{ns}"), None).await;
    assert_eq!((status, got["service"]["spec"]["ports"][0]["port"].as_i64()), (200, Some(3000)));
    let ingress = json!({"name": "sc-rest-ing", "namespace": "opencode-manager", "rules": [{"host": "sc.example.com",
        "http": {"paths": [{"path": "/", "pathType": "Prefix",
            "backend": {"service": {"name": "sc-rest-svc", "port": {"number": 3000}}}}]}}]});
    assert_eq!(rest(&s, "POST", "/ingresses", Some(ingress)).await.0, 200);
    let (_, listed) = rest(&s, "GET", &format!("/ingresses?{ns}"), None).await;
    assert!(
        listed["ingresses"]
            .as_array()
            .is_some_and(|i| i.iter().any(|i| i["hosts"] == json!(["sc.example.com"])))
    );
    assert_eq!(rest(&s, "DELETE", &format!("/ingresses/sc-rest-ing?{ns}"), None).await.0, 200);
    assert_eq!(rest(&s, "DELETE", &format!("/services/sc-rest-svc?{ns}"), None).await.0, 200);
    assert_eq!(rest(&s, "GET", &format!("/services/sc-rest-svc?{ns}"), None).await.0, 404);

    let (status, put) =
        rest(&s, "PUT", "/config", Some(json!({"enabled": true, "namespace": "opencode-manager"}))).await;
    assert_eq!((status, put["config"]["enabled"].as_bool()), (200, Some(true)));
    let (status, config) = rest(&s, "GET", "/config", None).await;
    assert_eq!((status, config["connection"]["connected"].as_bool()), (200, Some(true)), "{config}");
    let (status, connection) = rest(&s, "POST", "/test-connection", Some(json!({}))).await;
    assert_eq!((status, connection["connected"].as_bool()), (200, Some(true)));
    let (status, cleaned) =
        rest(&s, "POST", "/cleanup", Some(json!({"namespace": "opencode-manager"}))).await;
    assert_eq!((status, cleaned["success"].as_bool()), (200, Some(true)));
    assert_eq!(rest(&s, "DELETE", &format!("/pods/sc-rest?{ns}"), None).await.0, 200);
    assert_eq!(rest(&s, "POST", "/pods", Some(json!({"name": "x"}))).await.0, 400);
    s.stop().await;
}
