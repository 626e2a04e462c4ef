//! Pods: building a pod from a caller's spec (`spec`), what callers see of it (`view`), get, list and
//! delete (here, served by the shared watch of each namespace in `podcache` when it is in step), and
//! watching (`watch`).

mod spec;
pub(crate) mod view;
mod watch;

use crate::podcache::{Entry, Selector};
pub use spec::{DEFAULT_CONTAINER, build, labels_with_managed, managed_labels};
pub use view::{finish_time, object_meta, phase_name, phase_of, summary};
pub use watch::watch;

use std::time::Duration;

use k8s_openapi::api::core::v1 as core;
use kube::api::{Api, DeleteParams, ListParams, PostParams};
use kubegate_proto::v1 as pb;

use crate::MANAGED_BY;
use crate::error::{Error, Result};
use crate::state::State;
use crate::validation::{self as check, Violations};

/// The most a page of a list may hold.
pub const MAX_PAGE_SIZE: i32 = 1000;
/// The page size when a list asks for none.
pub const DEFAULT_PAGE_SIZE: i32 = 500;

/// Checks a required object name in a request.
fn require_name(field: &str, name: &str) -> Result<()> {
    let mut v = Violations::default();
    check::subdomain(&mut v, field, name);
    v.into_result()
}

/// Creates a pod.
pub async fn create(state: &State, request: pb::CreatePodRequest) -> Result<pb::Pod> {
    create_adjusted(state, request, |_| {}).await
}

/// Creates a pod after a workflow adjusted what the API cannot express (a scratch `emptyDir`).
pub(crate) async fn create_adjusted(
    state: &State,
    request: pb::CreatePodRequest,
    adjust: impl FnOnce(&mut core::Pod),
) -> Result<pb::Pod> {
    let spec = request.pod.ok_or_else(|| Error::invalid("pod", "is required"))?;
    let namespace = state.namespace(&spec.namespace).await?;
    let settings = state.settings().await;
    let mut pod = build(&spec, &settings, state.workload())?;
    adjust(&mut pod);
    let api: Api<core::Pod> = Api::namespaced(state.client().await?, &namespace);
    let params = PostParams { dry_run: request.validate_only, field_manager: Some("kubegate".into()) };
    let created = api.create(&params, &pod).await?;
    if !request.validate_only {
        state.pod_cache().wrote(&namespace, created.metadata.resource_version.as_deref());
        kubegate_metrics::global().pods_created.inc();
    }
    tracing::info!(pod = %spec.name, %namespace, dry_run = request.validate_only, "pod created");
    Ok(summary(&created))
}

/// Reads one pod, with its JSON: from the namespace's shared watch when it is in step, else (and for
/// a pod the cache does not have, which may be one created a moment ago by someone else) from Kubernetes.
pub async fn get(state: &State, namespace: &str, name: &str) -> Result<(pb::Pod, String)> {
    require_name("name", name)?;
    let namespace = state.namespace(namespace).await?;
    let client = state.client().await?;
    let cached = state.pod_cache().namespace(&client, &namespace);
    if cached.ready().await
        && let Some(entry) = cached.get(name)
    {
        return Ok((entry.summary.clone(), entry.json().to_string()));
    }
    // The API server's JSON is kept as it came (callers get it verbatim) and parsed once for the
    // summary, instead of being parsed and serialized again.
    let request = kube::core::Request::new(format!("/api/v1/namespaces/{namespace}/pods"))
        .get(name, &kube::api::GetParams::default())
        .map_err(|e| Error::Internal(e.to_string()))?;
    let json = client.request_text(request).await?;
    let pod: core::Pod = serde_json::from_str(&json)
        .map_err(|e| Error::Internal(format!("the API server sent a pod kubegate cannot read: {e}")))?;
    Ok((summary(&pod), json))
}

/// The page size to ask Kubernetes for.
pub fn page_size(requested: i32) -> Result<u32> {
    match requested {
        0 => Ok(DEFAULT_PAGE_SIZE.unsigned_abs()),
        n if (1..=MAX_PAGE_SIZE).contains(&n) => Ok(n.unsigned_abs()),
        n => Err(Error::invalid("page_size", format!("{n} is outside 0..={MAX_PAGE_SIZE}"))),
    }
}

/// The prefix of page tokens kubegate issues for lists served from the cache; any other token is
/// Kubernetes' own, and that list continues there.
const CACHED_PAGE: &str = "kubegate.cache.v1.";

/// Lists pods: from the namespace's shared watch when it is in step and the selector is one kubegate
/// evaluates, else from Kubernetes.
pub async fn list(state: &State, request: pb::ListPodsRequest) -> Result<pb::ListPodsResponse> {
    let namespace = state.namespace(&request.namespace).await?;
    let size = page_size(request.page_size)?;
    let phases = phase_names(&request.phases)?;
    let after = match request.page_token.as_str() {
        "" => Some(String::new()),
        token => token.strip_prefix(CACHED_PAGE).map(|rest| {
            let bytes = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, rest);
            String::from_utf8(bytes.unwrap_or_default()).unwrap_or_default()
        }),
    };
    let selector = Selector::parse(&request.label_selector)
        .map(|s| if request.managed_only { s.and_equals(MANAGED_BY, "kubegate") } else { s });
    if let (Some(after), Some(selector)) = (after, selector) {
        let client = state.client().await?;
        let cached = state.pod_cache().namespace(&client, &namespace);
        if cached.ready().await {
            let keep = |e: &Entry| {
                selector.matches(&e.labels) && (phases.is_empty() || phases.contains(&e.phase.as_str()))
            };
            let (page, more) = cached.page(&after, size as usize, keep);
            let next_page_token = match (more, page.last()) {
                (true, Some(last)) => format!(
                    "{CACHED_PAGE}{}",
                    base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &last.name)
                ),
                _ => String::new(),
            };
            return Ok(pb::ListPodsResponse {
                pods: page.iter().map(|e| e.summary.clone()).collect(),
                next_page_token,
            });
        }
    }
    if request.page_token.starts_with(CACHED_PAGE) {
        return Err(Error::Unavailable(
            "the pod list changed source while paging; list again from the first page".into(),
        ));
    }
    list_direct(state, &namespace, request, size, &phases).await
}

/// Kubernetes' names of the requested phases.
fn phase_names(phases: &[i32]) -> Result<Vec<&'static str>> {
    phases
        .iter()
        .map(|p| {
            pb::PodPhase::try_from(*p)
                .ok()
                .and_then(phase_name)
                .ok_or_else(|| Error::invalid("phases", format!("{p} is not a pod phase")))
        })
        .collect()
}

/// Lists pods from Kubernetes.
async fn list_direct(
    state: &State,
    namespace: &str,
    request: pb::ListPodsRequest,
    size: u32,
    phases: &[&str],
) -> Result<pb::ListPodsResponse> {
    let mut params = ListParams::default().limit(size);
    let mut selector = request.label_selector.clone();
    if request.managed_only {
        let managed = format!("{MANAGED_BY}=kubegate");
        selector = if selector.is_empty() { managed } else { format!("{selector},{managed}") };
    }
    if !selector.is_empty() {
        params = params.labels(&selector);
    }
    if let [only] = phases {
        params = params.fields(&format!("status.phase={only}"));
    }
    if !request.page_token.is_empty() {
        params = params.continue_token(&request.page_token);
    }
    let api: Api<core::Pod> = Api::namespaced(state.client().await?, namespace);
    let list = api.list(&params).await?;
    let pods = list
        .items
        .iter()
        .filter(|p| {
            phases.len() < 2
                || phases.contains(&p.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("Unknown"))
        })
        .map(summary)
        .collect();
    Ok(pb::ListPodsResponse { pods, next_page_token: list.metadata.continue_.unwrap_or_default() })
}

/// Deletes a pod; NOT_FOUND when it does not exist. With `wait`, returns once the pod is gone.
pub async fn delete(state: &State, request: pb::DeletePodRequest) -> Result<()> {
    require_name("name", &request.name)?;
    let namespace = state.namespace(&request.namespace).await?;
    if request.grace_period_seconds.is_some_and(|g| g < 0) {
        return Err(Error::invalid("grace_period_seconds", "must not be negative"));
    }
    let api: Api<core::Pod> = Api::namespaced(state.client().await?, &namespace);
    let object = api.get(&request.name).await?;
    crate::policy::refuse_own_pod(&object, state.own_pod(), "delete")?;
    let params = DeleteParams {
        grace_period_seconds: request.grace_period_seconds.and_then(|g| u32::try_from(g).ok()),
        // Exactly the pod that was checked: a pod recreated under the same name meanwhile stays.
        preconditions: object
            .metadata
            .uid
            .clone()
            .map(|uid| kube::api::Preconditions { uid: Some(uid), resource_version: None }),
        ..DeleteParams::background()
    };
    let deleted = api.delete(&request.name, &params).await?;
    kubegate_metrics::global()
        .pods_removed
        .get_or_create(&kubegate_metrics::Removal { reason: "deleted" })
        .inc();
    if let either::Either::Left(pod) = &deleted {
        state.pod_cache().wrote(&namespace, pod.metadata.resource_version.as_deref());
    }
    if request.wait {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(600);
        loop {
            match api.get_opt(&request.name).await? {
                None => break,
                Some(_) if tokio::time::Instant::now() > deadline => {
                    return Err(Error::DeadlineExceeded(format!(
                        "pod {} is still being deleted",
                        request.name
                    )));
                }
                Some(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        // Reads right after this one must not find the pod the caller waited to see go.
        if let Some(cached) = state.pod_cache().existing(&namespace) {
            cached.until_gone(&request.name, Duration::from_secs(2)).await;
        }
    }
    tracing::info!(pod = %request.name, %namespace, "pod deleted");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_default_to_500_and_stop_at_1000() {
        assert_eq!(page_size(0).expect("default"), 500);
        assert_eq!(page_size(1).expect("one"), 1);
        assert_eq!(page_size(1000).expect("most"), 1000);
        let err = page_size(1001).expect_err("too many");
        assert!(err.to_string().contains("page_size: 1001 is outside 0..=1000"), "{err}");
        assert!(page_size(-1).is_err());
    }
}
