//! Exec benchmark, in one run on the embedded cluster (`cargo bench --bench exec`):
//!
//! - throughput of 256 MiB of stdout through kubegate's gRPC exec stream, through `kubectl exec` (the
//!   whole process, and its stream alone), through a direct Kubernetes exec WebSocket (kube-rs), and
//!   through the same WebSocket behind a plain TCP relay (the floor of any relay), on the same pod,
//!   `KUBEGATE_BENCH_ROUNDS` (5) rounds, medians;
//! - round-trip echo latency (p50, p99) of single bytes through a TTY session, kubegate vs direct;
//! - memory per idle session with 1,000 sessions open (resident memory of the kubegate process);
//! - `kubectl get pods` latency against the embedded cluster.
//!
//! The embedded cluster and kubegate run as separate processes, as in production, so that memory is
//! measured for kubegate alone. Sizes can be lowered with `KUBEGATE_BENCH_MIB` and
//! `KUBEGATE_BENCH_SESSIONS` for a quick run.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use futures::StreamExt as _;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, AttachParams};
use kubegate_proto::v1::exec_service_client::ExecServiceClient;
use kubegate_proto::v1::*;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio_stream::wrappers::ReceiverStream;

mod common;

use common::{Error, Guard, free_port, percentile, rss_kib};

async fn start_session(
    client: &mut ExecServiceClient<tonic::transport::Channel>,
    start: ExecStart,
) -> Result<(tokio::sync::mpsc::Sender<ExecStreamRequest>, tonic::Streaming<ExecStreamResponse>), Error> {
    let (tx, rx) = tokio::sync::mpsc::channel(16);
    tx.send(ExecStreamRequest { kind: Some(exec_stream_request::Kind::Start(start)) }).await?;
    let mut responses = client.exec_stream(ReceiverStream::new(rx)).await?.into_inner();
    let _started = responses.next().await.ok_or("no started event")??;
    Ok((tx, responses))
}

fn stdin(bytes: Vec<u8>) -> ExecStreamRequest {
    ExecStreamRequest {
        kind: Some(exec_stream_request::Kind::Input(ExecInput {
            kind: Some(exec_input::Kind::Stdin(bytes)),
        })),
    }
}

/// Reads `bytes` of `produce`'s stdout through kubegate's gRPC exec stream.
async fn through_kubegate(
    client: &mut ExecServiceClient<tonic::transport::Channel>,
    produce: &str,
    bytes: u64,
) -> Result<Duration, Error> {
    let start = ExecStart {
        pod: "bench".into(),
        command: vec!["sh".into(), "-c".into(), produce.into()],
        ..Default::default()
    };
    let began = Instant::now();
    let (_tx, mut responses) = start_session(client, start).await?;
    let mut received = 0u64;
    while let Some(Ok(r)) = responses.next().await {
        match r.event.and_then(|e| e.kind) {
            Some(exec_event::Kind::Stdout(chunk)) => received += chunk.data.len() as u64,
            Some(exec_event::Kind::Exit(_)) => break,
            _ => {}
        }
    }
    let took = began.elapsed();
    if received != bytes {
        return Err(format!("kubegate delivered {received} of {bytes} bytes").into());
    }
    Ok(took)
}

/// `kubectl exec bench -- sh -c <command>`, stdout thrown away: the whole process.
fn kubectl_exec(
    kubeconfig: &std::path::Path,
    home: &std::path::Path,
    command: &str,
) -> Result<Duration, Error> {
    let began = Instant::now();
    let status = Command::new("kubectl")
        .args(["exec", "bench", "--", "sh", "-c", command])
        .env("KUBECONFIG", kubeconfig)
        .env("HOME", home)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?;
    if !status.success() {
        return Err(format!("kubectl exec: {status}").into());
    }
    Ok(began.elapsed())
}

/// Reads `bytes` of `produce`'s stdout through an exec WebSocket of kube-rs, as a client of its own would.
async fn direct(pods: &Api<Pod>, produce: &str, bytes: u64) -> Result<Duration, Error> {
    let began = Instant::now();
    let params = AttachParams::default().stderr(false).max_stdout_buf_size(1024 * 1024);
    let mut process = pods.exec("bench", ["sh", "-c", produce], &params).await?;
    let mut stdout = process.stdout().ok_or("stdout")?;
    let mut sink = vec![0u8; 256 * 1024];
    let mut received = 0u64;
    loop {
        let n = stdout.read(&mut sink).await?;
        if n == 0 {
            break;
        }
        received += n as u64;
    }
    let took = began.elapsed();
    if received != bytes {
        return Err(format!("the exec WebSocket delivered {received} of {bytes} bytes").into());
    }
    Ok(took)
}

/// A client of the cluster of `kubeconfig` whose connections pass through [`common::tcp_relay`].
async fn relayed_client(kubeconfig: &std::path::Path) -> Result<kube::Client, Error> {
    let file = kube::config::Kubeconfig::read_from(kubeconfig)?;
    let mut config = kube::Config::from_custom_kubeconfig(file, &Default::default()).await?;
    let host = config.cluster_url.host().ok_or("the cluster's host")?;
    let port = config.cluster_url.port_u16().ok_or("the cluster's port")?;
    let target = format!("{host}:{port}").parse()?;
    let relay = common::tcp_relay(target);
    config.cluster_url = format!("https://127.0.0.1:{}", relay.port()).parse()?;
    Ok(kube::Client::try_from(config)?)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mib: u64 = std::env::var("KUBEGATE_BENCH_MIB").ok().and_then(|v| v.parse().ok()).unwrap_or(256);
    let sessions: usize =
        std::env::var("KUBEGATE_BENCH_SESSIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let rounds: usize =
        std::env::var("KUBEGATE_BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(5).max(1);
    let dir = tempfile::tempdir()?;
    let mut guard = Guard(Vec::new());
    let kubeconfig = common::embedded_cluster(&mut guard, dir.path()).await?;
    let grpc_port = free_port();
    let kubegate = common::kubegate(dir.path())
        .args([
            "serve",
            "--no-auth",
            "--no-gateway",
            "--max-sessions",
            "5000",
            "--max-sessions-per-caller",
            "5000",
            "--grpc-addr",
            &format!("127.0.0.1:{grpc_port}"),
            "--kubeconfig",
        ])
        .arg(&kubeconfig)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let kubegate_pid = kubegate.id();
    guard.0.push(kubegate);

    let source = kubegate_core::connection::Source::Kubeconfig(kubeconfig.clone());
    let kube = kubegate_core::connection::connect(&source).await?;
    let pods: Api<Pod> = Api::namespaced(kube.clone(), "opencode-manager");
    common::running_pod(&kube, "bench", serde_json::json!({})).await?;
    let channel = common::grpc_channel(grpc_port).await?;
    let mut client = ExecServiceClient::new(channel).max_decoding_message_size(64 * 1024 * 1024);
    let untouched = rss_kib(kubegate_pid);
    // The same cluster through a plain TCP relay: the floor of any relay between a client and the exec
    // WebSocket (every byte read once more and written once more, nothing else done with it).
    let relayed = relayed_client(&kubeconfig).await?;
    let relayed: Api<Pod> = Api::namespaced(relayed, "opencode-manager");
    let bytes = mib * 1024 * 1024;
    let produce = format!("head -c {bytes} /dev/zero");

    println!("# kubegate exec benchmark ({mib} MiB, {sessions} idle sessions)\n");
    println!("## Throughput of {mib} MiB of stdout ({rounds} rounds after one untimed, paths alternating)\n");
    let mut times: [Vec<Duration>; 5] = Default::default();
    for round in 0..=rounds {
        let measured = [
            through_kubegate(&mut client, &produce, bytes).await?,
            kubectl_exec(&kubeconfig, dir.path(), &produce)?,
            kubectl_exec(&kubeconfig, dir.path(), "true")?,
            direct(&pods, &produce, bytes).await?,
            direct(&relayed, &produce, bytes).await?,
        ];
        if round > 0 {
            for (all, one) in times.iter_mut().zip(measured) {
                all.push(one);
            }
        }
    }
    for all in &mut times {
        all.sort();
    }
    let [ours, kubectl, kubectl_start, plain, relay] = &times;
    // kubectl's stream alone: its whole run less a `kubectl exec -- true` (process start, discovery,
    // the exec handshake), medians of each.
    let kubectl_stream = percentile(kubectl, 0.5).saturating_sub(percentile(kubectl_start, 0.5));
    let mbps = |d: Duration| (mib as f64) / d.as_secs_f64();
    let range = |all: &[Duration]| format!("{:.0}–{:.0}", mbps(all[all.len() - 1]), mbps(all[0]));
    println!("| path | median time | MiB/s (median) | MiB/s (range) |\n|---|---|---|---|");
    for (name, all) in [
        ("kubegate gRPC ExecStream", ours),
        ("kubectl exec (whole process)", kubectl),
        ("direct exec WebSocket (kube-rs)", plain),
        ("direct exec WebSocket through a plain TCP relay", relay),
    ] {
        let median = percentile(all, 0.5);
        println!("| {name} | {:.3} s | {:.0} | {} |", median.as_secs_f64(), mbps(median), range(all));
    }
    println!(
        "| kubectl exec, stream only (less `kubectl exec -- true`: {:.0} ms) | {:.3} s | {:.0} | — |",
        percentile(kubectl_start, 0.5).as_secs_f64() * 1000.0,
        kubectl_stream.as_secs_f64(),
        mbps(kubectl_stream)
    );
    let ratio = |a: Duration, b: Duration| b.as_secs_f64() / a.as_secs_f64();
    let ours = percentile(ours, 0.5);
    println!("\n| ratio (medians) | value | goal |\n|---|---|---|");
    println!("| kubegate ÷ direct WebSocket | {:.2}× | ≥ 0.9× |", ratio(ours, percentile(plain, 0.5)));
    println!(
        "| plain TCP relay ÷ direct WebSocket (the relay limit) | {:.2}× | — |",
        ratio(percentile(relay, 0.5), percentile(plain, 0.5))
    );
    println!("| kubegate ÷ plain TCP relay | {:.2}× | — |", ratio(ours, percentile(relay, 0.5)));
    println!("| kubegate ÷ kubectl exec, stream only | {:.2}× | ≥ 1.1× |", ratio(ours, kubectl_stream));
    println!(
        "| kubegate ÷ kubectl exec, whole process | {:.2}× | — |\n",
        ratio(ours, percentile(kubectl, 0.5))
    );

    println!("## Echo round trip of one byte through a TTY running cat (1,000 keystrokes)\n");
    let start = ExecStart {
        pod: "bench".into(),
        command: vec!["cat".into()],
        tty: true,
        stdin: true,
        ..Default::default()
    };
    let (tx, mut responses) = start_session(&mut client, start).await?;
    let mut ours = Vec::new();
    for i in 0..1000u32 {
        let byte = b'a' + (i % 26) as u8;
        let began = Instant::now();
        tx.send(stdin(vec![byte])).await?;
        loop {
            match responses.next().await {
                Some(Ok(r)) => {
                    if let Some(exec_event::Kind::Stdout(chunk)) = r.event.and_then(|e| e.kind)
                        && chunk.data.contains(&byte)
                    {
                        break;
                    }
                }
                _ => return Err("session ended".into()),
            }
        }
        ours.push(began.elapsed());
    }
    drop(tx);
    let mut process = pods.exec("bench", ["cat"], &AttachParams::interactive_tty()).await?;
    let mut writer = process.stdin().ok_or("stdin")?;
    let mut reader = process.stdout().ok_or("stdout")?;
    let mut direct = Vec::new();
    let mut buffer = [0u8; 64];
    for i in 0..1000u32 {
        let byte = b'a' + (i % 26) as u8;
        let began = Instant::now();
        writer.write_all(&[byte]).await?;
        loop {
            let n = reader.read(&mut buffer).await?;
            if buffer[..n].contains(&byte) {
                break;
            }
        }
        direct.push(began.elapsed());
    }
    ours.sort();
    direct.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("| path | p50 | p99 |\n|---|---|---|");
    println!(
        "| kubegate TTY session | {:.3} ms | {:.3} ms |",
        ms(percentile(&ours, 0.5)),
        ms(percentile(&ours, 0.99))
    );
    println!(
        "| direct exec WebSocket | {:.3} ms | {:.3} ms |",
        ms(percentile(&direct, 0.5)),
        ms(percentile(&direct, 0.99))
    );
    println!(
        "\nadded by kubegate: p50 {:+.3} ms, p99 {:+.3} ms\n",
        ms(percentile(&ours, 0.5)) - ms(percentile(&direct, 0.5)),
        ms(percentile(&ours, 0.99)) - ms(percentile(&direct, 0.99))
    );
    drop(writer);
    process.abort();

    println!("## Memory per idle session ({sessions} open)\n");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = rss_kib(kubegate_pid);
    let mut open = Vec::new();
    for _ in 0..sessions {
        let start = ExecStart {
            pod: "bench".into(),
            command: vec!["sleep".into(), "600".into()],
            ..Default::default()
        };
        open.push(start_session(&mut client, start).await?);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = rss_kib(kubegate_pid);
    let per = (after.saturating_sub(before) as f64) / sessions as f64;
    println!(
        "kubegate resident memory: {untouched} KiB before any traffic, {before} KiB after the rounds above, \
         {after} KiB with {sessions} idle sessions: {per:.1} KiB per session\n"
    );
    drop(open);

    println!("## kubectl get pods against the embedded cluster (20 runs, discovery cached)\n");
    let mut times = Vec::new();
    for _ in 0..21 {
        let began = Instant::now();
        let status = Command::new("kubectl")
            .args(["get", "pods"])
            .env("KUBECONFIG", &kubeconfig)
            .env("HOME", dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        assert!(status.success());
        times.push(began.elapsed());
    }
    times.remove(0);
    times.sort();
    println!(
        "p50 {:.1} ms, p99 {:.1} ms (whole kubectl process)",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99))
    );
    drop(guard);
    Ok(())
}
