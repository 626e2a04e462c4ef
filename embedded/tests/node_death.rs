//! A node's pods die with it: when the process running the embedded cluster is killed with SIGKILL (no
//! cleanup runs), no pod process, no process a pod started, and no exec process is left behind, and a
//! cluster started again on the same data directory finds none of them.
//!
//! The test runs its own binary again as the node: an environment variable tells that child to start a
//! cluster, a pod and an exec, print a line when they run, and wait to be killed.

mod support;

use std::io::{BufRead as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kube::api::{AttachParams, ListParams, PostParams};
use kubegate_embedded::{EmbeddedCluster, Options};
use support::{NS, pod};

/// Set in the child: the data directory its cluster uses.
const NODE_DATA: &str = "KUBEGATE_EMBEDDED_TEST_NODE_DATA";
/// What the child prints once everything runs.
const READY: &str = "kubegate-test-node-ready";
const TEST: &str = "pods_and_execs_die_with_the_process_running_the_cluster";

/// The pod's own process, a process it started, and an exec's process, each told apart by its argv.
const POD: [&str; 2] = ["sleep", "100001"];
const DESCENDANT: [&str; 2] = ["sleep", "100002"];
const EXEC: [&str; 2] = ["sleep", "100003"];

/// Whether a process runs: it exists and is not a zombie (an orphan that nobody reaped).
fn alive(pid: i32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { return false };
    let state = stat.rsplit_once(") ").and_then(|(_, rest)| rest.chars().next());
    !matches!(state, None | Some('Z' | 'X'))
}

fn running(argv: &[&str]) -> Vec<i32> {
    support::pids_running(argv).into_iter().filter(|pid| alive(*pid)).collect()
}

#[test]
fn pods_and_execs_die_with_the_process_running_the_cluster() {
    if let Some(data) = std::env::var_os(NODE_DATA) {
        return run_node(PathBuf::from(data));
    }
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let mut node = std::process::Command::new(std::env::current_exe().expect("this test binary"))
        .args([TEST, "--exact", "--nocapture", "--test-threads=1"])
        .env(NODE_DATA, &data)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start the node");
    let stdout = node.stdout.take().expect("stdout");
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            // libtest may print the test's name on the same line before the child's own output.
            if line.contains(READY) {
                let _ = ready_tx.send(());
            }
        }
    });
    let ready = ready_rx.recv_timeout(Duration::from_secs(60));
    let pids: Vec<(&[&str], Vec<i32>)> =
        [&POD[..], &DESCENDANT[..], &EXEC[..]].into_iter().map(|argv| (argv, running(argv))).collect();
    node.kill().expect("SIGKILL the node");
    node.wait().expect("reap the node");
    assert!(ready.is_ok(), "the node did not get its pod and exec running");
    for (argv, found) in &pids {
        assert_eq!(found.len(), 1, "{argv:?} ran once on the node: {found:?}");
    }

    let deadline = Instant::now() + Duration::from_secs(5);
    let survivors = loop {
        let survivors: Vec<String> = pids
            .iter()
            .flat_map(|(argv, found)| {
                found.iter().filter(|p| alive(**p)).map(move |p| format!("{argv:?} ({p})"))
            })
            .collect();
        if survivors.is_empty() || Instant::now() > deadline {
            break survivors;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(survivors.is_empty(), "outlived the node: {survivors:?}");

    restart_on(&data);
}

/// A cluster started again on the same data directory finds no process of the last one, and runs pods.
fn restart_on(data: &Path) {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let options = Options { data_dir: Some(data.to_path_buf()), ..Options::default() };
        let cluster = EmbeddedCluster::start(options).await.expect("the cluster starts again");
        for argv in [&POD[..], &DESCENDANT[..], &EXEC[..]] {
            assert_eq!(running(argv), Vec::<i32>::new(), "{argv:?} is an orphan of the last run");
        }
        let pods: Api<Pod> = Api::namespaced(cluster.client().await.expect("client"), NS);
        assert!(pods.list(&ListParams::default()).await.expect("list").items.is_empty());
        pods.create(&PostParams::default(), &pod("again", &["true"])).await.expect("create");
        support::wait_phase(&pods, "again", "Succeeded").await;
        cluster.shutdown().await;
    });
}

/// The child: a cluster with a pod whose process started another, and an exec, until it is killed.
fn run_node(data: PathBuf) {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let options = Options { data_dir: Some(data), ..Options::default() };
        let cluster = EmbeddedCluster::start(options).await.expect("the cluster starts");
        let pods: Api<Pod> = Api::namespaced(cluster.client().await.expect("client"), NS);
        let script = format!("{} {} & exec {} {}", DESCENDANT[0], DESCENDANT[1], POD[0], POD[1]);
        pods.create(&PostParams::default(), &pod("sleeper", &["sh", "-c", &script])).await.expect("create");
        support::wait_phase(&pods, "sleeper", "Running").await;
        let params = AttachParams::default().stdout(true).stderr(false);
        let _exec = pods.exec("sleeper", EXEC, &params).await.expect("exec");
        support::eventually(10, "every process", || async {
            [&POD[..], &DESCENDANT[..], &EXEC[..]].iter().all(|argv| !running(argv).is_empty()).then_some(())
        })
        .await;
        let mut out = std::io::stdout();
        writeln!(out, "{READY}").expect("stdout");
        out.flush().expect("flush");
        std::future::pending::<()>().await;
    });
}
