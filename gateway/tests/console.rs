//! The web console at `/`: served without the token (it holds no secret) but only for hosts kubegate
//! serves, with a Content-Security-Policy that allows nothing but the console's own files and its own
//! origin; and the session routes it lists and ends terminals with. Its behaviour in a browser is tested
//! by `gateway/console/test.sh`.

mod fake;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use fake::{TOKEN, answer, gateway};
use serde_json::Value;
use tower::ServiceExt as _;

/// `GET path` naming `host`, with extra headers; the whole response.
async fn fetch(
    app: &axum::Router,
    path: &str,
    host: &str,
    extra: &[(&str, &str)],
) -> axum::response::Response {
    let mut request = Request::get(path).header(http::header::HOST, host);
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    app.clone().oneshot(request.body(Body::empty()).expect("request")).await.expect("an answer")
}

fn header<'a>(response: &'a axum::response::Response, name: &str) -> &'a str {
    response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

#[tokio::test]
async fn the_console_is_served_without_the_token_under_a_strict_policy() {
    let app = gateway(Some(TOKEN));
    let page = fetch(&app, "/", "127.0.0.1:5003", &[]).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(header(&page, "content-type"), "text/html; charset=utf-8");
    let policy = header(&page, "content-security-policy");
    for part in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
        "connect-src 'self' ws://127.0.0.1:5003 wss://127.0.0.1:5003",
    ] {
        assert!(policy.contains(part), "{part} missing from {policy}");
    }
    assert!(!policy.contains("unsafe") && !policy.contains('*'), "{policy}");
    assert_eq!(header(&page, "x-content-type-options"), "nosniff");
    assert_eq!(header(&page, "x-frame-options"), "DENY");
    assert_eq!(header(&page, "referrer-policy"), "no-referrer");
    assert_eq!(header(&page, "cache-control"), "no-cache");

    for (file, kind) in [
        ("/console/console.js", "text/javascript; charset=utf-8"),
        ("/console/console.css", "text/css; charset=utf-8"),
        ("/console/icon.svg", "image/svg+xml"),
    ] {
        let asset = fetch(&app, file, "localhost", &[]).await;
        assert_eq!((asset.status(), header(&asset, "content-type")), (StatusCode::OK, kind), "{file}");
        assert!(header(&asset, "content-security-policy").contains("script-src 'self'"), "{file}");
        let etag = header(&asset, "etag").to_string();
        let again = fetch(&app, file, "localhost", &[("if-none-match", &etag)]).await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{file} revalidated with its ETag");
    }
    assert_eq!(fetch(&app, "/console/secrets.txt", "localhost", &[]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        fetch(&app, "/console/../api/kubernetes/pods", "localhost", &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    // The API behind it still wants the token.
    assert_eq!(
        fetch(&app, "/api/kubernetes/pods", "localhost", &[]).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_console_is_refused_for_a_host_kubegate_does_not_serve() {
    let app = gateway(Some(TOKEN));
    for path in ["/", "/console/console.js"] {
        let refused = fetch(&app, path, "evil.example.com:5003", &[]).await;
        assert_eq!(refused.status(), StatusCode::MISDIRECTED_REQUEST, "{path}");
        assert!(header(&refused, "content-type").starts_with("application/json"), "{path}: no page");
    }
    // A Host that would smuggle sources into the policy is refused before the policy is written.
    let smuggled = fetch(&app, "/", "a.example;script-src *", &[]).await;
    assert_eq!(smuggled.status(), StatusCode::MISDIRECTED_REQUEST);
}

#[tokio::test]
async fn sessions_are_listed_and_ended_over_rest() {
    let app = gateway(None);
    let (status, body) =
        answer(&app, Request::get("/api/kubernetes/sessions?pod=web").body(Body::empty()).expect("request"))
            .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let listed: Value = serde_json::from_str(&body).expect("JSON");
    let session = &listed["sessions"][0];
    assert_eq!(
        (session["sessionId"].as_str(), session["pod"].as_str(), session["state"].as_str()),
        (Some("s-web"), Some("web"), Some("DETACHED"))
    );
    assert_eq!(
        (session["outputOffset"].as_u64(), session["bufferedFromOffset"].as_u64()),
        (Some(42), Some(2))
    );
    let (status, _) = answer(
        &app,
        Request::get("/api/kubernetes/sessions?namespace=forbidden").body(Body::empty()).expect("request"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let end = |id: &str| {
        Request::delete(format!("/api/kubernetes/sessions/{id}")).body(Body::empty()).expect("request")
    };
    let (status, body) = answer(&app, end("s-web")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let ended: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!((ended["success"].as_bool(), ended["exit"]["reason"].as_str()), (Some(true), Some("KILLED")));
    assert_eq!(answer(&app, end("missing")).await.0, StatusCode::NOT_FOUND);
}
