//! Create, get, list, replace and delete of stored objects, with what a real API server does around
//! them: server-owned fields kept on writes, selectors and pagination on lists, dry runs, graceful pod
//! deletion through the kubelet, and namespaces that take their objects with them.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::request::Target;
use super::response::json_response;
use super::reviews;
use crate::auth::User;
use crate::cluster::Cluster;
use crate::kinds::{self, Kind};
use crate::objects;
use crate::selectors::{FieldSelector, LabelSelector};
use crate::status::{ApiError, ApiResult};
use crate::store::{Page, now_rfc3339};
use crate::table;

/// One stored object; 404 when there is none.
pub fn get(cluster: &Cluster, target: &Target) -> ApiResult<Value> {
    cluster
        .store
        .get(&target.kind, &target.namespace, &target.name)
        .ok_or_else(|| ApiError::not_found(target.kind.resource, target.kind.group, &target.name))
}

/// The label and field selectors of a list or watch.
pub struct Filters {
    labels: LabelSelector,
    fields: FieldSelector,
}

impl Filters {
    /// Parses the selectors of a request; 400 for one that does not parse.
    pub fn parse(target: &Target, query: &HashMap<String, String>) -> ApiResult<Self> {
        Ok(Self {
            labels: LabelSelector::parse(query.get("labelSelector").map_or("", String::as_str))?,
            fields: FieldSelector::parse(
                target.kind.resource,
                query.get("fieldSelector").map_or("", String::as_str),
            )?,
        })
    }

    /// Whether an object passes both selectors.
    pub fn matches(&self, resource: &str, object: &Value) -> bool {
        self.labels.matches(object) && self.fields.matches(resource, object)
    }
}

/// One page of the objects a request's namespace and selectors match.
pub fn list_matching(
    cluster: &Cluster,
    target: &Target,
    filters: &Filters,
    limit: Option<usize>,
    continue_token: Option<&str>,
) -> ApiResult<Page> {
    let resource = target.kind.resource;
    cluster.store.list(
        &target.kind,
        target.namespace_scope(),
        &|o| filters.matches(resource, o),
        limit,
        continue_token,
    )
}

/// Lists items as a real server does: without kind and apiVersion on each item.
fn strip_type(mut object: Value) -> Value {
    if let Some(map) = object.as_object_mut() {
        map.remove("kind");
        map.remove("apiVersion");
    }
    object
}

/// Lists a collection, as JSON or, when the client asks for it, as a Table (kubectl get).
pub fn list(
    cluster: &Cluster,
    target: &Target,
    query: &HashMap<String, String>,
    accept: &str,
) -> ApiResult<Response> {
    let filters = Filters::parse(target, query)?;
    let limit = query.get("limit").and_then(|l| l.parse::<usize>().ok()).filter(|l| *l > 0);
    let page = list_matching(cluster, target, &filters, limit, query.get("continue").map(String::as_str))?;
    if accept.contains("as=Table") {
        let table = table::table(&target.kind, &page.items, page.rv, &page.continue_token);
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

/// Creates an object after admission; a review kind is answered, not stored. Pods are bound to the
/// node before they are stored and started after.
pub fn create(
    cluster: &Cluster,
    target: &Target,
    mut body: Value,
    user: &User,
    query: &HashMap<String, String>,
) -> ApiResult<Response> {
    let kind = target.kind;
    if !kind.stored {
        return reviews::review(&kind, body, user);
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
        cluster.kubelet.start(&created);
    }
    if kind == kinds::NAMESPACES {
        // What the service account controller of a real cluster does for every new namespace.
        let name = created["metadata"]["name"].as_str().unwrap_or_default();
        let _ = cluster.store.create(&kinds::SERVICEACCOUNTS, name, objects::service_account("default"));
    }
    Ok(json_response(StatusCode::CREATED, &created))
}

/// Carries server-owned fields of the stored object over to a replacement.
pub fn keep_server_fields(old: &Value, new: &mut Value, kind: &Kind, status_only: bool) {
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

/// Replaces an object (PUT), or only its status on the status subresource.
pub fn replace(cluster: &Cluster, target: &Target, body: Value) -> ApiResult<Response> {
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

/// The grace period of a delete: from the DeleteOptions body, else the query.
fn grace_period(query: &HashMap<String, String>, body: &[u8]) -> Option<i64> {
    let from_body = serde_json::from_slice::<Value>(body).ok().and_then(|b| b["gracePeriodSeconds"].as_i64());
    from_body.or_else(|| query.get("gracePeriodSeconds").and_then(|g| g.parse().ok()))
}

/// Deletes an object. A pod stops gracefully first, and a namespace takes its objects with it.
pub fn delete(
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
        "pods" => cluster.kubelet.delete(&target.namespace, &target.name, grace_period(query, body))?,
        "namespaces" => delete_namespace(cluster, &target.name)?,
        _ => cluster.kubelet.remove(&kind, &target.namespace, &target.name)?,
    };
    Ok(json_response(StatusCode::OK, &object))
}

/// Marks a namespace Terminating and answers at once; its objects and then itself go in the background.
fn delete_namespace(cluster: &Arc<Cluster>, name: &str) -> ApiResult<Value> {
    let marked = cluster.store.update(&kinds::NAMESPACES, "", name, None, |ns| {
        ns["status"]["phase"] = json!("Terminating");
        if ns["metadata"]["deletionTimestamp"].is_null() {
            ns["metadata"]["deletionTimestamp"] = json!(now_rfc3339());
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
                    cluster.kubelet.delete(&name, &item, Some(0)).map(|_| ())
                } else {
                    cluster.kubelet.remove(kind, &name, &item).map(|_| ())
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
        let _ = cluster.kubelet.remove(&kinds::NAMESPACES, "", &name);
    });
    Ok(marked)
}

/// Deletes what a collection's selectors match (DELETE on a collection).
pub fn delete_collection(
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
            cluster.kubelet.delete(&ns, &name, grace_period(query, &[]))
        } else {
            cluster.kubelet.remove(&kind, &ns, &name)
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
