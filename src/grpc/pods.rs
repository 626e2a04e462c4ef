//! `kubegate.v1.PodService`.

use futures::StreamExt as _;
use kubegate_proto::v1::pod_service_server::PodService;
use kubegate_proto::v1::*;
use tonic::{Request, Response, Status};

use super::status::{Grpc as _, ResponseStream};
use kubegate_core::state::State;
use std::sync::Arc;

use crate::quota::{Kind, Quotas, caller_of};

/// The PodService handlers.
#[derive(Clone)]
pub struct PodApi {
    state: State,
    quotas: Arc<Quotas>,
}

impl PodApi {
    /// Handlers over the shared service state, with per-caller caps on what stays open.
    pub fn new(state: State, quotas: Arc<Quotas>) -> Self {
        Self { state, quotas }
    }
}

#[tonic::async_trait]
impl PodService for PodApi {
    #[tracing::instrument(skip_all, fields(pod = request.get_ref().pod.as_ref().map(|p| p.name.as_str())))]
    async fn create_pod(
        &self,
        request: Request<CreatePodRequest>,
    ) -> Result<Response<CreatePodResponse>, Status> {
        let who = crate::audit::Who::of(&request);
        let r = request.into_inner();
        let (namespace, name) =
            r.pod.as_ref().map(|p| (p.namespace.clone(), p.name.clone())).unwrap_or_default();
        let dry_run = r.validate_only;
        let pod = kubegate_core::pods::create(&self.state, r).await.grpc();
        if !dry_run {
            who.call("/kubegate.v1.PodService/CreatePod", &namespace, &name, &pod);
        }
        Ok(Response::new(CreatePodResponse { pod: Some(pod?) }))
    }

    #[tracing::instrument(skip_all, fields(pod = %request.get_ref().name))]
    async fn get_pod(&self, request: Request<GetPodRequest>) -> Result<Response<GetPodResponse>, Status> {
        let r = request.into_inner();
        let (pod, object_json) = kubegate_core::pods::get(&self.state, &r.namespace, &r.name).await.grpc()?;
        Ok(Response::new(GetPodResponse { pod: Some(pod), object_json }))
    }

    #[tracing::instrument(skip_all)]
    async fn list_pods(
        &self,
        request: Request<ListPodsRequest>,
    ) -> Result<Response<ListPodsResponse>, Status> {
        Ok(Response::new(kubegate_core::pods::list(&self.state, request.into_inner()).await.grpc()?))
    }

    #[tracing::instrument(skip_all, fields(pod = %request.get_ref().name))]
    async fn delete_pod(
        &self,
        request: Request<DeletePodRequest>,
    ) -> Result<Response<DeletePodResponse>, Status> {
        let who = crate::audit::Who::of(&request);
        let r = request.into_inner();
        let (namespace, name) = (r.namespace.clone(), r.name.clone());
        let deleted = kubegate_core::pods::delete(&self.state, r).await.grpc();
        who.call("/kubegate.v1.PodService/DeletePod", &namespace, &name, &deleted);
        deleted?;
        Ok(Response::new(DeletePodResponse {}))
    }

    type WatchPodsStream = ResponseStream<WatchPodsResponse>;

    #[tracing::instrument(skip_all)]
    async fn watch_pods(
        &self,
        request: Request<WatchPodsRequest>,
    ) -> Result<Response<Self::WatchPodsStream>, Status> {
        let permit = self.quotas.acquire(&caller_of(&request), Kind::Watch)?;
        let stream = kubegate_core::pods::watch(&self.state, request.into_inner()).await.grpc()?;
        let open = kubegate_metrics::global().opened("watches");
        // The permit lives as long as the stream: the caller's unit comes back when it ends or leaves.
        Ok(Response::new(Box::pin(stream.map(move |item| {
            let _held = (&permit, &open);
            item.map_err(super::status::status)
        }))))
    }

    #[tracing::instrument(skip_all)]
    async fn cleanup_pods(
        &self,
        request: Request<CleanupPodsRequest>,
    ) -> Result<Response<CleanupPodsResponse>, Status> {
        let who = crate::audit::Who::of(&request);
        let r = request.into_inner();
        let (namespace, dry_run) = (r.namespace.clone(), r.dry_run);
        let cleaned = kubegate_core::cleanup::cleanup(&self.state, r).await.grpc();
        if !dry_run {
            let deleted = cleaned.as_ref().map(|c| c.deleted_names.clone()).unwrap_or_default();
            let extra = serde_json::json!({"deleted": deleted});
            who.record(
                "/kubegate.v1.PodService/CleanupPods",
                &namespace,
                "",
                extra,
                crate::audit::outcome(&cleaned),
            );
        }
        Ok(Response::new(cleaned?))
    }

    #[tracing::instrument(skip_all, fields(pod = %request.get_ref().name))]
    async fn get_pod_logs(
        &self,
        request: Request<GetPodLogsRequest>,
    ) -> Result<Response<GetPodLogsResponse>, Status> {
        let content = kubegate_core::logs::get(&self.state, request.into_inner()).await.grpc()?;
        Ok(Response::new(GetPodLogsResponse { content }))
    }

    type FollowPodLogsStream = ResponseStream<FollowPodLogsResponse>;

    #[tracing::instrument(skip_all, fields(pod = %request.get_ref().name))]
    async fn follow_pod_logs(
        &self,
        request: Request<FollowPodLogsRequest>,
    ) -> Result<Response<Self::FollowPodLogsStream>, Status> {
        let permit = self.quotas.acquire(&caller_of(&request), Kind::Follow)?;
        let stream = kubegate_core::logs::follow(&self.state, request.into_inner()).await.grpc()?;
        let open = kubegate_metrics::global().opened("follows");
        Ok(Response::new(Box::pin(stream.map(move |item| {
            let _held = (&permit, &open);
            item.map_err(super::status::status)
        }))))
    }
}
