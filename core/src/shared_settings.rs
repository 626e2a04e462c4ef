//! Settings shared by replicas in a ConfigMap (`--settings-configmap NAME`, key `settings.json`, in
//! kubegate's own namespace): written with the resourceVersion last read, so a change made meanwhile by
//! another replica is never overwritten (the update is refused with ABORTED, to be retried on the new
//! settings), and watched, so every replica puts a change in force as soon as it is written.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt as _;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, ObjectMeta, PostParams};
use kube::runtime::watcher;
use tokio_util::sync::CancellationToken;

use crate::error::{Error, Result};
use crate::settings::Settings;

/// The key of the settings in the ConfigMap.
pub const KEY: &str = "settings.json";

/// The ConfigMap holding the settings, and the version this replica last read or wrote.
#[derive(Debug)]
pub struct SharedSettings {
    api: Api<ConfigMap>,
    name: String,
    version: Mutex<Option<String>>,
}

fn parse(config_map: &ConfigMap, name: &str) -> Result<Settings> {
    let text = config_map
        .data
        .as_ref()
        .and_then(|d| d.get(KEY))
        .ok_or_else(|| Error::FailedPrecondition(format!("the ConfigMap {name} has no key {KEY}")))?;
    let settings: Settings = serde_json::from_str(text).map_err(|e| {
        Error::FailedPrecondition(format!("the settings in the ConfigMap {name} are not valid: {e}"))
    })?;
    crate::policy::validate(&settings)?;
    Ok(settings)
}

impl SharedSettings {
    /// The ConfigMap `name` in `namespace`.
    pub fn new(client: kube::Client, namespace: &str, name: &str) -> Arc<Self> {
        Arc::new(Self {
            api: Api::namespaced(client, namespace),
            name: name.to_string(),
            version: Mutex::new(None),
        })
    }

    fn remember(&self, config_map: &ConfigMap) {
        if let Ok(mut version) = self.version.lock() {
            *version = config_map.metadata.resource_version.clone();
        }
    }

    fn known(&self) -> Option<String> {
        self.version.lock().ok().and_then(|v| v.clone())
    }

    /// The settings in the ConfigMap, or `None` when it does not exist yet; checked as an API update is.
    pub async fn load(&self) -> Result<Option<Settings>> {
        let Some(config_map) = self.api.get_opt(&self.name).await? else { return Ok(None) };
        let settings = parse(&config_map, &self.name)?;
        self.remember(&config_map);
        Ok(Some(settings))
    }

    /// Writes `settings`, unless another replica changed them since this one last read them: then
    /// ABORTED, and nothing is written.
    pub async fn save(&self, settings: &Settings) -> Result<()> {
        let json = serde_json::to_string_pretty(settings).map_err(|e| Error::Internal(e.to_string()))?;
        let config_map = ConfigMap {
            metadata: ObjectMeta {
                name: Some(self.name.clone()),
                resource_version: self.known(),
                labels: Some([("app.kubernetes.io/name".to_string(), "kubegate".to_string())].into()),
                ..Default::default()
            },
            data: Some([(KEY.to_string(), json)].into()),
            ..Default::default()
        };
        let written = match self.known() {
            Some(_) => self.api.replace(&self.name, &PostParams::default(), &config_map).await,
            None => self.api.create(&PostParams::default(), &config_map).await,
        };
        match written {
            Ok(written) => {
                self.remember(&written);
                Ok(())
            }
            Err(kube::Error::Api(status)) if status.code == 409 => Err(Error::Conflict(format!(
                "the settings were changed by another replica meanwhile (ConfigMap {}); read them and try again",
                self.name
            ))),
            Err(e) => Err(e.into()),
        }
    }

    /// Puts every change another replica writes in force here through `adopt`, until `stop`.
    pub fn follow(
        self: Arc<Self>,
        adopt: impl Fn(Settings) -> futures::future::BoxFuture<'static, Result<()>> + Send + 'static,
        stop: CancellationToken,
    ) {
        tokio::spawn(async move {
            let config = watcher::Config::default().fields(&format!("metadata.name={}", self.name));
            let mut events = std::pin::pin!(watcher(self.api.clone(), config));
            loop {
                let event = tokio::select! {
                    event = events.next() => event,
                    () = stop.cancelled() => return,
                };
                let config_map = match event {
                    Some(Ok(watcher::Event::Apply(cm) | watcher::Event::InitApply(cm))) => cm,
                    Some(Ok(_)) => continue,
                    Some(Err(e)) => {
                        tracing::debug!(error = %e, "watching the shared settings; resuming");
                        tokio::time::sleep(Duration::from_millis(500)).await;
                        continue;
                    }
                    None => return,
                };
                // This replica's own write, or a version already in force.
                if config_map.metadata.resource_version == self.known() {
                    continue;
                }
                match parse(&config_map, &self.name) {
                    Ok(settings) => match adopt(settings).await {
                        Ok(()) => {
                            self.remember(&config_map);
                            tracing::info!(configmap = %self.name, "settings changed by another replica are in force");
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "the shared settings cannot be put in force here")
                        }
                    },
                    Err(e) => {
                        tracing::warn!(error = %e, "the shared settings were changed to something invalid; keeping the current ones")
                    }
                }
            }
        });
    }
}
