//! Logging and tracing: a `tracing` subscriber writing to stderr, and, when
//! `OTEL_EXPORTER_OTLP_ENDPOINT` is set, span export over OTLP. Incoming W3C `traceparent` headers
//! become the parent of the request's span.

use opentelemetry::propagation::{Extractor, TextMapPropagator};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use std::time::Duration;

use opentelemetry_otlp::WithExportConfig as _;
use opentelemetry_sdk::trace::{BatchConfigBuilder, BatchSpanProcessor, SdkTracerProvider};
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Keeps the span exporter alive; dropping it flushes and stops the export.
#[derive(Debug, Default)]
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

impl Drop for Telemetry {
    fn drop(&mut self) {
        if let Some(provider) = self.provider.take() {
            // Export what is buffered; a failure here can only be reported on stderr, which is gone.
            let _ = provider.shutdown();
        }
    }
}

/// Installs the global subscriber. `RUST_LOG` chooses what is logged (default `info`, with the MCP SDK's
/// per-message chatter at `warn`); `KUBEGATE_LOG_FORMAT=json` writes JSON lines. Must be called inside a
/// Tokio runtime when OTLP export is on.
pub fn init(service_name: &'static str) -> anyhow::Result<Telemetry> {
    let endpoint = std::env::var("OTEL_EXPORTER_OTLP_ENDPOINT").ok().filter(|e| !e.is_empty());
    init_with(service_name, endpoint, Duration::from_secs(5))
}

/// Installs the global subscriber exporting spans to `otlp_endpoint` (when given) every `export_delay`.
pub fn init_with(
    service_name: &'static str,
    otlp_endpoint: Option<String>,
    export_delay: Duration,
) -> anyhow::Result<Telemetry> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,rmcp=warn"));
    let json = std::env::var("KUBEGATE_LOG_FORMAT").is_ok_and(|v| v == "json");
    let fmt = if json {
        tracing_subscriber::fmt::layer().json().with_writer(std::io::stderr).boxed()
    } else {
        // Colour only for a person at a terminal: escape codes in a file or a log collector are noise.
        let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
        tracing_subscriber::fmt::layer().with_ansi(ansi).with_writer(std::io::stderr).boxed()
    };
    opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());

    let provider = match otlp_endpoint {
        Some(endpoint) => Some(otlp_provider(service_name, endpoint, export_delay)?),
        None => None,
    };
    let otel = provider.as_ref().map(|p| tracing_opentelemetry::layer().with_tracer(p.tracer(service_name)));
    tracing_subscriber::registry().with(filter).with(fmt).with(otel).try_init()?;
    Ok(Telemetry { provider })
}

fn otlp_provider(
    service_name: &'static str,
    endpoint: String,
    export_delay: Duration,
) -> anyhow::Result<SdkTracerProvider> {
    let exporter =
        opentelemetry_otlp::SpanExporter::builder().with_tonic().with_endpoint(endpoint).build()?;
    let resource = opentelemetry_sdk::Resource::builder().with_service_name(service_name).build();
    let batch = BatchConfigBuilder::default().with_scheduled_delay(export_delay).build();
    let processor = BatchSpanProcessor::builder(exporter).with_batch_config(batch).build();
    Ok(SdkTracerProvider::builder().with_span_processor(processor).with_resource(resource).build())
}

/// Reads W3C trace context from HTTP headers (gRPC metadata travels as HTTP/2 headers).
struct HeaderExtractor<'a>(&'a http::HeaderMap);

impl Extractor for HeaderExtractor<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(http::HeaderName::as_str).collect()
    }
}

/// Makes the span of one incoming gRPC call, named after the method, parented on the caller's
/// `traceparent` when it sent one.
pub fn grpc_request_span<B>(request: &http::Request<B>) -> tracing::Span {
    let path = request.uri().path();
    let span = tracing::info_span!(
        "grpc",
        otel.name = %path.trim_start_matches('/'),
        rpc.method = %path,
        otel.kind = "server",
    );
    let parent = TraceContextPropagator::new().extract(&HeaderExtractor(request.headers()));
    // Without an OpenTelemetry layer there is nothing to parent, which is not an error.
    let _ = span.set_parent(parent);
    span
}
