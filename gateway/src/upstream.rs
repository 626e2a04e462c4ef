//! The gateway's side of the gRPC hop: one lazily connected channel, and an interceptor that sends the
//! caller's credential and the current span's W3C trace context with every call, so the service decides
//! the caller's role (the API token or the admin token) and one trace covers REST → gRPC → Kubernetes.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use http::request::Parts;

use opentelemetry::propagation::{Extractor, Injector, TextMapPropagator as _};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use tonic::metadata::{AsciiMetadataValue, MetadataKey, MetadataMap};
use tonic::service::Interceptor;
use tonic::service::interceptor::InterceptedService;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;

use kubegate_proto::hop::{self, Hop};
use kubegate_proto::v1::cluster_service_client::ClusterServiceClient;
use kubegate_proto::v1::exec_service_client::ExecServiceClient;
use kubegate_proto::v1::network_service_client::NetworkServiceClient;
use kubegate_proto::v1::pod_service_client::PodServiceClient;
use kubegate_proto::v1::workflow_service_client::WorkflowServiceClient;

use crate::auth::{ApiToken, Presented};
use crate::{GatewayConfig, GatewayError};

/// The hop with the gateway's interceptor.
pub type Outgoing = InterceptedService<Hop, CallContext>;

/// What every route needs: the channel to the gRPC service and the gateway's settings.
#[derive(Clone)]
pub struct Upstream {
    channel: Hop,
    interceptor: CallContext,
    /// The gateway's settings.
    pub config: Arc<GatewayConfig>,
    /// Cancelled when the gateway shuts down: streams end and terminals close with 1001.
    pub shutdown: tokio_util::sync::CancellationToken,
}

impl Upstream {
    /// A lazily connected upstream: the gateway starts even while the service is still starting.
    pub fn new(config: &GatewayConfig) -> Result<Self, GatewayError> {
        let endpoint = kubegate_proto::dial::endpoint(&config.upstream, config.upstream_ca.as_deref())
            .map_err(|e| GatewayError::Upstream(config.upstream.clone(), e.to_string()))?;
        let authorization =
            config.token.as_ref().map(|t| t.bearer().parse::<AsciiMetadataValue>()).transpose().map_err(
                |_| {
                    GatewayError::Upstream(
                        config.upstream.clone(),
                        "the API token cannot be sent as gRPC metadata".into(),
                    )
                },
            )?;
        let channel = match &config.in_process {
            Some(service) => service.clone(),
            None => hop::over(endpoint.connect_lazy()),
        };
        Ok(Self {
            channel,
            interceptor: CallContext { authorization },
            config: Arc::new(config.clone()),
            shutdown: tokio_util::sync::CancellationToken::new(),
        })
    }

    /// This upstream calling with `token`: the credential the caller presented, so that the service
    /// gives the caller its own role (an admin token may change policy, the API token may not).
    pub fn acting_for(&self, token: &ApiToken) -> Self {
        let mut up = self.clone();
        // A configured token is visible ASCII (checked when it was made), so it always makes a value.
        if let Ok(value) = token.bearer().parse::<AsciiMetadataValue>() {
            up.interceptor = CallContext { authorization: Some(value) };
        }
        up
    }

    /// The raw hop.
    pub fn channel(&self) -> Hop {
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

/// The upstream for a route's calls: acting for the token the caller presented when it presented one
/// (see [`Upstream::acting_for`]), else with the gateway's own token.
pub struct AsCaller(pub Upstream);

impl FromRequestParts<Upstream> for AsCaller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, up: &Upstream) -> Result<Self, Self::Rejection> {
        Ok(AsCaller(match parts.extensions.get::<Presented>() {
            Some(Presented(token)) => up.acting_for(token),
            None => up.clone(),
        }))
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
