//! What callers see of a pod: its summary, phase and metadata in the API's terms.

use k8s_openapi::api::core::v1 as core;
use kubegate_proto::convert;
use kubegate_proto::v1 as pb;

fn timestamp(time: &k8s_openapi::apimachinery::pkg::apis::meta::v1::Time) -> prost_types::Timestamp {
    convert::timestamp_from_jiff(time.0)
}

/// The phase enum of a Kubernetes phase string.
pub fn phase_of(phase: Option<&str>) -> pb::PodPhase {
    phase.and_then(convert::pod_phase_from_name).unwrap_or(pb::PodPhase::Unspecified)
}

/// The Kubernetes phase string of a phase enum.
pub fn phase_name(phase: pb::PodPhase) -> Option<&'static str> {
    (phase != pb::PodPhase::Unspecified).then(|| convert::pod_phase_name(phase))
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
        finish_time: if all_done { finish_time(pod).map(convert::timestamp_from_jiff) } else { None },
        reason: status.reason.clone().unwrap_or_default(),
        message: status.message.clone().unwrap_or_default(),
        containers,
        metadata: Some(object_meta(&pod.metadata)),
    }
}
