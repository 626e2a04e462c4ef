//! `/version`, API discovery (aggregated v2 when asked, legacy otherwise) and the minimal OpenAPI v3
//! documents that let `kubectl create -f` validate on the server.

use serde_json::{Value, json};

use super::kinds::{ALL, Kind};

/// The Kubernetes version the embedded cluster reports; kubectl's dispatcher picks kubectl 1.32 for it.
pub const MINOR: &str = "32";

/// The content type of aggregated discovery v2.
pub const AGGREGATED_V2: &str = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

/// Changes whenever the OpenAPI documents change, since kubectl caches them by this hash.
const OPENAPI_HASH: &str = "KUBEGATE2";

/// `GET /version`.
pub fn version() -> Value {
    json!({
        "major": "1",
        "minor": MINOR,
        "gitVersion": format!("v1.{MINOR}.0"),
        "gitCommit": "kubegate-embedded",
        "gitTreeState": "clean",
        "buildDate": "2026-01-01T00:00:00Z",
        "goVersion": "go1.23.0",
        "compiler": "gc",
        "platform": "linux/amd64",
    })
}

/// Whether an Accept header asks for aggregated discovery v2 (not v2beta1).
pub fn wants_aggregated(accept: &str) -> bool {
    accept
        .split(',')
        .any(|part| part.contains("g=apidiscovery.k8s.io") && part.split(';').any(|p| p.trim() == "v=v2"))
}

fn subresources(kind: &Kind) -> Vec<Value> {
    if kind.resource != "pods" {
        return vec![];
    }
    let sub = |name: &str, k: &str, verbs: &[&str]| json!({"subresource": name, "responseKind": {"group": "", "version": "v1", "kind": k}, "verbs": verbs});
    vec![
        sub("attach", "PodAttachOptions", &["create", "get"]),
        sub("exec", "PodExecOptions", &["create", "get"]),
        sub("log", "Pod", &["get"]),
        sub("status", "Pod", &["get", "patch", "update"]),
    ]
}

fn aggregated_resource(kind: &Kind) -> Value {
    let mut resource = json!({
        "resource": kind.resource,
        "responseKind": {"group": kind.group, "version": kind.version, "kind": kind.kind},
        "scope": if kind.namespaced { "Namespaced" } else { "Cluster" },
        "singularResource": kind.singular,
        "verbs": kind.verbs,
    });
    if !kind.short_names.is_empty() {
        resource["shortNames"] = json!(kind.short_names);
    }
    if matches!(kind.resource, "pods" | "services") {
        resource["categories"] = json!(["all"]);
    }
    let subs = subresources(kind);
    if !subs.is_empty() {
        resource["subresources"] = json!(subs);
    }
    resource
}

fn aggregated_group(group: &str) -> Value {
    let resources: Vec<Value> = ALL.iter().filter(|k| k.group == group).map(aggregated_resource).collect();
    json!({
        "metadata": {"name": group, "creationTimestamp": null},
        "versions": [{"version": "v1", "freshness": "Current", "resources": resources}],
    })
}

/// `GET /api` in aggregated form.
pub fn api_aggregated() -> Value {
    json!({"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": {}, "items": [aggregated_group("")]})
}

/// `GET /apis` in aggregated form.
pub fn apis_aggregated() -> Value {
    let items: Vec<Value> = Kind::groups().into_iter().map(aggregated_group).collect();
    json!({"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": {}, "items": items})
}

/// `GET /api` in legacy form.
pub fn api_legacy(server_address: &str) -> Value {
    json!({
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}],
    })
}

fn group_entry(group: &str) -> Value {
    let gv = json!({"groupVersion": format!("{group}/v1"), "version": "v1"});
    json!({"name": group, "versions": [gv.clone()], "preferredVersion": gv})
}

/// `GET /apis` in legacy form.
pub fn apis_legacy() -> Value {
    let groups: Vec<Value> = Kind::groups().into_iter().map(group_entry).collect();
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

/// `GET /apis/{group}`.
pub fn api_group(group: &str) -> Option<Value> {
    Kind::groups().contains(&group).then(|| {
        let mut entry = group_entry(group);
        entry["kind"] = json!("APIGroup");
        entry["apiVersion"] = json!("v1");
        entry
    })
}

/// `GET /api/v1` or `GET /apis/{group}/v1`: the legacy resource list of one group version.
pub fn resource_list(group: &str, version: &str) -> Option<Value> {
    let kinds: Vec<&Kind> = ALL.iter().filter(|k| k.group == group && k.version == version).collect();
    if kinds.is_empty() {
        return None;
    }
    let mut resources = Vec::new();
    for kind in kinds {
        let mut entry = json!({
            "name": kind.resource,
            "singularName": kind.singular,
            "namespaced": kind.namespaced,
            "kind": kind.kind,
            "verbs": kind.verbs,
        });
        if !kind.short_names.is_empty() {
            entry["shortNames"] = json!(kind.short_names);
        }
        if matches!(kind.resource, "pods" | "services") {
            entry["categories"] = json!(["all"]);
        }
        resources.push(entry);
        for sub in subresources(kind) {
            resources.push(json!({
                "name": format!("{}/{}", kind.resource, sub["subresource"].as_str().unwrap_or_default()),
                "singularName": "",
                "namespaced": true,
                "kind": sub["responseKind"]["kind"],
                "verbs": sub["verbs"],
            }));
        }
    }
    let group_version = if group.is_empty() { version.to_string() } else { format!("{group}/{version}") };
    Some(
        json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": resources}),
    )
}

fn openapi_path(group: &str) -> String {
    if group.is_empty() { "api/v1".to_string() } else { format!("apis/{group}/v1") }
}

/// `GET /openapi/v3`: where each group version's document is.
pub fn openapi_root() -> Value {
    let mut paths = serde_json::Map::new();
    let mut groups = vec![""];
    groups.extend(Kind::groups());
    for group in groups {
        let path = openapi_path(group);
        paths.insert(
            path.clone(),
            json!({"serverRelativeURL": format!("/openapi/v3/{path}?hash={OPENAPI_HASH}")}),
        );
    }
    json!({"paths": paths})
}

/// `GET /openapi/v3/api/v1` or `/openapi/v3/apis/{group}/v1`: a PATCH and a POST operation per kind,
/// each taking `fieldValidation`, which tells kubectl to let the server validate.
pub fn openapi_document(path: &str) -> Option<Value> {
    let mut groups = vec![""];
    groups.extend(Kind::groups());
    let group = groups.into_iter().find(|g| openapi_path(g) == path)?;
    let mut paths = serde_json::Map::new();
    for kind in ALL.iter().filter(|k| k.group == group && k.stored) {
        let gvk = json!({"group": kind.group, "version": kind.version, "kind": kind.kind});
        let parameters = json!([{"name": "fieldValidation", "in": "query", "schema": {"type": "string"}}]);
        let prefix = if group.is_empty() { "/api/v1".to_string() } else { format!("/apis/{group}/v1") };
        let collection = if kind.namespaced {
            format!("{prefix}/namespaces/{{namespace}}/{}", kind.resource)
        } else {
            format!("{prefix}/{}", kind.resource)
        };
        paths.insert(
            format!("{collection}/{{name}}"),
            json!({"patch": {"x-kubernetes-group-version-kind": gvk, "x-kubernetes-action": "patch", "parameters": parameters, "responses": {}}}),
        );
        paths.insert(
            collection,
            json!({"post": {"x-kubernetes-group-version-kind": gvk, "x-kubernetes-action": "post", "parameters": parameters, "responses": {}}}),
        );
    }
    Some(json!({
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": format!("v1.{MINOR}.0")},
        "components": {"schemas": {}},
        "paths": paths,
    }))
}
