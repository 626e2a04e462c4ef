//! The embedded kubelet: runs each pod's containers as local processes, reports their status as a real
//! kubelet does, restarts them by policy, enforces `activeDeadlineSeconds`, stops them gracefully on
//! delete, and serves their logs, exec and attach.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ws::WebSocketUpgrade;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::{Value, json};
use tokio::process::Command;
use tokio_util::sync::CancellationToken;

use super::Cluster;
use super::kinds::PODS;
use super::logs::{self, LogFile, Runs, Stream};
use super::status::{ApiError, ApiResult};
use super::store::now_rfc3339;
use super::volumes::{self, Mount};

/// The node every pod is bound to.
pub const NODE_NAME: &str = "kubegate-embedded";

/// The state of one container, as its status reports it.
#[derive(Debug, Clone, Default)]
struct ContainerModel {
    started_at: Option<String>,
    running: bool,
    terminated: Option<(i32, String, String, String)>,
    last_terminated: Option<(i32, String, String, String)>,
    waiting: Option<(String, String)>,
    restart_count: u32,
}

/// What the kubelet knows about one pod.
#[derive(Debug)]
struct PodRuntime {
    namespace: String,
    name: String,
    dir: PathBuf,
    spec: Value,
    /// Cancelled when the pod is deleted: once its processes are gone, it is removed.
    stop: CancellationToken,
    /// Cancelled when the pod's processes must stop: on delete, or when its deadline passes.
    halt: CancellationToken,
    grace: Mutex<Duration>,
    model: Mutex<PodModel>,
    pids: Mutex<HashMap<String, i32>>,
    logs: HashMap<String, Runs>,
    stdins: Mutex<HashMap<String, tokio::process::ChildStdin>>,
}

#[derive(Debug, Default)]
struct PodModel {
    containers: Vec<(String, ContainerModel)>,
    start_time: Option<String>,
    phase: String,
    reason: Option<String>,
    message: Option<String>,
}

/// The kubelet of the embedded cluster.
#[derive(Debug)]
pub struct Kubelet {
    data_dir: PathBuf,
    pods: Mutex<HashMap<(String, String), Arc<PodRuntime>>>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Kubelet {
    /// A kubelet keeping pod data (logs, PVC directories) under `data_dir`.
    pub fn new(data_dir: PathBuf) -> Self {
        Self { data_dir, pods: Mutex::new(HashMap::new()) }
    }

    /// The directory backing a PersistentVolumeClaim, shared by every pod that mounts it.
    pub fn claim_dir(&self, namespace: &str, claim: &str) -> PathBuf {
        self.data_dir.join("volumes").join(namespace).join(claim)
    }

    fn runtime(&self, namespace: &str, name: &str) -> Option<Arc<PodRuntime>> {
        lock(&self.pods).get(&(namespace.to_string(), name.to_string())).cloned()
    }

    /// Binds a new pod to the node (what the scheduler would do) before it is stored.
    pub fn admit(&self, pod: &mut Value) -> ApiResult<()> {
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

    /// Starts the containers of a stored pod.
    pub fn start(&self, cluster: Arc<Cluster>, namespace: &str, name: &str) {
        let Some(pod) = cluster.store.get(&PODS, namespace, name) else { return };
        let uid = pod["metadata"]["uid"].as_str().unwrap_or_default().to_string();
        let dir = self.data_dir.join("pods").join(format!("{namespace}_{name}_{uid}"));
        let containers: Vec<Value> = pod["spec"]["containers"].as_array().cloned().unwrap_or_default();
        let logs = containers
            .iter()
            .map(|c| (c["name"].as_str().unwrap_or_default().to_string(), Runs::default()))
            .collect();
        let runtime = Arc::new(PodRuntime {
            namespace: namespace.to_string(),
            name: name.to_string(),
            dir,
            spec: pod["spec"].clone(),
            stop: CancellationToken::new(),
            halt: CancellationToken::new(),
            grace: Mutex::new(Duration::from_secs(30)),
            model: Mutex::new(PodModel {
                containers: containers
                    .iter()
                    .map(|c| {
                        let model = ContainerModel {
                            waiting: Some(("ContainerCreating".into(), String::new())),
                            ..ContainerModel::default()
                        };
                        (c["name"].as_str().unwrap_or_default().to_string(), model)
                    })
                    .collect(),
                phase: "Pending".into(),
                ..PodModel::default()
            }),
            pids: Mutex::new(HashMap::new()),
            logs,
            stdins: Mutex::new(HashMap::new()),
        });
        lock(&self.pods).insert((namespace.to_string(), name.to_string()), runtime.clone());
        tokio::spawn(run_pod(cluster, runtime));
    }

    /// Deletes a pod: it lingers with a deletionTimestamp while its processes get SIGTERM, then SIGKILL
    /// after the grace period, then it is removed. Returns the pod as the API answers the DELETE.
    pub fn delete(
        &self,
        cluster: &Arc<Cluster>,
        namespace: &str,
        name: &str,
        grace: Option<i64>,
    ) -> ApiResult<Value> {
        let current =
            cluster.store.get(&PODS, namespace, name).ok_or_else(|| ApiError::not_found("pods", "", name))?;
        let spec_grace = current["spec"]["terminationGracePeriodSeconds"].as_i64().unwrap_or(30);
        let grace = grace.unwrap_or(spec_grace).max(0);
        let runtime = self.runtime(namespace, name);
        let running = runtime.as_ref().is_some_and(|r| !lock(&r.pids).is_empty() || has_idle_container(r));
        if grace == 0 || !running {
            if let Some(runtime) = runtime {
                *lock(&runtime.grace) = Duration::ZERO;
                runtime.halt.cancel();
                runtime.stop.cancel();
                lock(&self.pods).remove(&(namespace.to_string(), name.to_string()));
            }
            return cluster.store.remove(&PODS, namespace, name);
        }
        let marked = cluster.store.update(&PODS, namespace, name, None, |pod| {
            if pod["metadata"]["deletionTimestamp"].is_null() {
                let at = Utc::now() + chrono::Duration::seconds(grace);
                pod["metadata"]["deletionTimestamp"] = json!(at.format("%Y-%m-%dT%H:%M:%SZ").to_string());
                pod["metadata"]["deletionGracePeriodSeconds"] = json!(grace);
            }
            Ok(())
        })?;
        if let Some(runtime) = runtime {
            *lock(&runtime.grace) = Duration::from_secs(u64::try_from(grace).unwrap_or(0));
            runtime.halt.cancel();
            runtime.stop.cancel();
        }
        Ok(marked)
    }

    /// `GET pods/{name}/log`.
    pub async fn logs(
        &self,
        cluster: &Cluster,
        namespace: &str,
        name: &str,
        query: &HashMap<String, String>,
    ) -> ApiResult<Response> {
        let pod =
            cluster.store.get(&PODS, namespace, name).ok_or_else(|| ApiError::not_found("pods", "", name))?;
        let container = choose_container(&pod, query.get("container").map(String::as_str))?;
        let options = logs::Options::from_query(query)?;
        let previous = query.get("previous").is_some_and(|v| v == "true" || v == "1");
        let runtime = self.runtime(namespace, name);
        let runs: Vec<LogFile> = runtime
            .as_ref()
            .and_then(|r| r.logs.get(&container))
            .map(|runs| lock(runs).clone())
            .unwrap_or_default();
        let file = if previous {
            if runs.len() < 2 {
                return Err(ApiError::bad_request(format!(
                    "previous terminated container \"{container}\" in pod \"{name}\" not found"
                )));
            }
            runs[runs.len() - 2].clone()
        } else {
            match runs.last() {
                Some(file) => file.clone(),
                None => {
                    return Err(ApiError::bad_request(format!(
                        "container \"{container}\" in pod \"{name}\" is waiting to start: ContainerCreating"
                    )));
                }
            }
        };
        let mut cutter = cluster.faults.stream_cutter();
        let receiver = logs::stream(file, options, async move { super::faults::fired(&mut cutter).await });
        let body = axum::body::Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(receiver));
        Ok((StatusCode::OK, [(header::CONTENT_TYPE, "text/plain")], body).into_response())
    }

    /// `pods/{name}/exec` and `pods/{name}/attach` over WebSocket.
    pub fn exec(
        &self,
        cluster: Arc<Cluster>,
        namespace: &str,
        name: &str,
        query: Vec<(String, String)>,
        attach: bool,
        upgrade: WebSocketUpgrade,
    ) -> ApiResult<Response> {
        let pod =
            cluster.store.get(&PODS, namespace, name).ok_or_else(|| ApiError::not_found("pods", "", name))?;
        let phase = pod["status"]["phase"].as_str().unwrap_or("Pending").to_string();
        if phase == "Succeeded" || phase == "Failed" {
            return Err(ApiError::bad_request(format!(
                "cannot {} a container in a completed pod; current phase is {phase}",
                if attach { "attach to" } else { "exec into" }
            )));
        }
        let single = |key: &str| query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        let container = choose_container(&pod, single("container"))?;
        let runtime =
            self.runtime(namespace, name).ok_or_else(|| ApiError::bad_request("the pod is not running"))?;
        let running = lock(&runtime.model).containers.iter().any(|(n, c)| n == &container && c.running);
        if !running {
            return Err(ApiError::bad_request(format!(
                "unable to upgrade connection: container not found (\"{container}\")"
            )));
        }
        let flag = |key: &str| single(key).is_some_and(|v| v == "true" || v == "1");
        let command: Vec<String> =
            query.iter().filter(|(k, _)| k == "command").map(|(_, v)| v.clone()).collect();
        if !attach && command.is_empty() {
            return Err(ApiError::bad_request("you must specify at least 1 command"));
        }
        let request = super::exec::ExecRequest {
            command,
            stdin: flag("stdin"),
            stdout: flag("stdout"),
            stderr: flag("stderr"),
            tty: flag("tty"),
            process: self.process_spec(&runtime, &container),
        };
        let upgrade = upgrade.protocols(["v5.channel.k8s.io", "v4.channel.k8s.io"]);
        let Some(protocol) = upgrade.selected_protocol().and_then(|p| p.to_str().ok()).map(str::to_string)
        else {
            return Err(ApiError::bad_request(
                "exec and attach need the v5.channel.k8s.io or v4.channel.k8s.io WebSocket subprotocol",
            ));
        };
        let v5 = protocol == "v5.channel.k8s.io";
        let cutter = cluster.faults.stream_cutter();
        if attach {
            let file = runtime.logs.get(&container).and_then(|runs| lock(runs).last().cloned());
            let stdin = lock(&runtime.stdins).remove(&container);
            let runtime_for_stdin = runtime.clone();
            let name = container.clone();
            let watched = runtime.clone();
            let watched_name = container.clone();
            let exit: Arc<dyn Fn() -> Option<i32> + Send + Sync> = Arc::new(move || {
                lock(&watched.model)
                    .containers
                    .iter()
                    .find(|(n, c)| n == &watched_name && !c.running)
                    .and_then(|(_, c)| c.terminated.as_ref().map(|t| t.0))
            });
            return Ok(upgrade.on_upgrade(move |socket| async move {
                let give_back = super::exec::attach(socket, v5, request, file, stdin, cutter, exit).await;
                if let Some(stdin) = give_back {
                    lock(&runtime_for_stdin.stdins).insert(name, stdin);
                }
            }));
        }
        Ok(upgrade.on_upgrade(move |socket| super::exec::run(socket, v5, request, cutter)))
    }

    fn process_spec(&self, runtime: &PodRuntime, container: &str) -> ProcessSpec {
        let spec = runtime.spec["containers"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["name"].as_str() == Some(container)))
            .cloned()
            .unwrap_or(Value::Null);
        let namespace_pid = lock(&runtime.pids).get(container).copied();
        ProcessSpec::new(&runtime.name, &spec, namespace_pid)
    }
}

fn has_idle_container(runtime: &PodRuntime) -> bool {
    lock(&runtime.model).containers.iter().any(|(_, c)| c.running)
}

/// Picks the container a request means: the named one, or the only one.
fn choose_container(pod: &Value, requested: Option<&str>) -> ApiResult<String> {
    let name = pod["metadata"]["name"].as_str().unwrap_or_default();
    let names: Vec<String> = pod["spec"]["containers"]
        .as_array()
        .map(|cs| cs.iter().filter_map(|c| c["name"].as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    match requested.filter(|r| !r.is_empty()) {
        Some(wanted) if names.iter().any(|n| n == wanted) => Ok(wanted.to_string()),
        Some(wanted) => Err(ApiError::bad_request(format!("container {wanted} is not valid for pod {name}"))),
        None if names.len() == 1 => Ok(names[0].clone()),
        None => Err(ApiError::bad_request(format!(
            "a container name must be specified for pod {name}, choose one of: [{}]",
            names.join(" ")
        ))),
    }
}

/// How to start a process in a container: environment, working directory, volume mounts.
#[derive(Debug, Clone)]
pub struct ProcessSpec {
    /// Environment variables, in order.
    pub env: Vec<(String, String)>,
    /// The working directory, if the container sets one.
    pub working_dir: Option<String>,
    /// The pid whose mount namespace holds the container's volumes, if it has one.
    pub mount_namespace_of: Option<i32>,
}

impl ProcessSpec {
    fn new(pod_name: &str, container: &Value, mount_namespace_of: Option<i32>) -> Self {
        let mut env = vec![
            (
                "PATH".to_string(),
                std::env::var("PATH").unwrap_or_else(|_| "/usr/local/bin:/usr/bin:/bin".into()),
            ),
            ("HOSTNAME".to_string(), pod_name.to_string()),
            ("HOME".to_string(), std::env::var("HOME").unwrap_or_else(|_| "/root".into())),
        ];
        for var in container["env"].as_array().cloned().unwrap_or_default() {
            let name = var["name"].as_str().unwrap_or_default().to_string();
            let value = expand(var["value"].as_str().unwrap_or_default(), &env);
            env.retain(|(n, _)| n != &name);
            env.push((name, value));
        }
        let working_dir = container["workingDir"].as_str().filter(|w| !w.is_empty()).map(str::to_string);
        Self { env, working_dir, mount_namespace_of }
    }

    /// The program, arguments and starting directory that run `argv` in the container: inside its mount
    /// namespace when it has one.
    pub fn invocation(&self, argv: &[String]) -> (String, Vec<String>, Option<String>) {
        match self.mount_namespace_of {
            Some(pid) => {
                let mut args = vec![format!("--mount=/proc/{pid}/ns/mnt"), "--".to_string()];
                if let Some(dir) = &self.working_dir {
                    args.extend(["sh", "-c", "cd \"$0\" && exec \"$@\""].map(str::to_string));
                    args.push(dir.clone());
                }
                args.extend(argv.iter().cloned());
                ("nsenter".to_string(), args, None)
            }
            None => (argv[0].clone(), argv[1..].to_vec(), self.working_dir.clone()),
        }
    }

    /// A command running `argv` in the container.
    pub fn command(&self, argv: &[String]) -> Command {
        let (program, args, dir) = self.invocation(argv);
        let mut command = Command::new(program);
        command.args(args).env_clear().envs(self.env.iter().map(|(k, v)| (k, v)));
        if let Some(dir) = dir {
            command.current_dir(dir);
        }
        command
    }
}

/// Expands `$(NAME)` references to earlier variables, as Kubernetes does.
fn expand(value: &str, env: &[(String, String)]) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("$(") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find(')') {
            Some(end) => {
                let name = &after[..end];
                match env.iter().rev().find(|(n, _)| n == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[start..start + 3 + end]),
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Writes the pod's status from the kubelet's model.
fn publish(cluster: &Cluster, runtime: &PodRuntime) {
    let status = {
        let model = lock(&runtime.model);
        render_status(&runtime.spec, &model)
    };
    let _ = cluster.store.update(&PODS, &runtime.namespace, &runtime.name, None, |pod| {
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

fn terminated_json(t: &(i32, String, String, String)) -> Value {
    let mut v = json!({"exitCode": t.0, "reason": t.1, "startedAt": t.2, "finishedAt": t.3, "containerID": "embedded://"});
    if t.1 == "Error" || t.1 == "Completed" {
        v["message"] = Value::Null;
        if let Some(m) = v.as_object_mut() {
            m.remove("message");
        }
    }
    v
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

fn set_container(runtime: &PodRuntime, name: &str, change: impl FnOnce(&mut ContainerModel)) {
    let mut model = lock(&runtime.model);
    if let Some((_, c)) = model.containers.iter_mut().find(|(n, _)| n == name) {
        change(c);
    }
}

/// Recomputes the pod phase from its containers.
fn settle_phase(runtime: &PodRuntime, restarting: bool) {
    let mut model = lock(&runtime.model);
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

async fn run_pod(cluster: Arc<Cluster>, runtime: Arc<PodRuntime>) {
    let containers: Vec<Value> = runtime.spec["containers"].as_array().cloned().unwrap_or_default();
    let mounts = match volumes::plan(&cluster, &runtime.namespace, &runtime.spec) {
        Ok(mounts) => mounts,
        Err(message) => {
            fail_pod(&cluster, &runtime, "CreateContainerConfigError", &message);
            return wait_for_removal(&cluster, &runtime).await;
        }
    };
    lock(&runtime.model).start_time = Some(now_rfc3339());
    publish(&cluster, &runtime);
    let mut tasks = Vec::new();
    for container in containers {
        let own: Vec<Mount> = volumes::for_container(&mounts, &container);
        tasks.push(tokio::spawn(run_container(cluster.clone(), runtime.clone(), container, own)));
    }
    let deadline = runtime.spec["activeDeadlineSeconds"].as_u64().map(Duration::from_secs);
    let all = futures::future::join_all(tasks);
    tokio::pin!(all);
    tokio::select! {
        _ = &mut all => {}
        () = async { match deadline { Some(d) => tokio::time::sleep(d).await, None => std::future::pending().await } } => {
            {
                let mut model = lock(&runtime.model);
                model.phase = "Failed".into();
                model.reason = Some("DeadlineExceeded".into());
                model.message = Some("Pod was active on the node longer than the specified deadline".to_string());
            }
            *lock(&runtime.grace) = Duration::ZERO;
            runtime.halt.cancel();
            let _ = (&mut all).await;
            publish(&cluster, &runtime);
        }
    }
    wait_for_removal(&cluster, &runtime).await;
}

/// Waits for a delete, then stops what still runs and removes the pod.
async fn wait_for_removal(cluster: &Arc<Cluster>, runtime: &Arc<PodRuntime>) {
    runtime.stop.cancelled().await;
    let _ = cluster.store.remove(&PODS, &runtime.namespace, &runtime.name);
    cluster.kubelet.pods_remove(&runtime.namespace, &runtime.name);
}

impl Kubelet {
    fn pods_remove(&self, namespace: &str, name: &str) {
        lock(&self.pods).remove(&(namespace.to_string(), name.to_string()));
    }
}

fn fail_pod(cluster: &Cluster, runtime: &PodRuntime, reason: &str, message: &str) {
    {
        let mut model = lock(&runtime.model);
        for (_, c) in &mut model.containers {
            c.waiting = Some((reason.to_string(), message.to_string()));
        }
        model.phase = "Pending".into();
    }
    tracing::warn!(pod = %runtime.name, namespace = %runtime.namespace, %reason, %message, "embedded pod cannot start");
    publish(cluster, runtime);
}

fn kill_all(runtime: &PodRuntime, signal: nix::sys::signal::Signal) {
    for pid in lock(&runtime.pids).values() {
        let _ = nix::sys::signal::killpg(nix::unistd::Pid::from_raw(*pid), signal);
    }
}

/// Runs one container until the pod stops: starts its process, records exits, restarts it by policy.
async fn run_container(
    cluster: Arc<Cluster>,
    runtime: Arc<PodRuntime>,
    container: Value,
    mounts: Vec<Mount>,
) {
    let name = container["name"].as_str().unwrap_or_default().to_string();
    let policy = runtime.spec["restartPolicy"].as_str().unwrap_or("Always").to_string();
    let mut argv: Vec<String> = container["command"]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    // The image's entrypoint is unknown locally. Most base images (busybox, alpine, node, python) have
    // none, so their args run as the command, as `kubectl run IMAGE -- sh -c ...` expects.
    argv.extend(
        container["args"]
            .as_array()
            .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect::<Vec<_>>())
            .unwrap_or_default(),
    );
    let spec = ProcessSpec::new(&runtime.name, &container, None);
    if let Some(dir) = &spec.working_dir {
        let inside_a_mount = mounts.iter().any(|m| Path::new(dir).starts_with(&m.target));
        if !inside_a_mount && !Path::new(dir).is_dir() {
            let message = format!("working directory {dir:?} does not exist on the embedded cluster's host");
            set_container(&runtime, &name, |c| c.waiting = Some(("CreateContainerError".into(), message)));
            publish(&cluster, &runtime);
            return;
        }
    }
    let Some(runs) = runtime.logs.get(&name).cloned() else { return };
    let mut backoff = Duration::from_millis(500);
    let mut run_index = 0u32;
    loop {
        let path = runtime.dir.join(&name).join(format!("{run_index}.log"));
        let (file, writer) = match logs::create(&path).await {
            Ok(created) => created,
            Err(e) => {
                let message = format!("cannot create the log file: {e}");
                set_container(&runtime, &name, |c| {
                    c.waiting = Some(("CreateContainerError".into(), message))
                });
                publish(&cluster, &runtime);
                return;
            }
        };
        lock(&runs).push(file);
        let started = now_rfc3339();
        let outcome = if argv.is_empty() && mounts.is_empty() {
            // No command and no volumes: the image's entrypoint is unknown here, so the container simply
            // stays running until the pod is deleted.
            set_container(&runtime, &name, |c| {
                c.running = true;
                c.started_at = Some(started.clone());
                c.waiting = None;
            });
            settle_phase(&runtime, false);
            publish(&cluster, &runtime);
            runtime.halt.cancelled().await;
            drop(writer);
            None
        } else {
            run_process(&cluster, &runtime, &name, &argv, &spec, &mounts, writer, &started, &container).await
        };
        let Some(code) = outcome else {
            set_container(&runtime, &name, |c| {
                c.running = false;
                c.terminated = Some((137, "Error".into(), started.clone(), now_rfc3339()));
            });
            return;
        };
        let reason = if code == 0 { "Completed" } else { "Error" };
        let restart = !runtime.halt.is_cancelled()
            && (policy == "Always" || (policy == "OnFailure" && code != 0))
            && lock(&runtime.model).reason.is_none();
        set_container(&runtime, &name, |c| {
            c.running = false;
            c.terminated = Some((code, reason.into(), started.clone(), now_rfc3339()));
        });
        settle_phase(&runtime, restart);
        publish(&cluster, &runtime);
        if !restart {
            return;
        }
        tokio::select! {
            () = tokio::time::sleep(backoff) => {}
            () = runtime.halt.cancelled() => return,
        }
        backoff = (backoff * 2).min(Duration::from_secs(30));
        run_index += 1;
        set_container(&runtime, &name, |c| {
            c.last_terminated = c.terminated.take();
            c.restart_count += 1;
        });
    }
}

/// Runs one process of a container to its end. `None` when the pod was stopped while it ran.
#[allow(clippy::too_many_arguments)]
async fn run_process(
    cluster: &Arc<Cluster>,
    runtime: &Arc<PodRuntime>,
    name: &str,
    argv: &[String],
    spec: &ProcessSpec,
    mounts: &[Mount],
    writer: logs::LogWriter,
    started: &str,
    container: &Value,
) -> Option<i32> {
    let argv =
        if argv.is_empty() { vec!["sleep".to_string(), "infinity".to_string()] } else { argv.to_vec() };
    let mut command = if mounts.is_empty() {
        spec.command(&argv)
    } else {
        match volumes::isolated_command(mounts, &argv, spec) {
            Ok(command) => command,
            Err(message) => {
                set_container(runtime, name, |c| {
                    c.waiting = Some(("CreateContainerConfigError".into(), message))
                });
                publish(cluster, runtime);
                runtime.halt.cancelled().await;
                return None;
            }
        }
    };
    let keep_stdin = container["stdin"].as_bool() == Some(true);
    command
        .stdin(if keep_stdin { std::process::Stdio::piped() } else { std::process::Stdio::null() })
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => {
            let message = format!("failed to start {:?}: {e}", argv[0]);
            let _ = writer.sender.send((Stream::Stderr, bytes::Bytes::from(format!("{message}\n")))).await;
            drop(writer.sender);
            let _ = writer.done.await;
            set_container(runtime, name, |c| {
                c.waiting = None;
                c.started_at = Some(started.to_string());
            });
            return Some(if e.kind() == std::io::ErrorKind::NotFound { 127 } else { 126 });
        }
    };
    let pid = child.id().and_then(|p| i32::try_from(p).ok()).unwrap_or(0);
    lock(&runtime.pids).insert(name.to_string(), pid);
    if let Some(stdin) = child.stdin.take() {
        lock(&runtime.stdins).insert(name.to_string(), stdin);
    }
    let pumps = [
        child.stdout.take().map(|o| tokio::spawn(logs::pump(o, Stream::Stdout, writer.sender.clone()))),
        child.stderr.take().map(|e| tokio::spawn(logs::pump(e, Stream::Stderr, writer.sender.clone()))),
    ];
    drop(writer.sender);
    set_container(runtime, name, |c| {
        c.running = true;
        c.waiting = None;
        c.started_at = Some(started.to_string());
    });
    settle_phase(runtime, false);
    publish(cluster, runtime);

    let mut stopped = false;
    let status = tokio::select! {
        status = child.wait() => status.ok(),
        () = runtime.halt.cancelled() => {
            stopped = true;
            let _ = nix::sys::signal::killpg(nix::unistd::Pid::from_raw(pid), nix::sys::signal::Signal::SIGTERM);
            let grace = *lock(&runtime.grace);
            match tokio::time::timeout(grace, child.wait()).await {
                Ok(status) => status.ok(),
                Err(_) => {
                    let _ = nix::sys::signal::killpg(nix::unistd::Pid::from_raw(pid), nix::sys::signal::Signal::SIGKILL);
                    child.wait().await.ok()
                }
            }
        }
    };
    // Children the command left behind share its process group; they go with it.
    let _ = nix::sys::signal::killpg(nix::unistd::Pid::from_raw(pid), nix::sys::signal::Signal::SIGKILL);
    for pump in pumps.into_iter().flatten() {
        let _ = pump.await;
    }
    let _ = writer.done.await;
    lock(&runtime.pids).remove(name);
    lock(&runtime.stdins).remove(name);
    if stopped {
        return None;
    }
    Some(exit_code(status))
}

/// The exit code a kubelet reports: the status, or 128 + the signal that ended the process.
pub fn exit_code(status: Option<std::process::ExitStatus>) -> i32 {
    use std::os::unix::process::ExitStatusExt as _;
    match status {
        Some(s) => s.code().unwrap_or_else(|| 128 + s.signal().unwrap_or(9)),
        None => 137,
    }
}

impl Kubelet {
    /// Kills every pod process at once (the cluster is going away).
    pub fn stop_all(&self) {
        for runtime in lock(&self.pods).values() {
            *lock(&runtime.grace) = Duration::ZERO;
            kill_all(runtime, nix::sys::signal::Signal::SIGKILL);
            runtime.halt.cancel();
            runtime.stop.cancel();
        }
    }
}
