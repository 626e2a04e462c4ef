//! Fan-out benchmark (`cargo bench --bench scale`): 1,000 open `WatchPods` streams on one namespace
//! (ten HTTP/2 connections of 100 streams), served by one shared watch on the Kubernetes API; then pods
//! are created one at a time and the time from each create to each watcher's ADDED is measured
//! (goal: p99 within 100 ms), with kubegate's resident memory per open watch.
//! `KUBEGATE_BENCH_WATCHERS` and `KUBEGATE_BENCH_CHANGES` set the sizes.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::{Error, Guard, percentile, rss_kib};
use futures::StreamExt as _;
use kubegate_proto::v1::pod_service_client::PodServiceClient;
use kubegate_proto::v1::{WatchEventType, WatchPodsRequest};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let number =
        |name: &str, default: usize| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let (watchers, changes) = (number("KUBEGATE_BENCH_WATCHERS", 1000), number("KUBEGATE_BENCH_CHANGES", 20));
    let dir = tempfile::tempdir()?;
    let mut guard = Guard(Vec::new());
    let kubeconfig = common::embedded_cluster(&mut guard, dir.path()).await?;
    let served = common::serve(&mut guard, &kubeconfig, &["--max-watches-per-caller", "5000"])?;
    let source = kubegate_core::connection::Source::Kubeconfig(kubeconfig.clone());
    let kube = kubegate_core::connection::connect(&source).await?;
    let mut channels = Vec::new();
    for _ in 0..watchers.div_ceil(100) {
        channels.push(common::grpc_channel(served.grpc).await?);
    }
    let idle = rss_kib(served.pid);

    // Every watcher reports when it sees each pod, on one channel.
    let (seen_tx, mut seen_rx) = tokio::sync::mpsc::unbounded_channel::<(String, Instant)>();
    let mut synced = Vec::new();
    for i in 0..watchers {
        let mut client = PodServiceClient::new(channels[i / 100].clone());
        let request = WatchPodsRequest { send_initial_pods: true, ..Default::default() };
        let mut stream = client.watch_pods(common::authorized(request)).await?.into_inner();
        let seen = seen_tx.clone();
        let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
        synced.push(ready_rx);
        tokio::spawn(async move {
            let mut ready = Some(ready_tx);
            while let Some(Ok(event)) = stream.next().await {
                if event.r#type == WatchEventType::Synced as i32
                    && let Some(ready) = ready.take()
                {
                    let _ = ready.send(());
                }
                if event.r#type == WatchEventType::Added as i32
                    && let Some(pod) = event.pod
                {
                    let _ = seen.send((pod.name, Instant::now()));
                }
            }
        });
    }
    for ready in synced {
        ready.await?;
    }
    let watching = rss_kib(served.pid);

    let pods: kube::Api<k8s_openapi::api::core::v1::Pod> =
        kube::Api::namespaced(kube.clone(), "opencode-manager");
    let mut delays = Vec::with_capacity(watchers * changes);
    for c in 0..changes {
        let name = format!("fan-{c}");
        let pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": name},
            "spec": {"containers": [{"name": "runner", "image": "busybox", "command": ["sleep", "3600"]}]},
        }))?;
        let created = Instant::now();
        pods.create(&kube::api::PostParams::default(), &pod).await?;
        let mut arrived = 0;
        while arrived < watchers {
            let (seen, at) = tokio::time::timeout(Duration::from_secs(30), seen_rx.recv())
                .await?
                .ok_or("the watchers ended")?;
            if seen == name {
                delays.push(at.saturating_duration_since(created));
                arrived += 1;
            }
        }
    }
    delays.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("# kubegate fan-out benchmark: {watchers} WatchPods streams, {changes} new pods\n");
    println!("| measure | value |\n|---|---|");
    println!("| create → ADDED at every watcher, p50 | {:.1} ms |", ms(percentile(&delays, 0.5)));
    println!("| same, p99 (goal <= 100 ms) | {:.1} ms |", ms(percentile(&delays, 0.99)));
    println!("| same, slowest | {:.1} ms |", ms(percentile(&delays, 1.0)));
    println!(
        "| kubegate memory: idle / with the watchers / per watcher | {} MiB / {} MiB / {:.1} KiB |",
        idle / 1024,
        watching / 1024,
        watching.saturating_sub(idle) as f64 / watchers as f64
    );
    Ok(())
}
