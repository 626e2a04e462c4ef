//! Kubernetes Ingresses: list, create (from the native `networking.k8s.io/v1` rule JSON), get, delete.

use std::collections::BTreeMap;

use axum::extract::{Path, Query};
use axum::routing::get;
use axum::{Json, Router};
use kubegate_proto::convert;
use kubegate_proto::v1 as pb;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use utoipa::ToSchema;

use crate::error::{ApiError, BodyErrors, CommonErrors, ErrorBody, NoSuchObject};
use crate::input::{JsonBody, NamespaceQuery};
use crate::reply::{Reply, SUCCESS, Success, age_millis, raw_object};
use crate::upstream::{AsCaller, Upstream};

/// The Ingress routes.
pub fn routes() -> Router<Upstream> {
    Router::new()
        .route("/api/kubernetes/ingresses", get(list_ingresses).post(create_ingress))
        .route("/api/kubernetes/ingresses/{name}", get(get_ingress).delete(delete_ingress))
}

/// An ingress as the list shows it.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IngressSummary {
    addresses: Vec<String>,
    age: i64,
    annotations: BTreeMap<String, String>,
    hosts: Vec<String>,
    ingress_class_name: String,
    name: String,
    namespace: String,
}

impl From<&pb::Ingress> for IngressSummary {
    fn from(i: &pb::Ingress) -> Self {
        let meta = i.metadata.clone().unwrap_or_default();
        Self {
            addresses: i.addresses.clone(),
            age: age_millis(meta.create_time.as_ref()),
            // Sorted, so that the body is the same every time.
            annotations: meta.annotations.into_iter().collect(),
            hosts: i.rules.iter().map(|r| r.host.clone()).filter(|h| !h.is_empty()).collect(),
            ingress_class_name: i.ingress_class_name.clone(),
            name: meta.name,
            namespace: meta.namespace,
        }
    }
}

/// `{ingresses: [...]}`.
#[derive(Serialize, ToSchema)]
pub struct IngressList {
    ingresses: Vec<IngressSummary>,
}

#[utoipa::path(get, path = "/api/kubernetes/ingresses", tag = "kubernetes", summary = "List ingresses",
    params(NamespaceQuery),
    responses((status = 200, description = "`{ingresses: [IngressSummary]}`", body = IngressList), CommonErrors))]
pub(crate) async fn list_ingresses(
    AsCaller(up): AsCaller,
    Query(q): Query<NamespaceQuery>,
) -> Reply<IngressList> {
    let request = pb::ListIngressesRequest {
        namespace: q.namespace,
        label_selector: q.label_selector,
        ..Default::default()
    };
    let listed = up.network().list_ingresses(request).await?.into_inner();
    Ok(Json(IngressList { ingresses: listed.ingresses.iter().map(IngressSummary::from).collect() }))
}

/// The native `networking.k8s.io/v1` rule JSON the original integration documents.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RuleBody {
    #[serde(default)]
    host: String,
    http: Option<HttpBody>,
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct HttpBody {
    paths: Vec<PathBody>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PathBody {
    #[serde(default)]
    path: String,
    path_type: Option<String>,
    backend: BackendBody,
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct BackendBody {
    service: ServiceBackendBody,
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct ServiceBackendBody {
    name: String,
    port: PortBody,
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct PortBody {
    number: Option<i32>,
    name: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreateIngressBody {
    name: String,
    #[serde(default)]
    namespace: String,
    rules: Vec<RuleBody>,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
    #[serde(default)]
    ingress_class_name: String,
    #[serde(default)]
    labels: BTreeMap<String, String>,
}

/// `{success: true, ingressName}`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IngressCreated {
    ingress_name: String,
    success: bool,
}

/// The rules of the API from the native rule JSON; an unknown path type is a 400 naming where it is.
fn rules(bodies: Vec<RuleBody>) -> Result<Vec<pb::IngressRule>, ApiError> {
    let mut rules = Vec::new();
    for (i, rule) in bodies.into_iter().enumerate() {
        let mut paths = Vec::new();
        for (j, p) in rule.http.map(|h| h.paths).unwrap_or_default().into_iter().enumerate() {
            let path_type = match p.path_type.as_deref() {
                None => pb::PathType::Prefix,
                Some(name) => convert::path_type_from_name(name).ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "rules[{i}].http.paths[{j}].pathType: {name:?} is not Prefix, Exact or ImplementationSpecific"
                    ))
                })?,
            };
            let backend = pb::IngressBackend {
                service_name: p.backend.service.name,
                service_port_number: p.backend.service.port.number.unwrap_or(0),
                service_port_name: p.backend.service.port.name.unwrap_or_default(),
            };
            paths.push(pb::IngressPath { path: p.path, path_type: path_type as i32, backend: Some(backend) });
        }
        rules.push(pb::IngressRule { host: rule.host, paths });
    }
    Ok(rules)
}

#[utoipa::path(post, path = "/api/kubernetes/ingresses", tag = "kubernetes", summary = "Create an ingress",
    request_body = CreateIngressBody,
    responses((status = 200, description = "`{success: true, ingressName}`", body = IngressCreated),
        (status = 409, description = "An ingress of that name exists", body = ErrorBody), BodyErrors, CommonErrors))]
pub(crate) async fn create_ingress(
    AsCaller(up): AsCaller,
    JsonBody(b): JsonBody<CreateIngressBody>,
) -> Reply<IngressCreated> {
    let spec = pb::IngressSpec {
        name: b.name,
        namespace: b.namespace,
        rules: rules(b.rules)?,
        annotations: b.annotations.into_iter().collect(),
        ingress_class_name: b.ingress_class_name,
        labels: b.labels.into_iter().collect(),
        ..Default::default()
    };
    let created = up.network().create_ingress(pb::CreateIngressRequest { ingress: Some(spec) }).await?;
    let ingress_name =
        created.into_inner().ingress.and_then(|i| i.metadata).map(|m| m.name).unwrap_or_default();
    Ok(Json(IngressCreated { ingress_name, success: true }))
}

/// `{ingress}`: the Kubernetes object as Kubernetes wrote it.
#[derive(Serialize, ToSchema)]
pub struct IngressObject {
    #[schema(value_type = Object)]
    ingress: Option<Box<RawValue>>,
}

#[utoipa::path(get, path = "/api/kubernetes/ingresses/{name}", tag = "kubernetes", summary = "Get an ingress",
    params(("name" = String, Path, description = "The ingress"), NamespaceQuery),
    responses((status = 200, description = "`{ingress}`: the Kubernetes object", body = IngressObject),
        NoSuchObject, CommonErrors))]
pub(crate) async fn get_ingress(
    AsCaller(up): AsCaller,
    Path(name): Path<String>,
    Query(q): Query<NamespaceQuery>,
) -> Reply<IngressObject> {
    let got = up.network().get_ingress(pb::GetIngressRequest { namespace: q.namespace, name }).await?;
    Ok(Json(IngressObject { ingress: raw_object(got.into_inner().object_json) }))
}

#[utoipa::path(delete, path = "/api/kubernetes/ingresses/{name}", tag = "kubernetes", summary = "Delete an ingress",
    params(("name" = String, Path, description = "The ingress"), NamespaceQuery),
    responses((status = 200, description = "`{success: true}`", body = Success), NoSuchObject, CommonErrors))]
pub(crate) async fn delete_ingress(
    AsCaller(up): AsCaller,
    Path(name): Path<String>,
    Query(q): Query<NamespaceQuery>,
) -> Reply<Success> {
    up.network().delete_ingress(pb::DeleteIngressRequest { namespace: q.namespace, name }).await?;
    Ok(Json(SUCCESS))
}
