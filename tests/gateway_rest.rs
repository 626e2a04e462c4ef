//! The REST routes of the original integration through real HTTP on a loopback port, translated by the
//! gateway onto gRPC, against the embedded cluster: the original's bodies, the original's success shapes, and
//! error statuses that mean what happened.

mod support;

use serde_json::{Value, json};

/// One HTTP/1.1 request; returns the status code and the JSON body.
async fn call(addr: std::net::SocketAddr, method: &str, path: &str, body: Option<&str>) -> (u16, Value) {
    support::http_request(addr, method, path, &addr.to_string(), &[], body).await
}

async fn gateway_stack() -> (support::Stack, std::net::SocketAddr) {
    let stack = support::stack_with(support::loopback_options(true), false).await;
    let http = stack.server.http_addr.expect("gateway");
    (stack, http)
}

#[tokio::test]
async fn the_pod_routes_answer_with_the_original_shapes_and_real_exit_codes() {
    let (stack, http) = gateway_stack().await;
    let pod = json!({
        "name": "test-runner", "namespace": "opencode-manager", "image": "node:20-alpine",
        "command": ["sh", "-c", "echo ready; sleep 600"], "labels": {"app": "test-runner"},
        "env": {"MODE": "ci"},
    });
    let (status, created) = call(http, "POST", "/api/kubernetes/pods", Some(&pod.to_string())).await;
    assert_eq!((status, created.clone()), (200, json!({"success": true, "podName": "test-runner"})));
    let (status, again) = call(http, "POST", "/api/kubernetes/pods", Some(&pod.to_string())).await;
    assert_eq!((status, again["code"].as_str()), (409, Some("ALREADY_EXISTS")));

    let listed = support::eventually(10, "the pod to run", || async move {
        let (_, listed) =
            call(http, "GET", "/api/kubernetes/pods?labelSelector=app%3Dtest-runner", None).await;
        (listed["pods"][0]["phase"] == "Running").then_some(listed)
    })
    .await;
    let summary = &listed["pods"][0];
    assert_eq!((summary["name"].as_str(), summary["ready"].as_bool()), (Some("test-runner"), Some(true)));
    assert_eq!(summary["image"], "node:20-alpine");
    assert!(summary["age"].as_i64().is_some());

    let (status, got) =
        call(http, "GET", "/api/kubernetes/pods/test-runner?namespace=opencode-manager", None).await;
    assert_eq!(status, 200);
    assert_eq!(got["pod"]["metadata"]["labels"]["managed-by"], "opencode-manager");
    assert_eq!(got["pod"]["spec"]["containers"][0]["name"], "runner");

    // Running means started: the first line may take a moment to be written.
    let text = support::eventually(10, "the first log line", || async move {
        let path = "/api/kubernetes/pods/test-runner/logs?namespace=opencode-manager&tailLines=5";
        let (status, logs) = call(http, "GET", path, None).await;
        assert_eq!(status, 200);
        let text = logs["logs"].as_str().unwrap_or_default().to_string();
        (!text.is_empty()).then_some(text)
    })
    .await;
    assert!(text.ends_with("Z ready\n"), "timestamps by default, as the original: {text:?}");
    let (status, _) = call(http, "GET", "/api/kubernetes/pods/test-runner/logs?tailLines=abc", None).await;
    assert_eq!(status, 400, "a non-numeric tailLines is refused, not an empty success");

    let exec =
        json!({"namespace": "opencode-manager", "command": ["sh", "-c", "echo out; echo err >&2; exit 3"]});
    let (status, answer) =
        call(http, "POST", "/api/kubernetes/pods/test-runner/exec", Some(&exec.to_string())).await;
    assert_eq!(status, 200);
    assert_eq!(answer["exitCode"], 3, "the real exit code, not the original's 0");
    assert_eq!((answer["output"].as_str(), answer["errors"].as_str()), (Some("out\n"), Some("err\n")));

    let (status, deleted) =
        call(http, "DELETE", "/api/kubernetes/pods/test-runner?namespace=opencode-manager", None).await;
    assert_eq!((status, deleted), (200, json!({"success": true})));
    let (status, missing) = call(http, "GET", "/api/kubernetes/pods/nope", None).await;
    assert_eq!((status, missing["code"].as_str()), (404, Some("NOT_FOUND")));
    stack.stop().await;
}

#[tokio::test]
async fn bad_input_is_a_400_naming_the_problem_and_policies_are_403() {
    let (stack, http) = gateway_stack().await;
    let (status, body) = call(http, "POST", "/api/kubernetes/pods", Some("{not json")).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("INVALID_ARGUMENT")));
    let (status, body) =
        call(http, "POST", "/api/kubernetes/pods", Some(r#"{"name": 5, "image": "x"}"#)).await;
    assert_eq!(status, 400);
    assert!(body["error"].as_str().unwrap_or_default().contains("name"), "{body}");
    let invalid = json!({"name": "Bad_Name", "image": "busybox"});
    let (status, body) = call(http, "POST", "/api/kubernetes/pods", Some(&invalid.to_string())).await;
    assert_eq!(status, 400);
    assert_eq!(body["details"][0]["field"], "pod.name");
    let half = json!({"name": "half", "image": "busybox", "mountPath": "/workspace"});
    let (status, _) = call(http, "POST", "/api/kubernetes/pods", Some(&half.to_string())).await;
    assert_eq!(status, 400);
    let (status, body) = call(http, "GET", "/api/kubernetes/pods?namespace=kube-system", None).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("PERMISSION_DENIED")));
    let (_, listed) = call(http, "GET", "/api/kubernetes/pods", None).await;
    assert_eq!(listed, json!({"pods": []}), "nothing was created");
    stack.stop().await;
}

#[tokio::test]
async fn services_and_ingresses_follow_the_original_examples() {
    let (stack, http) = gateway_stack().await;
    let service = json!({
        "name": "my-service", "namespace": "opencode-manager", "selector": {"app": "test-runner"},
        "ports": [{"port": 8080, "targetPort": 8080, "protocol": "TCP"}], "type": "ClusterIP",
    });
    let (status, created) = call(http, "POST", "/api/kubernetes/services", Some(&service.to_string())).await;
    assert_eq!((status, created), (200, json!({"success": true, "serviceName": "my-service"})));
    let (_, listed) = call(http, "GET", "/api/kubernetes/services", None).await;
    let summary = &listed["services"][0];
    assert_eq!(
        (summary["type"].as_str(), summary["ports"][0]["targetPort"].as_i64()),
        (Some("ClusterIP"), Some(8080))
    );
    assert!(summary["clusterIP"].as_str().is_some());
    let (status, got) =
        call(http, "GET", "/api/kubernetes/services/my-service?namespace=opencode-manager", None).await;
    assert_eq!((status, got["service"]["spec"]["ports"][0]["port"].as_i64()), (200, Some(8080)));

    let ingress = json!({
        "name": "my-app-ingress", "namespace": "opencode-manager",
        "rules": [{"host": "myapp.example.com", "http": {"paths": [{"path": "/", "pathType": "Prefix",
            "backend": {"service": {"name": "my-service", "port": {"number": 8080}}}}]}}],
        "annotations": {"nginx.ingress.kubernetes.io/rewrite-target": "/"},
    });
    let (status, created) = call(http, "POST", "/api/kubernetes/ingresses", Some(&ingress.to_string())).await;
    assert_eq!((status, created), (200, json!({"success": true, "ingressName": "my-app-ingress"})));
    let (_, got) = call(http, "GET", "/api/kubernetes/ingresses/my-app-ingress", None).await;
    assert_eq!(got["ingress"]["metadata"]["annotations"]["nginx.ingress.kubernetes.io/rewrite-target"], "/");
    let (_, listed) = call(http, "GET", "/api/kubernetes/ingresses", None).await;
    assert_eq!(listed["ingresses"][0]["hosts"], json!(["myapp.example.com"]));
    for path in ["/api/kubernetes/ingresses/my-app-ingress", "/api/kubernetes/services/my-service"] {
        let (status, deleted) = call(http, "DELETE", path, None).await;
        assert_eq!((status, deleted), (200, json!({"success": true})));
        let (status, _) = call(http, "DELETE", path, None).await;
        assert_eq!(status, 404);
    }
    stack.stop().await;
}

#[tokio::test]
async fn config_test_connection_and_cleanup_routes_work() {
    let (stack, http) = gateway_stack().await;
    let (status, config) = call(http, "GET", "/api/kubernetes/config", None).await;
    assert_eq!(
        (status, config.clone()),
        (
            200,
            json!({"config": {"enabled": false, "namespace": "opencode-manager"}, "connection": {"connected": false}})
        )
    );
    let (status, updated) = call(http, "PUT", "/api/kubernetes/config", Some(r#"{"enabled": true}"#)).await;
    assert_eq!((status, updated["config"]["enabled"].as_bool()), (200, Some(true)));
    let (_, config) = call(http, "GET", "/api/kubernetes/config", None).await;
    assert_eq!(config["connection"]["connected"], true);
    let (status, tested) = call(http, "POST", "/api/kubernetes/test-connection", Some("garbage")).await;
    assert_eq!(
        (status, tested["connected"].as_bool(), tested["namespace"].as_str()),
        (200, Some(true), Some("opencode-manager"))
    );
    let (status, cleaned) =
        call(http, "POST", "/api/kubernetes/cleanup", Some(r#"{"namespace": "opencode-manager"}"#)).await;
    assert_eq!(
        (status, cleaned["success"].as_bool(), cleaned["deleted"].as_i64()),
        (200, Some(true), Some(0))
    );
    let (status, _) = call(http, "GET", "/api/kubernetes/no-such-route", None).await;
    assert_eq!(status, 404);
    stack.stop().await;
}
