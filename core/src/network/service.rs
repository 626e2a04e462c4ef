//! Kubernetes Services: a validated spec turned into an object, and an object into the API's view.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kubegate_proto::convert;
use kubegate_proto::v1 as pb;

use crate::error::{Error, Result};
use crate::pods::{labels_with_managed, object_meta};
use crate::validation::{self as check, Violations};

/// A Service type's Kubernetes name; an unknown number is a field error.
pub(crate) fn service_type_name(t: i32) -> Result<&'static str> {
    pb::KubernetesServiceType::try_from(t)
        .map(convert::service_type_name)
        .map_err(|_| Error::invalid("service.type", format!("{t} is not a service type")))
}

fn service_type_of(name: Option<&str>) -> pb::KubernetesServiceType {
    name.map_or(pb::KubernetesServiceType::ClusterIp, |n| {
        convert::service_type_from_name(n).unwrap_or(pb::KubernetesServiceType::Unspecified)
    })
}

fn protocol_of(name: Option<&str>) -> pb::Protocol {
    name.and_then(convert::protocol_from_name).unwrap_or(pb::Protocol::Tcp)
}

fn protocol_name(p: i32) -> Result<&'static str> {
    pb::Protocol::try_from(p)
        .map(convert::protocol_name)
        .map_err(|_| Error::invalid("protocol", format!("{p} is not a protocol")))
}

/// The metadata of an object kubegate creates.
pub(crate) fn metadata(
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
    // Every field of the request is named here: a field added to the API stops the build until it
    // is handled, instead of being dropped silently.
    let pb::KubernetesServiceSpec {
        name: _,
        namespace: _,
        selector: _,
        ports: _,
        r#type: _,
        labels: _,
        annotations: _,
    } = spec;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> pb::KubernetesServiceSpec {
        pb::KubernetesServiceSpec {
            name: "web".into(),
            selector: [("app".to_string(), "web".to_string())].into(),
            ports: vec![pb::ServicePort { port: 80, ..Default::default() }],
            ..Default::default()
        }
    }

    #[test]
    fn a_service_defaults_to_cluster_ip_tcp_and_the_same_target_port() {
        let service = build_service(&spec()).expect("valid");
        let s = service.spec.expect("spec");
        assert_eq!(s.type_.as_deref(), Some("ClusterIP"));
        let port = &s.ports.expect("ports")[0];
        assert_eq!(port.protocol.as_deref(), Some("TCP"));
        assert_eq!(port.target_port, Some(IntOrString::Int(80)));
        let labels = service.metadata.labels.expect("labels");
        assert_eq!(labels.get("managed-by").map(String::as_str), Some("opencode-manager"));
    }

    #[test]
    fn a_service_needs_a_dns_name_and_a_port_in_range() {
        let mut bad = spec();
        bad.name = "9web".into();
        bad.ports[0].port = 70000;
        let text = build_service(&bad).expect_err("invalid").to_string();
        assert!(text.contains("service.name"), "{text}");
        assert!(text.contains("service.ports[0].port"), "{text}");
        let mut none = spec();
        none.ports.clear();
        assert!(build_service(&none).expect_err("no port").to_string().contains("at least one port"));
    }
}
