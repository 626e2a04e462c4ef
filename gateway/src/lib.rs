//! The REST gateway and terminal WebSocket of kubegate. It is a gRPC client of the service: every route
//! translates onto a gRPC call, and no Kubernetes logic lives here.

mod auth;
mod console;
mod error;
mod input;
mod listen;
mod mcp;
mod metrics;
pub mod openapi;
mod reply;
mod routes;
mod streams;
mod terminal;
pub mod tls;
mod upstream;

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::extract::MatchedPath;
use axum::response::Response;
use axum::routing::get;
use tokio::net::TcpListener;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;

pub use auth::{ApiToken, BEARER_PROTOCOL, HostPolicy, KUBERNETES_BEARER_PROTOCOL, TokenError};
pub use listen::{HEADER_READ_TIMEOUT, accept};
pub use upstream::Upstream;

/// The sockets the gateway serves.
#[derive(Debug)]
pub struct Listeners {
    /// The REST port (5003 by default); the terminal is served here too.
    pub http: TcpListener,
    /// The terminal's own port (5004 by default), when it has one; it serves the terminal only.
    pub terminal: Option<TcpListener>,
}

/// How the gateway behaves.
#[derive(Debug, Clone)]
pub struct GatewayConfig {
    /// The gRPC service, as `http://host:port`.
    pub upstream: String,
    /// The API token callers must present; `None` when the API is open (loopback only).
    pub token: Option<ApiToken>,
    /// The admin token, accepted wherever the API token is. Each call upstream carries the token the
    /// caller presented, so the service gives an admin caller its role (it may also change policy).
    pub admin_token: Option<ApiToken>,
    /// The host names served besides loopback names and IP literals (`--allowed-hosts`); a request
    /// naming another host is refused with 421 on every route, the terminal and `/healthz` included.
    pub hosts: HostPolicy,
    /// Origins allowed to open the terminal, besides the request's own host and localhost. `*` allows any.
    pub terminal_origins: Vec<String>,
    /// Origins allowed cross-origin access to the REST routes; empty means none. `*` allows any.
    pub cors_origins: Vec<String>,
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// How often the terminal pings the browser; a browser silent for two intervals is gone.
    pub ping_interval: Duration,
    /// How long a client may take to send a request's headers, or stay silent between requests, before
    /// its connection is closed.
    pub header_read_timeout: Duration,
    /// When the gateway runs inside the service: the service's own gRPC routes, called directly (the
    /// same gRPC requests, token and layers; no HTTP/2 framing or socket in between).
    pub in_process: Option<kubegate_proto::hop::Hop>,
    /// How the MCP endpoint (`/mcp`) sizes its results.
    pub mcp: kubegate_mcp::Options,
    /// The certificate the REST and terminal listeners serve; `None` serves plain HTTP.
    pub tls: Option<tls::ServerTls>,
    /// The CA (PEM) that signed an `https` upstream's certificate; `None` trusts the system's roots.
    pub upstream_ca: Option<Vec<u8>>,
}

impl GatewayConfig {
    /// The defaults: no token, loopback names and IP addresses only, no extra origins, no CORS, 1 MiB
    /// bodies, pings every 30 s.
    pub fn new(upstream: impl Into<String>) -> Self {
        Self {
            upstream: upstream.into(),
            token: None,
            admin_token: None,
            hosts: HostPolicy::default(),
            terminal_origins: Vec::new(),
            cors_origins: Vec::new(),
            max_body_bytes: 1024 * 1024,
            ping_interval: Duration::from_secs(30),
            header_read_timeout: listen::HEADER_READ_TIMEOUT,
            in_process: None,
            mcp: kubegate_mcp::Options::default(),
            tls: None,
            upstream_ca: None,
        }
    }

    /// The tokens the guards accept.
    pub(crate) fn tokens(&self) -> auth::Tokens {
        auth::Tokens { api: self.token.clone(), admin: self.admin_token.clone() }
    }
}

/// Errors of the gateway itself.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// The upstream URL is not a valid gRPC endpoint, or its TLS cannot be set up.
    #[error("{1}")]
    Upstream(String, String),
    /// A CORS origin is not a valid origin.
    #[error("invalid CORS origin {0:?}: expected scheme://host[:port] or *")]
    CorsOrigin(String),
    /// Serving HTTP failed.
    #[error("serving HTTP failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Builds the gateway's routes over a lazily connected channel to the gRPC service.
pub fn router(config: GatewayConfig) -> Result<Router, GatewayError> {
    Ok(app(Upstream::new(&config)?))
}

/// The REST port: every route, the terminal too. With a token set, only `GET /healthz` (for probes) and
/// the console's files (which hold no secret) answer without it; the terminal checks the token itself.
fn app(upstream: Upstream) -> Router {
    let config = upstream.config.clone();
    // Origins were checked when the config was made; a bad one here means no CORS rather than a panic.
    let cors = cors_layer(&config.cors_origins).unwrap_or_default();
    let guarded = routes::guarded()
        // The document tells a caller what to try; it is for callers with the token.
        .route(openapi::PATH, get(openapi::serve))
        // MCP for coding agents: the same gRPC calls as tools, behind the same Host and token guards.
        .route_service(kubegate_mcp::PATH, mcp::router(&upstream))
        .layer(axum::middleware::from_fn_with_state(config.tokens(), auth::require_token));
    let routes = Router::new()
        .route("/healthz", get(routes::health::healthz))
        // The web console: its page asks for the token and sends it on each call.
        .route("/", get(console::index))
        .route(console::ASSETS, get(console::asset))
        .merge(guarded)
        // The terminal checks its token itself: browsers send it in a query parameter or subprotocol.
        .route(terminal::PATH, get(terminal::upgrade))
        .fallback(routes::health::no_route)
        .layer(axum::extract::DefaultBodyLimit::max(config.max_body_bytes))
        .layer(cors);
    doors(routes, &config).with_state(upstream)
}

/// The terminal's own port: the terminal and nothing else (every other path is 404).
fn terminal_app(upstream: Upstream) -> Router {
    let config = upstream.config.clone();
    let routes =
        Router::new().route(terminal::PATH, get(terminal::upgrade)).fallback(routes::health::no_route);
    doors(routes, &config).with_state(upstream)
}

/// What every port puts in front of its routes: the `Host` check before anything else runs, inside
/// the request's span.
fn doors(routes: Router<Upstream>, config: &GatewayConfig) -> Router<Upstream> {
    // Outside CORS: a rebinding page's preflight is refused like its request.
    routes
        .layer(axum::middleware::from_fn(metrics::record))
        .layer(axum::middleware::from_fn_with_state(config.hosts.clone(), auth::require_host))
        .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(request_span).on_response(
            |response: &Response, latency: Duration, span: &tracing::Span| {
                span.record("http.response.status_code", response.status().as_u16());
                tracing::debug!(status = response.status().as_u16(), ?latency, "answered");
            },
        ))
}

/// The span of one request: named after the route template, parented on the caller's `traceparent`.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| request.uri().path().to_string(), |m| m.as_str().to_string());
    let span = tracing::info_span!(
        "http",
        otel.name = %format!("{} {route}", request.method()),
        otel.kind = "server",
        http.request.method = %request.method(),
        http.route = %route,
        http.response.status_code = tracing::field::Empty,
    );
    let parent = upstream::extract_trace_context(request.headers());
    // Without an OpenTelemetry layer there is nothing to parent, which is not an error.
    let _ = span.set_parent(parent);
    span
}

fn cors_layer(origins: &[String]) -> Result<tower_http::cors::CorsLayer, GatewayError> {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    if origins.is_empty() {
        // No CORS headers at all: browsers refuse cross-origin reads.
        return Ok(CorsLayer::new());
    }
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        let parsed = origins
            .iter()
            .map(|o| {
                http::HeaderValue::from_str(o.trim_end_matches('/'))
                    .ok()
                    .filter(|_| o.contains("://"))
                    .ok_or_else(|| GatewayError::CorsOrigin(o.clone()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        AllowOrigin::list(parsed)
    };
    Ok(CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([http::Method::GET, http::Method::POST, http::Method::PUT, http::Method::DELETE])
        .allow_headers([http::header::CONTENT_TYPE, http::header::AUTHORIZATION, http::header::ACCEPT])
        .max_age(Duration::from_secs(600)))
}

/// Serves `GET /metrics` (kubegate's metrics in the OpenMetrics text format) on `listener` until
/// `shutdown` completes, behind the same `Host` check as every port; no token, so that Prometheus can
/// scrape it: keep it on loopback or a network only the scraper reaches.
pub async fn serve_metrics(
    listener: TcpListener,
    hosts: HostPolicy,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), GatewayError> {
    let app = Router::new()
        .route(
            "/metrics",
            get(|| async {
                ([(http::header::CONTENT_TYPE, kubegate_metrics::CONTENT_TYPE)], kubegate_metrics::render())
            }),
        )
        .fallback(routes::health::no_route)
        .layer(axum::middleware::from_fn_with_state(hosts, auth::require_host));
    listen::serve(listener, app, None, listen::HEADER_READ_TIMEOUT, shutdown).await?;
    Ok(())
}

/// Serves the gateway on its listeners until `shutdown` completes.
pub async fn serve(
    listeners: Listeners,
    config: GatewayConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), GatewayError> {
    cors_layer(&config.cors_origins).map(drop)?;
    let upstream = Upstream::new(&config)?;
    let stopping = upstream.shutdown.clone();
    let (app, terminal_app) = (app(upstream.clone()), terminal_app(upstream));
    // Long-lived streams and terminals end first, so that the graceful shutdown has nothing to wait for.
    let shutdown = futures::future::FutureExt::shared(Box::pin(async move {
        shutdown.await;
        stopping.cancel();
    }));
    let timeout = config.header_read_timeout;
    let acceptor = config.tls.as_ref().map(tls::ServerTls::acceptor);
    let http = listen::serve(listeners.http, app, acceptor.clone(), timeout, shutdown.clone());
    match listeners.terminal {
        Some(terminal) => {
            let terminal = listen::serve(terminal, terminal_app, acceptor, timeout, shutdown);
            let (a, b) = tokio::join!(http, terminal);
            a?;
            b?;
        }
        None => http.await?,
    }
    Ok(())
}
