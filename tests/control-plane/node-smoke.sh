#!/usr/bin/env bash
# Smoke test of the real node (start.sh --node real|both, or node.sh start): pods really run.
#   node-smoke.sh KUBECONFIG
# Checks, each on kubegate-real-node, in a namespace of its own that is deleted afterwards:
#   1. a busybox pod runs `echo hello`; `kubectl logs` shows hello
#   2. `kubectl exec` of `sh -c 'exit 3'` exits 3
#   3. `kubectl exec -i` passes stdin through
#   4. a pod of the git image runs `git --version`
#   5. a Service (ClusterIP, through kube-proxy) reaches a pod serving HTTP
#   6. a pod writes a file on a hostPath volume, and the file is on this machine
# Exits non-zero at the first failure, saying which.
set -euo pipefail
kubeconfig="${1:?usage: node-smoke.sh KUBECONFIG}"
here="$(cd "$(dirname "$0")" && pwd)"
bin="$("$here/build.sh")"
node="${KUBEGATE_NODE_NAME:-kubegate-real-node}"
ns="${KUBEGATE_SMOKE_NAMESPACE:-kubegate-node-smoke}"
k() { "$bin/kubectl" --kubeconfig "$kubeconfig" -n "$ns" "$@"; }
fail() { echo "node-smoke: FAIL: $*" >&2; exit 1; }
ok() { echo "node-smoke: ok: $*"; }
hostdir="$(mktemp -d "${TMPDIR:-/tmp}/kubegate-node-smoke.XXXXXX")"
cleanup() {
  "$bin/kubectl" --kubeconfig "$kubeconfig" delete namespace "$ns" --wait=false >/dev/null 2>&1 || true
  rm -rf "$hostdir"
}
trap cleanup EXIT

[ "$(k get node "$node" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ] \
  || fail "node $node is not Ready (start.sh --node real, or node.sh start)"
"$bin/kubectl" --kubeconfig "$kubeconfig" delete namespace "$ns" --wait=true --timeout=60s >/dev/null 2>&1 || true
"$bin/kubectl" --kubeconfig "$kubeconfig" create namespace "$ns" >/dev/null
for _ in $(seq 1 100); do k get serviceaccount default >/dev/null 2>&1 && break; sleep 0.2; done

# pod NAME IMAGE RESTART_POLICY COMMAND_JSON [EXTRA_SPEC_YAML] : a pod pinned to the real node
pod() {
  k apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Pod
metadata: {name: $1, labels: {app: $1}}
spec:
  nodeSelector: {kubernetes.io/hostname: $node}
  tolerations: [{key: kubegate.dev/node, operator: Exists}]
  restartPolicy: $3
  terminationGracePeriodSeconds: 1
  containers:
    - name: main
      image: $2
      command: $4
${5:-}
EOF
}
wait_phase() { # wait_phase POD PHASE
  k wait --for=jsonpath='{.status.phase}'="$2" "pod/$1" --timeout=90s >/dev/null \
    || fail "pod $1 did not reach $2: $(k get pod "$1" -o jsonpath='{.status.phase} {.status.containerStatuses[0].state}') $(k get events --field-selector "involvedObject.name=$1" -o jsonpath='{range .items[*]}{.message}{"\n"}{end}' | tail -3)"
}

# 1. logs
pod hello busybox Never '["echo", "hello"]'
wait_phase hello Succeeded
got="$(k logs hello)"
[ "$got" = hello ] || fail "kubectl logs hello printed '$got', expected 'hello'"
ok "busybox pod ran echo hello; kubectl logs: $got"

# 2. and 3. exec
pod sleeper busybox Always '["sleep", "3600"]'
k wait --for=condition=Ready pod/sleeper --timeout=90s >/dev/null || fail "pod sleeper not Ready"
rc=0; k exec sleeper -- sh -c 'exit 3' 2>/dev/null || rc=$?
[ "$rc" = 3 ] || fail "kubectl exec sh -c 'exit 3' exited $rc, expected 3"
ok "kubectl exec sh -c 'exit 3' exited 3"
got="$(printf 'line one\nline two\n' | k exec -i sleeper -- sh -c 'while read -r l; do echo "got: $l"; done')"
[ "$got" = "$(printf 'got: line one\ngot: line two')" ] || fail "kubectl exec -i printed '$got'"
ok "kubectl exec -i passed stdin through"

# 4. git image
pod git kubegate.local/git:latest Never '["git", "--version"]'
wait_phase git Succeeded
got="$(k logs git)"
case "$got" in "git version "*) ok "git image: $got" ;; *) fail "git --version printed '$got'" ;; esac

# 5. a Service in front of a pod serving HTTP (busybox httpd)
pod web busybox Always '["sh", "-c", "mkdir -p /www && echo served-by-web > /www/index.html && exec httpd -f -p 8080 -h /www"]' \
  '      ports: [{containerPort: 8080}]'
k apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
EOF
k wait --for=condition=Ready pod/web --timeout=90s >/dev/null || fail "pod web not Ready"
ip="$(k get service web -o jsonpath='{.spec.clusterIP}')"
got=""
for _ in $(seq 1 30); do
  # (busybox-static 1.35 wget -T segfaults, on the host too: busybox timeout instead)
  got="$(k exec sleeper -- timeout 3 wget -q -O - "http://$ip/" 2>/dev/null || true)"
  [ "$got" = served-by-web ] && break
  sleep 1
done
[ "$got" = served-by-web ] || fail "wget http://$ip/ (Service web) from pod sleeper printed '$got' (pod IP $(k get pod web -o jsonpath='{.status.podIP}'); kube-proxy log: ${KUBEGATE_NODE_DIR:-/var/lib/kubegate-node}/logs/kube-proxy.log)"
ok "Service web ($ip:80) reached pod web from pod sleeper"

# 6. hostPath
pod writer busybox Never '["sh", "-c", "echo written-by-pod > /data/out.txt"]' "      volumeMounts: [{name: data, mountPath: /data}]
  volumes: [{name: data, hostPath: {path: $hostdir, type: Directory}}]"
wait_phase writer Succeeded
got="$(cat "$hostdir/out.txt" 2>/dev/null || true)"
[ "$got" = written-by-pod ] || fail "$hostdir/out.txt holds '$got', expected 'written-by-pod'"
ok "a pod wrote $hostdir/out.txt through a hostPath volume"

echo "node-smoke: all checks passed on $node"
