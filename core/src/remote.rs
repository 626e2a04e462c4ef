//! The Kubernetes exec WebSocket, spoken directly: `v5.channel.k8s.io` (or v4) with small buffers, so
//! an idle session costs little memory and output is not copied through intermediate pipes.

use bytes::Bytes;
use futures::{SinkExt as _, StreamExt as _};
use http_body_util::BodyExt as _;
use hyper_util::rt::TokioIo;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Status;
use kube::api::AttachParams;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};

use crate::error::{Error, Result};

type Socket = WebSocketStream<TokioIo<hyper::upgrade::Upgraded>>;

/// The sending half of an exec connection.
pub struct Input {
    sink: futures::stream::SplitSink<Socket, Message>,
    v5: bool,
}

/// What the remote side sent.
#[derive(Debug)]
pub enum Output {
    /// Bytes on stdout.
    Stdout(Bytes),
    /// Bytes on stderr.
    Stderr(Bytes),
    /// The exit status; the last thing sent.
    Status(Box<Status>),
}

/// The receiving half of an exec connection.
pub struct Outputs {
    stream: futures::stream::SplitStream<Socket>,
}

fn frame(channel: u8, data: &[u8]) -> Message {
    let mut bytes = Vec::with_capacity(data.len() + 1);
    bytes.push(channel);
    bytes.extend_from_slice(data);
    Message::Binary(Bytes::from(bytes))
}

impl Input {
    /// Writes bytes to the command's stdin.
    pub async fn stdin(&mut self, data: &[u8]) -> Result<()> {
        self.send(frame(0, data)).await
    }

    /// Sets the terminal size.
    pub async fn resize(&mut self, cols: u16, rows: u16) -> Result<()> {
        let size = serde_json::json!({"Width": cols, "Height": rows}).to_string();
        self.send(frame(4, size.as_bytes())).await
    }

    /// Ends the command's stdin. Only v5 can say so; on v4 nothing is sent.
    pub async fn close_stdin(&mut self) -> Result<()> {
        if self.v5 { self.send(frame(255, &[0])).await } else { Ok(()) }
    }

    /// Closes the connection, which ends the remote process on the embedded cluster and most runtimes.
    pub async fn close(&mut self) {
        let _ = self.sink.close().await;
    }

    async fn send(&mut self, message: Message) -> Result<()> {
        self.sink
            .send(message)
            .await
            .map_err(|e| Error::Unavailable(format!("the exec connection broke: {e}")))
    }
}

impl Outputs {
    /// The next thing the remote side sent; `None` when the connection ended (after the status, or lost).
    pub async fn next(&mut self) -> Option<Output> {
        loop {
            match self.stream.next().await? {
                Ok(Message::Binary(data)) if data.len() > 1 => {
                    let payload = data.slice(1..);
                    match data[0] {
                        1 => return Some(Output::Stdout(payload)),
                        2 => return Some(Output::Stderr(payload)),
                        3 => {
                            return serde_json::from_slice(&payload)
                                .ok()
                                .map(|s| Output::Status(Box::new(s)));
                        }
                        _ => {}
                    }
                }
                Ok(Message::Close(_)) | Err(_) => return None,
                Ok(_) => {}
            }
        }
    }
}

/// Opens an exec connection to a container.
pub async fn open(
    client: &kube::Client,
    namespace: &str,
    pod: &str,
    command: &[String],
    params: &AttachParams,
) -> Result<(Input, Outputs)> {
    let path = format!("/api/v1/namespaces/{namespace}/pods");
    let request = kube::core::Request::new(path)
        .exec(pod, command.to_vec(), params)
        .map_err(|e| Error::invalid("command", e.to_string()))?;
    let (mut parts, body) = request.into_parts();
    let key = tokio_tungstenite::tungstenite::handshake::client::generate_key();
    let headers = &mut parts.headers;
    headers.insert(http::header::CONNECTION, http::HeaderValue::from_static("Upgrade"));
    headers.insert(http::header::UPGRADE, http::HeaderValue::from_static("websocket"));
    headers.insert(http::header::SEC_WEBSOCKET_VERSION, http::HeaderValue::from_static("13"));
    headers.insert(
        http::header::SEC_WEBSOCKET_KEY,
        http::HeaderValue::from_str(&key).map_err(|e| Error::Internal(e.to_string()))?,
    );
    headers.insert(
        http::header::SEC_WEBSOCKET_PROTOCOL,
        http::HeaderValue::from_static("v5.channel.k8s.io, v4.channel.k8s.io"),
    );
    let response = client.send(http::Request::from_parts(parts, kube::client::Body::from(body))).await?;
    if response.status() != http::StatusCode::SWITCHING_PROTOCOLS {
        let code = response.status().as_u16();
        let bytes = response.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
        let status = serde_json::from_slice::<kube::core::Status>(&bytes).unwrap_or_else(|_| {
            kube::core::Status::failure(&String::from_utf8_lossy(&bytes), "UpgradeFailed").with_code(code)
        });
        return Err(match status.code {
            400 => Error::FailedPrecondition(status.message.clone()),
            _ => Error::from(kube::Error::Api(Box::new(status))),
        });
    }
    let protocol = response
        .headers()
        .get(http::header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let v5 = match protocol.as_str() {
        "v5.channel.k8s.io" => true,
        "v4.channel.k8s.io" => false,
        other => {
            return Err(Error::Unavailable(format!(
                "the API server chose an unsupported exec protocol {other:?}"
            )));
        }
    };
    let upgraded = hyper::upgrade::on(response)
        .await
        .map_err(|e| Error::Unavailable(format!("the exec connection could not be upgraded: {e}")))?;
    // Small buffers: an idle session should cost kilobytes, not the 128 KiB read buffer of the defaults.
    let config = WebSocketConfig::default().read_buffer_size(8 * 1024).write_buffer_size(0);
    let socket = WebSocketStream::from_raw_socket(TokioIo::new(upgraded), Role::Client, Some(config)).await;
    let (sink, stream) = socket.split();
    Ok((Input { sink, v5 }, Outputs { stream }))
}
