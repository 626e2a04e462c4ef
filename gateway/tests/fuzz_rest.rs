//! Property-based fuzzing of what a caller controls on the REST port: bodies (any JSON, any bytes, any
//! content type), query strings and path segments, through the real routes in front of the fake
//! service. Whatever arrives, the gateway answers: no panic, no hang (each answer within 5 s), and no
//! 5xx other than 503. The case count is fixed so the run is bounded; `tests/run` prints its time.

mod fake;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use proptest::prelude::*;

const BODY_ROUTES: [(&str, &str); 12] = [
    ("PUT", "/api/kubernetes/config"),
    ("POST", "/api/kubernetes/test-connection"),
    ("POST", "/api/kubernetes/pods"),
    ("POST", "/api/kubernetes/pods/web/exec"),
    ("POST", "/api/kubernetes/cleanup"),
    ("POST", "/api/kubernetes/services"),
    ("POST", "/api/kubernetes/ingresses"),
    ("POST", "/api/kubernetes/test-runs"),
    ("POST", "/api/kubernetes/previews"),
    ("POST", "/api/kubernetes/match-image"),
    ("DELETE", "/api/kubernetes/pods/web"),
    ("DELETE", "/api/kubernetes/services/web"),
];

const QUERY_ROUTES: [&str; 7] = [
    "/api/kubernetes/pods",
    "/api/kubernetes/pods/web",
    "/api/kubernetes/pods/web/logs",
    "/api/kubernetes/services",
    "/api/kubernetes/ingresses/web",
    "/api/kubernetes/exec-ws-url",
    "/api/kubernetes/config",
];

/// Any JSON value, a few levels deep, with keys the routes know mixed in so validation is reached.
fn json() -> impl Strategy<Value = serde_json::Value> {
    let key = prop_oneof![
        Just("name".to_string()),
        Just("namespace".to_string()),
        Just("image".to_string()),
        Just("command".to_string()),
        Just("ports".to_string()),
        Just("selector".to_string()),
        Just("enabled".to_string()),
        Just("maxAgeMs".to_string()),
        Just("env".to_string()),
        "[a-zA-Z]{1,8}",
    ];
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(serde_json::Value::from),
        ".{0,24}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 32, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            prop::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

fn content_type() -> impl Strategy<Value = Option<&'static str>> {
    prop_oneof![
        Just(None),
        Just(Some("application/json")),
        Just(Some("application/x-www-form-urlencoded")),
        Just(Some("text/plain")),
        Just(Some("application/octet-stream")),
        Just(Some("multipart/form-data; boundary=x")),
    ]
}

/// The answer's status, failing the case on a hang.
async fn status_of(app: &axum::Router, request: Request<Body>) -> StatusCode {
    let answered = tokio::time::timeout(Duration::from_secs(5), fake::call(app, request)).await;
    answered.expect("an answer within 5 s").0
}

fn acceptable(status: StatusCode) -> bool {
    !status.is_server_error() || status == StatusCode::SERVICE_UNAVAILABLE
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_json_body_gets_a_client_answer(
        route in 0..BODY_ROUTES.len(),
        body in json(),
        content_type in content_type(),
        origin in prop::option::of(prop_oneof![Just("http://evil.example.com"), Just("http://localhost")]),
    ) {
        let (method, path) = BODY_ROUTES[route];
        let status = runtime().block_on(async {
            let app = fake::gateway(None);
            let mut request = Request::builder().method(method).uri(path);
            if let Some(ct) = content_type {
                request = request.header("content-type", ct);
            }
            if let Some(origin) = origin {
                request = request.header("origin", origin);
            }
            status_of(&app, request.body(Body::from(body.to_string())).expect("request")).await
        });
        prop_assert!(acceptable(status), "{method} {path} with {body} answered {status}");
    }

    #[test]
    fn any_bytes_as_a_body_get_a_client_answer(
        route in 0..BODY_ROUTES.len(),
        bytes in prop::collection::vec(any::<u8>(), 0..512),
        content_type in content_type(),
    ) {
        let (method, path) = BODY_ROUTES[route];
        let status = runtime().block_on(async {
            let app = fake::gateway(None);
            let mut request = Request::builder().method(method).uri(path);
            if let Some(ct) = content_type {
                request = request.header("content-type", ct);
            }
            status_of(&app, request.body(Body::from(bytes)).expect("request")).await
        });
        prop_assert!(acceptable(status), "{method} {path} answered {status}");
    }

    #[test]
    fn any_query_string_gets_a_client_answer(
        route in 0..QUERY_ROUTES.len(),
        pairs in prop::collection::vec(
            (prop_oneof![
                Just("namespace".to_string()), Just("labelSelector".to_string()), Just("tailLines".to_string()),
                Just("follow".to_string()), Just("pod".to_string()), Just("since".to_string()), "[a-z%]{1,6}",
            ], "[ -~]{0,16}"),
            0..5,
        ),
    ) {
        let query: String = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", urlencoding(k), urlencoding(v)))
            .collect::<Vec<_>>()
            .join("&");
        let uri = format!("{}?{query}", QUERY_ROUTES[route]);
        let status = runtime().block_on(async {
            let app = fake::gateway(None);
            status_of(&app, Request::get(&uri).body(Body::empty()).expect("request")).await
        });
        prop_assert!(acceptable(status), "GET {uri} answered {status}");
    }
}

/// Percent-encodes everything but unreserved characters (a query may still hold any byte after decoding).
fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
