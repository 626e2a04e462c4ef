//! What every request handler shares.

use std::sync::Arc;

use crate::auth::User;
use crate::faults::Faults;
use crate::kubelet::Kubelet;
use crate::store::Store;

/// The state of a running cluster, shared by every request handler.
#[derive(Debug)]
pub struct Cluster {
    /// Every object, with its history for watches.
    pub store: Arc<Store>,
    /// The users bearer tokens authenticate.
    pub users: Vec<User>,
    /// Runs the pods; writes their status to the same store.
    pub kubelet: Kubelet,
    /// What goes wrong on purpose, for reliability tests.
    pub faults: Arc<Faults>,
    /// What has been asked, for tests.
    pub traffic: Arc<crate::traffic::Traffic>,
    /// `host:port` of the API server, as legacy discovery reports it.
    pub server_address: String,
}
