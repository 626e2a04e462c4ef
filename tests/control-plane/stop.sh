#!/usr/bin/env bash
# Stops and removes the control plane started by start.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${KUBEGATE_CACHE:-$HOME/.cache/kubegate}"
bin="$("$here/build.sh")"
export KWOK_WORKDIR="${KWOK_WORKDIR:-$cache/kwok-work}" PATH="$bin:$PATH"
"$bin/kwokctl" delete cluster --name "${KUBEGATE_CLUSTER_NAME:-kubegate-e2e}" >&2
