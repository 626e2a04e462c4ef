//! Preview environments: one pod, one Service and one Ingress created together, labelled together, the
//! Service and Ingress owned by the pod (so Kubernetes deletes them with it), all or nothing.

use std::collections::HashMap;

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
use kube::api::{Api, ListParams, Resource as _};
use kubegate_proto::v1 as pb;

use crate::error::{Error, Result};
use crate::network::Made;
use crate::state::State;
use crate::validation::{Violations, is_dns1123_label, is_dns1123_subdomain};

/// The label joining the three objects of a preview; its value is the preview's name.
pub const LABEL: &str = "kubegate.dev/preview";

/// The proxy annotations the original integration documents for WebSocket traffic through ingress-nginx.
const WEBSOCKET_ANNOTATIONS: [(&str, &str); 6] = [
    ("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600"),
    ("nginx.ingress.kubernetes.io/proxy-send-timeout", "3600"),
    ("nginx.ingress.kubernetes.io/proxy-http-version", "1.1"),
    ("nginx.ingress.kubernetes.io/proxy-buffering", "off"),
    ("nginx.ingress.kubernetes.io/connection-proxy-header", "keep-alive"),
    ("nginx.ingress.kubernetes.io/upgrade-proxy-header", "websocket"),
];

fn host_for(state: &State, r: &pb::CreatePreviewRequest, namespace: &str) -> String {
    if !r.host.is_empty() {
        return r.host.to_ascii_lowercase();
    }
    let config = state.workflows();
    config
        .preview_host_pattern
        .replace("{name}", &r.name)
        .replace("{namespace}", namespace)
        .replace("{domain}", &config.preview_domain)
        .to_ascii_lowercase()
}

fn url(host: &str, path: &str, tls: bool) -> String {
    let path = if path.is_empty() { "/" } else { path };
    format!("{}://{host}{path}", if tls { "https" } else { "http" })
}

fn validate(r: &pb::CreatePreviewRequest, host: &str) -> Result<()> {
    let mut v = Violations::default();
    // The Service is named after the preview, and Service names are DNS-1035 labels.
    if !crate::validation::is_dns1035_label(&r.name) || r.name.len() > 63 {
        v.add(
            "name",
            "must be a lowercase DNS label starting with a letter (a-z, 0-9, '-'), at most 63 characters",
        );
    }
    if r.image.trim().is_empty() {
        v.add("image", "is required");
    }
    if !(1..=65535).contains(&r.port) {
        v.add("port", "must be between 1 and 65535");
    }
    if !is_dns1123_subdomain(host) || host.split('.').any(|part| !is_dns1123_label(part)) {
        v.add(
            if r.host.is_empty() { "host (from the configured pattern)" } else { "host" },
            format!("{host:?} is not a DNS name"),
        );
    }
    if !r.path.is_empty() && !r.path.starts_with('/') {
        v.add("path", "must start with /");
    }
    v.into_result()
}

/// Creates the pod, then the Service and Ingress owned by it; on any failure removes what was made.
pub async fn create(state: &State, r: pb::CreatePreviewRequest) -> Result<pb::Preview> {
    let namespace = state.namespace(&r.namespace).await?;
    let host = host_for(state, &r, &namespace);
    validate(&r, &host)?;
    let mut labels = r.labels.clone();
    labels.insert(LABEL.into(), r.name.clone());
    let pod_spec = pb::PodSpec {
        name: r.name.clone(),
        namespace: namespace.clone(),
        image: r.image.clone(),
        command: r.command.clone(),
        args: r.args.clone(),
        env: r.env.clone(),
        labels: labels.clone(),
        working_dir: r.working_dir.clone(),
        volume_claims: r.volume_claims.clone(),
        resources: r.resources.clone(),
        ports: vec![pb::ContainerPort { name: "http".into(), container_port: r.port, protocol: 0 }],
        restart_policy: pb::RestartPolicy::Always as i32,
        ..Default::default()
    };
    let service_spec = pb::KubernetesServiceSpec {
        name: r.name.clone(),
        namespace: namespace.clone(),
        selector: HashMap::from([(LABEL.to_string(), r.name.clone())]),
        ports: vec![pb::ServicePort {
            name: "http".into(),
            port: r.port,
            target_port: r.port,
            ..Default::default()
        }],
        labels: labels.clone(),
        ..Default::default()
    };
    let mut annotations = HashMap::new();
    if r.websocket {
        annotations.extend(WEBSOCKET_ANNOTATIONS.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())));
    }
    let ingress_spec = pb::IngressSpec {
        name: r.name.clone(),
        namespace: namespace.clone(),
        rules: vec![pb::IngressRule {
            host: host.clone(),
            paths: vec![pb::IngressPath {
                path: if r.path.is_empty() { "/".into() } else { r.path.clone() },
                path_type: pb::PathType::Prefix as i32,
                backend: Some(pb::IngressBackend {
                    service_name: r.name.clone(),
                    service_port_number: r.port,
                    service_port_name: String::new(),
                }),
            }],
        }],
        annotations,
        ingress_class_name: r.ingress_class_name.clone(),
        tls: if r.tls_secret_name.is_empty() {
            vec![]
        } else {
            vec![pb::IngressTls { hosts: vec![host.clone()], secret_name: r.tls_secret_name.clone() }]
        },
        labels,
        ..Default::default()
    };
    // Everything that can be checked is checked before anything is created.
    crate::pods::build(&pod_spec, &state.settings().await, state.workload())?;
    crate::policy::check_service(&service_spec, state.workload())?;
    crate::network::build_service(&service_spec)?;
    crate::policy::check_ingress(&ingress_spec, state.workload())?;
    crate::network::build_ingress(&ingress_spec)?;

    let pod = crate::pods::create(state, pb::CreatePodRequest { pod: Some(pod_spec), validate_only: false })
        .await?;
    let pod_uid = pod.metadata.as_ref().map(|m| m.uid.clone()).unwrap_or_default();
    // What this call made, by uid: a rollback removes exactly that, never an object that was there before.
    let mut made: Vec<(Kind, String)> = vec![(Kind::Pod, pod_uid.clone())];
    let result = async {
        let owner = OwnerReference {
            api_version: core::Pod::api_version(&()).to_string(),
            kind: core::Pod::kind(&()).to_string(),
            name: r.name.clone(),
            uid: pod_uid.clone(),
            controller: Some(true),
            block_owner_deletion: Some(true),
        };
        let service = crate::network::create_owned_service(state, service_spec, Some(owner.clone())).await?;
        made.push((Kind::Service, service.metadata.map(|m| m.uid).unwrap_or_default()));
        let ingress = crate::network::create_owned_ingress(state, ingress_spec, Some(owner)).await?;
        made.push((Kind::Ingress, ingress.metadata.map(|m| m.uid).unwrap_or_default()));
        Ok::<_, Error>(())
    }
    .await;
    if let Err(problem) = result {
        tracing::warn!(preview = %r.name, error = %problem, "preview incomplete; removing what this call created");
        for (kind, uid) in made.into_iter().rev() {
            let _ = kind.delete(state, &namespace, &r.name, &Made::Uid(uid)).await;
        }
        return Err(problem);
    }
    tracing::info!(preview = %r.name, %host, "preview created");
    get(state, &namespace, &r.name).await
}

/// The three kinds of object a preview is made of.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Pod,
    Service,
    Ingress,
}

impl Kind {
    async fn delete(self, state: &State, namespace: &str, name: &str, made: &Made) -> Result<bool> {
        match self {
            Self::Pod => crate::network::delete_made::<core::Pod>(state, namespace, name, made).await,
            Self::Service => crate::network::delete_made::<core::Service>(state, namespace, name, made).await,
            Self::Ingress => {
                crate::network::delete_made::<k8s_openapi::api::networking::v1::Ingress>(
                    state, namespace, name, made,
                )
                .await
            }
        }
    }
}

/// Deletes the parts of a preview that exist and carry its label; returns how many there were. An
/// object that only shares the preview's name is left alone.
async fn remove(state: &State, namespace: &str, name: &str) -> usize {
    let mut removed = 0;
    for kind in [Kind::Ingress, Kind::Service, Kind::Pod] {
        if kind.delete(state, namespace, name, &Made::Label(LABEL, name.to_string())).await.unwrap_or(false) {
            removed += 1;
        }
    }
    removed
}

fn assemble(
    name: &str,
    namespace: &str,
    pod: Option<pb::Pod>,
    service: Option<pb::KubernetesService>,
    ingress: Option<pb::Ingress>,
) -> pb::Preview {
    let rule = ingress.as_ref().and_then(|i| i.rules.first());
    let host = rule.map(|r| r.host.clone()).unwrap_or_default();
    let path = rule.and_then(|r| r.paths.first()).map(|p| p.path.clone()).unwrap_or_default();
    let tls = ingress.as_ref().is_some_and(|i| !i.tls.is_empty());
    pb::Preview {
        name: name.into(),
        namespace: namespace.into(),
        url: if host.is_empty() { String::new() } else { url(&host, &path, tls) },
        host,
        pod,
        service,
        ingress,
    }
}

/// Reads a preview; NOT_FOUND unless its pod carries the preview label.
pub async fn get(state: &State, namespace: &str, name: &str) -> Result<pb::Preview> {
    let namespace = state.namespace(namespace).await?;
    let (pod, _) = crate::pods::get(state, &namespace, name).await?;
    let label = pod.metadata.as_ref().and_then(|m| m.labels.get(LABEL)).map(String::as_str);
    if label != Some(name) {
        return Err(Error::NotFound(format!("{name} is a pod, not a preview")));
    }
    let service = crate::network::get_service(state, &namespace, name).await.ok().map(|(s, _)| s);
    let ingress = crate::network::get_ingress(state, &namespace, name).await.ok().map(|(i, _)| i);
    Ok(assemble(name, &namespace, Some(pod), service, ingress))
}

/// Lists the previews of a namespace.
pub async fn list(state: &State, namespace: &str) -> Result<Vec<pb::Preview>> {
    let namespace = state.namespace(namespace).await?;
    let client = state.client().await?;
    let params = ListParams::default().labels(LABEL);
    let pods = Api::<core::Pod>::namespaced(client.clone(), &namespace).list(&params).await?;
    let services = Api::<core::Service>::namespaced(client.clone(), &namespace).list(&params).await?;
    let ingresses = Api::<k8s_openapi::api::networking::v1::Ingress>::namespaced(client, &namespace)
        .list(&params)
        .await?;
    let key = |meta: &kube::api::ObjectMeta| meta.labels.as_ref().and_then(|l| l.get(LABEL)).cloned();
    let mut previews = Vec::new();
    for pod in &pods.items {
        let Some(name) = key(&pod.metadata).filter(|n| pod.metadata.name.as_ref() == Some(n)) else {
            continue;
        };
        let service = services.items.iter().find(|s| key(&s.metadata).as_ref() == Some(&name));
        let ingress = ingresses.items.iter().find(|i| key(&i.metadata).as_ref() == Some(&name));
        previews.push(assemble(
            &name,
            &namespace,
            Some(crate::pods::summary(pod)),
            service.map(crate::network::service_summary),
            ingress.map(crate::network::ingress_summary),
        ));
    }
    previews.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(previews)
}

/// Deletes a preview's Ingress, Service and pod; NOT_FOUND when there is no such preview.
pub async fn delete(state: &State, namespace: &str, name: &str) -> Result<()> {
    let preview = get(state, namespace, name).await?;
    remove(state, &preview.namespace, name).await;
    tracing::info!(preview = %name, "preview deleted");
    Ok(())
}
