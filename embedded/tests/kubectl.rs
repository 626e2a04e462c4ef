//! The embedded cluster through kubectl, the reference client: create from a file, get (table and
//! JSON), logs (plain and followed), exec (exit codes, stdin, a terminal), delete waiting for the
//! DELETED event, services, ingresses, and a real 403 for the restricted user.

mod support;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct Kubectl {
    kubeconfig: PathBuf,
    cache: tempfile::TempDir,
}

impl Kubectl {
    fn new(kubeconfig: &Path) -> Self {
        Self { kubeconfig: kubeconfig.to_path_buf(), cache: tempfile::tempdir().expect("cache dir") }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(support::tool("kubectl"));
        command
            .args(args)
            .arg("--cache-dir")
            .arg(self.cache.path())
            .env("KUBECONFIG", &self.kubeconfig)
            .env("HOME", self.cache.path())
            .env_remove("KUBECTL_REMOTE_COMMAND_WEBSOCKETS");
        command
    }

    async fn run(&self, args: &[&str], stdin: Option<&[u8]>) -> Output {
        let mut command = self.command(args);
        let stdin = stdin.map(<[u8]>::to_vec);
        tokio::task::spawn_blocking(move || {
            command.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
            command.stdout(Stdio::piped()).stderr(Stdio::piped());
            let mut child = command.spawn().expect("kubectl runs");
            if let Some(bytes) = stdin {
                let mut pipe = child.stdin.take().expect("stdin");
                pipe.write_all(&bytes).expect("write stdin");
            }
            child.wait_with_output().expect("kubectl finishes")
        })
        .await
        .expect("join")
    }

    async fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args, None).await;
        assert!(
            output.status.success(),
            "kubectl {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }
}

const POD_YAML: &str = "apiVersion: v1
kind: Pod
metadata:
  name: demo
  labels:
    app: demo
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"for i in 1 2 3 4; do echo line $i; sleep 0.2; done; sleep 3600\"]
";

async fn wait_running(kubectl: &Kubectl, name: &str) {
    support::eventually(10, "the pod to run", || async {
        let phase = kubectl.ok(&["get", "pod", name, "-o", "jsonpath={.status.phase}"]).await;
        (phase == "Running").then_some(())
    })
    .await;
}

#[tokio::test]
async fn kubectl_creates_lists_reads_logs_execs_and_deletes_a_pod() {
    let cluster = support::embedded_cluster().await;
    let kubectl = Kubectl::new(cluster.kubeconfig());
    let manifest = kubectl.cache.path().join("pod.yaml");
    std::fs::write(&manifest, POD_YAML).expect("write manifest");
    let manifest = manifest.to_string_lossy().into_owned();

    let created = kubectl.ok(&["create", "-f", &manifest]).await;
    assert_eq!(created.trim(), "pod/demo created");
    let again = kubectl.run(&["create", "-f", &manifest], None).await;
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("AlreadyExists"), "{again:?}");

    wait_running(&kubectl, "demo").await;
    let table = kubectl.ok(&["get", "pods"]).await;
    let header = table.lines().next().unwrap_or_default();
    assert!(header.starts_with("NAME") && header.contains("READY") && header.contains("STATUS"), "{table}");
    assert!(
        table.lines().any(|l| l.starts_with("demo") && l.contains("1/1") && l.contains("Running")),
        "{table}"
    );

    let json: serde_json::Value =
        serde_json::from_str(&kubectl.ok(&["get", "pod", "demo", "-o", "json"]).await).expect("json");
    assert_eq!(json["metadata"]["labels"]["app"], "demo");
    assert_eq!(json["status"]["containerStatuses"][0]["ready"], true);

    support::eventually(5, "all four lines", || async {
        let logs = kubectl.ok(&["logs", "demo"]).await;
        (logs == "line 1\nline 2\nline 3\nline 4\n").then_some(())
    })
    .await;

    let exit = kubectl.run(&["exec", "demo", "--", "sh", "-c", "echo out; echo err >&2; exit 3"], None).await;
    assert_eq!(exit.status.code(), Some(3));
    assert_eq!(String::from_utf8_lossy(&exit.stdout), "out\n");
    assert!(String::from_utf8_lossy(&exit.stderr).contains("err\n"));

    let echoed =
        kubectl.run(&["exec", "-i", "demo", "--", "sh", "-c", "cat; exit 5"], Some(b"from stdin\n")).await;
    assert_eq!(echoed.status.code(), Some(5));
    assert_eq!(String::from_utf8_lossy(&echoed.stdout), "from stdin\n");

    let deleted = kubectl.ok(&["delete", "pod", "demo", "--grace-period=1"]).await;
    assert_eq!(deleted.trim(), "pod \"demo\" deleted");
    let gone = kubectl.run(&["get", "pod", "demo"], None).await;
    assert!(String::from_utf8_lossy(&gone.stderr).contains("pods \"demo\" not found"), "{gone:?}");
    cluster.shutdown().await;
}

#[tokio::test]
async fn kubectl_follows_logs_with_tail_until_the_container_ends() {
    let cluster = support::embedded_cluster().await;
    let kubectl = Kubectl::new(cluster.kubeconfig());
    let script = "for i in $(seq 1 10); do echo n$i; sleep 0.1; done";
    kubectl.ok(&["run", "counter", "--image=busybox", "--restart=Never", "--", "sh", "-c", script]).await;
    wait_running(&kubectl, "counter").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let followed = tokio::time::timeout(
        std::time::Duration::from_secs(15),
        kubectl.ok(&["logs", "-f", "--tail=1", "counter"]),
    )
    .await
    .expect("the follow ends when the container does");
    let lines: Vec<&str> = followed.lines().collect();
    assert_eq!(lines.last(), Some(&"n10"), "{followed}");
    assert!(lines.len() < 10, "the tail skipped the first lines: {followed}");
    cluster.shutdown().await;
}

#[tokio::test]
async fn kubectl_exec_it_runs_on_a_terminal() {
    let cluster = support::embedded_cluster().await;
    let kubectl = Kubectl::new(cluster.kubeconfig());
    kubectl.ok(&["run", "term", "--image=busybox", "--restart=Never"]).await;
    wait_running(&kubectl, "term").await;
    // `script` gives kubectl a real terminal, so it keeps -t and sends its window size.
    let inner = format!(
        "KUBECONFIG={} kubectl --cache-dir {} exec -it term -- sh -c 'tty >/dev/null && echo on-a-tty; stty size'",
        kubectl.kubeconfig.display(),
        kubectl.cache.path().display()
    );
    let output = tokio::task::spawn_blocking(move || {
        Command::new("script")
            .args(["-qec", &format!("stty cols 91 rows 27; {inner}"), "/dev/null"])
            .stdin(Stdio::null())
            .output()
            .expect("script runs")
    })
    .await
    .expect("join");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("on-a-tty"), "{text}");
    assert!(text.contains("27 91"), "{text}");
    cluster.shutdown().await;
}

#[tokio::test]
async fn kubectl_lists_services_and_ingresses() {
    let cluster = support::embedded_cluster().await;
    let kubectl = Kubectl::new(cluster.kubeconfig());
    let manifest = kubectl.cache.path().join("net.yaml");
    std::fs::write(
        &manifest,
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n---\n\
         apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec:\n  rules:\n  - host: web.example.com\n    http:\n      paths:\n      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}\n",
    )
    .expect("write");
    kubectl.ok(&["create", "-f", &manifest.to_string_lossy()]).await;
    let services = kubectl.ok(&["get", "svc"]).await;
    assert!(
        services.lines().any(|l| l.starts_with("web") && l.contains("ClusterIP") && l.contains("80/TCP")),
        "{services}"
    );
    let ingresses = kubectl.ok(&["get", "ingress"]).await;
    assert!(ingresses.lines().any(|l| l.starts_with("web") && l.contains("web.example.com")), "{ingresses}");
    cluster.shutdown().await;
}

#[tokio::test]
async fn kubectl_with_the_restricted_kubeconfig_gets_a_403() {
    let cluster = support::embedded_cluster().await;
    let kubectl = Kubectl::new(cluster.restricted_kubeconfig());
    kubectl.ok(&["get", "pods"]).await;
    let denied = kubectl.run(&["get", "pods", "-n", "default"], None).await;
    assert!(!denied.status.success());
    let stderr = String::from_utf8_lossy(&denied.stderr);
    assert!(stderr.contains("Forbidden") && stderr.contains("cannot list resource \"pods\""), "{stderr}");
    cluster.shutdown().await;
}
