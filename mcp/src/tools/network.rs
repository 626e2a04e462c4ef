//! Services and Ingresses (NetworkService): create, get, list, delete.

use std::collections::BTreeMap;

use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

use kubegate_proto::v1 as pb;

use crate::server::Kubegate;
use crate::{reply, views};

/// A port's protocol.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
pub enum Protocol {
    /// TCP (the default).
    #[serde(rename = "TCP")]
    Tcp,
    /// UDP.
    #[serde(rename = "UDP")]
    Udp,
    /// SCTP.
    #[serde(rename = "SCTP")]
    Sctp,
}

/// How a Service is exposed.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
pub enum ServiceType {
    /// A virtual IP reachable inside the cluster only (the default).
    #[serde(rename = "ClusterIP")]
    ClusterIp,
    /// A ClusterIP plus a port on every node; only where kubegate's operator allows it.
    NodePort,
    /// A NodePort plus an external load balancer; only where kubegate's operator allows it.
    LoadBalancer,
}

/// How an Ingress path matches.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
pub enum PathType {
    /// By path element prefix (the default).
    Prefix,
    /// Exactly.
    Exact,
    /// As the IngressClass decides.
    ImplementationSpecific,
}

/// One port of a Service.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Port {
    /// The port the Service listens on, 1 to 65535.
    #[schemars(range(min = 1))]
    pub port: u16,
    /// The container port traffic goes to. Default: the same as port.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub target_port: Option<u16>,
    /// The port's name (a DNS label); required when the Service has more than one port.
    #[serde(default)]
    pub name: String,
    /// The protocol. Default TCP.
    #[serde(default)]
    pub protocol: Option<Protocol>,
}

/// The input of create_service.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateService {
    /// The Service's name: lowercase letters, digits and '-', starting with a letter, at most 63.
    pub name: String,
    /// The labels of the pods it sends traffic to, for example {"app": "web"}.
    pub selector: BTreeMap<String, String>,
    /// Its ports; at least one.
    pub ports: Vec<Port>,
    /// The namespace. Default: kubegate's configured namespace.
    #[serde(default)]
    pub namespace: String,
    /// How the Service is exposed. Default ClusterIP; the others only where kubegate's operator allows
    /// them (PERMISSION_DENIED otherwise).
    #[serde(default)]
    pub r#type: Option<ServiceType>,
    /// Labels of the Service itself.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

/// The input of create_ingress: one host routed to one Service port.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateIngress {
    /// The Ingress's name: lowercase letters, digits, '-' and '.'.
    pub name: String,
    /// The Service requests go to.
    pub service: String,
    /// The Service's port number, 1 to 65535.
    #[schemars(range(min = 1))]
    pub service_port: u16,
    /// The host name, for example "web.example.com". Default: every host.
    #[serde(default)]
    pub host: String,
    /// The URL path. Default "/".
    #[serde(default)]
    pub path: String,
    /// How the path matches. Default Prefix.
    #[serde(default)]
    pub path_type: Option<PathType>,
    /// The namespace. Default: kubegate's configured namespace.
    #[serde(default)]
    pub namespace: String,
    /// The IngressClass. Default: the cluster's default class.
    #[serde(default)]
    pub ingress_class: String,
    /// Annotations; only those kubegate's operator allows (the ingress-nginx WebSocket and rewrite ones by
    /// default), INVALID_ARGUMENT otherwise.
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    /// A TLS Secret for the host; the Ingress then serves https.
    #[serde(default)]
    pub tls_secret: String,
}

/// An object to name.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectRef {
    /// Its name.
    pub name: String,
    /// The namespace. Default: kubegate's configured namespace.
    #[serde(default)]
    pub namespace: String,
}

/// The input of list_services and list_ingresses.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListObjects {
    /// The namespace. Default: kubegate's configured namespace.
    #[serde(default)]
    pub namespace: String,
    /// A label selector, for example "app=web". Default: all.
    #[serde(default)]
    pub label_selector: String,
    /// The most to return, 1 to 1000. Default 50.
    #[serde(default)]
    #[schemars(range(min = 1, max = 1000))]
    pub page_size: Option<u16>,
    /// The next_page_token of a previous answer, to continue it.
    #[serde(default)]
    pub page_token: String,
}

fn page(items: Vec<serde_json::Value>, key: &str, next: String) -> serde_json::Value {
    let mut body = json!({ key: items });
    if !next.is_empty() {
        body["next_page_token"] = json!(next);
    }
    body
}

#[tool_router(router = network_tools, vis = "pub(crate)")]
impl Kubegate {
    #[tool(
        description = "Creates a Kubernetes Service sending traffic to the pods with the selector's labels. \
        Errors: ALREADY_EXISTS, INVALID_ARGUMENT (names the bad field), PERMISSION_DENIED (a type or \
        selector kubegate's policy refuses).",
        annotations(destructive_hint = false, open_world_hint = false)
    )]
    async fn create_service(&self, Parameters(p): Parameters<CreateService>) -> CallToolResult {
        let kind = match p.r#type {
            None | Some(ServiceType::ClusterIp) => pb::KubernetesServiceType::ClusterIp,
            Some(ServiceType::NodePort) => pb::KubernetesServiceType::NodePort,
            Some(ServiceType::LoadBalancer) => pb::KubernetesServiceType::LoadBalancer,
        };
        let ports = p
            .ports
            .into_iter()
            .map(|port| pb::ServicePort {
                name: port.name,
                port: i32::from(port.port),
                target_port: port.target_port.map(i32::from).unwrap_or(0),
                protocol: match port.protocol {
                    None | Some(Protocol::Tcp) => pb::Protocol::Tcp,
                    Some(Protocol::Udp) => pb::Protocol::Udp,
                    Some(Protocol::Sctp) => pb::Protocol::Sctp,
                } as i32,
                ..Default::default()
            })
            .collect();
        let spec = pb::KubernetesServiceSpec {
            name: p.name,
            namespace: p.namespace,
            selector: p.selector.into_iter().collect(),
            ports,
            r#type: kind as i32,
            labels: p.labels.into_iter().collect(),
            ..Default::default()
        };
        let request = pb::CreateKubernetesServiceRequest { service: Some(spec) };
        match self.upstream.network().create_kubernetes_service(request).await {
            Ok(answer) => {
                reply::json(&views::service(&answer.into_inner().service.unwrap_or_default()), self.limit())
            }
            Err(status) => reply::status(&status),
        }
    }

    #[tool(
        description = "Reads a Kubernetes Service: type, selector, ports, cluster IP. Errors: NOT_FOUND.",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn get_service(&self, Parameters(p): Parameters<ObjectRef>) -> CallToolResult {
        let request = pb::GetKubernetesServiceRequest { namespace: p.namespace, name: p.name };
        match self.upstream.network().get_kubernetes_service(request).await {
            Ok(answer) => {
                reply::json(&views::service(&answer.into_inner().service.unwrap_or_default()), self.limit())
            }
            Err(status) => reply::status(&status),
        }
    }

    #[tool(
        description = "Lists Kubernetes Services of a namespace, 50 at a time by default; continue with \
        next_page_token. Errors: INVALID_ARGUMENT (a bad label selector or page token).",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn list_services(&self, Parameters(p): Parameters<ListObjects>) -> CallToolResult {
        let request = pb::ListKubernetesServicesRequest {
            namespace: p.namespace,
            label_selector: p.label_selector,
            page_size: i32::from(p.page_size.unwrap_or(50)),
            page_token: p.page_token,
        };
        match self.upstream.network().list_kubernetes_services(request).await {
            Ok(answer) => {
                let answer = answer.into_inner();
                let items = answer.services.iter().map(views::service).collect();
                reply::json(&page(items, "services", answer.next_page_token), self.limit())
            }
            Err(status) => reply::status(&status),
        }
    }

    #[tool(
        description = "Deletes a Kubernetes Service; its pods keep running. Errors: NOT_FOUND (no such Service).",
        annotations(destructive_hint = true, idempotent_hint = true, open_world_hint = false)
    )]
    async fn delete_service(&self, Parameters(p): Parameters<ObjectRef>) -> CallToolResult {
        let name = p.name.clone();
        let request = pb::DeleteKubernetesServiceRequest { namespace: p.namespace, name: p.name };
        match self.upstream.network().delete_kubernetes_service(request).await {
            Ok(_) => reply::done(format!("service {name:?} deleted")),
            Err(status) => reply::status(&status),
        }
    }

    #[tool(
        description = "Creates an Ingress routing a host (and path) to a Service port. Errors: \
        ALREADY_EXISTS, INVALID_ARGUMENT (names the bad field, e.g. an annotation that is not allowed).",
        annotations(destructive_hint = false, open_world_hint = false)
    )]
    async fn create_ingress(&self, Parameters(p): Parameters<CreateIngress>) -> CallToolResult {
        let path_type = match p.path_type {
            None | Some(PathType::Prefix) => pb::PathType::Prefix,
            Some(PathType::Exact) => pb::PathType::Exact,
            Some(PathType::ImplementationSpecific) => pb::PathType::ImplementationSpecific,
        };
        let backend = pb::IngressBackend {
            service_name: p.service,
            service_port_number: i32::from(p.service_port),
            service_port_name: String::new(),
        };
        let path = if p.path.is_empty() { "/".to_string() } else { p.path };
        let tls = if p.tls_secret.is_empty() {
            Vec::new()
        } else {
            vec![pb::IngressTls { hosts: vec![p.host.clone()], secret_name: p.tls_secret }]
        };
        let spec = pb::IngressSpec {
            name: p.name,
            namespace: p.namespace,
            rules: vec![pb::IngressRule {
                host: p.host,
                paths: vec![pb::IngressPath { path, path_type: path_type as i32, backend: Some(backend) }],
            }],
            annotations: p.annotations.into_iter().collect(),
            ingress_class_name: p.ingress_class,
            tls,
            ..Default::default()
        };
        let request = pb::CreateIngressRequest { ingress: Some(spec) };
        match self.upstream.network().create_ingress(request).await {
            Ok(answer) => {
                reply::json(&views::ingress(&answer.into_inner().ingress.unwrap_or_default()), self.limit())
            }
            Err(status) => reply::status(&status),
        }
    }

    #[tool(
        description = "Reads an Ingress: rules, class, TLS, published addresses. Errors: NOT_FOUND.",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn get_ingress(&self, Parameters(p): Parameters<ObjectRef>) -> CallToolResult {
        let request = pb::GetIngressRequest { namespace: p.namespace, name: p.name };
        match self.upstream.network().get_ingress(request).await {
            Ok(answer) => {
                reply::json(&views::ingress(&answer.into_inner().ingress.unwrap_or_default()), self.limit())
            }
            Err(status) => reply::status(&status),
        }
    }

    #[tool(
        description = "Lists Ingresses of a namespace, 50 at a time by default; continue with \
        next_page_token. Errors: INVALID_ARGUMENT (a bad label selector or page token).",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn list_ingresses(&self, Parameters(p): Parameters<ListObjects>) -> CallToolResult {
        let request = pb::ListIngressesRequest {
            namespace: p.namespace,
            label_selector: p.label_selector,
            page_size: i32::from(p.page_size.unwrap_or(50)),
            page_token: p.page_token,
        };
        match self.upstream.network().list_ingresses(request).await {
            Ok(answer) => {
                let answer = answer.into_inner();
                let items = answer.ingresses.iter().map(views::ingress).collect();
                reply::json(&page(items, "ingresses", answer.next_page_token), self.limit())
            }
            Err(status) => reply::status(&status),
        }
    }

    #[tool(
        description = "Deletes an Ingress; its hosts stop routing to the Service. Errors: NOT_FOUND (no such Ingress).",
        annotations(destructive_hint = true, idempotent_hint = true, open_world_hint = false)
    )]
    async fn delete_ingress(&self, Parameters(p): Parameters<ObjectRef>) -> CallToolResult {
        let name = p.name.clone();
        let request = pb::DeleteIngressRequest { namespace: p.namespace, name: p.name };
        match self.upstream.network().delete_ingress(request).await {
            Ok(_) => reply::done(format!("ingress {name:?} deleted")),
            Err(status) => reply::status(&status),
        }
    }
}
