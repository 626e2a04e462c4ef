#!/usr/bin/env bash
# Regenerates every client under clients/ from proto/ (one command, from anywhere):
#   clients/generate.sh
# Python: grpcio-tools (messages, type stubs and gRPC stubs). The tools are pinned in
# clients/python/requirements-dev.txt and installed into the cache's virtual environment by tests/run;
# set KUBEGATE_PYTHON to a Python that has them to run this alone.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${KUBEGATE_PYTHON:-python3}"

# KUBEGATE_CLIENTS_OUT writes elsewhere (tests/run regenerates into a temporary directory and compares).
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
