#!/usr/bin/env bash
# The end-to-end suite on a real control plane: builds it if needed (cached), starts it, runs the
# scenario suite (tests/scenarios.rs) against it with administrator credentials, proves deploy/ on it
# (server-side dry run of the kustomization, then the Role applied and the scenarios run again with a
# token of deploy/'s ServiceAccount only), and stops it. Output: the cargo test logs.
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

"$here/start.sh" "$admin"
trap '"$here/stop.sh" || true' EXIT

echo "==> scenarios against kube-apiserver $("$kubectl" --kubeconfig "$admin" version -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["serverVersion"]["gitVersion"])') (administrator)"
cd "$root"
KUBEGATE_TEST_KUBECONFIG="$admin" \
  cargo test --test scenarios -- --test-threads=1 --skip scenario_actions_outside_the_role_are_refused

echo "==> deploy/ on the real control plane"
"$kubectl" --kubeconfig "$admin" apply --dry-run=server -k deploy/kubernetes
"$kubectl" --kubeconfig "$admin" apply -f deploy/kubernetes/serviceaccount.yaml -f deploy/kubernetes/role.yaml \
  -f deploy/kubernetes/rolebinding.yaml -n opencode-manager
token="$("$kubectl" --kubeconfig "$admin" -n opencode-manager create token kubegate --duration=1h)"
server="$("$kubectl" --kubeconfig "$admin" config view --raw --minify --flatten -o jsonpath='{.clusters[0].cluster.server}')"
ca="$("$kubectl" --kubeconfig "$admin" config view --raw --minify --flatten -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')"
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

echo "==> scenarios with only deploy/'s ServiceAccount token"
KUBEGATE_TEST_KUBECONFIG="$restricted" KUBEGATE_TEST_RESTRICTED_KUBECONFIG="$restricted" \
  cargo test --test scenarios -- --test-threads=1
