//! `kubegate.v1.ClusterService`: connection settings and the connection test.

use kubegate_proto::v1::cluster_service_server::ClusterService;
use kubegate_proto::v1::*;
use tonic::{Request, Response, Status};

use crate::settings::{Quantities, Resources, Settings};
use crate::state::State;

/// The ClusterService handlers.
#[derive(Clone)]
pub struct ClusterApi {
    state: State,
}

impl ClusterApi {
    /// Handlers over the shared service state.
    pub fn new(state: State) -> Self {
        Self { state }
    }
}

fn to_proto(s: &Settings) -> ClusterSettings {
    let q = |q: &Quantities| ResourceQuantities {
        cpu: q.cpu.clone(),
        memory: q.memory.clone(),
        ephemeral_storage: q.ephemeral_storage.clone(),
    };
    ClusterSettings {
        enabled: s.enabled,
        namespace: s.namespace.clone(),
        kubeconfig_path: s.kubeconfig_path.clone(),
        allowed_namespaces: s.allowed_namespaces.clone(),
        allowed_host_path_prefixes: s.allowed_host_path_prefixes.clone(),
        default_resources: Some(ResourceRequirements {
            requests: Some(q(&s.default_resources.requests)),
            limits: Some(q(&s.default_resources.limits)),
        }),
        cleanup_max_age: Some(prost_types::Duration {
            seconds: i64::try_from(s.cleanup_max_age_seconds).unwrap_or(i64::MAX),
            nanos: 0,
        }),
    }
}

const FIELDS: [&str; 7] = [
    "enabled",
    "namespace",
    "kubeconfig_path",
    "allowed_namespaces",
    "allowed_host_path_prefixes",
    "default_resources",
    "cleanup_max_age",
];

/// Applies the masked fields of `new` onto `current`.
fn apply(current: &Settings, new: &ClusterSettings, mask: &[String]) -> Result<Settings, crate::Error> {
    for path in mask {
        if !FIELDS.contains(&path.as_str()) {
            return Err(crate::Error::invalid(
                "update_mask",
                format!("{path:?} is not a settings field; use one of {}", FIELDS.join(", ")),
            ));
        }
    }
    let all = mask.is_empty();
    let wants = |field: &str| all || mask.iter().any(|m| m == field);
    let mut s = current.clone();
    if wants("enabled") {
        s.enabled = new.enabled;
    }
    if wants("namespace") {
        s.namespace = new.namespace.clone();
    }
    if wants("kubeconfig_path") {
        s.kubeconfig_path = new.kubeconfig_path.clone();
    }
    if wants("allowed_namespaces") {
        s.allowed_namespaces = new.allowed_namespaces.clone();
    }
    if wants("allowed_host_path_prefixes") {
        s.allowed_host_path_prefixes = new.allowed_host_path_prefixes.clone();
    }
    if wants("default_resources") {
        let q = |q: Option<&ResourceQuantities>| {
            let q = q.cloned().unwrap_or_default();
            Quantities { cpu: q.cpu, memory: q.memory, ephemeral_storage: q.ephemeral_storage }
        };
        let r = new.default_resources.clone().unwrap_or_default();
        s.default_resources = Resources { requests: q(r.requests.as_ref()), limits: q(r.limits.as_ref()) };
    }
    if wants("cleanup_max_age") {
        match &new.cleanup_max_age {
            Some(d) if d.seconds > 0 => s.cleanup_max_age_seconds = d.seconds.unsigned_abs(),
            Some(_) => {
                return Err(crate::Error::invalid("settings.cleanup_max_age", "must be at least one second"));
            }
            None if all => s.cleanup_max_age_seconds = crate::settings::DEFAULT_CLEANUP_MAX_AGE_SECONDS,
            None => {
                return Err(crate::Error::invalid(
                    "settings.cleanup_max_age",
                    "is named in the mask but not set",
                ));
            }
        }
    }
    Ok(s)
}

#[tonic::async_trait]
impl ClusterService for ClusterApi {
    #[tracing::instrument(skip_all)]
    async fn get_cluster_settings(
        &self,
        _: Request<GetClusterSettingsRequest>,
    ) -> Result<Response<GetClusterSettingsResponse>, Status> {
        let settings = self.state.settings().await;
        let settings_path = self.state.settings_path().map(|p| p.display().to_string()).unwrap_or_default();
        Ok(Response::new(GetClusterSettingsResponse { settings: Some(to_proto(&settings)), settings_path }))
    }

    #[tracing::instrument(skip_all)]
    async fn update_cluster_settings(
        &self,
        request: Request<UpdateClusterSettingsRequest>,
    ) -> Result<Response<UpdateClusterSettingsResponse>, Status> {
        let r = request.into_inner();
        let new = r.settings.ok_or_else(|| crate::Error::invalid("settings", "is required"))?;
        let mask = r.update_mask.map(|m| m.paths).unwrap_or_default();
        let merged = apply(&self.state.settings().await, &new, &mask)?;
        let applied = self.state.replace_settings(merged).await?;
        Ok(Response::new(UpdateClusterSettingsResponse { settings: Some(to_proto(&applied)) }))
    }

    #[tracing::instrument(skip_all)]
    async fn test_connection(
        &self,
        request: Request<TestConnectionRequest>,
    ) -> Result<Response<TestConnectionResponse>, Status> {
        let r = request.into_inner();
        Ok(Response::new(crate::diagnose::test_connection(&self.state, &r.namespace).await?))
    }
}
