#!/usr/bin/env bash
# The original integration's curl examples ("Advanced Workflows"), run as written against a running kubegate. The only
# changes are the address: http://localhost:5003 becomes $KUBEGATE_URL (default http://localhost:5003),
# the API token: when KUBEGATE_API_TOKEN is set, every request carries
# `Authorization: Bearer $KUBEGATE_API_TOKEN` ("${auth[@]}", empty otherwise), and the repository: the
# pods' REPO_PATH and COMMIT_SHA name a git repository this script makes in a temporary directory (and
# removes), never the machine's /workspace/repos/myapp, and their env names it safe for git.
# Each answer is checked for the shape the original documented; the script exits non-zero on the first
# mismatch, naming it.
# The original's lines are kept as written (an unquoted $KUBEGATE_URL, JSON in single quotes).
# shellcheck disable=SC2086,SC2016
set -euo pipefail
KUBEGATE_URL="${KUBEGATE_URL:-http://localhost:5003}"
KUBEGATE_URL="${KUBEGATE_URL%/}"
auth=()
if [[ -n "${KUBEGATE_API_TOKEN:-}" ]]; then
  auth=(-H "Authorization: Bearer $KUBEGATE_API_TOKEN")
fi

# The repository the pods work in: one commit whose scripts print the directory they run in.
work="$(mktemp -d "${TMPDIR:-/tmp}/kubegate-examples.XXXXXX")"
trap 'rm -rf "$work"' EXIT
repo="$work/repos/myapp"
mkdir -p "$repo"
cat >"$repo/package.json" <<'JSON'
{"name": "myapp", "version": "1.0.0", "private": true,
 "scripts": {"test:ci": "echo tests passed in $PWD", "build": "echo built in $PWD", "start": "sleep 600"}}
JSON
cat >"$repo/package-lock.json" <<'JSON'
{"name": "myapp", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
 "packages": {"": {"name": "myapp", "version": "1.0.0"}}}
JSON
in_repo() { git -C "$repo" -c user.name=kubegate -c user.email=tests@kubegate.invalid -c commit.gpgsign=false "$@"; }
in_repo init --quiet --initial-branch=main
in_repo add .
in_repo commit --quiet -m "myapp"
commit="$(in_repo rev-parse HEAD)"
# The pods may run as another user, who checks out and installs here: the directory is theirs to write,
# and git is told that this one repository of another owner is safe (GIT_CONFIG_* in the pods' env).
chmod -R a+rwX "$work"

expect() { # expect <what> <answer> <substring>...
  local what=$1 answer=$2
  shift 2
  for needle in "$@"; do
    if [[ "$answer" != *"$needle"* ]]; then
      echo "original example failed: $what: expected $needle in: $answer" >&2
      exit 1
    fi
  done
  echo "ok: $what"
}

# Test iteration: create a pod at a commit, read its logs, clean up.
answer=$(curl "${auth[@]}" -sS -X POST $KUBEGATE_URL/api/kubernetes/pods \
  -H "Content-Type: application/json" \
  -d '{
    "name": "test-iteration-1",
    "namespace": "opencode-manager",
    "image": "node:20-alpine",
    "env": {
      "COMMIT_SHA": "'"$commit"'",
      "REPO_PATH": "'"$repo"'",
      "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "safe.directory", "GIT_CONFIG_VALUE_0": "'"$repo"'"
    },
    "command": ["sh"],
    "args": ["-c", "cd $REPO_PATH && git checkout $COMMIT_SHA && npm ci && npm run test:ci"]
  }')
expect "create test pod" "$answer" '"success":true' '"podName":"test-iteration-1"'

# The pod checks out the commit, installs and runs the tests in the repository: its log says so, in the
# original's shape.
for _ in $(seq 1 150); do
  answer=$(curl "${auth[@]}" -sS $KUBEGATE_URL/api/kubernetes/pods/test-iteration-1/logs?namespace=opencode-manager)
  [[ "$answer" == *"tests passed in $repo"* ]] && break
  sleep 0.2
done
expect "test pod logs" "$answer" '{"logs":"' "HEAD is now at ${commit:0:7}" "tests passed in $repo"

answer=$(curl "${auth[@]}" -sS -X POST $KUBEGATE_URL/api/kubernetes/cleanup \
  -H "Content-Type: application/json" \
  -d '{"namespace": "opencode-manager"}')
expect "cleanup" "$answer" '"success":true' '"deleted":'

# Preview: pod, service, ingress; then delete all three.
answer=$(curl "${auth[@]}" -sS -X POST $KUBEGATE_URL/api/kubernetes/pods \
  -H "Content-Type: application/json" \
  -d '{
    "name": "preview-app-abc123",
    "namespace": "opencode-manager",
    "image": "node:20-alpine",
    "env": {
      "COMMIT_SHA": "'"$commit"'",
      "REPO_PATH": "'"$repo"'",
      "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "safe.directory", "GIT_CONFIG_VALUE_0": "'"$repo"'",
      "PORT": "3000"
    },
    "command": ["sh"],
    "args": ["-c", "cd $REPO_PATH && git checkout $COMMIT_SHA && npm ci && npm run build && npm start"],
    "labels": {"app": "preview-abc123"}
  }')
expect "create preview pod" "$answer" '"success":true' '"podName":"preview-app-abc123"'

answer=$(curl "${auth[@]}" -sS -X POST $KUBEGATE_URL/api/kubernetes/services \
  -H "Content-Type: application/json" \
  -d '{
    "name": "preview-service-abc123",
    "namespace": "opencode-manager",
    "selector": {"app": "preview-abc123"},
    "ports": [{"port": 3000, "targetPort": 3000}],
    "type": "ClusterIP"
  }')
expect "create preview service" "$answer" '"success":true' '"serviceName":"preview-service-abc123"'

answer=$(curl "${auth[@]}" -sS -X POST $KUBEGATE_URL/api/kubernetes/ingresses \
  -H "Content-Type: application/json" \
  -d '{
    "name": "preview-ingress-abc123",
    "namespace": "opencode-manager",
    "rules": [{
      "host": "preview-abc123.example.com",
      "http": {
        "paths": [{
          "path": "/",
          "pathType": "Prefix",
          "backend": {
            "service": {
              "name": "preview-service-abc123",
              "port": {"number": 3000}
            }
          }
        }]
      }
    }]
  }')
expect "create preview ingress" "$answer" '"success":true' '"ingressName":"preview-ingress-abc123"'

answer=$(curl "${auth[@]}" -sS $KUBEGATE_URL/api/kubernetes/ingresses?namespace=opencode-manager)
expect "list ingresses" "$answer" '"hosts":["preview-abc123.example.com"]'

answer=$(curl "${auth[@]}" -sS -X DELETE $KUBEGATE_URL/api/kubernetes/ingresses/preview-ingress-abc123?namespace=opencode-manager)
expect "delete ingress" "$answer" '{"success":true}'
answer=$(curl "${auth[@]}" -sS -X DELETE $KUBEGATE_URL/api/kubernetes/services/preview-service-abc123?namespace=opencode-manager)
expect "delete service" "$answer" '{"success":true}'
answer=$(curl "${auth[@]}" -sS -X DELETE $KUBEGATE_URL/api/kubernetes/pods/preview-app-abc123?namespace=opencode-manager)
expect "delete pod" "$answer" '{"success":true}'

answer=$(curl "${auth[@]}" -sS -w ' %{http_code}' $KUBEGATE_URL/api/kubernetes/services/preview-service-abc123?namespace=opencode-manager)
expect "service gone" "$answer" '"code":"NOT_FOUND"' ' 404'
