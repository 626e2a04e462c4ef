//! Ingresses: a validated spec turned into an object, and an object into the API's view.

use k8s_openapi::api::networking::v1 as net;
use kubegate_proto::convert;
use kubegate_proto::v1 as pb;

use super::service::metadata;
use crate::error::Result;
use crate::pods::{labels_with_managed, object_meta};
use crate::validation::{self as check, Violations};

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
    pb::PathType::try_from(t).ok().map(convert::path_type_name)
}

fn path_type_of(name: &str) -> pb::PathType {
    convert::path_type_from_name(name).unwrap_or(pb::PathType::Prefix)
}

fn hostname_ok(host: &str) -> bool {
    let bare = host.strip_prefix("*.").unwrap_or(host);
    check::is_dns1123_subdomain(bare)
}

/// Builds an Ingress from a spec, checking every field first. Annotations pass through untouched.
pub fn build_ingress(spec: &pb::IngressSpec) -> Result<net::Ingress> {
    // Every field of the request is named here: a field added to the API stops the build until it
    // is handled, instead of being dropped silently.
    let pb::IngressSpec {
        name: _,
        namespace: _,
        rules: _,
        annotations: _,
        ingress_class_name: _,
        tls: _,
        labels: _,
        default_backend: _,
    } = spec;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(host: &str) -> pb::IngressSpec {
        pb::IngressSpec {
            name: "web".into(),
            rules: vec![pb::IngressRule {
                host: host.into(),
                paths: vec![pb::IngressPath {
                    path: "/".into(),
                    backend: Some(pb::IngressBackend {
                        service_name: "web".into(),
                        service_port_number: 80,
                        ..Default::default()
                    }),
                    ..Default::default()
                }],
            }],
            ..Default::default()
        }
    }

    #[test]
    fn an_ingress_path_defaults_to_prefix_and_keeps_its_host() {
        let ingress = build_ingress(&spec("preview-web.example.com")).expect("valid");
        let rules = ingress.spec.expect("spec").rules.expect("rules");
        assert_eq!(rules[0].host.as_deref(), Some("preview-web.example.com"));
        let path = &rules[0].http.as_ref().expect("http").paths[0];
        assert_eq!(path.path_type, "Prefix");
        assert_eq!(path.backend.service.as_ref().map(|s| s.name.as_str()), Some("web"));
    }

    #[test]
    fn a_host_that_is_not_a_dns_name_is_refused() {
        let text = build_ingress(&spec("not a host")).expect_err("invalid").to_string();
        assert!(text.contains("ingress.rules[0].host"), "{text}");
    }
}
