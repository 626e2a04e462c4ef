//! The MCP server's side of the gRPC hop: a channel to the kubegate service and what every call carries
//! (the API token, and whatever the embedding process adds, such as the gateway's trace context).

use std::sync::Arc;

use tonic::metadata::AsciiMetadataValue;
use tonic::service::Interceptor;
use tonic::service::interceptor::InterceptedService;

use kubegate_proto::auth::ApiToken;
use kubegate_proto::hop::{self, Hop};
use kubegate_proto::v1::cluster_service_client::ClusterServiceClient;
use kubegate_proto::v1::exec_service_client::ExecServiceClient;
use kubegate_proto::v1::network_service_client::NetworkServiceClient;
use kubegate_proto::v1::pod_service_client::PodServiceClient;
use kubegate_proto::v1::workflow_service_client::WorkflowServiceClient;

/// The largest gRPC answer read: a one-shot exec keeps up to 16 MiB per stream.
const MAX_MESSAGE: usize = 64 * 1024 * 1024;

type Hook = Arc<dyn Fn(tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> + Send + Sync>;

/// Why the service cannot be reached as configured.
#[derive(Debug, thiserror::Error)]
pub enum UpstreamError {
    /// The URL is not a gRPC endpoint, or its TLS cannot be set up.
    #[error("{1}")]
    Url(String, String),
    /// The token cannot travel in a header.
    #[error("the API token cannot be sent as gRPC metadata")]
    Token,
}

/// A lazily connected client of the kubegate gRPC service.
#[derive(Clone)]
pub struct Upstream {
    channel: Hop,
    hook: Hook,
}

impl std::fmt::Debug for Upstream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upstream").finish_non_exhaustive()
    }
}

impl Upstream {
    /// Dials `url` (`http://host:port`, or `https://` verified against `ca_pem` or the system's roots)
    /// lazily, sending `token` with every call.
    pub fn connect(
        url: &str,
        ca_pem: Option<&[u8]>,
        token: Option<&ApiToken>,
    ) -> Result<Self, UpstreamError> {
        let endpoint = kubegate_proto::dial::endpoint(url, ca_pem)
            .map_err(|e| UpstreamError::Url(url.to_string(), e.to_string()))?;
        let authorization = token
            .map(|t| t.bearer().parse::<AsciiMetadataValue>())
            .transpose()
            .map_err(|_| UpstreamError::Token)?;
        let hook: Hook = Arc::new(move |mut request| {
            if let Some(value) = &authorization {
                request.metadata_mut().insert("authorization", value.clone());
            }
            Ok(request)
        });
        Ok(Self { channel: hop::over(endpoint.connect_lazy()), hook })
    }

    /// A hop someone else made, with their interceptor (the gateway's adds the token and the trace
    /// context of the HTTP request).
    pub fn with_interceptor<I>(channel: Hop, interceptor: I) -> Self
    where
        I: Interceptor + Clone + Send + Sync + 'static,
    {
        Self { channel, hook: Arc::new(move |request| interceptor.clone().call(request)) }
    }

    /// This upstream sending `authorization` (the caller's own `Authorization` header, which the
    /// gateway's guard accepted) instead of its own token, so the service gives the caller its own role
    /// and quotas, as the REST routes do.
    pub fn with_authorization(&self, authorization: AsciiMetadataValue) -> Self {
        let inner = self.hook.clone();
        let hook: Hook = Arc::new(move |request| {
            let mut request = inner(request)?;
            request.metadata_mut().insert("authorization", authorization.clone());
            Ok(request)
        });
        Self { channel: self.channel.clone(), hook }
    }

    /// The interceptor every call goes through, for tests.
    #[cfg(test)]
    pub(crate) fn interceptor_for_tests(&self) -> Outgoing {
        Outgoing(self.hook.clone())
    }

    fn outgoing(&self) -> InterceptedService<Hop, Outgoing> {
        InterceptedService::new(self.channel.clone(), Outgoing(self.hook.clone()))
    }

    /// The pod service.
    pub fn pods(&self) -> PodServiceClient<InterceptedService<Hop, Outgoing>> {
        PodServiceClient::new(self.outgoing()).max_decoding_message_size(MAX_MESSAGE)
    }
    /// The exec service.
    pub fn exec(&self) -> ExecServiceClient<InterceptedService<Hop, Outgoing>> {
        ExecServiceClient::new(self.outgoing()).max_decoding_message_size(MAX_MESSAGE)
    }
    /// The network service.
    pub fn network(&self) -> NetworkServiceClient<InterceptedService<Hop, Outgoing>> {
        NetworkServiceClient::new(self.outgoing()).max_decoding_message_size(MAX_MESSAGE)
    }
    /// The workflow service.
    pub fn workflows(&self) -> WorkflowServiceClient<InterceptedService<Hop, Outgoing>> {
        WorkflowServiceClient::new(self.outgoing()).max_decoding_message_size(MAX_MESSAGE)
    }
    /// The cluster service.
    pub fn cluster(&self) -> ClusterServiceClient<InterceptedService<Hop, Outgoing>> {
        ClusterServiceClient::new(self.outgoing()).max_decoding_message_size(MAX_MESSAGE)
    }
}

/// The interceptor of every outgoing call.
#[derive(Clone)]
pub struct Outgoing(Hook);

impl Interceptor for Outgoing {
    fn call(&mut self, request: tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> {
        (self.0)(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authorization_sent(upstream: &Upstream) -> Option<String> {
        let request = Outgoing(upstream.hook.clone()).call(tonic::Request::new(())).expect("intercepted");
        request.metadata().get("authorization").and_then(|v| v.to_str().ok()).map(String::from)
    }

    #[tokio::test]
    async fn calls_carry_the_token_or_the_callers_own() {
        let token = ApiToken::new("s3cret-0123456789abcdef0123456789abcdef").expect("token");
        let upstream = Upstream::connect("http://127.0.0.1:1", None, Some(&token)).expect("upstream");
        assert_eq!(
            authorization_sent(&upstream).as_deref(),
            Some("Bearer s3cret-0123456789abcdef0123456789abcdef")
        );
        let caller = upstream.with_authorization("Bearer the-callers-own".parse().expect("value"));
        assert_eq!(authorization_sent(&caller).as_deref(), Some("Bearer the-callers-own"));
        let open = Upstream::connect("http://127.0.0.1:1", None, None).expect("upstream");
        assert_eq!(authorization_sent(&open), None);
    }
}
