//! The `/api/kubernetes` routes for Services, Ingresses, test runs, previews and image matching, through
//! the router in front of a fake service: exact bodies and statuses, a success and an error per family.

mod fake;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use fake::{call, gateway, get, send};

#[tokio::test]
async fn services_show_their_kubernetes_types_and_protocols() {
    let app = gateway(None);
    let web = r#"{"age":0,"clusterIP":"10.96.0.10","name":"web","namespace":"ns","ports":[{"port":53,"protocol":"UDP","targetPort":"dns"},{"port":443,"protocol":"TCP","targetPort":8443}],"selector":{"a":"1","b":"2"},"type":"NodePort"}"#;
    assert_eq!(
        get(&app, "/api/kubernetes/services").await,
        (StatusCode::OK, format!(r#"{{"services":[{web}]}}"#))
    );
    let body = r#"{"name":"web","type":"LoadBalancer","ports":[{"port":80,"protocol":"SCTP"},{"port":81}]}"#;
    assert_eq!(
        send(&app, "POST", "/api/kubernetes/services", body).await,
        (StatusCode::OK, r#"{"serviceName":"web:LoadBalancer:SCTP,TCP","success":true}"#.into())
    );
    assert_eq!(
        get(&app, "/api/kubernetes/services/web").await,
        (StatusCode::OK, r#"{"service":{"kind":"Service","metadata":{"name":"web"}}}"#.into())
    );
    assert_eq!(
        send(&app, "DELETE", "/api/kubernetes/services/web", "").await,
        (StatusCode::OK, r#"{"success":true}"#.into())
    );
}

#[tokio::test]
async fn service_types_and_protocols_kubernetes_does_not_know_are_400s() {
    let app = gateway(None);
    assert_eq!(
        send(&app, "POST", "/api/kubernetes/services", r#"{"name":"web","type":"ExternalName","ports":[]}"#).await,
        (
            StatusCode::BAD_REQUEST,
            r#"{"code":"INVALID_ARGUMENT","error":"type: \"ExternalName\" is not ClusterIP, NodePort or LoadBalancer"}"#
                .into()
        )
    );
    let body = r#"{"name":"web","ports":[{"port":80},{"port":81,"protocol":"ICMP"}]}"#;
    assert_eq!(
        send(&app, "POST", "/api/kubernetes/services", body).await,
        (
            StatusCode::BAD_REQUEST,
            r#"{"code":"INVALID_ARGUMENT","error":"ports[1].protocol: \"ICMP\" is not TCP, UDP or SCTP"}"#
                .into()
        )
    );
    assert_eq!(get(&app, "/api/kubernetes/services/missing").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn ingresses_are_created_from_native_rules_and_listed() {
    let app = gateway(None);
    let web = r#"{"addresses":["192.0.2.1"],"age":0,"annotations":{"a":"first","z":"last"},"hosts":["app.example"],"ingressClassName":"nginx","name":"web","namespace":"ns"}"#;
    assert_eq!(
        get(&app, "/api/kubernetes/ingresses").await,
        (StatusCode::OK, format!(r#"{{"ingresses":[{web}]}}"#))
    );
    let backend = r#"{"service":{"name":"web","port":{"number":80}}}"#;
    let body = format!(
        r#"{{"name":"web","rules":[{{"host":"app.example","http":{{"paths":[{{"path":"/","backend":{backend}}},{{"path":"/x","pathType":"Exact","backend":{backend}}},{{"pathType":"ImplementationSpecific","backend":{backend}}}]}}}}]}}"#
    );
    assert_eq!(
        send(&app, "POST", "/api/kubernetes/ingresses", &body).await,
        (
            StatusCode::OK,
            r#"{"ingressName":"web:Prefix,Exact,ImplementationSpecific","success":true}"#.into()
        )
    );
    assert_eq!(
        get(&app, "/api/kubernetes/ingresses/web").await,
        (StatusCode::OK, r#"{"ingress":{"kind":"Ingress","metadata":{"name":"web"}}}"#.into())
    );
}

#[tokio::test]
async fn ingress_path_types_kubernetes_does_not_know_are_400s_naming_where() {
    let app = gateway(None);
    let backend = r#"{"service":{"name":"web","port":{"name":"http"}}}"#;
    let body = format!(
        r#"{{"name":"web","rules":[{{"http":{{"paths":[{{"backend":{backend}}},{{"pathType":"Fuzzy","backend":{backend}}}]}}}}]}}"#
    );
    assert_eq!(
        send(&app, "POST", "/api/kubernetes/ingresses", &body).await,
        (
            StatusCode::BAD_REQUEST,
            r#"{"code":"INVALID_ARGUMENT","error":"rules[0].http.paths[1].pathType: \"Fuzzy\" is not Prefix, Exact or ImplementationSpecific"}"#
                .into()
        )
    );
    assert_eq!(
        send(&app, "DELETE", "/api/kubernetes/ingresses/missing", "").await,
        (StatusCode::NOT_FOUND, r#"{"code":"NOT_FOUND","error":"missing not found"}"#.into())
    );
}

const RESULT: &str = r#""commit":"abc1234","durationMs":2500,"exitCode":0,"image":"node:20","logTail":"ok\n","message":"timeout Some((1, 500000000))","namespace":"ns","outcome":"PASSED","podName":"test-abc1234","success":true"#;
const RUN: &str = r#"{"claimName":"repo","commit":"abc1234","command":"npm test","timeoutSeconds":1.5}"#;

#[tokio::test]
async fn a_test_run_is_waited_for_or_streamed() {
    let app = gateway(None);
    assert_eq!(
        send(&app, "POST", "/api/kubernetes/test-runs", RUN).await,
        (StatusCode::OK, format!("{{{RESULT}}}"))
    );
    let request = Request::post("/api/kubernetes/test-runs?stream=true")
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(Body::from(RUN))
        .expect("request");
    let (status, content_type, body) = call(&app, request).await;
    assert_eq!((status, content_type.as_str()), (StatusCode::OK, "application/x-ndjson"));
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(
        lines,
        [
            r#"{"image":"node:20","nodeName":"n1","podName":"test-abc1234","type":"scheduled"}"#,
            r#"{"type":"running"}"#,
            r#"{"data":"ok\n","type":"output"}"#,
            &format!(r#"{{{RESULT},"type":"finished"}}"#),
        ]
    );
}

#[tokio::test]
async fn test_runs_refuse_bad_durations_unknown_fields_and_refused_namespaces() {
    let app = gateway(None);
    let zero = RUN.replace("1.5", "0");
    assert_eq!(
        send(&app, "POST", "/api/kubernetes/test-runs", &zero).await,
        (
            StatusCode::BAD_REQUEST,
            r#"{"code":"INVALID_ARGUMENT","error":"timeoutSeconds: must be a positive number of seconds"}"#
                .into()
        )
    );
    let unknown = RUN.replace("\"command\"", "\"extra\":1,\"command\"");
    assert_eq!(send(&app, "POST", "/api/kubernetes/test-runs", &unknown).await.0, StatusCode::BAD_REQUEST);
    let refused = RUN.replace("\"claimName\"", "\"namespace\":\"forbidden\",\"claimName\"");
    assert_eq!(
        send(&app, "POST", "/api/kubernetes/test-runs?stream=true", &refused).await.0,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn previews_show_their_pod_service_and_ingress() {
    let app = gateway(None);
    let (status, body) =
        send(&app, "POST", "/api/kubernetes/previews", r#"{"name":"web","image":"node:20","port":3000}"#)
            .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.starts_with(r#"{"preview":{"host":"preview-web.example","ingress":{"addresses":"#),
        "{body}"
    );
    assert!(body.ends_with(r#""url":"https://preview-web.example"},"success":true}"#), "{body}");
    let created: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(created["preview"]["pod"]["phase"], "Running");
    assert_eq!(created["preview"]["service"]["type"], "NodePort");
    assert_eq!(created["preview"]["ingress"]["hosts"], serde_json::json!(["app.example"]));
    let (status, body) = get(&app, "/api/kubernetes/previews/web").await;
    assert_eq!(
        (status, body.starts_with(r#"{"preview":{"host":"preview-web.example""#)),
        (StatusCode::OK, true)
    );
    assert_eq!(get(&app, "/api/kubernetes/previews").await, (StatusCode::OK, r#"{"previews":[]}"#.into()));
    assert_eq!(
        send(&app, "DELETE", "/api/kubernetes/previews/web", "").await,
        (StatusCode::OK, r#"{"success":true}"#.into())
    );
}

#[tokio::test]
async fn preview_errors_are_404_409_and_400() {
    let app = gateway(None);
    assert_eq!(
        get(&app, "/api/kubernetes/previews/missing").await,
        (StatusCode::NOT_FOUND, r#"{"code":"NOT_FOUND","error":"missing not found"}"#.into())
    );
    let taken = r#"{"name":"taken","image":"node:20","port":3000}"#;
    assert_eq!(send(&app, "POST", "/api/kubernetes/previews", taken).await.0, StatusCode::CONFLICT);
    assert_eq!(
        send(&app, "POST", "/api/kubernetes/previews", r#"{"name":"web"}"#).await.0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn an_image_is_matched_with_its_findings_and_a_missing_project_is_a_404() {
    let app = gateway(None);
    let nvmrc = r#"{"file":".nvmrc","line":1,"runtime":"node","version":"20"}"#;
    let package = r#"{"file":"package.json","line":1,"runtime":"node","version":"18"}"#;
    assert_eq!(
        send(&app, "POST", "/api/kubernetes/match-image", r#"{"claimName":"repo"}"#).await,
        (
            StatusCode::OK,
            format!(
                r#"{{"chosen":{nvmrc},"conflicts":[{{"findings":[{nvmrc},{package}],"runtime":"node"}}],"found":[{nvmrc},{package}],"image":"node:20","majorOnly":true,"malformed":[{{"error":"no go line","file":"go.mod"}}],"notes":["chose .nvmrc"],"runtime":"node"}}"#
            )
        )
    );
    assert_eq!(
        send(&app, "POST", "/api/kubernetes/match-image", r#"{"claimName":"missing"}"#).await,
        (
            StatusCode::NOT_FOUND,
            r#"{"code":"NOT_FOUND","error":"no directory missing:/ in the claim"}"#.into()
        )
    );
}
