//! Pod volumes on the embedded cluster: hostPath, PersistentVolumeClaim (a directory under the cluster's
//! data directory, shared by every pod that mounts the claim) and emptyDir, each resolved to a host
//! directory that is bind-mounted at its `mountPath` inside a private mount namespace per container
//! (see `process`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::kinds::PVCS;
use crate::process::Mount;
use crate::store::Store;

/// A mount of the pod, with the volume and subPath it came from, so that each container gets its own.
#[derive(Debug, Clone)]
pub struct Planned {
    mount: Mount,
    volume: String,
    sub_path: String,
}

/// The directory holding every claim's directory, as `<namespace>/<claim>`.
pub fn claims_root(data_dir: &Path) -> PathBuf {
    data_dir.join("volumes")
}

/// The directory backing a PersistentVolumeClaim, shared by every pod that mounts it.
fn claim_dir(data_dir: &Path, namespace: &str, claim: &str) -> PathBuf {
    claims_root(data_dir).join(namespace).join(claim)
}

/// Resolves each volume of a pod to a host directory, creating claim and emptyDir directories under
/// `data_dir`. The error is the message the container's waiting state shows.
pub fn plan(store: &Store, data_dir: &Path, namespace: &str, spec: &Value) -> Result<Vec<Planned>, String> {
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
            if store.get(&PVCS, namespace, claim).is_none() {
                return Err(format!("persistentvolumeclaim \"{claim}\" not found"));
            }
            let dir = claim_dir(data_dir, namespace, claim);
            std::fs::create_dir_all(&dir).map_err(|e| format!("claim {claim}: {e}"))?;
            dir
        } else if volume.get("emptyDir").is_some() {
            let dir = data_dir.join("emptydir").join(uuid::Uuid::new_v4().to_string());
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
            mounts.push(Planned {
                mount: Mount {
                    source,
                    target: mount["mountPath"].as_str().unwrap_or_default().to_string(),
                    read_only: mount["readOnly"].as_bool() == Some(true),
                },
                volume: volume.clone(),
                sub_path,
            });
        }
    }
    Ok(mounts)
}

/// The mounts of one container.
pub fn for_container(all: &[Planned], container: &Value) -> Vec<Mount> {
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
        .filter(|p| wanted.iter().any(|(v, t, s)| *v == p.volume && *t == p.mount.target && *s == p.sub_path))
        .map(|p| p.mount.clone())
        .collect()
}
