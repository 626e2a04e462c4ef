//! Read benchmark, in one run on the embedded cluster (`cargo bench --bench gateway`), kubegate and the
//! cluster as separate processes, with an API token as in production:
//!
//! 1. The original's two read routes at 1 and 32 connections — REST `GET /api/kubernetes/pods/:name`
//!    and `GET /api/kubernetes/pods` through kubegate — next to the original's access pattern, one raw
//!    Kubernetes request per REST request (a GET of the pod; a LIST by its label) at the same
//!    concurrency. The original added its own JavaScript on top of that floor, so "kubegate ÷ floor" is
//!    a lower bound of "kubegate ÷ original" (goal: at least 3x).
//! 2. The same pod read at 64 concurrent clients three ways — REST, the gRPC `GetPod` the gateway makes,
//!    and a raw Kubernetes GET — with p50, p99 and requests per second, and the ratios
//!    (goals: gRPC p50 and throughput cost at most 1.2x the raw GET, p99/p50 at most 3x).
//! 3. kubegate's resident memory before any traffic and after it.
//!
//! Beside the floor, the machine's ceiling: this benchmark re-runs itself as the cheapest HTTP/1.1
//! server it can be (hyper, two worker threads as kubegate has, no routing, no token, no logging), in a
//! process of its own per route, answering every request with the bytes kubegate answered that route with.
//! No server that does anything per request can go faster on this machine with this client.
//!
//! `KUBEGATE_BENCH_SECONDS` sets the time per target (default 5), `KUBEGATE_BENCH_ROUNDS` the rounds of
//! part 2 (default 3).

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

mod common;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use common::{Error, Guard, TOKEN, percentile};
use http_body_util::{BodyExt as _, Empty};
use kubegate_proto::v1::GetPodRequest;
use kubegate_proto::v1::pod_service_client::PodServiceClient;

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

/// Runs `call` from `clients` tasks for `seconds`, after a one-second warm-up.
async fn load<F, Fut>(name: &'static str, clients: usize, seconds: u64, call: F) -> Outcome
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let call = Arc::new(call);
    let warm_until = Instant::now() + Duration::from_secs(1);
    let began = warm_until;
    let until = warm_until + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..clients)
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

/// A REST GET with the token; true on 200 with the whole body read.
async fn rest_get(http: &Http, url: &http::Uri) -> bool {
    let request = http::Request::get(url.clone())
        .header(http::header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(Empty::<Bytes>::new())
        .unwrap();
    match http.request(request).await {
        Ok(r) if r.status() == 200 => r.into_body().collect().await.is_ok(),
        _ => false,
    }
}

type Http =
    hyper_util::client::legacy::Client<hyper_util::client::legacy::connect::HttpConnector, Empty<Bytes>>;

/// One raw Kubernetes request, its body read as text.
async fn raw_get(kube: &kube::Client, path: &str) -> bool {
    let request = http::Request::get(path).body(Vec::new()).unwrap();
    kube.request_text(request).await.is_ok()
}

fn row(round: usize, o: &Outcome) {
    println!(
        "| {round} | {} | {:.0} | {:.2} ms | {:.2} ms | {} |",
        o.name,
        o.rps(),
        o.p(0.5).as_secs_f64() * 1e3,
        o.p(0.99).as_secs_f64() * 1e3,
        o.errors
    );
}

/// The environment variable that makes this program the static server: `PORT:FILE`.
const STATIC_SERVER: &str = "KUBEGATE_BENCH_STATIC_SERVER";

/// Serves `body` to every request on `port`, until killed.
async fn static_server(port: u16, body: Bytes) -> Result<(), Error> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    loop {
        let (socket, _) = listener.accept().await?;
        socket.set_nodelay(true)?;
        let body = body.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |_request| {
                let response = http::Response::builder()
                    .header(http::header::CONTENT_TYPE, "application/json")
                    .body(http_body_util::Full::new(body.clone()));
                async move { response }
            });
            let io = hyper_util::rt::TokioIo::new(socket);
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
        });
    }
}

/// Starts this program again as the static server of `body`; returns its URL.
fn spawn_static_server(guard: &mut Guard, dir: &std::path::Path, body: &[u8]) -> Result<http::Uri, Error> {
    let file = dir.join(format!("static-body-{}.json", guard.0.len()));
    std::fs::write(&file, body)?;
    let port = common::free_port();
    let child = std::process::Command::new(std::env::current_exe()?)
        .env(STATIC_SERVER, format!("{port}:{}", file.display()))
        .stdout(std::process::Stdio::null())
        .spawn()?;
    guard.0.push(child);
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(format!("http://127.0.0.1:{port}/").parse()?);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Err("the static server did not start".into())
}

fn main() -> Result<(), Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    if let Ok(spec) = std::env::var(STATIC_SERVER) {
        let (port, file) = spec.split_once(':').ok_or("PORT:FILE")?;
        let body = Bytes::from(std::fs::read(file)?);
        return runtime.block_on(static_server(port.parse()?, body));
    }
    runtime.block_on(bench())
}

async fn bench() -> Result<(), Error> {
    let seconds: u64 = std::env::var("KUBEGATE_BENCH_SECONDS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    let read_rounds: usize =
        std::env::var("KUBEGATE_BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(3).max(1);
    let dir = tempfile::tempdir()?;
    let mut guard = Guard(Vec::new());
    let kubeconfig = common::embedded_cluster(&mut guard, dir.path()).await?;
    let served = common::serve(&mut guard, &kubeconfig, &[])?;
    let (grpc_port, http_port, kubegate_pid) = (served.grpc, served.http, served.pid);
    let source = kubegate_core::connection::Source::Kubeconfig(kubeconfig.clone());
    let kube = kubegate_core::connection::connect(&source).await?;
    // Twenty pods as the original labelled them, one of them read by name.
    for i in 0..20 {
        let name = if i == 0 { "bench".to_string() } else { format!("bench-{i}") };
        common::running_pod(&kube, &name, serde_json::json!({"app": "opencode-manager"})).await?;
    }
    let channel = common::grpc_channel(grpc_port).await?;
    let memory_before = common::rss_kib(kubegate_pid);

    let http: Http = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .pool_max_idle_per_host(64)
        .build_http::<Empty<Bytes>>();
    let base = format!("http://127.0.0.1:{http_port}/api/kubernetes");
    let one: http::Uri = format!("{base}/pods/bench?namespace=opencode-manager").parse()?;
    let all: http::Uri =
        format!("{base}/pods?namespace=opencode-manager&labelSelector=app%3Dopencode-manager").parse()?;
    let raw_one = "/api/v1/namespaces/opencode-manager/pods/bench";
    let raw_all = "/api/v1/namespaces/opencode-manager/pods?labelSelector=app%3Dopencode-manager";

    println!("# kubegate read benchmark ({seconds} s per target, after 1 s of warm-up)\n");
    println!("## The original's read routes: kubegate vs one Kubernetes request per call\n");
    println!(
        "| route | connections | floor req/s (1 Kubernetes request each) | kubegate req/s | kubegate ÷ floor | static server req/s | kubegate ÷ static server | goal |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (route, url, raw) in [("GET /pods/:name", &one, raw_one), ("GET /pods", &all, raw_all)] {
        let answer = {
            let request = http::Request::get(url.clone())
                .header(http::header::AUTHORIZATION, format!("Bearer {TOKEN}"))
                .body(Empty::<Bytes>::new())?;
            http.request(request).await?.into_body().collect().await?.to_bytes()
        };
        let ceiling = spawn_static_server(&mut guard, dir.path(), &answer)?;
        for clients in [1, 32] {
            let (h, u) = (http.clone(), url.clone());
            let ours = load("kubegate", clients, seconds, move || {
                let (h, u) = (h.clone(), u.clone());
                async move { rest_get(&h, &u).await }
            })
            .await;
            let k = kube.clone();
            let floor = load("floor", clients, seconds, move || {
                let k = k.clone();
                async move { raw_get(&k, raw).await }
            })
            .await;
            let (h, u) = (http.clone(), ceiling.clone());
            let fixed = load("static server", clients, seconds, move || {
                let (h, u) = (h.clone(), u.clone());
                async move { rest_get(&h, &u).await }
            })
            .await;
            assert_eq!(ours.errors + floor.errors + fixed.errors, 0, "errors while measuring {route}");
            println!(
                "| `{route}` | {clients} | {:.0} | {:.0} | {:.2}x | {:.0} | {:.2}x | >= 3x the original |",
                floor.rps(),
                ours.rps(),
                ours.rps() / floor.rps(),
                fixed.rps(),
                ours.rps() / fixed.rps()
            );
        }
    }

    // The three targets in rounds (REST, gRPC, raw; again), so that a change in the machine's load
    // between two targets shows as spread between rounds instead of as a ratio; medians of the rounds.
    let grpc_client = PodServiceClient::new(channel);
    let mut rounds: Vec<[Outcome; 3]> = Vec::new();
    for _ in 0..read_rounds {
        let (h, u) = (http.clone(), one.clone());
        let rest = load("REST via gateway", 64, seconds, move || {
            let (h, u) = (h.clone(), u.clone());
            async move { rest_get(&h, &u).await }
        })
        .await;
        let client = grpc_client.clone();
        let grpc = load("gRPC GetPod", 64, seconds, move || {
            let mut client = client.clone();
            async move {
                let mut request = tonic::Request::new(GetPodRequest {
                    namespace: "opencode-manager".into(),
                    name: "bench".into(),
                });
                request.metadata_mut().insert("authorization", format!("Bearer {TOKEN}").parse().unwrap());
                client.get_pod(request).await.is_ok()
            }
        })
        .await;
        let k = kube.clone();
        let raw = load("Kubernetes GET", 64, seconds, move || {
            let k = k.clone();
            async move { raw_get(&k, raw_one).await }
        })
        .await;
        rounds.push([rest, grpc, raw]);
    }
    let memory_after = common::rss_kib(kubegate_pid);

    println!(
        "\n## One pod read three ways at 64 concurrent clients ({read_rounds} rounds, targets alternating)\n"
    );
    println!("| round | target | requests/s | p50 | p99 | errors |");
    println!("|---|---|---|---|---|---|");
    for (i, round) in rounds.iter().enumerate() {
        for o in round {
            row(i + 1, o);
        }
    }
    let median = |f: &dyn Fn(&[Outcome; 3]) -> f64| {
        let mut values: Vec<f64> = rounds.iter().map(f).collect();
        values.sort_by(f64::total_cmp);
        let spread = format!("{:.2}–{:.2}", values[0], values[values.len() - 1]);
        (values[values.len() / 2], spread)
    };
    let p50 = |o: &Outcome| o.p(0.5).as_secs_f64();
    let (ratio, spread) = median(&|r| p50(&r[1]) / p50(&r[2]));
    let (cost, cost_spread) = median(&|r| r[2].rps() / r[1].rps());
    println!(
        "\ngRPC GetPod ÷ Kubernetes GET, medians of the rounds' ratios (range): p50 {ratio:.2}x ({spread}) \
         (goal <= 1.2x), throughput cost {cost:.2}x ({cost_spread}) (goal <= 1.2x)"
    );
    let (tail, spread) = median(&|r| r[1].p(0.99).as_secs_f64() / p50(&r[1]));
    println!("gRPC GetPod p99 ÷ p50: {tail:.2}x ({spread}) (goal <= 3x)");
    let (ratio, spread) = median(&|r| p50(&r[0]) / p50(&r[1]));
    let (cost, cost_spread) = median(&|r| r[1].rps() / r[0].rps());
    println!(
        "REST ÷ gRPC GetPod: p50 {ratio:.2}x ({spread}) (goal <= 1.2x), throughput cost {cost:.2}x ({cost_spread})"
    );
    println!(
        "\nkubegate resident memory: {} MiB before traffic, {} MiB after",
        memory_before / 1024,
        memory_after / 1024
    );
    Ok(())
}
