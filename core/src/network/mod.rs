//! Kubernetes Services and Ingresses: validated specs turned into objects (`service`, `ingress`), and
//! get, list and delete (here).

mod ingress;
mod service;

pub use ingress::{build_ingress, ingress_summary};
pub use service::{build_service, service_summary};

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::networking::v1 as net;
use kube::api::{Api, DeleteParams, ListParams, PostParams};
use kubegate_proto::v1 as pb;

use crate::error::{Error, Result};
use crate::pods::page_size;
use crate::state::State;
use crate::validation::{self as check, Violations};

fn require_name(name: &str) -> Result<()> {
    let mut v = Violations::default();
    check::subdomain(&mut v, "name", name);
    v.into_result()
}

/// A namespaced kind these calls handle the same way.
pub(crate) trait Namespaced:
    kube::Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>
    + Clone
    + std::fmt::Debug
    + serde::Serialize
    + serde::de::DeserializeOwned
{
}
impl Namespaced for core::Service {}
impl Namespaced for net::Ingress {}
impl Namespaced for core::Pod {}

/// Which object a workflow may remove: exactly the one it created (by uid), or one carrying its label.
#[derive(Debug, Clone)]
pub enum Made {
    /// The object with this uid (what a rollback removes: nothing that existed before).
    Uid(String),
    /// An object labelled `key=value` (what deleting a preview removes: nothing else of that name).
    Label(&'static str, String),
}

/// Deletes a Service, Ingress or pod only if it is the one `made` names, with the uid as a precondition
/// so that an object replaced meanwhile stays. Returns whether something was deleted.
pub(crate) async fn delete_made<K: Namespaced>(
    state: &State,
    namespace: &str,
    name: &str,
    made: &Made,
) -> Result<bool> {
    let api = api::<K>(state, namespace).await?;
    let Some(object) = api.get_opt(name).await? else { return Ok(false) };
    let meta = object.meta();
    let ours = match made {
        Made::Uid(uid) => meta.uid.as_deref() == Some(uid.as_str()),
        Made::Label(key, value) => {
            meta.labels.as_ref().and_then(|l| l.get(*key)).map(String::as_str) == Some(value.as_str())
        }
    };
    if !ours {
        return Ok(false);
    }
    let params = DeleteParams {
        preconditions: meta
            .uid
            .clone()
            .map(|uid| kube::api::Preconditions { uid: Some(uid), resource_version: None }),
        ..DeleteParams::background()
    };
    match api.delete(name, &params).await {
        Ok(deleted) => {
            // A pod deleted here (a preview's, a test run's) is gone from reads right after.
            if K::kind(&()) == "Pod"
                && let either::Either::Left(object) = &deleted
                && let Ok(resolved) = state.namespace(namespace).await
            {
                state.pod_cache().wrote(&resolved, object.meta().resource_version.as_deref());
            }
            Ok(true)
        }
        Err(kube::Error::Api(status)) if status.code == 404 || status.code == 409 => Ok(false),
        Err(e) => Err(e.into()),
    }
}

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
    crate::policy::check_service(&spec, state.workload())?;
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
    crate::policy::check_ingress(&spec, state.workload())?;
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
