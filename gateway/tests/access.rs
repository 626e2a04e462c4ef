//! Who reaches the routes: only requests naming a host that is served (loopback names, IP addresses,
//! `--allowed-hosts`), on every route, the terminal, `/healthz` and the console included; with a token,
//! nothing but `GET /healthz` and the console's files (`tests/console.rs`) without it; on the terminal's
//! own port, nothing but the terminal. The admin token is accepted too, and each call upstream carries the
//! token the caller presented.

mod fake;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use fake::{ADMIN_TOKEN, TOKEN, answer, gateway, gateway_with, raw_head, serving};
use kubegate_gateway::{ApiToken, HostPolicy};
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

#[tokio::test]
async fn with_a_token_only_the_health_check_answers_without_it() {
    let app = gateway(Some(TOKEN));
    let bearer = format!("Bearer {TOKEN}");
    for path in ["/api/kubernetes/openapi.json", "/api/kubernetes/pods", "/api/kubernetes/config"] {
        let (status, body) = answer(&app, request("GET", path, "localhost")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}: {body}");
        let mut authorized = request("GET", path, "localhost");
        authorized.headers_mut().insert(http::header::AUTHORIZATION, bearer.parse().expect("header"));
        assert_eq!(answer(&app, authorized).await.0, StatusCode::OK, "{path} with the token");
    }
    assert_eq!(
        answer(&app, request("POST", "/api/kubernetes/pods", "localhost")).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        answer(&app, request("GET", "/healthz", "localhost")).await,
        (StatusCode::OK, r#"{"status":"SERVING"}"#.into())
    );
}

#[tokio::test]
async fn the_terminal_port_serves_the_terminal_and_nothing_else() {
    let (rest, terminal) = serving(|config| config.token = Some(ApiToken::new(TOKEN).expect("token"))).await;
    for path in ["/healthz", "/api/kubernetes/pods", "/api/kubernetes/openapi.json", "/", "/ws/kubernetes"] {
        let head = format!("GET {path} HTTP/1.1\r\nHost: {terminal}\r\nAuthorization: Bearer {TOKEN}");
        assert_eq!(raw_head(terminal, &head).await.0, 404, "{path} on the terminal port");
    }
    // The same routes on the REST port.
    for path in ["/healthz", "/api/kubernetes/pods", "/api/kubernetes/openapi.json"] {
        let head = format!("GET {path} HTTP/1.1\r\nHost: {rest}\r\nAuthorization: Bearer {TOKEN}");
        assert_eq!(raw_head(rest, &head).await.0, 200, "{path} on the REST port");
    }
    let upgrade = |with_token: bool| {
        let token = if with_token { format!("&token={TOKEN}") } else { String::new() };
        format!(
            "GET /ws/kubernetes/exec?pod=web{token} HTTP/1.1\r\nHost: {terminal}\r\nConnection: Upgrade\r\n\
             Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="
        )
    };
    assert_eq!(raw_head(terminal, &upgrade(false)).await.0, 401);
    assert_eq!(raw_head(terminal, &upgrade(true)).await.0, 101);
}

#[tokio::test]
async fn the_service_hears_the_token_the_caller_presented() {
    let app = gateway_with(|config| {
        config.token = Some(ApiToken::new(TOKEN).expect("token"));
        config.admin_token = Some(ApiToken::new(ADMIN_TOKEN).expect("admin token"));
    });
    let put = |token: &str| {
        Request::put("/api/kubernetes/config")
            .header(http::header::HOST, "localhost")
            .header(http::header::AUTHORIZATION, format!("Bearer {token}"))
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"enabled":true,"namespace":"elsewhere"}"#))
            .expect("request")
    };
    assert_eq!(
        answer(&app, put(TOKEN)).await,
        (
            StatusCode::FORBIDDEN,
            r#"{"code":"PERMISSION_DENIED","error":"only the operator may change settings.namespace"}"#
                .into()
        )
    );
    assert_eq!(
        answer(&app, put(ADMIN_TOKEN)).await,
        (StatusCode::OK, r#"{"config":{"enabled":true,"namespace":"elsewhere"},"success":true}"#.into())
    );
    assert_eq!(answer(&app, put("not-a-token-0123456789abcdef0123456789")).await.0, StatusCode::UNAUTHORIZED);
}
