//! Request bodies as callers of the original send them: JSON labelled as JSON, unlabelled, or labelled
//! as a form or text (`curl -d`); what is refused (a cross-site form, a body that is not JSON, another
//! content type); and the field a body that does not fit is wrong in.

mod fake;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use fake::{answer, gateway};
use serde_json::{Value, json};

const POD: &str = r#"{"name":"web","image":"node:20"}"#;
const CREATED: &str = r#"{"podName":"web","success":true}"#;

/// `POST /api/kubernetes/pods` with `body`, the content type and origin given, on `Host: localhost:5003`.
async fn post_pod(
    app: &axum::Router,
    content_type: Option<&str>,
    origin: Option<&str>,
    body: &str,
) -> (StatusCode, String) {
    let mut request = Request::post("/api/kubernetes/pods").header(http::header::HOST, "localhost:5003");
    if let Some(content_type) = content_type {
        request = request.header(http::header::CONTENT_TYPE, content_type);
    }
    if let Some(origin) = origin {
        request = request.header(http::header::ORIGIN, origin);
    }
    answer(app, request.body(Body::from(body.to_string())).expect("request")).await
}

fn json_of(body: &str) -> Value {
    serde_json::from_str(body).expect("a JSON answer")
}

#[tokio::test]
async fn json_bodies_are_read_whatever_their_label_as_the_original_did() {
    let app = gateway(None);
    for label in [
        None,
        Some("application/json"),
        Some("application/json; charset=utf-8"),
        Some("application/x-www-form-urlencoded"),
        Some("text/plain;charset=UTF-8"),
    ] {
        assert_eq!(post_pod(&app, label, None, POD).await, (StatusCode::OK, CREATED.into()), "{label:?}");
    }
    // A page of this site, or of an origin allowed CORS access, may send them too.
    assert_eq!(
        post_pod(&app, Some("application/x-www-form-urlencoded"), Some("http://localhost:5003"), POD).await,
        (StatusCode::OK, CREATED.into())
    );
}

#[tokio::test]
async fn a_cross_site_form_is_refused_before_anything_is_created() {
    let app = gateway(None);
    let form = Some("application/x-www-form-urlencoded");
    // `taken` would answer 409 if the service were asked: a 403 means it was not.
    let taken = r#"{"name":"taken","image":"node:20"}"#;
    for (label, origin) in [
        (form, "http://evil.example.com"),
        (None, "http://evil.example.com"),
        (Some("text/plain"), "https://localhost.evil.example"),
        (form, "null"),
    ] {
        let (status, body) = post_pod(&app, label, Some(origin), taken).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{label:?} from {origin}: {body}");
        assert_eq!(json_of(&body)["code"], "PERMISSION_DENIED");
    }
    // The connection test tolerates any body, but not a cross-site one.
    let request = Request::post("/api/kubernetes/test-connection")
        .header(http::header::HOST, "localhost:5003")
        .header(http::header::ORIGIN, "http://evil.example.com")
        .header(http::header::CONTENT_TYPE, "text/plain")
        .body(Body::from("{}"))
        .expect("request");
    assert_eq!(answer(&app, request).await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn bodies_that_are_not_json_are_415s_unless_labelled_json() {
    let app = gateway(None);
    let form = "name=web&image=node%3A20";
    for label in [None, Some("application/x-www-form-urlencoded"), Some("text/plain")] {
        let (status, body) = post_pod(&app, label, None, form).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{label:?}: {body}");
        assert_eq!(json_of(&body)["code"], "INVALID_ARGUMENT");
    }
    let (status, body) = post_pod(&app, Some("multipart/form-data; boundary=x"), None, POD).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
    // Labelled JSON but malformed: the caller's mistake, a 400.
    let (status, body) = post_pod(&app, Some("application/json"), None, r#"{"name":"#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(json_of(&body)["error"].as_str().is_some_and(|e| e.starts_with("the body is not valid JSON")));
    let (status, body) = post_pod(&app, Some("application/json"), None, &format!("{POD}x")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "trailing characters: {body}");
    let (status, body) = post_pod(&app, None, None, "").await;
    assert_eq!(
        (status, json_of(&body)["error"].clone()),
        (StatusCode::BAD_REQUEST, json!("a JSON body is required"))
    );
}

#[tokio::test]
async fn a_body_that_does_not_fit_names_the_field_in_details() {
    let app = gateway(None);
    for (label, body, field, message) in [
        (Some("application/json"), r#"{"name":"web"}"#, "image", "is required"),
        (
            None,
            r#"{"name":"web","image":"busybox","command":"sleep 600"}"#,
            "command",
            "invalid type: string \"sleep 600\", expected a sequence",
        ),
        (
            Some("application/x-www-form-urlencoded"),
            r#"{"name":"web","image":"busybox","env":{"A":1}}"#,
            "env.A",
            "invalid type: integer `1`, expected a string",
        ),
        (
            Some("application/json"),
            r#""web""#,
            "body",
            "invalid type: string \"web\", expected a JSON object",
        ),
    ] {
        let (status, answer) = post_pod(&app, label, None, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert_eq!(
            json_of(&answer),
            json!({
                "code": "INVALID_ARGUMENT",
                "details": [{"field": field, "message": message}],
                "error": format!("invalid request body: {field}: {message}"),
            }),
            "{body}"
        );
    }
}
