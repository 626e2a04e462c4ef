//! Exec sessions across replicas, on the embedded cluster (or the cluster `KUBEGATE_TEST_KUBECONFIG` names,
//! as `tests/control-plane/e2e.sh` runs it on a real node): a session started through replica A and left
//! (a dropped connection) is reattached through replica B from its offset — B relays to A — with no byte
//! lost or repeated; an id naming a URL that is no listed replica is NOT_FOUND without any connection;
//! once A is gone, a reattach through B is NOT_FOUND saying so.

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use futures::StreamExt as _;
use kubegate_proto::v1::exec_service_client::ExecServiceClient;
use kubegate_proto::v1::*;

/// TLS for the replicas: their certificate's files and the CA's PEM.
struct Tls {
    cert: std::path::PathBuf,
    key: std::path::PathBuf,
    ca: String,
}

/// The cluster the replicas share.
enum Cluster {
    Embedded(kubegate_embedded::EmbeddedCluster),
    Real(std::path::PathBuf),
}

impl Cluster {
    async fn start() -> Self {
        match std::env::var_os("KUBEGATE_TEST_KUBECONFIG") {
            Some(path) => Cluster::Real(path.into()),
            None => Cluster::Embedded(support::embedded_cluster().await),
        }
    }

    async fn connection(&self) -> kubegate_core::state::Connection {
        match self {
            Cluster::Embedded(cluster) => {
                let client = support::kube_client(cluster).await;
                kubegate_core::state::Connection::with_client(client, format!("https://{}", cluster.addr()))
            }
            Cluster::Real(path) => kubegate_core::state::Connection::establish(Some(path)).await,
        }
    }

    async fn shutdown(self) {
        if let Cluster::Embedded(cluster) = self {
            cluster.shutdown().await;
        }
    }
}

async fn replica(cluster: &Cluster, addr: SocketAddr, tls: Option<&Tls>) -> kubegate::server::Running {
    let mut options = support::loopback_options(false);
    options.grpc_addr = addr;
    match tls {
        Some(tls) => {
            options.tls =
                Some(kubegate_gateway::tls::ServerTls::load(&tls.cert, &tls.key).expect("certificate"));
            // Reached at its address, verified for the name on its certificate.
            options.advertise_url = Some(format!("https://{addr}"));
            options.peer_ca = Some(tls.ca.clone().into_bytes());
            options.peer_tls_name = Some("localhost".into());
        }
        None => options.advertise_url = Some(format!("http://{addr}")),
    }
    kubegate::server::start(options, cluster.connection().await).await.expect("a replica starts")
}

/// Reads stdout until it holds `until`; returns what was read.
async fn read_until(events: &mut tonic::Streaming<AttachExecSessionResponse>, until: &str) -> String {
    let mut output = String::new();
    while !output.contains(until) {
        let event = tokio::time::timeout(Duration::from_secs(15), events.next())
            .await
            .unwrap_or_else(|_| panic!("no {until:?}; so far {output:?}"))
            .expect("the stream is open")
            .expect("an event");
        if let Some(exec_event::Kind::Stdout(chunk)) = event.event.and_then(|e| e.kind) {
            output.push_str(&String::from_utf8_lossy(&chunk.data));
        }
    }
    output
}

fn attach(id: &str, offset: u64) -> futures::stream::Iter<std::vec::IntoIter<AttachExecSessionRequest>> {
    let attach = ExecAttach { session_id: id.into(), offset };
    futures::stream::iter(vec![AttachExecSessionRequest {
        kind: Some(attach_exec_session_request::Kind::Attach(attach)),
    }])
}

async fn channel(addr: SocketAddr, tls: Option<&Tls>) -> tonic::transport::Channel {
    let (url, ca) = match tls {
        Some(tls) => (format!("https://localhost:{}", addr.port()), Some(tls.ca.as_bytes())),
        None => (format!("http://{addr}"), None),
    };
    kubegate_proto::dial::endpoint(&url, ca).expect("endpoint").connect().await.expect("connects")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_started_on_one_replica_is_reattached_through_another() {
    across_replicas(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_serving_tls_relay_over_tls() {
    let dir = tempfile::tempdir().expect("a directory");
    let ca = support::tls::authority("replicas CA");
    let (cert, key) = support::tls::write_leaf(&ca, dir.path());
    across_replicas(Some(&Tls { cert, key, ca: ca.pem.clone() })).await;
}

async fn across_replicas(tls: Option<&Tls>) {
    let cluster = Cluster::start().await;
    let (a_addr, b_addr) = (support::free_port(), support::free_port());
    let (a, b) = (replica(&cluster, a_addr, tls).await, replica(&cluster, b_addr, tls).await);
    let stack_pods =
        kubegate_proto::v1::pod_service_client::PodServiceClient::new(channel(a_addr, tls).await);
    let mut pods = stack_pods;
    // Named per run: a cluster that outlives the test may still hold an earlier run's pod.
    let name = format!("shared-{}", std::process::id() % 100_000);
    let spec = PodSpec {
        name: name.clone(),
        image: "busybox:1.36".into(),
        command: vec!["sleep".into(), "600".into()],
        ..Default::default()
    };
    pods.create_pod(CreatePodRequest { pod: Some(spec), ..Default::default() }).await.expect("create");
    let through_a = ExecServiceClient::new(channel(a_addr, tls).await);
    let script = "echo first-$((20+1)); sleep 1.5; echo second-$((20+2)); sleep 600";
    let start = ExecStart {
        pod: name.clone(),
        command: vec!["sh".into(), "-c".into(), script.into()],
        detach_grace_period: Some(prost_types::Duration { seconds: 30, nanos: 0 }),
        ..Default::default()
    };
    // The pod may still be starting: retry the start until it runs.
    let (id, seen) = support::eventually(30, "a session on A", || {
        let mut through_a = through_a.clone();
        let start = start.clone();
        async move {
            let first = ExecStreamRequest { kind: Some(exec_stream_request::Kind::Start(start)) };
            let mut events =
                through_a.exec_stream(futures::stream::iter(vec![first])).await.ok()?.into_inner();
            let mut id = String::new();
            let mut output = String::new();
            while !output.contains("first-21\n") {
                let event = events.next().await?.ok()?;
                match event.event.and_then(|e| e.kind) {
                    Some(exec_event::Kind::Started(s)) => id = s.session_id,
                    Some(exec_event::Kind::Stdout(chunk)) => {
                        output.push_str(&String::from_utf8_lossy(&chunk.data))
                    }
                    _ => {}
                }
            }
            // Dropped here: the client vanishes, the session waits for a reattach.
            Some((id, output))
        }
    })
    .await;
    assert!(id.contains('.'), "a session id names its replica: {id}");
    let offset = seen.len() as u64;

    let mut through_b = ExecServiceClient::new(channel(b_addr, tls).await);
    let reattached = support::eventually(10, "the reattach through B", || {
        let mut through_b = through_b.clone();
        let id = id.clone();
        async move { through_b.attach_exec_session(attach(&id, offset)).await.ok() }
    })
    .await;
    let mut events = reattached.into_inner();
    let rest = read_until(&mut events, "second-22\n").await;
    let whole = format!("{seen}{rest}");
    assert_eq!(whole.matches("first-21\n").count(), 1, "nothing repeated: {whole:?}");
    assert_eq!(whole.matches("second-22\n").count(), 1, "nothing lost: {whole:?}");
    drop(events);

    // A forged id naming a URL that is no replica: refused, nothing contacted.
    let forged_url =
        base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, "http://127.0.0.1:9");
    let forged = through_b
        .attach_exec_session(attach(&format!("00000000-0000-0000-0000-000000000000.{forged_url}"), 0))
        .await;
    let refused = forged.expect_err("refused");
    assert_eq!(refused.code(), tonic::Code::NotFound);
    assert!(refused.message().contains("no replica"), "{refused:?}");

    // A leaves; its sessions are gone with it, and B says so.
    a.shutdown().await.expect("A stops");
    let gone = through_b.attach_exec_session(attach(&id, 0)).await.expect_err("gone");
    assert_eq!(gone.code(), tonic::Code::NotFound, "{gone:?}");
    let request = DeletePodRequest { name, grace_period_seconds: Some(0), ..Default::default() };
    let _ = kubegate_proto::v1::pod_service_client::PodServiceClient::new(channel(b_addr, tls).await)
        .delete_pod(request)
        .await;
    b.shutdown().await.expect("B stops");
    cluster.shutdown().await;
}
