//! Serving routes on a listener: every accepted socket without Nagle's delay, request headers within a
//! time limit (a client that sends them slowly, or sends nothing on an idle keep-alive connection, is
//! disconnected instead of holding the connection), TLS when configured (each handshake in the
//! connection's own task and within the same time limit, so a client that never finishes one holds up
//! nobody), and a graceful end.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tokio::net::TcpListener;

/// How long a client may take to send a request's headers, and stay silent between requests.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The next connection on `listener`, without Nagle's delay (a keystroke goes out at once). A failure
/// to accept (out of file descriptors, for example) waits a moment instead of spinning.
pub async fn accept(listener: &TcpListener) -> tokio::net::TcpStream {
    loop {
        match listener.accept().await {
            Ok((socket, _)) => {
                if let Err(e) = socket.set_nodelay(true) {
                    tracing::debug!(error = %e, "cannot turn Nagle's algorithm off on an accepted socket");
                }
                return socket;
            }
            Err(e) => {
                tracing::warn!(error = %e, "accepting a connection failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

/// Serves `app` on `listener` (over TLS with `tls`) until `shutdown` completes, then waits for open
/// connections to finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    tls: Option<tokio_rustls::TlsAcceptor>,
    header_read_timeout: Duration,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(header_read_timeout);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(Duration::from_secs(30)))
        .keep_alive_timeout(Duration::from_secs(20));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let socket = tokio::select! {
            socket = accept(&listener) => socket,
            () = &mut shutdown => break,
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let (builder, watcher, tls) = (builder.clone(), graceful.watcher(), tls.clone());
        tokio::spawn(async move {
            let result = match tls {
                None => {
                    let connection = builder.serve_connection_with_upgrades(TokioIo::new(socket), service);
                    watcher.watch(connection.into_owned()).await
                }
                Some(acceptor) => {
                    let stream =
                        match tokio::time::timeout(header_read_timeout, acceptor.accept(socket)).await {
                            Ok(Ok(stream)) => stream,
                            Ok(Err(e)) => return tracing::debug!(error = %e, "a TLS handshake failed"),
                            Err(_) => return tracing::debug!("a TLS handshake did not finish in time"),
                        };
                    let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
                    watcher.watch(connection.into_owned()).await
                }
            };
            if let Err(e) = result {
                tracing::debug!(error = %e, "a connection ended with an error");
            }
        });
    }
    graceful.shutdown().await;
    Ok(())
}
