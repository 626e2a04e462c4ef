#!/usr/bin/env bash
# Starts the real control plane (kube-apiserver, etcd, kube-controller-manager, kube-scheduler and the kwok
# controller, through kwokctl's binary runtime with the binaries from build.sh) with one simulated node.
# Writes the admin kubeconfig to KUBECONFIG_OUT and prints nothing else on stdout. Stop it with stop.sh.
#
#   start.sh [--node kwok|real|both] [--pods-from-etcd] KUBECONFIG_OUT      (or KUBEGATE_NODE=kwok|real|both)
#     kwok  (default) one simulated node, as always
#     real  one real node instead (node.sh: kubelet + containerd + runc + CNI; root only), kubegate-real-node
#     both  the simulated node and the real one; the real node is tainted kubegate.dev/node=real:NoSchedule,
#           so only pods that tolerate it (and select it) land there
#   --pods-from-etcd: the API server keeps no watch cache for pods (`--watch-cache-sizes=pods#0`), so that a
#     watch of pods resumed from a revision etcd has compacted is answered 410 Expired, as happens after an
#     API server restart; the relist scenario compacts etcd for that (its URL: the file
#     $KWOK_WORKDIR/<name>-etcd-url, written here for every cluster)
# With a real node, kwok manages only nodes annotated kwok.x-k8s.io/node=fake (kwokctl's own nodes are),
# and the apiserver reaches kubelets by InternalIP first, with the admin certificate as its client cert.
#
# kwok is configured so that pods become Running, pods with restartPolicy Never reach Succeeded (a Stage of
# ours beside kwok's defaults), and exec and logs work for the namespace opencode-manager only
# (ClusterExec runs commands on this machine; ClusterLogs serves a fixed CRI log file).
set -euo pipefail
node_kind="${KUBEGATE_NODE:-kwok}"
pods_from_etcd=false
while [ $# -gt 0 ]; do
  case "$1" in
    --node) node_kind="${2:?--node needs kwok, real or both}"; shift 2 ;;
    --node=*) node_kind="${1#--node=}"; shift ;;
    --pods-from-etcd) pods_from_etcd=true; shift ;;
    -*) echo "control-plane: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
kubeconfig="${1:?usage: start.sh [--node kwok|real|both] [--pods-from-etcd] KUBECONFIG_OUT}"
case "$node_kind" in kwok|real|both) ;; *) echo "control-plane: --node must be kwok, real or both" >&2; exit 2 ;; esac
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
  # (a config document rather than --extra-args: kwokctl v0.8.0 mis-indexes --extra-args given for two components)
  pki="$work/clusters/$name/pki"
  echo "---"
  echo "apiVersion: config.kwok.x-k8s.io/v1alpha1"
  echo "kind: KwokctlConfiguration"
  echo "componentsPatches:"
  # (an empty list when neither patch applies)
  [ "$node_kind" = kwok ] && [ "$pods_from_etcd" = false ] && echo "  []"
  if [ "$node_kind" != kwok ]; then
    cat <<EOF
  - name: kwok-controller
    extraArgs:
      - {key: manage-all-nodes, value: "false"}
      - {key: manage-nodes-with-annotation-selector, value: "kwok.x-k8s.io/node=fake"}
EOF
  fi
  apiserver=()
  [ "$pods_from_etcd" = true ] && apiserver+=("watch-cache-sizes=pods#0")
  [ "$node_kind" != kwok ] && apiserver+=(
    "kubelet-preferred-address-types=InternalIP,Hostname,InternalDNS,ExternalDNS,ExternalIP"
    "kubelet-client-certificate=$pki/admin.crt" "kubelet-client-key=$pki/admin.key")
  if [ "${#apiserver[@]}" -gt 0 ]; then
    echo "  - name: kube-apiserver"
    echo "    extraArgs:"
    for arg in "${apiserver[@]}"; do printf '      - {key: %s, value: "%s"}\n' "${arg%%=*}" "${arg#*=}"; done
  fi
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
# etcd's client URL (kwokctl's binary runtime serves it over plain HTTP on a port of its choice).
etcd_port="$(grep -E '^ *etcdPort: *[0-9]+' "$work/clusters/$name/kwok.yaml" | grep -oE '[0-9]+$' | head -1 || true)"
[ -n "$etcd_port" ] || { echo "control-plane: etcd's port is not in $work/clusters/$name/kwok.yaml" >&2; exit 1; }
echo "http://127.0.0.1:$etcd_port" > "$work/$name-etcd-url"
if [ "$node_kind" = kwok ]; then
  "$bin/kwokctl" scale node --name "$name" --replicas 1 >&2
elif [ "$node_kind" = both ]; then
  # The apiserver prefers InternalIP (the real node's name does not resolve); the simulated node's own
  # InternalIP (192.0.2.1, from kwokctl's template) would send its exec and logs nowhere, so it gets
  # 127.0.0.1, where the kwok controller serves them.
  "$bin/kwokctl" scale node --name "$name" --replicas 1 --param '.nodeIPs=["127.0.0.1"]' >&2
fi
if [ "$node_kind" != kwok ]; then
  taint=""
  [ "$node_kind" = both ] && taint="kubegate.dev/node=real:NoSchedule"
  KUBEGATE_CLUSTER_NAME="$name" KWOK_WORKDIR="$work" KUBEGATE_NODE_TAINT="$taint" "$here/node.sh" start "$kubeconfig"
fi
"$bin/kubectl" --kubeconfig "$kubeconfig" wait --for=condition=Ready node --all --timeout=120s >&2
"$bin/kubectl" --kubeconfig "$kubeconfig" create namespace opencode-manager >&2 || true
# Pods are refused until the controller-manager has made the namespace's default ServiceAccount.
for _ in $(seq 1 120); do
  "$bin/kubectl" --kubeconfig "$kubeconfig" -n opencode-manager get serviceaccount default >/dev/null 2>&1 && exit 0
  sleep 0.5
done
echo "control-plane: the default ServiceAccount of opencode-manager did not appear" >&2
exit 1
