//! How pods and other objects go: a pod stops gracefully before it is removed (or at once without
//! grace or processes), and what an object owns goes with it, as the garbage collector of a real cluster
//! does. Owned pods go through the same graceful delete, so that their processes stop too.

use std::time::Duration;

use chrono::Utc;
use serde_json::{Value, json};

use super::pod::{Node, PodRuntime, lock};
use crate::kinds::{self, Kind, PODS};
use crate::status::{ApiError, ApiResult};

/// Deletes a pod: it lingers with a deletionTimestamp while its processes get SIGTERM, then SIGKILL
/// after the grace period, then it is removed. Returns the pod as the API answers the DELETE.
pub fn delete_pod(node: &Node, namespace: &str, name: &str, grace: Option<i64>) -> ApiResult<Value> {
    let store = &node.store;
    let current = store.get(&PODS, namespace, name).ok_or_else(|| ApiError::not_found("pods", "", name))?;
    let spec_grace = current["spec"]["terminationGracePeriodSeconds"].as_i64().unwrap_or(30);
    let grace = grace.unwrap_or(spec_grace).max(0);
    let uid = current["metadata"]["uid"].as_str().unwrap_or_default().to_string();
    let runtime = node.current(namespace, name);
    let running = runtime.as_ref().is_some_and(|r| !lock(&r.pids).is_empty() || r.any_container_running());
    if grace == 0 || !running {
        // Only this pod's processes and entries go: by uid, as its name may be taken again at once.
        if let Some(runtime) = runtime {
            runtime.stop(Duration::ZERO);
            node.forget(&runtime.uid);
        }
        let removed = store.remove_uid(&PODS, namespace, name, &uid)?;
        collect_dependents(node, namespace, &uid);
        return Ok(removed);
    }
    let marked = store.update(&PODS, namespace, name, None, |pod| {
        if pod["metadata"]["uid"].as_str() != Some(uid.as_str()) {
            return Err(ApiError::not_found("pods", "", name));
        }
        if pod["metadata"]["deletionTimestamp"].is_null() {
            let at = Utc::now() + chrono::Duration::seconds(grace);
            pod["metadata"]["deletionTimestamp"] = json!(at.format("%Y-%m-%dT%H:%M:%SZ").to_string());
            pod["metadata"]["deletionGracePeriodSeconds"] = json!(grace);
        }
        Ok(())
    })?;
    if let Some(runtime) = runtime {
        runtime.stop(Duration::from_secs(u64::try_from(grace).unwrap_or(0)));
    }
    Ok(marked)
}

/// Removes a pod whose processes have stopped after a delete: this pod, by uid, never a newer pod that
/// took its name meanwhile; then what it owned.
pub fn finish_pod(node: &Node, runtime: &PodRuntime) {
    // Already gone is fine: a delete without grace removes the pod itself.
    if node.store.remove_uid(&PODS, &runtime.namespace, &runtime.name, &runtime.uid).is_ok() {
        collect_dependents(node, &runtime.namespace, &runtime.uid);
    }
    node.forget(&runtime.uid);
}

/// Removes an object and what it owns; a pod is deleted with its own grace period.
pub fn remove_object(node: &Node, kind: &Kind, namespace: &str, name: &str) -> ApiResult<Value> {
    if *kind == PODS {
        return delete_pod(node, namespace, name, None);
    }
    let removed = node.store.remove(kind, namespace, name)?;
    collect_dependents(node, namespace, removed["metadata"]["uid"].as_str().unwrap_or_default());
    Ok(removed)
}

/// Removes what names `owner_uid` in its ownerReferences, in the owner's namespace.
fn collect_dependents(node: &Node, namespace: &str, owner_uid: &str) {
    for (resource, name) in node.store.dependents(namespace, owner_uid) {
        if let Some(kind) = kinds::ALL.iter().find(|k| k.resource == resource) {
            // Already gone is fine: something else removed it meanwhile.
            let _ = remove_object(node, kind, namespace, &name);
        }
    }
}
