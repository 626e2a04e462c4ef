//! Pod volumes on the embedded cluster: hostPath, PersistentVolumeClaim (a directory under the cluster's
//! data directory, shared by every pod that mounts the claim) and emptyDir, bind-mounted at their
//! `mountPath` inside a private mount namespace per container (`unshare`, which needs root).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tokio::process::Command;

use super::Cluster;
use super::kinds::PVCS;
use super::kubelet::ProcessSpec;

/// One volume mounted into a container.
#[derive(Debug, Clone)]
pub struct Mount {
    /// The directory on the host.
    pub source: PathBuf,
    /// The path inside the container.
    pub target: String,
    /// Whether it is mounted read-only.
    pub read_only: bool,
    volume: String,
    sub_path: String,
}

/// Resolves each volume of a pod to a host directory, creating claim and emptyDir directories.
pub fn plan(cluster: &Cluster, namespace: &str, spec: &Value) -> Result<Vec<Mount>, String> {
    let mut sources: HashMap<String, PathBuf> = HashMap::new();
    for volume in spec["volumes"].as_array().cloned().unwrap_or_default() {
        let name = volume["name"].as_str().unwrap_or_default().to_string();
        let source = if let Some(path) = volume["hostPath"]["path"].as_str() {
            let path = PathBuf::from(path);
            let create = volume["hostPath"]["type"].as_str() == Some("DirectoryOrCreate");
            if create {
                std::fs::create_dir_all(&path).map_err(|e| format!("hostPath {}: {e}", path.display()))?;
            } else if !path.exists() {
                return Err(format!(
                    "hostPath volume {name:?}: {} does not exist on the host",
                    path.display()
                ));
            }
            path
        } else if let Some(claim) = volume["persistentVolumeClaim"]["claimName"].as_str() {
            if cluster.store.get(&PVCS, namespace, claim).is_none() {
                return Err(format!("persistentvolumeclaim \"{claim}\" not found"));
            }
            let dir = cluster.kubelet.claim_dir(namespace, claim);
            std::fs::create_dir_all(&dir).map_err(|e| format!("claim {claim}: {e}"))?;
            dir
        } else if volume.get("emptyDir").is_some() {
            let dir = cluster.data_dir.join("emptydir").join(uuid::Uuid::new_v4().to_string());
            std::fs::create_dir_all(&dir).map_err(|e| format!("emptyDir {name}: {e}"))?;
            dir
        } else {
            return Err(format!(
                "volume {name:?}: only hostPath, persistentVolumeClaim and emptyDir volumes run on the embedded cluster"
            ));
        };
        sources.insert(name, source);
    }
    let mut mounts = Vec::new();
    for container in spec["containers"].as_array().cloned().unwrap_or_default() {
        for mount in container["volumeMounts"].as_array().cloned().unwrap_or_default() {
            let volume = mount["name"].as_str().unwrap_or_default().to_string();
            let Some(source) = sources.get(&volume) else {
                return Err(format!("volumeMount {volume:?} names no volume of the pod"));
            };
            let sub_path = mount["subPath"].as_str().unwrap_or_default().to_string();
            let mut source = source.clone();
            if !sub_path.is_empty() {
                if Path::new(&sub_path).components().any(|c| !matches!(c, std::path::Component::Normal(_))) {
                    return Err(format!("subPath {sub_path:?} must be a relative path without '..'"));
                }
                source = source.join(&sub_path);
                std::fs::create_dir_all(&source).map_err(|e| format!("subPath {sub_path}: {e}"))?;
            }
            mounts.push(Mount {
                source,
                target: mount["mountPath"].as_str().unwrap_or_default().to_string(),
                read_only: mount["readOnly"].as_bool() == Some(true),
                volume: volume.clone(),
                sub_path,
            });
        }
    }
    Ok(mounts)
}

/// The mounts of one container.
pub fn for_container(all: &[Mount], container: &Value) -> Vec<Mount> {
    let wanted: Vec<(String, String, String)> = container["volumeMounts"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap_or_default().to_string(),
                m["mountPath"].as_str().unwrap_or_default().to_string(),
                m["subPath"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    all.iter()
        .filter(|m| wanted.iter().any(|(v, t, s)| *v == m.volume && *t == m.target && *s == m.sub_path))
        .cloned()
        .collect()
}

/// Quotes a string for `sh`.
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// A command that runs `argv` in a new private mount namespace with the mounts in place.
pub fn isolated_command(mounts: &[Mount], argv: &[String], spec: &ProcessSpec) -> Result<Command, String> {
    if !nix::unistd::geteuid().is_root() {
        return Err("pods with volumes need a private mount namespace, which needs root on the embedded \
                    cluster's host; run kubegate as root or drop the volumes"
            .into());
    }
    let mut script = String::from("set -e\n");
    for mount in mounts {
        let target = shell_quote(&mount.target);
        let source = shell_quote(&mount.source.to_string_lossy());
        script.push_str(&format!("mkdir -p {target}\nmount --bind {source} {target}\n"));
        if mount.read_only {
            script.push_str(&format!("mount -o remount,bind,ro {target}\n"));
        }
    }
    if let Some(dir) = &spec.working_dir {
        script.push_str(&format!("cd {}\n", shell_quote(dir)));
    }
    script.push_str("exec \"$@\"\n");
    let mut command = Command::new("unshare");
    command
        .args(["--mount", "--propagation", "private", "--", "sh", "-c", &script, "container"])
        .args(argv)
        .env_clear()
        .envs(spec.env.iter().map(|(k, v)| (k, v)));
    Ok(command)
}
