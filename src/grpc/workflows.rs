//! `kubegate.v1.WorkflowService`: test runs at a commit, previews, image matching.

use kubegate_proto::v1::workflow_service_server::WorkflowService;
use kubegate_proto::v1::*;
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};

use super::status::{Grpc as _, ResponseStream};
use kubegate_core::state::State;
use std::sync::Arc;

use crate::quota::{Kind, Quotas, caller_of};
use kubegate_core::workflows::{self, previews, testrun};

/// The WorkflowService handlers.
#[derive(Clone)]
pub struct WorkflowApi {
    state: State,
    quotas: Arc<Quotas>,
}

impl WorkflowApi {
    /// Handlers over the shared service state, with per-caller caps on what stays open.
    pub fn new(state: State, quotas: Arc<Quotas>) -> Self {
        Self { state, quotas }
    }
}

#[tonic::async_trait]
impl WorkflowService for WorkflowApi {
    #[tracing::instrument(skip_all, fields(commit = %request.get_ref().commit))]
    async fn run_tests(
        &self,
        request: Request<RunTestsRequest>,
    ) -> Result<Response<RunTestsResponse>, Status> {
        let _permit = self.quotas.acquire(&caller_of(&request), Kind::TestRun)?;
        let who = crate::audit::Who::of(&request);
        let r = request.into_inner();
        let (namespace, name, commit, command) =
            (r.namespace.clone(), r.name.clone(), r.commit.clone(), r.command.clone());
        let ran = testrun::run(&self.state, r, None).await.grpc();
        let outcome = ran.as_ref().ok().map(|r| r.outcome().as_str_name());
        let extra = serde_json::json!({"commit": commit, "command": command, "result": outcome});
        who.record(
            "/kubegate.v1.WorkflowService/RunTests",
            &namespace,
            &name,
            extra,
            crate::audit::outcome(&ran),
        );
        Ok(Response::new(ran?))
    }

    type StreamTestRunStream = ResponseStream<StreamTestRunResponse>;

    #[tracing::instrument(skip_all)]
    async fn stream_test_run(
        &self,
        request: Request<StreamTestRunRequest>,
    ) -> Result<Response<Self::StreamTestRunStream>, Status> {
        let (tx, rx) = tokio::sync::mpsc::channel(64);
        let (failed_tx, failed_rx) = tokio::sync::oneshot::channel::<Status>();
        let state = self.state.clone();
        let permit = self.quotas.acquire(&caller_of(&request), Kind::TestRun)?;
        let who = crate::audit::Who::of(&request);
        let request = request
            .into_inner()
            .run
            .ok_or_else(|| super::status::status(kubegate_core::Error::invalid("run", "is required")))?;
        let extra =
            serde_json::json!({"event": "start", "commit": request.commit, "command": request.command});
        who.record(
            "/kubegate.v1.WorkflowService/StreamTestRun",
            &request.namespace,
            &request.name,
            extra,
            "OK",
        );
        tokio::spawn(async move {
            // Held while the run runs, whether or not its caller still listens.
            let _held = permit;
            if let Err(e) = testrun::run(&state, request, Some(tx)).await {
                let _ = failed_tx.send(super::status::status(e));
            }
        });
        // Events, then the run's error (if it failed before finishing) as the stream's status.
        let events = ReceiverStream::new(rx).map(Ok);
        let failure =
            futures::StreamExt::filter_map(
                futures::stream::once(failed_rx),
                |r| async move { r.ok().map(Err) },
            );
        Ok(Response::new(Box::pin(events.chain(failure))))
    }

    #[tracing::instrument(skip_all, fields(preview = %request.get_ref().name))]
    async fn create_preview(
        &self,
        request: Request<CreatePreviewRequest>,
    ) -> Result<Response<CreatePreviewResponse>, Status> {
        let who = crate::audit::Who::of(&request);
        let r = request.into_inner();
        let (namespace, name) = (r.namespace.clone(), r.name.clone());
        let preview = previews::create(&self.state, r).await.grpc();
        who.call("/kubegate.v1.WorkflowService/CreatePreview", &namespace, &name, &preview);
        Ok(Response::new(CreatePreviewResponse { preview: Some(preview?) }))
    }

    #[tracing::instrument(skip_all, fields(preview = %request.get_ref().name))]
    async fn get_preview(
        &self,
        request: Request<GetPreviewRequest>,
    ) -> Result<Response<GetPreviewResponse>, Status> {
        let r = request.into_inner();
        let preview = previews::get(&self.state, &r.namespace, &r.name).await.grpc()?;
        Ok(Response::new(GetPreviewResponse { preview: Some(preview) }))
    }

    #[tracing::instrument(skip_all)]
    async fn list_previews(
        &self,
        request: Request<ListPreviewsRequest>,
    ) -> Result<Response<ListPreviewsResponse>, Status> {
        let previews = previews::list(&self.state, &request.into_inner().namespace).await.grpc()?;
        Ok(Response::new(ListPreviewsResponse { previews }))
    }

    #[tracing::instrument(skip_all, fields(preview = %request.get_ref().name))]
    async fn delete_preview(
        &self,
        request: Request<DeletePreviewRequest>,
    ) -> Result<Response<DeletePreviewResponse>, Status> {
        let who = crate::audit::Who::of(&request);
        let r = request.into_inner();
        let deleted = previews::delete(&self.state, &r.namespace, &r.name).await.grpc();
        who.call("/kubegate.v1.WorkflowService/DeletePreview", &r.namespace, &r.name, &deleted);
        deleted?;
        Ok(Response::new(DeletePreviewResponse {}))
    }

    #[tracing::instrument(skip_all)]
    async fn match_image(
        &self,
        request: Request<MatchImageRequest>,
    ) -> Result<Response<MatchImageResponse>, Status> {
        Ok(Response::new(workflows::match_image(&self.state, request.into_inner()).await.grpc()?))
    }
}
