//! TLS on every listener (`--tls-cert`, `--tls-key`) and an `https` upstream for the gateway: the token
//! never crosses a network in clear. Attacks: a plain-text client on a TLS port, a server with a
//! certificate from another authority (a man in the middle), a client that starts a handshake and never
//! finishes it, a listener beyond loopback without TLS, and an observer on the gateway's upstream link.

mod support;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::{SinkExt as _, StreamExt as _};
use kubegate_gateway::tls::ServerTls;
use kubegate_proto::auth::ApiToken;
use kubegate_proto::v1::ListPodsRequest;
use kubegate_proto::v1::pod_service_client::PodServiceClient;
use support::tls::{authority, tls_connect, write_leaf};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

const TOKEN: &str = "tls-api-token-for-tests-0123456789abcdef";

/// A gRPC pod client over TLS trusting `ca_pem`, sending the token.
async fn grpc_pods(addr: SocketAddr, ca_pem: &str) -> Result<Vec<String>, String> {
    let endpoint = kubegate_proto::dial::endpoint(
        &format!("https://localhost:{}", addr.port()),
        Some(ca_pem.as_bytes()),
    )
    .map_err(|e| e.to_string())?;
    let channel = endpoint.connect().await.map_err(|e| format!("{e:?}"))?;
    let mut request = tonic::Request::new(ListPodsRequest::default());
    request.metadata_mut().insert("authorization", format!("Bearer {TOKEN}").parse().expect("metadata"));
    let pods = PodServiceClient::new(channel).list_pods(request).await.map_err(|e| e.to_string())?;
    Ok(pods.into_inner().pods.into_iter().map(|p| p.name).collect())
}

/// kubegate on the embedded cluster, every listener serving `tls`, with the API token.
async fn tls_stack(tls: ServerTls) -> (kubegate_embedded::EmbeddedCluster, kubegate::server::Running) {
    let cluster = support::embedded_cluster().await;
    let mut options = support::loopback_options(true);
    options.tls = Some(tls);
    options.token = Some(ApiToken::new(TOKEN).expect("token"));
    options.workflows.claims_root = Some(cluster.claims_root());
    let client = cluster.client().await.expect("client");
    let connection =
        kubegate_core::state::Connection::with_client(client, format!("https://{}", cluster.addr()));
    let server = kubegate::server::start(options, connection).await.expect("kubegate starts with TLS");
    (cluster, server)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grpc_rest_and_the_terminal_speak_tls_and_nothing_else() {
    let dir = tempfile::tempdir().expect("a directory");
    let ca = authority("kubegate test CA");
    let (cert, key) = write_leaf(&ca, dir.path());
    let (cluster, server) = tls_stack(ServerTls::load(&cert, &key).expect("the certificate loads")).await;
    let (grpc, rest, terminal) =
        (server.grpc_addr, server.http_addr.expect("rest"), server.terminal_addr.expect("terminal"));

    // gRPC over TLS: a pod created through it is listed through it.
    let endpoint = kubegate_proto::dial::endpoint(
        &format!("https://localhost:{}", grpc.port()),
        Some(ca.pem.as_bytes()),
    )
    .expect("endpoint");
    let channel = endpoint.connect().await.expect("a TLS gRPC connection");
    let mut create = tonic::Request::new(kubegate_proto::v1::CreatePodRequest {
        pod: Some(kubegate_proto::v1::PodSpec {
            name: "secured".into(),
            image: "busybox:1.36".into(),
            command: vec!["sleep".into(), "600".into()],
            ..Default::default()
        }),
        ..Default::default()
    });
    create.metadata_mut().insert("authorization", format!("Bearer {TOKEN}").parse().expect("metadata"));
    PodServiceClient::new(channel).create_pod(create).await.expect("CreatePod over TLS");
    assert_eq!(grpc_pods(grpc, &ca.pem).await, Ok(vec!["secured".to_string()]));

    // A plain-text gRPC client gets no answer from the TLS port.
    let plain = tonic::transport::Endpoint::from_shared(format!("http://{grpc}")).expect("endpoint");
    let outcome = match plain.connect().await {
        Ok(channel) => PodServiceClient::new(channel).list_pods(ListPodsRequest::default()).await.map(drop),
        Err(e) => Err(tonic::Status::unavailable(e.to_string())),
    };
    assert!(outcome.is_err(), "plain text is not served on the TLS port");

    // A client that trusts another authority (what a man in the middle would present) refuses the server,
    // and so the token is never sent.
    let other = authority("someone else");
    assert!(grpc_pods(grpc, &other.pem).await.is_err(), "another CA's client must refuse the certificate");
    assert!(tls_connect(rest, &other.pem).await.is_err());

    // REST over TLS on the REST port; plain HTTP gets no HTTP answer.
    let bearer = format!("Bearer {TOKEN}");
    let stream = tls_connect(rest, &ca.pem).await.expect("a TLS connection to the REST port");
    let (status, body) = support::http_over(
        stream,
        "GET",
        "/api/kubernetes/pods",
        &format!("localhost:{}", rest.port()),
        &[("Authorization", &bearer)],
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["pods"][0]["name"], "secured", "{body}");
    let mut plain = tokio::net::TcpStream::connect(rest).await.expect("connect");
    plain.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").await.expect("write");
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), plain.read_to_end(&mut answer)).await;
    assert!(!answer.starts_with(b"HTTP/"), "plain HTTP is not served on the TLS port: {answer:?}");

    // The terminal over wss on both of its ports, with the token as a subprotocol: a shell answers.
    for addr in [rest, terminal] {
        let stream = tls_connect(addr, &ca.pem).await.expect("a TLS connection to the terminal");
        let url = format!(
            "wss://localhost:{}/ws/kubernetes/exec?pod=secured&namespace=opencode-manager",
            addr.port()
        );
        let mut request = url.into_client_request().expect("request");
        let protocol = format!("kubegate.terminal, bearer.{TOKEN}");
        request.headers_mut().insert("sec-websocket-protocol", protocol.parse().expect("protocol"));
        let (mut ws, _) =
            tokio_tungstenite::client_async(request, stream).await.expect("the terminal opens over wss");
        ws.send(Message::text("echo over-$((40+2))\r")).await.expect("type");
        let mut output = String::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        while !output.contains("over-42") {
            match tokio::time::timeout_at(deadline, ws.next()).await {
                Ok(Some(Ok(Message::Text(text)))) => output.push_str(text.as_str()),
                Ok(Some(Ok(Message::Binary(bytes)))) => output.push_str(&String::from_utf8_lossy(&bytes)),
                Ok(Some(Ok(_))) => {}
                other => panic!("the shell did not answer over wss on {addr}: {other:?}; output: {output:?}"),
            }
        }
        let _ = ws.close(None).await;
    }
    server.shutdown().await.expect("clean shutdown");
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handshake_that_never_finishes_holds_up_nobody() {
    let dir = tempfile::tempdir().expect("a directory");
    let ca = authority("kubegate test CA");
    let (cert, key) = write_leaf(&ca, dir.path());
    let (cluster, server) = tls_stack(ServerTls::load(&cert, &key).expect("the certificate loads")).await;
    let rest = server.http_addr.expect("rest");
    // Connections that say nothing (and one that sends half a ClientHello) on every port.
    let mut stalled = Vec::new();
    for addr in [server.grpc_addr, rest, server.terminal_addr.expect("terminal")] {
        for _ in 0..8 {
            stalled.push(tokio::net::TcpStream::connect(addr).await.expect("connect"));
        }
        let mut half = tokio::net::TcpStream::connect(addr).await.expect("connect");
        half.write_all(&[0x16, 0x03, 0x01, 0x02, 0x00, 0x01]).await.expect("write");
        stalled.push(half);
    }
    let served = tokio::time::timeout(Duration::from_secs(5), async {
        let pods = grpc_pods(server.grpc_addr, &ca.pem).await;
        let stream = tls_connect(rest, &ca.pem).await.expect("TLS to the REST port");
        let health = support::http_over(stream, "GET", "/healthz", "localhost", &[], None).await;
        (pods, health.0)
    })
    .await
    .expect("others are served while handshakes stall");
    assert_eq!(served, (Ok(Vec::new()), 200));
    drop(stalled);
    server.shutdown().await.expect("clean shutdown");
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renewed_certificate_is_served_without_a_restart_and_a_broken_one_is_not() {
    let dir = tempfile::tempdir().expect("a directory");
    let first = authority("first CA");
    let (cert, key) = write_leaf(&first, dir.path());
    let tls = ServerTls::load(&cert, &key).expect("the certificate loads");
    let (cluster, server) = tls_stack(tls.clone()).await;
    let grpc = server.grpc_addr;
    assert!(grpc_pods(grpc, &first.pem).await.is_ok());

    // A broken renewal (a key that is not the certificate's) is refused; the old certificate stays.
    let second = authority("second CA");
    let stray = tempfile::tempdir().expect("a directory");
    let (_, other_key) = write_leaf(&second, stray.path());
    std::fs::copy(&other_key, &key).expect("a mismatched key");
    let problem = tls.reload_if_changed().expect_err("a mismatched key is refused");
    assert!(problem.to_string().contains("does not belong"), "{problem}");
    assert!(!problem.to_string().contains("PRIVATE KEY"), "no key material in messages: {problem}");
    assert!(grpc_pods(grpc, &first.pem).await.is_ok(), "the previous certificate is still served");

    // A proper renewal is served to the next connection.
    write_leaf(&second, dir.path());
    assert!(tls.reload_if_changed().expect("the renewal loads"), "the renewal is noticed");
    assert!(grpc_pods(grpc, &second.pem).await.is_ok(), "the renewed certificate is served");
    assert!(grpc_pods(grpc, &first.pem).await.is_err(), "the old one is not");
    assert!(!tls.reload_if_changed().expect("unchanged"), "nothing changed since");
    server.shutdown().await.expect("clean shutdown");
    cluster.shutdown().await;
}

/// What a relay saw the client send, one entry per connection.
type Sent = Arc<Mutex<Vec<Vec<u8>>>>;

/// Relays TCP from a loopback port to `target`, recording what each client sends.
async fn recording_relay(target: SocketAddr) -> (SocketAddr, Sent) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    let sent: Sent = Arc::default();
    let record = sent.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let Ok(server) = tokio::net::TcpStream::connect(target).await else { continue };
            let index = {
                let mut all = record.lock().expect("record");
                all.push(Vec::new());
                all.len() - 1
            };
            let record = record.clone();
            tokio::spawn(async move {
                let (mut client_read, mut client_write) = client.into_split();
                let (mut server_read, mut server_write) = server.into_split();
                let up = async move {
                    let mut buffer = vec![0u8; 16 * 1024];
                    while let Ok(n @ 1..) = client_read.read(&mut buffer).await {
                        record.lock().expect("record")[index].extend_from_slice(&buffer[..n]);
                        if server_write.write_all(&buffer[..n]).await.is_err() {
                            break;
                        }
                    }
                };
                let down = tokio::io::copy(&mut server_read, &mut client_write);
                let _ = tokio::join!(up, down);
            });
        }
    });
    (addr, sent)
}

/// Whether `bytes` is nothing but TLS records (handshake, alert, change cipher spec, application data),
/// each whole: then every byte of the call, the token among them, travelled inside TLS.
fn only_tls_records(mut bytes: &[u8]) -> bool {
    while !bytes.is_empty() {
        let [kind, 3, _, high, low, ..] = *bytes else { return false };
        let length = usize::from(high) << 8 | usize::from(low);
        if !(20..=23).contains(&kind) || bytes.len() < 5 + length {
            return false;
        }
        bytes = &bytes[5 + length..];
    }
    true
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Runs a standalone gateway calling `upstream` (through the relay), makes one REST call with the token,
/// and returns its status.
async fn call_through_gateway(upstream: String, ca: Option<&str>) -> u16 {
    let mut config = kubegate_gateway::GatewayConfig::new(upstream);
    config.token = Some(ApiToken::new(TOKEN).expect("token"));
    config.upstream_ca = ca.map(|c| c.as_bytes().to_vec());
    let http = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let rest = http.local_addr().expect("address");
    let stop = tokio_util::sync::CancellationToken::new();
    let listeners = kubegate_gateway::Listeners { http, terminal: None };
    let gateway = tokio::spawn(kubegate_gateway::serve(listeners, config, stop.clone().cancelled_owned()));
    let bearer = format!("Bearer {TOKEN}");
    let (status, _) = support::http_request(
        rest,
        "GET",
        "/api/kubernetes/pods",
        &rest.to_string(),
        &[("Authorization", &bearer)],
        None,
    )
    .await;
    stop.cancel();
    let _ = gateway.await;
    status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gateway_sends_the_token_upstream_only_encrypted() {
    let dir = tempfile::tempdir().expect("a directory");
    let ca = authority("kubegate test CA");
    let (cert, key) = write_leaf(&ca, dir.path());
    let (cluster, server) = tls_stack(ServerTls::load(&cert, &key).expect("the certificate loads")).await;

    // Through a relay that records the link: the call works, and everything the gateway sent, its
    // token among it, travelled inside TLS records.
    let (relay, sent) = recording_relay(server.grpc_addr).await;
    let status = call_through_gateway(format!("https://localhost:{}", relay.port()), Some(&ca.pem)).await;
    assert_eq!(status, 200, "the gateway reaches the TLS upstream through the relay");
    let sent = sent.lock().expect("record").clone();
    assert!(!sent.is_empty() && sent.iter().all(|c| !c.is_empty()), "the relay saw the calls");
    for connection in &sent {
        assert!(only_tls_records(connection), "bytes outside TLS records on the upstream link");
        assert!(!contains(connection, b"PRI * HTTP/2.0") && !contains(connection, TOKEN.as_bytes()));
    }

    // The recorder is not blind: to a plain server (with no Kubernetes behind it: 503) the same call
    // goes as readable HTTP/2, the token in its headers.
    let mut options = support::loopback_options(false);
    options.token = Some(ApiToken::new(TOKEN).expect("token"));
    let plain =
        kubegate::server::start(options, support::no_kubernetes().await).await.expect("a plain server");
    let (relay, sent) = recording_relay(plain.grpc_addr).await;
    assert_eq!(call_through_gateway(format!("http://{relay}"), None).await, 503);
    let sent = sent.lock().expect("record").clone();
    assert!(sent.iter().all(|c| c.starts_with(b"PRI * HTTP/2.0") && !only_tls_records(c)));

    // A gateway that trusts another CA gets no answer, and sends nothing but its half of a handshake.
    let (relay, sent) = recording_relay(server.grpc_addr).await;
    let other = authority("someone else");
    let status = call_through_gateway(format!("https://localhost:{}", relay.port()), Some(&other.pem)).await;
    assert_eq!(status, 503, "an upstream with a certificate from another CA is not reached");
    for connection in sent.lock().expect("record").iter() {
        assert!(only_tls_records(connection) && !contains(connection, TOKEN.as_bytes()));
    }

    plain.shutdown().await.expect("clean shutdown");
    server.shutdown().await.expect("clean shutdown");
    cluster.shutdown().await;
}
