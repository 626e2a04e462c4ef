//! The MCP endpoint on the REST port: behind the gateway's Host and token guards and the REST Origin
//! rule, and a client of the service like every route (its failures are tool errors with the gRPC code).

mod fake;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use fake::{TOKEN, answer, gateway};
use serde_json::{Value, json};
use tower::ServiceExt as _;

/// A JSON-RPC POST to /mcp naming `host`, with the headers given.
fn post(message: &Value, host: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut request = Request::post("/mcp")
        .header(http::header::HOST, host)
        .header(http::header::CONTENT_TYPE, "application/json")
        .header(http::header::ACCEPT, "application/json, text/event-stream");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(Body::from(message.to_string())).expect("request")
}

fn initialize() -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}})
}

/// The JSON-RPC messages of an answer, whether it came as JSON or as server-sent events.
fn messages(body: &str) -> Vec<Value> {
    let lines: Vec<&str> = body.lines().filter_map(|l| l.strip_prefix("data:")).map(str::trim).collect();
    let texts = if lines.is_empty() { vec![body.trim()] } else { lines };
    texts.into_iter().filter(|t| !t.is_empty()).filter_map(|t| serde_json::from_str(t).ok()).collect()
}

/// Sends a request and reads its whole answer: its status, its MCP session id and its body.
async fn exchange(app: &axum::Router, request: Request<Body>) -> (StatusCode, Option<String>, String) {
    let response = app.clone().oneshot(request).await.expect("an answer");
    let status = response.status();
    let session = response.headers().get("mcp-session-id").and_then(|v| v.to_str().ok()).map(String::from);
    let body =
        tokio::time::timeout(Duration::from_secs(10), axum::body::to_bytes(response.into_body(), 1 << 20))
            .await
            .expect("the answer ends")
            .expect("the body");
    (status, session, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn mcp_is_behind_the_host_token_and_origin_guards() {
    let app = gateway(Some(TOKEN));
    let bearer = format!("Bearer {TOKEN}");
    let (status, body) = answer(&app, post(&initialize(), "localhost", &[])).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let (status, body) =
        answer(&app, post(&initialize(), "rebound.example.com", &[("authorization", &bearer)])).await;
    assert_eq!(status, StatusCode::MISDIRECTED_REQUEST, "{body}");
    let evil = [("authorization", bearer.as_str()), ("origin", "https://evil.example")];
    let (status, body) = answer(&app, post(&initialize(), "localhost", &evil)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let same = [("authorization", bearer.as_str()), ("origin", "http://localhost")];
    let (status, _, body) = exchange(&app, post(&initialize(), "localhost", &same)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn tools_call_the_service_and_its_failures_are_tool_errors() {
    let app = gateway(Some(TOKEN));
    let bearer = format!("Bearer {TOKEN}");
    let auth = [("authorization", bearer.as_str())];
    let (status, session, body) = exchange(&app, post(&initialize(), "127.0.0.1:5003", &auth)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let init = messages(&body);
    assert_eq!(init[0]["result"]["serverInfo"]["name"], "kubegate", "{body}");
    let session = session.expect("a legacy session");
    let in_session = [
        ("authorization", bearer.as_str()),
        ("mcp-session-id", session.as_str()),
        ("mcp-protocol-version", "2025-06-18"),
    ];
    let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    let (status, _, body) = exchange(&app, post(&initialized, "127.0.0.1:5003", &in_session)).await;
    assert!(status.is_success(), "{status}: {body}");

    let call = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
        "params": {"name": "get_pod", "arguments": {"name": "missing"}}});
    let (status, _, body) = exchange(&app, post(&call, "127.0.0.1:5003", &in_session)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let result = &messages(&body)[0]["result"];
    assert_eq!(result["isError"], true, "{body}");
    assert!(result["content"][0]["text"].as_str().is_some_and(|t| t.starts_with("NOT_FOUND: ")), "{body}");

    let call = json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
        "params": {"name": "get_pod", "arguments": {"name": "web"}}});
    let (_, _, body) = exchange(&app, post(&call, "127.0.0.1:5003", &in_session)).await;
    let result = &messages(&body)[0]["result"];
    assert_eq!(result["isError"], false, "{body}");
    let pod: Value =
        serde_json::from_str(result["content"][0]["text"].as_str().expect("text")).expect("JSON");
    assert_eq!(pod["name"], "web", "{pod}");
}
