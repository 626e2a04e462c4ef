//! `GET /metrics` on its own address: gRPC calls by method and code, REST requests by route template and
//! status, Kubernetes requests by verb and code, what is open, pods created, the build. Labels never
//! carry what a caller typed (an unknown path or method), and the port keeps the Host check.

mod support;

use kubegate_proto::v1::{CreatePodRequest, GetPodRequest, PodSpec, WatchPodsRequest};

async fn scrape(addr: std::net::SocketAddr) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut socket = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!("GET /metrics HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    socket.write_all(request.as_bytes()).await.expect("write");
    let mut response = String::new();
    socket.read_to_string(&mut response).await.expect("read");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("application/openmetrics-text"), "{response}");
    response
}

fn value(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.trim().parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_calls_requests_and_what_is_open_with_bounded_labels() {
    let mut options = support::loopback_options(true);
    options.metrics_addr = Some("127.0.0.1:0".parse().expect("address"));
    let stack = support::stack_with(options, false).await;
    let metrics = stack.server.metrics_addr.expect("metrics are served");
    let rest = stack.server.http_addr.expect("rest");
    let mut pods = stack.pods();

    let spec = PodSpec {
        name: "measured".into(),
        image: "busybox:1.36".into(),
        command: vec!["sleep".into(), "600".into()],
        ..Default::default()
    };
    pods.create_pod(CreatePodRequest { pod: Some(spec), ..Default::default() }).await.expect("create");
    let missing = pods.get_pod(GetPodRequest { name: "nowhere".into(), ..Default::default() }).await;
    assert_eq!(missing.expect_err("missing").code(), tonic::Code::NotFound);
    let watch = pods.watch_pods(WatchPodsRequest::default()).await.expect("watch").into_inner();
    let (status, _) =
        support::http_request(rest, "GET", "/api/kubernetes/pods", &rest.to_string(), &[], None).await;
    assert_eq!(status, 200);
    let (status, _) =
        support::http_request(rest, "GET", "/api/kubernetes/secret-plans-4711", &rest.to_string(), &[], None)
            .await;
    assert_eq!(status, 404);
    // A call to a method no service has.
    let mut unknown = tonic::client::Grpc::new(stack.channel.clone());
    unknown.ready().await.expect("ready");
    let path = http::uri::PathAndQuery::from_static("/evil.Injected/Label");
    let codec = tonic_prost::ProstCodec::<(), ()>::default();
    let _ = unknown.unary(tonic::Request::new(()), path, codec).await;

    let text = scrape(metrics).await;
    let create = r#"kubegate_grpc_calls_total{method="/kubegate.v1.PodService/CreatePod",code="OK"}"#;
    assert_eq!(value(&text, create), Some(1.0), "{text}");
    let not_found = r#"kubegate_grpc_calls_total{method="/kubegate.v1.PodService/GetPod",code="NOT_FOUND"}"#;
    assert_eq!(value(&text, not_found), Some(1.0), "{text}");
    assert!(
        text.contains(r#"method="unknown""#) && !text.contains("evil") && !text.contains("Injected"),
        "{text}"
    );
    let listed = r#"kubegate_http_requests_total{route="/api/kubernetes/pods",method="GET",status="200"}"#;
    assert_eq!(value(&text, listed), Some(1.0), "{text}");
    assert!(text.contains(r#"route="unmatched",method="GET",status="404""#), "{text}");
    assert!(!text.contains("secret-plans") && !text.contains("measured"), "no paths or pod names in labels");
    assert_eq!(value(&text, r#"kubegate_open{kind="watches"}"#), Some(1.0), "{text}");
    assert_eq!(value(&text, "kubegate_pods_created_total"), Some(1.0), "{text}");
    assert!(
        value(&text, r#"kubegate_kubernetes_requests_total{verb="POST",code="201"}"#).is_some(),
        "{text}"
    );
    assert!(text.contains("kubegate_build_info{version=\""), "{text}");
    assert!(text.contains("kubegate_grpc_call_seconds_bucket{"), "{text}");

    // The shared watch behind the stream is a request to Kubernetes too (it may start a moment later).
    support::eventually(20, "the pod watch to reach Kubernetes", || async {
        value(&scrape(metrics).await, r#"kubegate_kubernetes_requests_total{verb="WATCH",code="200"}"#)
    })
    .await;
    // A watch that ends is no longer open.
    drop(watch);
    support::eventually(20, "the watch to be counted closed", || async {
        (value(&scrape(metrics).await, r#"kubegate_open{kind="watches"}"#) == Some(0.0)).then_some(())
    })
    .await;
    // The metrics port has the Host check of every port.
    let (status, _) = support::http_request(metrics, "GET", "/metrics", "evil.example.com", &[], None).await;
    assert_eq!(status, 421);
    stack.stop().await;
}
