//! Kubernetes Services and Ingresses: validated specs turned into objects, and get, list and delete.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::networking::v1 as net;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kube::api::{Api, DeleteParams, ListParams, PostParams};
use kubegate_proto::v1 as pb;

use crate::error::{Error, Result};
use crate::pods::{labels_with_managed, object_meta, page_size};
use crate::state::State;
use crate::validation::{self as check, Violations};

fn service_type_name(t: i32) -> Result<&'static str> {
    match pb::KubernetesServiceType::try_from(t) {
        Ok(pb::KubernetesServiceType::Unspecified | pb::KubernetesServiceType::ClusterIp) => Ok("ClusterIP"),
        Ok(pb::KubernetesServiceType::NodePort) => Ok("NodePort"),
        Ok(pb::KubernetesServiceType::LoadBalancer) => Ok("LoadBalancer"),
        Err(_) => Err(Error::invalid("service.type", format!("{t} is not a service type"))),
    }
}

fn service_type_of(name: Option<&str>) -> pb::KubernetesServiceType {
    match name {
        Some("NodePort") => pb::KubernetesServiceType::NodePort,
        Some("LoadBalancer") => pb::KubernetesServiceType::LoadBalancer,
        Some("ClusterIP") | None => pb::KubernetesServiceType::ClusterIp,
        Some(_) => pb::KubernetesServiceType::Unspecified,
    }
}

fn protocol_of(name: Option<&str>) -> pb::Protocol {
    match name {
        Some("UDP") => pb::Protocol::Udp,
        Some("SCTP") => pb::Protocol::Sctp,
        _ => pb::Protocol::Tcp,
    }
}

fn protocol_name(p: i32) -> Result<&'static str> {
    match pb::Protocol::try_from(p) {
        Ok(pb::Protocol::Unspecified | pb::Protocol::Tcp) => Ok("TCP"),
        Ok(pb::Protocol::Udp) => Ok("UDP"),
        Ok(pb::Protocol::Sctp) => Ok("SCTP"),
        Err(_) => Err(Error::invalid("protocol", format!("{p} is not a protocol"))),
    }
}

/// The metadata of an object kubegate creates.
fn metadata(
    name: &str,
    labels: BTreeMap<String, String>,
    annotations: &std::collections::HashMap<String, String>,
) -> kube::api::ObjectMeta {
    kube::api::ObjectMeta {
        name: Some(name.to_string()),
        labels: Some(labels),
        annotations: (!annotations.is_empty())
            .then(|| annotations.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        ..kube::api::ObjectMeta::default()
    }
}

/// Builds a Service from a spec, checking every field first.
pub fn build_service(spec: &pb::KubernetesServiceSpec) -> Result<core::Service> {
    let mut v = Violations::default();
    check::dns1035(&mut v, "service.name", &spec.name);
    check::labels(&mut v, "service.selector", spec.selector.iter());
    let labels = labels_with_managed(&mut v, "service.labels", &spec.labels);
    check::annotations(&mut v, "service.annotations", spec.annotations.iter());
    let service_type = service_type_name(spec.r#type);
    if let Err(Error::InvalidArgument(violations)) = &service_type {
        v.0.extend(violations.iter().cloned());
    }
    if spec.ports.is_empty() {
        v.add("service.ports", "at least one port is required");
    }
    let mut names = Vec::new();
    let mut ports = Vec::new();
    for (i, port) in spec.ports.iter().enumerate() {
        let field = format!("service.ports[{i}]");
        check::port(&mut v, &format!("{field}.port"), port.port);
        if port.target_port != 0 {
            check::port(&mut v, &format!("{field}.target_port"), port.target_port);
        }
        if port.target_port != 0 && !port.target_port_name.is_empty() {
            v.add(format!("{field}.target_port_name"), "set target_port or target_port_name, not both");
        }
        if !port.target_port_name.is_empty()
            && (port.target_port_name.len() > 15 || !check::is_dns1123_label(&port.target_port_name))
        {
            v.add(
                format!("{field}.target_port_name"),
                "must be a port name: at most 15 lowercase letters, digits and '-'",
            );
        }
        if port.node_port != 0 {
            check::port(&mut v, &format!("{field}.node_port"), port.node_port);
        }
        if spec.ports.len() > 1 && port.name.is_empty() {
            v.add(format!("{field}.name"), "is required when a service has more than one port");
        } else if !port.name.is_empty() {
            if !check::is_dns1123_label(&port.name) {
                v.add(format!("{field}.name"), "must be a lowercase RFC 1123 label");
            }
            if names.contains(&port.name) {
                v.add(format!("{field}.name"), format!("{:?} is used twice", port.name));
            }
            names.push(port.name.clone());
        }
        let protocol = match protocol_name(port.protocol) {
            Ok(p) => p,
            Err(_) => {
                v.add(format!("{field}.protocol"), format!("{} is not a protocol", port.protocol));
                "TCP"
            }
        };
        let target = if !port.target_port_name.is_empty() {
            IntOrString::String(port.target_port_name.clone())
        } else if port.target_port != 0 {
            IntOrString::Int(port.target_port)
        } else {
            IntOrString::Int(port.port)
        };
        ports.push(core::ServicePort {
            name: (!port.name.is_empty()).then(|| port.name.clone()),
            port: port.port,
            target_port: Some(target),
            protocol: Some(protocol.to_string()),
            node_port: (port.node_port != 0).then_some(port.node_port),
            ..core::ServicePort::default()
        });
    }
    v.into_result()?;
    Ok(core::Service {
        metadata: metadata(&spec.name, labels, &spec.annotations),
        spec: Some(core::ServiceSpec {
            selector: Some(
                spec.selector.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<BTreeMap<_, _>>(),
            ),
            ports: Some(ports),
            type_: Some(service_type.unwrap_or("ClusterIP").to_string()),
            ..core::ServiceSpec::default()
        }),
        status: None,
    })
}

/// The API view of a Service.
pub fn service_summary(service: &core::Service) -> pb::KubernetesService {
    let spec = service.spec.clone().unwrap_or_default();
    pb::KubernetesService {
        metadata: Some(object_meta(&service.metadata)),
        selector: spec.selector.clone().unwrap_or_default().into_iter().collect(),
        ports: spec
            .ports
            .clone()
            .unwrap_or_default()
            .into_iter()
            .map(|p| {
                let (target_port, target_port_name) = match p.target_port {
                    Some(IntOrString::Int(n)) => (n, String::new()),
                    Some(IntOrString::String(s)) => (0, s),
                    None => (p.port, String::new()),
                };
                pb::ServicePort {
                    name: p.name.unwrap_or_default(),
                    port: p.port,
                    target_port,
                    target_port_name,
                    protocol: protocol_of(p.protocol.as_deref()) as i32,
                    node_port: p.node_port.unwrap_or(0),
                }
            })
            .collect(),
        r#type: service_type_of(spec.type_.as_deref()) as i32,
        cluster_ip: spec.cluster_ip.clone().unwrap_or_default(),
        external_addresses: service
            .status
            .as_ref()
            .and_then(|s| s.load_balancer.as_ref())
            .and_then(|lb| lb.ingress.as_ref())
            .map(|ingress| {
                ingress.iter().filter_map(|i| i.ip.clone().or_else(|| i.hostname.clone())).collect()
            })
            .unwrap_or_default(),
    }
}

fn backend(field: &str, v: &mut Violations, b: &pb::IngressBackend) -> net::IngressBackend {
    check::dns1035(v, &format!("{field}.service_name"), &b.service_name);
    let port = match (b.service_port_number, b.service_port_name.is_empty()) {
        (0, true) => {
            v.add(format!("{field}.service_port_number"), "set service_port_number or service_port_name");
            net::ServiceBackendPort::default()
        }
        (n, true) => {
            check::port(v, &format!("{field}.service_port_number"), n);
            net::ServiceBackendPort { number: Some(n), name: None }
        }
        (0, false) => net::ServiceBackendPort { number: None, name: Some(b.service_port_name.clone()) },
        (_, false) => {
            v.add(
                format!("{field}.service_port_name"),
                "set service_port_number or service_port_name, not both",
            );
            net::ServiceBackendPort::default()
        }
    };
    net::IngressBackend {
        service: Some(net::IngressServiceBackend { name: b.service_name.clone(), port: Some(port) }),
        resource: None,
    }
}

fn path_type_name(t: i32) -> Option<&'static str> {
    match pb::PathType::try_from(t) {
        Ok(pb::PathType::Unspecified | pb::PathType::Prefix) => Some("Prefix"),
        Ok(pb::PathType::Exact) => Some("Exact"),
        Ok(pb::PathType::ImplementationSpecific) => Some("ImplementationSpecific"),
        Err(_) => None,
    }
}

fn path_type_of(name: &str) -> pb::PathType {
    match name {
        "Exact" => pb::PathType::Exact,
        "ImplementationSpecific" => pb::PathType::ImplementationSpecific,
        _ => pb::PathType::Prefix,
    }
}

fn hostname_ok(host: &str) -> bool {
    let bare = host.strip_prefix("*.").unwrap_or(host);
    check::is_dns1123_subdomain(bare)
}

/// Builds an Ingress from a spec, checking every field first. Annotations pass through untouched.
pub fn build_ingress(spec: &pb::IngressSpec) -> Result<net::Ingress> {
    let mut v = Violations::default();
    check::subdomain(&mut v, "ingress.name", &spec.name);
    let labels = labels_with_managed(&mut v, "ingress.labels", &spec.labels);
    check::annotations(&mut v, "ingress.annotations", spec.annotations.iter());
    if spec.rules.is_empty() && spec.default_backend.is_none() {
        v.add("ingress.rules", "at least one rule, or a default backend, is required");
    }
    let mut rules = Vec::new();
    for (i, rule) in spec.rules.iter().enumerate() {
        let field = format!("ingress.rules[{i}]");
        if !rule.host.is_empty() && !hostname_ok(&rule.host) {
            v.add(format!("{field}.host"), format!("{:?} is not a DNS host name", rule.host));
        }
        if rule.paths.is_empty() {
            v.add(format!("{field}.paths"), "at least one path is required");
        }
        let mut paths = Vec::new();
        for (j, path) in rule.paths.iter().enumerate() {
            let pfield = format!("{field}.paths[{j}]");
            let text = if path.path.is_empty() { "/".to_string() } else { path.path.clone() };
            if !text.starts_with('/') {
                v.add(format!("{pfield}.path"), format!("{text:?} must start with '/'"));
            }
            let path_type = path_type_name(path.path_type).unwrap_or_else(|| {
                v.add(format!("{pfield}.path_type"), format!("{} is not a path type", path.path_type));
                "Prefix"
            });
            let backend = match &path.backend {
                Some(b) => backend(&format!("{pfield}.backend"), &mut v, b),
                None => {
                    v.add(format!("{pfield}.backend"), "is required");
                    net::IngressBackend::default()
                }
            };
            paths.push(net::HTTPIngressPath { path: Some(text), path_type: path_type.to_string(), backend });
        }
        rules.push(net::IngressRule {
            host: (!rule.host.is_empty()).then(|| rule.host.clone()),
            http: Some(net::HTTPIngressRuleValue { paths }),
        });
    }
    let default_backend =
        spec.default_backend.as_ref().map(|b| backend("ingress.default_backend", &mut v, b));
    if !spec.ingress_class_name.is_empty() && !check::is_dns1123_subdomain(&spec.ingress_class_name) {
        v.add("ingress.ingress_class_name", "must be a DNS subdomain");
    }
    for (i, tls) in spec.tls.iter().enumerate() {
        for (j, host) in tls.hosts.iter().enumerate() {
            if !hostname_ok(host) {
                v.add(format!("ingress.tls[{i}].hosts[{j}]"), format!("{host:?} is not a DNS host name"));
            }
        }
        if !tls.secret_name.is_empty() && !check::is_dns1123_subdomain(&tls.secret_name) {
            v.add(format!("ingress.tls[{i}].secret_name"), "must be a DNS subdomain");
        }
    }
    v.into_result()?;
    Ok(net::Ingress {
        metadata: metadata(&spec.name, labels, &spec.annotations),
        spec: Some(net::IngressSpec {
            rules: (!rules.is_empty()).then_some(rules),
            ingress_class_name: (!spec.ingress_class_name.is_empty())
                .then(|| spec.ingress_class_name.clone()),
            tls: (!spec.tls.is_empty()).then(|| {
                spec.tls
                    .iter()
                    .map(|t| net::IngressTLS {
                        hosts: Some(t.hosts.clone()),
                        secret_name: (!t.secret_name.is_empty()).then(|| t.secret_name.clone()),
                    })
                    .collect()
            }),
            default_backend,
        }),
        status: None,
    })
}

fn backend_summary(b: &net::IngressBackend) -> pb::IngressBackend {
    let service = b.service.clone().unwrap_or_default();
    let port = service.port.unwrap_or_default();
    pb::IngressBackend {
        service_name: service.name,
        service_port_number: port.number.unwrap_or(0),
        service_port_name: port.name.unwrap_or_default(),
    }
}

/// The API view of an Ingress.
pub fn ingress_summary(ingress: &net::Ingress) -> pb::Ingress {
    let spec = ingress.spec.clone().unwrap_or_default();
    pb::Ingress {
        metadata: Some(object_meta(&ingress.metadata)),
        rules: spec
            .rules
            .unwrap_or_default()
            .iter()
            .map(|r| pb::IngressRule {
                host: r.host.clone().unwrap_or_default(),
                paths: r
                    .http
                    .as_ref()
                    .map(|h| {
                        h.paths
                            .iter()
                            .map(|p| pb::IngressPath {
                                path: p.path.clone().unwrap_or_default(),
                                path_type: path_type_of(&p.path_type) as i32,
                                backend: Some(backend_summary(&p.backend)),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect(),
        ingress_class_name: spec.ingress_class_name.unwrap_or_default(),
        tls: spec
            .tls
            .unwrap_or_default()
            .into_iter()
            .map(|t| pb::IngressTls {
                hosts: t.hosts.unwrap_or_default(),
                secret_name: t.secret_name.unwrap_or_default(),
            })
            .collect(),
        addresses: ingress
            .status
            .as_ref()
            .and_then(|s| s.load_balancer.as_ref())
            .and_then(|lb| lb.ingress.as_ref())
            .map(|list| list.iter().filter_map(|i| i.ip.clone().or_else(|| i.hostname.clone())).collect())
            .unwrap_or_default(),
        default_backend: spec.default_backend.as_ref().map(backend_summary),
    }
}

fn require_name(name: &str) -> Result<()> {
    let mut v = Violations::default();
    check::subdomain(&mut v, "name", name);
    v.into_result()
}

/// A namespaced kind these calls handle the same way.
trait Namespaced:
    kube::Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>
    + Clone
    + std::fmt::Debug
    + serde::Serialize
    + serde::de::DeserializeOwned
{
}
impl Namespaced for core::Service {}
impl Namespaced for net::Ingress {}

async fn api<K: Namespaced>(state: &State, namespace: &str) -> Result<Api<K>> {
    let namespace = state.namespace(namespace).await?;
    Ok(Api::namespaced(state.client().await?, &namespace))
}

/// Reads one object with its raw JSON.
async fn get_object<K: Namespaced>(state: &State, namespace: &str, name: &str) -> Result<(K, String)> {
    require_name(name)?;
    let object = api::<K>(state, namespace).await?.get(name).await?;
    let json = serde_json::to_string(&object).map_err(|e| Error::Internal(e.to_string()))?;
    Ok((object, json))
}

/// Lists one page of objects and the token of the next.
async fn list_objects<K: Namespaced>(
    state: &State,
    namespace: &str,
    selector: &str,
    size: i32,
    token: &str,
) -> Result<(Vec<K>, String)> {
    let mut params = ListParams::default().limit(page_size(size)?);
    if !selector.is_empty() {
        params = params.labels(selector);
    }
    if !token.is_empty() {
        params = params.continue_token(token);
    }
    let list = api::<K>(state, namespace).await?.list(&params).await?;
    Ok((list.items, list.metadata.continue_.unwrap_or_default()))
}

/// Deletes one object; NOT_FOUND when absent.
async fn delete_object<K: Namespaced>(state: &State, namespace: &str, name: &str) -> Result<()> {
    require_name(name)?;
    api::<K>(state, namespace).await?.delete(name, &DeleteParams::background()).await?;
    Ok(())
}

/// Creates an object in the namespace its spec names.
async fn create_object<K: Namespaced>(state: &State, namespace: &str, object: &K) -> Result<K> {
    Ok(api::<K>(state, namespace).await?.create(&PostParams::default(), object).await?)
}

/// Creates a Service.
pub async fn create_service(state: &State, spec: pb::KubernetesServiceSpec) -> Result<pb::KubernetesService> {
    create_owned_service(state, spec, None).await
}

/// Creates a Service owned by another object (deleted with it by Kubernetes' garbage collector).
pub async fn create_owned_service(
    state: &State,
    spec: pb::KubernetesServiceSpec,
    owner: Option<k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference>,
) -> Result<pb::KubernetesService> {
    let mut service = build_service(&spec)?;
    service.metadata.owner_references = owner.map(|o| vec![o]);
    Ok(service_summary(&create_object(state, &spec.namespace, &service).await?))
}

/// Reads a Service with its raw JSON.
pub async fn get_service(
    state: &State,
    namespace: &str,
    name: &str,
) -> Result<(pb::KubernetesService, String)> {
    let (service, json) = get_object::<core::Service>(state, namespace, name).await?;
    Ok((service_summary(&service), json))
}

/// Lists Services.
pub async fn list_services(
    state: &State,
    r: pb::ListKubernetesServicesRequest,
) -> Result<pb::ListKubernetesServicesResponse> {
    let (items, next_page_token) =
        list_objects::<core::Service>(state, &r.namespace, &r.label_selector, r.page_size, &r.page_token)
            .await?;
    Ok(pb::ListKubernetesServicesResponse {
        services: items.iter().map(service_summary).collect(),
        next_page_token,
    })
}

/// Deletes a Service; NOT_FOUND when absent.
pub async fn delete_service(state: &State, namespace: &str, name: &str) -> Result<()> {
    delete_object::<core::Service>(state, namespace, name).await
}

/// Creates an Ingress.
pub async fn create_ingress(state: &State, spec: pb::IngressSpec) -> Result<pb::Ingress> {
    create_owned_ingress(state, spec, None).await
}

/// Creates an Ingress owned by another object (deleted with it by Kubernetes' garbage collector).
pub async fn create_owned_ingress(
    state: &State,
    spec: pb::IngressSpec,
    owner: Option<k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference>,
) -> Result<pb::Ingress> {
    let mut ingress = build_ingress(&spec)?;
    ingress.metadata.owner_references = owner.map(|o| vec![o]);
    Ok(ingress_summary(&create_object(state, &spec.namespace, &ingress).await?))
}

/// Reads an Ingress with its raw JSON.
pub async fn get_ingress(state: &State, namespace: &str, name: &str) -> Result<(pb::Ingress, String)> {
    let (ingress, json) = get_object::<net::Ingress>(state, namespace, name).await?;
    Ok((ingress_summary(&ingress), json))
}

/// Lists Ingresses.
pub async fn list_ingresses(state: &State, r: pb::ListIngressesRequest) -> Result<pb::ListIngressesResponse> {
    let (items, next_page_token) =
        list_objects::<net::Ingress>(state, &r.namespace, &r.label_selector, r.page_size, &r.page_token)
            .await?;
    Ok(pb::ListIngressesResponse { ingresses: items.iter().map(ingress_summary).collect(), next_page_token })
}

/// Deletes an Ingress; NOT_FOUND when absent.
pub async fn delete_ingress(state: &State, namespace: &str, name: &str) -> Result<()> {
    delete_object::<net::Ingress>(state, namespace, name).await
}
