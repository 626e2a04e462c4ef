//! What a model reads of kubegate's objects: the fields that matter for deciding the next step, as
//! compact JSON with enum names spelt out and empty fields left away.

use kubegate_proto::convert;
use kubegate_proto::v1 as pb;
use serde_json::{Map, Value, json};

/// An enum's proto name without its prefix: `TEST_RUN_OUTCOME_PASSED` → `PASSED`.
pub fn short(name: &str, prefix: &str) -> String {
    name.strip_prefix(prefix).unwrap_or(name).to_string()
}

/// A JSON object without its null, empty-string, empty-array, empty-object and `false` members.
fn compact(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| match v {
                    Value::Null | Value::Bool(false) => false,
                    Value::String(s) => !s.is_empty(),
                    Value::Array(a) => !a.is_empty(),
                    Value::Object(o) => !o.is_empty(),
                    _ => true,
                })
                .collect::<Map<_, _>>(),
        ),
        other => other,
    }
}

fn time(t: Option<&prost_types::Timestamp>) -> Value {
    t.and_then(convert::timestamp_to_rfc3339).map_or(Value::Null, Value::String)
}

fn seconds(d: Option<&prost_types::Duration>) -> Value {
    d.map_or(Value::Null, |d| json!(d.seconds))
}

/// A pod.
pub fn pod(p: &pb::Pod) -> Value {
    let phase = pb::PodPhase::try_from(p.phase).unwrap_or(pb::PodPhase::Unspecified);
    let containers: Vec<Value> = p
        .containers
        .iter()
        .map(|c| {
            compact(json!({
                "name": c.name, "image": c.image, "ready": c.ready, "state": c.state,
                "reason": c.reason, "message": c.message, "exit_code": c.exit_code,
                "restarts": c.restart_count,
            }))
        })
        .collect();
    let labels = p.metadata.as_ref().map(|m| json!(m.labels)).unwrap_or(Value::Null);
    compact(json!({
        "name": p.name,
        "namespace": p.namespace,
        "phase": convert::pod_phase_name(phase),
        "ready": p.ready,
        "image": p.image,
        "age_seconds": seconds(p.age.as_ref()),
        "node": p.node_name,
        "pod_ip": p.pod_ip,
        "restarts": p.restart_count,
        "exit_code": p.exit_code,
        "started": time(p.start_time.as_ref()),
        "finished": time(p.finish_time.as_ref()),
        "reason": p.reason,
        "message": p.message,
        "containers": containers,
        "labels": labels,
    }))
}

fn service_port(p: &pb::ServicePort) -> Value {
    let protocol = pb::Protocol::try_from(p.protocol).unwrap_or(pb::Protocol::Unspecified);
    compact(json!({
        "name": p.name, "port": p.port, "target_port": p.target_port,
        "target_port_name": p.target_port_name, "protocol": convert::protocol_name(protocol),
        "node_port": if p.node_port == 0 { Value::Null } else { json!(p.node_port) },
    }))
}

/// A Kubernetes Service.
pub fn service(s: &pb::KubernetesService) -> Value {
    let kind =
        pb::KubernetesServiceType::try_from(s.r#type).unwrap_or(pb::KubernetesServiceType::Unspecified);
    let meta = s.metadata.clone().unwrap_or_default();
    compact(json!({
        "name": meta.name,
        "namespace": meta.namespace,
        "type": convert::service_type_name(kind),
        "selector": s.selector,
        "ports": s.ports.iter().map(service_port).collect::<Vec<_>>(),
        "cluster_ip": s.cluster_ip,
        "external_addresses": s.external_addresses,
        "labels": meta.labels,
    }))
}

fn backend(b: &pb::IngressBackend) -> Value {
    compact(json!({
        "service": b.service_name,
        "port": if b.service_port_number == 0 { Value::Null } else { json!(b.service_port_number) },
        "port_name": b.service_port_name,
    }))
}

/// An Ingress.
pub fn ingress(i: &pb::Ingress) -> Value {
    let meta = i.metadata.clone().unwrap_or_default();
    let rules: Vec<Value> = i
        .rules
        .iter()
        .map(|r| {
            let paths: Vec<Value> = r
                .paths
                .iter()
                .map(|p| {
                    let kind = pb::PathType::try_from(p.path_type).unwrap_or(pb::PathType::Unspecified);
                    compact(json!({
                        "path": p.path, "path_type": convert::path_type_name(kind),
                        "backend": p.backend.as_ref().map(backend),
                    }))
                })
                .collect();
            compact(json!({"host": r.host, "paths": paths}))
        })
        .collect();
    compact(json!({
        "name": meta.name,
        "namespace": meta.namespace,
        "class": i.ingress_class_name,
        "rules": rules,
        "tls": i.tls.iter().map(|t| json!({"hosts": t.hosts, "secret": t.secret_name})).collect::<Vec<_>>(),
        "addresses": i.addresses,
        "default_backend": i.default_backend.as_ref().map(backend),
        "annotations": meta.annotations,
        "labels": meta.labels,
    }))
}

/// A preview environment.
pub fn preview(p: &pb::Preview) -> Value {
    compact(json!({
        "name": p.name,
        "namespace": p.namespace,
        "url": p.url,
        "host": p.host,
        "pod": p.pod.as_ref().map(pod),
        "service": p.service.as_ref().and_then(|s| s.metadata.as_ref()).map(|m| m.name.clone()),
        "ingress": p.ingress.as_ref().and_then(|i| i.metadata.as_ref()).map(|m| m.name.clone()),
    }))
}

/// The end of a test run; its log tail is cut to `tail_limit` bytes.
pub fn test_result(r: &pb::RunTestsResponse, log_tail: &str) -> Value {
    let outcome = pb::TestRunOutcome::try_from(r.outcome).unwrap_or(pb::TestRunOutcome::Unspecified);
    compact(json!({
        "outcome": short(outcome.as_str_name(), "TEST_RUN_OUTCOME_"),
        "exit_code": r.exit_code,
        "message": r.message,
        "pod": r.pod_name,
        "namespace": r.namespace,
        "image": r.image,
        "commit": r.commit,
        "duration_seconds": r.duration.as_ref().map(|d| d.seconds as f64 + f64::from(d.nanos) / 1e9),
        "log_tail": log_tail,
    }))
}

/// An image proposed from a project's version files.
pub fn image_match(m: &pb::MatchImageResponse) -> Value {
    let finding = |f: &pb::RuntimeVersion| json!({"runtime": f.runtime, "version": f.version, "file": f.file, "line": f.line});
    compact(json!({
        "image": m.image,
        "runtime": m.runtime,
        "chosen": m.chosen.as_ref().map(finding),
        "major_only": m.major_only,
        "found": m.found.iter().map(finding).collect::<Vec<_>>(),
        "conflicts": m.conflicts.iter().map(|c| json!({
            "runtime": c.runtime, "findings": c.findings.iter().map(finding).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "malformed": m.malformed.iter().map(|f| json!({"file": f.file, "error": f.error})).collect::<Vec<_>>(),
        "notes": m.notes,
    }))
}

/// A cleanup pass (or its dry run).
pub fn cleanup(c: &pb::CleanupPodsResponse) -> Value {
    json!({
        "dry_run": c.dry_run,
        "deleted_count": c.deleted_count,
        "deleted": c.deleted_names,
        "failures": c.failures.iter().map(|f| json!({"pod": f.name, "reason": f.reason})).collect::<Vec<_>>(),
    })
}

/// A connection test.
pub fn connection(c: &pb::TestConnectionResponse) -> Value {
    let problem = pb::ConnectionProblem::try_from(c.problem).unwrap_or(pb::ConnectionProblem::Unspecified);
    let missing: Vec<Value> = c
        .permissions
        .iter()
        .filter(|p| !p.allowed)
        .map(|p| {
            let resource = if p.subresource.is_empty() {
                p.resource.clone()
            } else {
                format!("{}/{}", p.resource, p.subresource)
            };
            compact(json!({"verb": p.verb, "group": p.group, "resource": resource, "reason": p.reason}))
        })
        .collect();
    let mut out = json!({
        "connected": c.connected,
        "all_permissions_allowed": c.all_permissions_allowed,
    });
    let rest = compact(json!({
        "namespace": c.namespace,
        "server_url": c.server_url,
        "server_version": c.server_version,
        "user": c.username,
        "problem": if c.problem == 0 { Value::Null } else { json!(short(problem.as_str_name(), "CONNECTION_PROBLEM_")) },
        "error": c.error,
        "missing_permissions": missing,
    }));
    if let (Value::Object(out), Value::Object(rest)) = (&mut out, rest) {
        out.extend(rest);
    }
    out
}
