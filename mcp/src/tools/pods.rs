//! Pods (PodService and ClusterService): create (waiting until it runs), get, list, delete, logs,
//! cleanup of finished pods, and the connection test.

use std::collections::BTreeMap;
use std::time::Duration;

use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::service::RequestContext;
use rmcp::{RoleServer, tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

use kubegate_proto::v1 as pb;

use super::{ClaimMount, Resources, env, seconds};
use crate::server::Kubegate;
use crate::{output, reply, views};

/// The input of create_pod.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePod {
    /// The pod's name: lowercase letters, digits, '-' and '.', at most 253 characters. ALREADY_EXISTS if
    /// taken.
    pub name: String,
    /// The container image, for example "node:20-alpine" or "python:3.12-slim".
    pub image: String,
    /// The namespace. Default: kubegate's configured namespace.
    #[serde(default)]
    pub namespace: String,
    /// The program and its arguments (argv, no shell). Default: the image's entrypoint. To keep a pod
    /// around for exec, use for example ["sleep", "infinity"].
    #[serde(default)]
    pub command: Vec<String>,
    /// Arguments after the command. Default: the image's arguments.
    #[serde(default)]
    pub args: Vec<String>,
    /// Environment variables, NAME to value.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Labels of the pod, for finding it again with list_pods.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// The working directory, an absolute path. Default: the image's.
    #[serde(default)]
    pub working_dir: String,
    /// Shared volumes to mount.
    #[serde(default)]
    pub volume_claims: Vec<ClaimMount>,
    /// Ports the container listens on (TCP), for a Service to send traffic to.
    #[serde(default)]
    #[schemars(inner(range(min = 1)))]
    pub ports: Vec<u16>,
    /// CPU and memory. Default: kubegate's configured defaults.
    #[serde(default)]
    pub resources: Option<Resources>,
    /// What happens when the container exits: "Never" (default), "OnFailure" or "Always".
    #[serde(default)]
    pub restart_policy: Option<RestartPolicy>,
    /// The longest the pod may run, in seconds, before Kubernetes stops it. Default: no limit.
    #[serde(default)]
    pub max_run_seconds: Option<u64>,
    /// How long a finished pod is kept, in seconds, before kubegate deletes it. Default: until cleanup.
    #[serde(default)]
    pub ttl_after_finished_seconds: Option<u64>,
    /// How long to wait for the pod to run (or finish) before answering, 0 to 600 seconds. Default 120;
    /// 0 answers at once with the pod still Pending.
    #[serde(default)]
    #[schemars(range(max = 600))]
    pub wait_seconds: Option<u64>,
}

/// What happens when the container exits.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
pub enum RestartPolicy {
    /// Never restart (the default).
    Never,
    /// Restart after a failure.
    OnFailure,
    /// Always restart.
    Always,
}

/// A pod's phase.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
pub enum Phase {
    /// Accepted, containers not all started yet (pulling images, waiting for a node).
    Pending,
    /// Bound to a node, a container running.
    Running,
    /// Every container ended with 0.
    Succeeded,
    /// Every container ended, one of them with another code.
    Failed,
    /// The node cannot be reached.
    Unknown,
}

impl Phase {
    fn proto(self) -> pb::PodPhase {
        match self {
            Self::Pending => pb::PodPhase::Pending,
            Self::Running => pb::PodPhase::Running,
            Self::Succeeded => pb::PodPhase::Succeeded,
            Self::Failed => pb::PodPhase::Failed,
            Self::Unknown => pb::PodPhase::Unknown,
        }
    }
}

/// A pod to name.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PodRef {
    /// The pod's name.
    pub name: String,
    /// The namespace. Default: kubegate's configured namespace.
    #[serde(default)]
    pub namespace: String,
}

/// The input of list_pods.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListPods {
    /// The namespace. Default: kubegate's configured namespace.
    #[serde(default)]
    pub namespace: String,
    /// A label selector, for example "app=web,tier!=db". Default: every pod.
    #[serde(default)]
    pub label_selector: String,
    /// Only pods in these phases. Default: all.
    #[serde(default)]
    pub phases: Vec<Phase>,
    /// Only pods kubegate created. Default false.
    #[serde(default)]
    pub managed_only: bool,
    /// The most pods to return, 1 to 1000. Default 50.
    #[serde(default)]
    #[schemars(range(min = 1, max = 1000))]
    pub page_size: Option<u16>,
    /// The next_page_token of a previous answer, to continue it.
    #[serde(default)]
    pub page_token: String,
}

/// The input of delete_pod.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeletePod {
    /// The pod's name. NOT_FOUND if there is none.
    pub name: String,
    /// The namespace. Default: kubegate's configured namespace.
    #[serde(default)]
    pub namespace: String,
    /// Seconds the containers get to stop after SIGTERM. Default: the pod's own (30 s); 0 kills at once.
    #[serde(default)]
    pub grace_period_seconds: Option<u32>,
    /// Answer only once the pod is gone. Default false.
    #[serde(default)]
    pub wait: bool,
}

/// The input of pod_logs.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PodLogs {
    /// The pod's name.
    pub name: String,
    /// The namespace. Default: kubegate's configured namespace.
    #[serde(default)]
    pub namespace: String,
    /// The container. Default: "runner", or the pod's only container.
    #[serde(default)]
    pub container: String,
    /// Only the last this many lines. Default 100.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub tail_lines: Option<u32>,
    /// Only lines written in the last this many seconds. Default: no limit.
    #[serde(default)]
    pub since_seconds: Option<u32>,
    /// The log of the previous, crashed run of a restarted container. Default false.
    #[serde(default)]
    pub previous: bool,
    /// Start each line with its RFC 3339 time. Default false.
    #[serde(default)]
    pub timestamps: bool,
}

/// The input of cleanup_pods.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cleanup {
    /// The namespace. Default: kubegate's configured namespace.
    #[serde(default)]
    pub namespace: String,
    /// Finished pods older than this many seconds (since they finished) go. Default 86400 (a day).
    #[serde(default)]
    pub max_age_seconds: Option<u64>,
    /// Keep Failed pods for inspection. Default false.
    #[serde(default)]
    pub keep_failed: bool,
    /// Only list what would be deleted. Default TRUE: call again with dry_run false to delete.
    #[serde(default)]
    pub dry_run: Option<bool>,
}

/// The input of test_connection.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Connection {
    /// The namespace whose permissions are checked. Default: kubegate's configured namespace.
    #[serde(default)]
    pub namespace: String,
}

/// Phases a pod does not leave by itself; create_pod stops waiting there.
fn settled(pod: &pb::Pod) -> bool {
    let phase = pb::PodPhase::try_from(pod.phase).unwrap_or(pb::PodPhase::Unspecified);
    matches!(phase, pb::PodPhase::Running | pb::PodPhase::Succeeded | pb::PodPhase::Failed)
        // A container that cannot start (a bad image) will not get further by waiting.
        || pod.containers.iter().any(|c| c.reason.contains("ImagePull") || c.reason.contains("Err"))
}

#[tool_router(router = pod_tools, vis = "pub(crate)")]
impl Kubegate {
    #[tool(
        description = "Creates a pod with one container and waits (wait_seconds, default 120) until it \
        runs, then returns it (phase, ready, node, ip). Keep it alive for exec with command \
        [\"sleep\", \"infinity\"]. Errors: ALREADY_EXISTS (name taken), INVALID_ARGUMENT (names the bad field), \
        PERMISSION_DENIED (kubegate's policy refuses, e.g. a namespace not allowed).",
        annotations(destructive_hint = false, open_world_hint = false)
    )]
    async fn create_pod(
        &self,
        Parameters(p): Parameters<CreatePod>,
        context: RequestContext<RoleServer>,
    ) -> CallToolResult {
        let wait = Duration::from_secs(p.wait_seconds.unwrap_or(120).min(600));
        let restart = match p.restart_policy {
            None | Some(RestartPolicy::Never) => pb::RestartPolicy::Never,
            Some(RestartPolicy::OnFailure) => pb::RestartPolicy::OnFailure,
            Some(RestartPolicy::Always) => pb::RestartPolicy::Always,
        };
        let spec = pb::PodSpec {
            name: p.name,
            namespace: p.namespace,
            image: p.image,
            command: p.command,
            args: p.args,
            env: env(p.env),
            labels: p.labels.into_iter().collect(),
            working_dir: p.working_dir,
            volume_claims: p.volume_claims.into_iter().map(ClaimMount::proto).collect(),
            resources: p.resources.and_then(Resources::proto),
            ports: p
                .ports
                .into_iter()
                .map(|port| pb::ContainerPort { container_port: i32::from(port), ..Default::default() })
                .collect(),
            restart_policy: restart as i32,
            max_run_duration: seconds(p.max_run_seconds),
            ttl_after_finished: seconds(p.ttl_after_finished_seconds),
            ..Default::default()
        };
        let request = pb::CreatePodRequest { pod: Some(spec), validate_only: false };
        let mut pod = match self.upstream.pods().create_pod(request).await {
            Ok(answer) => answer.into_inner().pod.unwrap_or_default(),
            Err(status) => return reply::status(&status),
        };
        let deadline = tokio::time::Instant::now() + wait;
        while !settled(&pod) && tokio::time::Instant::now() < deadline {
            tokio::select! {
                () = tokio::time::sleep(Duration::from_millis(250)) => {}
                // A cancelled call stops waiting; the pod stays, as created.
                () = context.ct.cancelled() => {
                    return reply::failure(
                        tonic::Code::Cancelled,
                        &format!("the client cancelled the call; pod {:?} was created and is still starting", pod.name),
                    );
                }
            }
            let request = pb::GetPodRequest { namespace: pod.namespace.clone(), name: pod.name.clone() };
            match self.upstream.pods().get_pod(request).await {
                Ok(answer) => pod = answer.into_inner().pod.unwrap_or(pod),
                Err(status) => return reply::status(&status),
            }
        }
        reply::json(&views::pod(&pod), self.limit())
    }

    #[tool(
        description = "Reads one pod: phase, readiness, containers (state, reason, exit code), node, ip, \
        times. Errors: NOT_FOUND.",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn get_pod(&self, Parameters(p): Parameters<PodRef>) -> CallToolResult {
        let request = pb::GetPodRequest { namespace: p.namespace, name: p.name };
        match self.upstream.pods().get_pod(request).await {
            Ok(answer) => {
                reply::json(&views::pod(&answer.into_inner().pod.unwrap_or_default()), self.limit())
            }
            Err(status) => reply::status(&status),
        }
    }

    #[tool(
        description = "Lists pods of a namespace, filtered by labels and phases, 50 at a time by default; \
        continue with next_page_token. Errors: INVALID_ARGUMENT (a bad label selector or page token).",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn list_pods(&self, Parameters(p): Parameters<ListPods>) -> CallToolResult {
        let phases = p.phases.iter().map(|phase| phase.proto() as i32).collect();
        let request = pb::ListPodsRequest {
            namespace: p.namespace,
            label_selector: p.label_selector,
            phases,
            page_size: i32::from(p.page_size.unwrap_or(50)),
            page_token: p.page_token,
            managed_only: p.managed_only,
        };
        match self.upstream.pods().list_pods(request).await {
            Ok(answer) => {
                let answer = answer.into_inner();
                let pods: Vec<_> = answer.pods.iter().map(views::pod).collect();
                let mut body = json!({ "pods": pods });
                if !answer.next_page_token.is_empty() {
                    body["next_page_token"] = json!(answer.next_page_token);
                }
                reply::json(&body, self.limit())
            }
            Err(status) => reply::status(&status),
        }
    }

    #[tool(
        description = "Deletes a pod (its processes get SIGTERM, then SIGKILL after the grace period). \
        Errors: NOT_FOUND, PERMISSION_DENIED (kubegate's own pods cannot be deleted).",
        annotations(destructive_hint = true, idempotent_hint = true, open_world_hint = false)
    )]
    async fn delete_pod(&self, Parameters(p): Parameters<DeletePod>) -> CallToolResult {
        let name = p.name.clone();
        let request = pb::DeletePodRequest {
            namespace: p.namespace,
            name: p.name,
            grace_period_seconds: p.grace_period_seconds.map(i64::from),
            wait: p.wait,
        };
        match self.upstream.pods().delete_pod(request).await {
            Ok(_) => reply::done(format!("pod {name:?} deleted")),
            Err(status) => reply::status(&status),
        }
    }

    #[tool(
        description = "Reads a pod's log: the last 100 lines by default (tail_lines), or those of the last \
        since_seconds. Longer logs are cut in the middle with a marker; read a narrower window to see \
        the rest. Errors: NOT_FOUND, INVALID_ARGUMENT (a container the pod does not have).",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn pod_logs(&self, Parameters(p): Parameters<PodLogs>) -> CallToolResult {
        let request = pb::GetPodLogsRequest {
            namespace: p.namespace,
            name: p.name,
            options: Some(pb::LogOptions {
                container: p.container,
                tail_lines: Some(i64::from(p.tail_lines.unwrap_or(100))),
                since_seconds: p.since_seconds.map(i64::from),
                timestamps: p.timestamps,
                previous: p.previous,
                ..Default::default()
            }),
        };
        match self.upstream.pods().get_pod_logs(request).await {
            Ok(answer) => {
                let content = answer.into_inner().content;
                if content.is_empty() {
                    return reply::done("(the log is empty)".into());
                }
                let text = output::text_of(&content);
                let text = output::cut_middle(
                    &text,
                    self.limit(),
                    "read the rest with pod_logs and a smaller tail_lines, or since_seconds for a recent window",
                );
                reply::done(text.into_owned())
            }
            Err(status) => reply::status(&status),
        }
    }

    #[tool(
        description = "Deletes finished (Succeeded or Failed) pods older than max_age_seconds (default a \
        day). dry_run defaults to TRUE and only lists what would go: call again with dry_run false to \
        delete. Errors: PERMISSION_DENIED (a namespace not allowed).",
        annotations(destructive_hint = true, open_world_hint = false)
    )]
    async fn cleanup_pods(&self, Parameters(p): Parameters<Cleanup>) -> CallToolResult {
        let request = pb::CleanupPodsRequest {
            namespace: p.namespace,
            max_age: seconds(p.max_age_seconds),
            keep_failed: p.keep_failed,
            dry_run: p.dry_run.unwrap_or(true),
        };
        match self.upstream.pods().cleanup_pods(request).await {
            Ok(answer) => reply::json(&views::cleanup(&answer.into_inner()), self.limit()),
            Err(status) => reply::status(&status),
        }
    }

    #[tool(
        description = "Checks kubegate's connection to Kubernetes: whether the API server answers, its \
        version, who kubegate acts as, and which permissions it lacks. A failed check is reported in \
        the result (connected false, problem, error), not as a tool error.",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn test_connection(&self, Parameters(p): Parameters<Connection>) -> CallToolResult {
        let request = pb::TestConnectionRequest { namespace: p.namespace };
        match self.upstream.cluster().test_connection(request).await {
            Ok(answer) => reply::json(&views::connection(&answer.into_inner()), self.limit()),
            Err(status) => reply::status(&status),
        }
    }
}
