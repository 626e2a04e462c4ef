//! Cleanup of finished pods: on request (older than a maximum age) and in the background (pods whose
//! time-to-live after finishing has passed). The service's own pod and manager pods are never touched.

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DeleteParams, ListParams};
use kubegate_proto::v1 as pb;

use crate::error::Result;
use crate::pods::finish_time;
use crate::state::State;
use crate::{LEGACY_MANAGED_BY, LEGACY_MANAGER, MANAGED_BY, TTL_ANNOTATION};

/// Why a pod is to go, or why it stays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Finished longer ago than the maximum age, or past its time-to-live.
    Delete,
    /// Kept.
    Keep,
}

/// Whether kubegate (or the original integration) created the pod.
fn managed(pod: &Pod) -> bool {
    pod.metadata.labels.as_ref().is_some_and(managed_by)
}

fn managed_by(labels: &std::collections::BTreeMap<String, String>) -> bool {
    labels.get(MANAGED_BY).map(String::as_str) == Some("kubegate")
        || labels.get(LEGACY_MANAGED_BY).map(String::as_str) == Some(LEGACY_MANAGER)
}

/// Decides one pod's fate. `max_age` is `None` for the time-to-live reaper, which looks at TTLs only.
pub fn verdict(
    pod: &Pod,
    now: jiff::Timestamp,
    max_age: Option<Duration>,
    keep_failed: bool,
    own: Option<&(String, String)>,
) -> Verdict {
    // kubegate's own pods (labelled app.kubernetes.io/name=kubegate, or this very pod) are never
    // cleaned up; app=opencode-manager is not such a mark: the original put it on every pod it created.
    if !managed(pod) || crate::policy::is_kubegate_pod(pod, own) || pod.metadata.deletion_timestamp.is_some()
    {
        return Verdict::Keep;
    }
    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("Unknown");
    let finished = phase == "Succeeded" || phase == "Failed";
    if !finished {
        return Verdict::Keep;
    }
    // When it finished: the last container's finish, else (no statuses) its start.
    let Some(finished_at) =
        finish_time(pod).or_else(|| pod.status.as_ref()?.start_time.as_ref().map(|t| t.0))
    else {
        return Verdict::Keep;
    };
    let age = now.duration_since(finished_at);
    let ttl = pod
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(TTL_ANNOTATION))
        .and_then(|t| t.parse::<u64>().ok());
    if ttl.is_some_and(|ttl| age.as_secs() >= i64::try_from(ttl).unwrap_or(i64::MAX)) {
        return Verdict::Delete;
    }
    match max_age {
        Some(max) if !(phase == "Failed" && keep_failed) => {
            if age.as_secs() > i64::try_from(max.as_secs()).unwrap_or(i64::MAX)
                || (max.is_zero() && age.as_secs() >= 0)
            {
                Verdict::Delete
            } else {
                Verdict::Keep
            }
        }
        _ => Verdict::Keep,
    }
}

/// Tells the pod cache about a deletion kubegate made, so reads right after it see it, and counts it.
fn noted(
    state: &State,
    namespace: &str,
    deleted: &either::Either<Pod, kube::core::Status>,
    reason: &'static str,
) {
    kubegate_metrics::global().pods_removed.get_or_create(&kubegate_metrics::Removal { reason }).inc();
    if let either::Either::Left(pod) = deleted {
        state.pod_cache().wrote(namespace, pod.metadata.resource_version.as_deref());
    }
}

/// The managed pods of `namespace`: from its shared watch when that is in step, else from Kubernetes.
async fn managed_pods(state: &State, client: &kube::Client, namespace: &str) -> Result<Vec<Pod>> {
    let cached = state.pod_cache().namespace(client, namespace);
    if cached.ready().await {
        return Ok(cached
            .snapshot()
            .iter()
            .filter(|e| managed_by(&e.labels))
            .filter_map(|e| e.pod())
            .collect());
    }
    candidates(&Api::namespaced(client.clone(), namespace)).await
}

async fn candidates(api: &Api<Pod>) -> Result<Vec<Pod>> {
    // Pods of kubegate carry both labels; the original's carry the legacy one only.
    let list =
        api.list(&ListParams::default().labels(&format!("{LEGACY_MANAGED_BY}={LEGACY_MANAGER}"))).await?;
    let mut pods = list.items;
    let ours = api.list(&ListParams::default().labels(&format!("{MANAGED_BY}=kubegate"))).await?;
    for pod in ours.items {
        if !pods.iter().any(|p| p.metadata.name == pod.metadata.name) {
            pods.push(pod);
        }
    }
    Ok(pods)
}

/// Deletes managed pods that finished longer ago than the maximum age (and those past their TTL).
pub async fn cleanup(state: &State, request: pb::CleanupPodsRequest) -> Result<pb::CleanupPodsResponse> {
    let namespace = state.namespace(&request.namespace).await?;
    let settings = state.settings().await;
    let max_age = match &request.max_age {
        Some(d) if d.seconds < 0 || d.nanos < 0 => {
            return Err(crate::Error::invalid("max_age", "must not be negative"));
        }
        Some(d) => Duration::new(d.seconds.unsigned_abs(), d.nanos.unsigned_abs()),
        None => Duration::from_secs(settings.cleanup_max_age_seconds),
    };
    let client = state.client().await?;
    let api: Api<Pod> = Api::namespaced(client.clone(), &namespace);
    let now = jiff::Timestamp::now();
    let mut response = pb::CleanupPodsResponse { dry_run: request.dry_run, ..Default::default() };
    for pod in managed_pods(state, &client, &namespace).await? {
        if verdict(&pod, now, Some(max_age), request.keep_failed, state.own_pod()) != Verdict::Delete {
            continue;
        }
        let name = pod.metadata.name.clone().unwrap_or_default();
        if request.dry_run {
            response.deleted_names.push(name);
            continue;
        }
        match api.delete(&name, &DeleteParams::background()).await {
            Ok(deleted) => {
                noted(state, &namespace, &deleted, "cleaned");
                response.deleted_names.push(name);
            }
            Err(kube::Error::Api(status)) if status.code == 404 => {}
            Err(e) => {
                response.failures.push(pb::CleanupFailure { name, reason: crate::Error::from(e).to_string() })
            }
        }
    }
    response.deleted_count = i32::try_from(response.deleted_names.len()).unwrap_or(i32::MAX);
    tracing::info!(%namespace, deleted = response.deleted_count, failed = response.failures.len(), dry_run = request.dry_run, "cleanup");
    Ok(response)
}

/// Runs the time-to-live reaper until `stop` is cancelled: every `every`, pods in the allowed namespaces
/// whose TTL after finishing has passed are deleted. With `leading` (leader election among replicas), only
/// while this replica leads; it stops between two deletions the moment the lead is lost.
pub async fn reaper(
    state: State,
    every: Duration,
    stop: tokio_util::sync::CancellationToken,
    leading: Option<tokio::sync::watch::Receiver<bool>>,
) {
    let leads = || leading.as_ref().is_none_or(|l| *l.borrow());
    loop {
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            () = stop.cancelled() => return,
        }
        if !leads() {
            continue;
        }
        let Ok(client) = state.client().await else { continue };
        for namespace in state.settings().await.allowed_namespaces() {
            let api: Api<Pod> = Api::namespaced(client.clone(), &namespace);
            let Ok(pods) = managed_pods(&state, &client, &namespace).await else { continue };
            let now = jiff::Timestamp::now();
            for pod in pods {
                if !leads() {
                    break;
                }
                if verdict(&pod, now, None, false, state.own_pod()) == Verdict::Delete {
                    let name = pod.metadata.name.clone().unwrap_or_default();
                    match api.delete(&name, &DeleteParams::background()).await {
                        Ok(deleted) => {
                            noted(&state, &namespace, &deleted, "reaped");
                            tracing::info!(pod = %name, %namespace, "time-to-live expired; pod deleted");
                        }
                        Err(e) => {
                            tracing::warn!(pod = %name, %namespace, error = %e, "time-to-live expired but the pod could not be deleted")
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn finished_pod(name: &str, labels: serde_json::Value, phase: &str, finished_secs_ago: i64) -> Pod {
        let finished = jiff::Timestamp::now() - jiff::SignedDuration::from_secs(finished_secs_ago);
        serde_json::from_value(json!({
            "metadata": {"name": name, "namespace": "ns", "labels": labels},
            "status": {"phase": phase, "containerStatuses": [{
                "name": "runner", "image": "x", "imageID": "", "ready": false, "restartCount": 0,
                "state": {"terminated": {"exitCode": 0, "finishedAt": finished.to_string()}},
            }]},
        }))
        .expect("pod")
    }

    fn ours() -> serde_json::Value {
        json!({"app.kubernetes.io/managed-by": "kubegate", "managed-by": "opencode-manager"})
    }

    #[test]
    fn old_finished_managed_pods_go_and_everything_else_stays() {
        let now = jiff::Timestamp::now();
        let hour = Some(Duration::from_secs(3600));
        assert_eq!(
            verdict(&finished_pod("old", ours(), "Succeeded", 7200), now, hour, false, None),
            Verdict::Delete
        );
        assert_eq!(
            verdict(&finished_pod("old-failed", ours(), "Failed", 7200), now, hour, false, None),
            Verdict::Delete
        );
        assert_eq!(
            verdict(&finished_pod("kept-failed", ours(), "Failed", 7200), now, hour, true, None),
            Verdict::Keep
        );
        assert_eq!(
            verdict(&finished_pod("young", ours(), "Succeeded", 60), now, hour, false, None),
            Verdict::Keep
        );
        assert_eq!(
            verdict(&finished_pod("running", ours(), "Running", 7200), now, hour, false, None),
            Verdict::Keep
        );
        let foreign = json!({"app": "other"});
        assert_eq!(
            verdict(&finished_pod("foreign", foreign, "Succeeded", 7200), now, hour, false, None),
            Verdict::Keep
        );
    }

    #[test]
    fn the_services_own_pod_and_manager_pods_are_never_deleted() {
        let now = jiff::Timestamp::now();
        let hour = Some(Duration::from_secs(3600));
        let own = ("ns".to_string(), "me".to_string());
        let me = finished_pod("me", ours(), "Succeeded", 7200);
        assert_eq!(verdict(&me, now, hour, false, Some(&own)), Verdict::Keep);
        let replica = finished_pod(
            "kubegate-replica",
            json!({"app.kubernetes.io/name": "kubegate", "managed-by": "opencode-manager"}),
            "Succeeded",
            7200,
        );
        assert_eq!(verdict(&replica, now, hour, false, None), Verdict::Keep);
        let ours = finished_pod(
            "runner",
            json!({"app": "opencode-manager", "managed-by": "opencode-manager", "app.kubernetes.io/managed-by": "kubegate"}),
            "Succeeded",
            7200,
        );
        assert_eq!(verdict(&ours, now, hour, false, None), Verdict::Delete);
    }

    #[test]
    fn finished_pods_the_original_created_are_cleaned_up_after_a_switch() {
        let now = jiff::Timestamp::now();
        let hour = Some(Duration::from_secs(3600));
        let original = finished_pod(
            "from-the-original",
            json!({"app": "opencode-manager", "managed-by": "opencode-manager"}),
            "Succeeded",
            7200,
        );
        assert_eq!(verdict(&original, now, hour, false, None), Verdict::Delete);
    }

    #[test]
    fn a_time_to_live_applies_without_a_maximum_age() {
        let now = jiff::Timestamp::now();
        let mut pod = finished_pod("ttl", ours(), "Succeeded", 10);
        pod.metadata.annotations = Some([(TTL_ANNOTATION.to_string(), "5".to_string())].into());
        assert_eq!(verdict(&pod, now, None, false, None), Verdict::Delete);
        pod.metadata.annotations = Some([(TTL_ANNOTATION.to_string(), "60".to_string())].into());
        assert_eq!(verdict(&pod, now, None, false, None), Verdict::Keep);
    }
}
