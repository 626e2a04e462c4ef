//! Access to the REST gateway and the terminal through real sockets, against kubegate on the embedded
//! cluster: the `Host` check on every door (the DNS-rebinding defence), what stays open with a token,
//! and the admin token reaching the service through REST.

mod support;

use std::net::SocketAddr;

use kubegate_proto::auth::{ApiToken, HostPolicy};
use kubegate_proto::v1::ListPodsRequest;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

/// One HTTP/1.1 request naming `host`, with extra headers; returns the status and the JSON body.
async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    host: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> (u16, Value) {
    let body = body.map(Value::to_string);
    support::http_request(addr, method, path, host, headers, body.as_deref()).await
}

/// Opens the terminal naming `host`; the handshake's HTTP status when it is refused.
async fn terminal(addr: SocketAddr, host: &str, headers: &[(&str, &str)]) -> Result<(), u16> {
    let mut request = format!("ws://{addr}/ws/kubernetes/exec?pod=nowhere&namespace=opencode-manager")
        .into_client_request()
        .expect("request");
    request.headers_mut().insert(http::header::HOST, host.parse().expect("host"));
    for (name, value) in headers {
        let name = http::HeaderName::from_bytes(name.as_bytes()).expect("header name");
        request.headers_mut().insert(name, value.parse().expect("header value"));
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok(_) => Ok(()),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => Err(response.status().as_u16()),
        Err(e) => panic!("unexpected handshake failure: {e}"),
    }
}

const TOKEN: &str = "api-token-for-tests-0123456789abcdef0123";
const ADMIN: &str = "admin-token-for-tests-0123456789abcdef01";

/// `PUT /api/kubernetes/config` moving the namespace outside the allow-list, with `token`.
async fn move_namespace(addr: SocketAddr, token: &str) -> (u16, Value) {
    let body = json!({"enabled": true, "namespace": "elsewhere"});
    let bearer = format!("Bearer {token}");
    http(addr, "PUT", "/api/kubernetes/config", &addr.to_string(), &[("Authorization", &bearer)], Some(&body))
        .await
}

/// The API token may not widen policy through REST (403 naming the field); the admin token may.
async fn only_the_admin_token_moves_the_namespace(rest: SocketAddr) {
    let (status, body) = move_namespace(rest, TOKEN).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("PERMISSION_DENIED")), "{body}");
    let message = body["error"].as_str().unwrap_or_default();
    assert!(message.contains("settings.namespace"), "the message names the field: {message}");
    let bearer = format!("Bearer {TOKEN}");
    let (_, config) =
        http(rest, "GET", "/api/kubernetes/config", &rest.to_string(), &[("Authorization", &bearer)], None)
            .await;
    assert_eq!(config["config"]["namespace"], "opencode-manager", "unchanged: {config}");

    let (status, body) = move_namespace(rest, ADMIN).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["config"]["namespace"], "elsewhere", "{body}");
    let (_, config) =
        http(rest, "GET", "/api/kubernetes/config", &rest.to_string(), &[("Authorization", &bearer)], None)
            .await;
    assert_eq!(config["config"]["namespace"], "elsewhere", "changed: {config}");
}

fn pod(name: &str) -> Value {
    json!({"name": name, "namespace": "opencode-manager", "image": "busybox:1.36", "command": ["sleep", "600"]})
}

async fn pod_names(stack: &support::Stack) -> Vec<String> {
    let listed = stack.pods().list_pods(ListPodsRequest::default()).await.expect("list").into_inner();
    listed.pods.into_iter().map(|p| p.name).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_hosts_that_are_served_reach_the_rest_routes_and_the_terminal() {
    let mut options = support::loopback_options(true);
    options.hosts = HostPolicy::new(["kubegate.test".to_string()]);
    let stack = support::stack_with(options, false).await;
    let rest = stack.server.http_addr.expect("http");
    let port = rest.port();

    // A page on evil.example.com whose name now resolves to kubegate (DNS rebinding) is same-origin
    // for the browser; its Host gives it away.
    let evil = format!("evil.example.com:{port}");
    let origin = format!("http://{evil}");
    let (status, body) =
        http(rest, "POST", "/api/kubernetes/pods", &evil, &[("Origin", &origin)], Some(&pod("rebound")))
            .await;
    assert_eq!((status, body["code"].as_str()), (421, Some("PERMISSION_DENIED")), "{body}");
    assert!(!pod_names(&stack).await.contains(&"rebound".to_string()), "nothing was created");
    assert_eq!(http(rest, "GET", "/healthz", &evil, &[], None).await.0, 421);

    // The terminal refuses the same page on both of its ports.
    for addr in [rest, stack.server.terminal_addr.expect("terminal")] {
        let evil = format!("evil.example.com:{}", addr.port());
        let origin = format!("http://{evil}");
        assert_eq!(terminal(addr, &evil, &[("origin", &origin)]).await, Err(421), "{addr}");
        // The same page at an allowed name gets as far as learning there is no such pod (the upgrade).
        let allowed = format!("kubegate.test:{}", addr.port());
        let origin = format!("http://{allowed}");
        assert_eq!(terminal(addr, &allowed, &[("origin", &origin)]).await, Ok(()), "{addr}");
    }

    // localhost, the loopback address and a listed name are served.
    let localhost = format!("localhost:{port}");
    let (status, body) =
        http(rest, "POST", "/api/kubernetes/pods", &localhost, &[], Some(&pod("local"))).await;
    assert_eq!(status, 200, "{body}");
    let listed = format!("KubeGate.test:{port}");
    let (status, body) = http(rest, "POST", "/api/kubernetes/pods", &listed, &[], Some(&pod("listed"))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(http(rest, "GET", "/healthz", &rest.to_string(), &[], None).await.0, 200);
    let names = pod_names(&stack).await;
    assert!(names.contains(&"local".to_string()) && names.contains(&"listed".to_string()), "{names:?}");
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_token_changes_policy_through_rest_and_the_api_token_does_not() {
    let mut options = support::loopback_options(true);
    options.token = Some(ApiToken::new(TOKEN).expect("token"));
    options.admin_token = Some(ApiToken::new(ADMIN).expect("admin token"));
    let stack = support::stack_with(options, false).await;
    only_the_admin_token_moves_the_namespace(stack.server.http_addr.expect("http")).await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_standalone_gateway_takes_the_allowed_hosts_and_the_admin_token_from_its_command_line() {
    let mut options = support::loopback_options(false);
    options.token = Some(ApiToken::new(TOKEN).expect("token"));
    options.admin_token = Some(ApiToken::new(ADMIN).expect("admin token"));
    let stack = support::stack_with(options, false).await;
    let (rest, terminal) = (support::free_port(), support::free_port());
    let log = tempfile::NamedTempFile::new().expect("a log file");
    let home = tempfile::tempdir().expect("home");
    let mut gateway = tokio::process::Command::new(support::kubegate_binary())
        .args(["gateway", "--upstream", &format!("http://{}", stack.server.grpc_addr)])
        .args(["--http-addr", &rest.to_string(), "--terminal-addr", &terminal.to_string()])
        .args(["--allowed-hosts", "kubegate.test"])
        .env_clear()
        .envs(support::hermetic_env(home.path()))
        .env("KUBEGATE_API_TOKEN", TOKEN)
        .env("KUBEGATE_ADMIN_TOKEN", ADMIN)
        .stdout(std::process::Stdio::null())
        .stderr(log.reopen().expect("the log file"))
        .kill_on_drop(true)
        .spawn()
        .expect("kubegate gateway starts");
    let listed = format!("kubegate.test:{}", rest.port());
    support::eventually(20, "the standalone gateway to answer", || {
        let listed = listed.clone();
        async move {
            tokio::net::TcpStream::connect(rest).await.ok()?;
            (http(rest, "GET", "/healthz", &listed, &[], None).await.0 == 200).then_some(())
        }
    })
    .await;
    let evil = format!("evil.example.com:{}", rest.port());
    assert_eq!(http(rest, "GET", "/healthz", &evil, &[], None).await.0, 421);
    only_the_admin_token_moves_the_namespace(rest).await;
    gateway.kill().await.expect("the gateway stops");
    stack.stop().await;
}
