//! The public surface other crates use: starting a cluster, its address and kubeconfigs, clients for
//! both users, the claims root, fault injection, history compaction, and both ways of stopping.

mod support;

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kube::api::ListParams;
use kubegate_embedded::{EmbeddedCluster, INITIAL_NAMESPACES, Options, RESTRICTED_NAMESPACE};
use support::{NS, api_error};

#[tokio::test]
async fn injected_failures_come_back_as_the_chosen_status() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    // 500 rather than 503: kube-rs retries 503 by itself.
    cluster.faults().fail_requests(Some("GET"), "/pods", 500, Some(1));
    let (code, _, _) = api_error(pods.list(&ListParams::default()).await.expect_err("injected"));
    assert_eq!(code, 500);
    pods.list(&ListParams::default()).await.expect("only once");
    cluster.shutdown().await;
}

#[tokio::test]
async fn a_cluster_listens_on_loopback_only() {
    let options = Options { addr: ([0, 0, 0, 0], 0).into(), ..Options::default() };
    let error = EmbeddedCluster::start(options).await.expect_err("refused");
    assert!(error.to_string().contains("loopback only"), "{error}");
}

#[tokio::test]
async fn a_cluster_writes_private_kubeconfigs_serves_both_users_and_stops_when_told() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().expect("dir");
    let options = Options {
        data_dir: Some(dir.path().join("data")),
        kubeconfig_out: Some(dir.path().join("config")),
        ..Options::default()
    };
    let cluster = EmbeddedCluster::start(options).await.expect("the cluster starts");
    let addr = cluster.addr();
    assert!(addr.ip().is_loopback() && addr.port() != 0, "{addr}");
    assert_eq!(cluster.kubeconfig(), dir.path().join("config"));
    assert_eq!(cluster.restricted_kubeconfig(), dir.path().join("config-restricted"));
    for path in [cluster.kubeconfig(), cluster.restricted_kubeconfig()] {
        let mode = std::fs::metadata(path).expect("kubeconfig").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{} holds a token", path.display());
    }
    assert_eq!(cluster.claims_root(), dir.path().join("data").join("volumes"));

    let namespaces: Api<k8s_openapi::api::core::v1::Namespace> =
        Api::all(cluster.client().await.expect("client"));
    let names: Vec<String> = namespaces
        .list(&ListParams::default())
        .await
        .expect("namespaces")
        .items
        .into_iter()
        .filter_map(|n| n.metadata.name)
        .collect();
    assert_eq!(names, INITIAL_NAMESPACES);
    let pods: Api<Pod> =
        Api::namespaced(cluster.restricted_client().await.expect("client"), RESTRICTED_NAMESPACE);
    pods.list(&ListParams::default()).await.expect("the restricted user lists its namespace's pods");

    cluster.faults().add_latency(Duration::from_millis(300));
    let started = std::time::Instant::now();
    pods.list(&ListParams::default()).await.expect("slow list");
    assert!(started.elapsed() >= Duration::from_millis(300), "{:?}", started.elapsed());
    cluster.faults().clear();

    cluster.run_until(async {}).await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err(), "the server stopped listening");
}

#[tokio::test]
async fn kubeconfigs_are_written_0600_without_following_a_planted_symlink() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().expect("dir");
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "untouched\n").expect("victim");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("out");
    // Links at both final paths, and at the temporary names a predictable writer would use.
    for name in ["config", "config-restricted", ".config.tmp", ".config-restricted.tmp"] {
        std::os::unix::fs::symlink(&victim, out.join(name)).expect("plant a symlink");
    }
    let options = Options {
        data_dir: Some(dir.path().join("data")),
        kubeconfig_out: Some(out.join("config")),
        ..Options::default()
    };
    let cluster = EmbeddedCluster::start(options).await.expect("the cluster starts");
    assert_eq!(
        std::fs::read_to_string(&victim).expect("victim"),
        "untouched\n",
        "no token went through a link"
    );
    for path in [cluster.kubeconfig(), cluster.restricted_kubeconfig()] {
        let meta = std::fs::symlink_metadata(path).expect("kubeconfig");
        assert!(meta.file_type().is_file(), "{} replaced the link with a file", path.display());
        assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{}", path.display());
        assert!(std::fs::read_to_string(path).expect("read").contains("token: "));
    }
    cluster.shutdown().await;

    // A directory the cluster creates for its kubeconfigs and data is its owner's only.
    let fresh = dir.path().join("fresh");
    let options = Options {
        data_dir: Some(fresh.join("data")),
        kubeconfig_out: Some(fresh.join("kube").join("config")),
        ..Options::default()
    };
    let cluster = EmbeddedCluster::start(options).await.expect("the cluster starts");
    for created in [fresh.join("kube"), fresh.join("data")] {
        let mode = std::fs::metadata(&created).expect("created").permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "{}", created.display());
    }
    cluster.shutdown().await;
}
