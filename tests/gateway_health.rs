//! The in-process gateway answers on its own port and reaches the gRPC service as a client.

mod support;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn http_get(addr: std::net::SocketAddr, path: &str) -> String {
    let mut socket = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    socket.write_all(request.as_bytes()).await.expect("write");
    let mut response = String::new();
    socket.read_to_string(&mut response).await.expect("read");
    response
}

#[tokio::test]
async fn the_gateway_reports_the_grpc_services_health_through_grpc() {
    let server = support::start_without_kubernetes(true).await;
    let http = server.http_addr.expect("gateway runs");
    let response = http_get(http, "/healthz").await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains(r#"{"status":"SERVING"}"#), "{response}");
    // The terminal's own port serves the terminal and nothing else.
    let terminal = server.terminal_addr.expect("terminal port");
    assert!(http_get(terminal, "/healthz").await.starts_with("HTTP/1.1 404"));
    server.shutdown().await.expect("clean shutdown");
}

#[tokio::test]
async fn the_gateway_says_unavailable_when_the_grpc_service_is_gone() {
    let free = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let dead_upstream = format!("http://{}", free.local_addr().expect("addr"));
    drop(free);
    let http = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = http.local_addr().expect("addr");
    let token = tokio_util::sync::CancellationToken::new();
    let listeners = kubegate_gateway::Listeners { http, terminal: None };
    let task = tokio::spawn(kubegate_gateway::serve(
        listeners,
        kubegate_gateway::GatewayConfig::new(dead_upstream),
        token.clone().cancelled_owned(),
    ));
    let response = http_get(addr, "/healthz").await;
    assert!(response.starts_with("HTTP/1.1 503"), "{response}");
    assert!(response.contains("UNREACHABLE"), "{response}");
    token.cancel();
    task.await.expect("join").expect("gateway stops cleanly");
}
