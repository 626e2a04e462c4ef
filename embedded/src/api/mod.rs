//! The HTTP side of the embedded API server: authentication, routing of Kubernetes paths, CRUD, lists,
//! watches, patches, and the hand-off of pod subresources (log, exec, attach) to the kubelet.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::StreamExt as _;
use serde_json::{Value, json};

use super::Cluster;
use super::auth::{self, Attributes, User};
use super::discovery;
use super::kinds::{self, Kind};
use super::objects;
use super::selectors::{FieldSelector, LabelSelector};
use super::status::{ApiError, ApiResult};
use super::store::Change;

/// The largest request body accepted, as a real API server's default.
const MAX_BODY: usize = 3 * 1024 * 1024;

/// A JSON response with a status code.
fn json_response(status: StatusCode, body: &Value) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

/// Where a request points.
#[derive(Debug, Clone)]
struct Target {
    kind: Kind,
    namespace: String,
    name: String,
    subresource: String,
}

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

fn query_map(request: &Request) -> HashMap<String, String> {
    request.uri().query().map(|q| url_pairs(q).into_iter().collect()).unwrap_or_default()
}

/// Decodes `a=b&c=d` pairs, keeping repeated keys in order.
pub fn url_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(text: &str) -> String {
    let plus_as_space = text.replace('+', " ");
    percent_encoding::percent_decode_str(&plus_as_space).decode_utf8_lossy().into_owned()
}

fn is_true(query: &HashMap<String, String>, key: &str) -> bool {
    query.get(key).is_some_and(|v| v == "true" || v == "1")
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

    match (request.method().clone(), target.name.is_empty(), target.subresource.as_str()) {
        (Method::GET, true, "") if watching => watch(cluster, &target, &query).await,
        (Method::GET, true, "") => list(&cluster, &target, &query, &accept),
        (Method::POST, true, "") => {
            let body = read_json(request).await?;
            create(&cluster, &target, body, &user, &query)
        }
        (Method::DELETE, true, "") => delete_collection(&cluster, &target, &query),
        (Method::GET, false, "") => {
            let object = get(&cluster, &target)?;
            Ok(json_response(StatusCode::OK, &object))
        }
        (Method::PUT, false, "" | "status") => {
            let body = read_json(request).await?;
            replace(&cluster, &target, body)
        }
        (Method::PATCH, false, "" | "status") => {
            let content_type = content_type(request.headers());
            let body = read_body(request).await?;
            patch(&cluster, &target, &content_type, &body)
        }
        (Method::DELETE, false, "") => {
            let body = read_body(request).await?;
            delete(&cluster, &target, &query, &body)
        }
        (Method::GET, false, "status") => Ok(json_response(StatusCode::OK, &get(&cluster, &target)?)),
        (Method::GET, false, "log") if target.kind == kinds::PODS => {
            cluster.kubelet.logs(&cluster, &target.namespace, &target.name, &query).await
        }
        (Method::GET | Method::POST, false, "exec" | "attach") if target.kind == kinds::PODS => {
            let (mut parts, _body) = request.into_parts();
            let pairs = parts.uri.query().map(url_pairs).unwrap_or_default();
            let upgrade = WebSocketUpgrade::from_request_parts(&mut parts, &()).await.map_err(|_| {
                ApiError::bad_request(
                    "exec and attach need a WebSocket upgrade offering v5.channel.k8s.io or v4.channel.k8s.io \
                     (SPDY is not served; with kubectl, leave KUBECTL_REMOTE_COMMAND_WEBSOCKETS unset)",
                )
            })?;
            let attach = target.subresource == "attach";
            cluster.kubelet.exec(cluster.clone(), &target.namespace, &target.name, pairs, attach, upgrade)
        }
        _ => Err(ApiError::method_not_allowed()),
    }
}

fn aggregated(body: Value) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, discovery::AGGREGATED_V2)], body.to_string()).into_response()
}

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

fn content_type(headers: &HeaderMap) -> String {
    headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("application/json").to_string()
}

async fn read_body(request: Request) -> ApiResult<Bytes> {
    axum::body::to_bytes(request.into_body(), MAX_BODY)
        .await
        .map_err(|_| ApiError::with_code(413, "the request body is larger than 3 MiB"))
}

async fn read_json(request: Request) -> ApiResult<Value> {
    let content_type = content_type(request.headers());
    if content_type.contains("protobuf") || content_type.contains("yaml") {
        return Err(ApiError::unsupported_media_type(&content_type));
    }
    let body = read_body(request).await?;
    serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("the request body is not valid JSON: {e}")))
}

fn get(cluster: &Cluster, target: &Target) -> ApiResult<Value> {
    cluster
        .store
        .get(&target.kind, &target.namespace, &target.name)
        .ok_or_else(|| ApiError::not_found(target.kind.resource, target.kind.group, &target.name))
}

struct Filters {
    labels: LabelSelector,
    fields: FieldSelector,
}

impl Filters {
    fn parse(target: &Target, query: &HashMap<String, String>) -> ApiResult<Self> {
        Ok(Self {
            labels: LabelSelector::parse(query.get("labelSelector").map_or("", String::as_str))?,
            fields: FieldSelector::parse(
                target.kind.resource,
                query.get("fieldSelector").map_or("", String::as_str),
            )?,
        })
    }

    fn matches(&self, resource: &str, object: &Value) -> bool {
        self.labels.matches(object) && self.fields.matches(resource, object)
    }
}

/// One page of the objects a request's namespace and selectors match.
fn list_matching(
    cluster: &Cluster,
    target: &Target,
    filters: &Filters,
    limit: Option<usize>,
    continue_token: Option<&str>,
) -> ApiResult<super::store::Page> {
    let resource = target.kind.resource;
    cluster.store.list(
        &target.kind,
        namespace_scope(target),
        &|o| filters.matches(resource, o),
        limit,
        continue_token,
    )
}

fn namespace_scope(target: &Target) -> Option<&str> {
    (target.kind.namespaced && !target.namespace.is_empty()).then_some(target.namespace.as_str())
}

/// Lists items as a real server does: without kind and apiVersion on each item.
fn strip_type(mut object: Value) -> Value {
    if let Some(map) = object.as_object_mut() {
        map.remove("kind");
        map.remove("apiVersion");
    }
    object
}

fn list(
    cluster: &Cluster,
    target: &Target,
    query: &HashMap<String, String>,
    accept: &str,
) -> ApiResult<Response> {
    let filters = Filters::parse(target, query)?;
    let limit = query.get("limit").and_then(|l| l.parse::<usize>().ok()).filter(|l| *l > 0);
    let page = list_matching(cluster, target, &filters, limit, query.get("continue").map(String::as_str))?;
    if accept.contains("as=Table") {
        let table = super::table::table(&target.kind, &page.items, page.rv, &page.continue_token);
        let content_type = "application/json;as=Table;v=v1;g=meta.k8s.io";
        return Ok(
            (StatusCode::OK, [(header::CONTENT_TYPE, content_type)], table.to_string()).into_response()
        );
    }
    let mut metadata = json!({"resourceVersion": page.rv.to_string()});
    if !page.continue_token.is_empty() {
        metadata["continue"] = json!(page.continue_token);
    }
    let items: Vec<Value> = page.items.into_iter().map(strip_type).collect();
    let body = json!({
        "kind": target.kind.list_kind(),
        "apiVersion": target.kind.api_version(),
        "metadata": metadata,
        "items": items,
    });
    Ok(json_response(StatusCode::OK, &body))
}

fn create(
    cluster: &Arc<Cluster>,
    target: &Target,
    mut body: Value,
    user: &User,
    query: &HashMap<String, String>,
) -> ApiResult<Response> {
    let kind = target.kind;
    if !kind.stored {
        return review(&kind, body, user);
    }
    let namespace = if kind.namespaced { target.namespace.as_str() } else { "" };
    if kind.namespaced && namespace.is_empty() {
        return Err(ApiError::method_not_allowed());
    }
    let declared = (body["kind"].as_str(), body["apiVersion"].as_str());
    if let (Some(k), Some(v)) = declared
        && (k != kind.kind || v != kind.api_version())
    {
        return Err(ApiError::bad_request(format!(
            "the API version in the data ({v}) does not match the expected API version ({})",
            kind.api_version()
        )));
    }
    objects::admit_create(&kind, namespace, &mut body)?;
    if kind == kinds::PODS {
        cluster.kubelet.admit(&mut body)?;
    }
    if query.get("dryRun").is_some_and(|d| d == "All") {
        let name = body["metadata"]["name"].as_str().unwrap_or_default().to_string();
        if cluster.store.get(&kind, namespace, &name).is_some() {
            return Err(ApiError::already_exists(kind.resource, kind.group, &name));
        }
        body["kind"] = json!(kind.kind);
        body["apiVersion"] = json!(kind.api_version());
        return Ok(json_response(StatusCode::CREATED, &body));
    }
    let created = cluster.store.create(&kind, namespace, body)?;
    if kind == kinds::PODS {
        let name = created["metadata"]["name"].as_str().unwrap_or_default().to_string();
        cluster.kubelet.start(cluster.clone(), namespace, &name);
    }
    Ok(json_response(StatusCode::CREATED, &created))
}

/// Answers a SelfSubjectAccessReview or SelfSubjectReview for the caller.
fn review(kind: &Kind, mut body: Value, user: &User) -> ApiResult<Response> {
    if *kind == kinds::SSR {
        let answer = json!({
            "kind": "SelfSubjectReview",
            "apiVersion": "authentication.k8s.io/v1",
            "metadata": {"creationTimestamp": null},
            "status": {"userInfo": user.user_info()},
        });
        return Ok(json_response(StatusCode::CREATED, &answer));
    }
    let attrs = &body["spec"]["resourceAttributes"];
    if !attrs.is_object() {
        return Err(ApiError::invalid(
            kind.kind,
            kind.group,
            "",
            &[super::status::Cause::required("spec.resourceAttributes")],
        ));
    }
    let field = |k: &str| attrs[k].as_str().unwrap_or_default().to_string();
    let attributes = Attributes {
        verb: field("verb"),
        group: field("group"),
        resource: field("resource"),
        subresource: field("subresource"),
        namespace: field("namespace"),
        name: field("name"),
    };
    let allowed = user.allows(&attributes);
    let reason = if allowed { "allowed by the embedded cluster's RBAC rules" } else { "" };
    body["status"] = json!({"allowed": allowed, "denied": false, "reason": reason});
    body["kind"] = json!(kind.kind);
    body["apiVersion"] = json!(kind.api_version());
    if !body["metadata"].is_object() {
        body["metadata"] = json!({"creationTimestamp": null});
    }
    Ok(json_response(StatusCode::CREATED, &body))
}

/// Carries server-owned fields of the stored object over to a replacement.
fn keep_server_fields(old: &Value, new: &mut Value, kind: &Kind, status_only: bool) {
    for field in ["uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds"]
    {
        if !old["metadata"][field].is_null() {
            new["metadata"][field] = old["metadata"][field].clone();
        }
    }
    for field in ["namespace", "name"] {
        match old["metadata"].get(field) {
            Some(value) => new["metadata"][field] = value.clone(),
            None => {
                if let Some(meta) = new.get_mut("metadata").and_then(Value::as_object_mut) {
                    meta.remove(field);
                }
            }
        }
    }
    new["kind"] = json!(kind.kind);
    new["apiVersion"] = json!(kind.api_version());
    if status_only {
        let status = new["status"].clone();
        *new = old.clone();
        new["status"] = status;
    } else if !old["status"].is_null() {
        new["status"] = old["status"].clone();
    }
    if kind.resource == "pods" && !status_only {
        // A pod's spec is immutable but for a few fields; keep the stored one.
        new["spec"] = old["spec"].clone();
    }
}

fn replace(cluster: &Cluster, target: &Target, body: Value) -> ApiResult<Response> {
    let expected = body["metadata"]["resourceVersion"].as_str().map(str::to_string);
    let kind = target.kind;
    let status_only = target.subresource == "status";
    let updated =
        cluster.store.update(&kind, &target.namespace, &target.name, expected.as_deref(), |stored| {
            let mut new = body.clone();
            keep_server_fields(stored, &mut new, &kind, status_only);
            new["metadata"]["resourceVersion"] = stored["metadata"]["resourceVersion"].clone();
            *stored = new;
            Ok(())
        })?;
    Ok(json_response(StatusCode::OK, &updated))
}

fn patch(cluster: &Cluster, target: &Target, content_type: &str, body: &[u8]) -> ApiResult<Response> {
    let kind = target.kind;
    let status_only = target.subresource == "status";
    let patch: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("the patch is not valid JSON: {e}")))?;
    let media = content_type.split(';').next().unwrap_or("").trim().to_string();
    let expected = patch["metadata"]["resourceVersion"].as_str().map(str::to_string);
    let updated =
        cluster.store.update(&kind, &target.namespace, &target.name, expected.as_deref(), |stored| {
            let mut new = stored.clone();
            match media.as_str() {
                // Strategic merge is served as a JSON merge patch: they agree except on keyed lists.
                "application/merge-patch+json" | "application/strategic-merge-patch+json" => {
                    json_patch::merge(&mut new, &patch);
                }
                "application/json-patch+json" => {
                    let ops: json_patch::Patch = serde_json::from_value(patch.clone())
                        .map_err(|e| ApiError::bad_request(format!("invalid JSON patch: {e}")))?;
                    json_patch::patch(&mut new, &ops).map_err(|e| {
                        ApiError::with_code(422, format!("the JSON patch could not be applied: {e}"))
                    })?;
                }
                other => return Err(ApiError::unsupported_media_type(other)),
            }
            keep_server_fields(stored, &mut new, &kind, status_only);
            new["metadata"]["resourceVersion"] = stored["metadata"]["resourceVersion"].clone();
            *stored = new;
            Ok(())
        })?;
    Ok(json_response(StatusCode::OK, &updated))
}

fn grace_period(query: &HashMap<String, String>, body: &[u8]) -> Option<i64> {
    let from_body = serde_json::from_slice::<Value>(body).ok().and_then(|b| b["gracePeriodSeconds"].as_i64());
    from_body.or_else(|| query.get("gracePeriodSeconds").and_then(|g| g.parse().ok()))
}

fn delete(
    cluster: &Arc<Cluster>,
    target: &Target,
    query: &HashMap<String, String>,
    body: &[u8],
) -> ApiResult<Response> {
    let kind = target.kind;
    let current = get(cluster, target)?;
    if let Ok(options) = serde_json::from_slice::<Value>(body)
        && let Some(uid) = options["preconditions"]["uid"].as_str()
        && current["metadata"]["uid"].as_str() != Some(uid)
    {
        return Err(ApiError::conflict(kind.resource, kind.group, &target.name));
    }
    let object = match kind.resource {
        "pods" => {
            cluster.kubelet.delete(cluster, &target.namespace, &target.name, grace_period(query, body))?
        }
        "namespaces" => delete_namespace(cluster, &target.name)?,
        _ => cluster.store.remove(&kind, &target.namespace, &target.name)?,
    };
    Ok(json_response(StatusCode::OK, &object))
}

fn delete_namespace(cluster: &Arc<Cluster>, name: &str) -> ApiResult<Value> {
    let marked = cluster.store.update(&kinds::NAMESPACES, "", name, None, |ns| {
        ns["status"]["phase"] = json!("Terminating");
        if ns["metadata"]["deletionTimestamp"].is_null() {
            ns["metadata"]["deletionTimestamp"] = json!(super::store::now_rfc3339());
        }
        Ok(())
    })?;
    let cluster = cluster.clone();
    let name = name.to_string();
    tokio::spawn(async move {
        for kind in kinds::ALL.iter().filter(|k| k.namespaced && k.stored) {
            let Ok(page) = cluster.store.list(kind, Some(&name), &|_| true, None, None) else { continue };
            for object in page.items {
                let item = object["metadata"]["name"].as_str().unwrap_or_default().to_string();
                let _ = if kind.resource == "pods" {
                    cluster.kubelet.delete(&cluster, &name, &item, Some(0)).map(|_| ())
                } else {
                    cluster.store.remove(kind, &name, &item).map(|_| ())
                };
            }
        }
        // Pods stop asynchronously; wait for them before the namespace goes.
        for _ in 0..600 {
            let remaining = cluster.store.list(&kinds::PODS, Some(&name), &|_| true, Some(1), None);
            if remaining.map(|p| p.items.is_empty()).unwrap_or(true) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = cluster.store.remove(&kinds::NAMESPACES, "", &name);
    });
    Ok(marked)
}

fn delete_collection(
    cluster: &Arc<Cluster>,
    target: &Target,
    query: &HashMap<String, String>,
) -> ApiResult<Response> {
    let filters = Filters::parse(target, query)?;
    let kind = target.kind;
    let resource = kind.resource;
    let page = list_matching(cluster, target, &filters, None, None)?;
    let mut deleted = Vec::new();
    for object in page.items {
        let ns = object["metadata"]["namespace"].as_str().unwrap_or_default().to_string();
        let name = object["metadata"]["name"].as_str().unwrap_or_default().to_string();
        let result = if resource == "pods" {
            cluster.kubelet.delete(cluster, &ns, &name, grace_period(query, &[]))
        } else {
            cluster.store.remove(&kind, &ns, &name)
        };
        if let Ok(object) = result {
            deleted.push(strip_type(object));
        }
    }
    let body = json!({
        "kind": kind.list_kind(),
        "apiVersion": kind.api_version(),
        "metadata": {"resourceVersion": cluster.store.resource_version().to_string()},
        "items": deleted,
    });
    Ok(json_response(StatusCode::OK, &body))
}

fn event_line(event_type: &str, object: &Value) -> Bytes {
    let mut line = json!({"type": event_type, "object": object}).to_string();
    line.push('\n');
    Bytes::from(line)
}

fn relevant(change: &Change, target: &Target) -> bool {
    change.resource == target.kind.resource
        && (target.namespace.is_empty() || !target.kind.namespaced || change.namespace == target.namespace)
}

async fn watch(
    cluster: Arc<Cluster>,
    target: &Target,
    query: &HashMap<String, String>,
) -> ApiResult<Response> {
    let filters = Filters::parse(target, query)?;
    let from: Option<u64> = match query.get("resourceVersion").map(String::as_str) {
        None | Some("" | "0") => None,
        Some(rv) => {
            Some(rv.parse().map_err(|_| ApiError::bad_request(format!("invalid resource version {rv:?}")))?)
        }
    };
    let send_initial = is_true(query, "sendInitialEvents");
    let bookmarks = is_true(query, "allowWatchBookmarks");
    let timeout = query
        .get("timeoutSeconds")
        .and_then(|t| t.parse::<u64>().ok())
        .map_or(Duration::from_secs(1800), Duration::from_secs);

    let mut initial = Vec::new();
    let subscription = match from {
        Some(rv) if !send_initial => match cluster.store.subscribe(rv) {
            Ok(subscription) => subscription,
            // As a real API server does, a watch from a resourceVersion that is too old is answered
            // 200 with one ERROR event carrying the 410 Status, so clients relist.
            Err(gone) => {
                let line = event_line("ERROR", &gone.body);
                let stream = futures::stream::once(async move { Ok::<_, std::io::Error>(line) });
                return Ok((
                    StatusCode::OK,
                    [(header::CONTENT_TYPE, "application/json")],
                    Body::from_stream(stream),
                )
                    .into_response());
            }
        },
        _ => {
            // Start from "now" with a synthetic ADDED per existing object. Subscribing first and listing
            // after means a change in between is seen twice at worst, never lost; replays skip it by RV.
            let subscription = cluster.store.subscribe(cluster.store.resource_version())?;
            initial = list_matching(&cluster, target, &filters, None, None)?.items;
            subscription
        }
    };
    let kind = target.kind;
    let target = target.clone();
    let mut ender = cluster.faults.watch_ender();
    let initial_rv = subscription.rv;
    let stream = async_stream_watch(
        initial,
        send_initial,
        subscription,
        move |change: &Change| relevant(change, &target) && filters.matches(kind.resource, &change.object),
        kind,
        bookmarks,
        timeout,
        async move { super::faults::fired(&mut ender).await },
        initial_rv,
    );
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], Body::from_stream(stream))
        .into_response())
}

#[allow(clippy::too_many_arguments)]
fn async_stream_watch(
    initial: Vec<Value>,
    send_initial_end: bool,
    subscription: super::store::Subscription,
    keep: impl Fn(&Change) -> bool + Send + 'static,
    kind: Kind,
    bookmarks: bool,
    timeout: Duration,
    ended: impl std::future::Future<Output = ()> + Send + 'static,
    start_rv: u64,
) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> + Send {
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(64);
    tokio::spawn(async move {
        let mut last_rv = start_rv;
        for object in initial {
            let rv: u64 =
                object["metadata"]["resourceVersion"].as_str().and_then(|r| r.parse().ok()).unwrap_or(0);
            last_rv = last_rv.max(rv);
            if tx.send(event_line("ADDED", &object)).await.is_err() {
                return;
            }
        }
        if send_initial_end {
            let bookmark = json!({
                "kind": kind.kind,
                "apiVersion": kind.api_version(),
                "metadata": {"resourceVersion": last_rv.to_string(), "annotations": {"k8s.io/initial-events-end": "true"}},
            });
            if tx.send(event_line("BOOKMARK", &bookmark)).await.is_err() {
                return;
            }
        }
        for change in subscription.replay {
            if keep(&change) && tx.send(event_line(change.event.as_str(), &change.object)).await.is_err() {
                return;
            }
            last_rv = last_rv.max(change.rv);
        }
        let mut live = subscription.live;
        let deadline = tokio::time::sleep(timeout);
        tokio::pin!(deadline);
        tokio::pin!(ended);
        let mut tick = tokio::time::interval(Duration::from_secs(30));
        tick.tick().await;
        loop {
            tokio::select! {
                () = &mut deadline => return,
                () = &mut ended => return,
                () = tx.closed() => return,
                _ = tick.tick(), if bookmarks => {
                    let bookmark = json!({"kind": kind.kind, "apiVersion": kind.api_version(), "metadata": {"resourceVersion": last_rv.to_string()}});
                    if tx.send(event_line("BOOKMARK", &bookmark)).await.is_err() { return; }
                }
                received = live.recv() => match received {
                    Ok(change) => {
                        if change.rv <= last_rv { continue; }
                        last_rv = change.rv;
                        if keep(&change) {
                            let line = event_line(change.event.as_str(), &change.object);
                            if tx.send(line).await.is_err() { return; }
                        }
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                        let status = ApiError::gone("the watcher fell too far behind; relist").body;
                        let _ = tx.send(event_line("ERROR", &status)).await;
                        return;
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                }
            }
        }
    });
    tokio_stream::wrappers::ReceiverStream::new(rx).map(Ok)
}
