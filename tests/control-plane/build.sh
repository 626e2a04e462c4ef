#!/usr/bin/env bash
# Builds the real control plane for end-to-end tests from Go modules only: kube-apiserver,
# kube-controller-manager, kube-scheduler, kubectl, and kubelet and kube-proxy (for the real node, node.sh)
# from k8s.io/kubernetes (through a wrapper module
# whose replace lines point each staging module at its published version), etcd from
# go.etcd.io/etcd/server/v3, and kwok + kwokctl. Everything lands in
#   ${KUBEGATE_CACHE:-~/.cache/kubegate}/control-plane/<versions>/bin
# and a finished build is never redone (the directory name carries every version); a missing binary is
# built alone (kubelet added to an existing build does not rebuild the others).
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
want=(kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy etcd kwok kwokctl)

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

# The wrapper module: k8s.io/kubernetes with every staging module replaced by its published version.
k8s_module() {
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
}
# k8s_build CMD... : builds k8s.io/kubernetes/cmd/CMD for each CMD into $bin, with version ldflags.
k8s_build() {
  (
    k8s_module
    local tools=() pkgs=() c
    for c in "$@"; do tools+=("k8s.io/kubernetes/cmd/$c@$K8S_VERSION"); pkgs+=("k8s.io/kubernetes/cmd/$c"); done
    go get -tool "${tools[@]}" >&2
    date_now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    ld="-s -w"
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ld="$ld -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean -X $pkg.buildDate=$date_now"
    done
    mkdir -p "$root/k8s/out"
    go build -trimpath -ldflags "$ld" -o "$root/k8s/out/" "${pkgs[@]}"
    for c in "$@"; do mv "$root/k8s/out/$c" "$bin/$c"; done
  )
}

if [ ! -x "$bin/kube-apiserver" ] || [ ! -x "$bin/kube-controller-manager" ] || [ ! -x "$bin/kube-scheduler" ] || [ ! -x "$bin/kubectl" ]; then
  log "kubernetes $K8S_VERSION (the long part: about 9 minutes on 2 cores from empty Go caches, once)"
  k8s_build kube-apiserver kube-controller-manager kube-scheduler kubectl
fi

# The real node's kubelet and kube-proxy (node.sh). Each on its own, so that adding one to an existing
# build compiles only what it does not share with the binaries above.
for c in kubelet kube-proxy; do
  if [ ! -x "$bin/$c" ]; then
    log "$c $K8S_VERSION"
    k8s_build "$c"
  fi
done

complete || { log "the build finished without every binary"; exit 1; }
log "built in $(( $(date +%s) - started )) s"
echo "$bin"
