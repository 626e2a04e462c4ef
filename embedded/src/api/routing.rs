//! The entry point of every request: injected faults, the unauthenticated endpoints, authentication,
//! discovery, resolving the path to a target, RBAC, and handing the request to the handler of its verb.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::request::{Target, content_type, is_true, query_map, read_body, read_json};
use super::response::json_response;
use super::{crud, patch, subresources, watch};
use crate::auth::{self, Attributes};
use crate::cluster::Cluster;
use crate::discovery;
use crate::kinds::{self, Kind};
use crate::status::{ApiError, ApiResult};

/// The entry point for every request.
pub async fn handle(State(cluster): State<Arc<Cluster>>, request: Request) -> Response {
    let latency = cluster.faults.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let method = request.method().as_str().to_string();
    let path = request.uri().path().to_string();
    if let Some(code) = cluster.faults.failure_for(&method, &path) {
        return ApiError::with_code(code, format!("injected failure for {method} {path}")).into_response();
    }
    match route(cluster, request).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn route(cluster: Arc<Cluster>, request: Request) -> ApiResult<Response> {
    let path = request.uri().path().trim_end_matches('/').to_string();
    let accept =
        request.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();

    // Served without authentication, as system:public-info-viewer allows.
    match path.as_str() {
        "/version" => return Ok(json_response(StatusCode::OK, &discovery::version())),
        "/healthz" | "/livez" | "/readyz" => return Ok((StatusCode::OK, "ok").into_response()),
        _ => {}
    }

    let authorization = request.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let user =
        auth::authenticate(&cluster.users, authorization).cloned().ok_or_else(ApiError::unauthorized)?;

    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let (group, version, rest): (&str, &str, &[&str]) = match segments.as_slice() {
        ["api"] => {
            let body = if discovery::wants_aggregated(&accept) {
                return Ok(aggregated(discovery::api_aggregated()));
            } else {
                discovery::api_legacy(&cluster.server_address)
            };
            return Ok(json_response(StatusCode::OK, &body));
        }
        ["apis"] => {
            if discovery::wants_aggregated(&accept) {
                return Ok(aggregated(discovery::apis_aggregated()));
            }
            return Ok(json_response(StatusCode::OK, &discovery::apis_legacy()));
        }
        ["openapi", "v3"] => return Ok(json_response(StatusCode::OK, &discovery::openapi_root())),
        ["openapi", "v3", rest @ ..] => {
            let doc = discovery::openapi_document(&rest.join("/")).ok_or_else(ApiError::no_route)?;
            return Ok(json_response(StatusCode::OK, &doc));
        }
        ["apis", group] => {
            let doc = discovery::api_group(group).ok_or_else(ApiError::no_route)?;
            return Ok(json_response(StatusCode::OK, &doc));
        }
        ["api", "v1", rest @ ..] => ("", "v1", rest),
        ["apis", group, version, rest @ ..] => (*group, *version, rest),
        _ => return Err(ApiError::no_route()),
    };
    if rest.is_empty() {
        let list = discovery::resource_list(group, version).ok_or_else(ApiError::no_route)?;
        return Ok(json_response(StatusCode::OK, &list));
    }
    let target = parse_target(group, version, rest)?;
    let query = query_map(&request);
    let watching = is_true(&query, "watch");
    let verb = verb_for(request.method(), &target, watching);
    cluster.traffic.record(verb, target.kind.resource);
    let attributes = Attributes {
        verb: verb.to_string(),
        group: target.kind.group.to_string(),
        resource: target.kind.resource.to_string(),
        subresource: target.subresource.clone(),
        namespace: target.namespace.clone(),
        name: target.name.clone(),
    };
    if !user.allows(&attributes) {
        return Err(ApiError::forbidden(
            &user.name,
            verb,
            &attributes.full_resource(),
            target.kind.group,
            &target.namespace,
            &target.name,
        ));
    }
    if target.kind.namespaced
        && !target.namespace.is_empty()
        && !cluster.store.namespace_exists(&target.namespace)
    {
        return Err(ApiError::not_found("namespaces", "", &target.namespace));
    }

    // The status subresource shares the object's handlers, which keep only its status on a write.
    match (request.method().clone(), target.name.is_empty(), target.subresource.as_str()) {
        (Method::GET, true, "") if watching => {
            let open = cluster.traffic.watching(target.kind.resource);
            let response = watch::watch(cluster, &target, &query).await?;
            // Counted as open until its stream ends (the client left, or the watch timed out).
            let (parts, body) = response.into_parts();
            let body = futures::StreamExt::map(body.into_data_stream(), move |chunk| {
                let _open = &open;
                chunk
            });
            Ok(Response::from_parts(parts, axum::body::Body::from_stream(body)))
        }
        (Method::GET, true, "") => crud::list(&cluster, &target, &query, &accept),
        (Method::POST, true, "") => {
            let body = read_json(request).await?;
            crud::create(&cluster, &target, body, &user, &query)
        }
        (Method::DELETE, true, "") => crud::delete_collection(&cluster, &target, &query),
        (Method::GET, false, "" | "status") => {
            let object = crud::get(&cluster, &target)?;
            Ok(json_response(StatusCode::OK, &object))
        }
        (Method::PUT, false, "" | "status") => {
            let body = read_json(request).await?;
            crud::replace(&cluster, &target, body)
        }
        (Method::PATCH, false, "" | "status") => {
            let content_type = content_type(request.headers());
            let body = read_body(request).await?;
            patch::patch(&cluster, &target, &content_type, &body)
        }
        (Method::DELETE, false, "") => {
            let body = read_body(request).await?;
            crud::delete(&cluster, &target, &query, &body)
        }
        (Method::GET, false, "log") if target.kind == kinds::PODS => {
            subresources::log(&cluster, &target, &query).await
        }
        (Method::GET | Method::POST, false, "exec" | "attach") if target.kind == kinds::PODS => {
            subresources::exec(cluster, &target, request).await
        }
        _ => Err(ApiError::method_not_allowed()),
    }
}

fn aggregated(body: Value) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, discovery::AGGREGATED_V2)], body.to_string()).into_response()
}

/// Resolves the path after `/api/v1` or `/apis/{group}/{version}` to a target; 404 for what is not
/// served.
fn parse_target(group: &str, version: &str, rest: &[&str]) -> ApiResult<Target> {
    let find = |resource: &str| Kind::find(group, version, resource).ok_or_else(ApiError::no_route);
    let target = |kind: Kind, namespace: &str, name: &str, sub: &str| Target {
        kind,
        namespace: namespace.to_string(),
        name: name.to_string(),
        subresource: sub.to_string(),
    };
    match rest {
        [resource] => Ok(target(find(resource)?, "", "", "")),
        ["namespaces", namespace, resource] if group.is_empty() || *resource != "status" => {
            let kind = find(resource)?;
            if !kind.namespaced {
                return Err(ApiError::no_route());
            }
            Ok(target(kind, namespace, "", ""))
        }
        ["namespaces", namespace, resource, name] => {
            let kind = find(resource)?;
            if !kind.namespaced {
                return Err(ApiError::no_route());
            }
            Ok(target(kind, namespace, name, ""))
        }
        ["namespaces", namespace, resource, name, sub] => {
            let kind = find(resource)?;
            let allowed = match kind.resource {
                "pods" => ["status", "log", "exec", "attach"].contains(sub),
                _ => *sub == "status",
            };
            if !kind.namespaced || !allowed {
                return Err(ApiError::no_route());
            }
            Ok(target(kind, namespace, name, sub))
        }
        [resource, name] => {
            let kind = find(resource)?;
            if kind.namespaced {
                return Err(ApiError::no_route());
            }
            Ok(target(kind, "", name, ""))
        }
        _ => Err(ApiError::no_route()),
    }
}

/// The RBAC verb of a request.
fn verb_for(method: &Method, target: &Target, watching: bool) -> &'static str {
    if matches!(target.subresource.as_str(), "exec" | "attach") {
        // Kubernetes authorizes WebSocket exec (a GET) as `create`, as it does SPDY's POST.
        return "create";
    }
    let collection = target.name.is_empty();
    match *method {
        Method::GET if watching => "watch",
        Method::GET if collection => "list",
        Method::GET => "get",
        Method::POST => "create",
        Method::PUT => "update",
        Method::PATCH => "patch",
        Method::DELETE if collection => "deletecollection",
        Method::DELETE => "delete",
        _ => "unknown",
    }
}
