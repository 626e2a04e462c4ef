//! Container logs on disk, one file per container run, in the CRI format the kubelet uses
//! (`<RFC3339Nano> <stream> <F|P> <content>`), so memory stays bounded however much a pod prints; and
//! reading them back with Kubernetes' log options, including `follow`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use tokio::io::{
    AsyncBufReadExt as _, AsyncRead, AsyncReadExt as _, AsyncSeekExt as _, AsyncWriteExt as _, BufReader,
};
use tokio::sync::{mpsc, watch};

use super::status::ApiError;

/// A line longer than this is written in parts marked `P`, as the kubelet does.
const MAX_LINE: usize = 16 * 1024;

/// Progress of one log file: bytes written so far and whether the run has ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Bytes in the file.
    pub written: u64,
    /// Whether no more will be written.
    pub finished: bool,
}

/// One container run's log file and its progress.
#[derive(Debug, Clone)]
pub struct LogFile {
    /// The file.
    pub path: PathBuf,
    /// Its progress, for followers.
    pub progress: watch::Receiver<Progress>,
}

/// The writing end of a log file: output of a process goes in through `sender`.
pub struct LogWriter {
    /// Chunks of output, tagged with their stream.
    pub sender: mpsc::Sender<(Stream, Bytes)>,
    /// Resolves when everything sent has been written and the file is finished.
    pub done: tokio::task::JoinHandle<()>,
}

/// Which stream output came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

impl Stream {
    fn tag(self) -> &'static str {
        match self {
            Self::Stdout => "stdout",
            Self::Stderr => "stderr",
        }
    }
}

/// The timestamp format of log lines: RFC 3339 with nanoseconds.
pub fn timestamp(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%S%.9fZ").to_string()
}

/// Creates a log file and the task writing to it.
pub async fn create(path: &Path) -> std::io::Result<(LogFile, LogWriter)> {
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir).await?;
    }
    let file = tokio::fs::File::create(path).await?;
    let (progress_tx, progress) = watch::channel(Progress::default());
    let (sender, mut receiver) = mpsc::channel::<(Stream, Bytes)>(64);
    let done = tokio::spawn(async move {
        let mut file = tokio::io::BufWriter::new(file);
        let mut written = 0u64;
        let mut pending: HashMap<&'static str, Vec<u8>> = HashMap::new();
        while let Some((stream, chunk)) = receiver.recv().await {
            let buffer = pending.entry(stream.tag()).or_default();
            buffer.extend_from_slice(&chunk);
            let mut out = Vec::new();
            while let Some(pos) = buffer.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = buffer.drain(..=pos).collect();
                encode(&mut out, stream, 'F', &line[..line.len() - 1]);
            }
            while buffer.len() >= MAX_LINE {
                let part: Vec<u8> = buffer.drain(..MAX_LINE).collect();
                encode(&mut out, stream, 'P', &part);
            }
            if write(&mut file, &out).await.is_err() {
                break;
            }
            written += out.len() as u64;
            progress_tx.send_replace(Progress { written, finished: false });
        }
        // Output that ended without a newline is kept as a partial line.
        let mut out = Vec::new();
        for (tag, rest) in pending {
            if !rest.is_empty() {
                let stream = if tag == "stdout" { Stream::Stdout } else { Stream::Stderr };
                encode(&mut out, stream, 'P', &rest);
            }
        }
        if write(&mut file, &out).await.is_ok() {
            written += out.len() as u64;
        }
        progress_tx.send_replace(Progress { written, finished: true });
    });
    Ok((LogFile { path: path.to_path_buf(), progress }, LogWriter { sender, done }))
}

async fn write(file: &mut tokio::io::BufWriter<tokio::fs::File>, bytes: &[u8]) -> std::io::Result<()> {
    file.write_all(bytes).await?;
    file.flush().await
}

fn encode(out: &mut Vec<u8>, stream: Stream, tag: char, content: &[u8]) {
    out.extend_from_slice(format!("{} {} {tag} ", timestamp(Utc::now()), stream.tag()).as_bytes());
    out.extend_from_slice(content);
    out.push(b'\n');
}

/// Copies a reader (a process pipe) into a log writer until end of file.
pub async fn pump(mut reader: impl AsyncRead + Unpin, stream: Stream, sender: mpsc::Sender<(Stream, Bytes)>) {
    let mut buffer = vec![0u8; 32 * 1024];
    loop {
        match reader.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                if sender.send((stream, Bytes::copy_from_slice(&buffer[..n]))).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// One entry of a log file.
struct Entry<'a> {
    time: &'a str,
    complete: bool,
    content: &'a [u8],
}

fn parse(line: &[u8]) -> Option<Entry<'_>> {
    let mut parts = line.splitn(4, |b| *b == b' ');
    let time = std::str::from_utf8(parts.next()?).ok()?;
    let _stream = parts.next()?;
    let tag = parts.next()?;
    let content = parts.next().unwrap_or_default();
    Some(Entry { time, complete: tag == b"F", content })
}

/// The log options of a request.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only the last this many lines.
    pub tail_lines: Option<usize>,
    /// Only lines at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Prefix each line with its timestamp.
    pub timestamps: bool,
    /// At most this many bytes.
    pub limit_bytes: Option<usize>,
    /// Keep streaming until the run ends.
    pub follow: bool,
}

impl Options {
    /// Parses the query of a `pods/log` request.
    pub fn from_query(query: &HashMap<String, String>) -> Result<Self, ApiError> {
        let number = |key: &str| -> Result<Option<i64>, ApiError> {
            query
                .get(key)
                .map(|v| {
                    v.parse::<i64>().map_err(|_| ApiError::bad_request(format!("{key}: invalid value {v:?}")))
                })
                .transpose()
        };
        let since = match (number("sinceSeconds")?, query.get("sinceTime")) {
            (Some(_), Some(_)) => {
                return Err(ApiError::bad_request(
                    "at most one of sinceTime or sinceSeconds may be specified",
                ));
            }
            (Some(seconds), None) if seconds < 1 => {
                return Err(ApiError::bad_request("sinceSeconds: must be greater than 0"));
            }
            (Some(seconds), None) => Some(Utc::now() - chrono::Duration::seconds(seconds)),
            (None, Some(time)) => Some(
                DateTime::parse_from_rfc3339(time)
                    .map_err(|_| ApiError::bad_request(format!("sinceTime: invalid time {time:?}")))?
                    .with_timezone(&Utc),
            ),
            (None, None) => None,
        };
        let tail_lines = match number("tailLines")? {
            Some(n) if n < 0 => {
                return Err(ApiError::bad_request("tailLines: must be greater than or equal to 0"));
            }
            Some(n) => Some(usize::try_from(n).unwrap_or(usize::MAX)),
            None => None,
        };
        let limit_bytes = match number("limitBytes")? {
            Some(n) if n < 1 => return Err(ApiError::bad_request("limitBytes: must be greater than 0")),
            Some(n) => Some(usize::try_from(n).unwrap_or(usize::MAX)),
            None => None,
        };
        let flag = |key: &str| query.get(key).is_some_and(|v| v == "true" || v == "1");
        Ok(Self { tail_lines, since, timestamps: flag("timestamps"), limit_bytes, follow: flag("follow") })
    }

    fn render(&self, entry: &Entry<'_>, out: &mut Vec<u8>) -> bool {
        if let Some(since) = self.since {
            match DateTime::parse_from_rfc3339(entry.time) {
                Ok(t) if t.with_timezone(&Utc) < since => return false,
                _ => {}
            }
        }
        if self.timestamps {
            out.extend_from_slice(entry.time.as_bytes());
            out.push(b' ');
        }
        out.extend_from_slice(entry.content);
        if entry.complete {
            out.push(b'\n');
        }
        true
    }
}

/// Reads the entries already in the file with the tail and since filters applied; returns the rendered
/// bytes and the file offset read up to.
async fn read_existing(path: &Path, options: &Options, upto: u64) -> std::io::Result<(Vec<u8>, u64)> {
    let file = tokio::fs::File::open(path).await?;
    let mut reader = BufReader::new(file).take(upto);
    let mut lines: std::collections::VecDeque<Vec<u8>> = std::collections::VecDeque::new();
    let mut consumed = 0u64;
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line).await?;
        if n == 0 || line.last() != Some(&b'\n') {
            break;
        }
        consumed += n as u64;
        let Some(entry) = parse(&line[..line.len() - 1]) else { continue };
        let mut rendered = Vec::new();
        if options.render(&entry, &mut rendered) {
            lines.push_back(rendered);
            if let Some(tail) = options.tail_lines {
                while lines.len() > tail {
                    lines.pop_front();
                }
            }
        }
    }
    Ok((lines.into_iter().flatten().collect(), consumed))
}

/// Streams a log: what is there, then (when following) what is written until the run finishes. The
/// stream ends early when `cut` fires. The channel is bounded: a slow reader slows the reading of the file,
/// not memory.
pub fn stream(
    file: LogFile,
    options: Options,
    cut: impl std::future::Future<Output = ()> + Send + 'static,
) -> mpsc::Receiver<Result<Bytes, std::io::Error>> {
    let (tx, rx) = mpsc::channel(16);
    tokio::spawn(async move {
        let mut progress = file.progress.clone();
        let snapshot = *progress.borrow_and_update();
        let mut budget = options.limit_bytes.unwrap_or(usize::MAX);
        let send = |bytes: Vec<u8>, budget: &mut usize| {
            let take = bytes.len().min(*budget);
            *budget -= take;
            Bytes::from(bytes).slice(..take)
        };
        let (existing, mut offset) = match read_existing(&file.path, &options, snapshot.written).await {
            Ok(read) => read,
            Err(e) => {
                let _ = tx.send(Err(e)).await;
                return;
            }
        };
        if !existing.is_empty() && tx.send(Ok(send(existing, &mut budget))).await.is_err() {
            return;
        }
        if !options.follow || budget == 0 {
            return;
        }
        tokio::pin!(cut);
        let Ok(mut reader) = tokio::fs::File::open(&file.path).await else { return };
        if reader.seek(std::io::SeekFrom::Start(offset)).await.is_err() {
            return;
        }
        let mut reader = BufReader::new(reader);
        let mut line = Vec::new();
        let follow_options = Options { tail_lines: None, ..options.clone() };
        loop {
            let current = *progress.borrow_and_update();
            while offset < current.written {
                line.clear();
                let Ok(n) = (&mut reader).take(current.written - offset).read_until(b'\n', &mut line).await
                else {
                    return;
                };
                if n == 0 || line.last() != Some(&b'\n') {
                    break;
                }
                offset += n as u64;
                let Some(entry) = parse(&line[..line.len() - 1]) else { continue };
                let mut rendered = Vec::new();
                if follow_options.render(&entry, &mut rendered) {
                    let chunk = send(rendered, &mut budget);
                    if tx.send(Ok(chunk)).await.is_err() || budget == 0 {
                        return;
                    }
                }
            }
            if current.finished && offset >= current.written {
                return;
            }
            tokio::select! {
                changed = progress.changed() => if changed.is_err() { return },
                () = &mut cut => {
                    let _ = tx.send(Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "log stream cut"))).await;
                    return;
                }
                () = tx.closed() => return,
            }
        }
    });
    rx
}

/// Shared, growing list of a container's runs' log files.
pub type Runs = Arc<std::sync::Mutex<Vec<LogFile>>>;
