#!/usr/bin/env bash
# Three kubegate processes on the real control plane, with only deploy/'s ServiceAccount token, as the
# replicas of deploy/ run: exactly one leads (its metric says so); killed with SIGKILL (no goodbye), another
# leads within the Lease's duration and a renewal; a settings change through one is read back through the
# other two within 2 s. (Sessions across replicas need a node that runs processes: tests/replicas.rs.)
#   replicas.sh KUBECONFIG
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
kubeconfig="$1"
bin="${KUBEGATE_BIN:-$root/target/debug/kubegate}"
[ -x "$bin" ] || (cd "$root" && cargo build --quiet --bin kubegate)
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
passed=0
check() { passed=$((passed + 1)); echo "replicas: ok: $1"; }
fail() { echo "replicas: FAILED: $1" >&2; echo "test result: FAILED. $passed passed; 1 failed"; exit 1; }

declare -a http metrics
for i in 0 1 2; do
  http[$i]=$(free_port); metrics[$i]=$(free_port)
  POD_NAMESPACE=kubegate-system POD_NAME="replica-$i" RUST_LOG=warn "$bin" serve --no-auth --no-embedded-fallback \
    --kubeconfig "$kubeconfig" --namespace opencode-manager --data-dir "$work/$i" \
    --grpc-addr 127.0.0.1:0 --http-addr "127.0.0.1:${http[$i]}" --terminal-addr 127.0.0.1:0 \
    --metrics-addr "127.0.0.1:${metrics[$i]}" --leader-election --lease-duration-seconds 3 \
    --settings-configmap kubegate-settings >"$work/log-$i" 2>&1 &
  pids[$i]=$!
done
leader_of() { curl -s "http://127.0.0.1:${metrics[$1]}/metrics" | awk '$1 == "kubegate_leader" {print $2}'; }
leaders() { # prints the indexes of live replicas that lead
  for i in "$@"; do [ "$(leader_of "$i")" = "1" ] && echo "$i"; done; true
}
wait_one_leader() { # wait_one_leader SECONDS REPLICAS...
  local deadline=$(( $(date +%s) + $1 )); shift
  while [ "$(date +%s)" -lt "$deadline" ]; do
    found=($(leaders "$@"))
    [ "${#found[@]}" -le 1 ] || fail "two replicas lead at once: ${found[*]}"
    if [ "${#found[@]}" -eq 1 ]; then echo "${found[0]}"; return 0; fi
    sleep 0.2
  done
  return 1
}

first=$(wait_one_leader 20 0 1 2) || { cat "$work"/log-*; fail "no leader among three replicas"; }
check "exactly one of three replicas leads (replica $first)"

kill -9 "${pids[$first]}"
others=()
for i in 0 1 2; do [ "$i" = "$first" ] || others+=("$i"); done
started=$(date +%s)
second=$(wait_one_leader 15 "${others[@]}") || fail "no replica took over after the leader was killed"
took=$(( $(date +%s) - started ))
[ "$took" -le 10 ] || fail "the takeover took ${took}s"
check "replica $second took over ${took}s after the leader was killed"

# A settings change through one replica, read back through the other.
one=${others[0]}; two=${others[1]}
curl -sf -X PUT "http://127.0.0.1:${http[$one]}/api/kubernetes/config" -H 'Content-Type: application/json' \
  -d '{"enabled": false}' >/dev/null || fail "the settings change was refused"
deadline=$(( $(date +%s) + 2 ))
until curl -sf "http://127.0.0.1:${http[$two]}/api/kubernetes/config" | python3 -c \
  'import json,sys; sys.exit(0 if json.load(sys.stdin)["config"]["enabled"] is False else 1)'; do
  [ "$(date +%s)" -le "$deadline" ] || fail "replica $two did not follow the settings change within 2 s"
  sleep 0.1
done
check "a settings change through replica $one is in force on replica $two within 2 s"
echo "test result: ok. $passed passed; 0 failed"
