//! The embedded kubelet: runs each pod's containers as local processes, reports their status as a real
//! kubelet does, restarts them by policy, enforces `activeDeadlineSeconds`, and stops them gracefully on
//! delete. It knows nothing of HTTP: the API server serves logs, exec and attach from the log files and
//! running containers the kubelet hands out.
//!
//! - `pod`: what the kubelet knows about each pod, and the registry of pods on the node;
//! - `pod_status`: the pod status rendered from that, as a real kubelet reports it;
//! - `supervisor`: the processes of each container, from start to removal;
//! - `removal`: graceful pod deletion, and the garbage collection of what objects own;
//! - `events`: the events a node reports about its pods.

mod events;
mod pod;
mod pod_status;
mod removal;
mod supervisor;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use crate::kinds::Kind;
use crate::logs::LogFile;
use crate::process::{self, Hidden, ProcessSpec};
use crate::status::{ApiError, ApiResult};
use crate::store::{Store, now_rfc3339};
use crate::volumes;
use pod::{Node, PodRuntime, lock};

pub use pod::NODE_NAME;

/// The kubelet of the embedded cluster.
#[derive(Debug)]
pub struct Kubelet {
    node: Arc<Node>,
}

impl Kubelet {
    /// A kubelet writing pod statuses to `store`, keeping pod data (logs, volumes) under `data_dir`,
    /// and keeping `hidden` out of pods' sight.
    pub fn new(store: Arc<Store>, data_dir: PathBuf, hidden: Hidden) -> Self {
        Self { node: Arc::new(Node::new(store, data_dir, hidden)) }
    }

    /// The directory holding each PersistentVolumeClaim's directory, as `<namespace>/<claim>`.
    pub fn claims_root(&self) -> PathBuf {
        volumes::claims_root(&self.node.data_dir)
    }

    /// Binds a new pod to the node (what the scheduler would do) before it is stored. A pod with
    /// hostPath volumes is 422 when this host cannot confine pods: it would run unconfined.
    pub fn admit(&self, pod: &mut Value) -> ApiResult<()> {
        let refused = volumes::refused_host_paths(&pod["spec"], process::confinement());
        if !refused.is_empty() {
            let name = pod["metadata"]["name"].as_str().unwrap_or_default();
            return Err(ApiError::invalid("Pod", "", name, &refused));
        }
        if pod["spec"]["nodeName"].as_str().is_none_or(str::is_empty) {
            pod["spec"]["nodeName"] = json!(NODE_NAME);
        }
        let containers: Vec<String> = pod["spec"]["containers"]
            .as_array()
            .map(|c| c.iter().filter_map(|c| c["name"].as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        pod["status"]["conditions"] = json!([{"type": "PodScheduled", "status": "True", "lastProbeTime": null, "lastTransitionTime": now_rfc3339()}]);
        pod["status"]["containerStatuses"] = json!(containers
            .iter()
            .map(|name| {
                let image = pod["spec"]["containers"].as_array().and_then(|cs| cs.iter().find(|c| c["name"] == json!(name))).map(|c| c["image"].clone()).unwrap_or(Value::Null);
                json!({"name": name, "image": image, "imageID": "", "ready": false, "started": false, "restartCount": 0,
                       "state": {"waiting": {"reason": "ContainerCreating"}}, "lastState": {}})
            })
            .collect::<Vec<_>>());
        Ok(())
    }

    /// Starts the containers of a pod just stored.
    pub fn start(&self, pod: &Value) {
        let meta = &pod["metadata"];
        let field = |key: &str| meta[key].as_str().unwrap_or_default();
        let (namespace, name, uid) = (field("namespace"), field("name"), field("uid"));
        let dir = self.node.data_dir.join("pods").join(format!("{namespace}_{name}_{uid}"));
        let runtime = Arc::new(PodRuntime::new(uid, namespace, name, dir, &pod["spec"]));
        self.node.insert(runtime.clone());
        tokio::spawn(supervisor::run_pod(self.node.clone(), runtime));
    }

    /// Deletes a pod: it lingers with a deletionTimestamp while its processes get SIGTERM, then SIGKILL
    /// after the grace period, then it is removed with what it owns. Returns the pod as the API answers
    /// the DELETE.
    pub fn delete(&self, namespace: &str, name: &str, grace: Option<i64>) -> ApiResult<Value> {
        removal::delete_pod(&self.node, namespace, name, grace)
    }

    /// Removes an object and, as the garbage collector does, what it owns (owned pods through a
    /// graceful delete, so that their processes stop). A pod is deleted with its own grace period.
    pub fn remove(&self, kind: &Kind, namespace: &str, name: &str) -> ApiResult<Value> {
        removal::remove_object(&self.node, kind, namespace, name)
    }

    /// Kills every pod process at once (the cluster is going away).
    pub fn stop_all(&self) {
        for runtime in self.node.all() {
            runtime.kill_all();
            runtime.stop(Duration::ZERO);
        }
    }

    /// The log file of a container's current run, or with `previous` of the run before it. 400 when
    /// there is no such run, worded as a real kubelet words it.
    pub fn log_file(
        &self,
        namespace: &str,
        name: &str,
        container: &str,
        previous: bool,
    ) -> ApiResult<LogFile> {
        let runs: Vec<LogFile> = self
            .node
            .current(namespace, name)
            .as_ref()
            .and_then(|r| r.logs.get(container))
            .map(|runs| lock(runs).clone())
            .unwrap_or_default();
        if previous {
            if runs.len() < 2 {
                return Err(ApiError::bad_request(format!(
                    "previous terminated container \"{container}\" in pod \"{name}\" not found"
                )));
            }
            return Ok(runs[runs.len() - 2].clone());
        }
        runs.last().cloned().ok_or_else(|| {
            ApiError::bad_request(format!(
                "container \"{container}\" in pod \"{name}\" is waiting to start: ContainerCreating"
            ))
        })
    }

    /// A running container of a pod, to exec into or attach to. 400 when the pod or the container does
    /// not run.
    pub fn running_container(&self, namespace: &str, name: &str, container: &str) -> ApiResult<Container> {
        let runtime = self
            .node
            .current(namespace, name)
            .ok_or_else(|| ApiError::bad_request("the pod is not running"))?;
        let running = lock(&runtime.model).containers.iter().any(|(n, c)| n == container && c.running);
        if !running {
            return Err(ApiError::bad_request(format!(
                "unable to upgrade connection: container not found (\"{container}\")"
            )));
        }
        Ok(Container { node: self.node.clone(), runtime, name: container.to_string() })
    }
}

/// A container that was running when it was asked for; what exec and attach need of it.
#[derive(Debug, Clone)]
pub struct Container {
    node: Arc<Node>,
    runtime: Arc<PodRuntime>,
    name: String,
}

impl Container {
    /// How to start a process in the container: in its sandbox. A container without a process of its
    /// own gets its sandbox now, on its first exec or attach, so that what runs in it is confined like
    /// any container process; 400 when that fails or the pod is stopping.
    pub async fn process_spec(&self) -> ApiResult<ProcessSpec> {
        if !self.runtime.has_own_process(&self.name) && process::confinement().namespaces {
            supervisor::ensure_holder(&self.node, &self.runtime, &self.name)
                .await
                .map_err(ApiError::bad_request)?;
        }
        let running = lock(&self.runtime.pids).get(&self.name).copied();
        if let Some(running) = running
            && !running.wait_ready().await
        {
            return Err(ApiError::bad_request(format!(
                "container \"{}\" is still starting or has just ended; try again",
                self.name
            )));
        }
        Ok(self.runtime.process_spec(&self.name))
    }

    /// The log file of the container's current run, whose new output an attach streams.
    pub fn latest_log(&self) -> Option<LogFile> {
        self.runtime.logs.get(&self.name).and_then(|runs| lock(runs).last().cloned())
    }

    /// Takes the stdin of the container's process, when it keeps one open. Only one attach at a time
    /// writes to it; [`Container::return_stdin`] hands it to the next.
    pub fn take_stdin(&self) -> Option<tokio::process::ChildStdin> {
        lock(&self.runtime.stdins).remove(&self.name)
    }

    /// Gives back a stdin taken by [`Container::take_stdin`] when the attach ends.
    pub fn return_stdin(&self, stdin: tokio::process::ChildStdin) {
        lock(&self.runtime.stdins).insert(self.name.clone(), stdin);
    }

    /// The exit code of the container's last run, once it has stopped running.
    pub fn exit_code(&self) -> Option<i32> {
        lock(&self.runtime.model)
            .containers
            .iter()
            .find(|(n, c)| n == &self.name && !c.running)
            .and_then(|(_, c)| c.terminated.as_ref().map(|t| t.0))
    }
}
