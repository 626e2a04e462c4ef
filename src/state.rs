//! The state every handler shares: the configured namespace and the current Kubernetes connection.

use std::sync::Arc;

use tokio::sync::RwLock;

use crate::connection::{ConnectError, Source};

/// The Kubernetes connection in force: a client, or why there is none.
#[derive(Clone)]
pub struct Connection {
    /// Where the credentials came from, when they could be resolved.
    pub source: Option<Source>,
    /// The client, or the reason it could not be built.
    pub client: Result<kube::Client, ConnectError>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("source", &self.source)
            .field("connected", &self.client.is_ok())
            .finish()
    }
}

impl Connection {
    /// Resolves credentials and builds a client; failures are kept, not raised, so the service still starts.
    pub async fn establish(explicit: Option<&std::path::Path>) -> Self {
        match crate::connection::resolve_source(explicit) {
            Ok(source) => {
                let client = crate::connection::connect(&source).await;
                Self { source: Some(source), client }
            }
            Err(e) => Self { source: None, client: Err(e) },
        }
    }

    /// A connection through an existing client (the embedded cluster, tests).
    pub fn with_client(client: kube::Client) -> Self {
        Self { source: None, client: Ok(client) }
    }
}

/// Shared, cheaply cloned service state.
#[derive(Clone, Debug)]
pub struct State {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    namespace: RwLock<String>,
    connection: RwLock<Connection>,
}

impl State {
    /// State with a default namespace and a connection.
    pub fn new(namespace: String, connection: Connection) -> Self {
        Self {
            inner: Arc::new(Inner { namespace: RwLock::new(namespace), connection: RwLock::new(connection) }),
        }
    }

    /// The namespace requests that name none use.
    pub async fn namespace(&self) -> String {
        self.inner.namespace.read().await.clone()
    }

    /// The connection in force.
    pub async fn connection(&self) -> Connection {
        self.inner.connection.read().await.clone()
    }
}
