//! `kubegate gateway --upstream http://127.0.0.1:PORT` as its own process in front of `kubegate serve`,
//! another process, over TCP, both with the API token: REST calls, a pod watch and a followed log
//! streamed, and a shell command through the terminal WebSocket all work through the separate gateway;
//! a missing or wrong token is refused, and a gateway holding a token the service does not know gets
//! nothing from it.

mod claims_support;
mod support;

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use claims_support::Process;
use futures::{SinkExt as _, StreamExt as _};
use http_body_util::{BodyExt as _, Full};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

const TOKEN: &str = "claims-gateway-token-0123456789abcdef0123";
const OTHER_TOKEN: &str = "another-gateway-token-0123456789abcdef01";

type Http =
    hyper_util::client::legacy::Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>;

/// One REST request; the response, its body unread.
async fn request(
    client: &Http,
    method: &str,
    url: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> http::Response<hyper::body::Incoming> {
    let mut builder = http::Request::builder().method(method).uri(url);
    if let Some(token) = token {
        builder = builder.header("authorization", format!("Bearer {token}"));
    }
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let request = builder
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body)))
        .expect("a request");
    client.request(request).await.expect("the gateway answers")
}

/// One REST call: the status and the JSON body.
async fn call(
    client: &Http,
    method: &str,
    url: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let response = request(client, method, url, token, body).await;
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.expect("a body").to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// A streamed body, read as it arrives.
struct Stream {
    body: http_body_util::BodyDataStream<hyper::body::Incoming>,
    text: String,
}

impl Stream {
    async fn open(client: &Http, url: &str) -> Self {
        let response = request(client, "GET", url, Some(TOKEN), None).await;
        assert_eq!(response.status(), 200, "{url}");
        Self { body: response.into_body().into_data_stream(), text: String::new() }
    }

    /// Reads until the text so far contains `what`.
    async fn until(&mut self, what: &str) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while !self.text.contains(what) {
            let chunk = tokio::time::timeout_at(deadline, self.body.next())
                .await
                .unwrap_or_else(|_| panic!("no {what:?} in time; so far {:?}", self.text));
            let chunk = chunk.expect("the stream stays open").expect("a chunk");
            self.text.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

/// A gateway process calling `upstream` with `token`.
async fn start_gateway(
    home: &std::path::Path,
    upstream: SocketAddr,
    token: &str,
) -> (Process, SocketAddr, SocketAddr) {
    let (http, terminal) = (support::free_port(), support::free_port());
    let (upstream, http_arg, terminal_arg) =
        (format!("http://{upstream}"), http.to_string(), terminal.to_string());
    let args =
        ["gateway", "--upstream", &upstream, "--http-addr", &http_arg, "--terminal-addr", &terminal_arg];
    let mut command = support::kubegate_command(&args, home);
    command.env("KUBEGATE_API_TOKEN", token);
    let gateway = Process::spawn(command);
    gateway.wait_for_port(http).await;
    gateway.wait_for_port(terminal).await;
    (gateway, http, terminal)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_separate_gateway_process_serves_rest_streams_and_the_terminal_with_the_token() {
    let home = tempfile::tempdir().expect("home");
    let grpc = support::free_port();
    let (grpc_arg, data) = (grpc.to_string(), home.path().join("data"));
    let args = [
        "serve",
        "--embedded-cluster",
        "--no-gateway",
        "--grpc-addr",
        &grpc_arg,
        "--data-dir",
        data.to_str().expect("path"),
    ];
    let mut command = support::kubegate_command(&args, home.path());
    command.env("KUBEGATE_API_TOKEN", TOKEN);
    let service = Process::spawn(command);
    service.wait_for_port(grpc).await;
    let (gateway, http, terminal) = start_gateway(home.path(), grpc, TOKEN).await;
    let client: Http =
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build_http();
    let base = format!("http://{http}/api/kubernetes");

    // Refused without the token, with a wrong one, and the service itself wants it too.
    let pods = format!("{base}/pods");
    assert_eq!(call(&client, "GET", &pods, None, None).await.0, 401);
    assert_eq!(call(&client, "GET", &pods, Some(OTHER_TOKEN), None).await.0, 401);
    let mut direct =
        kubegate_proto::v1::pod_service_client::PodServiceClient::new(support::channel(grpc).await);
    let refused =
        direct.list_pods(kubegate_proto::v1::ListPodsRequest::default()).await.expect_err("refused");
    assert_eq!(refused.code(), tonic::Code::Unauthenticated);

    // A watch opened before the pod exists sees it come.
    let mut watch = Stream::open(&client, &format!("{base}/pods/watch")).await;
    watch.until("SYNCED").await;
    let script = "i=0; while :; do echo tick-$i; i=$((i+1)); sleep 0.2; done";
    let body = json!({"name": "ticker", "image": "busybox:1.36", "command": ["sh", "-c", script]});
    let (status, created) = call(&client, "POST", &pods, Some(TOKEN), Some(body)).await;
    assert!(status == 200 || status == 201, "{status} {created}\n{}", gateway.log());
    assert_eq!(created["podName"], "ticker", "{created}");
    watch.until("\"ticker\"").await;
    let running = support::eventually(20, "the pod to run", || {
        let client = client.clone();
        let pods = pods.clone();
        async move {
            let (_, listed) = call(&client, "GET", &pods, Some(TOKEN), None).await;
            let pod = listed["pods"].as_array()?.iter().find(|p| p["name"] == "ticker")?.clone();
            (pod["phase"] == "Running").then_some(pod)
        }
    })
    .await;
    assert_eq!(running["image"], "busybox:1.36");

    // A followed log: lines keep coming while the stream is open.
    let mut follow = Stream::open(&client, &format!("{base}/pods/ticker/logs?follow=true")).await;
    follow.until("tick-0").await;
    follow.until("tick-5").await;

    // One-shot exec with its real exit code.
    let exec = json!({"namespace": "opencode-manager", "command": ["sh", "-c", "echo from-exec; exit 3"]});
    let (status, answer) =
        call(&client, "POST", &format!("{pods}/ticker/exec"), Some(TOKEN), Some(exec)).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["exitCode"], 3, "{answer}");
    assert!(answer["output"].as_str().is_some_and(|o| o.contains("from-exec")), "{answer}");

    // The terminal: refused without the token, and a shell command run through it with the token.
    let url =
        format!("ws://{terminal}/ws/kubernetes/exec?pod=ticker&namespace=opencode-manager&shell=/bin/sh");
    match tokio_tungstenite::connect_async(url.clone()).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => assert_eq!(response.status(), 401),
        other => panic!("the terminal opened without the token: {:?}", other.map(|_| ())),
    }
    let mut request = url.into_client_request().expect("a request");
    let protocol = format!("kubegate.terminal, bearer.{TOKEN}");
    request.headers_mut().insert("sec-websocket-protocol", protocol.parse().expect("a header"));
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.expect("the terminal opens");
    ws.send(Message::text("echo answer-$((6*7))\r")).await.expect("type");
    let mut screen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !screen.contains("answer-42") {
        match tokio::time::timeout_at(deadline, ws.next()).await {
            Ok(Some(Ok(Message::Text(text)))) => screen.push_str(text.as_str()),
            Ok(Some(Ok(_))) => {}
            other => panic!("no answer from the shell ({other:?}); screen {screen:?}"),
        }
    }
    drop(ws);

    // A gateway whose token the service does not know: it accepts its caller, the service refuses it.
    let (_stranger, stranger_http, _) = start_gateway(home.path(), grpc, OTHER_TOKEN).await;
    let (status, body) =
        call(&client, "GET", &format!("http://{stranger_http}/api/kubernetes/pods"), Some(OTHER_TOKEN), None)
            .await;
    assert_eq!(status, 401, "the service refuses the gateway's token: {body}");
    drop(watch);
    drop(follow);
    drop(gateway);
    drop(service);
}
