//! Paging benchmark (`cargo bench --bench paging`): 10,000 pods in one namespace of a real control plane
//! with a simulated node (kwok: `tests/control-plane/start.sh`, cluster `kubegate-bench`, removed at the
//! end), listed 500 at a time through kubegate's gRPC `ListPods` and through the raw Kubernetes list
//! (`limit=500` and `continue`, the body read as text) — the same namespace, no selector on either side,
//! pages taken alternately. Reports the per-page time ratio (goal: at most 1.2x) and kubegate's resident
//! memory while a caller pages through all of them (goal: flat). `KUBEGATE_BENCH_PODS` and
//! `KUBEGATE_BENCH_PASSES` set the sizes.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{Error, Guard, percentile, rss_kib};
use futures::StreamExt as _;
use k8s_openapi::api::core::v1::{Node, Pod};
use kube::api::{Api, ListParams, PostParams};
use kubegate_proto::v1::ListPodsRequest;
use kubegate_proto::v1::pod_service_client::PodServiceClient;

const NAMESPACE: &str = "opencode-manager";
const PAGE: u32 = 500;
/// Pods created at once.
const CREATING: usize = 48;

/// The control plane of `tests/control-plane`, stopped (and removed) when dropped.
struct ControlPlane {
    name: String,
    scripts: PathBuf,
}

impl ControlPlane {
    fn start(name: &str, kubeconfig: &Path, log: &Path) -> Result<Self, Error> {
        let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/control-plane");
        // Dropped on any failure below, so a half-started cluster is removed too.
        let plane = Self { name: name.to_string(), scripts };
        let status = std::process::Command::new(plane.scripts.join("start.sh"))
            .arg(kubeconfig)
            .env("KUBEGATE_CLUSTER_NAME", name)
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(log)?)
            .status()?;
        if !status.success() {
            let tail = std::fs::read_to_string(log).unwrap_or_default();
            let tail: Vec<&str> = tail.lines().rev().take(20).collect();
            return Err(format!("start.sh failed ({status}):\n{}", tail.join("\n")).into());
        }
        Ok(plane)
    }
}

impl Drop for ControlPlane {
    fn drop(&mut self) {
        let stopped = std::process::Command::new(self.scripts.join("stop.sh"))
            .env("KUBEGATE_CLUSTER_NAME", &self.name)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        if !stopped.is_ok_and(|s| s.success()) {
            eprintln!("stop.sh failed for cluster {}: remove it with tests/control-plane/stop.sh", self.name);
        }
    }
}

/// Creates `count` pods bound to `node` (no scheduling), `CREATING` at a time.
async fn create_pods(kube: &kube::Client, node: &str, count: usize) -> Result<(), Error> {
    let pods: Api<Pod> = Api::namespaced(kube.clone(), NAMESPACE);
    let results: Vec<Result<(), Error>> = futures::stream::iter(0..count)
        .map(|i| {
            let pods = pods.clone();
            async move {
                let pod: Pod = serde_json::from_value(serde_json::json!({
                    "metadata": {"name": format!("page-{i:05}"), "labels": {"app": "paging"}},
                    "spec": {
                        "nodeName": node,
                        "tolerations": [{"operator": "Exists"}],
                        "containers": [{"name": "runner", "image": "busybox", "command": ["sleep", "3600"]}],
                    },
                }))?;
                match pods.create(&PostParams::default(), &pod).await {
                    Ok(_) => Ok(()),
                    Err(kube::Error::Api(e)) if e.code == 409 => Ok(()),
                    Err(e) => Err(e.into()),
                }
            }
        })
        .buffer_unordered(CREATING)
        .collect()
        .await;
    results.into_iter().collect()
}

/// How many pods of the namespace are Running, and how many there are.
async fn running(kube: &kube::Client) -> Result<(usize, usize), Error> {
    let pods: Api<Pod> = Api::namespaced(kube.clone(), NAMESPACE);
    let (mut token, mut run, mut all) = (None::<String>, 0, 0);
    loop {
        let mut params = ListParams::default().limit(PAGE);
        if let Some(t) = &token {
            params = params.continue_token(t);
        }
        let list = pods.list(&params).await?;
        all += list.items.len();
        run += list
            .items
            .iter()
            .filter(|p| p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running"))
            .count();
        token = list.metadata.continue_.filter(|c| !c.is_empty());
        if token.is_none() {
            return Ok((run, all));
        }
    }
}

/// One raw Kubernetes page: the body as text, and its continue token (read from the list's metadata,
/// which comes before the items).
async fn raw_page(kube: &kube::Client, token: Option<&str>) -> Result<(usize, Option<String>), Error> {
    let mut params = ListParams::default().limit(PAGE);
    if let Some(t) = token {
        params = params.continue_token(t);
    }
    let request = kube::core::Request::new(format!("/api/v1/namespaces/{NAMESPACE}/pods")).list(&params)?;
    let body = kube.request_text(request).await?;
    let head = &body[..body.find("\"items\"").unwrap_or(body.len())];
    let next = head
        .split_once("\"continue\":\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(t, _)| t.to_string())
        .filter(|t| !t.is_empty());
    Ok((body.len(), next))
}

/// One kubegate page.
async fn kubegate_page(
    client: &mut PodServiceClient<tonic::transport::Channel>,
    token: Option<&str>,
) -> Result<(usize, Option<String>), Error> {
    let request = ListPodsRequest {
        namespace: NAMESPACE.into(),
        page_size: i32::try_from(PAGE)?,
        page_token: token.unwrap_or_default().to_string(),
        ..Default::default()
    };
    let page = client.list_pods(common::authorized(request)).await?.into_inner();
    Ok((page.pods.len(), Some(page.next_page_token).filter(|t| !t.is_empty())))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let number =
        |name: &str, default: usize| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let (count, passes) = (number("KUBEGATE_BENCH_PODS", 10_000), number("KUBEGATE_BENCH_PASSES", 3));
    let dir = tempfile::tempdir()?;
    let kubeconfig = dir.path().join("kubeconfig");
    let began = Instant::now();
    let _plane = ControlPlane::start("kubegate-bench", &kubeconfig, &dir.path().join("control-plane.log"))?;
    let started = began.elapsed();
    let source = kubegate_core::connection::Source::Kubeconfig(kubeconfig.clone());
    let kube = kubegate_core::connection::connect(&source).await?;
    let nodes: Api<Node> = Api::all(kube.clone());
    let node = nodes.list(&ListParams::default()).await?.items.into_iter().next().ok_or("no node")?;
    let node = node.metadata.name.ok_or("a node without a name")?;

    let began = Instant::now();
    create_pods(&kube, &node, count).await?;
    let created = began.elapsed();
    // kwok marks them Running; the lists are compared once the pods stop changing.
    let deadline = Instant::now() + Duration::from_secs(300);
    let (mut run, mut all) = running(&kube).await?;
    while run < count && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_secs(3)).await;
        (run, all) = running(&kube).await?;
    }
    let settled = began.elapsed();

    let mut guard = Guard(Vec::new());
    let served = common::serve(&mut guard, &kubeconfig, &[])?;
    let channel = common::grpc_channel(served.grpc).await?;
    let mut client = PodServiceClient::new(channel).max_decoding_message_size(64 * 1024 * 1024);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let idle = rss_kib(served.pid);

    // The first pass fills kubegate's cache (one shared watch of the namespace) and warms both paths.
    let (mut listed, mut token) = (0, None::<String>);
    loop {
        let (n, next) = kubegate_page(&mut client, token.as_deref()).await?;
        listed += n;
        token = next;
        if token.is_none() {
            break;
        }
    }
    let mut token = None::<String>;
    loop {
        token = raw_page(&kube, token.as_deref()).await?.1;
        if token.is_none() {
            break;
        }
    }
    let filled = rss_kib(served.pid);

    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let (mut raw_bytes, mut pages_per_pass) = (0usize, 0usize);
    let mut memory = Vec::new();
    for _ in 0..passes {
        let (mut our_token, mut their_token, mut pages, mut peak) = (None::<String>, None::<String>, 0, 0);
        loop {
            let t = Instant::now();
            let (_, next) = kubegate_page(&mut client, our_token.as_deref()).await?;
            ours.push(t.elapsed());
            our_token = next;
            let t = Instant::now();
            let (bytes, next) = raw_page(&kube, their_token.as_deref()).await?;
            theirs.push(t.elapsed());
            raw_bytes = raw_bytes.max(bytes);
            their_token = next;
            pages += 1;
            peak = peak.max(rss_kib(served.pid));
            if our_token.is_none() || their_token.is_none() {
                break;
            }
        }
        pages_per_pass = pages;
        memory.push(peak);
    }
    ours.sort();
    theirs.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let mean = |v: &[Duration]| v.iter().sum::<Duration>().as_secs_f64() * 1e3 / v.len().max(1) as f64;
    let mib = |k: u64| format!("{:.1}", k as f64 / 1024.0);
    println!("# kubegate paging benchmark: {all} pods ({run} Running), pages of {PAGE}, {passes} passes\n");
    println!(
        "control plane started in {:.0} s; pods created in {:.1} s ({:.0}/s), all Running after {:.0} s; \
         kubegate listed {listed} in its first pass; {pages_per_pass} pages a pass, a raw page up to {} KiB\n",
        started.as_secs_f64(),
        created.as_secs_f64(),
        count as f64 / created.as_secs_f64(),
        settled.as_secs_f64(),
        raw_bytes / 1024
    );
    println!("| page of {PAGE} | p50 | p90 | mean |\n|---|---|---|---|");
    for (name, v) in [("kubegate ListPods (gRPC)", &ours), ("raw Kubernetes list (limit/continue)", &theirs)]
    {
        println!(
            "| {name} | {:.2} ms | {:.2} ms | {:.2} ms |",
            ms(percentile(v, 0.5)),
            ms(percentile(v, 0.9)),
            mean(v)
        );
    }
    println!(
        "\nratio kubegate / raw per page: p50 {:.2}x, mean {:.2}x (goal <= 1.2x)",
        ms(percentile(&ours, 0.5)) / ms(percentile(&theirs, 0.5)),
        mean(&ours) / mean(&theirs)
    );
    let peaks: Vec<String> = memory.iter().map(|k| mib(*k)).collect();
    println!(
        "kubegate memory: idle {} MiB, after the first pass (cache filled) {} MiB, peak in each measured pass {} MiB \
         (goal: flat)",
        mib(idle),
        mib(filled),
        peaks.join(" / ")
    );
    drop(guard);
    Ok(())
}
