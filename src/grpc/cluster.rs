//! `kubegate.v1.ClusterService`: connection settings and the connection test.

use kubegate_proto::v1::cluster_service_server::ClusterService;
use kubegate_proto::v1::*;
use tonic::{Request, Response, Status};

use super::not_built;
use crate::state::State;

/// The ClusterService handlers.
#[derive(Clone)]
pub struct ClusterApi {
    #[allow(dead_code)]
    state: State,
}

impl ClusterApi {
    /// Handlers over the shared service state.
    pub fn new(state: State) -> Self {
        Self { state }
    }
}

const SETTINGS: &str = "persisted cluster settings";

#[tonic::async_trait]
impl ClusterService for ClusterApi {
    async fn get_cluster_settings(
        &self,
        _: Request<GetClusterSettingsRequest>,
    ) -> Result<Response<GetClusterSettingsResponse>, Status> {
        not_built("GetClusterSettings", SETTINGS)
    }

    async fn update_cluster_settings(
        &self,
        _: Request<UpdateClusterSettingsRequest>,
    ) -> Result<Response<UpdateClusterSettingsResponse>, Status> {
        not_built("UpdateClusterSettings", SETTINGS)
    }

    async fn test_connection(
        &self,
        _: Request<TestConnectionRequest>,
    ) -> Result<Response<TestConnectionResponse>, Status> {
        not_built("TestConnection", "the connection test")
    }
}
