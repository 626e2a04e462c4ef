//! What the embedded cluster has been asked: requests by verb and resource, and the watches open now,
//! so that tests can see what a client of it (kubegate) costs the API server.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// Requests served by verb and resource, and open watches by resource.
#[derive(Debug, Default)]
pub struct Traffic {
    requests: Mutex<HashMap<(String, String), u64>>,
    watches: Arc<Mutex<HashMap<String, usize>>>,
}

/// Holds one open watch in the count until dropped (when its response stream ends).
#[derive(Debug)]
pub struct OpenWatch {
    resource: String,
    watches: Arc<Mutex<HashMap<String, usize>>>,
}

impl Drop for OpenWatch {
    fn drop(&mut self) {
        let mut watches = self.watches.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(open) = watches.get_mut(&self.resource) {
            *open = open.saturating_sub(1);
        }
    }
}

impl Traffic {
    /// Counts a request (`verb` as RBAC names it: get, list, watch, create, …).
    pub(crate) fn record(&self, verb: &str, resource: &str) {
        let mut requests = self.requests.lock().unwrap_or_else(PoisonError::into_inner);
        *requests.entry((verb.to_string(), resource.to_string())).or_default() += 1;
    }

    /// Counts a watch of `resource` as open until the returned guard is dropped.
    pub(crate) fn watching(&self, resource: &str) -> OpenWatch {
        *self
            .watches
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(resource.to_string())
            .or_default() += 1;
        OpenWatch { resource: resource.to_string(), watches: self.watches.clone() }
    }

    /// How many `verb` requests on `resource` were served (or refused) so far.
    pub fn requests(&self, verb: &str, resource: &str) -> u64 {
        let requests = self.requests.lock().unwrap_or_else(PoisonError::into_inner);
        requests.get(&(verb.to_string(), resource.to_string())).copied().unwrap_or(0)
    }

    /// How many watches of `resource` are open now.
    pub fn open_watches(&self, resource: &str) -> usize {
        self.watches.lock().unwrap_or_else(PoisonError::into_inner).get(resource).copied().unwrap_or(0)
    }
}
