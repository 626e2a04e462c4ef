//! The cluster a scenario runs against: the embedded one, or the cluster of the kubeconfig named by
//! `KUBEGATE_TEST_KUBECONFIG` (the real control plane in `tests/run`, with a simulated or a real node, or a
//! user's own cluster; `KUBEGATE_TEST_ADMIN_KUBECONFIG` names administrator credentials for the checks when
//! kubegate itself runs with a restricted one). kubegate reaches a real cluster through a relay the scenario can cut; a claim for
//! test runs is a directory on this machine, bound to a PersistentVolume of type hostPath there.

use std::path::{Path, PathBuf};

use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim};
use kube::api::{Api, DeleteParams, PostParams};
use kubegate::server::Running;
use kubegate_core::state::Connection;
use kubegate_proto::v1::exec_service_client::ExecServiceClient;
use kubegate_proto::v1::pod_service_client::PodServiceClient;
use kubegate_proto::v1::{CreatePodRequest, DeletePodRequest, GetPodRequest, PodPhase, PodSpec};
use tonic::transport::Channel;

use super::cutter::Cutter;
use super::{channel, loopback_options, stack_with};

/// The namespace scenarios use.
pub const NAMESPACE: &str = "opencode-manager";
/// The namespace's pods: what kubegate's shared watch lists and watches.
const PODS_PATH: &str = "/api/v1/namespaces/opencode-manager/pods";

/// kubegate in front of the chosen cluster.
pub struct ScenarioStack {
    /// The service.
    pub server: Running,
    /// A channel to the service.
    pub channel: tonic::transport::Channel,
    /// An administrator client of the cluster, for checks behind kubegate's back.
    pub kube: kube::Client,
    /// True on a real API server (with kwok's simulated node, no process runs in a pod).
    pub real: bool,
    /// The directory of the claim made by [`ScenarioStack::start_with_claim`].
    pub claim_dir: Option<PathBuf>,
    claim: Option<(String, Option<String>)>,
    embedded: Option<kubegate_embedded::EmbeddedCluster>,
    cutter: Option<Cutter>,
    _dir: tempfile::TempDir,
}

impl ScenarioStack {
    /// Starts kubegate (with its gateway) in front of the chosen cluster.
    pub async fn start() -> Self {
        Self::start_as(false, None).await
    }

    /// Starts kubegate with credentials limited to the Role of the namespace: on the embedded cluster the
    /// original's Role, on a real cluster the kubeconfig in `KUBEGATE_TEST_RESTRICTED_KUBECONFIG` (tests/run
    /// makes one from a token of deploy/'s ServiceAccount).
    pub async fn start_restricted() -> Self {
        Self::start_as(true, None).await
    }

    /// Starts kubegate with a PersistentVolumeClaim `claim` in the namespace whose files are in
    /// [`ScenarioStack::claim_dir`] (and which kubegate reads there, for image matching and commits).
    pub async fn start_with_claim(claim: &str) -> Self {
        Self::start_as(false, Some(claim)).await
    }

    async fn start_as(restricted: bool, claim: Option<&str>) -> Self {
        let dir = tempfile::tempdir().expect("scenario directory");
        let mut options = loopback_options(true);
        let variable =
            if restricted { "KUBEGATE_TEST_RESTRICTED_KUBECONFIG" } else { "KUBEGATE_TEST_KUBECONFIG" };
        let admin = std::env::var_os("KUBEGATE_TEST_KUBECONFIG").map(PathBuf::from);
        if restricted && admin.is_some() {
            assert!(
                std::env::var_os(variable).is_some(),
                "a real cluster is configured but {variable} is not: the restricted scenarios need it"
            );
        }
        let Some(admin) = admin else {
            let stack = stack_with(options, restricted).await;
            let kube = stack.cluster.client().await.expect("client");
            let claim_dir = match claim {
                Some(name) => Some(embedded_claim(&stack.cluster, &kube, name).await),
                None => None,
            };
            return Self {
                server: stack.server,
                channel: stack.channel,
                kube,
                real: false,
                claim_dir,
                claim: claim.map(|c| (c.to_string(), None)),
                embedded: Some(stack.cluster),
                cutter: None,
                _dir: dir,
            };
        };
        // Checks and set-up (volumes are cluster-wide) as the administrator, even when kubegate itself
        // runs with a restricted token.
        let checker = std::env::var_os("KUBEGATE_TEST_ADMIN_KUBECONFIG").map_or(admin, PathBuf::from);
        let kube = client_of(&checker).await;
        let mut made = None;
        let mut claim_dir = None;
        if let Some(name) = claim {
            let (volume, path) = hostpath_claim(&kube, dir.path(), name).await;
            options.workflows.claim_mounts = vec![(name.to_string(), path.clone())];
            made = Some((name.to_string(), Some(volume)));
            claim_dir = Some(path);
        }
        let path = PathBuf::from(std::env::var_os(variable).expect("checked above"));
        let (relayed, cutter) = through_relay(&path, dir.path()).await;
        let connection = Connection::establish(Some(&relayed)).await;
        if let Err(e) = &connection.client {
            panic!("{variable}={} is not usable: {e}", path.display());
        }
        let server = kubegate::server::start(options, connection).await.expect("kubegate starts");
        let channel = channel(server.grpc_addr).await;
        Self {
            server,
            channel,
            kube,
            real: true,
            claim_dir,
            claim: made,
            embedded: None,
            cutter: Some(cutter),
            _dir: dir,
        }
    }

    /// Cuts every connection between kubegate and the cluster (streams, watches, follows) at once.
    pub fn cut(&self) {
        if let Some(cluster) = &self.embedded {
            cluster.faults().cut_streams();
        }
        if let Some(cutter) = &self.cutter {
            cutter.cut();
        }
    }

    /// Puts the cluster out of kubegate's reach until [`ScenarioStack::release`]: its connections are cut
    /// and new ones fail (on the embedded cluster: its watches end and its reads of the namespace's pods
    /// are answered 503). The administrator client still reaches the cluster.
    pub fn hold(&self) {
        if let Some(cluster) = &self.embedded {
            cluster.faults().fail_requests(Some("GET"), PODS_PATH, 503, None);
            cluster.faults().end_watches();
        }
        if let Some(cutter) = &self.cutter {
            cutter.hold();
        }
    }

    /// Lets kubegate reach the cluster again after [`ScenarioStack::hold`].
    pub fn release(&self) {
        if let Some(cluster) = &self.embedded {
            cluster.faults().clear();
        }
        if let Some(cutter) = &self.cutter {
            cutter.release();
        }
    }

    /// Makes the cluster forget every change so far, as a compacted etcd does: a watch resumed from an
    /// earlier resourceVersion is answered 410 Expired. On a real cluster this compacts its etcd at the
    /// current revision, through etcd's JSON gateway at `KUBEGATE_TEST_ETCD` (`http://host:port`; the
    /// API server must keep no watch cache for pods, or it answers from that: `start.sh --pods-from-etcd`).
    pub async fn forget_history(&self) {
        if let Some(cluster) = &self.embedded {
            cluster.compact_history();
            return;
        }
        let etcd = std::env::var("KUBEGATE_TEST_ETCD").expect(
            "KUBEGATE_TEST_ETCD names the cluster's etcd (http://host:port): this scenario compacts its history",
        );
        let addr = etcd.trim_start_matches("http://").trim_end_matches('/');
        let addr = addr.parse().unwrap_or_else(|e| panic!("KUBEGATE_TEST_ETCD={etcd}: {e}"));
        let key = r#"{"key":"AA==","count_only":true}"#;
        let (status, range) = super::http_request(addr, "POST", "/v3/kv/range", "etcd", &[], Some(key)).await;
        assert_eq!(status, 200, "etcd's current revision: {range}");
        let revision = range["header"]["revision"].as_str().expect("etcd's revision").to_string();
        let compaction = format!(r#"{{"revision":"{revision}","physical":true}}"#);
        let (status, answer) =
            super::http_request(addr, "POST", "/v3/kv/compaction", "etcd", &[], Some(&compaction)).await;
        assert_eq!(status, 200, "etcd compacted at {revision}: {answer}");
    }

    /// Stops the service (and the embedded cluster), removing the claim and its volume.
    pub async fn stop(self) {
        self.server.shutdown().await.expect("clean shutdown");
        if let Some((claim, volume)) = &self.claim {
            let claims: Api<PersistentVolumeClaim> = Api::namespaced(self.kube.clone(), NAMESPACE);
            let _ = claims.delete(claim, &DeleteParams::default()).await;
            if let Some(volume) = volume {
                let volumes: Api<PersistentVolume> = Api::all(self.kube.clone());
                let _ = volumes.delete(volume, &DeleteParams::default()).await;
            }
        }
        if let Some(cluster) = self.embedded {
            cluster.shutdown().await;
        }
    }

    /// The REST base URL.
    pub fn rest(&self) -> String {
        format!("http://{}/api/kubernetes", self.server.http_addr.expect("gateway"))
    }

    /// A client of the pod service.
    pub fn pods(&self) -> PodServiceClient<Channel> {
        PodServiceClient::new(self.channel.clone())
    }

    /// A client of the exec service.
    pub fn exec(&self) -> ExecServiceClient<Channel> {
        ExecServiceClient::new(self.channel.clone()).max_decoding_message_size(64 * 1024 * 1024)
    }

    /// Creates a pod of busybox running `command` (its default when empty) and waits until it runs.
    pub async fn running(&self, name: &str, command: &[&str], labels: &[(&str, &str)]) {
        let mut client = self.pods();
        let spec = PodSpec {
            name: name.into(),
            image: "busybox:1.36".into(),
            command: command.iter().map(|c| c.to_string()).collect(),
            labels: labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            ..Default::default()
        };
        client.create_pod(CreatePodRequest { pod: Some(spec), validate_only: false }).await.expect("create");
        super::eventually(90, "the pod to run", || {
            let mut client = client.clone();
            async move {
                let request = GetPodRequest { namespace: String::new(), name: name.into() };
                let pod = client.get_pod(request).await.ok()?;
                (pod.into_inner().pod?.phase == PodPhase::Running as i32).then_some(())
            }
        })
        .await;
    }

    /// Deletes a pod at once, ignoring whether it exists.
    pub async fn delete(&self, name: &str) {
        let request =
            DeletePodRequest { name: name.into(), grace_period_seconds: Some(0), ..Default::default() };
        let _ = self.pods().delete_pod(request).await;
    }
}

async fn client_of(kubeconfig: &Path) -> kube::Client {
    let connection = Connection::establish(Some(kubeconfig)).await;
    match connection.client {
        Ok(client) => client,
        Err(e) => panic!("{} is not usable: {e}", kubeconfig.display()),
    }
}

/// A copy of `kubeconfig` whose server is a relay to the real one (verified under the real host name).
async fn through_relay(kubeconfig: &Path, dir: &Path) -> (PathBuf, Cutter) {
    let text = std::fs::read_to_string(kubeconfig).expect("kubeconfig");
    let mut config: serde_yaml::Value = serde_yaml::from_str(&text).expect("kubeconfig YAML");
    let cluster = config["clusters"][0]["cluster"].as_mapping_mut().expect("a cluster in the kubeconfig");
    let server = cluster.get("server").and_then(|s| s.as_str()).expect("server").to_string();
    let url: http::Uri = server.parse().expect("server URL");
    let host = url.host().expect("server host").trim_start_matches('[').trim_end_matches(']').to_string();
    let port = url.port_u16().unwrap_or(443);
    let cutter = Cutter::start(format!("{host}:{port}")).await;
    cluster.insert("server".into(), format!("https://{}", cutter.addr).into());
    if host != "127.0.0.1" {
        cluster.insert("tls-server-name".into(), host.into());
    }
    let relayed = dir.join("kubeconfig-relayed");
    std::fs::write(&relayed, serde_yaml::to_string(&config).expect("YAML")).expect("write kubeconfig");
    (relayed, cutter)
}

/// On the embedded cluster a claim is a directory the cluster keeps; kubegate reads it there.
async fn embedded_claim(
    cluster: &kubegate_embedded::EmbeddedCluster,
    kube: &kube::Client,
    name: &str,
) -> PathBuf {
    let claims: Api<PersistentVolumeClaim> = Api::namespaced(kube.clone(), NAMESPACE);
    claims.create(&PostParams::default(), &claim_object(name, None)).await.expect("create claim");
    let dir = cluster.claims_root().join(NAMESPACE).join(name);
    std::fs::create_dir_all(&dir).expect("claim directory");
    dir
}

/// On a real cluster (whose node is this machine) a claim bound to a hostPath PersistentVolume on a
/// directory of this scenario, readable by the pods' non-root user.
async fn hostpath_claim(kube: &kube::Client, dir: &Path, name: &str) -> (String, PathBuf) {
    use std::os::unix::fs::PermissionsExt as _;
    let path = dir.join("claim");
    std::fs::create_dir_all(&path).expect("claim directory");
    for open in [dir, path.as_path()] {
        std::fs::set_permissions(open, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    }
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos());
    let volume =
        format!("kubegate-scenario-{}-{}", std::process::id(), stamp.unwrap_or_default() % 1_000_000_000);
    let volumes: Api<PersistentVolume> = Api::all(kube.clone());
    let pv: PersistentVolume = serde_json::from_value(serde_json::json!({
        "metadata": {"name": volume},
        "spec": {
            "capacity": {"storage": "1Gi"},
            "accessModes": ["ReadWriteMany"],
            "persistentVolumeReclaimPolicy": "Retain",
            "storageClassName": "",
            "hostPath": {"path": path.to_string_lossy(), "type": "Directory"},
        },
    }))
    .expect("volume");
    volumes.create(&PostParams::default(), &pv).await.expect("create volume");
    let claims: Api<PersistentVolumeClaim> = Api::namespaced(kube.clone(), NAMESPACE);
    // A claim left by an interrupted run would hold the name.
    let _ = claims.delete(name, &DeleteParams::default()).await;
    super::eventually(30, "an earlier claim of the same name to go", || {
        let claims = claims.clone();
        async move { claims.get_opt(name).await.ok()?.is_none().then_some(()) }
    })
    .await;
    claims.create(&PostParams::default(), &claim_object(name, Some(&volume))).await.expect("create claim");
    (volume, path)
}

fn claim_object(name: &str, volume: Option<&str>) -> PersistentVolumeClaim {
    let mut spec = serde_json::json!({
        "accessModes": ["ReadWriteMany"],
        "resources": {"requests": {"storage": "1Gi"}},
    });
    if let Some(volume) = volume {
        spec["volumeName"] = volume.into();
        spec["storageClassName"] = "".into();
    }
    serde_json::from_value(serde_json::json!({"metadata": {"name": name}, "spec": spec})).expect("claim")
}
