//! What the terminal's handshake gives away: never the token. A client sending its token as a
//! subprotocol entry gets `kubegate.terminal` (when offered) or no protocol back.

mod fake;

use base64::Engine as _;
use fake::{TOKEN, raw_head, serving};
use kubegate_gateway::ApiToken;

/// The upgrade request for the terminal with `protocols` offered, as written on the wire.
fn upgrade(host: std::net::SocketAddr, query: &str, protocols: &str) -> String {
    let offered =
        if protocols.is_empty() { String::new() } else { format!("\r\nSec-WebSocket-Protocol: {protocols}") };
    format!(
        "GET /ws/kubernetes/exec?{query} HTTP/1.1\r\nHost: {host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\
         Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=={offered}"
    )
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn the_chosen_subprotocol_never_carries_the_token() {
    let (http, terminal) = serving(|config| config.token = Some(ApiToken::new(TOKEN).expect("token"))).await;
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(TOKEN);
    for addr in [http, terminal] {
        for (offered, chosen) in [
            (format!("bearer.{TOKEN}, kubegate.terminal"), Some("kubegate.terminal")),
            (format!("kubegate.terminal, bearer.{TOKEN}"), Some("kubegate.terminal")),
            (
                format!("base64url.bearer.authorization.k8s.io.{encoded}, kubegate.terminal"),
                Some("kubegate.terminal"),
            ),
            (format!("bearer.{TOKEN}"), None),
            (format!("base64url.bearer.authorization.k8s.io.{encoded}"), None),
        ] {
            let (status, headers) = raw_head(addr, &upgrade(addr, "pod=web&namespace=ns", &offered)).await;
            assert_eq!(status, 101, "{offered}: the token is accepted");
            assert_eq!(header(&headers, "sec-websocket-protocol"), chosen, "{offered}");
            for (name, value) in &headers {
                assert!(
                    !value.contains(TOKEN) && !value.contains(&encoded),
                    "{name}: {value} carries the token"
                );
            }
        }
    }
}
