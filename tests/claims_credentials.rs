//! How kubegate reaches Kubernetes, each way the README claims, with kubegate as its own process in a
//! clean environment against the embedded cluster: a CA found only in the extra bundle
//! (`KUBEGATE_EXTRA_CA_CERTS`, `NODE_EXTRA_CA_CERTS`), a user that is an `exec` credential plugin, and
//! in-cluster credentials read from the service-account paths (in a private mount namespace, so the
//! host's `/var/run/secrets` is never written).

mod claims_support;
mod support;

use std::path::Path;

use claims_support::{Process, serve_command, split_ca, test_connection, token_of, write};
use kubegate_proto::v1::{ConnectionProblem, ListPodsRequest};

/// Starts kubegate with `extra` flags and `env`, waits for its gRPC port, and tests its connection.
async fn connection_of(
    home: &Path,
    extra: &[&str],
    env: &[(&str, &str)],
) -> (kubegate_proto::v1::TestConnectionResponse, Process, std::net::SocketAddr) {
    let grpc = support::free_port();
    let kubegate = Process::spawn(serve_command(grpc, home, extra, env));
    kubegate.wait_for_port(grpc).await;
    (test_connection(grpc).await, kubegate, grpc)
}

async fn list_pods(grpc: std::net::SocketAddr) -> Result<usize, tonic::Status> {
    let mut pods =
        kubegate_proto::v1::pod_service_client::PodServiceClient::new(support::channel(grpc).await);
    let listed =
        tokio::time::timeout(std::time::Duration::from_secs(20), pods.list_pods(ListPodsRequest::default()))
            .await
            .expect("ListPods answers in time")?;
    Ok(listed.into_inner().pods.len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_whose_ca_is_only_in_the_extra_bundle_is_reached_only_with_the_bundle() {
    let cluster = support::embedded_cluster().await;
    let home = tempfile::tempdir().expect("home");
    // The kubeconfig carries no CA: the API server's certificate chains to a CA found nowhere else.
    let (kubeconfig, ca) = split_ca(cluster.kubeconfig());
    let kubeconfig = write(home.path(), "kubeconfig", &kubeconfig);
    let kubeconfig = kubeconfig.to_str().expect("path");
    // A bundle as operators have them: several CAs, the cluster's among them.
    let unrelated = support::tls::authority("some corporate CA").pem;
    let bundle = write(home.path(), "bundle.pem", &format!("{unrelated}{ca}"));
    let wrong_bundle = write(home.path(), "unrelated.pem", &unrelated);
    let bundle = bundle.to_str().expect("path");
    let flags = ["--kubeconfig", kubeconfig];

    let (without, _kubegate, grpc) = connection_of(home.path(), &flags, &[]).await;
    assert!(!without.connected, "no bundle, no trust: {without:?}");
    assert_eq!(without.problem, ConnectionProblem::Tls as i32, "{}", without.error);
    assert!(
        without.error.contains("KUBEGATE_EXTRA_CA_CERTS") && without.error.contains("NODE_EXTRA_CA_CERTS"),
        "the error names the setting to fix: {}",
        without.error
    );
    let refused = list_pods(grpc).await.expect_err("no pods without trust");
    assert_eq!(refused.code(), tonic::Code::Unavailable, "{refused:?}");
    assert!(refused.message().contains("certificate"), "{}", refused.message());

    let (unrelated_only, _kubegate, _) = connection_of(
        home.path(),
        &flags,
        &[("KUBEGATE_EXTRA_CA_CERTS", wrong_bundle.to_str().expect("path"))],
    )
    .await;
    assert!(!unrelated_only.connected, "a bundle without the cluster's CA does not help");
    assert_eq!(unrelated_only.problem, ConnectionProblem::Tls as i32, "{}", unrelated_only.error);

    for variable in ["KUBEGATE_EXTRA_CA_CERTS", "NODE_EXTRA_CA_CERTS"] {
        let (with, kubegate, grpc) = connection_of(home.path(), &flags, &[(variable, bundle)]).await;
        assert!(with.connected, "{variable}: {with:?}\n{}", kubegate.log());
        assert_eq!(with.username, "kubegate-admin", "{variable}");
        assert_eq!(
            with.server_url.trim_end_matches('/'),
            format!("https://{}", cluster.addr()),
            "{variable}"
        );
        assert_eq!(list_pods(grpc).await.expect("pods are listed"), 0, "{variable}");
    }

    // A bundle that holds no certificate stops kubegate at start, naming the variable and the file.
    let not_pem = write(home.path(), "not-a-bundle.pem", "hunter2\n");
    let broken = Process::spawn(serve_command(
        support::free_port(),
        home.path(),
        &flags,
        &[("KUBEGATE_EXTRA_CA_CERTS", not_pem.to_str().expect("path"))],
    ));
    let (code, log) = broken.wait_exit(20).await;
    assert_eq!(code, Some(1), "{log}");
    assert!(log.contains("KUBEGATE_EXTRA_CA_CERTS") && log.contains("not-a-bundle.pem"), "{log}");
    assert!(!log.contains("hunter2"), "the file's content is not quoted: {log}");
    cluster.shutdown().await;
}

/// A kubeconfig of the cluster whose user is the exec credential plugin `plugin` (with `args` and one
/// environment variable), in place of the token.
fn plugin_kubeconfig(admin: &Path, plugin: &Path) -> String {
    let text = std::fs::read_to_string(admin).expect("the kubeconfig reads");
    let token_line =
        text.lines().find(|l| l.trim_start().starts_with("token:")).expect("a token user").to_string();
    let exec = format!(
        "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: {}\n      \
         args: [\"--cluster\", \"embedded\"]\n      env:\n      - name: PLUGIN_GREETING\n        \
         value: hello\n      interactiveMode: Never",
        plugin.display()
    );
    text.replace(&token_line, &exec)
}

/// Writes an executable shell script.
fn script(dir: &Path, name: &str, body: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let path = write(dir, name, &format!("#!/bin/sh\n{body}"));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_that_is_an_exec_credential_plugin_works() {
    let cluster = support::embedded_cluster().await;
    let home = tempfile::tempdir().expect("home");
    // The token exists only in the plugin's output: the kubeconfig has none.
    let token = token_of(cluster.kubeconfig());
    let calls = home.path().join("calls");
    let plugin = script(
        home.path(),
        "credential-plugin",
        &format!(
            "echo \"$1 $2 $PLUGIN_GREETING\" >> '{}'\n\
             printf '{{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\
             \"status\":{{\"token\":\"%s\"}}}}\\n' '{token}'\n",
            calls.display()
        ),
    );
    let kubeconfig = write(home.path(), "kubeconfig", &plugin_kubeconfig(cluster.kubeconfig(), &plugin));
    assert!(!std::fs::read_to_string(&kubeconfig).expect("read").contains(&token));
    let flags = ["--kubeconfig", kubeconfig.to_str().expect("path")];

    let (report, kubegate, grpc) = connection_of(home.path(), &flags, &[]).await;
    assert!(report.connected, "{report:?}\n{}", kubegate.log());
    assert_eq!(report.username, "kubegate-admin", "the plugin's token was sent");
    assert_eq!(list_pods(grpc).await.expect("pods are listed"), 0);
    let called = std::fs::read_to_string(&calls).expect("the plugin ran");
    assert!(
        called.lines().next() == Some("--cluster embedded hello"),
        "the plugin got the kubeconfig's args and env: {called:?}"
    );

    // A plugin that fails makes the kubeconfig unusable: kubegate stops at start, naming the file and
    // passing on the plugin's own words.
    let failing =
        script(home.path(), "failing-plugin", "echo 'plugin says: no credentials here' >&2\nexit 1\n");
    let kubeconfig = write(home.path(), "failing", &plugin_kubeconfig(cluster.kubeconfig(), &failing));
    let flags = ["--kubeconfig", kubeconfig.to_str().expect("path")];
    let (code, log) =
        Process::spawn(serve_command(support::free_port(), home.path(), &flags, &[])).wait_exit(20).await;
    assert_eq!(code, Some(1), "{log}");
    assert!(
        log.contains("cannot use kubeconfig") && log.contains(kubeconfig.to_str().expect("path")),
        "{log}"
    );
    assert!(log.contains("plugin says: no credentials here"), "{log}");
    // What the kubeconfig gives the plugin (its env) is not repeated: it may be a credential.
    assert!(!log.contains("PLUGIN_GREETING") && !log.contains("hello"), "{log}");
    cluster.shutdown().await;
}

/// The service-account directory of a pod, as kube-rs reads it.
const SERVICE_ACCOUNT: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// Runs `serve` in a private mount namespace where `dir` is mounted at the service-account path (on a
/// tmpfs laid over `/var/run/secrets`, or over `/var/run` when that does not exist, so that nothing is
/// created on the host) and a tmpfs hides `/workspace` (where the default kubeconfig would be).
fn in_cluster_command(grpc: std::net::SocketAddr, home: &Path, dir: &Path, env: &[(&str, &str)]) -> Process {
    const MOUNTS: &str = r#"set -eu
target=/var/run/secrets/kubernetes.io/serviceaccount
if [ ! -d "$target" ]; then
  base=/var/run/secrets
  [ -d "$base" ] || base=$(realpath /var/run)
  mount -t tmpfs kubegate-test "$base"
  mkdir -p "$target"
fi
mount --bind "$0" "$target"
if [ -d /workspace ]; then mount -t tmpfs kubegate-test /workspace; fi
exec "$@"
"#;
    let inner = serve_command(grpc, home, &[], env);
    let mut command = std::process::Command::new(support::tool("unshare"));
    command.args(["--mount", "--propagation", "private", "sh", "-c", MOUNTS]).arg(dir);
    command.arg(inner.get_program()).args(inner.get_args());
    // The inner command's environment is a clean one (set whole, see `support::hermetic`): the same here.
    command.env_clear();
    for (name, value) in inner.get_envs() {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    Process::spawn(command)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_cluster_credentials_come_from_the_service_account_files_and_the_service_host() {
    let host_had_token = Path::new(SERVICE_ACCOUNT).join("token").exists();
    let cluster = support::embedded_cluster().await;
    let home = tempfile::tempdir().expect("home");
    let account = home.path().join("serviceaccount");
    std::fs::create_dir(&account).expect("dir");
    // The restricted user is the ServiceAccount opencode-manager of the original's Role.
    write(&account, "token", &token_of(cluster.restricted_kubeconfig()));
    write(&account, "ca.crt", &split_ca(cluster.kubeconfig()).1);
    write(&account, "namespace", "opencode-manager");
    let port = cluster.addr().port().to_string();
    let service = [("KUBERNETES_SERVICE_HOST", "127.0.0.1"), ("KUBERNETES_SERVICE_PORT", port.as_str())];

    let grpc = support::free_port();
    let kubegate = in_cluster_command(grpc, home.path(), &account, &service);
    kubegate.wait_for_port(grpc).await;
    let report = test_connection(grpc).await;
    assert!(report.connected, "{report:?}\n{}", kubegate.log());
    assert_eq!(report.username, "system:serviceaccount:opencode-manager:opencode-manager");
    assert_eq!(report.server_url.trim_end_matches('/'), format!("https://127.0.0.1:{port}"));
    assert_eq!(list_pods(grpc).await.expect("the Role may list pods"), 0);
    drop(kubegate);

    // Another token in the file: the API server refuses it, so the file is what is sent.
    write(&account, "token", "not-the-service-account-token");
    let grpc = support::free_port();
    let kubegate = in_cluster_command(grpc, home.path(), &account, &service);
    kubegate.wait_for_port(grpc).await;
    let report = test_connection(grpc).await;
    assert!(!report.connected, "{report:?}");
    assert_eq!(report.problem, ConnectionProblem::Unauthenticated as i32, "{}", report.error);
    drop(kubegate);

    // Without KUBERNETES_SERVICE_HOST kubegate is not in a cluster: nothing is configured.
    let grpc = support::free_port();
    let kubegate = in_cluster_command(grpc, home.path(), &account, &[]);
    kubegate.wait_for_port(grpc).await;
    let report = test_connection(grpc).await;
    assert!(!report.connected, "{report:?}");
    assert!(report.error.contains("not running in a cluster"), "{}", report.error);
    drop(kubegate);

    assert_eq!(
        Path::new(SERVICE_ACCOUNT).join("token").exists(),
        host_had_token,
        "the host's service-account directory is untouched"
    );
    cluster.shutdown().await;
}
