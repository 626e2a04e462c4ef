//! The fake's test runs, previews and image matching.

use kubegate_proto::v1 as pb;
use tonic::{Request as Call, Response as Answer, Status};

use super::network::{ingress, service};
use super::{Fake, Reply, Streamed, pod, steered, stream};

/// A passed run of `commit`, 2.5 s long; the timeout that arrived is in its message.
fn passed(request: &pb::RunTestsRequest) -> pb::RunTestsResponse {
    pb::RunTestsResponse {
        pod_name: "test-abc1234".into(),
        namespace: "ns".into(),
        outcome: pb::TestRunOutcome::Passed as i32,
        exit_code: Some(0),
        duration: Some(prost_types::Duration { seconds: 2, nanos: 500_000_000 }),
        log_tail: "ok\n".into(),
        message: format!("timeout {:?}", request.timeout.map(|t| (t.seconds, t.nanos))),
        image: "node:20".into(),
        commit: request.commit.clone(),
    }
}

fn preview(name: &str) -> pb::Preview {
    pb::Preview {
        name: name.to_string(),
        namespace: "ns".into(),
        url: format!("https://preview-{name}.example"),
        host: format!("preview-{name}.example"),
        pod: Some(pod(name)),
        service: Some(service(name)),
        ingress: Some(ingress(name)),
    }
}

fn version(file: &str, version: &str) -> pb::RuntimeVersion {
    pb::RuntimeVersion { runtime: "node".into(), version: version.into(), file: file.into(), line: 1 }
}

#[tonic::async_trait]
impl pb::workflow_service_server::WorkflowService for Fake {
    async fn run_tests(&self, call: Call<pb::RunTestsRequest>) -> Reply<pb::RunTestsResponse> {
        let request = call.into_inner();
        steered(&request.namespace)?;
        Ok(Answer::new(passed(&request)))
    }
    type StreamTestRunStream = Streamed<pb::StreamTestRunResponse>;
    async fn stream_test_run(
        &self,
        call: Call<pb::StreamTestRunRequest>,
    ) -> Reply<Self::StreamTestRunStream> {
        let request = call.into_inner().run.unwrap_or_default();
        steered(&request.namespace)?;
        use pb::stream_test_run_response::Event;
        let event = |event| Ok(pb::StreamTestRunResponse { event: Some(event) });
        let scheduled = pb::TestRunScheduled {
            pod_name: "test-abc1234".into(),
            node_name: "n1".into(),
            image: "node:20".into(),
        };
        Ok(Answer::new(stream(vec![
            event(Event::Scheduled(scheduled)),
            event(Event::Running(pb::TestRunRunning::default())),
            event(Event::Output(b"ok\n".to_vec())),
            event(Event::Finished(passed(&request))),
        ])))
    }
    async fn create_preview(&self, call: Call<pb::CreatePreviewRequest>) -> Reply<pb::CreatePreviewResponse> {
        let request = call.into_inner();
        steered(&request.name)?;
        Ok(Answer::new(pb::CreatePreviewResponse { preview: Some(preview(&request.name)) }))
    }
    async fn get_preview(&self, call: Call<pb::GetPreviewRequest>) -> Reply<pb::GetPreviewResponse> {
        let name = call.into_inner().name;
        steered(&name)?;
        Ok(Answer::new(pb::GetPreviewResponse { preview: Some(preview(&name)) }))
    }
    async fn list_previews(&self, call: Call<pb::ListPreviewsRequest>) -> Reply<pb::ListPreviewsResponse> {
        steered(&call.into_inner().namespace)?;
        Ok(Answer::new(pb::ListPreviewsResponse { previews: vec![] }))
    }
    async fn delete_preview(&self, call: Call<pb::DeletePreviewRequest>) -> Reply<pb::DeletePreviewResponse> {
        steered(&call.into_inner().name)?;
        Ok(Answer::new(pb::DeletePreviewResponse {}))
    }
    async fn match_image(&self, call: Call<pb::MatchImageRequest>) -> Reply<pb::MatchImageResponse> {
        let project = call.into_inner().project.unwrap_or_default();
        if project.claim_name == "missing" {
            return Err(Status::not_found("no directory missing:/ in the claim"));
        }
        Ok(Answer::new(pb::MatchImageResponse {
            found: vec![version(".nvmrc", "20"), version("package.json", "18")],
            image: "node:20".into(),
            runtime: "node".into(),
            chosen: Some(version(".nvmrc", "20")),
            major_only: true,
            conflicts: vec![pb::VersionConflict {
                runtime: "node".into(),
                findings: vec![version(".nvmrc", "20"), version("package.json", "18")],
            }],
            malformed: vec![pb::MalformedFile { file: "go.mod".into(), error: "no go line".into() }],
            notes: vec!["chose .nvmrc".into()],
        }))
    }
}
