//! Per-caller caps on what a caller can keep open: watches, followed logs and test runs. A caller is
//! known by a fingerprint of the token it presented (never the token), so one holder of a token cannot
//! take every stream the service can hold. Over the cap a call is RESOURCE_EXHAUSTED (REST: 429) with a
//! `retry-after` hint.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Who is calling, as far as quotas and the audit trail are concerned: a fingerprint of the token.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Caller(pub String);

/// What a permit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// An open pod watch.
    Watch,
    /// A followed log.
    Follow,
    /// A running test run.
    TestRun,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Self::Watch => "open pod watches",
            Self::Follow => "followed logs",
            Self::TestRun => "running test runs",
        }
    }
}

/// The caps, per caller.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Open pod watches.
    pub watches: usize,
    /// Followed logs.
    pub follows: usize,
    /// Running test runs.
    pub test_runs: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { watches: 64, follows: 64, test_runs: 16 }
    }
}

/// The counters behind the caps.
#[derive(Debug, Default)]
pub struct Quotas {
    limits: Limits,
    used: Mutex<HashMap<(Caller, Kind), usize>>,
}

/// One unit of a caller's quota, returned when dropped (the stream ended or the call finished).
#[derive(Debug)]
pub struct Permit {
    quotas: Arc<Quotas>,
    key: (Caller, Kind),
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut used = self.quotas.used.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = used.get_mut(&self.key) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                used.remove(&self.key);
            }
        }
    }
}

impl Quotas {
    /// Counters with these caps.
    pub fn new(limits: Limits) -> Arc<Self> {
        Arc::new(Self { limits, used: Mutex::new(HashMap::new()) })
    }

    /// Takes one unit of `kind` for `caller`, or RESOURCE_EXHAUSTED when the caller holds its cap.
    pub fn acquire(self: &Arc<Self>, caller: &Caller, kind: Kind) -> Result<Permit, tonic::Status> {
        let cap = match kind {
            Kind::Watch => self.limits.watches,
            Kind::Follow => self.limits.follows,
            Kind::TestRun => self.limits.test_runs,
        };
        let key = (caller.clone(), kind);
        let mut used = self.used.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let count = used.entry(key.clone()).or_insert(0);
        if *count >= cap {
            let mut status = tonic::Status::resource_exhausted(format!(
                "this caller already has {cap} {}, the most allowed; end one and retry",
                kind.describe()
            ));
            status.metadata_mut().insert("retry-after", tonic::metadata::MetadataValue::from_static("5"));
            return Err(status);
        }
        *count += 1;
        Ok(Permit { quotas: self.clone(), key })
    }
}

/// The caller a request carries (the access layer puts it there); anonymous without authentication.
pub fn caller_of<T>(request: &tonic::Request<T>) -> Caller {
    request.extensions().get::<Caller>().cloned().unwrap_or_else(|| Caller("anonymous".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caller_is_capped_and_gets_its_unit_back_when_a_stream_ends() {
        let quotas = Quotas::new(Limits { watches: 2, follows: 1, test_runs: 1 });
        let alice = Caller("alice".into());
        let bob = Caller("bob".into());
        let first = quotas.acquire(&alice, Kind::Watch).expect("first");
        let _second = quotas.acquire(&alice, Kind::Watch).expect("second");
        let refused = quotas.acquire(&alice, Kind::Watch).expect_err("third");
        assert_eq!(refused.code(), tonic::Code::ResourceExhausted);
        assert_eq!(refused.metadata().get("retry-after").and_then(|v| v.to_str().ok()), Some("5"));
        assert!(quotas.acquire(&bob, Kind::Watch).is_ok(), "another caller has its own cap");
        assert!(quotas.acquire(&alice, Kind::Follow).is_ok(), "another kind has its own cap");
        drop(first);
        assert!(quotas.acquire(&alice, Kind::Watch).is_ok(), "a unit comes back when its stream ends");
    }
}
