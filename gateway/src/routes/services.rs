//! Kubernetes Services: list, create, get, delete.

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

/// The Service routes.
pub fn routes() -> Router<Upstream> {
    Router::new()
        .route("/api/kubernetes/services", get(list_services).post(create_service))
        .route("/api/kubernetes/services/{name}", get(get_service).delete(delete_service))
}

/// A number or a port name.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum TargetPort {
    Number(i32),
    Name(String),
}

/// A service port as the list shows it.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServicePortSummary {
    port: i32,
    protocol: &'static str,
    target_port: TargetPort,
}

/// A service as the list shows it.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSummary {
    age: i64,
    #[serde(rename = "clusterIP", skip_serializing_if = "Option::is_none")]
    cluster_ip: Option<String>,
    name: String,
    namespace: String,
    ports: Vec<ServicePortSummary>,
    selector: BTreeMap<String, String>,
    #[serde(rename = "type")]
    service_type: &'static str,
}

impl From<&pb::KubernetesService> for ServiceSummary {
    fn from(s: &pb::KubernetesService) -> Self {
        let meta = s.metadata.clone().unwrap_or_default();
        let ports = s
            .ports
            .iter()
            .map(|p| ServicePortSummary {
                port: p.port,
                protocol: convert::protocol_name(p.protocol()),
                target_port: if p.target_port_name.is_empty() {
                    TargetPort::Number(p.target_port)
                } else {
                    TargetPort::Name(p.target_port_name.clone())
                },
            })
            .collect();
        Self {
            age: age_millis(meta.create_time.as_ref()),
            cluster_ip: Some(s.cluster_ip.clone()).filter(|ip| !ip.is_empty()),
            name: meta.name,
            namespace: meta.namespace,
            ports,
            // Sorted, so that the body is the same every time.
            selector: s.selector.clone().into_iter().collect(),
            service_type: convert::service_type_name(s.r#type()),
        }
    }
}

/// `{services: [...]}`.
#[derive(Serialize, ToSchema)]
pub struct ServiceList {
    services: Vec<ServiceSummary>,
}

#[utoipa::path(get, path = "/api/kubernetes/services", tag = "kubernetes", summary = "List services",
    params(NamespaceQuery),
    responses((status = 200, description = "`{services: [ServiceSummary]}`", body = ServiceList), CommonErrors))]
pub(crate) async fn list_services(
    AsCaller(up): AsCaller,
    Query(q): Query<NamespaceQuery>,
) -> Reply<ServiceList> {
    let request = pb::ListKubernetesServicesRequest {
        namespace: q.namespace,
        label_selector: q.label_selector,
        ..Default::default()
    };
    let listed = up.network().list_kubernetes_services(request).await?.into_inner();
    Ok(Json(ServiceList { services: listed.services.iter().map(ServiceSummary::from).collect() }))
}

/// A port of a Service to create.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ServicePortBody {
    #[serde(default)]
    name: String,
    port: i32,
    target_port: Option<i32>,
    protocol: Option<String>,
}

/// A Service to create, as the original took it.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreateServiceBody {
    name: String,
    #[serde(default)]
    namespace: String,
    #[serde(default)]
    selector: BTreeMap<String, String>,
    ports: Vec<ServicePortBody>,
    #[serde(rename = "type")]
    service_type: Option<String>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
}

/// `{success: true, serviceName}`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceCreated {
    service_name: String,
    success: bool,
}

fn port(i: usize, p: ServicePortBody) -> Result<pb::ServicePort, ApiError> {
    let protocol = match p.protocol.as_deref() {
        None => pb::Protocol::Tcp,
        Some(name) => convert::protocol_from_name(name).ok_or_else(|| {
            ApiError::bad_request(format!("ports[{i}].protocol: {name:?} is not TCP, UDP or SCTP"))
        })?,
    };
    Ok(pb::ServicePort {
        name: p.name,
        port: p.port,
        target_port: p.target_port.unwrap_or(0),
        protocol: protocol as i32,
        ..Default::default()
    })
}

#[utoipa::path(post, path = "/api/kubernetes/services", tag = "kubernetes", summary = "Create a service",
    request_body = CreateServiceBody,
    responses((status = 200, description = "`{success: true, serviceName}`", body = ServiceCreated),
        (status = 409, description = "A service of that name exists", body = ErrorBody), BodyErrors, CommonErrors))]
pub(crate) async fn create_service(
    AsCaller(up): AsCaller,
    JsonBody(b): JsonBody<CreateServiceBody>,
) -> Reply<ServiceCreated> {
    let service_type = match b.service_type.as_deref() {
        None => pb::KubernetesServiceType::ClusterIp,
        Some(name) => convert::service_type_from_name(name).ok_or_else(|| {
            ApiError::bad_request(format!("type: {name:?} is not ClusterIP, NodePort or LoadBalancer"))
        })?,
    };
    let ports = b.ports.into_iter().enumerate().map(|(i, p)| port(i, p)).collect::<Result<_, _>>()?;
    let spec = pb::KubernetesServiceSpec {
        name: b.name,
        namespace: b.namespace,
        selector: b.selector.into_iter().collect(),
        ports,
        r#type: service_type as i32,
        labels: b.labels.into_iter().collect(),
        ..Default::default()
    };
    let created = up
        .network()
        .create_kubernetes_service(pb::CreateKubernetesServiceRequest { service: Some(spec) })
        .await?;
    let service_name =
        created.into_inner().service.and_then(|s| s.metadata).map(|m| m.name).unwrap_or_default();
    Ok(Json(ServiceCreated { service_name, success: true }))
}

/// `{service}`: the Kubernetes object as Kubernetes wrote it.
#[derive(Serialize, ToSchema)]
pub struct ServiceObject {
    #[schema(value_type = Object)]
    service: Option<Box<RawValue>>,
}

#[utoipa::path(get, path = "/api/kubernetes/services/{name}", tag = "kubernetes", summary = "Get a service",
    params(("name" = String, Path, description = "The service"), NamespaceQuery),
    responses((status = 200, description = "`{service}`: the Kubernetes object", body = ServiceObject),
        NoSuchObject, CommonErrors))]
pub(crate) async fn get_service(
    AsCaller(up): AsCaller,
    Path(name): Path<String>,
    Query(q): Query<NamespaceQuery>,
) -> Reply<ServiceObject> {
    let got = up
        .network()
        .get_kubernetes_service(pb::GetKubernetesServiceRequest { namespace: q.namespace, name })
        .await?;
    Ok(Json(ServiceObject { service: raw_object(got.into_inner().object_json) }))
}

#[utoipa::path(delete, path = "/api/kubernetes/services/{name}", tag = "kubernetes", summary = "Delete a service",
    params(("name" = String, Path, description = "The service"), NamespaceQuery),
    responses((status = 200, description = "`{success: true}`", body = Success), NoSuchObject, CommonErrors))]
pub(crate) async fn delete_service(
    AsCaller(up): AsCaller,
    Path(name): Path<String>,
    Query(q): Query<NamespaceQuery>,
) -> Reply<Success> {
    up.network()
        .delete_kubernetes_service(pb::DeleteKubernetesServiceRequest { namespace: q.namespace, name })
        .await?;
    Ok(Json(SUCCESS))
}
