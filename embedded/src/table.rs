//! `meta.k8s.io/v1` Table output, which kubectl asks for to print `get` results with server columns.

use serde_json::{Value, json};

use super::kinds::Kind;

fn column(name: &str, kind: &str, format: &str) -> Value {
    json!({"name": name, "type": kind, "format": format, "description": "", "priority": 0})
}

/// How long ago an RFC 3339 time was, as kubectl prints ages (`45s`, `3m12s`, `5h`, `2d`).
pub fn age(timestamp: &Value) -> String {
    let Some(time) = timestamp.as_str().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()) else {
        return "<unknown>".into();
    };
    let seconds = (chrono::Utc::now() - time.with_timezone(&chrono::Utc)).num_seconds().max(0);
    match seconds {
        s if s < 120 => format!("{s}s"),
        s if s < 600 => format!("{}m{}s", s / 60, s % 60),
        s if s < 3 * 3600 => format!("{}m", s / 60),
        s if s < 48 * 3600 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86400),
    }
}

fn pod_row(pod: &Value) -> Vec<Value> {
    let statuses = pod["status"]["containerStatuses"].as_array().cloned().unwrap_or_default();
    let total = pod["spec"]["containers"].as_array().map_or(0, Vec::len);
    let ready = statuses.iter().filter(|s| s["ready"].as_bool() == Some(true)).count();
    let restarts: i64 = statuses.iter().map(|s| s["restartCount"].as_i64().unwrap_or(0)).sum();
    let mut status = pod["status"]["phase"].as_str().unwrap_or("Pending").to_string();
    if let Some(reason) = pod["status"]["reason"].as_str() {
        status = reason.to_string();
    }
    for s in &statuses {
        if let Some(reason) = s["state"]["waiting"]["reason"].as_str() {
            status = reason.to_string();
        } else if let Some(reason) = s["state"]["terminated"]["reason"].as_str() {
            status = reason.to_string();
        }
    }
    if !pod["metadata"]["deletionTimestamp"].is_null() {
        status = "Terminating".into();
    }
    vec![
        pod["metadata"]["name"].clone(),
        json!(format!("{ready}/{total}")),
        json!(status),
        json!(restarts),
        json!(age(&pod["metadata"]["creationTimestamp"])),
    ]
}

fn service_row(service: &Value) -> Vec<Value> {
    let ports: Vec<String> = service["spec"]["ports"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|p| {
            let node = p["nodePort"].as_i64().map(|n| format!(":{n}")).unwrap_or_default();
            format!("{}{node}/{}", p["port"], p["protocol"].as_str().unwrap_or("TCP"))
        })
        .collect();
    vec![
        service["metadata"]["name"].clone(),
        json!(service["spec"]["type"].as_str().unwrap_or("ClusterIP")),
        json!(service["spec"]["clusterIP"].as_str().unwrap_or("<none>")),
        json!("<none>"),
        json!(if ports.is_empty() { "<none>".to_string() } else { ports.join(",") }),
        json!(age(&service["metadata"]["creationTimestamp"])),
    ]
}

fn ingress_row(ingress: &Value) -> Vec<Value> {
    let hosts: Vec<String> = ingress["spec"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|r| r["host"].as_str().unwrap_or("*").to_string())
        .collect();
    let ports =
        if ingress["spec"]["tls"].as_array().is_some_and(|t| !t.is_empty()) { "80, 443" } else { "80" };
    vec![
        ingress["metadata"]["name"].clone(),
        json!(ingress["spec"]["ingressClassName"].as_str().unwrap_or("<none>")),
        json!(if hosts.is_empty() { "*".to_string() } else { hosts.join(",") }),
        json!(""),
        json!(ports),
        json!(age(&ingress["metadata"]["creationTimestamp"])),
    ]
}

fn event_row(event: &Value) -> Vec<Value> {
    let object = &event["involvedObject"];
    let kind = object["kind"].as_str().unwrap_or_default().to_lowercase();
    vec![
        json!(age(&event["lastTimestamp"])),
        event["type"].clone(),
        event["reason"].clone(),
        json!(format!("{kind}/{}", object["name"].as_str().unwrap_or_default())),
        event["message"].clone(),
    ]
}

/// Renders one object as the cells of its row.
type RowFn = fn(&Value) -> Vec<Value>;

/// The Table of a list of objects.
pub fn table(kind: &Kind, items: &[Value], rv: u64, continue_token: &str) -> Value {
    let (columns, row): (Vec<Value>, RowFn) = match kind.resource {
        "pods" => (
            vec![
                column("Name", "string", "name"),
                column("Ready", "string", ""),
                column("Status", "string", ""),
                column("Restarts", "integer", ""),
                column("Age", "string", ""),
            ],
            pod_row,
        ),
        "services" => (
            vec![
                column("Name", "string", "name"),
                column("Type", "string", ""),
                column("Cluster-IP", "string", ""),
                column("External-IP", "string", ""),
                column("Port(s)", "string", ""),
                column("Age", "string", ""),
            ],
            service_row,
        ),
        "ingresses" => (
            vec![
                column("Name", "string", "name"),
                column("Class", "string", ""),
                column("Hosts", "string", ""),
                column("Address", "string", ""),
                column("Ports", "string", ""),
                column("Age", "string", ""),
            ],
            ingress_row,
        ),
        "events" => (
            vec![
                column("Last Seen", "string", ""),
                column("Type", "string", ""),
                column("Reason", "string", ""),
                column("Object", "string", ""),
                column("Message", "string", ""),
            ],
            event_row,
        ),
        _ => (vec![column("Name", "string", "name"), column("Age", "string", "")], |o| {
            vec![o["metadata"]["name"].clone(), json!(age(&o["metadata"]["creationTimestamp"]))]
        }),
    };
    let rows: Vec<Value> = items
        .iter()
        .map(|item| {
            json!({
                "cells": row(item),
                "object": {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": item["metadata"]},
            })
        })
        .collect();
    let mut metadata = json!({"resourceVersion": rv.to_string()});
    if !continue_token.is_empty() {
        metadata["continue"] = json!(continue_token);
    }
    json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": metadata, "columnDefinitions": columns, "rows": rows})
}
