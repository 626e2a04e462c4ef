#!/usr/bin/env bash
# Regenerates every client under clients/ from proto/ (one command, from anywhere):
#   clients/generate.sh
# Python: grpcio-tools (messages, type stubs and gRPC stubs). TypeScript and Go: buf generate
# (buf.gen.yaml) with protoc-gen-es from clients/typescript/node_modules (npm ci when missing) and
# protoc-gen-go / protoc-gen-go-grpc built from Go modules into the cache. The tools are pinned in
# clients/python/requirements-dev.txt and installed into the cache's virtual environment by tests/run;
# set KUBEGATE_PYTHON to a Python that has them to run this alone.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${KUBEGATE_PYTHON:-python3}"

# KUBEGATE_CLIENTS_OUT (a directory named clients) writes elsewhere: tests/run regenerates into a
# temporary one and compares.
clients="${KUBEGATE_CLIENTS_OUT:-$root/clients}"
out="$clients/python/src"
rm -rf "$out/kubegate"
mkdir -p "$out"
"$python" -m grpc_tools.protoc -I "$root/proto" \
  --python_out="$out" --pyi_out="$out" --grpc_python_out="$out" \
  "$root"/proto/kubegate/v1/*.proto
# Generated modules import `kubegate.v1.x_pb2`: make both levels packages.
printf '"""Generated from proto/kubegate (do not edit): messages and gRPC stubs."""\n' > "$out/kubegate/__init__.py"
printf '"""Generated from proto/kubegate/v1 (do not edit)."""\n' > "$out/kubegate/v1/__init__.py"

# TypeScript and Go (buf generate): protoc-gen-es from npm, protoc-gen-go(-grpc) from Go modules.
go_plugins="${KUBEGATE_CACHE:-$HOME/.cache/kubegate}/go-plugins-protobuf-v1.36.12-grpc-v1.6.2"
if [ ! -x "$go_plugins/protoc-gen-go" ] || [ ! -x "$go_plugins/protoc-gen-go-grpc" ]; then
  GOBIN="$go_plugins" go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
  GOBIN="$go_plugins" go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.2
fi
export PATH="$go_plugins:$PATH"
ts="$root/clients/typescript"
if [ ! -x "$ts/node_modules/.bin/protoc-gen-es" ]; then
  (cd "$ts" && npm ci --silent --no-audit --no-fund)
fi
buf="${KUBEGATE_BUF:-buf}"
rm -rf "$clients/typescript/src/gen" "$clients/go/gen"
# buf writes under <base>/clients/typescript/src/gen; <base> is the parent of the clients directory.
(cd "$root" && "$buf" generate --template buf.gen.yaml -o "$(dirname "$clients")")
[ "$(basename "$clients")" = clients ] || { echo "KUBEGATE_CLIENTS_OUT must end in /clients" >&2; exit 1; }

# Java: protoc and protoc-gen-grpc-java are executables published on Maven Central, fetched with Maven
# into the cache; buf drives them with a template naming their paths.
java_plugins="${KUBEGATE_CACHE:-$HOME/.cache/kubegate}/java-plugins"
protoc="$java_plugins/protoc-4.36.2-linux-x86_64.exe"
grpc_java="$java_plugins/protoc-gen-grpc-java-1.83.1-linux-x86_64.exe"
for artifact in com.google.protobuf:protoc:4.36.2:exe:linux-x86_64 io.grpc:protoc-gen-grpc-java:1.83.1:exe:linux-x86_64; do
  file="$java_plugins/$(echo "$artifact" | cut -d: -f2)-$(echo "$artifact" | cut -d: -f3)-linux-x86_64.exe"
  if [ ! -x "$file" ]; then
    mvn -q dependency:copy "-Dartifact=$artifact" "-DoutputDirectory=$java_plugins" >&2
    chmod +x "$file"
  fi
done
rm -rf "$clients/java/src/main/generated"
template=$(cat <<JSON
{"version": "v2", "inputs": [{"directory": "proto"}],
 "managed": {"enabled": true, "override": [{"file_option": "java_package_prefix", "value": "dev"}]},
 "plugins": [
   {"protoc_builtin": "java", "protoc_path": "$protoc", "out": "clients/java/src/main/generated"},
   {"local": "$grpc_java", "out": "clients/java/src/main/generated"}]}
JSON
)
(cd "$root" && "$buf" generate --template "$template" -o "$(dirname "$clients")")
