//! A pod's status as a real kubelet reports it, rendered from the kubelet's model of the pod and
//! written to the store.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::pod::{PodModel, PodRuntime, Terminated, lock};
use crate::kinds::PODS;
use crate::status::ApiError;
use crate::store::{Store, now_rfc3339};

/// Writes the pod's status from the kubelet's model.
pub fn publish(store: &Store, runtime: &PodRuntime) {
    let status = {
        let model = lock(&runtime.model);
        render_status(&runtime.spec, &model)
    };
    // The pod may be gone already (deleted meanwhile), or its name taken by a new pod: then there is
    // nothing to report.
    let _ = store.update(&PODS, &runtime.namespace, &runtime.name, None, |pod| {
        if pod["metadata"]["uid"].as_str() != Some(runtime.uid.as_str()) {
            return Err(ApiError::conflict("pods", "", &runtime.name));
        }
        let mut new_status = status.clone();
        if let Some(conditions) = pod["status"]["conditions"].as_array() {
            // Keep transition times of conditions whose status did not change.
            if let Some(new) = new_status["conditions"].as_array_mut() {
                for c in new.iter_mut() {
                    if let Some(old) =
                        conditions.iter().find(|o| o["type"] == c["type"] && o["status"] == c["status"])
                    {
                        c["lastTransitionTime"] = old["lastTransitionTime"].clone();
                    }
                }
            }
        }
        new_status["qosClass"] = pod["status"]["qosClass"].clone();
        pod["status"] = new_status;
        Ok(())
    });
}

fn terminated_json(t: &Terminated) -> Value {
    json!({"exitCode": t.0, "reason": t.1, "startedAt": t.2, "finishedAt": t.3, "containerID": "embedded://"})
}

fn render_status(spec: &Value, model: &PodModel) -> Value {
    let now = now_rfc3339();
    let images: HashMap<String, Value> = spec["containers"]
        .as_array()
        .map(|cs| {
            cs.iter()
                .map(|c| (c["name"].as_str().unwrap_or_default().to_string(), c["image"].clone()))
                .collect()
        })
        .unwrap_or_default();
    let statuses: Vec<Value> = model
        .containers
        .iter()
        .map(|(name, c)| {
            let state = if c.running {
                json!({"running": {"startedAt": c.started_at}})
            } else if let Some(t) = &c.terminated {
                json!({"terminated": terminated_json(t)})
            } else {
                let (reason, message) = c.waiting.clone().unwrap_or(("ContainerCreating".into(), String::new()));
                if message.is_empty() {
                    json!({"waiting": {"reason": reason}})
                } else {
                    json!({"waiting": {"reason": reason, "message": message}})
                }
            };
            let last = c.last_terminated.as_ref().map_or(json!({}), |t| json!({"terminated": terminated_json(t)}));
            json!({
                "name": name,
                "image": images.get(name).cloned().unwrap_or(Value::Null),
                "imageID": format!("embedded://{}", images.get(name).and_then(Value::as_str).unwrap_or_default()),
                "containerID": format!("embedded://{name}"),
                "ready": c.running,
                "started": c.running,
                "restartCount": c.restart_count,
                "state": state,
                "lastState": last,
            })
        })
        .collect();
    let all_ready = model.containers.iter().all(|(_, c)| c.running) && model.phase == "Running";
    let cond = |kind: &str, ok: bool| json!({"type": kind, "status": if ok { "True" } else { "False" }, "lastProbeTime": null, "lastTransitionTime": now});
    let started = model.start_time.is_some();
    let mut status = json!({
        "phase": model.phase,
        "conditions": [
            cond("PodReadyToStartContainers", started),
            cond("Initialized", true),
            cond("Ready", all_ready),
            cond("ContainersReady", all_ready),
            cond("PodScheduled", true),
        ],
        "hostIP": "127.0.0.1",
        "hostIPs": [{"ip": "127.0.0.1"}],
        "containerStatuses": statuses,
    });
    if let Some(start) = &model.start_time {
        status["startTime"] = json!(start);
        status["podIP"] = json!("127.0.0.1");
        status["podIPs"] = json!([{"ip": "127.0.0.1"}]);
    }
    if let Some(reason) = &model.reason {
        status["reason"] = json!(reason);
    }
    if let Some(message) = &model.message {
        status["message"] = json!(message);
    }
    status
}
