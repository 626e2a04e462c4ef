//! Supervision of a pod's containers: starting their processes with their volumes, recording output
//! and exits, restarting by policy, enforcing `activeDeadlineSeconds`, and stopping them gracefully
//! (SIGTERM, then SIGKILL after the grace period) when the pod is deleted.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::events::Level;
use super::pod::{ContainerModel, Node, PodRuntime, lock};
use super::pod_status::publish;
use super::removal::finish_pod;
use crate::logs::{self, Stream};
use crate::process::{self, Mount, ProcessSpec, Running};
use crate::store::now_rfc3339;
use crate::volumes;

/// Runs a pod from its start to its removal.
pub async fn run_pod(node: Arc<Node>, runtime: Arc<PodRuntime>) {
    let containers: Vec<Value> = runtime.spec["containers"].as_array().cloned().unwrap_or_default();
    let mounts = match volumes::plan(&node.store, &node.data_dir, &runtime.namespace, &runtime.spec) {
        Ok(mounts) => mounts,
        Err(message) => {
            fail_pod(&node, &runtime, "CreateContainerConfigError", &message);
            return wait_for_removal(&node, &runtime).await;
        }
    };
    lock(&runtime.model).start_time = Some(now_rfc3339());
    publish(&node.store, &runtime);
    let assigned =
        format!("Successfully assigned {}/{} to {}", runtime.namespace, runtime.name, super::pod::NODE_NAME);
    node.events.pod(&node.store, runtime.involved(), None, Level::Normal, "Scheduled", assigned);
    let mut tasks = Vec::new();
    for container in containers {
        let own: Vec<Mount> = volumes::for_container(&mounts, &container);
        tasks.push(tokio::spawn(run_container(node.clone(), runtime.clone(), container, own)));
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
            publish(&node.store, &runtime);
        }
    }
    wait_for_removal(&node, &runtime).await;
}

/// Waits for a delete, then removes the pod from the store and the node.
async fn wait_for_removal(node: &Node, runtime: &PodRuntime) {
    runtime.stop.cancelled().await;
    finish_pod(node, runtime);
}

/// Marks every container as unable to start, for a reason that holds for the whole pod.
fn fail_pod(node: &Node, runtime: &PodRuntime, reason: &str, message: &str) {
    {
        let mut model = lock(&runtime.model);
        for (_, c) in &mut model.containers {
            c.waiting = Some((reason.to_string(), message.to_string()));
        }
        model.phase = "Pending".into();
    }
    node.events.pod(
        &node.store,
        runtime.involved(),
        None,
        Level::Warning,
        "Failed",
        format!("Error: {message}"),
    );
    tracing::warn!(pod = %runtime.name, namespace = %runtime.namespace, %reason, %message, "embedded pod cannot start");
    publish(&node.store, runtime);
}

/// One container of a running pod, with what every run of its process shares.
struct Container {
    node: Arc<Node>,
    runtime: Arc<PodRuntime>,
    name: String,
    argv: Vec<String>,
    spec: ProcessSpec,
    mounts: Vec<Mount>,
    /// Whether the container keeps its stdin open for attach (`stdin: true`).
    keep_stdin: bool,
}

impl Container {
    fn set(&self, change: impl FnOnce(&mut ContainerModel)) {
        self.runtime.set_container(&self.name, change);
    }

    fn publish(&self) {
        publish(&self.node.store, &self.runtime);
    }

    fn event(&self, level: Level, reason: &str, message: String) {
        self.node.events.pod(
            &self.node.store,
            self.runtime.involved(),
            Some(&self.name),
            level,
            reason,
            message,
        );
    }
}

/// Runs one container until the pod stops: starts its process, records exits, restarts it by policy.
async fn run_container(node: Arc<Node>, runtime: Arc<PodRuntime>, container: Value, mounts: Vec<Mount>) {
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
    let this = Container {
        node,
        runtime,
        name,
        argv,
        spec,
        mounts,
        keep_stdin: container["stdin"].as_bool() == Some(true),
    };
    let runtime = &this.runtime;
    if let Some(dir) = &this.spec.working_dir {
        let inside_a_mount = this.mounts.iter().any(|m| Path::new(dir).starts_with(&m.target));
        if !inside_a_mount && !Path::new(dir).is_dir() {
            let message = format!("working directory {dir:?} does not exist on the embedded cluster's host");
            this.set(|c| c.waiting = Some(("CreateContainerError".into(), message)));
            this.publish();
            return;
        }
    }
    let Some(runs) = runtime.logs.get(&this.name).cloned() else { return };
    let image = container["image"].as_str().unwrap_or_default().to_string();
    // Where a node reports the image present or pulled; here no image is pulled, and the message says so.
    let message =
        format!("Container image {image:?} is not pulled: the embedded cluster runs the host's tools");
    this.event(Level::Normal, "Pulled", message);
    let mut backoff = Duration::from_millis(500);
    let mut run_index = 0u32;
    loop {
        let path = runtime.dir.join(&this.name).join(format!("{run_index}.log"));
        let (file, writer) = match logs::create(&path).await {
            Ok(created) => created,
            Err(e) => {
                let message = format!("cannot create the log file: {e}");
                this.set(|c| c.waiting = Some(("CreateContainerError".into(), message)));
                this.publish();
                return;
            }
        };
        lock(&runs).push(file);
        let started = now_rfc3339();
        let outcome = if this.argv.is_empty() && this.mounts.is_empty() {
            // No command and no volumes: the image's entrypoint is unknown here, so the container simply
            // stays running until the pod is deleted.
            this.set(|c| {
                c.running = true;
                c.started_at = Some(started.clone());
                c.waiting = None;
            });
            runtime.settle_phase(false);
            this.publish();
            this.event(Level::Normal, "Created", format!("Created container: {}", this.name));
            this.event(Level::Normal, "Started", format!("Started container {}", this.name));
            runtime.halt.cancelled().await;
            this.event(Level::Normal, "Killing", format!("Stopping container {}", this.name));
            // A sandbox started for its execs (see `ensure_holder`) goes with the container.
            {
                let _holding = runtime.holders.lock().await;
                if let Some(holder) = lock(&runtime.pids).remove(&this.name) {
                    holder.kill();
                }
            }
            drop(writer);
            None
        } else {
            run_process(&this, writer, &started).await
        };
        let Some(code) = outcome else {
            this.set(|c| {
                c.running = false;
                c.terminated = Some((137, "Error".into(), started.clone(), now_rfc3339()));
            });
            return;
        };
        let reason = if code == 0 { "Completed" } else { "Error" };
        let restart = !runtime.halt.is_cancelled()
            && (policy == "Always" || (policy == "OnFailure" && code != 0))
            && lock(&runtime.model).reason.is_none();
        this.set(|c| {
            c.running = false;
            c.terminated = Some((code, reason.into(), started.clone(), now_rfc3339()));
        });
        runtime.settle_phase(restart);
        this.publish();
        if !restart {
            return;
        }
        let message = format!("Back-off restarting failed container {} in pod {}", this.name, runtime.name);
        this.event(Level::Warning, "BackOff", message);
        tokio::select! {
            () = tokio::time::sleep(backoff) => {}
            () = runtime.halt.cancelled() => return,
        }
        backoff = (backoff * 2).min(Duration::from_secs(30));
        run_index += 1;
        this.set(|c| {
            c.last_terminated = c.terminated.take();
            c.restart_count += 1;
        });
    }
}

/// Runs one process of a container to its end. `None` when the pod was stopped while it ran.
async fn run_process(this: &Container, writer: logs::LogWriter, started: &str) -> Option<i32> {
    let runtime = &this.runtime;
    let name = this.name.as_str();
    let argv = if this.argv.is_empty() {
        vec!["sleep".to_string(), "infinity".to_string()]
    } else {
        this.argv.clone()
    };
    let (mut command, launch) = match this.spec.container_command(&this.mounts, &this.node.hidden, &argv) {
        Ok(started) => started,
        Err(message) => {
            this.set(|c| c.waiting = Some(("CreateContainerConfigError".into(), message)));
            this.publish();
            runtime.halt.cancelled().await;
            return None;
        }
    };
    command
        .stdin(if this.keep_stdin { std::process::Stdio::piped() } else { std::process::Stdio::null() })
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    let mut child = match process::spawn(command, launch.namespace).await {
        Ok(child) => child,
        Err(e) => {
            let message = format!("failed to start {:?}: {e}", argv[0]);
            this.event(Level::Warning, "Failed", format!("Error: {message}"));
            let _ = writer.sender.send((Stream::Stderr, bytes::Bytes::from(format!("{message}\n")))).await;
            drop(writer.sender);
            let _ = writer.done.await;
            this.set(|c| {
                c.waiting = None;
                c.started_at = Some(started.to_string());
            });
            return Some(if e.kind() == std::io::ErrorKind::NotFound { 127 } else { 126 });
        }
    };
    // No id means the child is already reaped: there is then no group to signal, and none is recorded.
    let running = child
        .id()
        .and_then(|p| i32::try_from(p).ok())
        .map(|pid| Running { pid, sandboxed: launch.sandboxed });
    if let Some(running) = running {
        lock(&runtime.pids).insert(name.to_string(), running);
    }
    if let Some(stdin) = child.stdin.take() {
        lock(&runtime.stdins).insert(name.to_string(), stdin);
    }
    let pumps = [
        child.stdout.take().map(|o| tokio::spawn(logs::pump(o, Stream::Stdout, writer.sender.clone()))),
        child.stderr.take().map(|e| tokio::spawn(logs::pump(e, Stream::Stderr, writer.sender.clone()))),
    ];
    drop(writer.sender);
    this.set(|c| {
        c.running = true;
        c.waiting = None;
        c.started_at = Some(started.to_string());
    });
    runtime.settle_phase(false);
    this.publish();
    this.event(Level::Normal, "Created", format!("Created container: {name}"));
    this.event(Level::Normal, "Started", format!("Started container {name}"));

    let mut stopped = false;
    let status = tokio::select! {
        status = child.wait() => status.ok(),
        () = runtime.halt.cancelled() => {
            stopped = true;
            this.event(Level::Normal, "Killing", format!("Stopping container {name}"));
            if let Some(running) = running {
                running.terminate();
            }
            let grace = *lock(&runtime.grace);
            match tokio::time::timeout(grace, child.wait()).await {
                Ok(status) => status.ok(),
                Err(_) => {
                    if let Some(running) = running {
                        running.kill();
                    }
                    // Without a pid, dropping the child kills it (kill_on_drop) when the wait ends.
                    child.wait().await.ok()
                }
            }
        }
    };
    // Children the command left behind share its process group (and, in a sandbox, its PID
    // namespace); they go with it.
    if let Some(running) = running {
        running.kill();
    }
    for pump in pumps.into_iter().flatten() {
        let _ = pump.await;
    }
    let _ = writer.done.await;
    lock(&runtime.pids).remove(name);
    lock(&runtime.stdins).remove(name);
    if stopped {
        return None;
    }
    Some(process::exit_code(status))
}

/// Starts the sandbox of a container without a process of its own, for its execs and attaches:
/// `sleep infinity` as its init, confined like any container process. Nothing when it has one. The
/// error says why an exec cannot run.
pub async fn ensure_holder(node: &Node, runtime: &Arc<PodRuntime>, name: &str) -> Result<(), String> {
    let _holding = runtime.holders.lock().await;
    if lock(&runtime.pids).contains_key(name) {
        return Ok(());
    }
    if runtime.halt.is_cancelled() {
        return Err("the pod is stopping".into());
    }
    let spec = ProcessSpec::new(&runtime.name, &runtime.container_spec(name), None);
    let argv = ["sleep".to_string(), "infinity".to_string()];
    let (mut command, launch) = spec.container_command(&[], &node.hidden, &argv)?;
    command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .process_group(0)
        .kill_on_drop(true);
    let mut child = process::spawn(command, launch.namespace)
        .await
        .map_err(|e| format!("cannot start the container's sandbox: {e}"))?;
    let Some(pid) = child.id().and_then(|p| i32::try_from(p).ok()) else {
        return Err("the container's sandbox ended as it started".into());
    };
    let holder = Running { pid, sandboxed: launch.sandboxed };
    lock(&runtime.pids).insert(name.to_string(), holder);
    let (runtime, name) = (runtime.clone(), name.to_string());
    // Reaped here; if it ends before the container stops, execs no longer try to enter it.
    tokio::spawn(async move {
        let _ = child.wait().await;
        let mut pids = lock(&runtime.pids);
        if pids.get(&name) == Some(&holder) {
            pids.remove(&name);
        }
    });
    Ok(())
}
