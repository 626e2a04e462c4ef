//! kubegate's metrics, in the Prometheus/OpenMetrics text format: one process-wide registry that the
//! gRPC server, the REST gateway, the Kubernetes client and the core record into, served on its own
//! address (`--metrics-addr`). Labels take only bounded values: gRPC method names, REST route templates,
//! HTTP verbs and status codes, kinds — never pod names, namespaces or callers.

use std::sync::LazyLock;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// The content type of [`render`]'s output.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Latency buckets, in seconds: 0.5 ms to 30 s.
const BUCKETS: [f64; 14] =
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0, 30.0];

fn latency() -> Histogram {
    Histogram::new(BUCKETS)
}

/// A gRPC method and the call's status code name (`OK`, `NOT_FOUND`, …).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct GrpcCall {
    /// `/package.Service/Method`, or `unknown` for a path the server does not serve.
    pub method: String,
    /// The status code's name.
    pub code: String,
}

/// A gRPC method.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct GrpcMethod {
    /// `/package.Service/Method`.
    pub method: String,
}

/// A REST request: its route template (`/api/kubernetes/pods/{name}`), verb and status.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct HttpCall {
    /// The route template, or `unmatched`.
    pub route: String,
    /// The HTTP method.
    pub method: String,
    /// The status code.
    pub status: u16,
}

/// A REST route template and verb.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct HttpRoute {
    /// The route template, or `unmatched`.
    pub route: String,
    /// The HTTP method.
    pub method: String,
}

/// A request kubegate made to the Kubernetes API: its verb (`GET`, `WATCH`, `POST`, …) and status.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct KubeCall {
    /// The verb.
    pub verb: String,
    /// The status code; 0 when no answer came.
    pub code: u16,
}

/// A Kubernetes verb.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct KubeVerb {
    /// The verb.
    pub verb: String,
}

/// What stays open: `sessions`, `terminals`, `watches`, `follows`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Open {
    /// The kind.
    pub kind: &'static str,
}

/// A test run's outcome (`PASSED`, `FAILED`, …).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Outcome {
    /// The outcome's name.
    pub outcome: String,
}

/// How pods went: `reaped` (time-to-live), `cleaned` (cleanup), `deleted` (on request).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Removal {
    /// Why.
    pub reason: &'static str,
}

/// The running build.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Build {
    version: &'static str,
}

/// Every metric kubegate records.
pub struct Metrics {
    registry: Registry,
    /// gRPC calls by method and code.
    pub grpc_calls: Family<GrpcCall, Counter>,
    /// gRPC call latency (unary: until the answer; streams: until the stream ends) by method.
    pub grpc_seconds: Family<GrpcMethod, Histogram, fn() -> Histogram>,
    /// REST requests by route, method and status.
    pub http_requests: Family<HttpCall, Counter>,
    /// REST latency until the response head, by route and method.
    pub http_seconds: Family<HttpRoute, Histogram, fn() -> Histogram>,
    /// Requests to the Kubernetes API by verb and code.
    pub kube_requests: Family<KubeCall, Counter>,
    /// Kubernetes API latency until the response head, by verb.
    pub kube_seconds: Family<KubeVerb, Histogram, fn() -> Histogram>,
    /// What is open now, by kind.
    pub open: Family<Open, Gauge>,
    /// Pods kubegate created.
    pub pods_created: Counter,
    /// Pods kubegate removed, by reason.
    pub pods_removed: Family<Removal, Counter>,
    /// Finished test runs by outcome.
    pub test_runs: Family<Outcome, Counter>,
    /// 1 while this replica holds the leader Lease (or runs without leader election), else 0.
    pub leader: Gauge,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Metrics {
    fn new() -> Self {
        let mut registry = Registry::with_prefix("kubegate");
        let metrics = Self {
            registry: Registry::default(),
            grpc_calls: Family::default(),
            grpc_seconds: Family::new_with_constructor(latency),
            http_requests: Family::default(),
            http_seconds: Family::new_with_constructor(latency),
            kube_requests: Family::default(),
            kube_seconds: Family::new_with_constructor(latency),
            open: Family::default(),
            pods_created: Counter::default(),
            pods_removed: Family::default(),
            test_runs: Family::default(),
            leader: Gauge::default(),
        };
        registry.register("grpc_calls", "gRPC calls by method and code", metrics.grpc_calls.clone());
        registry.register("grpc_call_seconds", "gRPC call latency by method", metrics.grpc_seconds.clone());
        registry.register(
            "http_requests",
            "REST requests by route template, method and status",
            metrics.http_requests.clone(),
        );
        registry.register(
            "http_request_seconds",
            "REST latency until the response head",
            metrics.http_seconds.clone(),
        );
        registry.register(
            "kubernetes_requests",
            "Requests to the Kubernetes API by verb and code",
            metrics.kube_requests.clone(),
        );
        registry.register(
            "kubernetes_request_seconds",
            "Kubernetes API latency until the response head",
            metrics.kube_seconds.clone(),
        );
        registry.register(
            "open",
            "Exec sessions, terminals, pod watches and followed logs open now",
            metrics.open.clone(),
        );
        registry.register("pods_created", "Pods kubegate created", metrics.pods_created.clone());
        registry.register("pods_removed", "Pods kubegate removed, by reason", metrics.pods_removed.clone());
        registry.register("test_runs", "Finished test runs by outcome", metrics.test_runs.clone());
        registry.register(
            "leader",
            "1 while this replica leads (runs the reaper), else 0",
            metrics.leader.clone(),
        );
        let build: Family<Build, Gauge> = Family::default();
        build.get_or_create(&Build { version: env!("CARGO_PKG_VERSION") }).set(1);
        registry.register("build_info", "The running build", build);
        Self { registry, ..metrics }
    }

    /// Records a gRPC call.
    pub fn grpc(&self, method: &str, code: &str, took: Duration) {
        self.grpc_calls.get_or_create(&GrpcCall { method: method.to_string(), code: code.to_string() }).inc();
        self.grpc_seconds
            .get_or_create(&GrpcMethod { method: method.to_string() })
            .observe(took.as_secs_f64());
    }

    /// Records a REST request.
    pub fn http(&self, route: &str, method: &str, status: u16, took: Duration) {
        let call = HttpCall { route: route.to_string(), method: method.to_string(), status };
        self.http_requests.get_or_create(&call).inc();
        let route = HttpRoute { route: call.route, method: call.method };
        self.http_seconds.get_or_create(&route).observe(took.as_secs_f64());
    }

    /// Records a request to the Kubernetes API.
    pub fn kube(&self, verb: &str, code: u16, took: Duration) {
        self.kube_requests.get_or_create(&KubeCall { verb: verb.to_string(), code }).inc();
        self.kube_seconds.get_or_create(&KubeVerb { verb: verb.to_string() }).observe(took.as_secs_f64());
    }

    /// Counts one more open `kind` until the guard is dropped.
    pub fn opened(&self, kind: &'static str) -> OpenGuard {
        let gauge = self.open.get_or_create_owned(&Open { kind });
        gauge.inc();
        OpenGuard(gauge)
    }
}

/// Holds one open thing in the `open` gauge.
#[derive(Debug)]
pub struct OpenGuard(Gauge);

impl Drop for OpenGuard {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// The process's metrics.
pub fn global() -> &'static Metrics {
    static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);
    &METRICS
}

/// Every metric in the OpenMetrics text format (which Prometheus reads).
pub fn render() -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = prometheus_client::encoding::text::encode(&mut out, &global().registry);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_recorded_is_rendered_with_bounded_labels() {
        let m = global();
        m.grpc("/kubegate.v1.PodService/GetPod", "OK", Duration::from_millis(2));
        m.http("/api/kubernetes/pods/{name}", "GET", 200, Duration::from_millis(3));
        m.kube("GET", 200, Duration::from_millis(1));
        let open = m.opened("terminals");
        let text = render();
        assert!(
            text.contains(
                r#"kubegate_grpc_calls_total{method="/kubegate.v1.PodService/GetPod",code="OK"} 1"#
            ),
            "{text}"
        );
        assert!(text.contains(r#"kubegate_http_requests_total{route="/api/kubernetes/pods/{name}",method="GET",status="200"} 1"#), "{text}");
        assert!(text.contains(r#"kubegate_open{kind="terminals"} 1"#), "{text}");
        assert!(text.contains("kubegate_build_info{version="), "{text}");
        assert!(text.trim_end().ends_with("# EOF"), "{text}");
        drop(open);
        assert!(render().contains(r#"kubegate_open{kind="terminals"} 0"#));
    }
}
