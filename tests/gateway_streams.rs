//! The gateway's streaming routes, limits and documents through real HTTP: a followed log as JSON lines
//! and as server-sent events, a pod watch, oversized and malformed bodies, the terminal URL leading to a
//! real terminal, CORS, and the served OpenAPI document matching the committed one.

mod support;

use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt as _;
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};

type Http = Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>;

fn http() -> Http {
    Client::builder(TokioExecutor::new()).build_http()
}

async fn send(
    client: &Http,
    method: &str,
    url: String,
    headers: &[(&str, &str)],
    body: &str,
) -> http::Response<hyper::body::Incoming> {
    let mut request = http::Request::builder().method(method).uri(url);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let request = request.body(Full::new(Bytes::from(body.to_string()))).expect("request");
    client.request(request).await.expect("the gateway answers")
}

async fn json_body(response: http::Response<hyper::body::Incoming>) -> Value {
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    serde_json::from_slice(&bytes).unwrap_or(Value::Null)
}

/// Reads a streamed body until `done` holds for the text so far.
async fn read_stream(
    response: http::Response<hyper::body::Incoming>,
    seconds: u64,
    done: impl Fn(&str) -> bool,
) -> String {
    let mut body = response.into_body().into_data_stream();
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(seconds);
    while !done(&text) {
        match tokio::time::timeout_at(deadline, body.next()).await {
            Ok(Some(Ok(chunk))) => text.push_str(&String::from_utf8_lossy(&chunk)),
            Ok(_) => break,
            Err(_) => panic!("timed out; so far: {text:?}"),
        }
    }
    text
}

fn lines(text: &str) -> Vec<Value> {
    text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_follow_as_json_lines_and_as_server_sent_events() {
    let stack = support::stack_with(support::loopback_options(true), false).await;
    let base = format!("http://{}", stack.server.http_addr.expect("http"));
    support::running_pod(
        &stack,
        "printer",
        &["sh", "-c", "for i in 1 2 3 4 5; do echo line-$i; sleep 0.2; done"],
    )
    .await;
    let client = http();
    let url = format!("{base}/api/kubernetes/pods/printer/logs?follow=true&timestamps=false");
    let response = send(&client, "GET", url.clone(), &[], "").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/x-ndjson");
    let text = read_stream(response, 15, |t| t.contains("\"end\"")).await;
    let events = lines(&text);
    let printed: Vec<&str> =
        events.iter().filter(|e| e["type"] == "line").filter_map(|e| e["line"].as_str()).collect();
    assert_eq!(printed, ["line-1", "line-2", "line-3", "line-4", "line-5"], "{text}");
    assert_eq!(events.last(), Some(&json!({"type": "end", "reason": "CONTAINER_EXITED"})));

    let response = send(&client, "GET", url, &[("accept", "text/event-stream")], "").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/event-stream"));
    let text = read_stream(response, 15, |t| t.contains("event: end")).await;
    assert!(text.contains("event: line\ndata: {\"line\":\"line-3\",\"type\":\"line\"}\n\n"), "{text}");

    let missing = format!("{base}/api/kubernetes/pods/nowhere/logs?follow=true");
    let response = send(&client, "GET", missing, &[], "").await;
    assert_eq!(response.status(), 404, "a missing pod is a 404, not a 200 with an error inside");
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pod_watch_streams_changes() {
    let stack = support::stack_with(support::loopback_options(true), false).await;
    let base = format!("http://{}", stack.server.http_addr.expect("http"));
    support::running_pod(&stack, "first", &["sleep", "600"]).await;
    let client = http();
    let response = send(&client, "GET", format!("{base}/api/kubernetes/pods/watch"), &[], "").await;
    assert_eq!(response.status(), 200);
    let mut body = response.into_body().into_data_stream();
    let mut text = String::new();
    let mut next_until = async |text: &mut String, what: &str| {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        while !text.contains(what) {
            let chunk = tokio::time::timeout_at(deadline, body.next()).await.expect("in time");
            text.push_str(&String::from_utf8_lossy(&chunk.expect("open").expect("chunk")));
        }
    };
    next_until(&mut text, "SYNCED").await;
    let events = lines(&text);
    assert_eq!(events[0]["type"], "ADDED");
    assert_eq!(events[0]["pod"]["name"], "first");
    support::running_pod(&stack, "second", &["sleep", "600"]).await;
    let mut pods = stack.pods();
    pods.delete_pod(kubegate_proto::v1::DeletePodRequest { name: "second".into(), ..Default::default() })
        .await
        .expect("delete");
    next_until(&mut text, "\"DELETED\"").await;
    let events = lines(&text);
    let second: Vec<&str> =
        events.iter().filter(|e| e["pod"]["name"] == "second").filter_map(|e| e["type"].as_str()).collect();
    assert_eq!(second.first(), Some(&"ADDED"));
    assert_eq!(second.last(), Some(&"DELETED"));
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_are_limited_and_malformed_ones_name_the_problem() {
    let mut options = support::loopback_options(true);
    let mut gateway = kubegate_gateway::GatewayConfig::new("");
    gateway.max_body_bytes = 4096;
    gateway.cors_origins = vec!["https://app.example".into()];
    options.gateway = Some(gateway);
    let stack = support::stack_with(options, false).await;
    let base = format!("http://{}", stack.server.http_addr.expect("http"));
    let client = http();
    let json_type = [("content-type", "application/json")];
    let pods = format!("{base}/api/kubernetes/pods");

    let big = json!({"name": "big", "image": "busybox", "env": {"A": "x".repeat(8192)}}).to_string();
    let response = send(&client, "POST", pods.clone(), &json_type, &big).await;
    assert_eq!(response.status(), 413);
    assert_eq!(json_body(response).await["code"], "RESOURCE_EXHAUSTED");

    for (body, field) in [
        (r#"{"name": "x", "image": 5}"#, "image"),
        (r#"{"name": "x"}"#, "image"),
        (r#"{"name": "x", "image": "busybox""#, "EOF"),
    ] {
        let response = send(&client, "POST", pods.clone(), &json_type, body).await;
        assert_eq!(response.status(), 400, "{body}");
        let answer = json_body(response).await;
        assert!(answer["error"].as_str().unwrap_or_default().contains(field), "{body}: {answer}");
    }
    let service = r#"{"name": "s", "ports": [{"port": 80}], "type": "Magic"}"#;
    let response =
        send(&client, "POST", format!("{base}/api/kubernetes/services"), &json_type, service).await;
    assert_eq!(response.status(), 400);
    assert!(json_body(response).await["error"].as_str().unwrap_or_default().starts_with("type:"));
    let listed = json_body(send(&client, "GET", pods.clone(), &[], "").await).await;
    assert_eq!(listed, json!({"pods": []}), "nothing was created");

    // CORS: the configured origin may read; another origin gets no CORS headers.
    let preflight = [("origin", "https://app.example"), ("access-control-request-method", "POST")];
    let response = send(&client, "OPTIONS", pods.clone(), &preflight, "").await;
    assert_eq!(
        response.headers().get("access-control-allow-origin").map(|v| v.as_bytes()),
        Some(&b"https://app.example"[..])
    );
    let response = send(&client, "GET", pods.clone(), &[("origin", "https://other.example")], "").await;
    assert!(response.headers().get("access-control-allow-origin").is_none());
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_terminal_url_reaches_a_terminal_and_the_openapi_document_is_served() {
    let mut options = support::loopback_options(true);
    // The name a TLS proxy in front of kubegate forwards must be one kubegate serves.
    options.hosts = kubegate_proto::auth::HostPolicy::new(["kg.example.com".to_string()]);
    let stack = support::stack_with(options, false).await;
    let addr = stack.server.http_addr.expect("http");
    let base = format!("http://{addr}");
    support::running_pod(&stack, "term", &["sleep", "600"]).await;
    let client = http();

    let answer = json_body(
        send(
            &client,
            "GET",
            format!("{base}/api/kubernetes/exec-ws-url?pod=term&namespace=opencode-manager"),
            &[],
            "",
        )
        .await,
    )
    .await;
    let url = answer["wsUrl"].as_str().expect("a URL").to_string();
    assert_eq!(url, format!("ws://{addr}/ws/kubernetes/exec?pod=term&namespace=opencode-manager"));
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.expect("the URL leads to the terminal");
    let first = tokio::time::timeout(Duration::from_secs(10), ws.next()).await.expect("in time");
    let first: Value =
        serde_json::from_str(first.expect("open").expect("message").to_text().expect("text")).expect("json");
    assert_eq!(first["type"], "session");

    let proxied = [("host", "kg.example.com"), ("x-forwarded-proto", "https")];
    let answer = json_body(
        send(
            &client,
            "GET",
            format!("{base}/api/kubernetes/exec-ws-url?pod=a%20b&namespace=n"),
            &proxied,
            "",
        )
        .await,
    )
    .await;
    assert_eq!(answer["wsUrl"], "wss://kg.example.com/ws/kubernetes/exec?pod=a+b&namespace=n");
    let response = send(&client, "GET", format!("{base}/api/kubernetes/exec-ws-url?pod=a"), &[], "").await;
    assert_eq!(response.status(), 400);

    let served =
        json_body(send(&client, "GET", format!("{base}/api/kubernetes/openapi.json"), &[], "").await).await;
    let committed: Value =
        serde_json::from_str(&std::fs::read_to_string("gateway/openapi.json").expect("committed document"))
            .expect("json");
    assert_eq!(served, committed);
    stack.stop().await;
}
