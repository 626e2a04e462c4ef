#!/usr/bin/env bash
# The end-to-end suite on a real control plane (kube-apiserver, etcd, kube-controller-manager and
# kube-scheduler built from Go modules, cached), on two kinds of node in turn:
#   1. kwok's simulated node: the scenarios that need no process in a pod (`scenario_process_*` are
#      skipped: kwok runs nothing), deploy/ and the Helm chart dry-run server-side, RBAC and Pod Security
#      checked, three replicas with deploy/'s ServiceAccount token, and the scenarios again with that token;
#   2. a real node (a kubelet with containerd, runc and CNI; tests/control-plane/NODE.md): its smoke test,
#      every scenario (with the ones only a real node can answer), and every scenario again with deploy/'s
#      ServiceAccount token only.
# The API server keeps no watch cache for pods on both (start.sh --pods-from-etcd) and KUBEGATE_TEST_ETCD
# names etcd, so that the relist scenario can compact etcd and meet a real 410 Expired.
# Output: the cargo test logs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${KUBEGATE_CACHE:-$HOME/.cache/kubegate}"
work="$cache/e2e"
mkdir -p "$work"
bin="$("$here/build.sh")"
kubectl="$bin/kubectl"
admin="$work/kubeconfig"
restricted="$work/kubeconfig-restricted"

# The workloads' namespace with its Pod Security labels, kubegate's ServiceAccount and its Roles, as
# deploy/ has them.
prepare() {
  k apply -f deploy/kubernetes/namespace.yaml
  k apply -f deploy/kubernetes/serviceaccount.yaml -f deploy/kubernetes/role.yaml \
    -f deploy/kubernetes/rolebinding.yaml -f deploy/kubernetes/role-self.yaml
}
# A kubeconfig for the current cluster with only a token of deploy/'s ServiceAccount, in $restricted.
restricted_kubeconfig() {
  local token server ca
  token="$(k -n kubegate-system create token kubegate --duration=1h)"
  server="$(k config view --raw --minify --flatten -o jsonpath='{.clusters[0].cluster.server}')"
  ca="$(k config view --raw --minify --flatten -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')"
  (
    umask 077
    cat > "$restricted" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: e2e
  cluster:
    server: $server
    certificate-authority-data: $ca
users:
- name: kubegate
  user:
    token: $token
contexts:
- name: kubegate
  context: {cluster: e2e, user: kubegate, namespace: opencode-manager}
current-context: kubegate
KUBECONFIG
  )
}

# The relist scenario compacts etcd (the API server keeps no watch cache for pods, so watches see it).
etcd_url() {
  KUBEGATE_TEST_ETCD="$(cat "${KWOK_WORKDIR:-$cache/kwok-work}/${KUBEGATE_CLUSTER_NAME:-kubegate-e2e}-etcd-url")"
  export KUBEGATE_TEST_ETCD
}

scenarios=(--test scenarios --test scenarios_watch --test scenarios_process --test scenarios_workflows)
k() { "$kubectl" --kubeconfig "$admin" "$@"; }
trap '"$here/stop.sh" || true' EXIT

echo "==> control plane with kwok's simulated node"
"$here/start.sh" --node kwok --pods-from-etcd "$admin"
etcd_url

echo "==> scenarios against kube-apiserver $("$kubectl" --kubeconfig "$admin" version -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["serverVersion"]["gitVersion"])') (administrator)"
cd "$root"
KUBEGATE_TEST_KUBECONFIG="$admin" \
  cargo test "${scenarios[@]}" -- --test-threads=1 --skip scenario_actions_outside_the_role_are_refused \
  --skip scenario_process_

echo "==> deploy/ on the real control plane"
deploy=deploy/kubernetes
# The namespaces for real first: a dry run of a namespaced object needs its namespace to exist.
# opencode-manager (made by start.sh) gets its Pod Security labels here, so the scenarios below run with
# `baseline` enforced on the workloads.
k apply -f "$deploy/namespace.yaml"
# Every object of the kustomization, dry-run. Pod Security answers a Deployment whose pods it would refuse
# with a warning only, so warnings are errors here: kubegate's pod must meet kubegate-system's `restricted`.
k apply --dry-run=server --warnings-as-errors -k "$deploy"
# The Helm chart, with its defaults and with every option on (no ServiceMonitor: its CRD is not installed
# here; tests/python/test_helm.py checks its shape), dry-run the same way.
helm="$("$root/tests/tools/helm.sh")"
"$helm" template kubegate deploy/helm/kubegate --namespace kubegate-system |
  k apply --dry-run=server --warnings-as-errors -f -
"$helm" template kubegate deploy/helm/kubegate --namespace kubegate-system \
  --set ingress.enabled=true,metrics.enabled=true,tls.enabled=false,replicas=3,allowedHosts='{kubegate.internal}' |
  k apply --dry-run=server --warnings-as-errors -f -
prepare

# The binding crosses namespaces: kubegate@kubegate-system may act in opencode-manager, and nowhere else.
sa=system:serviceaccount:kubegate-system:kubegate
expect() { # expect yes|no VERB RESOURCE NAMESPACE
  local got
  got="$(k auth can-i --as="$sa" "$2" "$3" -n "$4" 2>/dev/null || true)"
  [ "$got" = "$1" ] || { echo "e2e: can $sa $2 $3 in $4? $got, expected $1" >&2; exit 1; }
}
expect yes create pods/exec opencode-manager
expect yes watch pods opencode-manager
expect yes create ingresses.networking.k8s.io opencode-manager
expect no get secrets opencode-manager
expect no create pods kubegate-system
expect no get secrets kubegate-system
expect yes update leases.coordination.k8s.io/kubegate-leader kubegate-system
expect no update leases.coordination.k8s.io/another kubegate-system
expect yes watch configmaps/kubegate-settings kubegate-system
expect no get configmaps/kube-root-ca.crt kubegate-system
expect yes update configmaps/kubegate-peers kubegate-system
expect no list pods default
# Pod Security is enforced in opencode-manager: a privileged pod is refused (a dry run).
refused="$(k -n opencode-manager create --dry-run=server -f - 2>&1 <<'POD' || true
apiVersion: v1
kind: Pod
metadata: {name: e2e-privileged}
spec:
  containers:
    - {name: c, image: busybox:1.36, securityContext: {privileged: true}}
POD
)"
case "$refused" in
  *"violates PodSecurity \"baseline"*) echo "a privileged pod in opencode-manager is refused: baseline is enforced" ;;
  *) echo "e2e: a privileged pod in opencode-manager was not refused by Pod Security: $refused" >&2; exit 1 ;;
esac
restricted_kubeconfig

echo "==> three replicas with only deploy/'s ServiceAccount token"
"$here/replicas.sh" "$restricted"

echo "==> scenarios with only deploy/'s ServiceAccount token (kwok)"
KUBEGATE_TEST_KUBECONFIG="$restricted" KUBEGATE_TEST_RESTRICTED_KUBECONFIG="$restricted" \
  KUBEGATE_TEST_ADMIN_KUBECONFIG="$admin" cargo test "${scenarios[@]}" -- --test-threads=1 --skip scenario_process_
"$here/stop.sh"

echo "==> control plane with a real node"
"$here/start.sh" --node real --pods-from-etcd "$admin"
etcd_url
"$here/node-smoke.sh" "$admin"
prepare
restricted_kubeconfig
echo "==> every scenario on the real node (administrator), and a session reattached across replicas"
KUBEGATE_TEST_KUBECONFIG="$admin" \
  cargo test "${scenarios[@]}" --test scenarios_node --test replicas -- --test-threads=1 --include-ignored \
  --skip scenario_actions_outside_the_role_are_refused --skip scenario_rbac_
echo "==> every scenario on the real node with only deploy/'s ServiceAccount token"
KUBEGATE_TEST_KUBECONFIG="$restricted" KUBEGATE_TEST_RESTRICTED_KUBECONFIG="$restricted" \
  KUBEGATE_TEST_ADMIN_KUBECONFIG="$admin" \
  cargo test "${scenarios[@]}" --test scenarios_node -- --test-threads=1 --include-ignored
