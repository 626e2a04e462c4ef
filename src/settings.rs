//! Cluster settings: the original integration's `{enabled, namespace, kubeconfigPath}` plus kubegate's
//! allow-lists and defaults, persisted atomically (temporary file, fsync, rename) so a crash never
//! leaves a half-written file.

use std::path::{Path, PathBuf};

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
