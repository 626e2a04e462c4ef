//! Cluster settings: the original integration's `{enabled, namespace, kubeconfigPath}` plus kubegate's
//! allow-lists and defaults, persisted atomically (temporary file, fsync, rename) so a crash never
//! leaves a half-written file.

use std::path::{Path, PathBuf};

use kubegate_proto::v1::{ClusterSettings, ResourceQuantities, ResourceRequirements};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Requests or limits as Kubernetes quantities; empty means unset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Quantities {
    /// CPU, for example `250m`.
    pub cpu: String,
    /// Memory, for example `256Mi`.
    pub memory: String,
    /// Ephemeral storage, for example `1Gi`.
    pub ephemeral_storage: String,
}

/// Default requests and limits for containers that set none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Resources {
    /// What the scheduler reserves.
    pub requests: Quantities,
    /// The most a container may use.
    pub limits: Quantities,
}

/// The settings in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Settings {
    /// Whether the integration is on (kept for the original's callers; informational).
    pub enabled: bool,
    /// The default namespace.
    pub namespace: String,
    /// The kubeconfig; empty means the default lookup.
    pub kubeconfig_path: String,
    /// Namespaces allowed besides the default one.
    pub allowed_namespaces: Vec<String>,
    /// Node path prefixes under which hostPath mounts are allowed.
    pub allowed_host_path_prefixes: Vec<String>,
    /// Requests and limits for containers that set none.
    pub default_resources: Resources,
    /// How long finished pods are kept by cleanup when the request names no age, in seconds.
    pub cleanup_max_age_seconds: u64,
}

/// The default of `cleanup_max_age_seconds`: 24 hours, as the original's `maxAgeMs`.
pub const DEFAULT_CLEANUP_MAX_AGE_SECONDS: u64 = 24 * 3600;

impl Default for Settings {
    fn default() -> Self {
        Self {
            enabled: false,
            namespace: "opencode-manager".into(),
            kubeconfig_path: String::new(),
            allowed_namespaces: Vec::new(),
            allowed_host_path_prefixes: Vec::new(),
            default_resources: Resources {
                requests: Quantities {
                    cpu: "100m".into(),
                    memory: "128Mi".into(),
                    ephemeral_storage: String::new(),
                },
                limits: Quantities {
                    cpu: "2".into(),
                    memory: "2Gi".into(),
                    ephemeral_storage: String::new(),
                },
            },
            cleanup_max_age_seconds: DEFAULT_CLEANUP_MAX_AGE_SECONDS,
        }
    }
}

impl Settings {
    /// Every namespace requests may touch: the default one first.
    pub fn allowed_namespaces(&self) -> Vec<String> {
        let mut all = vec![self.namespace.clone()];
        for ns in &self.allowed_namespaces {
            if !all.contains(ns) {
                all.push(ns.clone());
            }
        }
        all
    }
}

/// Reads settings from a file. A missing file gives `None`; a corrupt one is an error naming the file,
/// and the file is left as it is.
pub fn load(path: &Path) -> anyhow::Result<Option<Settings>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => anyhow::bail!("cannot read the settings file {}: {e}", path.display()),
    };
    let settings: Settings = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "the settings file {} is not valid ({e}); it was left untouched: fix or remove it",
            path.display()
        )
    })?;
    Ok(Some(settings))
}

/// Writes settings atomically: a temporary file in the same directory, fsync, rename, fsync of the
/// directory. Readers see the old file or the new one, never a mix.
pub fn save(path: &Path, settings: &Settings) -> Result<()> {
    let fail =
        |what: &str, e: std::io::Error| Error::Internal(format!("cannot {what} {}: {e}", path.display()));
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    std::fs::create_dir_all(&dir).map_err(|e| fail("create the directory of", e))?;
    let mut json = serde_json::to_vec_pretty(settings).map_err(|e| Error::Internal(e.to_string()))?;
    json.push(b'\n');
    let mut temp =
        tempfile::NamedTempFile::new_in(&dir).map_err(|e| fail("create a temporary file for", e))?;
    std::io::Write::write_all(&mut temp, &json).map_err(|e| fail("write", e))?;
    temp.as_file().sync_all().map_err(|e| fail("sync", e))?;
    temp.persist(path).map_err(|e| fail("replace", e.error))?;
    if let Ok(dir) = std::fs::File::open(&dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_through_the_file() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("settings.json");
        let settings = Settings { namespace: "ns1".into(), enabled: true, ..Settings::default() };
        save(&path, &settings).expect("save");
        assert_eq!(load(&path).expect("load"), Some(settings));
    }

    #[test]
    fn a_corrupt_file_is_reported_and_left_untouched() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("settings.json");
        std::fs::write(&path, "{\"namespace\": ").expect("write");
        let error = load(&path).expect_err("corrupt").to_string();
        assert!(error.contains("not valid") && error.contains("left untouched"), "{error}");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "{\"namespace\": ");
    }

    #[test]
    fn a_missing_file_means_defaults() {
        let dir = tempfile::tempdir().expect("dir");
        assert_eq!(load(&dir.path().join("absent.json")).expect("load"), None);
    }
}

/// The settings as the API shows them.
pub fn to_proto(s: &Settings) -> ClusterSettings {
    let q = |q: &Quantities| ResourceQuantities {
        cpu: q.cpu.clone(),
        memory: q.memory.clone(),
        ephemeral_storage: q.ephemeral_storage.clone(),
    };
    ClusterSettings {
        enabled: s.enabled,
        namespace: s.namespace.clone(),
        kubeconfig_path: s.kubeconfig_path.clone(),
        allowed_namespaces: s.allowed_namespaces.clone(),
        allowed_host_path_prefixes: s.allowed_host_path_prefixes.clone(),
        default_resources: Some(ResourceRequirements {
            requests: Some(q(&s.default_resources.requests)),
            limits: Some(q(&s.default_resources.limits)),
        }),
        cleanup_max_age: Some(prost_types::Duration {
            seconds: i64::try_from(s.cleanup_max_age_seconds).unwrap_or(i64::MAX),
            nanos: 0,
        }),
    }
}

/// The settings fields an update mask may name.
pub const FIELDS: [&str; 7] = [
    "enabled",
    "namespace",
    "kubeconfig_path",
    "allowed_namespaces",
    "allowed_host_path_prefixes",
    "default_resources",
    "cleanup_max_age",
];

/// Applies the fields of `new` named by `mask` onto `current` (every field when the mask is empty).
pub fn apply_mask(current: &Settings, new: &ClusterSettings, mask: &[String]) -> Result<Settings> {
    // Every field is named: a settings field added to the API stops the build until it is handled.
    let ClusterSettings {
        enabled: _,
        namespace: _,
        kubeconfig_path: _,
        allowed_namespaces: _,
        allowed_host_path_prefixes: _,
        default_resources: _,
        cleanup_max_age: _,
    } = new;
    for path in mask {
        if !FIELDS.contains(&path.as_str()) {
            return Err(Error::invalid(
                "update_mask",
                format!("{path:?} is not a settings field; use one of {}", FIELDS.join(", ")),
            ));
        }
    }
    let all = mask.is_empty();
    let wants = |field: &str| all || mask.iter().any(|m| m == field);
    let mut s = current.clone();
    if wants("enabled") {
        s.enabled = new.enabled;
    }
    if wants("namespace") {
        s.namespace = new.namespace.clone();
    }
    if wants("kubeconfig_path") {
        s.kubeconfig_path = new.kubeconfig_path.clone();
    }
    if wants("allowed_namespaces") {
        s.allowed_namespaces = new.allowed_namespaces.clone();
    }
    if wants("allowed_host_path_prefixes") {
        s.allowed_host_path_prefixes = new.allowed_host_path_prefixes.clone();
    }
    if wants("default_resources") {
        let q = |q: Option<&ResourceQuantities>| {
            let q = q.cloned().unwrap_or_default();
            Quantities { cpu: q.cpu, memory: q.memory, ephemeral_storage: q.ephemeral_storage }
        };
        let r = new.default_resources.clone().unwrap_or_default();
        s.default_resources = Resources { requests: q(r.requests.as_ref()), limits: q(r.limits.as_ref()) };
    }
    if wants("cleanup_max_age") {
        match &new.cleanup_max_age {
            Some(d) if d.seconds > 0 => s.cleanup_max_age_seconds = d.seconds.unsigned_abs(),
            Some(_) => {
                return Err(Error::invalid("settings.cleanup_max_age", "must be at least one second"));
            }
            None if all => s.cleanup_max_age_seconds = DEFAULT_CLEANUP_MAX_AGE_SECONDS,
            None => {
                return Err(Error::invalid("settings.cleanup_max_age", "is named in the mask but not set"));
            }
        }
    }
    Ok(s)
}

#[cfg(test)]
mod mask_tests {
    use super::*;

    fn proto_with_namespace(ns: &str) -> ClusterSettings {
        ClusterSettings { namespace: ns.into(), ..to_proto(&Settings::default()) }
    }

    #[test]
    fn a_mask_changes_only_the_fields_it_names() {
        let current = Settings { enabled: true, ..Settings::default() };
        let mut new = proto_with_namespace("elsewhere");
        new.enabled = false;
        let merged = apply_mask(&current, &new, &["namespace".into()]).expect("valid mask");
        assert_eq!(merged.namespace, "elsewhere");
        assert!(merged.enabled, "enabled was not in the mask and must stay");
    }

    #[test]
    fn an_empty_mask_replaces_everything() {
        let current = Settings { enabled: true, ..Settings::default() };
        let new = ClusterSettings { enabled: false, ..proto_with_namespace("x") };
        let merged = apply_mask(&current, &new, &[]).expect("valid");
        assert!(!merged.enabled);
        assert_eq!(merged.namespace, "x");
        assert_eq!(
            merged.cleanup_max_age_seconds,
            to_proto(&Settings::default()).cleanup_max_age.map_or(0, |d| d.seconds.unsigned_abs())
        );
    }

    #[test]
    fn unknown_mask_paths_and_zero_ages_are_refused() {
        let current = Settings::default();
        let new = proto_with_namespace("x");
        let err = apply_mask(&current, &new, &["token".into()]).expect_err("unknown field");
        assert!(err.to_string().contains("\"token\" is not a settings field"), "{err}");
        let zero =
            ClusterSettings { cleanup_max_age: Some(prost_types::Duration { seconds: 0, nanos: 0 }), ..new };
        assert!(apply_mask(&current, &zero, &["cleanup_max_age".into()]).is_err());
        let unset = ClusterSettings { cleanup_max_age: None, ..proto_with_namespace("x") };
        assert!(apply_mask(&current, &unset, &["cleanup_max_age".into()]).is_err());
    }

    #[test]
    fn settings_survive_a_round_trip_through_the_api_shape() {
        let s = Settings { allowed_namespaces: vec!["a".into(), "b".into()], ..Settings::default() };
        let back = apply_mask(&Settings::default(), &to_proto(&s), &[]).expect("valid");
        assert_eq!(back.allowed_namespaces, s.allowed_namespaces);
        assert_eq!(back.default_resources.limits.cpu, s.default_resources.limits.cpu);
    }
}
