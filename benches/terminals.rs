//! Many-terminals benchmark (`cargo bench --bench terminals`): 1,000 terminal WebSockets
//! (`/ws/kubernetes/exec` on the REST port, with the API token) open at once on a few pods of the
//! embedded cluster, each a shell on a TTY; every terminal types one keystroke a second for 60 s and
//! times its echo. Reports errors (goal: none), the echo's p50 / p99 (goal: p99 under 10 ms) and
//! kubegate's resident memory before any terminal and with all of them open, per terminal.
//! `KUBEGATE_BENCH_TERMINALS` and `KUBEGATE_BENCH_SECONDS` set the sizes.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::{Error, Guard, TOKEN, percentile, rss_kib};
use futures::{SinkExt as _, StreamExt as _};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

/// The pods the terminals are spread over.
const PODS: usize = 4;
/// Terminals being opened at once.
const OPENING: usize = 32;
/// How long an echo may take before it counts as an error.
const ECHO_TIMEOUT: Duration = Duration::from_secs(5);

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The text of a frame from the terminal, or an error when the terminal ended.
fn text_of(frame: Option<Result<Message, tokio_tungstenite::tungstenite::Error>>) -> Result<String, Error> {
    match frame {
        Some(Ok(Message::Text(t))) => Ok(t.as_str().to_string()),
        Some(Ok(Message::Binary(b))) => Ok(String::from_utf8_lossy(&b).into_owned()),
        Some(Ok(_)) => Ok(String::new()),
        other => Err(format!("the terminal ended: {other:?}").into()),
    }
}

/// Opens a terminal on `pod` and waits until the shell has printed its prompt and gone quiet.
async fn open(http_port: u16, pod: String) -> Result<Socket, Error> {
    let url = format!(
        "ws://127.0.0.1:{http_port}/ws/kubernetes/exec?pod={pod}&namespace=opencode-manager&shell=/bin/sh\
         &cols=200&rows=50"
    );
    let mut request = url.into_client_request()?;
    request
        .headers_mut()
        .insert("sec-websocket-protocol", format!("kubegate.terminal, bearer.{TOKEN}").parse()?);
    let (mut ws, _) = tokio_tungstenite::connect_async_with_config(request, None, true).await?;
    // The session message, then the prompt; the terminal is ready when nothing more comes for a while.
    let (mut frames, mut seen) = (0, String::new());
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match tokio::time::timeout(Duration::from_millis(300), ws.next()).await {
            Ok(frame) => {
                frames += 1;
                seen.push_str(&text_of(frame)?);
            }
            Err(_) if frames >= 2 => return Ok(ws),
            Err(_) if Instant::now() > deadline => return Err(format!("no prompt: {seen:?}").into()),
            Err(_) => {}
        }
    }
}

/// Types one letter a second, `keystrokes` times from `start`, and times each echo; each echo with when
/// its letter was typed (from `start`).
async fn type_on(
    mut ws: Socket,
    start: tokio::time::Instant,
    keystrokes: usize,
) -> Result<Vec<(Duration, Duration)>, Error> {
    let mut ticks = tokio::time::interval_at(start, Duration::from_secs(1));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut echoes = Vec::with_capacity(keystrokes);
    for i in 0..keystrokes {
        ticks.tick().await;
        let letter = char::from(b'a' + (i % 26) as u8);
        let typed = Instant::now();
        ws.send(Message::text(letter.to_string())).await?;
        let echoed = async {
            loop {
                if text_of(ws.next().await)?.contains(letter) {
                    return Ok::<_, Error>(());
                }
            }
        };
        tokio::time::timeout(ECHO_TIMEOUT, echoed).await.map_err(|_| format!("no echo of {letter:?}"))??;
        echoes
            .push((typed.elapsed(), tokio::time::Instant::from_std(typed).saturating_duration_since(start)));
    }
    ws.close(None).await?;
    Ok(echoes)
}

/// Raises this process's open-file limit to its hard limit (the children inherit it).
fn raise_open_files() {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
    let hard = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(4))
        .map(str::to_string);
    if let Some(hard) = hard {
        let pid = std::process::id().to_string();
        let raised = std::process::Command::new("prlimit")
            .args(["--pid", &pid, &format!("--nofile={hard}:{hard}")])
            .status();
        if !raised.is_ok_and(|s| s.success()) {
            eprintln!("could not raise the open-file limit to {hard} (prlimit); keeping the current one");
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let number =
        |name: &str, default: usize| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let (terminals, seconds) =
        (number("KUBEGATE_BENCH_TERMINALS", 1000), number("KUBEGATE_BENCH_SECONDS", 60));
    raise_open_files();
    let dir = tempfile::tempdir()?;
    let mut guard = Guard(Vec::new());
    let kubeconfig = common::embedded_cluster(&mut guard, dir.path()).await?;
    let cap = (terminals + 100).to_string();
    let flags = ["--max-sessions", cap.as_str(), "--max-sessions-per-caller", cap.as_str()];
    let served = common::serve(&mut guard, &kubeconfig, &flags)?;
    let source = kubegate_core::connection::Source::Kubeconfig(kubeconfig.clone());
    let kube = kubegate_core::connection::connect(&source).await?;
    for p in 0..PODS {
        common::running_pod(&kube, &format!("shell-{p}"), serde_json::json!({})).await?;
    }
    common::grpc_channel(served.grpc).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let idle = rss_kib(served.pid);

    let opening = Instant::now();
    let opened: Vec<Result<Socket, Error>> = futures::stream::iter(0..terminals)
        .map(|t| open(served.http, format!("shell-{}", t % PODS)))
        .buffered(OPENING)
        .collect()
        .await;
    let opening = opening.elapsed();
    let mut sockets = Vec::with_capacity(terminals);
    let mut errors = Vec::new();
    for socket in opened {
        match socket {
            Ok(s) => sockets.push(s),
            Err(e) => errors.push(format!("open: {e}")),
        }
    }
    let open_count = sockets.len();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let with_terminals = rss_kib(served.pid);

    // Terminal t types at t/n of each second, so the keystrokes are spread evenly.
    let begin = tokio::time::Instant::now() + Duration::from_secs(1);
    let began_at =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)? + Duration::from_secs(1);
    let step = Duration::from_secs(1) / u32::try_from(open_count.max(1))?;
    let tasks: Vec<_> = sockets
        .into_iter()
        .enumerate()
        .map(|(t, ws)| tokio::spawn(type_on(ws, begin + step * u32::try_from(t).unwrap_or(0), seconds)))
        .collect();
    let mut peak = with_terminals;
    let sampler = async {
        loop {
            tokio::time::sleep(Duration::from_secs(1)).await;
            peak = peak.max(rss_kib(served.pid));
        }
    };
    let joined = tokio::select! {
        joined = futures::future::join_all(tasks) => joined,
        () = sampler => unreachable!("the sampler never ends"),
    };
    let mut echoes = Vec::with_capacity(open_count * seconds);
    // Echoes of 50 ms or more: which terminal, and when in the run (from the first keystroke), to tell a
    // stall of everything at one moment from a slow terminal or pod.
    let mut slow = Vec::new();
    for (t, result) in joined.into_iter().enumerate() {
        match result {
            Ok(Ok(times)) => {
                for (echo, typed) in times {
                    if echo >= Duration::from_millis(50) {
                        let at = step * u32::try_from(t).unwrap_or(0) + typed;
                        slow.push((at, t, echo));
                    }
                    echoes.push(echo);
                }
            }
            Ok(Err(e)) => errors.push(format!("typing: {e}")),
            Err(e) => errors.push(format!("task: {e}")),
        }
    }
    echoes.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let kib = |k: u64| k as f64 / 1024.0;
    println!(
        "# kubegate terminals benchmark: {terminals} terminal WebSockets on {PODS} pods, a keystroke a second for {seconds} s\n"
    );
    println!("| measure | value | goal |\n|---|---|---|");
    println!(
        "| terminals open / asked | {open_count} / {terminals} (opened in {:.1} s) | all |",
        opening.as_secs_f64()
    );
    println!("| echoes timed | {} of {} | all |", echoes.len(), terminals * seconds);
    println!("| errors | {} | 0 |", errors.len());
    if !echoes.is_empty() {
        println!("| echo p50 | {:.2} ms | — |", ms(percentile(&echoes, 0.5)));
        println!("| echo p90 | {:.2} ms | — |", ms(percentile(&echoes, 0.9)));
        println!("| echo p99 | {:.2} ms | < 10 ms |", ms(percentile(&echoes, 0.99)));
        println!("| echo slowest | {:.2} ms | — |", ms(percentile(&echoes, 1.0)));
    }
    println!(
        "| kubegate memory: idle / all open / peak while typing | {:.1} / {:.1} / {:.1} MiB | — |",
        kib(idle),
        kib(with_terminals),
        kib(peak)
    );
    println!(
        "| memory per terminal (all open − idle) | {:.1} KiB | — |",
        with_terminals.saturating_sub(idle) as f64 / open_count.max(1) as f64
    );
    slow.sort();
    println!(
        "\n{} echoes of 50 ms or more (run time of the keystroke, terminal, pod, echo; the run began at {:.3} s \
         of the Unix epoch):",
        slow.len(),
        began_at.as_secs_f64()
    );
    for (at, t, echo) in slow.iter().take(20) {
        println!("- {:.3} s, terminal {t}, pod {}, {:.1} ms", at.as_secs_f64(), t % PODS, ms(*echo));
    }
    for e in errors.iter().take(5) {
        println!("\nerror: {e}");
    }
    if errors.is_empty() { Ok(()) } else { Err(format!("{} errors", errors.len()).into()) }
}
