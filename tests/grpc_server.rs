//! The gRPC server skeleton through real clients on loopback ports: reflection (v1 and v1alpha, with
//! grpcurl and buf curl), health, grpc-web over HTTP/1.1, answers without a cluster, and command-line errors.

mod support;

use std::process::Command;

use prost::Message as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::{HealthCheckRequest, health_client::HealthClient};

const EXPECTED_SERVICES: [&str; 5] = [
    "grpc.health.v1.Health",
    "kubegate.v1.ClusterService",
    "kubegate.v1.ExecService",
    "kubegate.v1.NetworkService",
    "kubegate.v1.PodService",
];

fn assert_lists_every_service(listing: &str) {
    for service in EXPECTED_SERVICES {
        assert!(listing.lines().any(|l| l.trim() == service), "{service} missing from:\n{listing}");
    }
}

#[tokio::test]
async fn grpcurl_lists_every_service_through_reflection_v1alpha() {
    let server = support::start_without_kubernetes(false).await;
    let addr = server.grpc_addr.to_string();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(support::tool("grpcurl")).args(["-plaintext", &addr, "list"]).output()
    })
    .await
    .expect("join")
    .expect("grpcurl runs");
    let listing = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "grpcurl failed: {}", String::from_utf8_lossy(&output.stderr));
    assert_lists_every_service(&listing);
    server.shutdown().await.expect("clean shutdown");
}

#[tokio::test]
async fn grpcurl_describes_a_method_and_calls_health_with_no_proto_files() {
    let server = support::start_without_kubernetes(false).await;
    let addr = server.grpc_addr.to_string();
    let (describe, check) = tokio::task::spawn_blocking(move || {
        let grpcurl = support::tool("grpcurl");
        let describe = Command::new(&grpcurl)
            .args(["-plaintext", &addr, "describe", "kubegate.v1.ExecService.ExecStream"])
            .output();
        let check =
            Command::new(&grpcurl).args(["-plaintext", &addr, "grpc.health.v1.Health/Check"]).output();
        (describe, check)
    })
    .await
    .expect("join");
    let describe = describe.expect("grpcurl runs");
    let text = String::from_utf8_lossy(&describe.stdout);
    assert!(text.contains("stream .kubegate.v1.ExecStreamRequest"), "{text}");
    let check = check.expect("grpcurl runs");
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(text.contains("SERVING"), "{text} {}", String::from_utf8_lossy(&check.stderr));
    server.shutdown().await.expect("clean shutdown");
}

#[tokio::test]
async fn buf_curl_lists_every_service_through_reflection_v1() {
    let server = support::start_without_kubernetes(false).await;
    let url = format!("http://{}", server.grpc_addr);
    let output = tokio::task::spawn_blocking(move || {
        Command::new(support::tool("buf"))
            .args(["curl", "--protocol", "grpc", "--http2-prior-knowledge", "--reflect-protocol", "grpc-v1"])
            .args(["--list-services", &url])
            .output()
    })
    .await
    .expect("join")
    .expect("buf runs");
    let listing = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "buf curl failed: {}", String::from_utf8_lossy(&output.stderr));
    assert_lists_every_service(&listing);
    server.shutdown().await.expect("clean shutdown");
}

#[tokio::test]
async fn health_is_serving_overall_and_reports_kubernetes_services_not_serving_without_a_cluster() {
    let server = support::start_without_kubernetes(false).await;
    let mut health = HealthClient::new(support::channel(server.grpc_addr).await);
    let status = |service: &str| HealthCheckRequest { service: service.to_string() };

    let overall = health.check(status("")).await.expect("overall health").into_inner();
    assert_eq!(overall.status, ServingStatus::Serving as i32);
    let cluster = health.check(status("kubegate.v1.ClusterService")).await.expect("cluster health");
    assert_eq!(cluster.into_inner().status, ServingStatus::Serving as i32);
    let pods = health.check(status("kubegate.v1.PodService")).await.expect("pod health");
    assert_eq!(pods.into_inner().status, ServingStatus::NotServing as i32);
    let unknown = health.check(status("kubegate.v1.NoSuchService")).await;
    assert_eq!(unknown.err().map(|s| s.code()), Some(tonic::Code::NotFound));
    server.shutdown().await.expect("clean shutdown");
}

#[tokio::test]
async fn a_grpc_web_call_over_http_1_1_reaches_the_server() {
    let server = support::start_without_kubernetes(false).await;
    let message = HealthCheckRequest { service: "kubegate.v1.ClusterService".into() }.encode_to_vec();
    let mut body = vec![0u8];
    body.extend_from_slice(&u32::try_from(message.len()).expect("small").to_be_bytes());
    body.extend_from_slice(&message);
    let request = format!(
        "POST /grpc.health.v1.Health/Check HTTP/1.1\r\nHost: {}\r\nContent-Type: application/grpc-web+proto\r\n\
         X-Grpc-Web: 1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        server.grpc_addr,
        body.len()
    );
    let mut socket = tokio::net::TcpStream::connect(server.grpc_addr).await.expect("connect");
    socket.write_all(request.as_bytes()).await.expect("write head");
    socket.write_all(&body).await.expect("write body");
    let mut response = Vec::new();
    socket.read_to_end(&mut response).await.expect("read response");
    let text = String::from_utf8_lossy(&response);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(text.to_ascii_lowercase().contains("content-type: application/grpc-web+proto"), "{text}");
    assert!(text.contains("grpc-status:0"), "trailers carry success: {text}");
    // The data frame holds HealthCheckResponse{status: SERVING}: field 1, varint 1.
    let serving = [0u8, 0, 0, 0, 2, 0x08, 0x01];
    assert!(response.windows(serving.len()).any(|w| w == serving), "{text}");
    server.shutdown().await.expect("clean shutdown");
}

#[tokio::test]
async fn without_a_cluster_calls_answer_unavailable_saying_why_not_empty_lists() {
    let server = support::start_without_kubernetes(false).await;
    let channel = support::channel(server.grpc_addr).await;
    let mut pods = kubegate_proto::v1::pod_service_client::PodServiceClient::new(channel);
    let status =
        pods.list_pods(kubegate_proto::v1::ListPodsRequest::default()).await.expect_err("no cluster");
    assert_eq!(status.code(), tonic::Code::Unavailable);
    assert!(status.message().contains("does not exist"), "{}", status.message());
    server.shutdown().await.expect("clean shutdown");
}

/// Runs the binary hermetically: its own empty home, none of the caller's KUBECONFIG or KUBEGATE_* settings.
fn run_kubegate(args: &[&str]) -> std::process::Output {
    let home = tempfile::tempdir().expect("home");
    support::kubegate_command(args, home.path()).output().expect("kubegate runs")
}

fn one_line_error(output: &std::process::Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("kubegate: error:")).collect();
    assert_eq!(lines.len(), 1, "exactly one error line expected in:\n{stderr}");
    lines[0].to_string()
}

#[test]
fn a_bad_flag_is_a_one_line_error_and_exit_code_2() {
    let output = run_kubegate(&["serve", "--no-such-flag"]);
    assert_eq!(output.status.code(), Some(2));
    let line = one_line_error(&output);
    assert!(line.contains("--no-such-flag"), "{line}");
}

#[test]
fn an_unreadable_kubeconfig_is_a_one_line_error_and_a_failure() {
    let output = run_kubegate(&[
        "serve",
        "--no-auth",
        "--grpc-addr",
        "127.0.0.1:0",
        "--kubeconfig",
        "/no/such/kubeconfig",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let line = one_line_error(&output);
    assert!(line.contains("/no/such/kubeconfig") && line.contains("does not exist"), "{line}");
}

#[test]
fn a_port_in_use_is_a_one_line_error_naming_the_address() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let output = run_kubegate(&["serve", "--no-auth", "--no-gateway", "--grpc-addr", &addr]);
    assert_eq!(output.status.code(), Some(1));
    let line = one_line_error(&output);
    assert!(line.contains(&addr) && line.contains("gRPC"), "{line}");
    assert!(line.to_lowercase().contains("address already in use"), "{line}");
}

#[test]
fn a_public_address_without_a_token_is_refused_even_with_insecure() {
    let output = run_kubegate(&["serve", "--no-auth", "--no-gateway", "--grpc-addr", "0.0.0.0:0"]);
    assert_eq!(output.status.code(), Some(1));
    let line = one_line_error(&output);
    assert!(line.contains("--no-auth is refused with a non-loopback address"), "{line}");
    let output =
        run_kubegate(&["serve", "--no-auth", "--insecure", "--no-gateway", "--grpc-addr", "0.0.0.0:0"]);
    assert_eq!(output.status.code(), Some(1), "--insecure does not make an open API public");
}

#[tokio::test]
async fn sigterm_drains_then_lets_an_in_flight_call_finish_and_exits_cleanly() {
    // On the embedded cluster (named explicitly, so a kubeconfig on this machine is never used), a real
    // call can be in flight.
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let home = tempfile::tempdir().expect("home");
    let data = home.path().join("data");
    let mut child = tokio::process::Command::new(support::kubegate_binary())
        .args([
            "serve",
            "--embedded-cluster",
            "--no-auth",
            "--no-gateway",
            "--drain-seconds",
            "2",
            "--grpc-addr",
            &format!("127.0.0.1:{port}"),
        ])
        .arg("--data-dir")
        .arg(&data)
        .env_clear()
        .envs(support::hermetic_env(home.path()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("kubegate starts");
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
    let channel = support::eventually(20, "kubegate to listen", || async move {
        tonic::transport::Endpoint::from_shared(format!("http://{addr}")).ok()?.connect().await.ok()
    })
    .await;
    let mut pods = kubegate_proto::v1::pod_service_client::PodServiceClient::new(channel.clone());
    let spec =
        kubegate_proto::v1::PodSpec { name: "work".into(), image: "busybox".into(), ..Default::default() };
    pods.create_pod(kubegate_proto::v1::CreatePodRequest { pod: Some(spec), validate_only: false })
        .await
        .expect("create");
    let health = tonic_health::pb::health_client::HealthClient::new(channel.clone());
    let mut exec = kubegate_proto::v1::exec_service_client::ExecServiceClient::new(channel);
    let probe = exec.clone();
    let running = support::eventually(10, "the pod to run", || {
        let mut exec = exec.clone();
        async move {
            let probe = kubegate_proto::v1::ExecRequest {
                pod: "work".into(),
                command: vec!["true".into()],
                ..Default::default()
            };
            exec.exec(probe).await.ok()
        }
    })
    .await;
    assert_eq!(running.into_inner().exit_code, 0);
    let long = kubegate_proto::v1::ExecRequest {
        pod: "work".into(),
        command: vec!["sh".into(), "-c".into(), "sleep 1; echo finished".into()],
        ..Default::default()
    };
    let call = tokio::spawn(async move { exec.exec(long).await });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let pid = nix::unistd::Pid::from_raw(i32::try_from(child.id().expect("pid")).expect("pid"));
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).expect("signal");
    // Draining: health says NOT_SERVING at once, while calls are still answered.
    let check = || tonic_health::pb::HealthCheckRequest { service: String::new() };
    let draining = support::eventually(5, "health to report NOT_SERVING", || {
        let mut health = health.clone();
        async move {
            let status = health.check(check()).await.ok()?.into_inner().status;
            (status == tonic_health::pb::health_check_response::ServingStatus::NotServing as i32)
                .then_some(())
        }
    });
    draining.await;
    let mut probe = probe;
    let during = kubegate_proto::v1::ExecRequest {
        pod: "work".into(),
        command: vec!["true".into()],
        ..Default::default()
    };
    assert_eq!(probe.exec(during).await.expect("served while draining").into_inner().exit_code, 0);
    let answer = call.await.expect("join").expect("the in-flight call finished").into_inner();
    assert_eq!(answer.stdout, b"finished\n");
    drop(health);
    let status = tokio::time::timeout(std::time::Duration::from_secs(15), child.wait())
        .await
        .expect("exits")
        .expect("status");
    assert!(status.success(), "{status:?}");
}

#[tokio::test]
async fn a_settings_update_that_fixes_the_connection_brings_health_and_calls_back() {
    let cluster = support::embedded_cluster().await;
    // A kubeconfig named through the API must come from the operator's kubeconfig directory.
    let mut options = support::loopback_options(false);
    options.kubeconfig_dir = cluster.kubeconfig().parent().map(std::path::Path::to_path_buf);
    let server = kubegate::server::start(options, support::no_kubernetes().await).await.expect("starts");
    let channel = support::channel(server.grpc_addr).await;
    let mut health = HealthClient::new(channel.clone());
    let pods_health = || HealthCheckRequest { service: "kubegate.v1.PodService".into() };
    let before = health.check(pods_health()).await.expect("health").into_inner();
    assert_eq!(before.status, ServingStatus::NotServing as i32);

    let mut settings = kubegate_proto::v1::cluster_service_client::ClusterServiceClient::new(channel.clone());
    let update = kubegate_proto::v1::UpdateClusterSettingsRequest {
        settings: Some(kubegate_proto::v1::ClusterSettings {
            kubeconfig_path: cluster.kubeconfig().display().to_string(),
            ..Default::default()
        }),
        update_mask: Some(prost_types::FieldMask { paths: vec!["kubeconfig_path".into()] }),
    };
    settings.update_cluster_settings(update).await.expect("update");
    let after = health.check(pods_health()).await.expect("health").into_inner();
    assert_eq!(after.status, ServingStatus::Serving as i32);
    let mut pods = kubegate_proto::v1::pod_service_client::PodServiceClient::new(channel);
    let listed = pods.list_pods(kubegate_proto::v1::ListPodsRequest::default()).await.expect("now reachable");
    assert!(listed.into_inner().pods.is_empty());
    server.shutdown().await.expect("clean shutdown");
    cluster.shutdown().await;
}
