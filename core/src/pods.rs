//! Pods: building a pod from a caller's spec (validated first, policies applied, managed-by labels
//! added), and get, list, delete and watch through kube-rs.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use futures::{Stream, StreamExt as _};
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use kube::api::{Api, DeleteParams, ListParams, PostParams};
use kube::runtime::watcher;
use kubegate_proto::v1 as pb;

use crate::error::{Error, Result};
use crate::settings::Settings;
use crate::state::State;
use crate::validation::{self as check, Violations};
use crate::{LEGACY_MANAGED_BY, LEGACY_MANAGER, MANAGED_BY, TTL_ANNOTATION};

/// The container name used when a spec names none, as the original integration did.
pub const DEFAULT_CONTAINER: &str = "runner";

/// The most a page of a list may hold.
pub const MAX_PAGE_SIZE: i32 = 1000;
/// The page size when a list asks for none.
pub const DEFAULT_PAGE_SIZE: i32 = 500;

fn duration_seconds(d: &prost_types::Duration) -> i64 {
    d.seconds + i64::from(d.nanos > 0)
}

/// The managed-by labels kubegate puts on every object it creates.
pub fn managed_labels() -> [(&'static str, &'static str); 2] {
    [(MANAGED_BY, "kubegate"), (LEGACY_MANAGED_BY, LEGACY_MANAGER)]
}

/// Merges the caller's labels with the managed-by labels, refusing attempts to change the latter.
pub fn labels_with_managed(
    v: &mut Violations,
    field: &str,
    caller: &HashMap<String, String>,
) -> BTreeMap<String, String> {
    check::labels(v, field, caller.iter());
    let mut labels: BTreeMap<String, String> = caller.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    for (key, value) in managed_labels() {
        if let Some(given) = caller.get(key).filter(|given| given.as_str() != value) {
            v.add(
                format!("{field}[{key:?}]"),
                format!("kubegate sets this label to {value:?}; {given:?} is not allowed"),
            );
        }
        labels.insert(key.to_string(), value.to_string());
    }
    labels
}

fn quantities(q: &pb::ResourceQuantities) -> BTreeMap<String, Quantity> {
    [("cpu", &q.cpu), ("memory", &q.memory), ("ephemeral-storage", &q.ephemeral_storage)]
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| (name.to_string(), Quantity(value.clone())))
        .collect()
}

fn default_quantities(q: &crate::settings::Quantities) -> pb::ResourceQuantities {
    pb::ResourceQuantities {
        cpu: q.cpu.clone(),
        memory: q.memory.clone(),
        ephemeral_storage: q.ephemeral_storage.clone(),
    }
}

/// The requested resources with the configured defaults filled into every empty field.
fn resources(
    requested: Option<&pb::ResourceRequirements>,
    settings: &Settings,
) -> core::ResourceRequirements {
    let fill = |given: Option<&pb::ResourceQuantities>, default: &crate::settings::Quantities| {
        let given = given.cloned().unwrap_or_default();
        let default = default_quantities(default);
        pb::ResourceQuantities {
            cpu: if given.cpu.is_empty() { default.cpu } else { given.cpu },
            memory: if given.memory.is_empty() { default.memory } else { given.memory },
            ephemeral_storage: if given.ephemeral_storage.is_empty() {
                default.ephemeral_storage
            } else {
                given.ephemeral_storage
            },
        }
    };
    let requests =
        quantities(&fill(requested.and_then(|r| r.requests.as_ref()), &settings.default_resources.requests));
    let limits =
        quantities(&fill(requested.and_then(|r| r.limits.as_ref()), &settings.default_resources.limits));
    core::ResourceRequirements {
        requests: (!requests.is_empty()).then_some(requests),
        limits: (!limits.is_empty()).then_some(limits),
        ..core::ResourceRequirements::default()
    }
}

fn protocol_name(protocol: i32) -> &'static str {
    match pb::Protocol::try_from(protocol).unwrap_or(pb::Protocol::Unspecified) {
        pb::Protocol::Udp => "UDP",
        pb::Protocol::Sctp => "SCTP",
        pb::Protocol::Tcp | pb::Protocol::Unspecified => "TCP",
    }
}

/// Checks a pod spec against the caller-facing rules and the service's policies, and builds the pod.
/// Nothing is sent to Kubernetes here.
pub fn build(spec: &pb::PodSpec, settings: &Settings) -> Result<core::Pod> {
    let mut v = Violations::default();
    check::subdomain(&mut v, "pod.name", &spec.name);
    if spec.image.trim().is_empty() {
        v.add("pod.image", "is required, for example \"node:20-alpine\"");
    } else if spec.image.contains(char::is_whitespace) {
        v.add("pod.image", format!("{:?} must not contain spaces", spec.image));
    }
    let container_name =
        if spec.container_name.is_empty() { DEFAULT_CONTAINER } else { &spec.container_name };
    check::label_name(&mut v, "pod.container_name", container_name);
    let mut seen_env = Vec::new();
    for (i, var) in spec.env.iter().enumerate() {
        check::env_name(&mut v, &format!("pod.env[{i}].name"), &var.name);
        if seen_env.contains(&var.name) {
            v.add(format!("pod.env[{i}].name"), format!("{:?} is set twice", var.name));
        }
        seen_env.push(var.name.clone());
    }
    let labels = labels_with_managed(&mut v, "pod.labels", &spec.labels);
    check::annotations(&mut v, "pod.annotations", spec.annotations.iter());
    if !spec.working_dir.is_empty() {
        check::absolute_path(&mut v, "pod.working_dir", &spec.working_dir);
    }
    let mut volumes = Vec::new();
    let mut mounts = Vec::new();
    let mut mount_paths = Vec::new();
    for (i, host) in spec.host_paths.iter().enumerate() {
        let field = format!("pod.host_paths[{i}]");
        check::absolute_path(&mut v, &format!("{field}.host_path"), &host.host_path);
        check::absolute_path(&mut v, &format!("{field}.mount_path"), &host.mount_path);
        let normalized = check::normalize(&host.host_path);
        if host.host_path.starts_with('/')
            && !check::under_prefix(&normalized, &settings.allowed_host_path_prefixes)
        {
            let allowed = if settings.allowed_host_path_prefixes.is_empty() {
                "no hostPath is allowed".to_string()
            } else {
                format!("allowed prefixes are {}", settings.allowed_host_path_prefixes.join(", "))
            };
            v.add(
                format!("{field}.host_path"),
                format!(
                    "{} is outside the allowed host path prefixes ({allowed}); add a prefix to \
                     allowed_host_path_prefixes in the cluster settings to allow it",
                    normalized.display()
                ),
            );
        }
        let name = format!("host-{i}");
        volumes.push(core::Volume {
            name: name.clone(),
            host_path: Some(core::HostPathVolumeSource {
                path: normalized.display().to_string(),
                type_: None,
            }),
            ..core::Volume::default()
        });
        mounts.push(core::VolumeMount {
            name,
            mount_path: host.mount_path.clone(),
            read_only: host.read_only.then_some(true),
            ..core::VolumeMount::default()
        });
        mount_paths.push((field, host.mount_path.clone()));
    }
    for (i, claim) in spec.volume_claims.iter().enumerate() {
        let field = format!("pod.volume_claims[{i}]");
        check::subdomain(&mut v, &format!("{field}.claim_name"), &claim.claim_name);
        check::absolute_path(&mut v, &format!("{field}.mount_path"), &claim.mount_path);
        if claim.sub_path.starts_with('/') || claim.sub_path.split('/').any(|p| p == "..") {
            v.add(format!("{field}.sub_path"), "must be a relative path without '..'");
        }
        let name = format!("claim-{i}");
        volumes.push(core::Volume {
            name: name.clone(),
            persistent_volume_claim: Some(core::PersistentVolumeClaimVolumeSource {
                claim_name: claim.claim_name.clone(),
                read_only: None,
            }),
            ..core::Volume::default()
        });
        mounts.push(core::VolumeMount {
            name,
            mount_path: claim.mount_path.clone(),
            sub_path: (!claim.sub_path.is_empty()).then(|| claim.sub_path.clone()),
            read_only: claim.read_only.then_some(true),
            ..core::VolumeMount::default()
        });
        mount_paths.push((field, claim.mount_path.clone()));
    }
    for (i, (field, path)) in mount_paths.iter().enumerate() {
        if mount_paths[..i].iter().any(|(_, earlier)| earlier == path) {
            v.add(format!("{field}.mount_path"), format!("{path} is mounted twice"));
        }
    }
    if let Some(r) = &spec.resources {
        for (which, q) in [("requests", &r.requests), ("limits", &r.limits)] {
            if let Some(q) = q {
                check::quantity(&mut v, &format!("pod.resources.{which}.cpu"), &q.cpu);
                check::quantity(&mut v, &format!("pod.resources.{which}.memory"), &q.memory);
                check::quantity(
                    &mut v,
                    &format!("pod.resources.{which}.ephemeral_storage"),
                    &q.ephemeral_storage,
                );
            }
        }
    }
    let mut ports = Vec::new();
    for (i, port) in spec.ports.iter().enumerate() {
        check::port(&mut v, &format!("pod.ports[{i}].container_port"), port.container_port);
        if !port.name.is_empty() && (port.name.len() > 15 || !check::is_dns1123_label(&port.name)) {
            v.add(format!("pod.ports[{i}].name"), "must be at most 15 lowercase letters, digits and '-'");
        }
        ports.push(core::ContainerPort {
            name: (!port.name.is_empty()).then(|| port.name.clone()),
            container_port: port.container_port,
            protocol: Some(protocol_name(port.protocol).to_string()),
            ..core::ContainerPort::default()
        });
    }
    let restart_policy = match pb::RestartPolicy::try_from(spec.restart_policy) {
        Ok(pb::RestartPolicy::Unspecified | pb::RestartPolicy::Never) => "Never",
        Ok(pb::RestartPolicy::OnFailure) => "OnFailure",
        Ok(pb::RestartPolicy::Always) => "Always",
        Err(_) => {
            v.add("pod.restart_policy", format!("{} is not a restart policy", spec.restart_policy));
            "Never"
        }
    };
    if !spec.image_pull_policy.is_empty()
        && !["Always", "IfNotPresent", "Never"].contains(&spec.image_pull_policy.as_str())
    {
        v.add("pod.image_pull_policy", "must be Always, IfNotPresent or Never");
    }
    let deadline = spec.max_run_duration.as_ref().map(duration_seconds);
    if deadline.is_some_and(|d| d < 1) {
        v.add("pod.max_run_duration", "must be at least one second");
    }
    let ttl = spec.ttl_after_finished.as_ref().map(duration_seconds);
    if ttl.is_some_and(|t| t < 0) {
        v.add("pod.ttl_after_finished", "must not be negative");
    }
    v.into_result()?;

    let mut annotations: BTreeMap<String, String> =
        spec.annotations.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    if let Some(ttl) = ttl {
        annotations.insert(TTL_ANNOTATION.to_string(), ttl.to_string());
    }
    let container = core::Container {
        name: container_name.to_string(),
        image: Some(spec.image.clone()),
        command: (!spec.command.is_empty()).then(|| spec.command.clone()),
        args: (!spec.args.is_empty()).then(|| spec.args.clone()),
        env: (!spec.env.is_empty()).then(|| {
            spec.env
                .iter()
                .map(|e| core::EnvVar {
                    name: e.name.clone(),
                    value: Some(e.value.clone()),
                    value_from: None,
                })
                .collect()
        }),
        working_dir: (!spec.working_dir.is_empty()).then(|| spec.working_dir.clone()),
        volume_mounts: (!mounts.is_empty()).then_some(mounts),
        resources: Some(resources(spec.resources.as_ref(), settings)),
        ports: (!ports.is_empty()).then_some(ports),
        image_pull_policy: (!spec.image_pull_policy.is_empty()).then(|| spec.image_pull_policy.clone()),
        stdin: spec.stdin.then_some(true),
        tty: spec.tty.then_some(true),
        ..core::Container::default()
    };
    Ok(core::Pod {
        metadata: kube::api::ObjectMeta {
            name: Some(spec.name.clone()),
            labels: Some(labels),
            annotations: (!annotations.is_empty()).then_some(annotations),
            ..kube::api::ObjectMeta::default()
        },
        spec: Some(core::PodSpec {
            containers: vec![container],
            volumes: (!volumes.is_empty()).then_some(volumes),
            restart_policy: Some(restart_policy.to_string()),
            active_deadline_seconds: deadline,
            ..core::PodSpec::default()
        }),
        status: None,
    })
}

fn timestamp(time: &k8s_openapi::apimachinery::pkg::apis::meta::v1::Time) -> prost_types::Timestamp {
    let t = time.0;
    prost_types::Timestamp { seconds: t.as_second(), nanos: t.subsec_nanosecond() }
}

/// The phase enum of a Kubernetes phase string.
pub fn phase_of(phase: Option<&str>) -> pb::PodPhase {
    match phase {
        Some("Pending") => pb::PodPhase::Pending,
        Some("Running") => pb::PodPhase::Running,
        Some("Succeeded") => pb::PodPhase::Succeeded,
        Some("Failed") => pb::PodPhase::Failed,
        Some("Unknown") => pb::PodPhase::Unknown,
        _ => pb::PodPhase::Unspecified,
    }
}

/// The Kubernetes phase string of a phase enum.
pub fn phase_name(phase: pb::PodPhase) -> Option<&'static str> {
    match phase {
        pb::PodPhase::Pending => Some("Pending"),
        pb::PodPhase::Running => Some("Running"),
        pb::PodPhase::Succeeded => Some("Succeeded"),
        pb::PodPhase::Failed => Some("Failed"),
        pb::PodPhase::Unknown => Some("Unknown"),
        pb::PodPhase::Unspecified => None,
    }
}

/// The metadata every returned object carries.
pub fn object_meta(meta: &kube::api::ObjectMeta) -> pb::ObjectMeta {
    pb::ObjectMeta {
        name: meta.name.clone().unwrap_or_default(),
        namespace: meta.namespace.clone().unwrap_or_default(),
        labels: meta.labels.clone().unwrap_or_default().into_iter().collect(),
        annotations: meta.annotations.clone().unwrap_or_default().into_iter().collect(),
        create_time: meta.creation_timestamp.as_ref().map(timestamp),
        resource_version: meta.resource_version.clone().unwrap_or_default(),
        uid: meta.uid.clone().unwrap_or_default(),
        delete_time: meta.deletion_timestamp.as_ref().map(timestamp),
    }
}

/// When a finished pod finished: the latest container finish time.
pub fn finish_time(pod: &core::Pod) -> Option<jiff::Timestamp> {
    pod.status
        .as_ref()?
        .container_statuses
        .as_ref()?
        .iter()
        .filter_map(|s| s.state.as_ref()?.terminated.as_ref()?.finished_at.as_ref().map(|t| t.0))
        .max()
}

/// The summary of a pod: what the original's list returned, and more.
pub fn summary(pod: &core::Pod) -> pb::Pod {
    let status = pod.status.clone().unwrap_or_default();
    let statuses = status.container_statuses.clone().unwrap_or_default();
    let containers: Vec<pb::ContainerStatus> = statuses
        .iter()
        .map(|s| {
            let state = s.state.clone().unwrap_or_default();
            let (name, reason, message, exit_code, start, finish) = if let Some(t) = &state.terminated {
                (
                    "terminated",
                    t.reason.clone(),
                    t.message.clone(),
                    Some(t.exit_code),
                    t.started_at.as_ref().map(timestamp),
                    t.finished_at.as_ref().map(timestamp),
                )
            } else if let Some(r) = &state.running {
                ("running", None, None, None, r.started_at.as_ref().map(timestamp), None)
            } else {
                let w = state.waiting.clone().unwrap_or_default();
                ("waiting", w.reason, w.message, None, None, None)
            };
            pb::ContainerStatus {
                name: s.name.clone(),
                image: s.image.clone(),
                ready: s.ready,
                restart_count: s.restart_count,
                state: name.to_string(),
                reason: reason.unwrap_or_default(),
                message: message.unwrap_or_default(),
                exit_code,
                start_time: start,
                finish_time: finish,
            }
        })
        .collect();
    let start = status.start_time.as_ref().map(|t| t.0);
    let age = start.map(|s| {
        let elapsed = jiff::Timestamp::now().duration_since(s);
        prost_types::Duration { seconds: elapsed.as_secs().max(0), nanos: elapsed.subsec_nanos().max(0) }
    });
    let all_done = !containers.is_empty() && containers.iter().all(|c| c.state == "terminated");
    pb::Pod {
        name: pod.metadata.name.clone().unwrap_or_default(),
        namespace: pod.metadata.namespace.clone().unwrap_or_default(),
        phase: phase_of(status.phase.as_deref()) as i32,
        ready: !statuses.is_empty() && statuses.iter().all(|s| s.ready),
        age,
        image: pod
            .spec
            .as_ref()
            .and_then(|s| s.containers.first())
            .and_then(|c| c.image.clone())
            .unwrap_or_default(),
        node_name: pod.spec.as_ref().and_then(|s| s.node_name.clone()).unwrap_or_default(),
        pod_ip: status.pod_ip.clone().unwrap_or_default(),
        restart_count: statuses.iter().map(|s| s.restart_count).sum(),
        exit_code: containers.first().and_then(|c| c.exit_code),
        start_time: status.start_time.as_ref().map(timestamp),
        finish_time: if all_done {
            finish_time(pod)
                .map(|t| prost_types::Timestamp { seconds: t.as_second(), nanos: t.subsec_nanosecond() })
        } else {
            None
        },
        reason: status.reason.clone().unwrap_or_default(),
        message: status.message.clone().unwrap_or_default(),
        containers,
        metadata: Some(object_meta(&pod.metadata)),
    }
}

/// Checks a required object name in a request.
fn require_name(field: &str, name: &str) -> Result<()> {
    let mut v = Violations::default();
    check::subdomain(&mut v, field, name);
    v.into_result()
}

/// Creates a pod.
pub async fn create(state: &State, request: pb::CreatePodRequest) -> Result<pb::Pod> {
    let spec = request.pod.ok_or_else(|| Error::invalid("pod", "is required"))?;
    let namespace = state.namespace(&spec.namespace).await?;
    let settings = state.settings().await;
    let pod = build(&spec, &settings)?;
    let api: Api<core::Pod> = Api::namespaced(state.client().await?, &namespace);
    let params = PostParams { dry_run: request.validate_only, field_manager: Some("kubegate".into()) };
    let created = api.create(&params, &pod).await?;
    tracing::info!(pod = %spec.name, %namespace, dry_run = request.validate_only, "pod created");
    Ok(summary(&created))
}

/// Reads one pod, with its raw JSON.
pub async fn get(state: &State, namespace: &str, name: &str) -> Result<(pb::Pod, String)> {
    require_name("name", name)?;
    let namespace = state.namespace(namespace).await?;
    let api: Api<core::Pod> = Api::namespaced(state.client().await?, &namespace);
    let pod = api.get(name).await?;
    let json = serde_json::to_string(&pod).map_err(|e| Error::Internal(e.to_string()))?;
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

/// Lists pods.
pub async fn list(state: &State, request: pb::ListPodsRequest) -> Result<pb::ListPodsResponse> {
    let namespace = state.namespace(&request.namespace).await?;
    let mut params = ListParams::default().limit(page_size(request.page_size)?);
    let mut selector = request.label_selector.clone();
    if request.managed_only {
        let managed = format!("{MANAGED_BY}=kubegate");
        selector = if selector.is_empty() { managed } else { format!("{selector},{managed}") };
    }
    if !selector.is_empty() {
        params = params.labels(&selector);
    }
    let phases: Vec<&'static str> = request
        .phases
        .iter()
        .map(|p| {
            pb::PodPhase::try_from(*p)
                .ok()
                .and_then(phase_name)
                .ok_or_else(|| Error::invalid("phases", format!("{p} is not a pod phase")))
        })
        .collect::<Result<_>>()?;
    if let [only] = phases.as_slice() {
        params = params.fields(&format!("status.phase={only}"));
    }
    if !request.page_token.is_empty() {
        params = params.continue_token(&request.page_token);
    }
    let api: Api<core::Pod> = Api::namespaced(state.client().await?, &namespace);
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
    let params = DeleteParams {
        grace_period_seconds: request.grace_period_seconds.and_then(|g| u32::try_from(g).ok()),
        ..DeleteParams::background()
    };
    api.delete(&request.name, &params).await?;
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
    }
    tracing::info!(pod = %request.name, %namespace, "pod deleted");
    Ok(())
}

/// Watches pods: a stream of changes that survives watch expiry and 410 (the watcher relists and the
/// differences are reported as ordinary events), ending when the receiver is dropped.
pub async fn watch(
    state: &State,
    request: pb::WatchPodsRequest,
) -> Result<impl Stream<Item = Result<pb::WatchPodsResponse>> + Send + 'static> {
    let namespace = state.namespace(&request.namespace).await?;
    let client = state.client().await?;
    let api: Api<core::Pod> = Api::namespaced(client, &namespace);
    // Fail fast on a bad selector or missing permission rather than inside the stream.
    let mut probe = ListParams::default().limit(1);
    if !request.label_selector.is_empty() {
        probe = probe.labels(&request.label_selector);
    }
    api.list_metadata(&probe).await?;
    let mut config = watcher::Config::default();
    if !request.label_selector.is_empty() {
        config = config.labels(&request.label_selector);
    }
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<pb::WatchPodsResponse>>(64);
    let send_initial = request.send_initial_pods;
    tokio::spawn(async move {
        let mut known: HashMap<String, String> = HashMap::new();
        let mut listing: Option<HashMap<String, core::Pod>> = None;
        let mut synced = false;
        let mut events = std::pin::pin!(watcher(api, config));
        let event = |kind: pb::WatchEventType, pod: Option<&core::Pod>| pb::WatchPodsResponse {
            r#type: kind as i32,
            pod: pod.map(summary),
        };
        loop {
            let next = tokio::select! {
                next = events.next() => next,
                () = tx.closed() => return,
            };
            let Some(next) = next else { return };
            let mut out = Vec::new();
            match next {
                Ok(watcher::Event::Init) => listing = Some(HashMap::new()),
                Ok(watcher::Event::InitApply(pod)) => {
                    if let Some(l) = listing.as_mut() {
                        l.insert(pod.metadata.name.clone().unwrap_or_default(), pod);
                    }
                }
                Ok(watcher::Event::InitDone) => {
                    let current = listing.take().unwrap_or_default();
                    let first = !synced;
                    for (name, pod) in &current {
                        let rv = pod.metadata.resource_version.clone().unwrap_or_default();
                        match known.get(name) {
                            None if !first || send_initial => {
                                out.push(event(pb::WatchEventType::Added, Some(pod)))
                            }
                            Some(old) if *old != rv && !first => {
                                out.push(event(pb::WatchEventType::Modified, Some(pod)))
                            }
                            _ => {}
                        }
                    }
                    let gone: Vec<String> =
                        known.keys().filter(|n| !current.contains_key(*n)).cloned().collect();
                    for name in gone {
                        let pod = core::Pod {
                            metadata: kube::api::ObjectMeta {
                                name: Some(name.clone()),
                                ..Default::default()
                            },
                            ..Default::default()
                        };
                        out.push(event(pb::WatchEventType::Deleted, Some(&pod)));
                        known.remove(&name);
                    }
                    for (name, pod) in &current {
                        known.insert(name.clone(), pod.metadata.resource_version.clone().unwrap_or_default());
                    }
                    if first {
                        synced = true;
                        if send_initial {
                            out.push(event(pb::WatchEventType::Synced, None));
                        }
                    }
                }
                Ok(watcher::Event::Apply(pod)) => {
                    let name = pod.metadata.name.clone().unwrap_or_default();
                    let rv = pod.metadata.resource_version.clone().unwrap_or_default();
                    let kind = if known.contains_key(&name) {
                        pb::WatchEventType::Modified
                    } else {
                        pb::WatchEventType::Added
                    };
                    if known.insert(name, rv.clone()).as_deref() != Some(rv.as_str()) {
                        out.push(event(kind, Some(&pod)));
                    }
                }
                Ok(watcher::Event::Delete(pod)) => {
                    known.remove(pod.metadata.name.as_deref().unwrap_or_default());
                    out.push(event(pb::WatchEventType::Deleted, Some(&pod)));
                }
                Err(e) => {
                    // The watcher retries by itself; only a refusal that will not heal ends the stream.
                    if let watcher::Error::InitialListFailed(kube::Error::Api(status))
                    | watcher::Error::WatchStartFailed(kube::Error::Api(status)) = &e
                        && matches!(status.code, 401 | 403 | 404)
                    {
                        let _ = tx.send(Err(Error::from(kube::Error::Api(status.clone())))).await;
                        return;
                    }
                    tracing::debug!(error = %e, "pod watch interrupted; resuming");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
            for item in out {
                if tx.send(Ok(item)).await.is_err() {
                    return;
                }
            }
        }
    });
    Ok(tokio_stream::wrappers::ReceiverStream::new(rx))
}
