#!/usr/bin/env bash
# Stops and removes the control plane started by start.sh, and the real node first when there is one
# (node.sh stop: kubelet, kube-proxy, containerd, the pods' mounts, network namespaces and rules).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${KUBEGATE_CACHE:-$HOME/.cache/kubegate}"
bin="$("$here/build.sh")"
export KWOK_WORKDIR="${KWOK_WORKDIR:-$cache/kwok-work}" PATH="$bin:$PATH"
node_run="${KUBEGATE_NODE_RUN:-/run/kubegate-node}"
if [ -d "$node_run" ] && [ -n "$(ls -A "$node_run" 2>/dev/null)" ]; then
  "$here/node.sh" stop
fi
"$bin/kwokctl" delete cluster --name "${KUBEGATE_CLUSTER_NAME:-kubegate-e2e}" >&2
