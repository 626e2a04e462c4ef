//! Exec and attach through kube-rs (WebSocket v5) and a bare WebSocket client (v4): output streams,
//! stdin to end of file, terminals and their size, the real exit code in the status, attach to a
//! container's own stdin, and a hundred exec streams at once beside a thousand pods.

mod support;

use std::time::Duration;

use futures::{SinkExt as _, StreamExt as _};
use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kube::api::{AttachParams, ListParams, PostParams};
use support::{NS, pod, wait_phase};
use tokio::io::AsyncReadExt as _;

#[tokio::test]
async fn exec_returns_stdout_stderr_and_the_real_exit_code() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    pods.create(&PostParams::default(), &pod("shell", &[])).await.expect("create");
    wait_phase(&pods, "shell", "Running").await;
    for code in [0, 1, 3] {
        let command = format!("echo out; echo err >&2; exit {code}");
        let mut process = pods
            .exec("shell", ["sh", "-c", command.as_str()], &AttachParams::default().stderr(true))
            .await
            .expect("exec");
        let mut stdout = String::new();
        let mut stderr = String::new();
        let status = process.take_status().expect("status");
        process.stdout().expect("stdout").read_to_string(&mut stdout).await.expect("read");
        process.stderr().expect("stderr").read_to_string(&mut stderr).await.expect("read");
        let status = status.await.expect("status arrives");
        assert_eq!((stdout.as_str(), stderr.as_str()), ("out\n", "err\n"));
        if code == 0 {
            assert_eq!(status.status.as_deref(), Some("Success"));
        } else {
            let cause = status.details.and_then(|d| d.causes).and_then(|c| c.into_iter().next());
            assert_eq!(
                cause.map(|c| (c.reason, c.message)),
                Some((Some("ExitCode".into()), Some(code.to_string())))
            );
            assert_eq!(status.reason.as_deref(), Some("NonZeroExitCode"));
        }
    }
    cluster.shutdown().await;
}

#[tokio::test]
async fn exec_feeds_stdin_until_end_of_file() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    pods.create(&PostParams::default(), &pod("cat", &[])).await.expect("create");
    wait_phase(&pods, "cat", "Running").await;
    let mut process = pods
        .exec("cat", ["sh", "-c", "cat; echo done"], &AttachParams::default().stdin(true).stderr(false))
        .await
        .expect("exec");
    let mut stdin = process.stdin().expect("stdin");
    let status = process.take_status().expect("status");
    let mut stdout = process.stdout().expect("stdout");
    tokio::io::AsyncWriteExt::write_all(&mut stdin, "héllo wörld\n".as_bytes()).await.expect("write");
    // kube-rs's stdin is one half of a simplex pipe: only a shutdown (not a drop) reaches end of file.
    tokio::io::AsyncWriteExt::shutdown(&mut stdin).await.expect("end of stdin");
    let mut output = String::new();
    stdout.read_to_string(&mut output).await.expect("read");
    assert_eq!(output, "héllo wörld\ndone\n");
    assert_eq!(status.await.and_then(|s| s.status).as_deref(), Some("Success"));
    cluster.shutdown().await;
}

#[tokio::test]
async fn exec_on_a_terminal_sees_the_resized_window() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    pods.create(&PostParams::default(), &pod("tty", &[])).await.expect("create");
    wait_phase(&pods, "tty", "Running").await;
    let mut process = pods
        .exec("tty", ["sh", "-c", "read line; stty size"], &AttachParams::interactive_tty())
        .await
        .expect("exec");
    let mut resize = process.terminal_size().expect("resize channel");
    resize.send(kube::api::TerminalSize { width: 101, height: 33 }).await.expect("resize");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut stdin = process.stdin().expect("stdin");
    tokio::io::AsyncWriteExt::write_all(&mut stdin, b"go\n").await.expect("write");
    let mut stdout = process.stdout().expect("stdout");
    let mut output = String::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stdout.read_to_string(&mut output)).await;
    assert!(read.is_ok(), "output ends");
    assert!(output.contains("33 101"), "{output:?}");
    cluster.shutdown().await;
}

#[tokio::test]
async fn exec_into_a_finished_pod_is_a_400() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    pods.create(&PostParams::default(), &pod("done", &["true"])).await.expect("create");
    wait_phase(&pods, "done", "Succeeded").await;
    let Err(error) = pods.exec("done", ["true"], &AttachParams::default()).await else {
        panic!("exec into a finished pod was accepted");
    };
    let text = error.to_string();
    assert!(text.contains("400") || text.contains("completed pod"), "{text}");
    cluster.shutdown().await;
}

#[tokio::test]
async fn attach_connects_to_the_running_process_stdin_and_output() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    let mut p = pod("attached", &["sh", "-c", "read x; echo got $x"]);
    if let Some(spec) = p.spec.as_mut() {
        spec.containers[0].stdin = Some(true);
    }
    pods.create(&PostParams::default(), &p).await.expect("create");
    wait_phase(&pods, "attached", "Running").await;
    let mut process =
        pods.attach("attached", &AttachParams::default().stdin(true).stderr(false)).await.expect("attach");
    let mut stdin = process.stdin().expect("stdin");
    tokio::io::AsyncWriteExt::write_all(&mut stdin, b"hello\n").await.expect("write");
    let mut stdout = process.stdout().expect("stdout");
    let mut output = String::new();
    tokio::time::timeout(Duration::from_secs(10), stdout.read_to_string(&mut output))
        .await
        .expect("ends")
        .expect("read");
    assert_eq!(output, "got hello\n");
    cluster.shutdown().await;
}

#[tokio::test]
async fn exec_speaks_the_v4_channel_protocol_too() {
    use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest as _};
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    pods.create(&PostParams::default(), &pod("v4", &[])).await.expect("create");
    wait_phase(&pods, "v4", "Running").await;

    let kubeconfig = kube::config::Kubeconfig::read_from(cluster.kubeconfig()).expect("kubeconfig");
    let ca = kubeconfig.clusters[0]
        .cluster
        .as_ref()
        .and_then(|c| c.certificate_authority_data.clone())
        .expect("ca");
    let token = kubeconfig.auth_infos[0].auth_info.as_ref().and_then(|a| a.token.clone()).expect("token");
    use base64::Engine as _;
    let pem = base64::engine::general_purpose::STANDARD.decode(ca).expect("base64");
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_pemfile_certs(&pem) {
        roots.add(cert).expect("root");
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("tls")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let tcp = tokio::net::TcpStream::connect(cluster.addr()).await.expect("tcp");
    let name = rustls::pki_types::ServerName::try_from("127.0.0.1").expect("name");
    let tls =
        tokio_rustls::TlsConnector::from(std::sync::Arc::new(config)).connect(name, tcp).await.expect("tls");
    let url = format!(
        "wss://{}/api/v1/namespaces/{NS}/pods/v4/exec?command=sh&command=-c&command=echo+hi%3B+exit+2&stdout=true&stderr=true",
        cluster.addr()
    );
    let mut request = url.into_client_request().expect("request");
    request.headers_mut().insert(
        "Authorization",
        format!("Bearer {}", token.expose_secret_for_tests()).parse().expect("header"),
    );
    request.headers_mut().insert("Sec-WebSocket-Protocol", "v4.channel.k8s.io".parse().expect("header"));
    let (mut socket, response) = tokio_tungstenite::client_async(request, tls).await.expect("upgrade");
    assert_eq!(
        response.headers().get("sec-websocket-protocol").and_then(|v| v.to_str().ok()),
        Some("v4.channel.k8s.io")
    );
    let mut stdout = Vec::new();
    let mut status = None;
    while let Some(Ok(message)) = socket.next().await {
        if let Message::Binary(data) = message {
            match data.first() {
                Some(1) => stdout.extend_from_slice(&data[1..]),
                Some(3) => status = serde_json::from_slice::<serde_json::Value>(&data[1..]).ok(),
                _ => {}
            }
        }
    }
    assert_eq!(stdout, b"hi\n");
    let status = status.expect("a status frame");
    assert_eq!(status["details"]["causes"][0]["message"], "2");
    cluster.shutdown().await;
}

#[tokio::test]
async fn a_thousand_pods_list_and_a_hundred_exec_streams_run_at_once() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    futures::stream::iter(0..1000)
        .for_each_concurrent(32, |i| {
            let pods = pods.clone();
            async move {
                pods.create(&PostParams::default(), &pod(&format!("many-{i}"), &[])).await.expect("create");
            }
        })
        .await;
    let listed = pods.list(&ListParams::default()).await.expect("list");
    assert_eq!(listed.items.len(), 1000);
    wait_phase(&pods, "many-0", "Running").await;
    let results: Vec<String> = futures::stream::iter(0..100)
        .map(|i| {
            let pods = pods.clone();
            async move {
                let command = format!("echo {i}");
                let mut process = pods
                    .exec("many-0", ["sh", "-c", command.as_str()], &AttachParams::default())
                    .await
                    .expect("exec");
                let mut out = String::new();
                process.stdout().expect("stdout").read_to_string(&mut out).await.expect("read");
                out
            }
        })
        .buffer_unordered(100)
        .collect()
        .await;
    let mut numbers: Vec<u32> = results.iter().filter_map(|s| s.trim().parse().ok()).collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (0..100).collect::<Vec<_>>());
    cluster.shutdown().await;
}

fn rustls_pemfile_certs(pem: &[u8]) -> Vec<rustls::pki_types::CertificateDer<'static>> {
    use rustls::pki_types::pem::PemObject as _;
    rustls::pki_types::CertificateDer::pem_slice_iter(pem).filter_map(Result::ok).collect()
}

trait ExposeForTests {
    fn expose_secret_for_tests(&self) -> String;
}

impl ExposeForTests for secrecy::SecretString {
    fn expose_secret_for_tests(&self) -> String {
        use secrecy::ExposeSecret as _;
        self.expose_secret().to_string()
    }
}
