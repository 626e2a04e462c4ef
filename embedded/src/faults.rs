//! Fault injection for reliability tests: failing chosen requests, added latency, ending watches and
//! cutting exec and log streams. Switched on only through the Rust API of a running cluster, never by a
//! request from outside.

use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::broadcast;

/// A rule that makes matching requests fail.
#[derive(Debug, Clone)]
struct FailRule {
    method: Option<String>,
    path_contains: String,
    status: u16,
    remaining: Option<u32>,
}

/// What the embedded cluster does wrong on purpose.
#[derive(Debug)]
pub struct Faults {
    rules: Mutex<Vec<FailRule>>,
    latency: Mutex<Duration>,
    end_watches: broadcast::Sender<()>,
    cut_streams: broadcast::Sender<()>,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            rules: Mutex::new(Vec::new()),
            latency: Mutex::new(Duration::ZERO),
            end_watches: broadcast::channel(4).0,
            cut_streams: broadcast::channel(4).0,
        }
    }
}

impl Faults {
    /// Makes requests whose method matches (any when `None`) and whose path contains `path_contains`
    /// fail with `status`, `times` times (forever when `None`).
    pub fn fail_requests(&self, method: Option<&str>, path_contains: &str, status: u16, times: Option<u32>) {
        let rule = FailRule {
            method: method.map(str::to_ascii_uppercase),
            path_contains: path_contains.to_string(),
            status,
            remaining: times,
        };
        self.rules.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(rule);
    }

    /// Removes every failure rule and the added latency.
    pub fn clear(&self) {
        self.rules.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
        *self.latency.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Duration::ZERO;
    }

    /// Delays every request by `latency`.
    pub fn add_latency(&self, latency: Duration) {
        *self.latency.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = latency;
    }

    /// Ends every open watch cleanly, as a server-side timeout does.
    pub fn end_watches(&self) {
        let _ = self.end_watches.send(());
    }

    /// Cuts every open exec, attach and followed log stream without a status, as a dropped connection does.
    pub fn cut_streams(&self) {
        let _ = self.cut_streams.send(());
    }

    /// A receiver that fires when watches should end.
    pub(crate) fn watch_ender(&self) -> broadcast::Receiver<()> {
        self.end_watches.subscribe()
    }

    /// A receiver that fires when streams should be cut.
    pub(crate) fn stream_cutter(&self) -> broadcast::Receiver<()> {
        self.cut_streams.subscribe()
    }

    pub(crate) fn latency(&self) -> Duration {
        *self.latency.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The status a request must fail with, if a rule matches; uses up one of the rule's times.
    pub(crate) fn failure_for(&self, method: &str, path: &str) -> Option<u16> {
        let mut rules = self.rules.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let index = rules.iter().position(|r| {
            r.method.as_deref().is_none_or(|m| m == method)
                && path.contains(&r.path_contains)
                && r.remaining.is_none_or(|n| n > 0)
        })?;
        let rule = &mut rules[index];
        if let Some(n) = rule.remaining.as_mut() {
            *n -= 1;
        }
        Some(rule.status)
    }
}

/// Resolves when a broadcast fires (or its sender is gone, which never happens while the cluster runs).
pub async fn fired(receiver: &mut broadcast::Receiver<()>) {
    // Any outcome (a firing, a lag past one, a closed sender) means "now".
    let _ = receiver.recv().await;
}
