#!/usr/bin/env bash
# Starts the real control plane (kube-apiserver, etcd, kube-controller-manager, kube-scheduler and the kwok
# controller, through kwokctl's binary runtime with the binaries from build.sh) with one simulated node.
# Writes the admin kubeconfig to $1 and prints nothing else on stdout. Stop it with stop.sh.
#
# kwok is configured so that pods become Running, pods with restartPolicy Never reach Succeeded (a Stage of
# ours beside kwok's defaults), and exec and logs work for the namespace opencode-manager only
# (ClusterExec runs commands on this machine; ClusterLogs serves a fixed CRI log file).
set -euo pipefail
kubeconfig="${1:?usage: start.sh KUBECONFIG_OUT}"
here="$(cd "$(dirname "$0")" && pwd)"
cache="${KUBEGATE_CACHE:-$HOME/.cache/kubegate}"
bin="$("$here/build.sh")"
name="${KUBEGATE_CLUSTER_NAME:-kubegate-e2e}"
work="${KWOK_WORKDIR:-$cache/kwok-work}"
export KWOK_WORKDIR="$work" PATH="$bin:$PATH"
export GOMODCACHE="${GOMODCACHE:-$cache/go/mod}"
kwok_version="$("$bin/kwokctl" --version 2>/dev/null | grep -oE 'v[0-9]+\.[0-9]+\.[0-9]+' | head -1)"
stages="$GOMODCACHE/sigs.k8s.io/kwok@${kwok_version:-v0.8.0}/kustomize/stage"
[ -d "$stages" ] || { echo "control-plane: kwok's stages not found at $stages" >&2; exit 1; }

mkdir -p "$work"
config="$work/$name-config.yaml"
logs="$work/$name-container.log"
# The log every simulated container has (CRI format, as the kubelet writes it).
printf '%s stdout F kubegate-e2e log line 1\n%s stdout F kubegate-e2e log line 2\n' \
  "2026-01-01T00:00:00.000000000Z" "2026-01-01T00:00:01.000000000Z" > "$logs"
{
  for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
           pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    [ -f "$stages/$f" ] || { echo "control-plane: missing stage $f" >&2; exit 1; }
    cat "$stages/$f"; echo "---"
  done
  sed "s|LOGS_FILE|$logs|" "$here/kwok-extra.yaml"
} > "$config"

"$bin/kwokctl" delete cluster --name "$name" >/dev/null 2>&1 || true
"$bin/kwokctl" create cluster --name "$name" --runtime binary \
  --kube-apiserver-binary "$bin/kube-apiserver" \
  --kube-controller-manager-binary "$bin/kube-controller-manager" \
  --kube-scheduler-binary "$bin/kube-scheduler" \
  --kwok-controller-binary "$bin/kwok" \
  --etcd-binary "$bin/etcd" \
  --config "$config" \
  --kubeconfig "$kubeconfig" \
  --wait 5m >&2
"$bin/kwokctl" scale node --name "$name" --replicas 1 >&2
"$bin/kubectl" --kubeconfig "$kubeconfig" wait --for=condition=Ready node --all --timeout=120s >&2
"$bin/kubectl" --kubeconfig "$kubeconfig" create namespace opencode-manager >&2 || true
# Pods are refused until the controller-manager has made the namespace's default ServiceAccount.
for _ in $(seq 1 120); do
  "$bin/kubectl" --kubeconfig "$kubeconfig" -n opencode-manager get serviceaccount default >/dev/null 2>&1 && exit 0
  sleep 0.5
done
echo "control-plane: the default ServiceAccount of opencode-manager did not appear" >&2
exit 1
