//! The pod subresources served from the kubelet: `log` (plain or followed) as a text stream, and `exec`
//! and `attach` over a WebSocket speaking the channel protocol of `api::exec`. (`status` shares the
//! handlers of the object itself, in `api::crud` and `api::patch`.)

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{FromRequestParts as _, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::exec::{self, ExecRequest};
use super::request::{Target, url_pairs};
use crate::cluster::Cluster;
use crate::faults;
use crate::kinds::PODS;
use crate::logs;
use crate::status::{ApiError, ApiResult};

/// The subprotocols exec and attach speak, the preferred first.
const PROTOCOLS: [&str; 2] = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

/// Picks the container a request means: the named one, or the only one.
fn choose_container(pod: &Value, requested: Option<&str>) -> ApiResult<String> {
    let name = pod["metadata"]["name"].as_str().unwrap_or_default();
    let names: Vec<String> = pod["spec"]["containers"]
        .as_array()
        .map(|cs| cs.iter().filter_map(|c| c["name"].as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    match requested.filter(|r| !r.is_empty()) {
        Some(wanted) if names.iter().any(|n| n == wanted) => Ok(wanted.to_string()),
        Some(wanted) => Err(ApiError::bad_request(format!("container {wanted} is not valid for pod {name}"))),
        None if names.len() == 1 => Ok(names[0].clone()),
        None => Err(ApiError::bad_request(format!(
            "a container name must be specified for pod {name}, choose one of: [{}]",
            names.join(" ")
        ))),
    }
}

fn pod(cluster: &Cluster, target: &Target) -> ApiResult<Value> {
    cluster
        .store
        .get(&PODS, &target.namespace, &target.name)
        .ok_or_else(|| ApiError::not_found("pods", "", &target.name))
}

/// `GET pods/{name}/log`.
pub async fn log(cluster: &Cluster, target: &Target, query: &HashMap<String, String>) -> ApiResult<Response> {
    let pod = pod(cluster, target)?;
    let container = choose_container(&pod, query.get("container").map(String::as_str))?;
    let options = logs::Options::from_query(query)?;
    let previous = query.get("previous").is_some_and(|v| v == "true" || v == "1");
    let file = cluster.kubelet.log_file(&target.namespace, &target.name, &container, previous)?;
    let mut cutter = cluster.faults.stream_cutter();
    let receiver = logs::stream(file, options, async move { faults::fired(&mut cutter).await });
    let body = axum::body::Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(receiver));
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, "text/plain")], body).into_response())
}

/// `pods/{name}/exec` and `pods/{name}/attach` over WebSocket.
pub async fn exec(cluster: Arc<Cluster>, target: &Target, request: Request) -> ApiResult<Response> {
    let (mut parts, _body) = request.into_parts();
    let query = parts.uri.query().map(url_pairs).unwrap_or_default();
    let upgrade = WebSocketUpgrade::from_request_parts(&mut parts, &()).await.map_err(|_| {
        ApiError::bad_request(
            "exec and attach need a WebSocket upgrade offering v5.channel.k8s.io or v4.channel.k8s.io \
             (SPDY is not served; with kubectl, leave KUBECTL_REMOTE_COMMAND_WEBSOCKETS unset)",
        )
    })?;
    let attach = target.subresource == "attach";
    let pod = pod(&cluster, target)?;
    let phase = pod["status"]["phase"].as_str().unwrap_or("Pending").to_string();
    if phase == "Succeeded" || phase == "Failed" {
        return Err(ApiError::bad_request(format!(
            "cannot {} a container in a completed pod; current phase is {phase}",
            if attach { "attach to" } else { "exec into" }
        )));
    }
    let single = |key: &str| query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let name = choose_container(&pod, single("container"))?;
    let container = cluster.kubelet.running_container(&target.namespace, &target.name, &name)?;
    let flag = |key: &str| single(key).is_some_and(|v| v == "true" || v == "1");
    let command: Vec<String> = query.iter().filter(|(k, _)| k == "command").map(|(_, v)| v.clone()).collect();
    if !attach && command.is_empty() {
        return Err(ApiError::bad_request("you must specify at least 1 command"));
    }
    let request = ExecRequest {
        command,
        stdin: flag("stdin"),
        stdout: flag("stdout"),
        stderr: flag("stderr"),
        tty: flag("tty"),
        process: container.process_spec().await?,
    };
    let upgrade = upgrade.protocols(PROTOCOLS);
    let Some(protocol) = upgrade.selected_protocol().and_then(|p| p.to_str().ok()).map(str::to_string) else {
        return Err(ApiError::bad_request(
            "exec and attach need the v5.channel.k8s.io or v4.channel.k8s.io WebSocket subprotocol",
        ));
    };
    let v5 = protocol == PROTOCOLS[0];
    let cutter = cluster.faults.stream_cutter();
    if !attach {
        return Ok(upgrade.on_upgrade(move |socket| exec::run(socket, v5, request, cutter)));
    }
    let file = container.latest_log();
    let stdin = container.take_stdin();
    let watched = container.clone();
    let exit: Arc<dyn Fn() -> Option<i32> + Send + Sync> = Arc::new(move || watched.exit_code());
    Ok(upgrade.on_upgrade(move |socket| async move {
        if let Some(stdin) = exec::attach(socket, v5, request, file, stdin, cutter, exit).await {
            container.return_stdin(stdin);
        }
    }))
}
