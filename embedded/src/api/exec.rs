//! Exec and attach over the Kubernetes WebSocket channel protocol (v5 and v4): stdin on channel 0,
//! stdout 1, stderr 2, the exit status on 3 exactly as the kubelet sends it, terminal resize on 4, and
//! (v5) stdin end-of-file as `[255, 0]`. Commands run on a pty when `tty` is asked for.

use std::sync::Arc;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use bytes::Bytes;
use futures::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};
use tokio::sync::{broadcast, mpsc};

use crate::faults;
use crate::logs::{self, LogFile};
use crate::process::{self, ProcessSpec, exit_code};

const STDIN: u8 = 0;
const STDOUT: u8 = 1;
const STDERR: u8 = 2;
const STATUS: u8 = 3;
const RESIZE: u8 = 4;
const CLOSE: u8 = 255;

/// What an exec request asks for.
#[derive(Debug, Clone)]
pub struct ExecRequest {
    /// The argv (empty for attach).
    pub command: Vec<String>,
    /// Whether stdin is attached.
    pub stdin: bool,
    /// Whether stdout is wanted.
    pub stdout: bool,
    /// Whether stderr is wanted (ignored under a tty, where it merges into stdout).
    pub stderr: bool,
    /// Whether to run on a pty.
    pub tty: bool,
    /// How to start processes in the container.
    pub process: ProcessSpec,
}

/// The status frame for an exit code, exactly as the kubelet words it.
pub fn exit_status(command: &[String], code: i32) -> Value {
    if code == 0 {
        return json!({"metadata": {}, "status": "Success"});
    }
    json!({
        "metadata": {},
        "status": "Failure",
        "message": format!(
            "command terminated with non-zero exit code: error executing command [{}], exit code {code}",
            command.join(" ")
        ),
        "reason": "NonZeroExitCode",
        "details": {"causes": [{"reason": "ExitCode", "message": code.to_string()}]},
    })
}

fn frame(channel: u8, data: &[u8]) -> Message {
    let mut bytes = Vec::with_capacity(data.len() + 1);
    bytes.push(channel);
    bytes.extend_from_slice(data);
    Message::Binary(Bytes::from(bytes))
}

async fn pump_output(mut reader: impl AsyncRead + Unpin, channel: u8, out: mpsc::Sender<Message>) {
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        match reader.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                if out.send(frame(channel, &buffer[..n])).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Input from the client, decoded from its channel frames.
enum Input {
    Stdin(Vec<u8>),
    Resize(u16, u16),
    CloseStdin,
}

/// Reads client frames until the client leaves. Text frames carry channel data too (the Python client
/// sends them).
async fn read_input(
    mut stream: futures::stream::SplitStream<WebSocket>,
    v5: bool,
    input: mpsc::Sender<Input>,
) {
    while let Some(Ok(message)) = stream.next().await {
        let data: Vec<u8> = match message {
            Message::Binary(b) => b.to_vec(),
            Message::Text(t) => t.as_bytes().to_vec(),
            Message::Close(_) => return,
            Message::Ping(_) | Message::Pong(_) => continue,
        };
        let Some((&channel, payload)) = data.split_first() else { continue };
        let decoded = match channel {
            STDIN => Input::Stdin(payload.to_vec()),
            RESIZE => {
                let Ok(size) = serde_json::from_slice::<Value>(payload) else { continue };
                let width = size["Width"].as_u64().and_then(|w| u16::try_from(w).ok()).unwrap_or(80);
                let height = size["Height"].as_u64().and_then(|h| u16::try_from(h).ok()).unwrap_or(24);
                Input::Resize(width, height)
            }
            CLOSE if v5 && payload.first() == Some(&STDIN) => Input::CloseStdin,
            _ => continue,
        };
        if input.send(decoded).await.is_err() {
            return;
        }
    }
}

/// The running process of an exec, whichever way it was started.
enum Process {
    Piped(tokio::process::Child),
    Pty(tokio::process::Child, pty_process::OwnedWritePty),
}

/// The stdin of a piped process, when it has one.
type Stdin = Option<Box<dyn AsyncWrite + Send + Unpin>>;

/// Starts the exec's process from the spawner thread (see `process::spawn`), so that it dies with
/// kubegate.
async fn spawn(
    request: &ExecRequest,
    out: &mpsc::Sender<Message>,
    size: Option<(u16, u16)>,
) -> std::io::Result<(Process, Stdin, i32)> {
    let (program, args, dir) = request.process.invocation(&request.command, request.tty);
    if request.tty {
        let (pty, pts) = pty_process::open().map_err(std::io::Error::other)?;
        let (cols, rows) = size.unwrap_or((80, 24));
        pty.resize(pty_process::Size::new(rows, cols)).map_err(std::io::Error::other)?;
        let mut command = pty_process::Command::new(&program)
            .args(&args)
            .env_clear()
            .envs(request.process.env.iter().map(|(k, v)| (k, v)))
            .env("TERM", "xterm")
            .kill_on_drop(true);
        if let Some(dir) = dir {
            command = command.current_dir(dir);
        }
        let child = process::spawn_pty(command, pts).await?;
        let pid = child.id().and_then(|p| i32::try_from(p).ok()).unwrap_or(0);
        let (read, write) = pty.into_split();
        tokio::spawn(pump_output(read, STDOUT, out.clone()));
        return Ok((Process::Pty(child, write), None, pid));
    }
    let mut command = tokio::process::Command::new(&program);
    command.args(&args).env_clear().envs(request.process.env.iter().map(|(k, v)| (k, v)));
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    command
        .stdin(if request.stdin { std::process::Stdio::piped() } else { std::process::Stdio::null() })
        .stdout(if request.stdout { std::process::Stdio::piped() } else { std::process::Stdio::null() })
        .stderr(if request.stderr { std::process::Stdio::piped() } else { std::process::Stdio::null() })
        .process_group(0)
        .kill_on_drop(true);
    let mut child = process::spawn(command, process::PidNamespace::Own).await?;
    let pid = child.id().and_then(|p| i32::try_from(p).ok()).unwrap_or(0);
    if let Some(stdout) = child.stdout.take() {
        tokio::spawn(pump_output(stdout, STDOUT, out.clone()));
    }
    if let Some(stderr) = child.stderr.take() {
        tokio::spawn(pump_output(stderr, STDERR, out.clone()));
    }
    let stdin = child.stdin.take().map(|s| Box::new(s) as Box<dyn AsyncWrite + Send + Unpin>);
    Ok((Process::Piped(child), stdin, pid))
}

async fn close(mut sink: futures::stream::SplitSink<WebSocket, Message>, status: Option<Value>) {
    if let Some(status) = status {
        let _ = sink.send(frame(STATUS, status.to_string().as_bytes())).await;
    }
    let _ = sink.send(Message::Close(Some(CloseFrame { code: 1000, reason: "".into() }))).await;
    let _ = sink.flush().await;
}

/// Runs an exec session to its end.
pub async fn run(socket: WebSocket, v5: bool, request: ExecRequest, mut cut: broadcast::Receiver<()>) {
    let (sink, stream) = socket.split();
    let (out_tx, mut out_rx) = mpsc::channel::<Message>(16);
    let (input_tx, mut input_rx) = mpsc::channel::<Input>(16);
    let reader = tokio::spawn(read_input(stream, v5, input_tx));
    // A terminal client sends its size first; waiting briefly for it lets the command start at that size
    // instead of 80x24 (input that arrives meanwhile is kept and delivered after the start).
    let mut early = Vec::new();
    let mut initial_size = None;
    if request.tty {
        let wait = tokio::time::sleep(std::time::Duration::from_millis(150));
        tokio::pin!(wait);
        loop {
            tokio::select! {
                () = &mut wait => break,
                message = input_rx.recv() => match message {
                    Some(Input::Resize(w, h)) => { initial_size = Some((w, h)); break; }
                    Some(other) => early.push(other),
                    None => break,
                },
            }
        }
    }
    let (mut process, mut stdin, pid) = match spawn(&request, &out_tx, initial_size).await {
        Ok(spawned) => spawned,
        Err(e) => {
            let code = if e.kind() == std::io::ErrorKind::NotFound { 127 } else { 126 };
            let mut sink = sink;
            let message = format!("exec: {:?}: {e}\n", request.command.first().map_or("", String::as_str));
            let _ = sink.send(frame(STDERR, message.as_bytes())).await;
            reader.abort();
            return close(sink, Some(exit_status(&request.command, code))).await;
        }
    };
    drop(out_tx);
    for input in early {
        if let Input::Stdin(bytes) = input {
            let writer: Option<&mut (dyn AsyncWrite + Send + Unpin)> = match &mut process {
                Process::Pty(_, pty) => Some(pty),
                Process::Piped(_) => stdin.as_deref_mut(),
            };
            if let Some(writer) = writer {
                let _ = writer.write_all(&bytes).await;
            }
        }
    }
    let mut sink = sink;
    let mut client_gone = false;
    let mut output_done = false;
    loop {
        tokio::select! {
            message = out_rx.recv(), if !output_done => match message {
                Some(message) => {
                    if sink.send(message).await.is_err() {
                        client_gone = true;
                        break;
                    }
                }
                None => output_done = true,
            },
            input = input_rx.recv(), if !client_gone => match input {
                Some(Input::Stdin(bytes)) => {
                    let writer: Option<&mut (dyn AsyncWrite + Send + Unpin)> = match &mut process {
                        Process::Pty(_, pty) => Some(pty),
                        Process::Piped(_) => stdin.as_deref_mut(),
                    };
                    if let Some(writer) = writer {
                        let _ = writer.write_all(&bytes).await;
                        let _ = writer.flush().await;
                    }
                }
                Some(Input::Resize(width, height)) => {
                    if let Process::Pty(_, pty) = &process {
                        let _ = pty.resize(pty_process::Size::new(height, width));
                    }
                }
                Some(Input::CloseStdin) => match &mut process {
                    // A terminal has no end of file; the line discipline's EOF character is what a shell reads.
                    Process::Pty(_, pty) => { let _ = pty.write_all(&[4]).await; }
                    Process::Piped(_) => stdin = None,
                },
                None => {
                    client_gone = true;
                    break;
                }
            },
            () = faults::fired(&mut cut) => {
                // An injected connection drop: no status, no close frame.
                kill(pid);
                reader.abort();
                return;
            }
        }
        if output_done {
            break;
        }
    }
    if client_gone {
        kill(pid);
        reader.abort();
        return;
    }
    let child = match &mut process {
        Process::Piped(child) | Process::Pty(child, _) => child,
    };
    let status = child.wait().await.ok();
    reader.abort();
    close(sink, Some(exit_status(&request.command, exit_code(status)))).await;
}

/// Kills an exec's process group (nothing for an unknown pid, 0: see `process::signal_group`).
fn kill(pid: i32) {
    process::signal_group(pid, nix::sys::signal::Signal::SIGKILL);
}

/// Attaches to a container's running process: its new output, and its stdin when the container keeps
/// one open. Ends with the container's exit status when it exits. Gives stdin back for a later attach.
pub async fn attach(
    socket: WebSocket,
    v5: bool,
    request: ExecRequest,
    file: Option<LogFile>,
    mut stdin: Option<tokio::process::ChildStdin>,
    mut cut: broadcast::Receiver<()>,
    exit: Arc<dyn Fn() -> Option<i32> + Send + Sync>,
) -> Option<tokio::process::ChildStdin> {
    let (mut sink, stream) = socket.split();
    let Some(file) = file else {
        close(
            sink,
            Some(json!({"metadata": {}, "status": "Failure", "message": "the container has no output yet"})),
        )
        .await;
        return stdin;
    };
    let options = logs::Options { tail_lines: Some(0), follow: true, ..logs::Options::default() };
    let mut output = logs::stream(file, options, std::future::pending());
    let (input_tx, mut input_rx) = mpsc::channel::<Input>(16);
    let reader = tokio::spawn(read_input(stream, v5, input_tx));
    let mut client_gone = false;
    loop {
        tokio::select! {
            chunk = output.recv() => match chunk {
                Some(Ok(bytes)) if request.stdout => {
                    if sink.send(frame(STDOUT, &bytes)).await.is_err() { client_gone = true; break; }
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break,
            },
            input = input_rx.recv(), if !client_gone => match input {
                Some(Input::Stdin(bytes)) if request.stdin => {
                    if let Some(writer) = stdin.as_mut() {
                        let _ = writer.write_all(&bytes).await;
                        let _ = writer.flush().await;
                    }
                }
                Some(Input::CloseStdin) => stdin = None,
                Some(_) => {}
                None => { client_gone = true; break; }
            },
            () = faults::fired(&mut cut) => { reader.abort(); return stdin; }
        }
    }
    reader.abort();
    if !client_gone {
        // The container exited: give the kubelet a moment to record its exit code.
        let mut code = None;
        for _ in 0..50 {
            code = exit();
            if code.is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let status = code.map(|c| exit_status(&request.command, c));
        close(sink, status).await;
    }
    stdin
}
