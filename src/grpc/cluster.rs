//! `kubegate.v1.ClusterService`: connection settings and the connection test.

use super::status::Grpc as _;
use kubegate_proto::v1::cluster_service_server::ClusterService;
use kubegate_proto::v1::*;
use tonic::{Request, Response, Status};

use kubegate_core::policy::Role;
use kubegate_core::settings::{apply_mask, to_proto};
use kubegate_core::state::State;

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
        // The access layer puts the caller's role on every request it lets through.
        let role = request.extensions().get::<Role>().copied().unwrap_or(Role::Caller);
        let who = crate::audit::Who::of(&request);
        let r = request.into_inner();
        let new = r
            .settings
            .ok_or_else(|| super::status::status(kubegate_core::Error::invalid("settings", "is required")))?;
        let mask = r.update_mask.map(|m| m.paths).unwrap_or_default();
        let fields = mask.clone();
        let applied = match apply_mask(&self.state.settings().await, &new, &mask).grpc() {
            Ok(merged) => self.state.replace_settings(merged, role).await.grpc(),
            Err(e) => Err(e),
        };
        let extra = serde_json::json!({"fields": fields});
        let method = "/kubegate.v1.ClusterService/UpdateClusterSettings";
        who.record(method, "", "settings", extra, crate::audit::outcome(&applied));
        let applied = applied?;
        Ok(Response::new(UpdateClusterSettingsResponse { settings: Some(to_proto(&applied)) }))
    }

    #[tracing::instrument(skip_all)]
    async fn test_connection(
        &self,
        request: Request<TestConnectionRequest>,
    ) -> Result<Response<TestConnectionResponse>, Status> {
        let r = request.into_inner();
        Ok(Response::new(kubegate_core::diagnose::test_connection(&self.state, &r.namespace).await.grpc()?))
    }
}
