//! Services, Ingresses, settings and the connection test over gRPC (a real tonic client on a loopback
//! port, kubegate in front of the embedded cluster).

mod support;

use std::collections::HashMap;

use kubegate_proto::v1::*;
use tonic::Code;
use tonic_types::StatusExt as _;

/// The field names of an INVALID_ARGUMENT's field violations.
fn violated_fields(status: &tonic::Status) -> Vec<String> {
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    status
        .get_details_bad_request()
        .map(|b| b.field_violations.into_iter().map(|v| v.field).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn services_and_ingresses_are_created_read_listed_and_deleted() {
    let stack = support::stack().await;
    let mut network = stack.network();
    let service = KubernetesServiceSpec {
        name: "my-service".into(),
        selector: HashMap::from([("app".into(), "test-runner".into())]),
        ports: vec![ServicePort { port: 8080, ..Default::default() }],
        ..Default::default()
    };
    let created = network
        .create_kubernetes_service(CreateKubernetesServiceRequest { service: Some(service.clone()) })
        .await
        .expect("service")
        .into_inner()
        .service
        .expect("service");
    assert_eq!(created.r#type, KubernetesServiceType::ClusterIp as i32);
    assert_eq!((created.ports[0].target_port, created.ports[0].protocol), (8080, Protocol::Tcp as i32));
    assert!(!created.cluster_ip.is_empty());
    let dup = network
        .create_kubernetes_service(CreateKubernetesServiceRequest { service: Some(service) })
        .await
        .expect_err("dup");
    assert_eq!(dup.code(), Code::AlreadyExists);
    let bad = KubernetesServiceSpec { name: "1bad".into(), ports: vec![], ..Default::default() };
    let status = network
        .create_kubernetes_service(CreateKubernetesServiceRequest { service: Some(bad) })
        .await
        .expect_err("bad");
    let fields = violated_fields(&status);
    assert!(
        fields.contains(&"service.name".to_string()) && fields.contains(&"service.ports".to_string()),
        "{fields:?}"
    );

    let annotations = HashMap::from([
        ("nginx.ingress.kubernetes.io/proxy-read-timeout".to_string(), "3600".to_string()),
        ("nginx.ingress.kubernetes.io/proxy-send-timeout".to_string(), "3600".to_string()),
    ]);
    let ingress = IngressSpec {
        name: "my-app-ingress".into(),
        rules: vec![IngressRule {
            host: "myapp.example.com".into(),
            paths: vec![IngressPath {
                path: "/".into(),
                path_type: PathType::Prefix as i32,
                backend: Some(IngressBackend {
                    service_name: "my-service".into(),
                    service_port_number: 8080,
                    ..Default::default()
                }),
            }],
        }],
        annotations: annotations.clone(),
        ..Default::default()
    };
    network.create_ingress(CreateIngressRequest { ingress: Some(ingress) }).await.expect("ingress");
    let got = network
        .get_ingress(GetIngressRequest { namespace: String::new(), name: "my-app-ingress".into() })
        .await
        .expect("get")
        .into_inner();
    let metadata = got.ingress.as_ref().and_then(|i| i.metadata.clone()).expect("metadata");
    for (key, value) in &annotations {
        assert_eq!(metadata.annotations.get(key), Some(value), "annotations pass through untouched");
    }
    assert_eq!(
        got.ingress.expect("ingress").rules[0].paths[0].backend.as_ref().map(|b| b.service_port_number),
        Some(8080)
    );
    let listed = network.list_ingresses(ListIngressesRequest::default()).await.expect("list").into_inner();
    assert_eq!(listed.ingresses.len(), 1);
    let services = network
        .list_kubernetes_services(ListKubernetesServicesRequest::default())
        .await
        .expect("list")
        .into_inner();
    assert_eq!(services.services.len(), 1);
    network
        .delete_ingress(DeleteIngressRequest { namespace: String::new(), name: "my-app-ingress".into() })
        .await
        .expect("delete");
    network
        .delete_kubernetes_service(DeleteKubernetesServiceRequest {
            namespace: String::new(),
            name: "my-service".into(),
        })
        .await
        .expect("delete");
    let missing = network
        .get_kubernetes_service(GetKubernetesServiceRequest {
            namespace: String::new(),
            name: "my-service".into(),
        })
        .await
        .expect_err("gone");
    assert_eq!(missing.code(), Code::NotFound);
    stack.stop().await;
}

#[tokio::test]
async fn settings_persist_across_a_restart_and_an_invalid_update_changes_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("settings.json");
    let mut options = support::loopback_options(false);
    options.settings_path = Some(path.clone());
    let stack = support::stack_with(options.clone(), false).await;
    let mut settings = stack.settings();
    let update = UpdateClusterSettingsRequest {
        settings: Some(ClusterSettings {
            enabled: true,
            allowed_namespaces: vec!["default".into()],
            ..Default::default()
        }),
        update_mask: Some(prost_types::FieldMask {
            paths: vec!["enabled".into(), "allowed_namespaces".into()],
        }),
    };
    let applied = settings
        .update_cluster_settings(update)
        .await
        .expect("update")
        .into_inner()
        .settings
        .expect("settings");
    assert!(applied.enabled);
    assert_eq!(applied.namespace, "opencode-manager", "fields outside the mask are kept");
    // The change takes effect for the next call, without a restart.
    stack
        .pods()
        .list_pods(ListPodsRequest { namespace: "default".into(), ..Default::default() })
        .await
        .expect("now allowed");

    let before = std::fs::read_to_string(&path).expect("persisted");
    let invalid = UpdateClusterSettingsRequest {
        settings: Some(ClusterSettings { namespace: "Not A Namespace".into(), ..Default::default() }),
        update_mask: Some(prost_types::FieldMask { paths: vec!["namespace".into()] }),
    };
    let status = settings.update_cluster_settings(invalid).await.expect_err("invalid");
    assert_eq!(violated_fields(&status), ["settings.namespace"]);
    let bad_kubeconfig = UpdateClusterSettingsRequest {
        settings: Some(ClusterSettings {
            kubeconfig_path: "/no/such/kubeconfig".into(),
            ..Default::default()
        }),
        update_mask: Some(prost_types::FieldMask { paths: vec!["kubeconfig_path".into()] }),
    };
    settings.update_cluster_settings(bad_kubeconfig).await.expect_err("unusable kubeconfig");
    assert_eq!(std::fs::read_to_string(&path).expect("file"), before, "a refused update changes nothing");
    stack.server.shutdown().await.expect("stop");

    // A crash while writing leaves at most a temporary file beside the settings; the settings are intact.
    std::fs::write(dir.path().join(".tmpXYZ"), "{\"namespace\": \"half").expect("leftover");
    let loaded = kubegate_core::settings::load(&path).expect("valid").expect("present");
    assert!(loaded.enabled && loaded.allowed_namespaces == ["default"]);
    options.settings = loaded;
    let restarted = kubegate::server::start(
        options,
        kubegate_core::state::Connection::with_client(
            stack.cluster.client().await.expect("client"),
            String::new(),
        ),
    )
    .await
    .expect("restart");
    let mut again = kubegate_proto::v1::cluster_service_client::ClusterServiceClient::new(
        support::channel(restarted.grpc_addr).await,
    );
    let got = again.get_cluster_settings(GetClusterSettingsRequest {}).await.expect("get").into_inner();
    assert!(got.settings.expect("settings").enabled);
    assert_eq!(got.settings_path, path.display().to_string());
    restarted.shutdown().await.expect("stop");
    stack.cluster.shutdown().await;
}

#[tokio::test]
async fn test_connection_reports_version_identity_and_each_permission() {
    let stack = support::stack().await;
    let report =
        stack.settings().test_connection(TestConnectionRequest::default()).await.expect("test").into_inner();
    assert!(report.connected, "{report:?}");
    assert_eq!(report.server_version, "v1.32.0");
    assert_eq!(report.username, "kubegate-admin");
    assert!(report.all_permissions_allowed && report.permissions.len() == 15, "{report:?}");
    stack.stop().await;

    let restricted = support::stack_with(support::loopback_options(false), true).await;
    let report = restricted
        .settings()
        .test_connection(TestConnectionRequest::default())
        .await
        .expect("test")
        .into_inner();
    assert!(report.connected);
    assert_eq!(report.username, "system:serviceaccount:opencode-manager:opencode-manager");
    assert!(!report.all_permissions_allowed);
    let watch = report.permissions.iter().find(|p| p.verb == "watch").expect("watch checked");
    assert!(!watch.allowed, "the original's Role has no watch verb");
    assert!(report.error.contains("watch pods"), "{}", report.error);
    restricted.stop().await;

    let nothing = support::start_without_kubernetes(false).await;
    let mut client = kubegate_proto::v1::cluster_service_client::ClusterServiceClient::new(
        support::channel(nothing.grpc_addr).await,
    );
    let report = client.test_connection(TestConnectionRequest::default()).await.expect("test").into_inner();
    assert!(!report.connected);
    assert_eq!(report.problem, ConnectionProblem::KubeconfigInvalid as i32);
    assert!(report.error.contains("does not exist"), "{}", report.error);
    nothing.shutdown().await.expect("stop");
}

#[tokio::test]
async fn test_connection_names_the_ca_setting_for_an_untrusted_certificate_and_reports_a_bad_token() {
    let cluster = support::embedded_cluster().await;
    let text = std::fs::read_to_string(cluster.kubeconfig()).expect("kubeconfig");
    let dir = tempfile::tempdir().expect("dir");
    // Another cluster's CA: the server's certificate is then signed by an unknown issuer.
    let other = support::embedded_cluster().await;
    let other_text = std::fs::read_to_string(other.kubeconfig()).expect("kubeconfig");
    let ca = |t: &str| {
        t.lines().find(|l| l.contains("certificate-authority-data")).map(str::to_string).expect("ca line")
    };
    let wrong_ca = dir.path().join("wrong-ca");
    std::fs::write(&wrong_ca, text.replace(&ca(&text), &ca(&other_text))).expect("write");
    let token_line = text.lines().find(|l| l.trim_start().starts_with("token:")).expect("token").to_string();
    let wrong_token = dir.path().join("wrong-token");
    std::fs::write(&wrong_token, text.replace(&token_line, "    token: not-the-token")).expect("write");

    for (path, problem, words) in [
        (&wrong_ca, ConnectionProblem::Tls, "KUBEGATE_EXTRA_CA_CERTS"),
        (&wrong_token, ConnectionProblem::Unauthenticated, "token"),
    ] {
        let connection = kubegate_core::state::Connection::establish(Some(path)).await;
        let server =
            kubegate::server::start(support::loopback_options(false), connection).await.expect("start");
        let mut client = kubegate_proto::v1::cluster_service_client::ClusterServiceClient::new(
            support::channel(server.grpc_addr).await,
        );
        let report =
            client.test_connection(TestConnectionRequest::default()).await.expect("test").into_inner();
        assert!(!report.connected, "{report:?}");
        assert_eq!(report.problem, problem as i32, "{}", report.error);
        assert!(report.error.contains(words), "{}", report.error);
        assert!(!report.error.contains("not-the-token"), "secrets never reach messages");
        server.shutdown().await.expect("stop");
    }
    other.shutdown().await;
    cluster.shutdown().await;
}
