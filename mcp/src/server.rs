//! The MCP handler: what kubegate offers (tools over its gRPC calls, pod logs as resources), dispatch of
//! tool calls, and arguments that do not parse answered as tool errors a model can correct.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::tool::ToolCallContext;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, Extensions, Implementation, ListResourceTemplatesResult,
    ListResourcesResult, PaginatedRequestParams, ReadResourceRequestParams, ReadResourceResponse,
    ServerCapabilities, ServerConfig, SubscribeRequestParams, SubscriptionFilter, UnsubscribeRequestParams,
};
use rmcp::service::{RequestContext, SubscriptionContext};
use rmcp::{ErrorData, RoleServer, ServerHandler, tool_handler};
use tokio_util::sync::{CancellationToken, DropGuard};
use tonic::metadata::AsciiMetadataValue;

use crate::{Options, Upstream};

/// What an agent is told about kubegate when it connects.
const INSTRUCTIONS: &str = "kubegate runs throw-away workloads in Kubernetes. Typical use: create_pod \
(it waits until the pod runs), then exec commands in it (exit code, stdout and stderr come back apart), \
read pod_logs, and delete_pod when done. run_tests runs a command at a commit of a repository on a shared \
volume in a fresh pod and reports progress while it runs. create_preview starts an app with a URL. \
Names default to the configured namespace when none is given. Long output is cut in the middle with a \
marker saying how to read the rest. Failures are tool errors starting with a gRPC code such as NOT_FOUND \
or INVALID_ARGUMENT, followed by the reason and what to do. Pod logs are also resources at \
kubegate://pods/{namespace}/{name}/logs.";

fn poisoned() -> ErrorData {
    ErrorData::internal_error("the subscription table is unusable after a panic", None)
}

/// The tools, built once: their schemas are generated from the input types.
fn tools() -> Arc<ToolRouter<Kubegate>> {
    static TOOLS: OnceLock<Arc<ToolRouter<Kubegate>>> = OnceLock::new();
    TOOLS
        .get_or_init(|| {
            Arc::new(
                Kubegate::pod_tools()
                    + Kubegate::exec_tools()
                    + Kubegate::workflow_tools()
                    + Kubegate::network_tools(),
            )
        })
        .clone()
}

/// One MCP session's handler: a client of the kubegate service.
#[derive(Clone)]
pub struct Kubegate {
    pub(crate) upstream: Upstream,
    pub(crate) options: Options,
    tool_router: Arc<ToolRouter<Kubegate>>,
    /// This session's `resources/subscribe` follows, by URI; dropped with the session, which ends them.
    subscriptions: Arc<Mutex<HashMap<String, DropGuard>>>,
}

impl std::fmt::Debug for Kubegate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kubegate").field("options", &self.options).finish_non_exhaustive()
    }
}

impl Kubegate {
    /// A handler calling `upstream`.
    pub fn new(upstream: Upstream, options: Options) -> Self {
        Self { upstream, options, tool_router: tools(), subscriptions: Arc::default() }
    }

    /// This handler acting for the caller of one request: over HTTP the gateway's guard accepted the
    /// caller's `Authorization` header, which then goes upstream instead of the gateway's own token (an
    /// admin token keeps its role, each token its own quotas). Over stdio there is no header.
    fn acting_for(&self, extensions: &Extensions) -> Self {
        let presented = extensions.get::<http::request::Parts>().and_then(|parts| {
            parts
                .headers
                .get_all(http::header::AUTHORIZATION)
                .iter()
                .find(|v| v.to_str().is_ok_and(|v| v.len() > 7 && v[..7].eq_ignore_ascii_case("bearer ")))
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<AsciiMetadataValue>().ok())
        });
        match presented {
            Some(value) => Self { upstream: self.upstream.with_authorization(value), ..self.clone() },
            None => self.clone(),
        }
    }

    /// The most bytes of text one result holds.
    pub(crate) fn limit(&self) -> usize {
        self.options.max_output_bytes
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Kubegate {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_resources()
                .enable_resources_subscribe()
                .build(),
        )
        .with_server_info(Implementation::new("kubegate", env!("CARGO_PKG_VERSION")))
        .with_instructions(INSTRUCTIONS)
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let caller = self.acting_for(&context.extensions);
        let call = ToolCallContext::new(&caller, request, context);
        match self.tool_router.call(call).await {
            // Arguments that do not parse are the model's to fix: rmcp answers them as a tool error; this
            // gives it the code every other failure starts with.
            Ok(CallToolResponse::Complete(result)) if result.is_error == Some(true) => {
                let text = result.content.first().and_then(|c| c.as_text()).map(|t| t.text.clone());
                match text {
                    Some(text) if text.starts_with("failed to deserialize parameters") => {
                        Ok(crate::reply::failure(tonic::Code::InvalidArgument, &text).into())
                    }
                    _ => Ok(result.into()),
                }
            }
            other => other,
        }
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        crate::resources::list(&self.acting_for(&context.extensions).upstream).await
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, ErrorData> {
        Ok(crate::resources::templates())
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let caller = self.acting_for(&context.extensions);
        crate::resources::read(&caller.upstream, &request.uri, self.limit()).await.map(Into::into)
    }

    fn accepted_subscription_filter(&self, requested: &SubscriptionFilter) -> Option<SubscriptionFilter> {
        // Only pod log URIs can be followed; anything else is left out of the acknowledgment.
        let mut accepted = requested.supported_by(&self.get_info().capabilities);
        if let Some(uris) = accepted.resource_subscriptions.as_mut() {
            uris.retain(|uri| crate::resources::LogUri::parse(uri).is_ok());
        }
        Some(accepted)
    }

    async fn listen(&self, context: SubscriptionContext) -> Result<(), ErrorData> {
        let caller = self.acting_for(&context.request_context().extensions);
        crate::resources::listen(&caller.upstream, context).await
    }

    #[allow(deprecated, reason = "clients before protocol 2026-07-28 subscribe this way")]
    async fn subscribe(
        &self,
        request: SubscribeRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        crate::resources::LogUri::parse(&request.uri).map_err(|e| ErrorData::invalid_params(e, None))?;
        let stop = CancellationToken::new();
        let mut subscriptions = self.subscriptions.lock().map_err(|_| poisoned())?;
        // A second subscribe to the same URI replaces the first (its guard cancels it).
        subscriptions.insert(request.uri.clone(), stop.clone().drop_guard());
        let caller = self.acting_for(&context.extensions);
        crate::resources::subscribe(&caller.upstream, request.uri, context.peer, stop);
        Ok(())
    }

    #[allow(deprecated, reason = "clients before protocol 2026-07-28 unsubscribe this way")]
    async fn unsubscribe(
        &self,
        request: UnsubscribeRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        // Dropping the guard cancels the follow.
        self.subscriptions.lock().map_err(|_| poisoned())?.remove(&request.uri);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn over_http_calls_act_for_the_callers_bearer_token() {
        let upstream = Upstream::connect("http://127.0.0.1:1", None, None).expect("upstream");
        let handler = Kubegate::new(upstream, Options::default());
        let (mut parts, ()) = http::Request::new(()).into_parts();
        parts.headers.append(http::header::AUTHORIZATION, "Basic x".parse().expect("header"));
        parts.headers.append(http::header::AUTHORIZATION, "Bearer admin-token".parse().expect("header"));
        let mut extensions = Extensions::new();
        extensions.insert(parts);
        let caller = handler.acting_for(&extensions);
        let request = tonic::service::Interceptor::call(
            &mut caller.upstream.interceptor_for_tests(),
            tonic::Request::new(()),
        )
        .expect("intercepted");
        assert_eq!(
            request.metadata().get("authorization").and_then(|v| v.to_str().ok()),
            Some("Bearer admin-token")
        );
        // Over stdio there is no HTTP request: the configured token (none here) is sent.
        let own = handler.acting_for(&Extensions::new());
        let request = tonic::service::Interceptor::call(
            &mut own.upstream.interceptor_for_tests(),
            tonic::Request::new(()),
        )
        .expect("intercepted");
        assert!(request.metadata().get("authorization").is_none());
    }

    #[test]
    fn every_tool_has_a_description_naming_its_errors_and_an_object_schema() {
        let tools = tools().list_all();
        assert_eq!(tools.len(), 22);
        for tool in tools {
            let description = tool.description.as_deref().unwrap_or_default();
            assert!(description.contains("Errors") || tool.name == "test_connection", "{}", tool.name);
            assert_eq!(
                tool.input_schema.get("type").and_then(|t| t.as_str()),
                Some("object"),
                "{}",
                tool.name
            );
        }
    }
}
