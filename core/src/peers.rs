//! The replicas of kubegate, as they announce themselves in the ConfigMap `kubegate-peers` of kubegate's
//! namespace (identity → gRPC URL). A replica relays a reattach to the replica that owns the session only
//! when that replica's URL is listed here: a session id names its owner, but a caller who forges one
//! cannot make kubegate connect anywhere else (callers cannot write this ConfigMap).

use std::sync::Arc;

use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, ObjectMeta, PostParams};

use crate::error::Result;

/// The ConfigMap's name.
pub const CONFIGMAP: &str = "kubegate-peers";

/// This replica's entry among the peers.
#[derive(Debug)]
pub struct Peers {
    api: Api<ConfigMap>,
    identity: String,
    url: String,
}

impl Peers {
    /// This replica (`identity`, reachable at `url`) among the peers listed in `namespace`.
    pub fn new(client: kube::Client, namespace: &str, identity: &str, url: &str) -> Arc<Self> {
        Arc::new(Self { api: Api::namespaced(client, namespace), identity: identity.into(), url: url.into() })
    }

    /// This replica's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Changes this replica's entry (`Some` URL: listed; `None`: removed), retrying on conflicts.
    async fn set(&self, url: Option<&str>) -> Result<()> {
        for _ in 0..8 {
            let existing = self.api.get_opt(CONFIGMAP).await?;
            let mut config_map = existing.clone().unwrap_or_else(|| ConfigMap {
                metadata: ObjectMeta {
                    name: Some(CONFIGMAP.into()),
                    labels: Some([("app.kubernetes.io/name".to_string(), "kubegate".to_string())].into()),
                    ..Default::default()
                },
                ..Default::default()
            });
            let data = config_map.data.get_or_insert_with(Default::default);
            match url {
                Some(url) => data.insert(self.identity.clone(), url.to_string()),
                None => data.remove(&self.identity),
            };
            let written = match existing {
                Some(_) => self.api.replace(CONFIGMAP, &PostParams::default(), &config_map).await,
                None => self.api.create(&PostParams::default(), &config_map).await,
            };
            match written {
                Ok(_) => return Ok(()),
                Err(kube::Error::Api(status)) if status.code == 409 => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(crate::Error::Conflict(format!("the ConfigMap {CONFIGMAP} kept changing; try again")))
    }

    /// Lists this replica.
    pub async fn register(&self) -> Result<()> {
        self.set(Some(&self.url.clone())).await
    }

    /// Removes this replica from the list (when it stops).
    pub async fn unregister(&self) -> Result<()> {
        self.set(None).await
    }

    /// Whether `url` is a listed replica.
    pub async fn knows(&self, url: &str) -> Result<bool> {
        let listed = self.api.get_opt(CONFIGMAP).await?;
        Ok(listed.and_then(|c| c.data).is_some_and(|d| d.values().any(|u| u == url)))
    }
}
