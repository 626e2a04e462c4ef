//! Flags for running kubegate as replicas and operating it: leader election, shared settings, metrics,
//! the audit trail and draining.

use std::net::SocketAddr;

use clap::Args;

/// Operating flags of `kubegate serve`.
#[derive(Debug, Args)]
pub struct OperateArgs {
    /// The audit trail: one JSON line per mutating call and per exec start and end, appended to this
    /// file (created 0600) or `-` for stdout. Default: none.
    #[arg(long, env = "KUBEGATE_AUDIT_LOG")]
    pub audit_log: Option<String>,
    /// The size at which the audit log is rotated to FILE.1.
    #[arg(long, env = "KUBEGATE_AUDIT_LOG_MAX_BYTES", default_value_t = 100 * 1024 * 1024)]
    pub audit_log_max_bytes: u64,
    /// Share settings among replicas through this ConfigMap in kubegate's namespace (POD_NAMESPACE, else
    /// --namespace): updates are written with optimistic concurrency and every replica follows them.
    #[arg(long, env = "KUBEGATE_SETTINGS_CONFIGMAP")]
    pub settings_configmap: Option<String>,
    /// How the other replicas reach this one's gRPC, e.g. https://$(POD_IP):50051: exec sessions then
    /// survive a reconnect that lands on another replica (it relays to the owner, listed in the
    /// ConfigMap kubegate-peers). Default: kubegate runs alone.
    #[arg(long, env = "KUBEGATE_ADVERTISE_URL")]
    pub advertise_url: Option<String>,
    /// The CA certificate (PEM) the other replicas' certificates chain to, for relaying.
    #[arg(long, env = "KUBEGATE_PEER_CA")]
    pub peer_ca: Option<std::path::PathBuf>,
    /// The name the other replicas' certificates are verified for when relaying (the Service's name:
    /// replicas are reached at their pod IPs, which the certificate does not name).
    #[arg(long, env = "KUBEGATE_PEER_TLS_NAME")]
    pub peer_tls_name: Option<String>,
    /// Elect a leader among replicas with the Lease `kubegate-leader` in kubegate's own namespace
    /// (POD_NAMESPACE, else --namespace): the time-to-live reaper runs on the leader only.
    #[arg(long, env = "KUBEGATE_LEADER_ELECTION")]
    pub leader_election: bool,
    /// How long a leader's Lease holds without renewal; it is renewed every third of it.
    #[arg(long, env = "KUBEGATE_LEASE_DURATION_SECONDS", default_value_t = 15)]
    pub lease_duration_seconds: u64,
    /// Where `GET /metrics` is served (Prometheus/OpenMetrics text, no token), for example
    /// 127.0.0.1:9464. Default: no metrics.
    #[arg(long, env = "KUBEGATE_METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,
    /// Seconds kubegate keeps serving after SIGINT or SIGTERM while health says NOT_SERVING, so that load
    /// balancers move new calls elsewhere first (deploy/ uses 5; on a workstation 0 stops at once).
    #[arg(long, env = "KUBEGATE_DRAIN_SECONDS", default_value_t = 0)]
    pub drain_seconds: u64,
}
