//! Building a pod from a caller's spec: validated first, policies applied, managed-by labels added.

use std::collections::{BTreeMap, HashMap};

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use kubegate_proto::convert;
use kubegate_proto::v1 as pb;

use crate::config::WorkloadPolicy;
use crate::error::Result;
use crate::settings::Settings;
use crate::validation::{self as check, Violations};
use crate::{
    APP_LABEL, LEGACY_MANAGED_BY, LEGACY_MANAGER, MANAGED_BY, SELF_NAME, SELF_NAME_LABEL, TTL_ANNOTATION,
};

/// The container name used when a spec names none, as the original integration did.
pub const DEFAULT_CONTAINER: &str = "runner";

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
    if caller.get(SELF_NAME_LABEL).map(String::as_str) == Some(SELF_NAME) {
        v.add(
            format!("{field}[{SELF_NAME_LABEL:?}]"),
            format!("{SELF_NAME:?} marks kubegate's own pods; choose another value"),
        );
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
    convert::protocol_name(pb::Protocol::try_from(protocol).unwrap_or(pb::Protocol::Unspecified))
}

/// Checks a pod spec against the caller-facing rules and the service's policies, and builds the pod.
/// Nothing is sent to Kubernetes here.
pub fn build(spec: &pb::PodSpec, settings: &Settings, policy: &WorkloadPolicy) -> Result<core::Pod> {
    // Every field of the request is named here: a field added to the API stops the build until it
    // is handled, instead of being dropped silently.
    let pb::PodSpec {
        name: _,
        namespace: _,
        image: _,
        command: _,
        args: _,
        env: _,
        labels: _,
        annotations: _,
        working_dir: _,
        host_paths: _,
        volume_claims: _,
        resources: _,
        ports: _,
        restart_policy: _,
        max_run_duration: _,
        ttl_after_finished: _,
        container_name: _,
        image_pull_policy: _,
        stdin: _,
        tty: _,
    } = spec;
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
    let mut labels = labels_with_managed(&mut v, "pod.labels", &spec.labels);
    // As the original did: `app: opencode-manager` unless the caller chose an `app` of its own.
    labels.entry(APP_LABEL.to_string()).or_insert_with(|| LEGACY_MANAGER.to_string());
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
        security_context: Some(core::SecurityContext {
            allow_privilege_escalation: Some(policy.allow_privilege_escalation),
            capabilities: Some(core::Capabilities {
                drop: Some(vec!["ALL".to_string()]),
                add: (!policy.capabilities_add.is_empty()).then(|| policy.capabilities_add.clone()),
            }),
            ..core::SecurityContext::default()
        }),
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
            automount_service_account_token: Some(policy.automount_service_account_token),
            security_context: Some(core::PodSecurityContext {
                seccomp_profile: Some(core::SeccompProfile {
                    type_: if policy.seccomp_unconfined { "Unconfined" } else { "RuntimeDefault" }
                        .to_string(),
                    localhost_profile: None,
                }),
                ..core::PodSecurityContext::default()
            }),
            ..core::PodSpec::default()
        }),
        status: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str, image: &str) -> pb::PodSpec {
        pb::PodSpec { name: name.into(), image: image.into(), ..Default::default() }
    }

    fn labels(pod: &core::Pod) -> BTreeMap<String, String> {
        pod.metadata.labels.clone().unwrap_or_default()
    }

    #[test]
    fn a_pod_carries_the_labels_the_original_callers_select_by() {
        let pod =
            build(&spec("demo", "busybox"), &Settings::default(), &WorkloadPolicy::default()).expect("valid");
        let labels = labels(&pod);
        assert_eq!(labels.get("app").map(String::as_str), Some("opencode-manager"));
        assert_eq!(labels.get("managed-by").map(String::as_str), Some("opencode-manager"));
        assert_eq!(labels.get("app.kubernetes.io/managed-by").map(String::as_str), Some("kubegate"));
        let pod_spec = pod.spec.expect("spec");
        assert_eq!(pod_spec.containers[0].name, "runner");
        assert_eq!(pod_spec.restart_policy.as_deref(), Some("Never"));
    }

    #[test]
    fn a_callers_own_app_label_wins_over_the_default() {
        let mut s = spec("web", "node:20-alpine");
        s.labels.insert("app".into(), "preview-abc".into());
        let pod = build(&s, &Settings::default(), &WorkloadPolicy::default()).expect("valid");
        assert_eq!(labels(&pod).get("app").map(String::as_str), Some("preview-abc"));
    }

    #[test]
    fn callers_cannot_change_the_managed_by_labels_or_pose_as_kubegate() {
        let mut s = spec("demo", "busybox");
        s.labels.insert("managed-by".into(), "someone-else".into());
        let err = build(&s, &Settings::default(), &WorkloadPolicy::default())
            .expect_err("managed-by is kubegate's");
        assert!(err.to_string().contains("pod.labels[\"managed-by\"]"), "{err}");
        let mut s = spec("demo", "busybox");
        s.labels.insert("app.kubernetes.io/name".into(), "kubegate".into());
        let err =
            build(&s, &Settings::default(), &WorkloadPolicy::default()).expect_err("kubegate's own mark");
        assert!(err.to_string().contains("app.kubernetes.io/name"), "{err}");
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let err = build(&spec("Not_A_Name", ""), &Settings::default(), &WorkloadPolicy::default())
            .expect_err("invalid");
        let text = err.to_string();
        assert!(text.contains("pod.name"), "{text}");
        assert!(text.contains("pod.image: is required"), "{text}");
    }

    #[test]
    fn containers_without_resources_get_the_configured_defaults() {
        let pod =
            build(&spec("demo", "busybox"), &Settings::default(), &WorkloadPolicy::default()).expect("valid");
        let resources = pod.spec.expect("spec").containers[0].resources.clone().expect("resources");
        let limits = resources.limits.expect("limits");
        assert_eq!(limits.get("cpu").map(|q| q.0.as_str()), Some("2"));
        assert_eq!(limits.get("memory").map(|q| q.0.as_str()), Some("2Gi"));
    }

    #[test]
    fn host_paths_are_refused_unless_an_operator_allowed_their_prefix() {
        let mut s = spec("demo", "busybox");
        s.host_paths.push(pb::HostPathMount {
            host_path: "/srv/data/../../etc".into(),
            mount_path: "/data".into(),
            ..Default::default()
        });
        let err = build(&s, &Settings::default(), &WorkloadPolicy::default()).expect_err("no prefix allowed");
        assert!(err.to_string().contains("host_paths[0]"), "{err}");
        let settings =
            Settings { allowed_host_path_prefixes: vec!["/srv/data".into()], ..Settings::default() };
        assert!(
            build(&s, &settings, &WorkloadPolicy::default()).is_err(),
            "`..` must not climb out of an allowed prefix"
        );
        s.host_paths[0].host_path = "/srv/data/project".into();
        assert!(build(&s, &settings, &WorkloadPolicy::default()).is_ok());
    }

    #[test]
    fn workloads_are_hardened_unless_the_operator_relaxes_them() {
        let pod =
            build(&spec("demo", "busybox"), &Settings::default(), &WorkloadPolicy::default()).expect("valid");
        let pod_spec = pod.spec.expect("spec");
        assert_eq!(pod_spec.automount_service_account_token, Some(false));
        let seccomp = pod_spec.security_context.and_then(|c| c.seccomp_profile).expect("seccomp");
        assert_eq!(seccomp.type_, "RuntimeDefault");
        let context = pod_spec.containers[0].security_context.clone().expect("container context");
        assert_eq!(context.allow_privilege_escalation, Some(false));
        let caps = context.capabilities.expect("capabilities");
        assert_eq!(caps.drop, Some(vec!["ALL".to_string()]));
        assert!(!caps.add.unwrap_or_default().iter().any(|c| c == "NET_RAW" || c == "SYS_ADMIN"));
        let relaxed = WorkloadPolicy { allow_privilege_escalation: true, ..WorkloadPolicy::default() };
        let pod = build(&spec("demo", "busybox"), &Settings::default(), &relaxed).expect("valid");
        let context = pod.spec.expect("spec").containers[0].security_context.clone().expect("context");
        assert_eq!(context.allow_privilege_escalation, Some(true));
    }
}
