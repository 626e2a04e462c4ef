//! Who may change what: the settings every caller may change (enabled, and the namespace within the
//! operator's allow-list) against the ones that widen what kubegate may reach (allow-lists, the
//! kubeconfig, default resources), which only the operator changes; and the checks on a kubeconfig named
//! through the API, which must not become a way to read files or run commands on kubegate's host.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use kubegate_proto::v1 as pb;

use crate::config::WorkloadPolicy;
use crate::error::{Error, Result};
use crate::settings::Settings;
use crate::validation::{self as check, Violations};
use crate::{SELF_NAME, SELF_NAME_LABEL};

/// Who is asking for a settings change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A holder of the API token: runs workloads and reads settings; may change only what stays within
    /// the operator's policy.
    Caller,
    /// The operator: flags, the settings file, the admin token, or a service run explicitly without
    /// authentication on loopback.
    Operator,
}

/// The largest kubeconfig kubegate reads when it is named through the API.
pub const MAX_KUBECONFIG_BYTES: u64 = 1024 * 1024;

/// Checks a settings value on its own, as an API update or the settings file at start.
pub fn validate(new: &Settings) -> Result<()> {
    let mut v = Violations::default();
    check::label_name(&mut v, "settings.namespace", &new.namespace);
    for (i, ns) in new.allowed_namespaces.iter().enumerate() {
        check::label_name(&mut v, &format!("settings.allowed_namespaces[{i}]"), ns);
    }
    for (i, prefix) in new.allowed_host_path_prefixes.iter().enumerate() {
        let field = format!("settings.allowed_host_path_prefixes[{i}]");
        if prefix.trim().is_empty() {
            v.add(field, "must not be empty (an empty prefix would allow every host path)");
        } else {
            check::absolute_path(&mut v, &field, prefix);
        }
    }
    let r = &new.default_resources;
    for (field, value) in [
        ("requests.cpu", &r.requests.cpu),
        ("requests.memory", &r.requests.memory),
        ("requests.ephemeral_storage", &r.requests.ephemeral_storage),
        ("limits.cpu", &r.limits.cpu),
        ("limits.memory", &r.limits.memory),
        ("limits.ephemeral_storage", &r.limits.ephemeral_storage),
    ] {
        check::quantity(&mut v, &format!("settings.default_resources.{field}"), value);
    }
    if new.cleanup_max_age_seconds == 0 {
        v.add("settings.cleanup_max_age", "must be at least one second");
    }
    v.into_result()
}

/// The fields of `new` that only the operator may change from `current`: anything that widens what
/// kubegate may reach. The namespace may change to any namespace the operator already allowed.
pub fn operator_only_changes(current: &Settings, new: &Settings) -> Vec<&'static str> {
    let mut fields = Vec::new();
    if new.namespace != current.namespace && !current.allowed_namespaces().contains(&new.namespace) {
        fields.push("namespace");
    }
    if new.kubeconfig_path != current.kubeconfig_path {
        fields.push("kubeconfig_path");
    }
    if new.allowed_namespaces != current.allowed_namespaces {
        fields.push("allowed_namespaces");
    }
    if new.allowed_host_path_prefixes != current.allowed_host_path_prefixes {
        fields.push("allowed_host_path_prefixes");
    }
    if new.default_resources != current.default_resources {
        fields.push("default_resources");
    }
    fields
}

/// Refuses a change a caller of this role may not make, naming the fields.
pub fn authorize(role: Role, current: &Settings, new: &Settings) -> Result<()> {
    let fields = operator_only_changes(current, new);
    if role == Role::Operator || fields.is_empty() {
        return Ok(());
    }
    Err(Error::PermissionDenied(format!(
        "only the operator may change {} (with KUBEGATE_ADMIN_TOKEN, a flag or the settings file); the API \
         token may change `enabled`, and `namespace` to one of {}",
        fields.iter().map(|f| format!("settings.{f}")).collect::<Vec<_>>().join(", "),
        current.allowed_namespaces().iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ")
    )))
}

/// Checks a kubeconfig named through the API before kubegate reads it as one: a regular file (not a
/// device, a FIFO or a symlink out of the directory) beneath `dir`, at most 1 MiB, using none of the
/// mechanisms that make kubegate run a command or read another file (exec plugins, auth providers, token
/// files, certificate or key files). Errors name the file and the problem, never its content.
pub fn check_api_kubeconfig(dir: Option<&Path>, path: &str) -> Result<PathBuf> {
    const FIELD: &str = "settings.kubeconfig_path";
    let Some(dir) = dir else {
        return Err(Error::invalid(
            FIELD,
            "cannot be set through the API: the operator has not named a kubeconfig directory (--kubeconfig-dir)",
        ));
    };
    let refuse = |why: String| Error::invalid(FIELD, format!("{path:?} {why}"));
    let root = dir
        .canonicalize()
        .map_err(|e| refuse(format!("cannot be checked: the kubeconfig directory: {e}")))?;
    let requested = Path::new(path);
    let joined = if requested.is_absolute() { requested.to_path_buf() } else { root.join(requested) };
    let meta = std::fs::symlink_metadata(&joined).map_err(|e| refuse(format!("cannot be read: {e}")))?;
    if !meta.file_type().is_file() {
        return Err(refuse("is not a regular file".into()));
    }
    let real = joined.canonicalize().map_err(|e| refuse(format!("cannot be read: {e}")))?;
    if !real.starts_with(&root) {
        return Err(refuse(format!("is not inside the kubeconfig directory {}", dir.display())));
    }
    if meta.len() > MAX_KUBECONFIG_BYTES {
        return Err(refuse(format!("is larger than {MAX_KUBECONFIG_BYTES} bytes")));
    }
    let mut text = String::new();
    std::fs::File::open(&real)
        .and_then(|f| f.take(MAX_KUBECONFIG_BYTES + 1).read_to_string(&mut text))
        .map_err(|e| refuse(format!("cannot be read as text: {}", e.kind())))?;
    let value: serde_yaml::Value = serde_yaml::from_str(&text).map_err(|e| {
        let place = e.location().map(|l| format!(" at line {}", l.line())).unwrap_or_default();
        refuse(format!("is not valid YAML{place}"))
    })?;
    for user in value.get("users").and_then(serde_yaml::Value::as_sequence).into_iter().flatten() {
        let Some(auth) = user.get("user") else { continue };
        for key in ["exec", "auth-provider", "tokenFile", "client-certificate", "client-key"] {
            if auth.get(key).is_some() {
                return Err(refuse(format!(
                    "uses `{key}`, which kubegate does not accept through the API (it would run a command or \
                     read another file); name it with --kubeconfig instead"
                )));
            }
        }
    }
    for cluster in value.get("clusters").and_then(serde_yaml::Value::as_sequence).into_iter().flatten() {
        if cluster.get("cluster").and_then(|c| c.get("certificate-authority")).is_some() {
            return Err(refuse(
                "names a certificate-authority file; use certificate-authority-data through the API".into(),
            ));
        }
    }
    Ok(real)
}

/// Refuses a Service a caller may not create: a type the operator did not allow (LoadBalancer and
/// NodePort open the workload beyond the cluster), or a selector that reaches kubegate's own pods.
pub fn check_service(spec: &pb::KubernetesServiceSpec, policy: &WorkloadPolicy) -> Result<()> {
    let mut v = Violations::default();
    // An unknown type is the builder's to report.
    let kind =
        pb::KubernetesServiceType::try_from(spec.r#type).ok().map(kubegate_proto::convert::service_type_name);
    if let Some(kind) = kind
        && !policy.service_types.iter().any(|t| t == kind)
    {
        v.add(
            "service.type",
            format!(
                "{kind} is not allowed here (allowed: {}); the operator may allow more with --service-types",
                policy.service_types.join(", ")
            ),
        );
    }
    if spec.selector.get(SELF_NAME_LABEL).map(String::as_str) == Some(SELF_NAME) {
        v.add(format!("service.selector[{SELF_NAME_LABEL:?}]"), "must not select kubegate's own pods");
    }
    v.into_result()
}

/// Refuses Ingress annotations outside the operator's allow-list: some ingress controllers read
/// annotations as configuration (ingress-nginx's `configuration-snippet` injects server code,
/// `auth-url` sends requests elsewhere).
pub fn check_ingress(spec: &pb::IngressSpec, policy: &WorkloadPolicy) -> Result<()> {
    let mut v = Violations::default();
    let mut keys: Vec<&String> = spec.annotations.keys().collect();
    keys.sort();
    for key in keys {
        if !policy.allows_annotation(key) {
            v.add(
                format!("ingress.annotations[{key:?}]"),
                "is not an allowed annotation; the operator may allow it with --ingress-annotation-allow",
            );
        }
    }
    v.into_result()
}

/// Whether a pod is one of kubegate's own: the service's pod (from the downward API) or any pod labelled
/// `app.kubernetes.io/name=kubegate`. Nothing a caller asks for acts on them.
pub fn is_kubegate_pod(pod: &k8s_openapi::api::core::v1::Pod, own: Option<&(String, String)>) -> bool {
    let labelled = pod.metadata.labels.as_ref().and_then(|l| l.get(SELF_NAME_LABEL)).map(String::as_str)
        == Some(SELF_NAME);
    let is_self = own.is_some_and(|(ns, name)| {
        pod.metadata.namespace.as_deref() == Some(ns) && pod.metadata.name.as_deref() == Some(name)
    });
    labelled || is_self
}

/// PERMISSION_DENIED for an action on one of kubegate's own pods.
pub fn refuse_own_pod(
    pod: &k8s_openapi::api::core::v1::Pod,
    own: Option<&(String, String)>,
    action: &str,
) -> Result<()> {
    if is_kubegate_pod(pod, own) {
        return Err(Error::PermissionDenied(format!(
            "pod {:?} is kubegate's own; kubegate does not {action} it",
            pod.metadata.name.as_deref().unwrap_or_default()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caller_may_switch_between_allowed_namespaces_and_toggle_enabled() {
        let current = Settings { allowed_namespaces: vec!["team-b".into()], ..Settings::default() };
        let new = Settings { namespace: "team-b".into(), enabled: true, ..current.clone() };
        assert!(authorize(Role::Caller, &current, &new).is_ok());
    }

    #[test]
    fn widening_the_policy_is_the_operators() {
        let current = Settings::default();
        let wider = Settings { allowed_host_path_prefixes: vec!["/".into()], ..current.clone() };
        let err = authorize(Role::Caller, &current, &wider).expect_err("caller");
        assert!(matches!(err, Error::PermissionDenied(_)));
        assert!(err.to_string().contains("settings.allowed_host_path_prefixes"), "{err}");
        assert!(authorize(Role::Operator, &current, &wider).is_ok());
        let elsewhere = Settings { namespace: "kube-system".into(), ..current.clone() };
        assert!(err_names(authorize(Role::Caller, &current, &elsewhere), "settings.namespace"));
    }

    fn err_names(result: Result<()>, field: &str) -> bool {
        result.is_err_and(|e| e.to_string().contains(field))
    }

    #[test]
    fn an_empty_host_path_prefix_is_refused_rather_than_meaning_everything() {
        let s = Settings { allowed_host_path_prefixes: vec![String::new()], ..Settings::default() };
        assert!(err_names(validate(&s), "settings.allowed_host_path_prefixes[0]"));
    }

    #[test]
    fn api_kubeconfigs_stay_in_their_directory_and_never_run_or_read_anything() {
        let dir = tempfile::tempdir().expect("dir");
        let secret = dir.path().join("..").join("secret-outside");
        let _ = std::fs::write(&secret, "top secret line\n");
        assert!(check_api_kubeconfig(None, "x").is_err());
        let plugin = dir.path().join("plugin.yaml");
        std::fs::write(&plugin, "users:\n- name: u\n  user:\n    exec:\n      command: /bin/sh\n")
            .expect("write");
        let err = check_api_kubeconfig(Some(dir.path()), "plugin.yaml").expect_err("exec plugin");
        assert!(err.to_string().contains("`exec`"), "{err}");
        let token_file = dir.path().join("tf.yaml");
        std::fs::write(&token_file, "users:\n- name: u\n  user:\n    tokenFile: /etc/shadow\n")
            .expect("write");
        assert!(check_api_kubeconfig(Some(dir.path()), "tf.yaml").is_err());
        let outside = check_api_kubeconfig(Some(dir.path()), "../secret-outside").expect_err("outside");
        assert!(!outside.to_string().contains("top secret"), "{outside}");
        let zero = check_api_kubeconfig(Some(dir.path()), "/dev/zero").expect_err("device");
        assert!(zero.to_string().contains("not a regular file"), "{zero}");
        let bad = dir.path().join("bad.yaml");
        std::fs::write(&bad, "password: hunter2\n  : : [\n").expect("write");
        let err = check_api_kubeconfig(Some(dir.path()), "bad.yaml").expect_err("not YAML");
        assert!(!err.to_string().contains("hunter2"), "{err}");
        let good = dir.path().join("good.yaml");
        std::fs::write(&good, "apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: abc\n")
            .expect("write");
        assert!(check_api_kubeconfig(Some(dir.path()), "good.yaml").is_ok());
        let _ = std::fs::remove_file(secret);
    }

    fn ingress(annotations: &[(&str, &str)]) -> pb::IngressSpec {
        pb::IngressSpec {
            name: "web".into(),
            annotations: annotations.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn ingress_annotations_come_from_the_allow_list() {
        let policy = WorkloadPolicy::default();
        let websocket = ingress(&[("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600")]);
        assert!(check_ingress(&websocket, &policy).is_ok());
        let snippet =
            ingress(&[("nginx.ingress.kubernetes.io/configuration-snippet", "more_set_headers x;")]);
        let err = check_ingress(&snippet, &policy).expect_err("snippet");
        assert!(err.to_string().contains("configuration-snippet"), "{err}");
        let widened = WorkloadPolicy {
            ingress_annotation_allow: vec!["example.com/*".into()],
            ..WorkloadPolicy::default()
        };
        assert!(check_ingress(&ingress(&[("example.com/team", "a")]), &widened).is_ok());
    }

    #[test]
    fn services_stay_cluster_internal_and_away_from_kubegate() {
        let policy = WorkloadPolicy::default();
        let mut spec = pb::KubernetesServiceSpec { name: "web".into(), ..Default::default() };
        assert!(check_service(&spec, &policy).is_ok(), "ClusterIP by default");
        spec.r#type = pb::KubernetesServiceType::LoadBalancer as i32;
        assert!(err_names(check_service(&spec, &policy), "service.type"));
        spec.r#type = 0;
        spec.selector.insert("app.kubernetes.io/name".into(), "kubegate".into());
        assert!(err_names(check_service(&spec, &policy), "service.selector"));
    }
}
