//! `kubegate.v1.ExecService`.

use kubegate_proto::v1::exec_service_server::ExecService;
use kubegate_proto::v1::*;
use tonic::{Request, Response, Status, Streaming};

use super::{ResponseStream, not_built};
use crate::state::State;

/// The ExecService handlers.
#[derive(Clone)]
pub struct ExecApi {
    #[allow(dead_code)]
    state: State,
}

impl ExecApi {
    /// Handlers over the shared service state.
    pub fn new(state: State) -> Self {
        Self { state }
    }
}

const EXEC: &str = "exec";
const SESSIONS: &str = "resumable exec sessions";

#[tonic::async_trait]
impl ExecService for ExecApi {
    async fn exec(&self, _: Request<ExecRequest>) -> Result<Response<ExecResponse>, Status> {
        not_built("Exec", EXEC)
    }

    type ExecStreamStream = ResponseStream<ExecStreamResponse>;

    async fn exec_stream(
        &self,
        _: Request<Streaming<ExecStreamRequest>>,
    ) -> Result<Response<Self::ExecStreamStream>, Status> {
        not_built("ExecStream", EXEC)
    }

    async fn list_exec_sessions(
        &self,
        _: Request<ListExecSessionsRequest>,
    ) -> Result<Response<ListExecSessionsResponse>, Status> {
        not_built("ListExecSessions", SESSIONS)
    }

    type AttachExecSessionStream = ResponseStream<AttachExecSessionResponse>;

    async fn attach_exec_session(
        &self,
        _: Request<Streaming<AttachExecSessionRequest>>,
    ) -> Result<Response<Self::AttachExecSessionStream>, Status> {
        not_built("AttachExecSession", SESSIONS)
    }

    async fn terminate_exec_session(
        &self,
        _: Request<TerminateExecSessionRequest>,
    ) -> Result<Response<TerminateExecSessionResponse>, Status> {
        not_built("TerminateExecSession", SESSIONS)
    }
}
