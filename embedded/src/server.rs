//! The listener: TLS on every connection, HTTP/1.1 with upgrades (exec and attach are WebSockets),
//! every request to the API router; at shutdown, no new connection and the end of every open one.

use std::sync::Arc;

use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::api;
use crate::cluster::Cluster;

/// Accepts connections until `token` is cancelled.
pub async fn serve(
    listener: TcpListener,
    tls: Arc<rustls::ServerConfig>,
    cluster: Arc<Cluster>,
    token: CancellationToken,
) {
    let acceptor = tokio_rustls::TlsAcceptor::from(tls);
    let app = axum::Router::new().fallback(api::handle).with_state(cluster);
    loop {
        let (socket, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    tracing::warn!(error = %e, "embedded cluster accept failed");
                    continue;
                }
            },
            () = token.cancelled() => return,
        };
        // Exec and watch frames are small and latency matters more than packet count.
        let _ = socket.set_nodelay(true);
        let acceptor = acceptor.clone();
        let app = app.clone();
        let token = token.clone();
        tokio::spawn(async move {
            // A failed handshake concerns only that client.
            let Ok(stream) = acceptor.accept(socket).await else { return };
            let service = hyper_util::service::TowerToHyperService::new(app);
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            tokio::pin!(connection);
            tokio::select! {
                _ = &mut connection => {}
                () = token.cancelled() => connection.as_mut().graceful_shutdown(),
            }
        });
    }
}
