//! Spans of REST and gRPC calls, and of kubegate's requests to Kubernetes, are exported over OTLP to the collector named by `OTEL_EXPORTER_OTLP_ENDPOINT`,
//! and a W3C `traceparent` sent by the caller becomes their parent. The collector is a real OTLP/gRPC
//! trace receiver on a loopback port. This file holds one test: it installs the global subscriber.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use tonic_health::pb::{HealthCheckRequest, health_client::HealthClient};

/// An exported span: trace id, parent span id, name.
type ExportedSpan = (Vec<u8>, Vec<u8>, String);

#[derive(Clone, Default)]
struct Collector {
    spans: Arc<Mutex<Vec<ExportedSpan>>>,
}

#[tonic::async_trait]
impl TraceService for Collector {
    async fn export(
        &self,
        request: tonic::Request<ExportTraceServiceRequest>,
    ) -> Result<tonic::Response<ExportTraceServiceResponse>, tonic::Status> {
        let mut spans = self.spans.lock().expect("lock");
        for resource in request.into_inner().resource_spans {
            for scope in resource.scope_spans {
                for span in scope.spans {
                    spans.push((span.trace_id, span.parent_span_id, span.name));
                }
            }
        }
        Ok(tonic::Response::new(ExportTraceServiceResponse { partial_success: None }))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grpc_call_is_exported_as_a_child_of_the_callers_traceparent() {
    let collector = Collector::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
    let server = tonic::transport::Server::builder()
        .add_service(TraceServiceServer::new(collector.clone()))
        .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(listener));
    tokio::spawn(server);

    let telemetry =
        kubegate::telemetry::init_with("kubegate-test", Some(endpoint), Duration::from_millis(100))
            .expect("telemetry starts");

    let kubegate = support::start_without_kubernetes(true).await;
    let mut health = HealthClient::new(support::channel(kubegate.grpc_addr).await);
    let trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
    let parent_id = "00f067aa0ba902b7";
    let mut request = tonic::Request::new(HealthCheckRequest { service: String::new() });
    let traceparent = format!("00-{trace_id}-{parent_id}-01");
    request.metadata_mut().insert("traceparent", traceparent.parse().expect("ascii"));
    health.check(request).await.expect("health answers");

    // A REST call: the gateway's span and the gRPC call it makes share the caller's trace.
    let rest_trace = "0af7651916cd43dd8448eb211c80319c";
    let http = kubegate.http_addr.expect("gateway");
    let mut socket = tokio::net::TcpStream::connect(http).await.expect("connect");
    let call = format!(
        "GET /api/kubernetes/pods HTTP/1.1\r\nHost: {http}\r\ntraceparent: 00-{rest_trace}-b7ad6b7169203331-01\r\nConnection: close\r\n\r\n"
    );
    tokio::io::AsyncWriteExt::write_all(&mut socket, call.as_bytes()).await.expect("write");
    let mut answer = Vec::new();
    tokio::io::AsyncReadExt::read_to_end(&mut socket, &mut answer).await.expect("read");
    kubegate.shutdown().await.expect("clean shutdown");

    // On a cluster: a pod created through REST is one trace down to kubegate's request to Kubernetes.
    let stack = support::stack_with(support::loopback_options(true), false).await;
    let http = stack.server.http_addr.expect("gateway");
    let create_trace = "5bf92f3577b34da6a3ce929d0e0e4737";
    let body =
        r#"{"name":"traced","namespace":"opencode-manager","image":"busybox:1.36","command":["sleep","60"]}"#;
    let traceparent = format!("00-{create_trace}-b7ad6b7169203332-01");
    let (status, _) = support::http_request(
        http,
        "POST",
        "/api/kubernetes/pods",
        &http.to_string(),
        &[("traceparent", traceparent.as_str())],
        Some(body),
    )
    .await;
    assert_eq!(status, 200);
    stack.stop().await;

    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let found =
            collector.spans.lock().expect("lock").iter().any(|(t, p, name)| {
                hex(t) == trace_id && hex(p) == parent_id && name.contains("Health/Check")
            });
        if found {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "no exported span with the caller's trace id");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    loop {
        let spans = collector.spans.lock().expect("lock").clone();
        let in_trace: Vec<&str> =
            spans.iter().filter(|(t, _, _)| hex(t) == rest_trace).map(|(_, _, n)| n.as_str()).collect();
        if in_trace.contains(&"GET /api/kubernetes/pods")
            && in_trace.iter().any(|n| n.contains("PodService/ListPods"))
        {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "REST and gRPC spans not in one trace: {in_trace:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    loop {
        let spans = collector.spans.lock().expect("lock").clone();
        let in_trace: Vec<&str> =
            spans.iter().filter(|(t, _, _)| hex(t) == create_trace).map(|(_, _, n)| n.as_str()).collect();
        if in_trace.contains(&"POST /api/kubernetes/pods")
            && in_trace.iter().any(|n| n.contains("PodService/CreatePod"))
            && in_trace.contains(&"POST pods")
        {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no Kubernetes span in the REST call's trace: {in_trace:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(telemetry);
}
