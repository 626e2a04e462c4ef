//! `kubegate.v1.PodService`.

use kubegate_proto::v1::pod_service_server::PodService;
use kubegate_proto::v1::*;
use tonic::{Request, Response, Status};

use super::{ResponseStream, not_built};
use crate::state::State;

/// The PodService handlers.
#[derive(Clone)]
pub struct PodApi {
    #[allow(dead_code)]
    state: State,
}

impl PodApi {
    /// Handlers over the shared service state.
    pub fn new(state: State) -> Self {
        Self { state }
    }
}

const PODS: &str = "pod management";
const LOGS: &str = "pod logs";

#[tonic::async_trait]
impl PodService for PodApi {
    async fn create_pod(&self, _: Request<CreatePodRequest>) -> Result<Response<CreatePodResponse>, Status> {
        not_built("CreatePod", PODS)
    }

    async fn get_pod(&self, _: Request<GetPodRequest>) -> Result<Response<GetPodResponse>, Status> {
        not_built("GetPod", PODS)
    }

    async fn list_pods(&self, _: Request<ListPodsRequest>) -> Result<Response<ListPodsResponse>, Status> {
        not_built("ListPods", PODS)
    }

    async fn delete_pod(&self, _: Request<DeletePodRequest>) -> Result<Response<DeletePodResponse>, Status> {
        not_built("DeletePod", PODS)
    }

    type WatchPodsStream = ResponseStream<WatchPodsResponse>;

    async fn watch_pods(
        &self,
        _: Request<WatchPodsRequest>,
    ) -> Result<Response<Self::WatchPodsStream>, Status> {
        not_built("WatchPods", PODS)
    }

    async fn cleanup_pods(
        &self,
        _: Request<CleanupPodsRequest>,
    ) -> Result<Response<CleanupPodsResponse>, Status> {
        not_built("CleanupPods", "pod cleanup")
    }

    async fn get_pod_logs(
        &self,
        _: Request<GetPodLogsRequest>,
    ) -> Result<Response<GetPodLogsResponse>, Status> {
        not_built("GetPodLogs", LOGS)
    }

    type FollowPodLogsStream = ResponseStream<FollowPodLogsResponse>;

    async fn follow_pod_logs(
        &self,
        _: Request<FollowPodLogsRequest>,
    ) -> Result<Response<Self::FollowPodLogsStream>, Status> {
        not_built("FollowPodLogs", LOGS)
    }
}
