//! The gateway's side of the gRPC hop: one lazily connected channel, and an interceptor that sends the
//! API token and the current span's W3C trace context with every call, so one trace covers
//! REST → gRPC → Kubernetes.

use std::sync::Arc;

use opentelemetry::propagation::{Extractor, Injector, TextMapPropagator as _};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use tonic::metadata::{AsciiMetadataValue, MetadataKey, MetadataMap};
use tonic::service::Interceptor;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Channel, Endpoint};
use tracing_opentelemetry::OpenTelemetrySpanExt as _;

use kubegate_proto::v1::cluster_service_client::ClusterServiceClient;
use kubegate_proto::v1::exec_service_client::ExecServiceClient;
use kubegate_proto::v1::network_service_client::NetworkServiceClient;
use kubegate_proto::v1::pod_service_client::PodServiceClient;
use kubegate_proto::v1::workflow_service_client::WorkflowServiceClient;

use crate::{GatewayConfig, GatewayError};

/// A channel with the gateway's interceptor.
pub type Outgoing = InterceptedService<Channel, CallContext>;

/// What every route needs: the channel to the gRPC service and the gateway's settings.
#[derive(Clone)]
pub struct Upstream {
    channel: Channel,
    interceptor: CallContext,
    /// The gateway's settings.
    pub config: Arc<GatewayConfig>,
    /// Cancelled when the gateway shuts down: streams end and terminals close with 1001.
    pub shutdown: tokio_util::sync::CancellationToken,
}

impl Upstream {
    /// A lazily connected upstream: the gateway starts even while the service is still starting.
    pub fn new(config: &GatewayConfig) -> Result<Self, GatewayError> {
        let endpoint = Endpoint::from_shared(config.upstream.clone())
            .map_err(|e| GatewayError::Upstream(config.upstream.clone(), e.to_string()))?
            .tcp_nodelay(true)
            .http2_keep_alive_interval(std::time::Duration::from_secs(20))
            .keep_alive_while_idle(true);
        let authorization = config
            .token
            .as_ref()
            .map(|t| t.bearer().parse::<AsciiMetadataValue>())
            .transpose()
            .map_err(|_| GatewayError::Upstream(config.upstream.clone(), "unusable token".into()))?;
        let channel = match &config.in_process {
            Some(server) => {
                let server = server.clone();
                endpoint.connect_with_connector_lazy(tower::service_fn(move |_: http::Uri| {
                    let server = server.clone();
                    async move {
                        let (client, accepted) = tokio::io::duplex(256 * 1024);
                        server.send(accepted).await.map_err(|_| {
                            std::io::Error::new(
                                std::io::ErrorKind::ConnectionRefused,
                                "the service has stopped",
                            )
                        })?;
                        Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(client))
                    }
                }))
            }
            None => endpoint.connect_lazy(),
        };
        Ok(Self {
            channel,
            interceptor: CallContext { authorization },
            config: Arc::new(config.clone()),
            shutdown: tokio_util::sync::CancellationToken::new(),
        })
    }

    /// The raw channel.
    pub fn channel(&self) -> Channel {
        self.channel.clone()
    }

    /// The interceptor that adds the token and trace context.
    pub fn interceptor(&self) -> CallContext {
        self.interceptor.clone()
    }

    fn outgoing(&self) -> Outgoing {
        InterceptedService::new(self.channel(), self.interceptor())
    }

    /// The pod service.
    pub fn pods(&self) -> PodServiceClient<Outgoing> {
        PodServiceClient::new(self.outgoing()).max_decoding_message_size(64 * 1024 * 1024)
    }
    /// The exec service.
    pub fn exec(&self) -> ExecServiceClient<Outgoing> {
        ExecServiceClient::new(self.outgoing()).max_decoding_message_size(64 * 1024 * 1024)
    }
    /// The network service.
    pub fn network(&self) -> NetworkServiceClient<Outgoing> {
        NetworkServiceClient::new(self.outgoing())
    }
    /// The workflow service.
    pub fn workflows(&self) -> WorkflowServiceClient<Outgoing> {
        WorkflowServiceClient::new(self.outgoing()).max_decoding_message_size(64 * 1024 * 1024)
    }
    /// The cluster service.
    pub fn cluster(&self) -> ClusterServiceClient<Outgoing> {
        ClusterServiceClient::new(self.outgoing())
    }
}

/// Adds `authorization` and `traceparent` to each outgoing call.
#[derive(Clone)]
pub struct CallContext {
    authorization: Option<AsciiMetadataValue>,
}

impl Interceptor for CallContext {
    fn call(&mut self, mut request: tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> {
        if let Some(value) = &self.authorization {
            request.metadata_mut().insert("authorization", value.clone());
        }
        let context = tracing::Span::current().context();
        TraceContextPropagator::new().inject_context(&context, &mut MetadataInjector(request.metadata_mut()));
        Ok(request)
    }
}

struct MetadataInjector<'a>(&'a mut MetadataMap);

impl Injector for MetadataInjector<'_> {
    fn set(&mut self, key: &str, value: String) {
        if let (Ok(key), Ok(value)) = (MetadataKey::from_bytes(key.as_bytes()), value.parse()) {
            self.0.insert(key, value);
        }
    }
}

struct HeaderExtractor<'a>(&'a http::HeaderMap);

impl Extractor for HeaderExtractor<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }
    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(http::HeaderName::as_str).collect()
    }
}

/// The W3C trace context a caller sent, if any.
pub fn extract_trace_context(headers: &http::HeaderMap) -> opentelemetry::Context {
    TraceContextPropagator::new().extract(&HeaderExtractor(headers))
}
