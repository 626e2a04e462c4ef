//! The tools, one module per gRPC service family, each input type documented for a model: what a field
//! means, its default and its limits. What they share lives here.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use kubegate_proto::v1 as pb;

mod exec;
mod network;
mod pods;
mod workflows;

/// A shared volume (PersistentVolumeClaim) mounted into a container.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimMount {
    /// The PersistentVolumeClaim's name, for example "workspace".
    pub claim: String,
    /// Where it appears in the container: an absolute path, for example "/workspace".
    pub mount_path: String,
    /// A directory inside the claim to mount instead of its root. Default: the root.
    #[serde(default)]
    pub sub_path: String,
    /// Mount it read-only. Default false.
    #[serde(default)]
    pub read_only: bool,
}

impl ClaimMount {
    /// As the API takes it.
    pub fn proto(self) -> pb::VolumeClaimMount {
        pb::VolumeClaimMount {
            claim_name: self.claim,
            mount_path: self.mount_path,
            sub_path: self.sub_path,
            read_only: self.read_only,
        }
    }
}

/// CPU and memory of a container, as Kubernetes quantities; anything left out takes kubegate's configured
/// defaults.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    /// CPU reserved, for example "250m" or "1".
    #[serde(default)]
    pub cpu_request: String,
    /// Memory reserved, for example "256Mi".
    #[serde(default)]
    pub memory_request: String,
    /// The most CPU the container may use (it is throttled beyond), for example "2".
    #[serde(default)]
    pub cpu_limit: String,
    /// The most memory the container may use (it is killed beyond), for example "1Gi".
    #[serde(default)]
    pub memory_limit: String,
}

impl Resources {
    /// As the API takes it; `None` when nothing was given.
    pub fn proto(self) -> Option<pb::ResourceRequirements> {
        let quantities = |cpu: String, memory: String| {
            (!cpu.is_empty() || !memory.is_empty()).then(|| pb::ResourceQuantities {
                cpu,
                memory,
                ephemeral_storage: String::new(),
            })
        };
        let requests = quantities(self.cpu_request, self.memory_request);
        let limits = quantities(self.cpu_limit, self.memory_limit);
        (requests.is_some() || limits.is_some()).then_some(pb::ResourceRequirements { requests, limits })
    }
}

/// Environment variables as the API takes them, in name order.
pub fn env(vars: BTreeMap<String, String>) -> Vec<pb::EnvVar> {
    vars.into_iter().map(|(name, value)| pb::EnvVar { name, value }).collect()
}

/// Whole seconds as a protobuf duration; `None` for none.
pub fn seconds(value: Option<u64>) -> Option<prost_types::Duration> {
    value.map(|s| prost_types::Duration { seconds: i64::try_from(s).unwrap_or(i64::MAX), nanos: 0 })
}
