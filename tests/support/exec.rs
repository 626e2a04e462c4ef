//! Exec streams as tests drive them: open one (its first event is `started`), send input, read events.

use futures::StreamExt as _;
use kubegate_proto::v1::exec_service_client::ExecServiceClient;
use kubegate_proto::v1::*;
use tokio_stream::wrappers::ReceiverStream;

/// Where a test sends a session's input.
pub type Requests = tokio::sync::mpsc::Sender<ExecStreamRequest>;

/// Opens an exec stream with `start`; returns its input, its responses after `started`, and the session id.
pub async fn open(
    mut client: ExecServiceClient<tonic::transport::Channel>,
    start: ExecStart,
) -> (Requests, tonic::Streaming<ExecStreamResponse>, String) {
    let (tx, rx) = tokio::sync::mpsc::channel(16);
    tx.send(ExecStreamRequest { kind: Some(exec_stream_request::Kind::Start(start)) }).await.expect("send");
    let mut responses = client.exec_stream(ReceiverStream::new(rx)).await.expect("stream").into_inner();
    let first = responses.next().await.expect("first").expect("ok");
    let Some(exec_event::Kind::Started(started)) = first.event.and_then(|e| e.kind) else {
        panic!("the first event is `started`");
    };
    (tx, responses, started.session_id)
}

/// One input message.
pub fn input(kind: exec_input::Kind) -> ExecStreamRequest {
    ExecStreamRequest { kind: Some(exec_stream_request::Kind::Input(ExecInput { kind: Some(kind) })) }
}

/// The events of a stream's responses.
pub fn events(
    stream: tonic::Streaming<ExecStreamResponse>,
) -> impl futures::Stream<Item = Result<ExecEvent, tonic::Status>> + Unpin {
    stream.map(|r| r.map(|r| r.event.unwrap_or_default()))
}
