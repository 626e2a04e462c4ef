//! The workflows through REST on the embedded cluster: a test run waited for and one streamed, a preview
//! made, read, listed and deleted, image matching, and their input errors.

mod support;

use bytes::Bytes;
use futures::StreamExt as _;
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};

type Http = Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>;

async fn call(client: &Http, method: &str, url: String, body: Option<Value>) -> (u16, Value) {
    let request = http::Request::builder()
        .method(method)
        .uri(url)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.map(|b| b.to_string()).unwrap_or_default())))
        .expect("request");
    let response = client.request(request).await.expect("answer");
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_runs_previews_and_image_matching_over_rest() {
    let stack = support::stack_with(support::loopback_options(true), false).await;
    let (first, second) = support::git_workspace(&stack).await;
    let base = format!("http://{}/api/kubernetes", stack.server.http_addr.expect("http"));
    let client: Http = Client::builder(TokioExecutor::new()).build_http();

    let run = |commit: &str| {
        json!({"claimName": "workspace", "path": "repos/myapp", "commit": commit, "command": "sh test.sh",
               "resources": {"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"memory": "1Gi"}}})
    };
    let (status, failed) = call(&client, "POST", format!("{base}/test-runs"), Some(run(&first))).await;
    assert_eq!(status, 200, "{failed}");
    assert_eq!((failed["outcome"].as_str(), failed["exitCode"].as_i64()), (Some("TESTS_FAILED"), Some(1)));
    assert_eq!(failed["success"], false);
    assert!(failed["logTail"].as_str().unwrap_or_default().contains("tests of one"));
    assert_eq!(failed["image"], "node:20.11.0-alpine");
    let mut pods = stack.pods();
    let name = failed["podName"].as_str().expect("pod name").to_string();
    let pod = pods
        .get_pod(kubegate_proto::v1::GetPodRequest { namespace: String::new(), name })
        .await
        .expect("kept");
    let object: Value = serde_json::from_str(&pod.into_inner().object_json).expect("json");
    let resources = &object["spec"]["containers"][0]["resources"];
    assert_eq!(
        (resources["requests"]["cpu"].as_str(), resources["limits"]["memory"].as_str()),
        (Some("250m"), Some("1Gi"))
    );

    // Streamed: one JSON object per line, ending with the result.
    let request = http::Request::post(format!("{base}/test-runs?stream=true"))
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(run(&second).to_string())))
        .expect("request");
    let response = client.request(request).await.expect("answer");
    assert_eq!(response.headers()["content-type"], "application/x-ndjson");
    let mut body = response.into_body().into_data_stream();
    let mut text = String::new();
    while let Some(chunk) = body.next().await {
        text.push_str(&String::from_utf8_lossy(&chunk.expect("chunk")));
    }
    let events: Vec<Value> = text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert_eq!(events.first().map(|e| e["type"].clone()), Some(json!("scheduled")), "{text}");
    let last = events.last().expect("events");
    assert_eq!((last["type"].as_str(), last["outcome"].as_str()), (Some("finished"), Some("PASSED")));
    assert!(
        events
            .iter()
            .any(|e| e["type"] == "output" && e["data"].as_str().unwrap_or_default().contains("all passed"))
    );

    let (status, bad) = call(
        &client,
        "POST",
        format!("{base}/test-runs"),
        Some(json!({"claimName": "workspace", "commit": "zz", "command": "true"})),
    )
    .await;
    assert_eq!((status, bad["details"][0]["field"].as_str()), (400, Some("commit")));
    let (status, _) = call(
        &client,
        "POST",
        format!("{base}/test-runs"),
        Some(json!({"claimName": "w", "commit": "abcdef0", "command": "x", "extra": 1})),
    )
    .await;
    assert_eq!(status, 400, "unknown fields are refused, not ignored");

    // Previews.
    let preview = json!({"name": "web", "image": "node:20-alpine", "command": ["sleep", "600"], "port": 3000, "websocket": true});
    let (status, created) = call(&client, "POST", format!("{base}/previews"), Some(preview)).await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["preview"]["url"], "http://preview-web.localhost/");
    assert_eq!(created["preview"]["ingress"]["hosts"], json!(["preview-web.localhost"]));
    let (_, listed) = call(&client, "GET", format!("{base}/previews"), None).await;
    assert_eq!(listed["previews"][0]["name"], "web");
    let (status, got) = call(&client, "GET", format!("{base}/previews/web"), None).await;
    assert_eq!((status, got["preview"]["service"]["ports"][0]["port"].as_i64()), (200, Some(3000)));
    let (status, deleted) = call(&client, "DELETE", format!("{base}/previews/web"), None).await;
    assert_eq!((status, deleted), (200, json!({"success": true})));
    // Deletion is graceful: the pod lingers while its process ends.
    let missing = support::eventually(40, "the preview to go", || async {
        let (status, body) = call(&client, "GET", format!("{base}/previews/web"), None).await;
        (status == 404).then_some(body)
    })
    .await;
    assert_eq!(missing["code"], "NOT_FOUND");
    let (status, _) = call(
        &client,
        "POST",
        format!("{base}/previews"),
        Some(json!({"name": "x", "image": "y", "port": 70000})),
    )
    .await;
    assert_eq!(status, 400);

    // Image matching.
    let (status, matched) = call(
        &client,
        "POST",
        format!("{base}/match-image"),
        Some(json!({"claimName": "workspace", "path": "repos/myapp"})),
    )
    .await;
    assert_eq!(status, 200, "{matched}");
    assert_eq!(matched["image"], "node:20.11.0-alpine");
    assert_eq!(
        matched["chosen"],
        json!({"runtime": "node", "version": "20.11.0", "file": ".nvmrc", "line": 1})
    );
    let (status, _) = call(
        &client,
        "POST",
        format!("{base}/match-image"),
        Some(json!({"claimName": "workspace", "path": "nope"})),
    )
    .await;
    assert_eq!(status, 404);
    stack.stop().await;
}
