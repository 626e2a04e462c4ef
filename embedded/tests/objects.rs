//! Objects through kube-rs, a real Kubernetes client: creates answered with the Status errors a real
//! server sends, the defaults it fills in, lists with selectors and pagination, and merge patches with
//! resourceVersion conflicts.

mod support;

use k8s_openapi::api::core::v1::{Namespace, PersistentVolumeClaim, Pod, Service};
use k8s_openapi::api::networking::v1::Ingress;
use kube::Api;
use kube::api::{ListParams, Patch, PatchParams, PostParams};
use serde_json::json;
use support::{NS, api_error, pod};

#[tokio::test]
async fn creating_invalid_or_duplicate_objects_gets_the_status_a_real_server_sends() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);

    let bad_name = pod("Bad_Name", &["true"]);
    let (code, reason, message) =
        api_error(pods.create(&PostParams::default(), &bad_name).await.expect_err("invalid"));
    assert_eq!((code, reason.as_str()), (422, "Invalid"));
    assert!(message.starts_with("Pod \"Bad_Name\" is invalid: metadata.name: Invalid value"), "{message}");

    let mut no_image = pod("no-image", &["true"]);
    if let Some(spec) = no_image.spec.as_mut() {
        spec.containers[0].image = None;
    }
    let (code, _, message) =
        api_error(pods.create(&PostParams::default(), &no_image).await.expect_err("invalid"));
    assert_eq!(code, 422);
    assert!(message.contains("spec.containers[0].image: Required value"), "{message}");

    pods.create(&PostParams::default(), &pod("twice", &[])).await.expect("first create");
    let (code, reason, message) =
        api_error(pods.create(&PostParams::default(), &pod("twice", &[])).await.expect_err("dup"));
    assert_eq!(
        (code, reason.as_str(), message.as_str()),
        (409, "AlreadyExists", "pods \"twice\" already exists")
    );

    let elsewhere: Api<Pod> = Api::namespaced(client.clone(), "no-such-namespace");
    let (code, _, message) =
        api_error(elsewhere.create(&PostParams::default(), &pod("x", &[])).await.expect_err("ns"));
    assert_eq!((code, message.as_str()), (404, "namespaces \"no-such-namespace\" not found"));

    let (code, reason, message) = api_error(pods.get("missing").await.expect_err("missing"));
    assert_eq!((code, reason.as_str(), message.as_str()), (404, "NotFound", "pods \"missing\" not found"));
    cluster.shutdown().await;
}

#[tokio::test]
async fn services_ingresses_claims_and_namespaces_get_server_defaults() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let services: Api<Service> = Api::namespaced(client.clone(), NS);
    let service: Service = serde_json::from_value(json!({
        "metadata": {"name": "web"},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 8080}]},
    }))
    .expect("service");
    let created = services.create(&PostParams::default(), &service).await.expect("service created");
    let spec = created.spec.expect("spec");
    assert_eq!(spec.type_.as_deref(), Some("ClusterIP"));
    assert!(spec.cluster_ip.as_deref().is_some_and(|ip| ip.starts_with("10.96.")));
    let port = &spec.ports.expect("ports")[0];
    assert_eq!(port.protocol.as_deref(), Some("TCP"));
    assert_eq!(port.target_port, Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(8080)));

    let ingresses: Api<Ingress> = Api::namespaced(client.clone(), NS);
    let ingress: Ingress = serde_json::from_value(json!({
        "metadata": {"name": "web", "annotations": {"nginx.ingress.kubernetes.io/proxy-read-timeout": "3600"}},
        "spec": {"rules": [{"host": "web.example.com", "http": {"paths": [{"path": "/", "pathType": "Prefix",
            "backend": {"service": {"name": "web", "port": {"number": 8080}}}}]}}]},
    }))
    .expect("ingress");
    let created = ingresses.create(&PostParams::default(), &ingress).await.expect("ingress created");
    assert_eq!(
        created
            .metadata
            .annotations
            .and_then(|a| a.get("nginx.ingress.kubernetes.io/proxy-read-timeout").cloned()),
        Some("3600".to_string())
    );
    // k8s-openapi always sends pathType, as "" when unset, which a real API server refuses as unsupported.
    let no_path_type: Ingress = serde_json::from_value(json!({
        "metadata": {"name": "bad"},
        "spec": {"rules": [{"http": {"paths": [{"path": "/", "backend": {"service": {"name": "web", "port": {"number": 1}}}}]}}]},
    }))
    .expect("ingress");
    let (code, _, message) =
        api_error(ingresses.create(&PostParams::default(), &no_path_type).await.expect_err("422"));
    assert_eq!(code, 422);
    assert!(message.contains("spec.rules[0].http.paths[0].pathType: Unsupported value: \"\""), "{message}");

    let claims: Api<PersistentVolumeClaim> = Api::namespaced(client.clone(), NS);
    let claim: PersistentVolumeClaim = serde_json::from_value(json!({
        "metadata": {"name": "workspace"},
        "spec": {"accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": "1Gi"}}},
    }))
    .expect("pvc");
    let created = claims.create(&PostParams::default(), &claim).await.expect("pvc created");
    assert_eq!(created.status.and_then(|s| s.phase).as_deref(), Some("Bound"));

    let namespaces: Api<Namespace> = Api::all(client.clone());
    let names: Vec<String> = namespaces
        .list(&ListParams::default())
        .await
        .expect("namespaces")
        .items
        .into_iter()
        .filter_map(|n| n.metadata.name)
        .collect();
    assert_eq!(names, vec!["default".to_string(), NS.to_string()]);
    cluster.shutdown().await;
}

#[tokio::test]
async fn lists_filter_by_label_and_field_and_paginate_with_continue() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    for i in 0..7 {
        let mut p = pod(&format!("p{i}"), &[]);
        p.metadata.labels =
            Some([("tier".to_string(), if i % 2 == 0 { "even" } else { "odd" }.to_string())].into());
        pods.create(&PostParams::default(), &p).await.expect("create");
    }
    let even = pods.list(&ListParams::default().labels("tier=even")).await.expect("list");
    assert_eq!(even.items.len(), 4);
    let by_name = pods.list(&ListParams::default().fields("metadata.name=p3")).await.expect("list");
    assert_eq!(by_name.items.len(), 1);
    let notin = pods.list(&ListParams::default().labels("tier notin (even)")).await.expect("list");
    assert_eq!(notin.items.len(), 3);

    let mut seen = Vec::new();
    let mut params = ListParams::default().limit(3);
    loop {
        let page = pods.list(&params).await.expect("page");
        assert!(page.metadata.resource_version.is_some());
        seen.extend(page.items.into_iter().filter_map(|p| p.metadata.name));
        match page.metadata.continue_ {
            Some(token) if !token.is_empty() => params = params.continue_token(&token),
            _ => break,
        }
    }
    assert_eq!(seen, (0..7).map(|i| format!("p{i}")).collect::<Vec<_>>());
    cluster.shutdown().await;
}

#[tokio::test]
async fn a_merge_patch_changes_labels_and_a_stale_resource_version_conflicts() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    let created = pods.create(&PostParams::default(), &pod("patched", &[])).await.expect("create");
    let patch = json!({"metadata": {"labels": {"stage": "two"}}});
    let patched = pods.patch("patched", &PatchParams::default(), &Patch::Merge(&patch)).await.expect("patch");
    assert_eq!(patched.metadata.labels.and_then(|l| l.get("stage").cloned()).as_deref(), Some("two"));
    let stale =
        json!({"metadata": {"resourceVersion": created.metadata.resource_version, "labels": {"x": "y"}}});
    let error =
        pods.patch("patched", &PatchParams::default(), &Patch::Merge(&stale)).await.expect_err("conflict");
    assert_eq!(api_error(error).0, 409);
    cluster.shutdown().await;
}
