//! What the kubelet knows about each pod it runs, and the registry of those pods on the node.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;
use tokio_util::sync::CancellationToken;

use crate::kinds::PODS;
use crate::logs::Runs;
use crate::process::{Hidden, ProcessSpec, Running};
use crate::store::Store;

/// Locks a mutex of the kubelet's state. Every change under these locks is a single assignment or
/// insert, so the state is consistent even after a panic elsewhere: a poisoned lock is used as is.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// How a container run ended: exit code, reason, start and finish times.
pub type Terminated = (i32, String, String, String);

/// The state of one container, as its status reports it.
#[derive(Debug, Clone, Default)]
pub struct ContainerModel {
    /// When the current run started.
    pub started_at: Option<String>,
    /// Whether the current run is going.
    pub running: bool,
    /// How the current run ended.
    pub terminated: Option<Terminated>,
    /// How the run before it ended.
    pub last_terminated: Option<Terminated>,
    /// Why the container is not running yet: reason and message.
    pub waiting: Option<(String, String)>,
    /// How many times it was restarted.
    pub restart_count: u32,
}

/// The state of a pod, from which its status is rendered.
#[derive(Debug, Default)]
pub struct PodModel {
    /// Each container by name, in spec order.
    pub containers: Vec<(String, ContainerModel)>,
    /// When the kubelet began starting the containers.
    pub start_time: Option<String>,
    /// The pod phase.
    pub phase: String,
    /// Why the pod failed as a whole (`DeadlineExceeded`).
    pub reason: Option<String>,
    /// The message that goes with `reason`.
    pub message: Option<String>,
}

/// What the kubelet knows about one pod.
#[derive(Debug)]
pub struct PodRuntime {
    /// The pod's uid: a pod deleted and created again under the same name is another pod.
    pub uid: String,
    /// The pod's namespace.
    pub namespace: String,
    /// The pod's name.
    pub name: String,
    /// Where the pod's logs live.
    pub dir: PathBuf,
    /// The pod spec as it was created (a pod's containers are immutable).
    pub spec: Value,
    /// Cancelled when the pod is deleted: once its processes are gone, it is removed.
    pub stop: CancellationToken,
    /// Cancelled when the pod's processes must stop: on delete, or when its deadline passes.
    pub halt: CancellationToken,
    /// How long stopping processes get between SIGTERM and SIGKILL.
    pub grace: Mutex<Duration>,
    /// The state its status is rendered from.
    pub model: Mutex<PodModel>,
    /// The process of each container that has one running.
    pub pids: Mutex<HashMap<String, Running>>,
    /// Each container's log files, one per run.
    pub logs: HashMap<String, Runs>,
    /// The stdin of containers that keep one open (`stdin: true`), waiting for an attach.
    pub stdins: Mutex<HashMap<String, tokio::process::ChildStdin>>,
    /// Held while the sandbox of a container without a process of its own is started (on its first
    /// exec or attach) or stopped, so that two execs start one and a stopping pod leaves none.
    pub holders: tokio::sync::Mutex<()>,
}

impl PodRuntime {
    /// The pod, as events name it.
    pub fn involved(&self) -> super::events::Involved<'_> {
        super::events::Involved { namespace: &self.namespace, name: &self.name, uid: &self.uid }
    }

    /// A pod whose containers are all still being created.
    pub fn new(uid: &str, namespace: &str, name: &str, dir: PathBuf, spec: &Value) -> Self {
        let containers: Vec<String> = spec["containers"]
            .as_array()
            .map(|cs| cs.iter().map(|c| c["name"].as_str().unwrap_or_default().to_string()).collect())
            .unwrap_or_default();
        let creating = || ContainerModel {
            waiting: Some(("ContainerCreating".into(), String::new())),
            ..Default::default()
        };
        Self {
            uid: uid.to_string(),
            namespace: namespace.to_string(),
            name: name.to_string(),
            dir,
            spec: spec.clone(),
            stop: CancellationToken::new(),
            halt: CancellationToken::new(),
            grace: Mutex::new(Duration::from_secs(30)),
            model: Mutex::new(PodModel {
                containers: containers.iter().map(|c| (c.clone(), creating())).collect(),
                phase: "Pending".into(),
                ..PodModel::default()
            }),
            pids: Mutex::new(HashMap::new()),
            logs: containers.into_iter().map(|c| (c, Runs::default())).collect(),
            stdins: Mutex::new(HashMap::new()),
            holders: tokio::sync::Mutex::new(()),
        }
    }

    /// Stops the pod's processes (SIGTERM, then SIGKILL after `grace`) and lets it be removed.
    pub fn stop(&self, grace: Duration) {
        *lock(&self.grace) = grace;
        self.halt.cancel();
        self.stop.cancel();
    }

    /// Kills the process of every running container, and with it everything it started.
    pub fn kill_all(&self) {
        for running in lock(&self.pids).values() {
            running.kill();
        }
    }

    /// Whether a container is running, with or without a process.
    pub fn any_container_running(&self) -> bool {
        lock(&self.model).containers.iter().any(|(_, c)| c.running)
    }

    /// Changes the state of one container.
    pub fn set_container(&self, name: &str, change: impl FnOnce(&mut ContainerModel)) {
        let mut model = lock(&self.model);
        if let Some((_, c)) = model.containers.iter_mut().find(|(n, _)| n == name) {
            change(c);
        }
    }

    /// Recomputes the pod phase from its containers.
    pub fn settle_phase(&self, restarting: bool) {
        let mut model = lock(&self.model);
        if model.phase == "Failed" && model.reason.is_some() {
            return;
        }
        let all_done = model.containers.iter().all(|(_, c)| c.terminated.is_some() && !c.running);
        if all_done && !restarting {
            let ok = model.containers.iter().all(|(_, c)| c.terminated.as_ref().is_some_and(|t| t.0 == 0));
            model.phase = if ok { "Succeeded".into() } else { "Failed".into() };
        } else if model.start_time.is_some() {
            model.phase = "Running".into();
        }
    }

    /// The spec of one container.
    pub fn container_spec(&self, container: &str) -> Value {
        self.spec["containers"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["name"].as_str() == Some(container)))
            .cloned()
            .unwrap_or(Value::Null)
    }

    /// Whether a container runs a process of its own: it has a command, arguments or volumes. One
    /// without (the image's entrypoint is unknown here) just stays running.
    pub fn has_own_process(&self, container: &str) -> bool {
        let spec = self.container_spec(container);
        ["command", "args", "volumeMounts"].iter().any(|k| spec[*k].as_array().is_some_and(|a| !a.is_empty()))
    }

    /// How to start a process in one of the containers: in its sandbox when it runs in one.
    pub fn process_spec(&self, container: &str) -> ProcessSpec {
        let spec = self.container_spec(container);
        let sandbox = lock(&self.pids).get(container).filter(|r| r.sandboxed).map(|r| r.pid);
        ProcessSpec::new(&self.name, &spec, sandbox)
    }
}

/// The node every pod is bound to.
pub const NODE_NAME: &str = "kubegate-embedded";

/// The node: the store pod statuses are written to, where pod data lives, and the pods it runs.
#[derive(Debug)]
pub struct Node {
    /// The API server's store.
    pub store: Arc<Store>,
    /// Where logs and volumes live.
    pub data_dir: PathBuf,
    /// What pods must not see of the host.
    pub hidden: Hidden,
    /// Each pod by uid, never by name: the old pod of a reused name may still be stopping.
    pods: Mutex<HashMap<String, Arc<PodRuntime>>>,
    /// The events reported about pods.
    pub events: super::events::Recorder,
}

impl Node {
    /// A node running no pod yet.
    pub fn new(store: Arc<Store>, data_dir: PathBuf, hidden: Hidden) -> Self {
        Self {
            store,
            data_dir,
            hidden,
            pods: Mutex::new(HashMap::new()),
            events: super::events::Recorder::new(NODE_NAME),
        }
    }

    /// The pod stored under that name now, if it runs here.
    pub fn current(&self, namespace: &str, name: &str) -> Option<Arc<PodRuntime>> {
        let pod = self.store.get(&PODS, namespace, name)?;
        let uid = pod["metadata"]["uid"].as_str()?;
        lock(&self.pods).get(uid).cloned()
    }

    /// Registers a pod that starts running.
    pub fn insert(&self, runtime: Arc<PodRuntime>) {
        lock(&self.pods).insert(runtime.uid.clone(), runtime);
    }

    /// Forgets a pod, by uid.
    pub fn forget(&self, uid: &str) {
        lock(&self.pods).remove(uid);
    }

    /// Every pod running here.
    pub fn all(&self) -> Vec<Arc<PodRuntime>> {
        lock(&self.pods).values().cloned().collect()
    }
}
