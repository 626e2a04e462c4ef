#!/usr/bin/env bash
# Runs a command among decoys, to prove that no test uses the machine's Kubernetes settings: every place
# kubegate would find a cluster of the machine points at a dead API server (https://127.0.0.1:1).
#
#   tests/tools/decoyed.sh DIR COMMAND [ARG...]
#
#   tests/tools/decoyed.sh DIR tests/tools/decoyed.sh --live     shows the decoys are in force
#   tests/tools/decoyed.sh --check DIR                          checks them untouched afterwards
#
# DIR (made by `decoyed.sh --make DIR`) holds the decoys:
#   DIR/kubeconfig               a kubeconfig whose server is https://127.0.0.1:1
#   DIR/home/.kube/config        the same, in the decoy HOME
#   KUBECONFIG, KUBEGATE_KUBECONFIG, KUBEGATE_DEFAULT_KUBECONFIG   name it
#   KUBEGATE_SETTINGS, KUBEGATE_DATA_DIR, KUBEGATE_AUDIT_LOG        name files under DIR/untouched/, which
#                                must still not exist afterwards (`decoyed.sh --check DIR`)
#   KUBEGATE_NAMESPACE, KUBEGATE_API_TOKEN, KUBEGATE_GRPC_ADDR, KUBEGATE_HTTP_ADDR, KUBEGATE_NO_AUTH
#                                settings a kubegate under test must not take from its caller
#   KUBERNETES_SERVICE_HOST/PORT in-cluster credentials that lead to the dead server
#   /workspace/.kube/kubeconfig  the same kubeconfig, on a read-only tmpfs over /workspace in a private
#                                mount namespace of the command (the real /workspace is not touched;
#                                needs root); a checkout, cache or toolchain under /workspace is bound
#                                back in at its own path
# Of the caller's other KUBEGATE_* variables only the test harness's own (KUBEGATE_BIN, KUBEGATE_CACHE,
# KUBEGATE_GRPCURL, KUBEGATE_BUF, KUBEGATE_PYTHON, KUBEGATE_NODE, KUBEGATE_HELM_VERSION) are kept; tools that would otherwise keep their caches under HOME
# (cargo, rustup, Go, npm, pyenv) keep using the real ones.
set -euo pipefail

write_kubeconfig() {
  cat >"$1" <<'EOF'
apiVersion: v1
kind: Config
clusters:
- name: decoy
  cluster:
    server: https://127.0.0.1:1
    insecure-skip-tls-verify: true
users:
- name: decoy
  user:
    token: decoy-token-that-no-test-may-use
contexts:
- name: decoy
  context:
    cluster: decoy
    user: decoy
    namespace: decoy-namespace
current-context: decoy
EOF
}

case "${1:-}" in
--make)
  dir="${2:?usage: decoyed.sh --make DIR}"
  mkdir -p "$dir/home/.kube" "$dir/untouched"
  write_kubeconfig "$dir/kubeconfig"
  cp "$dir/kubeconfig" "$dir/home/.kube/config"
  sha256sum "$dir/kubeconfig" | cut -d' ' -f1 >"$dir/kubeconfig.sha256"
  exit 0
  ;;
--check)
  # Prints `decoys: N passed, M failed` last.
  dir="${2:?usage: decoyed.sh --check DIR}"
  passed=0 failed=0
  check() { # check <what> <command...>
    local what=$1
    shift
    if "$@"; then echo "ok: $what"; passed=$((passed + 1)); else echo "FAIL: $what"; failed=$((failed + 1)); fi
  }
  # shellcheck disable=SC2317 # called through check
  same() { [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$(cat "$dir/kubeconfig.sha256")" ]; }
  check "the decoy kubeconfig is unchanged" same "$dir/kubeconfig"
  check "the decoy ~/.kube/config is unchanged" same "$dir/home/.kube/config"
  check "nothing was written where KUBEGATE_SETTINGS, KUBEGATE_DATA_DIR, KUBEGATE_AUDIT_LOG point" \
    test -z "$(ls -A "$dir/untouched")"
  check "no API token was generated in the decoy HOME" test ! -e "$dir/home/.local/state/kubegate"
  echo "decoys: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
  ;;
--live)
  # Among the decoys (decoyed.sh DIR decoyed.sh --live): shows that they are in force, so that a test that
  # used one would fail. Prints `decoys: N passed, M failed` last.
  passed=0 failed=0
  check() { # check <what> <output> <expected substring>
    if [[ "$2" == *"$3"* ]]; then echo "ok: $1"; passed=$((passed + 1)); else echo "FAIL: $1: $2"; failed=$((failed + 1)); fi
  }
  check "kubectl reaches the dead server through KUBECONFIG" "$(kubectl get --raw /version 2>&1 || true)" 127.0.0.1:1
  check "kubectl reaches the dead server through ~/.kube/config" \
    "$(env -u KUBECONFIG kubectl get --raw /version 2>&1 || true)" 127.0.0.1:1
  if [ "${DECOY_WORKSPACE:-}" != placed ]; then
    echo "not checked: /workspace/.kube/kubeconfig and kubegate without settings (the decoy /workspace is not placed here: see above)"
  elif check "/workspace/.kube/kubeconfig is the decoy" "$(cat /workspace/.kube/kubeconfig 2>&1 || true)" https://127.0.0.1:1 &&
    [ -z "${KUBEGATE_BIN:-}" ] || [ -z "${KUBEGATE_GRPCURL:-}" ]; then
    echo "not checked: kubegate without settings (KUBEGATE_BIN and KUBEGATE_GRPCURL are not set)"
  else
    # kubegate with none of its own settings: it finds /workspace/.kube/kubeconfig and cannot reach its
    # server (without the decoy: "does not exist").
    log="$(mktemp)"
    env -u KUBECONFIG -u KUBEGATE_KUBECONFIG -u KUBEGATE_DEFAULT_KUBECONFIG -u KUBEGATE_GRPC_ADDR -u KUBEGATE_HTTP_ADDR \
      -u KUBEGATE_SETTINGS -u KUBEGATE_NO_AUTH -u KUBEGATE_API_TOKEN -u KUBEGATE_DATA_DIR -u KUBEGATE_AUDIT_LOG \
      -u KUBERNETES_SERVICE_HOST -u KUBERNETES_SERVICE_PORT \
      "$KUBEGATE_BIN" serve --no-embedded-fallback --no-auth --no-gateway --grpc-addr 127.0.0.1:0 2>"$log" &
    pid=$!
    addr=""
    for _ in $(seq 1 100); do
      addr="$(sed -n 's|.*gRPC listening on http://\([0-9.:]*\).*|\1|p' "$log" | head -1)"
      [ -n "$addr" ] && break
      sleep 0.1
    done
    answer="$("$KUBEGATE_GRPCURL" -plaintext -d '{}' "${addr:-127.0.0.1:1}" kubegate.v1.PodService/ListPods 2>&1 || true)"
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -f "$log"
    check "kubegate without settings takes /workspace/.kube/kubeconfig, the decoy" "$answer" "cannot be reached"
  fi
  echo "decoys: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
  ;;
--inside)
  # In the private mount namespace: the decoy /workspace, then the command.
  shift
  dir="$1"
  shift
  if [ -d /workspace ]; then
    keep=()
    for path in ${DECOY_KEEP:-}; do
      case "$path" in /workspace/?*) keep+=("$path") ;; /workspace | /workspace/) keep=(none) && break ;; esac
    done
    if [ "${keep[0]:-}" = none ]; then
      echo "decoyed.sh: /workspace itself is needed here: the decoy /workspace is not placed" >&2
    else
      real="$dir/real-workspace"
      mkdir -p "$real"
      mount --rbind /workspace "$real"
      mount -t tmpfs -o size=4m,mode=0755 kubegate-decoy /workspace
      mkdir -p /workspace/.kube
      cp "$dir/kubeconfig" /workspace/.kube/kubeconfig
      mount -o remount,ro /workspace
      for path in "${keep[@]}"; do
        [ -e "$real/${path#/workspace/}" ] || continue
        mount -o remount,rw /workspace
        mkdir -p "$path"
        mount -o remount,ro /workspace
        mount --rbind "$real/${path#/workspace/}" "$path"
      done
      umount -l "$real"
      rmdir "$real"
      export DECOY_WORKSPACE=placed
    fi
  else
    echo "decoyed.sh: there is no /workspace on this machine (none is made): the decoy /workspace is not placed" >&2
  fi
  unset DECOY_KEEP
  exec "$@"
  ;;
esac

dir="${1:?usage: decoyed.sh DIR COMMAND [ARG...]}"
shift
[ -f "$dir/kubeconfig" ] || { echo "decoyed.sh: $dir has no decoys: run decoyed.sh --make $dir first" >&2; exit 2; }
[ "$#" -gt 0 ] || { echo "usage: decoyed.sh DIR COMMAND [ARG...]" >&2; exit 2; }

# The toolchains keep their real caches although HOME moves.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
if command -v go >/dev/null; then
  GOPATH="$(go env GOPATH)" GOMODCACHE="$(go env GOMODCACHE)" GOCACHE="$(go env GOCACHE)" GOENV="$(go env GOENV)"
  export GOPATH GOMODCACHE GOCACHE GOENV
fi
if command -v npm >/dev/null; then
  npm_config_cache="$(npm config get cache)" npm_config_userconfig="$(npm config get userconfig)"
  export npm_config_cache npm_config_userconfig
fi
export PYENV_ROOT="${PYENV_ROOT:-$HOME/.pyenv}"

# Paths under /workspace that must stay visible: the checkout, the caches, the toolchains, temp files.
DECOY_KEEP="$(pwd -P) $dir ${KUBEGATE_CACHE:-} ${CARGO_TARGET_DIR:-} $CARGO_HOME $RUSTUP_HOME ${GOPATH:-} ${GOMODCACHE:-} ${GOCACHE:-} ${npm_config_cache:-} $PYENV_ROOT ${TMPDIR:-/tmp}"
export DECOY_KEEP

# None of the caller's KUBEGATE_* variables but the harness's own; KUBEGATE_TEST_KUBECONFIG (a cluster for
# the scenarios) only where a script sets it for one command (tests/control-plane/e2e.sh).
for name in $(compgen -e); do
  case "$name" in
  KUBEGATE_BIN | KUBEGATE_CACHE | KUBEGATE_GRPCURL | KUBEGATE_BUF | KUBEGATE_PYTHON | KUBEGATE_NODE | KUBEGATE_HELM_VERSION) ;;
  KUBEGATE_*) unset "$name" ;;
  esac
done
unset POD_NAMESPACE POD_NAME XDG_STATE_HOME
export HOME="$dir/home"
export KUBECONFIG="$dir/kubeconfig" KUBEGATE_KUBECONFIG="$dir/kubeconfig" KUBEGATE_DEFAULT_KUBECONFIG="$dir/kubeconfig"
export KUBEGATE_SETTINGS="$dir/untouched/settings.json" KUBEGATE_DATA_DIR="$dir/untouched/data"
export KUBEGATE_AUDIT_LOG="$dir/untouched/audit.log"
export KUBEGATE_NAMESPACE=decoy-namespace KUBEGATE_API_TOKEN=decoy-token-that-no-test-may-use
export KUBEGATE_GRPC_ADDR=127.0.0.1:1 KUBEGATE_HTTP_ADDR=127.0.0.1:1 KUBEGATE_NO_AUTH=true
export KUBERNETES_SERVICE_HOST=127.0.0.1 KUBERNETES_SERVICE_PORT=1

if [ "$(id -u)" -eq 0 ] && unshare -m --propagation private true 2>/dev/null; then
  exec unshare -m --propagation private "$0" --inside "$dir" "$@"
fi
echo "decoyed.sh: no private mount namespace here (it needs root): the decoy /workspace is not placed" >&2
exec "$@"
