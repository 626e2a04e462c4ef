//! A fake kubegate service for the gateway's tests: tonic services with canned answers, called in
//! process through the same hop (`kubegate_proto::hop::in_process`) the gateway uses for the real one.
//!
//! Names steer the answers: `missing` is NOT_FOUND, `taken` ALREADY_EXISTS, `forbidden` (as a namespace)
//! PERMISSION_DENIED, `down` (as a namespace) UNAVAILABLE, `Bad_NS` INVALID_ARGUMENT with a field
//! violation; everything else succeeds.

#![allow(dead_code)] // Each test crate uses part of the helpers.

mod network;
mod workflows;

use std::net::SocketAddr;
use std::pin::Pin;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use futures::Stream;
use kubegate_gateway::{ApiToken, GatewayConfig};
use kubegate_proto::v1 as pb;
use tonic::{Request as Call, Response as Answer, Status};
use tower::ServiceExt as _;

pub type Reply<T> = Result<Answer<T>, Status>;
pub type Streamed<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

/// An API token for the tests that need one.
pub const TOKEN: &str = "s3cret-0123456789abcdef0123456789abcdef";
/// An admin token: the fake lets only it move the namespace to `elsewhere`.
pub const ADMIN_TOKEN: &str = "adm1n-0123456789abcdef0123456789abcdef";

/// The fake service; it keeps no state.
#[derive(Clone, Copy)]
pub struct Fake;

/// The gateway's routes in front of a fresh fake service, with an API token when one is given.
pub fn gateway(token: Option<&str>) -> axum::Router {
    gateway_with(|config| config.token = token.map(|t| ApiToken::new(t).expect("a usable token")))
}

/// The gateway's routes in front of a fresh fake service, configured by `adjust`.
pub fn gateway_with(adjust: impl FnOnce(&mut GatewayConfig)) -> axum::Router {
    kubegate_gateway::router(config_with(adjust)).expect("the gateway's routes")
}

/// The gateway's settings in front of a fresh fake service (started here), adjusted by `adjust`.
pub fn config_with(adjust: impl FnOnce(&mut GatewayConfig)) -> GatewayConfig {
    // The overall health ("") is SERVING from the start.
    let (_, health) = tonic_health::server::health_reporter();
    let routes = tonic::service::Routes::default()
        .add_service(health)
        .add_service(pb::pod_service_server::PodServiceServer::new(Fake))
        .add_service(pb::exec_service_server::ExecServiceServer::new(Fake))
        .add_service(pb::network_service_server::NetworkServiceServer::new(Fake))
        .add_service(pb::cluster_service_server::ClusterServiceServer::new(Fake))
        .add_service(pb::workflow_service_server::WorkflowServiceServer::new(Fake))
        .prepare();
    let mut config = GatewayConfig::new("http://fake.kubegate.invalid");
    config.in_process = Some(kubegate_proto::hop::in_process(routes));
    adjust(&mut config);
    config
}

/// The gateway serving real loopback sockets (the REST port and the terminal's own port) in front of
/// a fresh fake service, until the test ends.
pub async fn serving(adjust: impl FnOnce(&mut GatewayConfig)) -> (SocketAddr, SocketAddr) {
    let http = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a REST port");
    let terminal = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a terminal port");
    let addrs = (http.local_addr().expect("address"), terminal.local_addr().expect("address"));
    let listeners = kubegate_gateway::Listeners { http, terminal: Some(terminal) };
    tokio::spawn(kubegate_gateway::serve(listeners, config_with(adjust), futures::future::pending()));
    addrs
}

/// One HTTP/1.1 request written as `head` (request line and headers, without the blank line) to
/// `addr`; the answer's status and headers (lower-case names), read up to the end of the headers.
pub async fn raw_head(addr: SocketAddr, head: &str) -> (u16, Vec<(String, String)>) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut socket = tokio::net::TcpStream::connect(addr).await.expect("connect");
    socket.write_all(format!("{head}\r\n\r\n").as_bytes()).await.expect("write");
    let mut answer = Vec::new();
    let mut byte = [0u8; 1];
    while !answer.ends_with(b"\r\n\r\n") {
        match socket.read(&mut byte).await.expect("read") {
            0 => break,
            _ => answer.push(byte[0]),
        }
    }
    let text = String::from_utf8_lossy(&answer).to_string();
    let mut lines = text.split("\r\n");
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|c| c.parse().ok()).unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    (status, headers)
}

/// One request through the routes: its status, its content type, and its body as text. A request
/// naming no host is sent to `localhost`, as a client on the machine would.
pub async fn call(app: &axum::Router, mut request: Request<Body>) -> (StatusCode, String, String) {
    if !request.headers().contains_key(http::header::HOST) {
        request.headers_mut().insert(http::header::HOST, http::HeaderValue::from_static("localhost"));
    }
    let response = app.clone().oneshot(request).await.expect("an answer");
    let status = response.status();
    let content_type = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("the body");
    (status, content_type, String::from_utf8(body.to_vec()).expect("UTF-8"))
}

/// One request through the routes: its status and its body as text.
pub async fn answer(app: &axum::Router, request: Request<Body>) -> (StatusCode, String) {
    let (status, _, body) = call(app, request).await;
    (status, body)
}

/// `GET path`.
pub async fn get(app: &axum::Router, path: &str) -> (StatusCode, String) {
    answer(app, Request::get(path).body(Body::empty()).expect("request")).await
}

/// `METHOD path` with a JSON body.
pub async fn send(app: &axum::Router, method: &str, path: &str, json: &str) -> (StatusCode, String) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(Body::from(json.to_string()))
        .expect("request");
    answer(app, request).await
}

/// The error a name or namespace steers the fake to, if any.
pub fn steered(name: &str) -> Result<(), Status> {
    match name {
        "missing" => Err(Status::not_found(format!("{name} not found"))),
        "taken" => Err(Status::already_exists(format!("{name} already exists"))),
        "forbidden" => Err(Status::permission_denied("namespace forbidden is not allowed")),
        "down" => Err(Status::unavailable("Kubernetes is unreachable")),
        "Bad_NS" => {
            let details =
                tonic_types::ErrorDetails::with_bad_request_violation("namespace", "not a DNS label");
            Err(<Status as tonic_types::StatusExt>::with_error_details(
                tonic::Code::InvalidArgument,
                "invalid namespace",
                details,
            ))
        }
        _ => Ok(()),
    }
}

/// A running pod as the service reports it (no start time, so its age is 0).
pub fn pod(name: &str) -> pb::Pod {
    pb::Pod {
        name: name.to_string(),
        namespace: "ns".into(),
        phase: pb::PodPhase::Running as i32,
        ready: true,
        image: "node:20".into(),
        node_name: "n1".into(),
        pod_ip: "10.0.0.1".into(),
        ..Default::default()
    }
}

fn stream<T: Send + 'static>(items: Vec<Result<T, Status>>) -> Streamed<T> {
    Box::pin(futures::stream::iter(items))
}

#[tonic::async_trait]
impl pb::pod_service_server::PodService for Fake {
    async fn create_pod(&self, call: Call<pb::CreatePodRequest>) -> Reply<pb::CreatePodResponse> {
        let spec = call.into_inner().pod.unwrap_or_default();
        steered(&spec.name)?;
        Ok(Answer::new(pb::CreatePodResponse { pod: Some(pod(&spec.name)) }))
    }
    async fn get_pod(&self, call: Call<pb::GetPodRequest>) -> Reply<pb::GetPodResponse> {
        let name = call.into_inner().name;
        steered(&name)?;
        let object_json = format!("  {{\"kind\": \"Pod\",\"metadata\":{{\"name\":\"{name}\"}}}}\n");
        Ok(Answer::new(pb::GetPodResponse { pod: Some(pod(&name)), object_json }))
    }
    async fn list_pods(&self, call: Call<pb::ListPodsRequest>) -> Reply<pb::ListPodsResponse> {
        steered(&call.into_inner().namespace)?;
        let mut done = pod("done");
        (done.phase, done.exit_code, done.image) = (pb::PodPhase::Succeeded as i32, Some(0), String::new());
        Ok(Answer::new(pb::ListPodsResponse { pods: vec![pod("web"), done], ..Default::default() }))
    }
    async fn delete_pod(&self, call: Call<pb::DeletePodRequest>) -> Reply<pb::DeletePodResponse> {
        steered(&call.into_inner().name)?;
        Ok(Answer::new(pb::DeletePodResponse {}))
    }
    type WatchPodsStream = Streamed<pb::WatchPodsResponse>;
    async fn watch_pods(&self, call: Call<pb::WatchPodsRequest>) -> Reply<Self::WatchPodsStream> {
        steered(&call.into_inner().namespace)?;
        let added = pb::WatchPodsResponse { r#type: pb::WatchEventType::Added as i32, pod: Some(pod("web")) };
        let synced = pb::WatchPodsResponse { r#type: pb::WatchEventType::Synced as i32, pod: None };
        Ok(Answer::new(stream(vec![Ok(added), Ok(synced), Err(Status::aborted("watch expired"))])))
    }
    async fn cleanup_pods(&self, call: Call<pb::CleanupPodsRequest>) -> Reply<pb::CleanupPodsResponse> {
        let request = call.into_inner();
        steered(&request.namespace)?;
        // The name tells the test which maximum age arrived.
        let millis = request.max_age.as_ref().map_or(-1, kubegate_proto::convert::duration_to_millis);
        let deleted_names = vec![format!("older-than-{millis}ms")];
        Ok(Answer::new(pb::CleanupPodsResponse { deleted_count: 1, deleted_names, ..Default::default() }))
    }
    async fn get_pod_logs(&self, call: Call<pb::GetPodLogsRequest>) -> Reply<pb::GetPodLogsResponse> {
        let request = call.into_inner();
        steered(&request.name)?;
        let options = request.options.unwrap_or_default();
        let content = format!("tail={:?} timestamps={}\n", options.tail_lines, options.timestamps);
        Ok(Answer::new(pb::GetPodLogsResponse { content: content.into_bytes() }))
    }
    type FollowPodLogsStream = Streamed<pb::FollowPodLogsResponse>;
    async fn follow_pod_logs(
        &self,
        call: Call<pb::FollowPodLogsRequest>,
    ) -> Reply<Self::FollowPodLogsStream> {
        steered(&call.into_inner().name)?;
        use pb::follow_pod_logs_response::Event;
        let event = |event| Ok(pb::FollowPodLogsResponse { event: Some(event) });
        let events = vec![
            event(Event::Data(b"one\ntwo\n".to_vec())),
            event(Event::End(pb::LogEndReason::ContainerExited as i32)),
        ];
        Ok(Answer::new(stream(events)))
    }
}

#[tonic::async_trait]
impl pb::exec_service_server::ExecService for Fake {
    async fn exec(&self, call: Call<pb::ExecRequest>) -> Reply<pb::ExecResponse> {
        let request = call.into_inner();
        steered(&request.pod)?;
        let code: i32 = request.command.last().and_then(|c| c.parse().ok()).unwrap_or(0);
        Ok(Answer::new(pb::ExecResponse {
            stdout: request.command.join(" ").into_bytes(),
            stderr: if code == 0 { vec![] } else { b"failed\n".to_vec() },
            exit_code: code,
            end_reason: pb::ExecEndReason::Exited as i32,
            ..Default::default()
        }))
    }
    type ExecStreamStream = Streamed<pb::ExecStreamResponse>;
    async fn exec_stream(
        &self,
        _: Call<tonic::Streaming<pb::ExecStreamRequest>>,
    ) -> Reply<Self::ExecStreamStream> {
        Err(Status::unimplemented("the fake has no terminal"))
    }
    async fn list_exec_sessions(
        &self,
        call: Call<pb::ListExecSessionsRequest>,
    ) -> Reply<pb::ListExecSessionsResponse> {
        let r = call.into_inner();
        steered(&r.namespace)?;
        // One terminal in the pod asked for, detached with 42 bytes written, 2 of them no longer kept.
        let session = pb::ExecSession {
            session_id: format!("s-{}", r.pod),
            namespace: "ns".into(),
            pod: r.pod,
            container: "runner".into(),
            command: vec!["sh".into()],
            tty: true,
            state: pb::ExecSessionState::Detached as i32,
            output_offset: 42,
            buffered_from_offset: 2,
            ..Default::default()
        };
        Ok(Answer::new(pb::ListExecSessionsResponse {
            sessions: vec![session],
            next_page_token: String::new(),
        }))
    }
    type AttachExecSessionStream = Streamed<pb::AttachExecSessionResponse>;
    async fn attach_exec_session(
        &self,
        _: Call<tonic::Streaming<pb::AttachExecSessionRequest>>,
    ) -> Reply<Self::AttachExecSessionStream> {
        Err(Status::unimplemented("the fake has no sessions"))
    }
    async fn terminate_exec_session(
        &self,
        call: Call<pb::TerminateExecSessionRequest>,
    ) -> Reply<pb::TerminateExecSessionResponse> {
        steered(&call.into_inner().session_id)?;
        let exit = pb::ExecExit {
            exit_code: -1,
            reason: pb::ExecEndReason::Killed as i32,
            message: "terminated".into(),
        };
        Ok(Answer::new(pb::TerminateExecSessionResponse { exit: Some(exit) }))
    }
}

#[tonic::async_trait]
impl pb::cluster_service_server::ClusterService for Fake {
    async fn get_cluster_settings(
        &self,
        _: Call<pb::GetClusterSettingsRequest>,
    ) -> Reply<pb::GetClusterSettingsResponse> {
        let settings = pb::ClusterSettings { enabled: true, namespace: "ns".into(), ..Default::default() };
        Ok(Answer::new(pb::GetClusterSettingsResponse { settings: Some(settings), ..Default::default() }))
    }
    async fn update_cluster_settings(
        &self,
        call: Call<pb::UpdateClusterSettingsRequest>,
    ) -> Reply<pb::UpdateClusterSettingsResponse> {
        // As the service does: only the admin token may move the namespace outside the allow-list.
        let admin = format!("Bearer {ADMIN_TOKEN}");
        let as_admin =
            call.metadata().get("authorization").and_then(|v| v.to_str().ok()) == Some(admin.as_str());
        let request = call.into_inner();
        let mut settings = request.settings.unwrap_or_default();
        steered(&settings.namespace)?;
        if settings.namespace == "elsewhere" && !as_admin {
            return Err(Status::permission_denied("only the operator may change settings.namespace"));
        }
        // What the mask leaves out keeps the fake's current value.
        let paths = request.update_mask.map(|m| m.paths).unwrap_or_default();
        if !paths.iter().any(|p| p == "namespace") {
            settings.namespace = "ns".into();
        }
        Ok(Answer::new(pb::UpdateClusterSettingsResponse { settings: Some(settings) }))
    }
    async fn test_connection(
        &self,
        call: Call<pb::TestConnectionRequest>,
    ) -> Reply<pb::TestConnectionResponse> {
        let namespace = call.into_inner().namespace;
        steered(&namespace)?;
        if namespace == "offline" {
            let error = "cannot reach https://k8s:6443".to_string();
            return Ok(Answer::new(pb::TestConnectionResponse {
                connected: false,
                error,
                ..Default::default()
            }));
        }
        Ok(Answer::new(pb::TestConnectionResponse {
            connected: true,
            namespace: if namespace.is_empty() { "ns".into() } else { namespace },
            server_version: "v1.33.0".into(),
            username: "admin".into(),
            all_permissions_allowed: true,
            ..Default::default()
        }))
    }
}
