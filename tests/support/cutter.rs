//! A TCP relay between kubegate and a real API server that a test can cut: every open connection is
//! closed at once (as a load balancer restart or a network blip would), new ones are relayed again. On the
//! embedded cluster the same cut comes from its fault injection; this is the same fault for any cluster.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio_util::sync::CancellationToken;

/// The relay; it stops when dropped.
pub struct Cutter {
    /// Where kubegate connects instead of the API server.
    pub addr: SocketAddr,
    current: Arc<Mutex<CancellationToken>>,
    held: Arc<AtomicBool>,
    stop: CancellationToken,
}

impl Cutter {
    /// Relays loopback connections to `target` (`host:port`).
    pub async fn start(target: String) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("relay port");
        let addr = listener.local_addr().expect("relay address");
        let current = Arc::new(Mutex::new(CancellationToken::new()));
        let stop = CancellationToken::new();
        let held = Arc::new(AtomicBool::new(false));
        let (generation, stopped, refusing) = (current.clone(), stop.clone(), held.clone());
        tokio::spawn(async move {
            loop {
                let accepted = tokio::select! {
                    () = stopped.cancelled() => return,
                    accepted = listener.accept() => accepted,
                };
                let Ok((mut inbound, _)) = accepted else { continue };
                if refusing.load(Ordering::SeqCst) {
                    continue; // dropped: closed before a byte is relayed
                }
                let cut = generation.lock().map(|t| t.clone()).unwrap_or_default();
                let (target, stopped) = (target.clone(), stopped.clone());
                tokio::spawn(async move {
                    let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await else { return };
                    let _ = inbound.set_nodelay(true);
                    let _ = outbound.set_nodelay(true);
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        () = cut.cancelled() => {}
                        () = stopped.cancelled() => {}
                    }
                });
            }
        });
        Self { addr, current, held, stop }
    }

    /// Closes every connection open now and every later one until [`Cutter::release`]: the API server is
    /// out of reach.
    pub fn hold(&self) {
        self.held.store(true, Ordering::SeqCst);
        self.cut();
    }

    /// Relays new connections again after [`Cutter::hold`].
    pub fn release(&self) {
        self.held.store(false, Ordering::SeqCst);
    }

    /// Closes every connection open now; later ones are relayed.
    pub fn cut(&self) {
        if let Ok(mut token) = self.current.lock() {
            token.cancel();
            *token = CancellationToken::new();
        }
    }
}

impl Drop for Cutter {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}
