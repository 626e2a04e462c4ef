//! The audit trail (`--audit-log FILE|-`): one JSON line per mutating call and per exec start and end —
//! when, who (the fingerprint of the token, never the token), from where, which method, namespace and
//! object, for exec the argv and the exit code, and the outcome. Appended and flushed line by line to a
//! file created readable by its owner only (not followed if it is a link), which is rotated to `FILE.1`
//! when it passes its size limit; `-` writes to stdout.

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use serde_json::{Value, json};
use tonic::{Request, Status};

/// Where lines go.
enum Sink {
    Stdout,
    File { path: PathBuf, file: std::fs::File, written: u64, limit: u64 },
}

static TRAIL: OnceLock<Mutex<Sink>> = OnceLock::new();

fn open_file(path: &PathBuf) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
}

/// Starts the trail at `target` (a file, or `-` for stdout), rotating a file past `limit` bytes.
pub fn open(target: &str, limit: u64) -> anyhow::Result<()> {
    let sink = if target == "-" {
        Sink::Stdout
    } else {
        let path = PathBuf::from(target);
        let file =
            open_file(&path).map_err(|e| anyhow::anyhow!("cannot open the audit log {target}: {e}"))?;
        let written = file.metadata().map(|m| m.len()).unwrap_or(0);
        Sink::File { path, file, written, limit }
    };
    TRAIL.set(Mutex::new(sink)).map_err(|_| anyhow::anyhow!("the audit log is already open"))
}

fn write(line: &str) {
    let Some(trail) = TRAIL.get() else { return };
    let mut sink = trail.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let result = match &mut *sink {
        Sink::Stdout => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{line}").and_then(|()| out.flush())
        }
        Sink::File { path, file, written, limit } => {
            let result = writeln!(file, "{line}").and_then(|()| file.flush());
            *written += line.len() as u64 + 1;
            if *written > *limit {
                let rotated = path.with_extension(match path.extension() {
                    Some(ext) => format!("{}.1", ext.to_string_lossy()),
                    None => "1".to_string(),
                });
                match std::fs::rename(&*path, &rotated).and_then(|()| open_file(path)) {
                    Ok(fresh) => {
                        *file = fresh;
                        *written = 0;
                    }
                    Err(e) => tracing::warn!(error = %e, "cannot rotate the audit log"),
                }
            }
            result
        }
    };
    if let Err(e) = result {
        tracing::warn!(error = %e, "cannot write the audit log");
    }
}

/// Who made a call and from where, taken before the request is consumed.
#[derive(Debug, Clone)]
pub struct Who {
    caller: String,
    source: String,
}

impl Who {
    /// The caller (its token's fingerprint) and source address of `request`.
    pub fn of<T>(request: &Request<T>) -> Self {
        Self {
            caller: crate::quota::caller_of(request).0,
            source: request
                .extensions()
                .get::<Option<tonic::transport::server::TcpConnectInfo>>()
                .and_then(|info| info.as_ref()?.remote_addr())
                .map_or_else(|| "in-process gateway".to_string(), |a| a.to_string()),
        }
    }

    /// Records one event: `method`, the namespace and object it acted on, extra fields, and the outcome.
    pub fn record(&self, method: &str, namespace: &str, object: &str, extra: Value, outcome: &str) {
        if TRAIL.get().is_none() {
            return;
        }
        let mut line = json!({
            "time": jiff::Timestamp::now().to_string(),
            "caller": self.caller,
            "source": self.source,
            "method": method,
            "namespace": namespace,
            "object": object,
            "outcome": outcome,
        });
        if let (Some(line), Value::Object(extra)) = (line.as_object_mut(), extra) {
            line.extend(extra);
        }
        write(&line.to_string());
    }

    /// Records a call by its result.
    pub fn call<T>(&self, method: &str, namespace: &str, object: &str, result: &Result<T, Status>) {
        self.record(method, namespace, object, Value::Null, outcome(result));
    }
}

/// The outcome of a result: `OK` or the status code's name.
pub fn outcome<T>(result: &Result<T, Status>) -> &'static str {
    match result {
        Ok(_) => "OK",
        Err(status) => kubegate_proto::convert::code_name(status.code()),
    }
}
