//! A client cannot hold a connection open by sending its headers slowly (slowloris) or by staying silent
//! on an idle keep-alive connection: the gateway closes it after the header-read timeout.

mod fake;

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// Reads until the server closes the connection; how long that took, and what was read.
async fn until_closed(stream: &mut tokio::net::TcpStream) -> (Duration, String) {
    let started = Instant::now();
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => seen.extend_from_slice(&buffer[..n]),
            Err(_) => panic!("the connection was still open after 5 s"),
        }
    }
    (started.elapsed(), String::from_utf8_lossy(&seen).into_owned())
}

#[tokio::test]
async fn headers_sent_too_slowly_close_the_connection() {
    let (http, _) = fake::serving(|config| config.header_read_timeout = Duration::from_millis(500)).await;
    let mut stream = tokio::net::TcpStream::connect(http).await.expect("connect");
    // Half a request line, and then nothing.
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: local").await.expect("write");
    let (took, _) = until_closed(&mut stream).await;
    assert!(took < Duration::from_secs(3), "closed after {took:?}");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let (http, _) = fake::serving(|config| config.header_read_timeout = Duration::from_millis(500)).await;
    let mut stream = tokio::net::TcpStream::connect(http).await.expect("connect");
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n").await.expect("write");
    let (took, answer) = until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 "), "{answer}");
    assert!(took < Duration::from_secs(3), "an idle connection stayed open for {took:?}");
}
