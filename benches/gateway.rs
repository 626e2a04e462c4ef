//! Gateway benchmark, in one run on the embedded cluster (`cargo bench --bench gateway`): the same pod
//! read three ways at 64 concurrent clients for a fixed time each —
//!
//! - REST `GET /api/kubernetes/pods/:name` through the gateway (HTTP/1.1 keep-alive connections);
//! - the gRPC `GetPod` call the gateway makes (one HTTP/2 connection, as the gateway uses);
//! - a raw Kubernetes `GET /api/v1/namespaces/…/pods/:name` (kube-rs client, TLS).
//!
//! Reports p50/p99 latency and requests per second, and the ratios REST/gRPC and gRPC/Kubernetes.
//! `KUBEGATE_BENCH_SECONDS` sets the time per target (default 10).

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

mod common;

use std::future::Future;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use common::{Error, Guard, binary, free_port, percentile};
use http_body_util::{BodyExt as _, Empty};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, PostParams};
use kubegate_proto::v1::GetPodRequest;
use kubegate_proto::v1::pod_service_client::PodServiceClient;

const CLIENTS: usize = 64;

struct Outcome {
    name: &'static str,
    latencies: Vec<Duration>,
    errors: usize,
    elapsed: Duration,
}

impl Outcome {
    fn rps(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }
    fn p(&self, q: f64) -> Duration {
        percentile(&self.latencies, q)
    }
}

/// Runs `call` from `CLIENTS` tasks for `seconds`, after a one-second warm-up.
async fn load<F, Fut>(name: &'static str, seconds: u64, call: F) -> Outcome
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let call = Arc::new(call);
    let warm_until = Instant::now() + Duration::from_secs(1);
    let began = warm_until;
    let until = warm_until + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let call = call.clone();
            tokio::spawn(async move {
                let (mut latencies, mut errors) = (Vec::new(), 0usize);
                loop {
                    let start = Instant::now();
                    if start >= until {
                        break;
                    }
                    let ok = call().await;
                    if start >= warm_until {
                        if ok {
                            latencies.push(start.elapsed());
                        } else {
                            errors += 1;
                        }
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut outcome = Outcome { name, latencies: Vec::new(), errors: 0, elapsed: Duration::ZERO };
    for task in tasks {
        let (l, e) = task.await.unwrap();
        outcome.latencies.extend(l);
        outcome.errors += e;
    }
    outcome.elapsed = Instant::now().saturating_duration_since(began).min(until - began);
    outcome.latencies.sort();
    outcome
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let seconds: u64 =
        std::env::var("KUBEGATE_BENCH_SECONDS").ok().and_then(|v| v.parse().ok()).unwrap_or(10);
    let dir = tempfile::tempdir()?;
    let mut guard = Guard(Vec::new());
    let kubeconfig = common::embedded_cluster(&mut guard, dir.path()).await?;
    let (grpc_port, http_port, terminal_port) = (free_port(), free_port(), free_port());
    guard.0.push(
        Command::new(binary())
            .args([
                "serve",
                "--grpc-addr",
                &format!("127.0.0.1:{grpc_port}"),
                "--http-addr",
                &format!("127.0.0.1:{http_port}"),
                "--terminal-addr",
                &format!("127.0.0.1:{terminal_port}"),
                "--kubeconfig",
            ])
            .arg(&kubeconfig)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?,
    );
    let source = kubegate_core::connection::Source::Kubeconfig(kubeconfig.clone());
    let kube = kubegate_core::connection::connect(&source).await?;
    let pods: Api<Pod> = Api::namespaced(kube.clone(), "opencode-manager");
    let pod: Pod = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "bench"},
        "spec": {"containers": [{"name": "runner", "image": "busybox", "command": ["sleep", "3600"]}]},
    }))?;
    pods.create(&PostParams::default(), &pod).await?;
    let channel = common::grpc_channel(grpc_port).await?;

    let http = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .pool_max_idle_per_host(CLIENTS)
        .build_http::<Empty<Bytes>>();
    let url: http::Uri =
        format!("http://127.0.0.1:{http_port}/api/kubernetes/pods/bench?namespace=opencode-manager")
            .parse()?;
    let rest = load("REST via gateway", seconds, move || {
        let (http, url) = (http.clone(), url.clone());
        async move {
            match http.get(url).await {
                Ok(r) if r.status() == 200 => r.into_body().collect().await.is_ok(),
                _ => false,
            }
        }
    })
    .await;

    let grpc_client = PodServiceClient::new(channel);
    let grpc = load("gRPC GetPod", seconds, move || {
        let mut client = grpc_client.clone();
        async move {
            let request = GetPodRequest { namespace: "opencode-manager".into(), name: "bench".into() };
            client.get_pod(request).await.is_ok()
        }
    })
    .await;

    let raw = load("Kubernetes GET", seconds, move || {
        let kube = kube.clone();
        async move {
            let request = http::Request::get("/api/v1/namespaces/opencode-manager/pods/bench")
                .body(Vec::new())
                .unwrap();
            kube.request_text(request).await.is_ok()
        }
    })
    .await;

    println!("# kubegate gateway benchmark ({CLIENTS} concurrent clients, {seconds} s per target)\n");
    println!("| target | requests/s | p50 | p99 | errors |");
    println!("|---|---|---|---|---|");
    for o in [&rest, &grpc, &raw] {
        println!(
            "| {} | {:.0} | {:.2} ms | {:.2} ms | {} |",
            o.name,
            o.rps(),
            o.p(0.5).as_secs_f64() * 1e3,
            o.p(0.99).as_secs_f64() * 1e3,
            o.errors
        );
    }
    let ratio = |a: &Outcome, b: &Outcome| {
        (
            a.p(0.5).as_secs_f64() / b.p(0.5).as_secs_f64(),
            a.p(0.99).as_secs_f64() / b.p(0.99).as_secs_f64(),
            b.rps() / a.rps(),
        )
    };
    let (p50, p99, rps) = ratio(&rest, &grpc);
    println!("\nREST / gRPC: p50 {p50:.2}x, p99 {p99:.2}x, throughput cost {rps:.2}x (goal <= 1.3x)");
    let (p50, p99, rps) = ratio(&grpc, &raw);
    println!("gRPC / Kubernetes: p50 {p50:.2}x, p99 {p99:.2}x, throughput cost {rps:.2}x");
    Ok(())
}
