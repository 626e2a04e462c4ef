//! A `?token=` query value (how browsers may send the API token to the terminal) is neither logged nor
//! recorded in a span. Alone in its test binary: it installs the process's subscriber.

mod fake;

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use fake::{TOKEN, answer, gateway, raw_head, serving};
use kubegate_gateway::ApiToken;

/// Everything the subscriber writes, kept for the test to read.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut kept) = self.0.lock() {
            kept.extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

#[tokio::test]
async fn a_token_in_the_query_is_neither_logged_nor_recorded_in_a_span() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(
            tracing_subscriber::fmt::format::FmtSpan::NEW | tracing_subscriber::fmt::format::FmtSpan::CLOSE,
        )
        .finish();
    // For the whole process: the gateway's tasks and hyper's log wherever they run.
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber of this test binary");

    let (http, _) = serving(|config| config.token = Some(ApiToken::new(TOKEN).expect("token"))).await;
    let upgrade = format!(
        "GET /ws/kubernetes/exec?pod=web&namespace=ns&token={TOKEN} HTTP/1.1\r\nHost: {http}\r\n\
         Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="
    );
    let (status, _) = raw_head(http, &upgrade).await;
    assert_eq!(status, 101);
    let app = gateway(Some(TOKEN));
    for path in [
        format!("/ws/kubernetes/exec?pod=web&token={TOKEN}"),
        format!("/api/kubernetes/pods?token={TOKEN}"),
        format!("/no/such/route?token={TOKEN}"),
    ] {
        let request = Request::get(path.as_str()).body(Body::empty()).expect("request");
        assert_ne!(answer(&app, request).await.0, StatusCode::OK, "{path}");
    }
    // Let the terminal's session (which the fake refuses) run to its end.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;

    let logged =
        String::from_utf8_lossy(&captured.0.lock().map(|kept| kept.clone()).unwrap_or_default()).to_string();
    assert!(logged.contains("http.route=/ws/kubernetes/exec"), "the spans were captured: {logged}");
    assert!(logged.contains("http.route=/no/such/route"), "{logged}");
    assert!(!logged.contains(TOKEN), "the token was logged:\n{logged}");
}
