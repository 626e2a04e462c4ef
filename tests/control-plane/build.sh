#!/usr/bin/env bash
# Builds the real control plane for end-to-end tests from Go modules only: kube-apiserver,
# kube-controller-manager, kube-scheduler and kubectl from k8s.io/kubernetes (through a wrapper module
# whose replace lines point each staging module at its published version), etcd from
# go.etcd.io/etcd/server/v3, and kwok + kwokctl. Everything lands in
#   ${KUBEGATE_CACHE:-~/.cache/kubegate}/control-plane/<versions>/bin
# and a finished build is never redone (the directory name carries every version).
# Prints the bin directory on stdout when done.
set -euo pipefail

K8S_VERSION="${KUBEGATE_K8S_VERSION:-v1.34.4}"
ETCD_VERSION="${KUBEGATE_ETCD_VERSION:-v3.6.16}"
KWOK_VERSION="${KUBEGATE_KWOK_VERSION:-v0.8.0}"
minor=$(echo "$K8S_VERSION" | cut -d. -f2)
staging="v0.${K8S_VERSION#v1.}"

cache="${KUBEGATE_CACHE:-$HOME/.cache/kubegate}"
root="$cache/control-plane/k8s-$K8S_VERSION-etcd-$ETCD_VERSION-kwok-$KWOK_VERSION"
bin="$root/bin"
want=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok kwokctl)

complete() { for b in "${want[@]}"; do [ -x "$bin/$b" ] || return 1; done; }
if complete; then echo "$bin"; exit 0; fi

log() { echo "control-plane: $*" >&2; }
mkdir -p "$bin" "$root/k8s" "$root/etcd"
export CGO_ENABLED=0 GOFLAGS=-mod=mod
export GOMODCACHE="${GOMODCACHE:-$cache/go/mod}" GOCACHE="${GOCACHE:-$cache/go/build}"
started=$(date +%s)

if [ ! -x "$bin/kwok" ] || [ ! -x "$bin/kwokctl" ]; then
  log "kwok $KWOK_VERSION"
  GOBIN="$bin" go install "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" "sigs.k8s.io/kwok/cmd/kwokctl@$KWOK_VERSION"
fi

if [ ! -x "$bin/etcd" ]; then
  log "etcd $ETCD_VERSION"
  (
    cd "$root/etcd"
    [ -f go.mod ] || go mod init kubegate.local/etcdbin >/dev/null 2>&1
    go get -tool "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >&2
    go build -trimpath -ldflags "-s -w" -o "$bin/etcd.tmp" go.etcd.io/etcd/server/v3
    mv "$bin/etcd.tmp" "$bin/etcd"
  )
fi

if [ ! -x "$bin/kube-apiserver" ] || [ ! -x "$bin/kube-controller-manager" ] || [ ! -x "$bin/kube-scheduler" ] || [ ! -x "$bin/kubectl" ]; then
  log "kubernetes $K8S_VERSION (the long part: about 20-30 minutes on 2 cores, once)"
  (
    cd "$root/k8s"
    if [ ! -f go.mod ]; then
      go mod init kubegate.local/k8sbin >/dev/null 2>&1
      upstream_mod=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["GoMod"])')
      godebug=$(grep -E '^godebug ' "$upstream_mod" | awk '{print $2}' || true)
      [ -n "$godebug" ] && go mod edit "-godebug=$godebug"
      for m in $(grep -E '=> \./staging/src/' "$upstream_mod" | awk '{print $1}'); do
        go mod edit "-replace=$m=$m@$staging"
      done
      go mod edit "-require=k8s.io/kubernetes@$K8S_VERSION"
    fi
    go get -tool "k8s.io/kubernetes/cmd/kube-apiserver@$K8S_VERSION" "k8s.io/kubernetes/cmd/kube-controller-manager@$K8S_VERSION" \
      "k8s.io/kubernetes/cmd/kube-scheduler@$K8S_VERSION" "k8s.io/kubernetes/cmd/kubectl@$K8S_VERSION" >&2
    date_now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    ld="-s -w"
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ld="$ld -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean -X $pkg.buildDate=$date_now"
    done
    mkdir -p "$root/k8s/out"
    go build -trimpath -ldflags "$ld" -o "$root/k8s/out/" k8s.io/kubernetes/cmd/kube-apiserver \
      k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
    for b in kube-apiserver kube-controller-manager kube-scheduler kubectl; do mv "$root/k8s/out/$b" "$bin/$b"; done
  )
fi

complete || { log "the build finished without every binary"; exit 1; }
log "built in $(( $(date +%s) - started )) s"
echo "$bin"
