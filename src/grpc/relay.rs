//! Sessions across replicas: a reattach (or a terminate) that reaches a replica which does not own the
//! session is relayed to the owner named in the session id, with the caller's own credential, so that a
//! terminal reconnecting through the Service to another replica gets exactly the bytes it missed. The
//! owner must be a listed replica (`kubegate-peers`): a forged id cannot make kubegate connect anywhere
//! else. A relayed call is never relayed again.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt as _;
use kubegate_core::peers::Peers;
use kubegate_proto::v1::exec_service_client::ExecServiceClient;
use kubegate_proto::v1::*;
use tonic::metadata::MetadataMap;
use tonic::{Request, Status};

use super::status::ResponseStream;

/// The metadata that marks a relayed call.
pub const RELAYED: &str = "x-kubegate-relayed";

/// How this replica reaches the others.
#[derive(Debug)]
pub struct Relay {
    /// The listed replicas, this one among them.
    pub peers: Arc<Peers>,
    /// The CA the others' certificates chain to (`--peer-ca`), when they serve TLS.
    pub ca: Option<Vec<u8>>,
    /// The name the others' certificates are verified for (`--peer-tls-name`), instead of their IPs.
    pub tls_name: Option<String>,
}

/// Whether a call was relayed here by another replica.
pub fn relayed(metadata: &MetadataMap) -> bool {
    metadata.contains_key(RELAYED)
}

impl Relay {
    async fn owner(
        &self,
        url: &str,
        id: &str,
    ) -> Result<ExecServiceClient<tonic::transport::Channel>, Status> {
        let known = self.peers.knows(url).await.map_err(super::status::status)?;
        if !known {
            return Err(Status::not_found(format!(
                "exec session {id:?} does not exist (it names no replica of this service)"
            )));
        }
        let endpoint =
            kubegate_proto::dial::endpoint_named(url, self.ca.as_deref(), self.tls_name.as_deref())
                .map_err(|e| Status::internal(e.to_string()))?
                .connect_timeout(Duration::from_secs(5));
        let channel = endpoint.connect().await.map_err(|_| {
            Status::not_found(format!(
                "exec session {id:?} belongs to a replica that is gone; start a new one"
            ))
        })?;
        Ok(ExecServiceClient::new(channel).max_decoding_message_size(64 * 1024 * 1024))
    }

    /// `message` as the caller sent it: their credential and trace context, marked as relayed.
    fn forwarded<T>(metadata: &MetadataMap, message: T) -> Request<T> {
        let mut request = Request::new(message);
        for key in ["authorization", "traceparent", "tracestate"] {
            if let Some(value) = metadata.get(key) {
                request.metadata_mut().insert(key, value.clone());
            }
        }
        request.metadata_mut().insert(RELAYED, tonic::metadata::MetadataValue::from_static("1"));
        request
    }

    /// Reattaches to a session owned by the replica at `url`, relaying input and output.
    pub async fn attach(
        &self,
        url: &str,
        metadata: &MetadataMap,
        attach: ExecAttach,
        inputs: impl futures::Stream<Item = ExecInput> + Send + 'static,
    ) -> Result<ResponseStream<AttachExecSessionResponse>, Status> {
        let mut owner = self.owner(url, &attach.session_id).await?;
        let first =
            AttachExecSessionRequest { kind: Some(attach_exec_session_request::Kind::Attach(attach)) };
        let rest = inputs.map(|input| AttachExecSessionRequest {
            kind: Some(attach_exec_session_request::Kind::Input(input)),
        });
        let outbound = futures::stream::once(std::future::ready(first)).chain(rest);
        let answer = owner.attach_exec_session(Self::forwarded(metadata, outbound)).await?;
        Ok(Box::pin(answer.into_inner()))
    }

    /// Ends a session owned by the replica at `url`.
    pub async fn terminate(
        &self,
        url: &str,
        metadata: &MetadataMap,
        id: String,
    ) -> Result<TerminateExecSessionResponse, Status> {
        let mut owner = self.owner(url, &id).await?;
        let request = TerminateExecSessionRequest { session_id: id };
        Ok(owner.terminate_exec_session(Self::forwarded(metadata, request)).await?.into_inner())
    }
}
