//! `kubegate.v1.ExecService`.

use futures::StreamExt as _;
use kubegate_proto::v1::exec_service_server::ExecService;
use kubegate_proto::v1::*;
use tonic::{Request, Response, Status, Streaming};

use super::status::{Grpc as _, ResponseStream};
use kubegate_core::sessions::Sessions;
use kubegate_core::state::State;
use std::sync::Arc;

/// The ExecService handlers.
#[derive(Clone)]
pub struct ExecApi {
    state: State,
    sessions: Arc<Sessions>,
    relay: Option<Arc<super::relay::Relay>>,
}

impl ExecApi {
    /// Handlers over the shared service state and the open exec sessions.
    pub fn new(state: State, sessions: Arc<Sessions>) -> Self {
        Self { state, sessions, relay: None }
    }

    /// The same handlers, relaying reattaches of other replicas' sessions to them.
    pub fn with_relay(self, relay: Option<Arc<super::relay::Relay>>) -> Self {
        Self { relay, ..self }
    }

    /// The replica to relay a call about session `id` to, when it is another listed one.
    fn elsewhere(
        &self,
        metadata: &tonic::metadata::MetadataMap,
        id: &str,
    ) -> Option<(Arc<super::relay::Relay>, String)> {
        let relay = self.relay.clone()?;
        if super::relay::relayed(metadata) {
            return None;
        }
        self.sessions.owner_elsewhere(id).map(|url| (relay, url))
    }
}

fn first_message_missing(what: &str) -> Status {
    super::status::status(kubegate_core::Error::invalid(
        what,
        format!("the first message of the stream must be `{what}`"),
    ))
}

/// Turns the stream of client messages after the first into session input; a second `start`/`attach`
/// is ignored, as is an empty message. The input ends at the client's first error (it left).
fn inputs<M: Send + 'static>(
    stream: Streaming<M>,
    input_of: fn(M) -> Option<ExecInput>,
) -> impl futures::Stream<Item = ExecInput> + Send + Unpin + 'static {
    stream
        .take_while(|m| std::future::ready(m.is_ok()))
        .filter_map(move |m| std::future::ready(m.ok().and_then(input_of)))
        .boxed()
}

#[tonic::async_trait]
impl ExecService for ExecApi {
    #[tracing::instrument(skip_all, fields(pod = %request.get_ref().pod))]
    async fn exec(&self, request: Request<ExecRequest>) -> Result<Response<ExecResponse>, Status> {
        let who = crate::audit::Who::of(&request);
        let r = request.into_inner();
        let (namespace, pod, argv) = (r.namespace.clone(), r.pod.clone(), r.command.clone());
        let ran = kubegate_core::exec::run(&self.state, r).await.grpc();
        let exit_code = ran.as_ref().ok().map(|r| r.exit_code);
        let extra = serde_json::json!({"argv": argv, "exit_code": exit_code});
        who.record("/kubegate.v1.ExecService/Exec", &namespace, &pod, extra, crate::audit::outcome(&ran));
        Ok(Response::new(ran?))
    }

    type ExecStreamStream = ResponseStream<ExecStreamResponse>;

    #[tracing::instrument(skip_all)]
    async fn exec_stream(
        &self,
        request: Request<Streaming<ExecStreamRequest>>,
    ) -> Result<Response<Self::ExecStreamStream>, Status> {
        let owner = crate::quota::caller_of(&request);
        let who = crate::audit::Who::of(&request);
        let mut stream = request.into_inner();
        let start = match stream.next().await {
            Some(Ok(ExecStreamRequest { kind: Some(exec_stream_request::Kind::Start(start)) })) => start,
            Some(Err(status)) => return Err(status),
            _ => return Err(first_message_missing("start")),
        };
        let rest = inputs(stream, |m: ExecStreamRequest| match m.kind {
            Some(exec_stream_request::Kind::Input(input)) => Some(input),
            _ => None,
        });
        let (namespace, pod, argv) = (start.namespace.clone(), start.pod.clone(), start.command.clone());
        const METHOD: &str = "/kubegate.v1.ExecService/ExecStream";
        let events =
            kubegate_core::sessions::start(&self.sessions, &self.state, &owner.0, start, rest).await.grpc();
        let started = serde_json::json!({"event": "start", "argv": argv});
        who.record(METHOD, &namespace, &pod, started, crate::audit::outcome(&events));
        // The session's end (its exit code) is recorded when it passes by.
        let out = tokio_stream::wrappers::ReceiverStream::new(events?).map(move |e| {
            if let Ok(ExecEvent { kind: Some(exec_event::Kind::Exit(exit)) }) = &e {
                let ended = serde_json::json!({"event": "end", "exit_code": exit.exit_code, "reason": exit.reason().as_str_name()});
                who.record(METHOD, &namespace, &pod, ended, "OK");
            }
            e.map(|event| ExecStreamResponse { event: Some(event) }).map_err(super::status::status)
        });
        Ok(Response::new(Box::pin(out)))
    }

    #[tracing::instrument(skip_all)]
    async fn list_exec_sessions(
        &self,
        request: Request<ListExecSessionsRequest>,
    ) -> Result<Response<ListExecSessionsResponse>, Status> {
        let r = request.into_inner();
        if !r.namespace.is_empty() {
            self.state.namespace(&r.namespace).await.grpc()?;
        }
        let size = match r.page_size {
            0 => 100,
            n if (1..=1000).contains(&n) => usize::try_from(n).unwrap_or(100),
            n => {
                return Err(super::status::status(kubegate_core::Error::invalid(
                    "page_size",
                    format!("{n} is outside 0..=1000"),
                )));
            }
        };
        let start = if r.page_token.is_empty() {
            0
        } else {
            r.page_token.parse::<usize>().map_err(|_| {
                super::status::status(kubegate_core::Error::invalid(
                    "page_token",
                    "was not issued by this service",
                ))
            })?
        };
        let allowed = self.state.settings().await.allowed_namespaces();
        let all: Vec<ExecSession> = self
            .sessions
            .list(&r.namespace, &r.pod)
            .into_iter()
            .filter(|s| allowed.contains(&s.namespace))
            .collect();
        let end = (start + size).min(all.len());
        let sessions = all.get(start..end).map(<[ExecSession]>::to_vec).unwrap_or_default();
        let next_page_token = if end < all.len() { end.to_string() } else { String::new() };
        Ok(Response::new(ListExecSessionsResponse { sessions, next_page_token }))
    }

    type AttachExecSessionStream = ResponseStream<AttachExecSessionResponse>;

    #[tracing::instrument(skip_all)]
    async fn attach_exec_session(
        &self,
        request: Request<Streaming<AttachExecSessionRequest>>,
    ) -> Result<Response<Self::AttachExecSessionStream>, Status> {
        let metadata = request.metadata().clone();
        let mut stream = request.into_inner();
        let attach = match stream.next().await {
            Some(Ok(AttachExecSessionRequest {
                kind: Some(attach_exec_session_request::Kind::Attach(a)),
            })) => a,
            Some(Err(status)) => return Err(status),
            _ => return Err(first_message_missing("attach")),
        };
        let rest = inputs(stream, |m: AttachExecSessionRequest| match m.kind {
            Some(attach_exec_session_request::Kind::Input(input)) => Some(input),
            _ => None,
        });
        if let Some((relay, url)) = self.elsewhere(&metadata, &attach.session_id) {
            return Ok(Response::new(relay.attach(&url, &metadata, attach, rest).await?));
        }
        let events = kubegate_core::sessions::reattach(&self.sessions, &attach, rest).grpc()?;
        let out = tokio_stream::wrappers::ReceiverStream::new(events).map(|e| {
            e.map(|event| AttachExecSessionResponse { event: Some(event) }).map_err(super::status::status)
        });
        Ok(Response::new(Box::pin(out)))
    }

    #[tracing::instrument(skip_all, fields(session = %request.get_ref().session_id))]
    async fn terminate_exec_session(
        &self,
        request: Request<TerminateExecSessionRequest>,
    ) -> Result<Response<TerminateExecSessionResponse>, Status> {
        let who = crate::audit::Who::of(&request);
        let metadata = request.metadata().clone();
        let id = request.into_inner().session_id;
        if let Some((relay, url)) = self.elsewhere(&metadata, &id) {
            return Ok(Response::new(relay.terminate(&url, &metadata, id).await?));
        }
        let exit = self.sessions.terminate(&id).await.grpc();
        let extra = serde_json::json!({"session": id});
        who.record(
            "/kubegate.v1.ExecService/TerminateExecSession",
            "",
            "",
            extra,
            crate::audit::outcome(&exit),
        );
        let exit = exit?;
        Ok(Response::new(TerminateExecSessionResponse { exit: Some(exit) }))
    }
}
