//! Who reaches the routes: only requests naming a host that is served (loopback names, IP addresses,
//! `--allowed-hosts`), on every route, the terminal and `/healthz` included.

mod fake;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use fake::{answer, gateway, gateway_with};
use kubegate_gateway::HostPolicy;
use serde_json::Value;

/// `METHOD path` naming `host`, with a JSON body for POSTs.
fn request(method: &str, path: &str, host: &str) -> Request<Body> {
    let body =
        if method == "POST" { Body::from(r#"{"name":"web","image":"node:20"}"#) } else { Body::empty() };
    Request::builder()
        .method(method)
        .uri(path)
        .header(http::header::HOST, host)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(body)
        .expect("request")
}

/// A WebSocket upgrade of the terminal naming `host`.
fn terminal(host: &str) -> Request<Body> {
    Request::get("/ws/kubernetes/exec?pod=web&namespace=ns")
        .header(http::header::HOST, host)
        .header(http::header::CONNECTION, "upgrade")
        .header(http::header::UPGRADE, "websocket")
        .header(http::header::SEC_WEBSOCKET_VERSION, "13")
        .header(http::header::SEC_WEBSOCKET_KEY, "dGhlIHNhbXBsZSBub25jZQ==")
        .body(Body::empty())
        .expect("request")
}

#[tokio::test]
async fn a_host_that_is_not_served_is_a_421_before_anything_else() {
    let app = gateway(None);
    for request in [
        request("POST", "/api/kubernetes/pods", "evil.example.com:5003"),
        request("GET", "/api/kubernetes/pods", "evil.example.com"),
        request("GET", "/healthz", "evil.example.com:5003"),
        request("GET", "/api/kubernetes/openapi.json", "evil.example.com:5003"),
        request("GET", "/no/such/route", "evil.example.com:5003"),
        request("OPTIONS", "/api/kubernetes/pods", "evil.example.com:5003"),
        terminal("evil.example.com:5004"),
        request("GET", "/healthz", ""),
    ] {
        let what = format!("{} {}", request.method(), request.uri());
        let (status, body) = answer(&app, request).await;
        assert_eq!(status, StatusCode::MISDIRECTED_REQUEST, "{what}: {body}");
        let body: Value = serde_json::from_str(&body).expect("a JSON error");
        assert_eq!(body["code"], "PERMISSION_DENIED", "{what}");
        assert!(body["error"].as_str().is_some_and(|e| e.contains("--allowed-hosts")), "{what}: {body}");
    }
}

#[tokio::test]
async fn loopback_names_ip_addresses_and_allowed_names_are_served() {
    let app = gateway_with(|config| config.hosts = HostPolicy::new(["kubegate.example.com".to_string()]));
    for host in ["localhost:5003", "127.0.0.1:5003", "[::1]:5003", "10.1.2.3", "KubeGate.example.com:5003"] {
        assert_eq!(
            answer(&app, request("POST", "/api/kubernetes/pods", host)).await.0,
            StatusCode::OK,
            "{host}"
        );
        assert_eq!(answer(&app, request("GET", "/healthz", host)).await.0, StatusCode::OK, "{host}");
    }
    // Past the Host check, the terminal's own checks run, up to the upgrade itself, which a call without
    // a connection cannot make (426).
    assert_eq!(answer(&app, terminal("kubegate.example.com:5004")).await.0, StatusCode::UPGRADE_REQUIRED);
    assert_eq!(
        answer(&app, request("GET", "/healthz", "other.example.com")).await.0,
        StatusCode::MISDIRECTED_REQUEST
    );
}
