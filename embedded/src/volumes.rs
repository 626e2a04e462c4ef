//! Pod volumes on the embedded cluster: hostPath, PersistentVolumeClaim (a directory under the cluster's
//! data directory, shared by every pod that mounts the claim) and emptyDir, each resolved to a host
//! directory that is bind-mounted at its `mountPath` inside the container's sandbox (see `process`).
//! Directories the cluster makes for pods are handed to the uid pod processes run as; a hostPath keeps
//! the host's owners and permissions, may not reach into the data directory, and is refused altogether
//! on a host where pods cannot be confined.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::kinds::PVCS;
use crate::process::{self, Mount};
use crate::status::Cause;
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
            if inside_data_dir(&path, data_dir) {
                return Err(format!(
                    "hostPath volume {name:?}: {} is inside the embedded cluster's data directory, which pods do not see",
                    path.display()
                ));
            }
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
            give_to_pods(&dir).map_err(|e| format!("claim {claim}: {e}"))?;
            dir
        } else if volume.get("emptyDir").is_some() {
            let dir = data_dir.join("emptydir").join(uuid::Uuid::new_v4().to_string());
            std::fs::create_dir_all(&dir).map_err(|e| format!("emptyDir {name}: {e}"))?;
            give_to_pods(&dir).map_err(|e| format!("emptyDir {name}: {e}"))?;
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
                let created = !source.join(&sub_path).exists();
                source = source.join(&sub_path);
                std::fs::create_dir_all(&source).map_err(|e| format!("subPath {sub_path}: {e}"))?;
                if created && !volume_is_host_path(spec, &volume) {
                    give_to_pods(&source).map_err(|e| format!("subPath {sub_path}: {e}"))?;
                }
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

/// Whether a host path is the data directory, inside it, or one of its ancestors' links to it: compared
/// by real paths, so that a symlink or `..` does not get around it.
fn inside_data_dir(path: &Path, data_dir: &Path) -> bool {
    let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    real(path).starts_with(real(data_dir))
}

/// Whether the named volume of a pod spec is a hostPath (whose directories keep the host's owners).
fn volume_is_host_path(spec: &Value, volume: &str) -> bool {
    spec["volumes"]
        .as_array()
        .and_then(|vs| vs.iter().find(|v| v["name"].as_str() == Some(volume)))
        .is_some_and(|v| v.get("hostPath").is_some())
}

/// Hands a directory the cluster made for pods (a claim, an emptyDir, a subPath) to the uid pod
/// processes run as, so that they can write in it. Nothing when pods run with kubegate's own uid.
fn give_to_pods(dir: &Path) -> std::io::Result<()> {
    if !process::confinement().unprivileged {
        return Ok(());
    }
    let id = Some(process::POD_UID);
    std::os::unix::fs::chown(dir, id, id)
}

/// The hostPath volumes of a pod spec refused because pods cannot be confined on this host, as
/// admission causes; none when they can.
pub fn refused_host_paths(spec: &Value, confinement: &process::Confinement) -> Vec<Cause> {
    if confinement.complete() {
        return Vec::new();
    }
    let why = format!(
        "hostPath volumes are refused on this embedded cluster: its pods cannot be confined on this host ({})",
        confinement.missing.join("; ")
    );
    spec["volumes"]
        .as_array()
        .map(|volumes| {
            volumes
                .iter()
                .enumerate()
                .filter(|(_, v)| v.get("hostPath").is_some())
                .map(|(i, _)| Cause::forbidden(format!("spec.volumes[{i}].hostPath"), &why))
                .collect()
        })
        .unwrap_or_default()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::ApiError;
    use serde_json::json;

    #[test]
    fn host_paths_are_422_when_pods_cannot_be_confined_here() {
        let spec = json!({"volumes": [
            {"name": "scratch", "emptyDir": {}},
            {"name": "host", "hostPath": {"path": "/srv"}},
        ]});
        let partial = process::Confinement {
            parent_death_signal: true,
            namespaces: true,
            unprivileged: true,
            user_namespace: false,
            missing: vec!["`unshare --user` failed: Operation not permitted".into()],
        };
        let causes = refused_host_paths(&spec, &partial);
        let error = ApiError::invalid("Pod", "", "p", &causes);
        assert_eq!(error.code, 422);
        let message = error.body["message"].as_str().unwrap_or_default();
        assert!(
            message.starts_with(
                "Pod \"p\" is invalid: spec.volumes[1].hostPath: Forbidden: hostPath volumes are refused"
            ),
            "{message}"
        );
        assert!(message.ends_with("(`unshare --user` failed: Operation not permitted)"), "{message}");
        assert_eq!(error.body["details"]["causes"][0]["reason"], "FieldValueForbidden");
        let complete = process::Confinement { user_namespace: true, missing: vec![], ..partial };
        assert!(refused_host_paths(&spec, &complete).is_empty());
    }

    #[test]
    fn a_host_path_into_the_data_directory_is_refused() {
        let data = tempfile::tempdir().expect("data");
        std::fs::create_dir(data.path().join("pods")).expect("pods");
        let store = Store::new();
        for path in [data.path().to_path_buf(), data.path().join("pods"), data.path().join("pods/../pods")] {
            let spec = json!({"volumes": [{"name": "h", "hostPath": {"path": path}}], "containers": []});
            let error = plan(&store, data.path(), "ns", &spec).expect_err("refused");
            assert!(error.contains("data directory"), "{error}");
        }
    }
}
