//! TLS from the command line and with real clients: listening beyond loopback needs TLS as well as a
//! token, broken certificate files stop kubegate naming the file (never quoting it), the gateway refuses
//! to send the token in clear over a network, and grpcurl and curl reach the TLS ports with the CA.

mod support;

use std::time::Duration;

use kubegate_gateway::tls::ServerTls;
use kubegate_proto::auth::ApiToken;
use support::tls::{authority, write_leaf};

const TOKEN: &str = "tls-api-token-for-tests-0123456789abcdef";

/// Runs kubegate in a clean environment with `env`; a refusal ends it at once, a server that starts is
/// stopped after three seconds (its exit code is then not 1).
fn run_kubegate(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let home = tempfile::tempdir().expect("home");
    let mut command = support::kubegate_command(args, home.path());
    command.env("KUBECONFIG", home.path().join("no-such-kubeconfig"));
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("kubegate runs");
    let deadline = std::time::Instant::now() + Duration::from_secs(3);
    while std::time::Instant::now() < deadline && child.try_wait().expect("wait").is_none() {
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    child.wait_with_output().expect("output")
}

#[test]
fn listening_beyond_loopback_needs_tls_as_well_as_a_token() {
    let dir = tempfile::tempdir().expect("a directory");
    let ca = authority("kubegate test CA");
    let (cert, key) = write_leaf(&ca, dir.path());
    let token = [("KUBEGATE_API_TOKEN", TOKEN)];
    let public = ["serve", "--no-gateway", "--no-embedded-fallback", "--grpc-addr", "0.0.0.0:0"];

    let refused = run_kubegate(&public, &token);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("without TLS") && stderr.contains("--tls-cert"), "{stderr}");

    // With a certificate it starts (and is still running when stopped); --insecure also lets it start.
    let cert_args = ["--tls-cert", cert.to_str().expect("path"), "--tls-key", key.to_str().expect("path")];
    let secured = run_kubegate(&[&public[..], &cert_args[..]].concat(), &token);
    let log = String::from_utf8_lossy(&secured.stderr);
    assert_ne!(secured.status.code(), Some(1), "{log}");
    assert!(log.contains("gRPC listening on https://0.0.0.0:"), "{log}");
    let insecure = run_kubegate(&[&public[..], &["--insecure"][..]].concat(), &token);
    assert_ne!(insecure.status.code(), Some(1), "{}", String::from_utf8_lossy(&insecure.stderr));

    // A certificate without its key, or a key that is not PEM, stops it with a message naming the file
    // and not its content.
    let alone = run_kubegate(&["serve", "--tls-cert", cert.to_str().expect("path")], &token);
    assert_eq!(alone.status.code(), Some(2), "clap refuses --tls-cert without --tls-key");
    let secret = dir.path().join("not-a-key");
    std::fs::write(&secret, "hunter2-secret-words\n").expect("write");
    let bad = run_kubegate(
        &[
            "serve",
            "--no-embedded-fallback",
            "--tls-cert",
            cert.to_str().expect("path"),
            "--tls-key",
            secret.to_str().expect("path"),
        ],
        &token,
    );
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not-a-key") && !stderr.contains("hunter2"), "{stderr}");
}

#[test]
fn the_gateway_refuses_to_send_the_token_in_clear_over_a_network() {
    let token = [("KUBEGATE_API_TOKEN", TOKEN)];
    let refused = run_kubegate(&["gateway", "--upstream", "http://10.20.30.40:50051"], &token);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("in clear") && stderr.contains("https://"), "{stderr}");
    // A CA for a plain upstream is a mistake, said so.
    let dir = tempfile::tempdir().expect("a directory");
    let ca_path = dir.path().join("ca.pem");
    std::fs::write(&ca_path, authority("CA").pem).expect("write");
    let mixed = run_kubegate(
        &[
            "gateway",
            "--upstream",
            "http://127.0.0.1:50051",
            "--upstream-ca",
            ca_path.to_str().expect("path"),
            "--http-addr",
            "127.0.0.1:0",
            "--terminal-addr",
            "127.0.0.1:0",
        ],
        &token,
    );
    let stderr = String::from_utf8_lossy(&mixed.stderr);
    assert_eq!(mixed.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not https"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grpcurl_and_curl_reach_the_tls_ports_with_the_ca_and_not_in_plain_text() {
    let dir = tempfile::tempdir().expect("a directory");
    let ca = authority("kubegate test CA");
    let (cert, key) = write_leaf(&ca, dir.path());
    let ca_path = dir.path().join("ca.pem");
    std::fs::write(&ca_path, &ca.pem).expect("write the CA");
    let mut options = support::loopback_options(true);
    options.tls = Some(ServerTls::load(&cert, &key).expect("the certificate loads"));
    options.token = Some(ApiToken::new(TOKEN).expect("token"));
    let server = kubegate::server::start(options, support::no_kubernetes().await).await.expect("starts");
    let rest = server.http_addr.expect("rest");
    let curl = support::tool("curl");
    let (curl_ca, bearer) = (ca_path.clone(), format!("Authorization: Bearer {TOKEN}"));
    let url = format!("https://localhost:{}/api/kubernetes/config", rest.port());
    let fetched = tokio::task::spawn_blocking(move || {
        std::process::Command::new(curl)
            .args(["-sS", "--max-time", "5", "--cacert"])
            .arg(curl_ca)
            .args(["-H", &bearer, &url])
            .output()
            .expect("curl runs")
    })
    .await
    .expect("join");
    let body = String::from_utf8_lossy(&fetched.stdout);
    assert!(fetched.status.success(), "{body}{}", String::from_utf8_lossy(&fetched.stderr));
    assert!(body.contains("\"namespace\""), "{body}");
    let target = format!("localhost:{}", server.grpc_addr.port());
    let grpcurl = support::tool("grpcurl");
    let header = format!("authorization: Bearer {TOKEN}");
    let (ca_arg, grpcurl_tls, plain_target) = (ca_path.clone(), grpcurl.clone(), target.clone());
    let header_tls = header.clone();
    let listed = tokio::task::spawn_blocking(move || {
        std::process::Command::new(grpcurl_tls)
            .arg("-cacert")
            .arg(ca_arg)
            .args(["-H", &header_tls, &target, "list"])
            .output()
            .expect("grpcurl runs")
    })
    .await
    .expect("join");
    let out = String::from_utf8_lossy(&listed.stdout);
    assert!(listed.status.success(), "{out}{}", String::from_utf8_lossy(&listed.stderr));
    assert!(out.contains("kubegate.v1.PodService"), "{out}");
    let plain = tokio::task::spawn_blocking(move || {
        std::process::Command::new(grpcurl)
            .args(["-plaintext", "-max-time", "2", "-H", &header, &plain_target, "list"])
            .output()
            .expect("grpcurl runs")
    })
    .await
    .expect("join");
    assert!(!plain.status.success(), "plain text is not served on the TLS port");
    server.shutdown().await.expect("clean shutdown");
}

#[test]
fn the_stdio_mcp_server_takes_the_same_upstream_flags() {
    let dir = tempfile::tempdir().expect("a directory");
    let ca_path = dir.path().join("ca.pem");
    std::fs::write(&ca_path, authority("CA").pem).expect("write");
    let ca = ca_path.to_str().expect("path");
    let mixed = run_kubegate(&["mcp", "--upstream", "http://127.0.0.1:50051", "--upstream-ca", ca], &[]);
    let stderr = String::from_utf8_lossy(&mixed.stderr);
    assert_eq!(mixed.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not https"), "{stderr}");
    let not_pem =
        run_kubegate(&["mcp", "--upstream", "https://127.0.0.1:50051", "--upstream-ca", "/dev/zero"], &[]);
    let stderr = String::from_utf8_lossy(&not_pem.stderr);
    assert_eq!(not_pem.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("/dev/zero"), "a CA that is no certificate is named: {stderr}");
}
