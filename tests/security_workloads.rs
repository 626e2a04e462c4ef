//! Workloads stay in their lane: attacks a caller (or code in a workload) could try through kubegate's
//! API, each refused. Every test here failed before the protection it covers existed.

mod support;

use kube::Api;
use kubegate_proto::v1::workflow_service_client::WorkflowServiceClient;
use kubegate_proto::v1::*;
use tonic::Code;

const NS: &str = "opencode-manager";

/// Creates a pod straight through Kubernetes, labelled as kubegate's own Deployment labels its pods.
async fn kubegate_like_pod(stack: &support::Stack, name: &str) {
    let api: Api<k8s_openapi::api::core::v1::Pod> =
        Api::namespaced(stack.cluster.client().await.expect("client"), NS);
    let pod: k8s_openapi::api::core::v1::Pod = serde_json::from_value(serde_json::json!({
        "metadata": {"name": name, "labels": {"app.kubernetes.io/name": "kubegate"}},
        "spec": {"containers": [{"name": "kubegate", "image": "kubegate", "command": ["sleep", "600"]}]},
    }))
    .expect("pod");
    api.create(&Default::default(), &pod).await.expect("create");
    support::eventually(10, "the pod to run", || {
        let api = api.clone();
        async move {
            let pod = api.get(name).await.ok()?;
            (pod.status?.phase.as_deref() == Some("Running")).then_some(())
        }
    })
    .await;
}

#[tokio::test]
async fn kubegates_own_pods_cannot_be_exec_into_read_deleted_or_selected() {
    let stack = support::stack().await;
    kubegate_like_pod(&stack, "kubegate-0").await;
    let exec = ExecRequest {
        pod: "kubegate-0".into(),
        command: vec!["cat".into(), "/etc/hostname".into()],
        ..Default::default()
    };
    let refused = stack.exec().exec(exec).await.expect_err("exec into kubegate");
    assert_eq!(refused.code(), Code::PermissionDenied, "{refused:?}");
    assert!(refused.message().contains("kubegate's own"), "{}", refused.message());
    let logs = GetPodLogsRequest { name: "kubegate-0".into(), ..Default::default() };
    assert_eq!(stack.pods().get_pod_logs(logs).await.expect_err("logs").code(), Code::PermissionDenied);
    let delete = DeletePodRequest { name: "kubegate-0".into(), ..Default::default() };
    assert_eq!(stack.pods().delete_pod(delete).await.expect_err("delete").code(), Code::PermissionDenied);
    let service = KubernetesServiceSpec {
        name: "grab".into(),
        selector: [("app.kubernetes.io/name".to_string(), "kubegate".to_string())].into(),
        ports: vec![ServicePort { port: 50051, ..Default::default() }],
        ..Default::default()
    };
    let create = CreateKubernetesServiceRequest { service: Some(service) };
    let refused = stack.network().create_kubernetes_service(create).await.expect_err("selects kubegate");
    assert_eq!(refused.code(), Code::InvalidArgument);
    // The pod is still there and still running.
    let get = GetPodRequest { name: "kubegate-0".into(), ..Default::default() };
    assert!(stack.pods().get_pod(get).await.is_ok());
    stack.stop().await;
}

#[tokio::test]
async fn ingress_annotations_outside_the_allow_list_and_public_service_types_are_refused() {
    let stack = support::stack().await;
    let ingress = IngressSpec {
        name: "snippet".into(),
        annotations: [(
            "nginx.ingress.kubernetes.io/configuration-snippet".to_string(),
            "more_set_headers \"X: y\";".to_string(),
        )]
        .into(),
        rules: vec![IngressRule {
            host: "a.example.com".into(),
            paths: vec![IngressPath {
                path: "/".into(),
                backend: Some(IngressBackend {
                    service_name: "web".into(),
                    service_port_number: 80,
                    ..Default::default()
                }),
                ..Default::default()
            }],
        }],
        ..Default::default()
    };
    let refused = stack
        .network()
        .create_ingress(CreateIngressRequest { ingress: Some(ingress) })
        .await
        .expect_err("snippet annotation");
    assert_eq!(refused.code(), Code::InvalidArgument);
    assert!(refused.message().contains("configuration-snippet"), "{}", refused.message());
    let public = KubernetesServiceSpec {
        name: "public".into(),
        r#type: KubernetesServiceType::LoadBalancer as i32,
        ports: vec![ServicePort { port: 80, ..Default::default() }],
        ..Default::default()
    };
    let refused = stack
        .network()
        .create_kubernetes_service(CreateKubernetesServiceRequest { service: Some(public) })
        .await
        .expect_err("LoadBalancer");
    assert!(refused.message().contains("--service-types"), "{}", refused.message());
    let listed =
        stack.network().list_ingresses(ListIngressesRequest::default()).await.expect("list").into_inner();
    assert!(listed.ingresses.is_empty(), "nothing was created");
    stack.stop().await;
}

#[tokio::test]
async fn a_failed_preview_removes_only_what_it_created_and_spares_a_service_of_the_same_name() {
    let stack = support::stack().await;
    let existing = KubernetesServiceSpec {
        name: "web".into(),
        selector: [("app".to_string(), "someone-elses".to_string())].into(),
        ports: vec![ServicePort { port: 80, ..Default::default() }],
        ..Default::default()
    };
    stack
        .network()
        .create_kubernetes_service(CreateKubernetesServiceRequest { service: Some(existing) })
        .await
        .expect("pre-existing service");
    let mut workflows = WorkflowServiceClient::new(stack.channel.clone());
    let request = CreatePreviewRequest {
        name: "web".into(),
        image: "busybox".into(),
        command: vec!["sleep".into(), "600".into()],
        port: 3000,
        ..Default::default()
    };
    let failed = workflows.create_preview(request).await.expect_err("the Service name is taken");
    assert_eq!(failed.code(), Code::AlreadyExists);
    let get = GetKubernetesServiceRequest { name: "web".into(), ..Default::default() };
    let survivor =
        stack.network().get_kubernetes_service(get).await.expect("the pre-existing Service survives");
    let selector = survivor.into_inner().service.map(|s| s.selector).unwrap_or_default();
    assert_eq!(selector.get("app").map(String::as_str), Some("someone-elses"));
    // The preview's own pod was rolled back.
    support::eventually(20, "the preview pod to go", || {
        let mut pods = stack.pods();
        async move {
            let gone = pods.get_pod(GetPodRequest { name: "web".into(), ..Default::default() }).await;
            matches!(gone, Err(e) if e.code() == Code::NotFound).then_some(())
        }
    })
    .await;
    stack.stop().await;
}

#[tokio::test]
async fn workload_pods_are_created_hardened() {
    let stack = support::stack().await;
    let spec = PodSpec {
        name: "hardened".into(),
        image: "busybox".into(),
        command: vec!["sleep".into(), "60".into()],
        ..Default::default()
    };
    stack
        .pods()
        .create_pod(CreatePodRequest { pod: Some(spec), validate_only: false })
        .await
        .expect("create");
    let api: Api<k8s_openapi::api::core::v1::Pod> =
        Api::namespaced(stack.cluster.client().await.expect("client"), NS);
    let pod = api.get("hardened").await.expect("pod");
    let spec = pod.spec.expect("spec");
    assert_eq!(spec.automount_service_account_token, Some(false));
    assert_eq!(
        spec.security_context.and_then(|c| c.seccomp_profile).map(|p| p.type_).as_deref(),
        Some("RuntimeDefault")
    );
    let context = spec.containers[0].security_context.clone().expect("container security context");
    assert_eq!(context.allow_privilege_escalation, Some(false));
    assert_eq!(context.capabilities.and_then(|c| c.drop), Some(vec!["ALL".to_string()]));
    stack.stop().await;
}
