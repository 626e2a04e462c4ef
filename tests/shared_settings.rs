//! Settings shared by replicas through a ConfigMap, on the embedded cluster: a change made through one
//! replica is in force on the other within 2 s; a replica started later takes the shared settings; and
//! a write based on settings another replica changed meanwhile is refused (ABORTED), never lost.

mod support;

use std::time::Duration;

use kubegate_core::shared_settings::SharedSettings;
use kubegate_proto::v1::cluster_service_client::ClusterServiceClient;
use kubegate_proto::v1::{ClusterSettings, GetClusterSettingsRequest, UpdateClusterSettingsRequest};

async fn replica(cluster: &kubegate_embedded::EmbeddedCluster) -> kubegate::server::Running {
    let mut options = support::loopback_options(false);
    options.settings_configmap = Some("kubegate-settings".into());
    let client = support::kube_client(cluster).await;
    let connection =
        kubegate_core::state::Connection::with_client(client, format!("https://{}", cluster.addr()));
    kubegate::server::start(options, connection).await.expect("a replica starts")
}

async fn max_age(replica: &kubegate::server::Running) -> i64 {
    let mut cluster = ClusterServiceClient::new(support::channel(replica.grpc_addr).await);
    let settings = cluster.get_cluster_settings(GetClusterSettingsRequest {}).await.expect("settings");
    settings.into_inner().settings.and_then(|s| s.cleanup_max_age).map_or(0, |d| d.seconds)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_through_one_replica_is_in_force_on_the_others() {
    let cluster = support::embedded_cluster().await;
    let (a, b) = (replica(&cluster).await, replica(&cluster).await);
    let mut through_a = ClusterServiceClient::new(support::channel(a.grpc_addr).await);
    let change = UpdateClusterSettingsRequest {
        settings: Some(ClusterSettings {
            cleanup_max_age: Some(prost_types::Duration { seconds: 777, nanos: 0 }),
            ..Default::default()
        }),
        update_mask: Some(prost_types::FieldMask { paths: vec!["cleanup_max_age".into()] }),
    };
    through_a.update_cluster_settings(change).await.expect("updated through A");
    let started = tokio::time::Instant::now();
    while max_age(&b).await != 777 {
        assert!(started.elapsed() < Duration::from_secs(2), "B did not follow within 2 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // A replica started now takes the shared settings, not its own defaults.
    let c = replica(&cluster).await;
    assert_eq!(max_age(&c).await, 777);
    for r in [a, b, c] {
        r.shutdown().await.expect("clean shutdown");
    }
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_on_stale_settings_is_refused_not_lost() {
    let cluster = support::embedded_cluster().await;
    let client = support::kube_client(&cluster).await;
    let first = SharedSettings::new(client.clone(), "opencode-manager", "shared");
    let second = SharedSettings::new(client, "opencode-manager", "shared");
    assert!(first.load().await.expect("read").is_none() && second.load().await.expect("read").is_none());
    let mut settings = kubegate_core::settings::Settings::default();
    first.save(&settings).await.expect("the first creates it");
    // The second still believes there is none: its create is refused, nothing is overwritten.
    settings.cleanup_max_age_seconds = 5;
    assert!(matches!(second.save(&settings).await, Err(kubegate_core::Error::Conflict(_))));
    let seen = second.load().await.expect("read").expect("present");
    assert_ne!(seen.cleanup_max_age_seconds, 5);
    second.save(&settings).await.expect("on the current version it is written");
    // Now the first is stale.
    settings.cleanup_max_age_seconds = 9;
    let refused = first.save(&settings).await.expect_err("stale");
    assert!(refused.to_string().contains("another replica"), "{refused}");
    assert_eq!(first.load().await.expect("read").expect("present").cleanup_max_age_seconds, 5);
    cluster.shutdown().await;
}
