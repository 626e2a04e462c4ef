//! The `/api/kubernetes` routes for settings, pods, logs, exec and cleanup, through the router in front
//! of a fake service: exact bodies and statuses, a success and an error per family.

mod fake;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use fake::{answer, call, gateway, get, send};

const WEB: &str = r#"{"age":0,"image":"node:20","name":"web","namespace":"ns","nodeName":"n1","phase":"Running","podIP":"10.0.0.1","ready":true,"restartCount":0}"#;

#[tokio::test]
async fn config_reads_and_changes_the_settings_and_names_invalid_fields() {
    let app = gateway(None);
    let connection = r#"{"allPermissionsAllowed":true,"connected":true,"namespace":"ns","serverVersion":"v1.33.0","username":"admin"}"#;
    assert_eq!(
        get(&app, "/api/kubernetes/config").await,
        (
            StatusCode::OK,
            format!(r#"{{"config":{{"enabled":true,"namespace":"ns"}},"connection":{connection}}}"#)
        )
    );
    assert_eq!(
        send(&app, "PUT", "/api/kubernetes/config", r#"{"enabled":true,"kubeconfigPath":"/k"}"#).await,
        (
            StatusCode::OK,
            r#"{"config":{"enabled":true,"kubeconfigPath":"/k","namespace":"ns"},"success":true}"#.into()
        )
    );
    assert_eq!(
        send(&app, "PUT", "/api/kubernetes/config", r#"{"enabled":true,"namespace":"Bad_NS"}"#).await,
        (
            StatusCode::BAD_REQUEST,
            r#"{"code":"INVALID_ARGUMENT","details":[{"field":"namespace","message":"not a DNS label"}],"error":"invalid namespace"}"#
                .into()
        )
    );
    assert_eq!(
        send(&app, "PUT", "/api/kubernetes/config", r#"{"enabled":"yes"}"#).await,
        (
            StatusCode::BAD_REQUEST,
            r#"{"code":"INVALID_ARGUMENT","details":[{"field":"enabled","message":"invalid type: string \"yes\", expected a boolean"}],"error":"invalid request body: enabled: invalid type: string \"yes\", expected a boolean"}"#
                .into()
        )
    );
}

#[tokio::test]
async fn the_connection_test_reports_failures_in_its_body_and_an_unreachable_service_as_503() {
    let app = gateway(None);
    let (status, body) =
        send(&app, "POST", "/api/kubernetes/test-connection", r#"{"namespace":"offline"}"#).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, r#"{"connected":false,"error":"cannot reach https://k8s:6443"}"#)
    );
    // Any body is tolerated, even none.
    let request = Request::post("/api/kubernetes/test-connection").body(Body::empty()).expect("request");
    let (status, body) = answer(&app, request).await;
    assert_eq!((status, body.contains(r#""connected":true"#)), (StatusCode::OK, true));
    assert_eq!(
        send(&app, "POST", "/api/kubernetes/test-connection", r#"{"namespace":"down"}"#).await,
        (
            StatusCode::SERVICE_UNAVAILABLE,
            r#"{"code":"UNAVAILABLE","error":"Kubernetes is unreachable"}"#.into()
        )
    );
}

#[tokio::test]
async fn pods_are_listed_created_read_and_deleted_with_the_original_shapes() {
    let app = gateway(None);
    let done = r#"{"age":0,"exitCode":0,"name":"done","namespace":"ns","nodeName":"n1","phase":"Succeeded","podIP":"10.0.0.1","ready":true,"restartCount":0}"#;
    assert_eq!(
        get(&app, "/api/kubernetes/pods").await,
        (StatusCode::OK, format!(r#"{{"pods":[{WEB},{done}]}}"#))
    );
    assert_eq!(
        send(&app, "POST", "/api/kubernetes/pods", r#"{"name":"web","image":"node:20"}"#).await,
        (StatusCode::OK, r#"{"podName":"web","success":true}"#.into())
    );
    // The object is spliced in as the service wrote it, spaces and all.
    assert_eq!(
        get(&app, "/api/kubernetes/pods/web").await,
        (StatusCode::OK, r#"{"pod":{"kind": "Pod","metadata":{"name":"web"}}}"#.into())
    );
    assert_eq!(
        send(&app, "DELETE", "/api/kubernetes/pods/web", "").await,
        (StatusCode::OK, r#"{"success":true}"#.into())
    );
}

#[tokio::test]
async fn pod_errors_carry_the_status_that_means_what_happened() {
    let app = gateway(None);
    assert_eq!(
        get(&app, "/api/kubernetes/pods?namespace=forbidden").await,
        (
            StatusCode::FORBIDDEN,
            r#"{"code":"PERMISSION_DENIED","error":"namespace forbidden is not allowed"}"#.into()
        )
    );
    assert_eq!(
        send(&app, "POST", "/api/kubernetes/pods", r#"{"name":"taken","image":"node:20"}"#).await,
        (StatusCode::CONFLICT, r#"{"code":"ALREADY_EXISTS","error":"taken already exists"}"#.into())
    );
    assert_eq!(
        send(&app, "POST", "/api/kubernetes/pods", r#"{"name":"web","image":"node:20","mountPath":"/w"}"#)
            .await,
        (
            StatusCode::BAD_REQUEST,
            r#"{"code":"INVALID_ARGUMENT","error":"mountPath and hostPath must be given together"}"#.into()
        )
    );
    assert_eq!(
        get(&app, "/api/kubernetes/pods/missing").await,
        (StatusCode::NOT_FOUND, r#"{"code":"NOT_FOUND","error":"missing not found"}"#.into())
    );
}

#[tokio::test]
async fn the_pod_watch_is_json_lines_ending_in_an_error_event() {
    let app = gateway(None);
    let request = Request::get("/api/kubernetes/pods/watch").body(Body::empty()).expect("request");
    let (status, content_type, body) = call(&app, request).await;
    assert_eq!((status, content_type.as_str()), (StatusCode::OK, "application/x-ndjson"));
    assert_eq!(
        body,
        format!(
            "{{\"pod\":{WEB},\"type\":\"ADDED\"}}\n{{\"type\":\"SYNCED\"}}\n{}\n",
            r#"{"code":"ABORTED","error":"watch expired","type":"error"}"#
        )
    );
    let (status, body) = get(&app, "/api/kubernetes/pods/watch?initial=maybe").await;
    assert_eq!(
        (status, body.as_str()),
        (
            StatusCode::BAD_REQUEST,
            r#"{"code":"INVALID_ARGUMENT","error":"initial: \"maybe\" is not true or false"}"#
        )
    );
}

#[tokio::test]
async fn logs_are_read_at_once_and_bad_options_are_400s() {
    let app = gateway(None);
    assert_eq!(
        get(&app, "/api/kubernetes/pods/web/logs?tailLines=5").await,
        (StatusCode::OK, r#"{"logs":"tail=Some(5) timestamps=true\n"}"#.into())
    );
    assert_eq!(
        get(&app, "/api/kubernetes/pods/web/logs?tailLines=x").await,
        (
            StatusCode::BAD_REQUEST,
            r#"{"code":"INVALID_ARGUMENT","error":"tailLines: \"x\" is not a number"}"#.into()
        )
    );
    assert_eq!(get(&app, "/api/kubernetes/pods/missing/logs").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn followed_logs_are_json_lines_or_server_sent_events_and_a_missing_pod_is_a_404() {
    let app = gateway(None);
    let (status, content_type, body) = call(
        &app,
        Request::get("/api/kubernetes/pods/web/logs?follow=true").body(Body::empty()).expect("request"),
    )
    .await;
    assert_eq!((status, content_type.as_str()), (StatusCode::OK, "application/x-ndjson"));
    assert_eq!(
        body,
        "{\"line\":\"one\",\"type\":\"line\"}\n{\"line\":\"two\",\"type\":\"line\"}\n{\"reason\":\"CONTAINER_EXITED\",\"type\":\"end\"}\n"
    );
    let request = Request::get("/api/kubernetes/pods/web/logs?follow=1")
        .header(http::header::ACCEPT, "text/event-stream")
        .body(Body::empty())
        .expect("request");
    let (status, content_type, body) = call(&app, request).await;
    assert_eq!((status, content_type.as_str()), (StatusCode::OK, "text/event-stream"));
    assert!(body.starts_with("event: line\ndata: {\"line\":\"one\",\"type\":\"line\"}\n\n"), "{body}");
    assert!(
        body.contains("event: end\ndata: {\"reason\":\"CONTAINER_EXITED\",\"type\":\"end\"}\n\n"),
        "{body}"
    );
    assert_eq!(
        get(&app, "/api/kubernetes/pods/missing/logs?follow=true").await,
        (StatusCode::NOT_FOUND, r#"{"code":"NOT_FOUND","error":"missing not found"}"#.into())
    );
}

#[tokio::test]
async fn exec_answers_the_real_exit_code_and_a_missing_pod_is_a_404() {
    let app = gateway(None);
    assert_eq!(
        send(&app, "POST", "/api/kubernetes/pods/web/exec", r#"{"command":["echo","hi"]}"#).await,
        (
            StatusCode::OK,
            r#"{"errors":"","exitCode":0,"output":"echo hi","success":true,"timedOut":false}"#.into()
        )
    );
    assert_eq!(
        send(&app, "POST", "/api/kubernetes/pods/web/exec", r#"{"command":["exit","2"]}"#).await,
        (
            StatusCode::OK,
            r#"{"errors":"failed\n","exitCode":2,"output":"exit 2","success":true,"timedOut":false}"#.into()
        )
    );
    assert_eq!(
        send(&app, "POST", "/api/kubernetes/pods/missing/exec", r#"{"command":["true"]}"#).await,
        (StatusCode::NOT_FOUND, r#"{"code":"NOT_FOUND","error":"missing not found"}"#.into())
    );
}

#[tokio::test]
async fn the_terminal_url_follows_the_proxy_headers_and_needs_a_pod_and_namespace() {
    let app = gateway(None);
    let request = Request::get("/api/kubernetes/exec-ws-url?pod=web&namespace=ns&container=app")
        .header("x-forwarded-proto", "https")
        .header("x-forwarded-host", "gw.example")
        .body(Body::empty())
        .expect("request");
    assert_eq!(
        answer(&app, request).await,
        (
            StatusCode::OK,
            r#"{"wsUrl":"wss://gw.example/ws/kubernetes/exec?pod=web&namespace=ns&container=app"}"#.into()
        )
    );
    assert_eq!(
        get(&app, "/api/kubernetes/exec-ws-url?pod=web").await,
        (
            StatusCode::BAD_REQUEST,
            r#"{"code":"INVALID_ARGUMENT","error":"pod and namespace query parameters required"}"#.into()
        )
    );
}

#[tokio::test]
async fn cleanup_passes_the_maximum_age_and_a_refused_namespace_is_a_403() {
    let app = gateway(None);
    assert_eq!(
        send(&app, "POST", "/api/kubernetes/cleanup", r#"{"maxAgeMs":1500}"#).await,
        (StatusCode::OK, r#"{"deleted":1,"deletedNames":["older-than-1500ms"],"success":true}"#.into())
    );
    assert_eq!(
        send(&app, "POST", "/api/kubernetes/cleanup", r#"{"namespace":"forbidden"}"#).await.0,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_token_guards_the_routes_but_not_health_and_unknown_paths_are_404s() {
    let app = gateway(Some(fake::TOKEN));
    let response = tower::ServiceExt::oneshot(
        app.clone(),
        Request::get("/api/kubernetes/pods")
            .header(http::header::HOST, "localhost")
            .body(Body::empty())
            .expect("request"),
    )
    .await
    .expect("an answer");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        response.headers().get(http::header::WWW_AUTHENTICATE).map(|v| v.as_bytes()),
        Some(&b"Bearer"[..])
    );
    let request = Request::get("/api/kubernetes/pods")
        .header(http::header::AUTHORIZATION, format!("Bearer {}", fake::TOKEN))
        .body(Body::empty())
        .expect("request");
    assert_eq!(call(&app, request).await.0, StatusCode::OK);
    assert_eq!(get(&app, "/healthz").await, (StatusCode::OK, r#"{"status":"SERVING"}"#.into()));
    assert_eq!(
        get(&app, "/api/kubernetes/nothing").await,
        (StatusCode::NOT_FOUND, r#"{"code":"NOT_FOUND","error":"no such route"}"#.into())
    );
}

#[tokio::test]
async fn the_served_openapi_document_is_the_committed_one() {
    let app = gateway(None);
    let (status, body) = get(&app, "/api/kubernetes/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let committed = include_str!("../openapi.json");
    let served: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(served, serde_json::from_str::<serde_json::Value>(committed).expect("JSON"));
}
