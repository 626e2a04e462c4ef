//! Workflows (WorkflowService): a test run at a commit, streamed as MCP progress; image matching; preview
//! environments.

use std::collections::BTreeMap;

use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, ProgressNotificationParam, ProgressToken};
use rmcp::service::RequestContext;
use rmcp::{Peer, RoleServer, tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

use kubegate_proto::v1 as pb;
use pb::stream_test_run_response::Event;

use super::{ClaimMount, Resources, env, seconds};
use crate::server::Kubegate;
use crate::{output, reply, views};

/// The input of run_tests.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunTests {
    /// The PersistentVolumeClaim (shared volume) holding the repository, for example "workspace".
    pub claim: String,
    /// The repository's directory inside the claim, relative, for example "repos/myapp".
    pub path: String,
    /// The commit to test: 7 to 40 hexadecimal characters.
    #[schemars(regex(pattern = r"^[0-9a-fA-F]{7,40}$"))]
    pub commit: String,
    /// The command, run by /bin/sh -c in the checked-out tree, for example "npm ci && npm test".
    /// COMMIT_SHA and REPO_PATH are set.
    pub command: String,
    /// The image. Default: the one matched from the project's version files at that commit (see
    /// match_image).
    #[serde(default)]
    pub image: String,
    /// The namespace. Default: kubegate's configured namespace.
    #[serde(default)]
    pub namespace: String,
    /// The test pod's name. Default: "test-<commit>-<random>".
    #[serde(default)]
    pub name: String,
    /// Extra environment variables, NAME to value.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// How long the run may take, in seconds, before the pod is terminated (outcome TIMED_OUT). Default
    /// 1800.
    #[serde(default)]
    pub timeout_seconds: Option<u64>,
    /// How many lines of the log's end the result holds. Default 50.
    #[serde(default)]
    pub log_tail_lines: Option<u16>,
    /// CPU and memory. Default: kubegate's configured defaults.
    #[serde(default)]
    pub resources: Option<Resources>,
}

/// The input of match_image.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchImage {
    /// The PersistentVolumeClaim holding the project, for example "workspace".
    pub claim: String,
    /// The project's directory inside the claim, relative, for example "repos/myapp".
    pub path: String,
    /// Read the version files at this commit (the project must be a git repository). Default: the files
    /// as they are.
    #[serde(default)]
    pub commit: String,
}

/// The input of create_preview.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePreview {
    /// The preview's name, a DNS label (lowercase letters, digits, '-'); its pod, Service and Ingress are
    /// named after it.
    pub name: String,
    /// The image, for example "node:20-alpine".
    pub image: String,
    /// The port the app listens on inside the pod, 1 to 65535.
    #[schemars(range(min = 1))]
    pub port: u16,
    /// The namespace. Default: kubegate's configured namespace.
    #[serde(default)]
    pub namespace: String,
    /// The program and its arguments. Default: the image's entrypoint.
    #[serde(default)]
    pub command: Vec<String>,
    /// Arguments after the command.
    #[serde(default)]
    pub args: Vec<String>,
    /// Environment variables, NAME to value.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// The host name. Default: kubegate's pattern, for example "preview-<name>.<domain>".
    #[serde(default)]
    pub host: String,
    /// The URL path prefix. Default "/".
    #[serde(default)]
    pub path: String,
    /// Set the proxy up for WebSockets (long timeouts, HTTP/1.1 upgrade). Default false.
    #[serde(default)]
    pub websocket: bool,
    /// Shared volumes to mount (for example the workspace holding the build).
    #[serde(default)]
    pub volume_claims: Vec<ClaimMount>,
    /// The working directory, an absolute path.
    #[serde(default)]
    pub working_dir: String,
    /// CPU and memory. Default: kubegate's configured defaults.
    #[serde(default)]
    pub resources: Option<Resources>,
}

/// A preview to name.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRef {
    /// The preview's name.
    pub name: String,
    /// The namespace. Default: kubegate's configured namespace.
    #[serde(default)]
    pub namespace: String,
}

/// The input of list_previews.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListPreviews {
    /// The namespace. Default: kubegate's configured namespace.
    #[serde(default)]
    pub namespace: String,
}

/// The most output lines sent as progress notifications in one run; the result has the log's tail.
const MAX_OUTPUT_NOTIFICATIONS: u32 = 500;
/// The longest progress message, in bytes.
const MAX_MESSAGE: usize = 1000;

/// Progress notifications of one call, when its client asked for them (with a progress token).
struct Progress {
    peer: Peer<RoleServer>,
    token: Option<ProgressToken>,
    step: f64,
    lines: u32,
}

impl Progress {
    fn new(context: &RequestContext<RoleServer>) -> Self {
        Self { peer: context.peer.clone(), token: context.meta.get_progress_token(), step: 0.0, lines: 0 }
    }

    async fn say(&mut self, message: &str) {
        let Some(token) = &self.token else { return };
        self.step += 1.0;
        let mut end = message.len().min(MAX_MESSAGE);
        while !message.is_char_boundary(end) {
            end -= 1;
        }
        let param = ProgressNotificationParam::new(token.clone(), self.step).with_message(&message[..end]);
        if let Err(e) = self.peer.notify_progress(param).await {
            tracing::debug!(error = %e, "a progress notification could not be sent");
        }
    }

    async fn output(&mut self, data: &[u8]) {
        for line in output::text_of(data).lines() {
            self.lines += 1;
            if self.lines == MAX_OUTPUT_NOTIFICATIONS + 1 {
                self.say("output: (further lines are not sent as progress; the result holds the log's tail)")
                    .await;
            }
            if self.lines <= MAX_OUTPUT_NOTIFICATIONS {
                self.say(&format!("output: {line}")).await;
            }
        }
    }
}

/// The name of a test pod for `commit`, so a cancelled run's pod can be found and deleted.
fn test_pod_name(commit: &str) -> String {
    let commit = commit.trim().to_ascii_lowercase();
    let short: String = commit.chars().take(8).collect();
    let suffix: String = uuid::Uuid::new_v4().simple().to_string().chars().take(6).collect();
    if !short.is_empty() && short.bytes().all(|b| b.is_ascii_hexdigit()) {
        format!("test-{short}-{suffix}")
    } else {
        // The service refuses such a commit; the name only has to be valid until then.
        format!("test-{suffix}")
    }
}

#[tool_router(router = workflow_tools, vis = "pub(crate)")]
impl Kubegate {
    #[tool(
        description = "Runs a command at a commit of a git repository on a shared volume, in a fresh pod, \
        and waits for it: outcome (PASSED, TESTS_FAILED, UNKNOWN_COMMIT, CHECKOUT_FAILED, \
        IMAGE_UNAVAILABLE, NEVER_STARTED, TIMED_OUT), exit_code, message, duration and the log's tail. \
        Sends progress notifications while it runs (scheduled, running, each output line, finished) when \
        the call carries a progress token. The pod is kept for inspection (pod_logs) until cleanup; \
        cancelling the call deletes it. Errors: INVALID_ARGUMENT (a bad commit or path), NOT_FOUND (no \
        such claim), RESOURCE_EXHAUSTED (too many runs at once: wait and retry).",
        annotations(destructive_hint = false, open_world_hint = false)
    )]
    async fn run_tests(
        &self,
        Parameters(p): Parameters<RunTests>,
        context: RequestContext<RoleServer>,
    ) -> CallToolResult {
        let name = if p.name.is_empty() { test_pod_name(&p.commit) } else { p.name };
        let namespace = p.namespace;
        let run = pb::RunTestsRequest {
            namespace: namespace.clone(),
            name: name.clone(),
            repository: Some(pb::ProjectLocation { claim_name: p.claim, path: p.path }),
            commit: p.commit,
            command: p.command,
            image: p.image,
            env: env(p.env),
            resources: p.resources.and_then(Resources::proto),
            timeout: seconds(p.timeout_seconds),
            log_tail_lines: i32::from(p.log_tail_lines.unwrap_or(50)),
            ..Default::default()
        };
        let mut progress = Progress::new(&context);
        let mut client = self.upstream.workflows();
        let request = pb::StreamTestRunRequest { run: Some(run) };
        let started = tokio::select! {
            started = client.stream_test_run(request) => started,
            () = context.ct.cancelled() => return self.stop_run(&namespace, &name).await,
        };
        let mut events = match started {
            Ok(answer) => answer.into_inner(),
            Err(status) => return reply::status(&status),
        };
        loop {
            let next = tokio::select! {
                next = events.message() => next,
                () = context.ct.cancelled() => {
                    drop(events);
                    return self.stop_run(&namespace, &name).await;
                }
            };
            match next.map(|e| e.and_then(|e| e.event)) {
                Ok(Some(Event::Scheduled(s))) => {
                    let message = format!(
                        "scheduled: pod {} on node {} with image {}",
                        s.pod_name, s.node_name, s.image
                    );
                    progress.say(&message).await;
                }
                Ok(Some(Event::Running(_))) => progress.say("running").await,
                Ok(Some(Event::Output(data))) => progress.output(&data).await,
                Ok(Some(Event::Finished(result))) => {
                    let outcome = pb::TestRunOutcome::try_from(result.outcome)
                        .unwrap_or(pb::TestRunOutcome::Unspecified);
                    let outcome = views::short(outcome.as_str_name(), "TEST_RUN_OUTCOME_");
                    let code = result.exit_code.map(|c| format!(", exit code {c}")).unwrap_or_default();
                    progress.say(&format!("finished: {outcome}{code}")).await;
                    let tail = output::cut_middle(
                        &result.log_tail,
                        self.limit(),
                        "read the log with pod_logs (tail_lines, since_seconds)",
                    );
                    return reply::json(&views::test_result(&result, &tail), 2 * self.limit());
                }
                Ok(None) => {
                    return reply::failure(tonic::Code::Unavailable, "the test run ended without a result");
                }
                Err(status) => return reply::status(&status),
            }
        }
    }

    #[tool(
        description = "Reads a project's version files (.nvmrc, .python-version, go.mod, package.json \
        engines, .tool-versions, ...) and proposes an exact image for its runtime, with the findings, \
        conflicts between files and files that could not be read. Errors: NOT_FOUND (no such claim or \
        path), INVALID_ARGUMENT (a bad path or commit).",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn match_image(&self, Parameters(p): Parameters<MatchImage>) -> CallToolResult {
        let request = pb::MatchImageRequest {
            project: Some(pb::ProjectLocation { claim_name: p.claim, path: p.path }),
            commit: p.commit,
        };
        match self.upstream.workflows().match_image(request).await {
            Ok(answer) => reply::json(&views::image_match(&answer.into_inner()), self.limit()),
            Err(status) => reply::status(&status),
        }
    }

    #[tool(
        description = "Starts an app for people to look at: a pod, a Service and an Ingress, all or \
        nothing. Returns the preview's url. Errors: ALREADY_EXISTS (name taken), INVALID_ARGUMENT (names \
        the bad field), PERMISSION_DENIED (kubegate's policy).",
        annotations(destructive_hint = false, open_world_hint = false)
    )]
    async fn create_preview(&self, Parameters(p): Parameters<CreatePreview>) -> CallToolResult {
        let request = pb::CreatePreviewRequest {
            namespace: p.namespace,
            name: p.name,
            image: p.image,
            command: p.command,
            args: p.args,
            env: env(p.env),
            port: i32::from(p.port),
            host: p.host,
            path: p.path,
            websocket: p.websocket,
            volume_claims: p.volume_claims.into_iter().map(ClaimMount::proto).collect(),
            resources: p.resources.and_then(Resources::proto),
            working_dir: p.working_dir,
            ..Default::default()
        };
        match self.upstream.workflows().create_preview(request).await {
            Ok(answer) => {
                reply::json(&views::preview(&answer.into_inner().preview.unwrap_or_default()), self.limit())
            }
            Err(status) => reply::status(&status),
        }
    }

    #[tool(
        description = "Reads a preview: its url, host, Service, Ingress and pod (phase, readiness). Errors: NOT_FOUND.",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn get_preview(&self, Parameters(p): Parameters<PreviewRef>) -> CallToolResult {
        let request = pb::GetPreviewRequest { namespace: p.namespace, name: p.name };
        match self.upstream.workflows().get_preview(request).await {
            Ok(answer) => {
                reply::json(&views::preview(&answer.into_inner().preview.unwrap_or_default()), self.limit())
            }
            Err(status) => reply::status(&status),
        }
    }

    #[tool(
        description = "Lists the previews of a namespace with their urls and pods. Errors: PERMISSION_DENIED (a namespace not allowed).",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn list_previews(&self, Parameters(p): Parameters<ListPreviews>) -> CallToolResult {
        let request = pb::ListPreviewsRequest { namespace: p.namespace };
        match self.upstream.workflows().list_previews(request).await {
            Ok(answer) => {
                let previews: Vec<_> = answer.into_inner().previews.iter().map(views::preview).collect();
                reply::json(&json!({ "previews": previews }), self.limit())
            }
            Err(status) => reply::status(&status),
        }
    }

    #[tool(
        description = "Deletes a preview: its Ingress, Service and pod. Errors: NOT_FOUND.",
        annotations(destructive_hint = true, idempotent_hint = true, open_world_hint = false)
    )]
    async fn delete_preview(&self, Parameters(p): Parameters<PreviewRef>) -> CallToolResult {
        let name = p.name.clone();
        let request = pb::DeletePreviewRequest { namespace: p.namespace, name: p.name };
        match self.upstream.workflows().delete_preview(request).await {
            Ok(_) => reply::done(format!("preview {name:?} deleted")),
            Err(status) => reply::status(&status),
        }
    }
}

impl Kubegate {
    /// Ends a run whose client cancelled: the stream is gone, and its pod is deleted at once.
    async fn stop_run(&self, namespace: &str, name: &str) -> CallToolResult {
        let request = pb::DeletePodRequest {
            namespace: namespace.to_string(),
            name: name.to_string(),
            grace_period_seconds: Some(0),
            wait: false,
        };
        let outcome = match self.upstream.pods().delete_pod(request).await {
            Ok(_) => format!("its pod {name:?} was deleted"),
            // Cancelled before the pod existed: nothing to delete.
            Err(status) if status.code() == tonic::Code::NotFound => "no pod had been created".to_string(),
            Err(status) => format!("its pod {name:?} could not be deleted ({})", status.message()),
        };
        tracing::info!(pod = %name, "test run cancelled by the MCP client");
        reply::failure(tonic::Code::Cancelled, &format!("the client cancelled the test run; {outcome}"))
    }
}
