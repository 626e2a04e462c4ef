#!/usr/bin/env bash
# The web console's checks: the committed bundle (gateway/console/dist, embedded into kubegate) is what
# the sources build to, the TypeScript type-checks, and the console works in a real browser (Chromium from
# the system's packages, driven by playwright-core) against a real kubegate on its embedded cluster.
# Prints `console: N passed, M failed` last.
#
#   gateway/console/test.sh
#   KUBEGATE_BIN=FILE                the kubegate to test (default: built here with cargo)
#   KUBEGATE_CACHE=DIR               where npm packages are kept (default ~/.cache/kubegate)
#   CHROMIUM=FILE                    the browser (default: chromium on PATH, apt-installed when missing)
#   CONSOLE_UPDATE_SCREENSHOTS=1     rewrite the screenshots in gateway/console/screenshots
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${KUBEGATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubegate}"
cd "$here"

fail() {
  echo "console: $*" >&2
  echo "console: 0 passed, 1 failed"
  exit 1
}

# The packages, installed once per lockfile outside the checkout and linked in.
lock_hash=$(sha256sum package-lock.json | cut -c1-12)
modules="$cache/npm-console-$lock_hash"
if [ ! -f "$modules/.complete" ]; then
  rm -rf "$modules"
  mkdir -p "$modules"
  cp package.json package-lock.json "$modules/"
  (cd "$modules" && npm ci --silent --no-audit --no-fund) || fail "npm ci failed"
  touch "$modules/.complete"
fi
[ -L node_modules ] || rm -rf node_modules
ln -sfn "$modules/node_modules" node_modules

# The system's Chromium; no browser is downloaded from anywhere else.
browser="${CHROMIUM:-$(command -v chromium || true)}"
if [ -z "$browser" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || fail "apt-get could not install chromium"
    browser="$(command -v chromium)"
  else
    fail "chromium is needed (apt-get install chromium, or set CHROMIUM)"
  fi
fi

# The committed bundle must be what the sources build to.
rebuilt="$(mktemp -d)"
trap 'rm -rf "$rebuilt"' EXIT
node build.mjs --tests --out "$rebuilt" || fail "the bundle does not build"
if ! diff -r dist "$rebuilt" >/dev/null; then
  diff -r dist "$rebuilt" | head -5 >&2 || true
  fail "gateway/console/dist differs from a rebuild of the sources: run 'node gateway/console/build.mjs' and commit dist/"
fi
node_modules/.bin/tsc -p . || fail "the console does not type-check"
node_modules/.bin/tsc -p test || fail "the browser tests do not type-check"
echo "console: the bundle is up to date ($(( $(cat dist/* | wc -c) / 1024 )) KiB, $(( $(cat dist/*.js dist/*.css | gzip -9 | wc -c) / 1024 )) KiB gzipped)"

if [ -z "${KUBEGATE_BIN:-}" ]; then
  (cd "$root" && cargo build --quiet --bin kubegate) || fail "kubegate does not build"
  KUBEGATE_BIN="${CARGO_TARGET_DIR:-$root/target}/debug/kubegate"
fi

KUBEGATE_BIN="$KUBEGATE_BIN" CHROMIUM="$browser" node .test-build/console.test.mjs
