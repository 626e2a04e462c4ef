#!/usr/bin/env bash
# A real node for the control plane of start.sh: containerd + runc + CNI, kube-proxy and a kubelet that
# registers the node kubegate-real-node, so pods really run processes. See NODE.md.
#
#   node.sh start KUBECONFIG   starts it against the running control plane (admin kubeconfig from start.sh)
#   node.sh stop               stops the kubelet, kube-proxy, containerd and the image registry, and
#                              removes what the pods left: mounts, network namespaces, the bridge, the
#                              CNI and kube-proxy iptables rules, cgroups; sysctls get their old values
#   node.sh status             exits 0 when the node's processes are running
#
# Installs containerd, runc, containernetworking-plugins, iptables and conntrack with apt when missing.
# Needs root. Everything it writes lives under $KUBEGATE_NODE_DIR (default /var/lib/kubegate-node) and
# $KUBEGATE_NODE_RUN (default /run/kubegate-node), apart from the bridge, iptables rules and cgroups.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${KUBEGATE_CACHE:-$HOME/.cache/kubegate}"
node_name="${KUBEGATE_NODE_NAME:-kubegate-real-node}"
node_dir="${KUBEGATE_NODE_DIR:-/var/lib/kubegate-node}"
run="${KUBEGATE_NODE_RUN:-/run/kubegate-node}"
cluster="${KUBEGATE_CLUSTER_NAME:-kubegate-e2e}"
pki="${KUBEGATE_NODE_PKI:-${KWOK_WORKDIR:-$cache/kwok-work}/clusters/$cluster/pki}"
pod_cidr="${KUBEGATE_NODE_POD_CIDR:-10.244.0.0/24}"
bridge="${KUBEGATE_NODE_BRIDGE:-kubegate0}"
kubelet_port="${KUBEGATE_NODE_KUBELET_PORT:-10250}"
kubelet_healthz_port="${KUBEGATE_NODE_KUBELET_HEALTHZ_PORT:-10248}"
proxy_healthz_port="${KUBEGATE_NODE_PROXY_HEALTHZ_PORT:-10256}"
proxy_metrics_port="${KUBEGATE_NODE_PROXY_METRICS_PORT:-10249}"
cni_bin="${KUBEGATE_NODE_CNI_BIN:-/usr/lib/cni}"
# bridge | ptp | host: the pod network to try first (a failing bridge falls back to ptp, then to none,
# where only hostNetwork pods run).
network="${KUBEGATE_NODE_NETWORK:-bridge}"
network_name=kubegate-pods
sock="$run/containerd.sock"
logs="$node_dir/logs"

log() { echo "node: $*" >&2; }
die() { echo "node: $*" >&2; exit 1; }
pidfile() { echo "$run/$1.pid"; }
running() { local f; f="$(pidfile "$1")"; [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; }
ms() { date +%s%3N; }
since() { echo "$(( ($(ms) - $1) / 100 ))" | sed -E 's/([0-9])$/.\1/; s/^\./0./'; }

# start_daemon NAME COMMAND... : runs it in its own session, output to $logs/NAME.log, pid in $run/NAME.pid
start_daemon() {
  local name="$1"; shift
  running "$name" && die "$name is already running (pid $(cat "$(pidfile "$name")")); run node.sh stop first"
  [ -f "$logs/$name.log" ] && mv -f "$logs/$name.log" "$logs/$name.previous.log"
  setsid "$@" >"$logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$(pidfile "$name")"
}
# stop_daemon NAME : TERM, up to 15 s, then KILL
stop_daemon() {
  local name="$1" f pid i
  f="$(pidfile "$name")"
  [ -f "$f" ] || return 0
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then log "$name did not stop on TERM; KILL"; kill -KILL "$pid" 2>/dev/null || true; sleep 0.2; fi
  fi
  rm -f "$f"
}
# wait_for SECONDS DESCRIPTION COMMAND... : polls COMMAND every 0.2 s
wait_for() {
  local secs="$1" what="$2" i; shift 2
  for i in $(seq 1 $((secs * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  die "$what did not happen within $secs s"
}

ensure_packages() {
  local missing=() p
  for p in containerd runc containernetworking-plugins iptables conntrack; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local t; t=$(ms)
  log "installing ${missing[*]} with apt"
  apt-get update -qq >&2 || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
    || die "apt-get install ${missing[*]} failed"
  log "apt install took $(since "$t") s"
}

host_ip() {
  if [ -n "${KUBEGATE_NODE_IP:-}" ]; then echo "$KUBEGATE_NODE_IP"; return; fi
  local ip
  ip="$(ip -4 route get 1.1.1.1 2>/dev/null | awk '{for (i = 1; i < NF; i++) if ($i == "src") {print $(i + 1); exit}}')"
  [ -n "$ip" ] || ip="$(ip -4 -o addr show scope global 2>/dev/null | awk '{sub(/\/.*/, "", $4); print $4; exit}')"
  [ -n "$ip" ] || die "no IPv4 address other than loopback (the kubelet refuses a loopback node IP); set KUBEGATE_NODE_IP"
  echo "$ip"
}

# gen_cert NAME CN ORG [SAN] : a client/server certificate signed by the control plane's CA
gen_cert() {
  local name="$1" cn="$2" org="$3" san="${4:-}" ext="$node_dir/pki/$1.ext"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$node_dir/pki/$name.key" -subj "/O=$org/CN=$cn" \
    -out "$node_dir/pki/$name.csr" 2>/dev/null
  { echo "basicConstraints=CA:FALSE"; echo "keyUsage=critical,digitalSignature,keyEncipherment"
    if [ -n "$san" ]; then echo "extendedKeyUsage=serverAuth"; echo "subjectAltName=$san"; else echo "extendedKeyUsage=clientAuth"; fi
  } > "$ext"
  openssl x509 -req -in "$node_dir/pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -CAserial "$node_dir/pki/ca.srl" -days 365 -extfile "$ext" -out "$node_dir/pki/$name.crt" 2>/dev/null
  rm -f "$node_dir/pki/$name.csr" "$ext"
}
# kubeconfig_for NAME OUT : a kubeconfig with the control plane's server and CA and NAME's certificate
kubeconfig_for() {
  local name="$1" out="$2" server ca
  server="$(kubectl config view --raw --minify -o jsonpath='{.clusters[0].cluster.server}')"
  ca="$(kubectl config view --raw --minify --flatten -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')"
  umask 077
  cat > "$out" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: control-plane
  cluster: {server: "$server", certificate-authority-data: "$ca"}
users:
- name: $name
  user: {client-certificate: "$node_dir/pki/$name.crt", client-key: "$node_dir/pki/$name.key"}
contexts:
- name: $name
  context: {cluster: control-plane, user: $name}
current-context: $name
EOF
}

# A CNI network config for one plugin, for the probe and for the conflist.
cni_plugin_conf() { # cni_plugin_conf bridge|ptp BRIDGE SUBNET IPAM_DIR
  local ipam="\"ipam\": {\"type\": \"host-local\", \"ranges\": [[{\"subnet\": \"$3\"}]], \"routes\": [{\"dst\": \"0.0.0.0/0\"}], \"dataDir\": \"$4\"}"
  case "$1" in
    bridge) echo "{\"type\": \"bridge\", \"bridge\": \"$2\", \"isGateway\": true, \"ipMasq\": true, \"hairpinMode\": true, $ipam}" ;;
    ptp) echo "{\"type\": \"ptp\", \"ipMasq\": true, $ipam}" ;;
  esac
}
# cni_probe bridge|ptp : runs the plugin's ADD and DEL in a scratch network namespace; prints its error
cni_probe() {
  local kind="$1" ns="kubegate-cni-probe-$$" conf out rc=0
  conf="{\"cniVersion\": \"0.4.0\", \"name\": \"kubegate-probe\", $(cni_plugin_conf "$kind" kubegate-probe0 10.250.255.0/29 "$run/cni-probe-ipam" | sed 's/^{//')"
  ip netns add "$ns" 2>&1 || { echo "ip netns add failed"; return 1; }
  export CNI_CONTAINERID=kubegate-probe CNI_NETNS="/var/run/netns/$ns" CNI_IFNAME=eth0 CNI_PATH="$cni_bin"
  out="$(CNI_COMMAND=ADD "$cni_bin/$kind" <<< "$conf" 2>&1)" || rc=$?
  [ $rc -eq 0 ] && out="$(ip netns exec "$ns" ip -4 -o addr show eth0 2>&1)" || true
  CNI_COMMAND=DEL "$cni_bin/$kind" <<< "$conf" >/dev/null 2>&1 || true
  unset CNI_CONTAINERID CNI_NETNS CNI_IFNAME CNI_PATH
  ip netns delete "$ns" 2>/dev/null || true
  ip link delete kubegate-probe0 2>/dev/null || true
  rm -rf "$run/cni-probe-ipam"
  echo "$out"
  return $rc
}

sysctl_set() { # sysctl_set KEY VALUE : remembers the old value for stop
  local path="/proc/sys/${1//.//}" old
  [ -w "$path" ] || { log "sysctl $1 cannot be set (no $path)"; return 0; }
  old="$(cat "$path")"
  [ "$old" = "$2" ] && return 0
  grep -q "^$1=" "$run/sysctl.saved" 2>/dev/null || echo "$1=$old" >> "$run/sysctl.saved"
  echo "$2" > "$path" || log "sysctl $1=$2 failed"
}

# Whether this process may lower an oom_score_adj (CAP_SYS_RESOURCE, bit 24 of the effective set).
can_lower_oom_score() { (( (16#$(awk '/^CapEff/ {print $2}' /proc/self/status) >> 24) & 1 )); }

write_containerd_config() { # write_containerd_config SNAPSHOTTER
  # Without CAP_SYS_RESOURCE a sandbox's oom_score_adj of -998 fails in runc ("nsexec: failed to update
  # /proc/self/oom_score_adj: Permission denied"): containerd then clamps every score to its own (0).
  local restrict_oom=false
  can_lower_oom_score || restrict_oom=true
  cat > "$node_dir/containerd.toml" <<EOF
# Written by tests/control-plane/node.sh: a containerd of its own (socket, root, state), not the system's.
version = 2
root = "$node_dir/containerd"
state = "$run/containerd"
oom_score = 0
[grpc]
  address = "$sock"
[ttrpc]
  address = "$sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$node_dir/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "kubegate.local/pause:1"
  disable_tcp_service = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  netns_mounts_under_state_dir = true
  enable_selinux = false
  restrict_oom_score_adj = $restrict_oom
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "$1"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$run/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$node_dir/cni/bin"
    conf_dir = "$node_dir/cni/net.d"
    max_conf_num = 1
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$node_dir/certs.d"
EOF
}

ctr_() { ctr --address "$sock" --namespace k8s.io "$@"; }

start_containerd() {
  start_daemon containerd containerd --config "$node_dir/containerd.toml"
  wait_for 30 "containerd answering on $sock (log: $logs/containerd.log)" ctr --address "$sock" version
}

cmd_start() {
  local kubeconfig="${1:?usage: node.sh start KUBECONFIG}" t0 t
  [ "$(id -u)" = 0 ] || die "must run as root (containerd, runc, CNI, kubelet)"
  [ -f "$kubeconfig" ] || die "no kubeconfig at $kubeconfig (start.sh writes it)"
  kubeconfig="$(cd "$(dirname "$kubeconfig")" && pwd)/$(basename "$kubeconfig")"
  t0=$(ms)
  local bin; bin="$("$here/build.sh")"
  for b in kubelet kube-proxy kubectl; do [ -x "$bin/$b" ] || die "$bin/$b missing after build.sh"; done
  export PATH="$bin:$PATH" KUBECONFIG="$kubeconfig"
  kubectl get --raw /readyz >/dev/null 2>&1 || die "the control plane of $kubeconfig does not answer /readyz"
  for d in kubelet kube-proxy containerd registry; do running "$d" && die "$d is already running; run node.sh stop first"; done
  if ss -ltnH "sport = :$kubelet_port" 2>/dev/null | grep -q .; then die "port $kubelet_port (kubelet) is taken: set KUBEGATE_NODE_KUBELET_PORT"; fi
  ensure_packages
  for c in containerd ctr runc iptables conntrack openssl; do command -v "$c" >/dev/null || die "$c not found"; done
  mkdir -p "$node_dir"/{pki,cni/net.d,kubelet,pod-logs,certs.d} "$logs" "$run"
  local ip; ip="$(host_ip)"
  echo "$kubeconfig" > "$run/kubeconfig"

  # Images (cached) and the registry that serves them to pulls.
  t=$(ms)
  local archive; archive="$("$here/images.sh")"
  log "images ready in $(since "$t") s"
  local port; port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  start_daemon registry python3 "$here/oci.py" serve "$(dirname "$archive")/layout" --listen "127.0.0.1:$port"
  wait_for 10 "the local registry on 127.0.0.1:$port" python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/v2/')"
  for host in docker.io kubegate.local; do
    mkdir -p "$node_dir/certs.d/$host"
    printf '# node.sh: pulls of %s go to the local images (tests/control-plane/oci.py serve)\nserver = "http://127.0.0.1:%s"\n[host."http://127.0.0.1:%s"]\n  capabilities = ["pull", "resolve"]\n' \
      "$host" "$port" "$port" > "$node_dir/certs.d/$host/hosts.toml"
  done

  # Pod network: bridge (else ptp, else none) probed in a scratch namespace first.
  sysctl_set net.ipv4.ip_forward 1
  sysctl_set net.bridge.bridge-nf-call-iptables 1
  local chosen="" err
  rm -rf "$node_dir/cni/net.d/"* "$node_dir/cni/bin"
  mkdir -p "$node_dir/cni/bin"
  local p
  for p in "$cni_bin"/*; do ln -s "$p" "$node_dir/cni/bin/"; done
  case "$network" in bridge) order=(bridge ptp) ;; ptp) order=(ptp) ;; host) order=() ;; *) die "KUBEGATE_NODE_NETWORK must be bridge, ptp or host" ;; esac
  for kind in "${order[@]}"; do
    if err="$(cni_probe "$kind")"; then chosen="$kind"; log "CNI $kind works (probe: ${err//$'\n'/ })"; break; fi
    log "CNI $kind does not work here: $err"
  done
  if [ -n "$chosen" ]; then
    cat > "$node_dir/cni/net.d/10-$network_name.conflist" <<EOF
{"cniVersion": "0.4.0", "name": "$network_name", "plugins": [
  $(cni_plugin_conf "$chosen" "$bridge" "$pod_cidr" "$node_dir/cni/ipam"),
  {"type": "portmap", "capabilities": {"portMappings": true}}
]}
EOF
    echo "$chosen" > "$run/network"
  else
    # A plugin that does nothing: the runtime's network counts as ready (so the node is Ready) and pods
    # with hostNetwork: true run; any other pod fails ("failed to find network info for sandbox").
    log "no pod network: only pods with hostNetwork: true can run"
    cat > "$node_dir/cni/bin/kubegate-none" <<'EOF'
#!/bin/sh
# node.sh: no pod network here (see NODE.md)
cat >/dev/null
case "$CNI_COMMAND" in
  ADD) echo '{"cniVersion": "0.4.0"}' ;;
  VERSION) echo '{"cniVersion": "0.4.0", "supportedVersions": ["0.3.1", "0.4.0"]}' ;;
esac
EOF
    chmod +x "$node_dir/cni/bin/kubegate-none"
    echo "{\"cniVersion\": \"0.4.0\", \"name\": \"$network_name\", \"plugins\": [{\"type\": \"kubegate-none\"}]}" \
      > "$node_dir/cni/net.d/10-$network_name.conflist"
    echo none > "$run/network"
  fi

  # containerd: overlayfs, or the native snapshotter when overlay mounts fail.
  t=$(ms)
  local snapshotter="${KUBEGATE_NODE_SNAPSHOTTER:-overlayfs}"
  can_lower_oom_score || log "no CAP_SYS_RESOURCE here: containerd clamps pods' oom_score_adj to 0 (restrict_oom_score_adj)"
  write_containerd_config "$snapshotter"
  start_containerd
  log "containerd up in $(since "$t") s"
  t=$(ms)
  ctr_ images import --snapshotter "$snapshotter" "$archive" >/dev/null 2>"$logs/import.err" \
    || die "ctr images import failed: $(cat "$logs/import.err")"
  log "images imported in $(since "$t") s: $(ctr_ images ls -q | grep -v -e '^sha256:' -e '@' | tr '\n' ' ')"
  if ! err="$(ctr_ run --rm --snapshotter "$snapshotter" docker.io/library/busybox:latest kubegate-probe-$$ true 2>&1)"; then
    if [ "$snapshotter" = overlayfs ]; then
      log "a container on overlayfs failed: $err"
      log "falling back to the native snapshotter"
      stop_daemon containerd
      snapshotter=native
      write_containerd_config native
      start_containerd
      ctr_ images import --snapshotter native "$archive" >/dev/null
      err="$(ctr_ run --rm --snapshotter native docker.io/library/busybox:latest kubegate-probe-$$ true 2>&1)" \
        || die "a container does not run on the native snapshotter either: $err"
    else
      die "a container does not run ($snapshotter snapshotter): $err"
    fi
  fi
  echo "$snapshotter" > "$run/snapshotter"
  log "a container ran (runc, $snapshotter snapshotter)"

  # Credentials: certificates from the control plane's CA (kwokctl's pki), else the admin kubeconfig.
  local kubelet_kubeconfig="$node_dir/kubelet.kubeconfig" proxy_kubeconfig="$node_dir/kube-proxy.kubeconfig" tls=""
  if [ -f "$pki/ca.key" ] && [ -f "$pki/ca.crt" ]; then
    gen_cert kubelet-client "system:node:$node_name" system:nodes
    gen_cert kube-proxy system:kube-proxy system:node-proxier
    gen_cert kubelet-serving "system:node:$node_name" system:nodes "IP:$ip,DNS:$node_name"
    kubeconfig_for kubelet-client "$kubelet_kubeconfig"
    kubeconfig_for kube-proxy "$proxy_kubeconfig"
    tls="tlsCertFile: $node_dir/pki/kubelet-serving.crt
tlsPrivateKeyFile: $node_dir/pki/kubelet-serving.key"
    cp "$pki/ca.crt" "$node_dir/pki/ca.crt"
  else
    log "no CA key at $pki: the kubelet and kube-proxy use the admin kubeconfig, and the kubelet a self-signed serving certificate"
    cp "$kubeconfig" "$kubelet_kubeconfig"; cp "$kubeconfig" "$proxy_kubeconfig"
    kubectl config view --raw --minify --flatten -o jsonpath='{.clusters[0].cluster.certificate-authority-data}' | base64 -d > "$node_dir/pki/ca.crt"
  fi

  # kube-proxy (Services), iptables mode.
  if [ "$(cat "$run/network")" != none ]; then
    cat > "$node_dir/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection:
  kubeconfig: $proxy_kubeconfig
hostnameOverride: $node_name
mode: iptables
clusterCIDR: $pod_cidr
nodePortAddresses: [primary]
healthzBindAddress: 127.0.0.1:$proxy_healthz_port
metricsBindAddress: 127.0.0.1:$proxy_metrics_port
iptables:
  # replies of a Service's pod to a pod on the same bridge must come back through the host
  masqueradeAll: true
conntrack:
  # leave the machine's conntrack table alone
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
EOF
    start_daemon kube-proxy kube-proxy --config "$node_dir/kube-proxy.yaml" --v=2
  fi

  # The kubelet. cgroup v1 with the cgroupfs driver; no swap check; image garbage collection and disk
  # eviction off (a test machine's disk is not the node's to guard).
  local resolv=/etc/resolv.conf
  [ -s "$resolv" ] || { resolv="$node_dir/resolv.conf"; echo "nameserver 127.0.0.1" > "$resolv"; }
  cat > "$node_dir/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $ip
port: $kubelet_port
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $kubelet_healthz_port
$tls
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $node_dir/pki/ca.crt}
authorization:
  mode: Webhook
containerRuntimeEndpoint: unix://$sock
imageServiceEndpoint: unix://$sock
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
podLogsDir: $node_dir/pod-logs
resolvConf: $resolv
clusterDomain: cluster.local
registerNode: true
rotateCertificates: false
serverTLSBootstrap: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard:
  memory.available: "100Mi"
  nodefs.available: "0%"
  nodefs.inodesFree: "0%"
  imagefs.available: "0%"
syncFrequency: 10s
fileCheckFrequency: 10s
nodeStatusUpdateFrequency: 5s
EOF
  t=$(ms)
  start_daemon kubelet kubelet --config "$node_dir/kubelet.yaml" --kubeconfig "$kubelet_kubeconfig" \
    --root-dir "$node_dir/kubelet" --cert-dir "$node_dir/pki" --hostname-override "$node_name" --node-ip "$ip" \
    --node-labels "kubegate.dev/node=real" ${KUBEGATE_NODE_TAINT:+--register-with-taints "$KUBEGATE_NODE_TAINT"} --v=2
  local i
  for i in $(seq 1 600); do
    running kubelet || die "the kubelet exited: $(tail -5 "$logs/kubelet.log")"
    [ "$(kubectl get node "$node_name" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ] && break
    [ "$i" = 600 ] && die "node $node_name not Ready after 120 s; see $logs/kubelet.log"
    sleep 0.2
  done
  log "kubelet registered $node_name ($ip, network $(cat "$run/network"), snapshotter $snapshotter), Ready in $(since "$t") s"
  running kube-proxy 2>/dev/null || [ "$(cat "$run/network")" = none ] || die "kube-proxy exited: $(tail -5 "$logs/kube-proxy.log")"
  log "node up in $(since "$t0") s; logs in $logs"
}

# Unmounts every mount under DIR, deepest first.
unmount_under() {
  local dir="$1" m
  [ -d "$dir" ] || return 0
  awk -v d="$dir" '{ p = $5; gsub(/\\040/, " ", p); if (p == d || index(p, d "/") == 1) print p }' /proc/self/mountinfo \
    | sort -r | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "cannot unmount $m"; done
}

cmd_stop() {
  [ "$(id -u)" = 0 ] || die "must run as root"
  local kubeconfig="${1:-}"
  [ -n "$kubeconfig" ] || kubeconfig="$(cat "$run/kubeconfig" 2>/dev/null || true)"
  mkdir -p "$run"
  # Pods first, while the kubelet runs: it stops their containers and the CRI tears down their networks.
  if [ -n "$kubeconfig" ] && [ -f "$kubeconfig" ] && running kubelet; then
    local kubectl; kubectl="$("$here/build.sh")/kubectl"
    timeout 40 "$kubectl" --kubeconfig "$kubeconfig" delete pods --all-namespaces --field-selector "spec.nodeName=$node_name" \
      --grace-period=1 --wait=true >/dev/null 2>&1 || log "deleting the node's pods did not finish; cleaning up by force"
    timeout 10 "$kubectl" --kubeconfig "$kubeconfig" delete node "$node_name" --wait=false >/dev/null 2>&1 || true
  fi
  stop_daemon kubelet
  stop_daemon kube-proxy
  # Containers still running: kill their tasks through containerd before it goes.
  if running containerd; then
    local c
    for c in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks kill -s SIGKILL "$c" >/dev/null 2>&1 || true; done
    sleep 0.5
    for c in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks delete -f "$c" >/dev/null 2>&1 || true; done
    for c in $(ctr_ containers ls -q 2>/dev/null); do ctr_ containers delete "$c" >/dev/null 2>&1 || true; done
  fi
  stop_daemon containerd
  stop_daemon registry
  # Shims of this containerd (they outlive it by design).
  local pid
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $sock( |$)" || true); do kill -KILL "$pid" 2>/dev/null || true; done
  # kube-proxy's iptables chains.
  local kp; kp="$(ls -d "$cache"/control-plane/*/bin/kube-proxy 2>/dev/null | head -1 || true)"
  if [ -f "$node_dir/kube-proxy.yaml" ] && [ -n "$kp" ] && iptables -t nat -S KUBE-SERVICES >/dev/null 2>&1; then
    "$kp" --cleanup --v=0 >/dev/null 2>&1 || log "kube-proxy --cleanup failed"
  fi
  # CNI leftovers: masquerade and hostport rules of our network, the bridge, address leases.
  local rule chain rules table
  for table in nat filter; do
    rules="$(iptables -t "$table" -S 2>/dev/null | grep -E "$network_name|kubegate-probe" | grep '^-A' || true)"
    [ -n "$rules" ] || continue
    while read -r rule; do
      chain="$(sed -E 's/.* -j (CNI-[A-Za-z0-9-]+).*/\1/; t; s/.*//' <<< "$rule")"
      # shellcheck disable=SC2086 # the rule is a list of iptables arguments
      eval iptables -t "$table" "${rule/-A/-D}" 2>/dev/null || true
      if [ -n "$chain" ]; then iptables -t "$table" -F "$chain" 2>/dev/null || true; iptables -t "$table" -X "$chain" 2>/dev/null || true; fi
    done <<< "$rules"
  done
  # The kubelet's own chains (KUBE-FIREWALL drops non-local traffic to 127.0.0.0/8; the canaries).
  local ipt
  for ipt in iptables ip6tables; do
    command -v "$ipt" >/dev/null || continue
    for table in filter nat mangle; do
      rules="$("$ipt" -t "$table" -S 2>/dev/null | grep -E '^-A [A-Z]+ .*-j (KUBE-FIREWALL|KUBE-KUBELET-CANARY)( |$)' || true)"
      if [ -n "$rules" ]; then
        while read -r rule; do eval "$ipt" -t "$table" "${rule/-A/-D}" 2>/dev/null || true; done <<< "$rules"
      fi
      for chain in KUBE-FIREWALL KUBE-KUBELET-CANARY; do
        "$ipt" -t "$table" -F "$chain" 2>/dev/null || true; "$ipt" -t "$table" -X "$chain" 2>/dev/null || true
      done
    done
  done
  ip link delete "$bridge" 2>/dev/null || true
  rm -rf "$node_dir/cni/ipam"
  # Mounts of pods (volumes under the kubelet's root, rootfs and shm under containerd's state, network
  # namespaces under $run), then the runtime state.
  unmount_under "$node_dir/kubelet"
  unmount_under "$run"
  unmount_under "$node_dir/containerd"
  rm -rf "$run/containerd" "$run/runc"
  rm -rf "$node_dir/kubelet/pods" "$node_dir/pod-logs"/*
  # The kubelet's links in /var/log/containers that point at our pod logs.
  local l
  for l in /var/log/containers/*.log; do
    [ -L "$l" ] && case "$(readlink "$l")" in "$node_dir"/*) rm -f "$l" ;; esac
  done
  # cgroups the kubelet made (kubepods) and containerd's ctr probe made (k8s.io), empty ones only.
  local cg
  for cg in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/*/k8s.io /sys/fs/cgroup/kubepods /sys/fs/cgroup/k8s.io; do
    [ -d "$cg" ] && find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
  # sysctls back to what they were.
  if [ -f "$run/sysctl.saved" ]; then
    local kv
    while IFS= read -r kv; do echo "${kv#*=}" > "/proc/sys/$(tr . / <<< "${kv%%=*}")" 2>/dev/null || true; done < "$run/sysctl.saved"
    rm -f "$run/sysctl.saved"
  fi
  rm -f "$run/network" "$run/snapshotter" "$run/kubeconfig" "$sock" "$sock.ttrpc"
  local left; left="$(pgrep -a -f "$node_dir|$run" || true)"
  [ -z "$left" ] || log "still running after stop: $left"
  log "stopped"
}

cmd_status() {
  local d rc=0
  for d in containerd registry kube-proxy kubelet; do
    if running "$d"; then echo "$d: running (pid $(cat "$(pidfile "$d")"))"; else echo "$d: stopped"; rc=1; fi
  done
  return $rc
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  status) cmd_status ;;
  *) die "usage: node.sh start KUBECONFIG | stop [KUBECONFIG] | status" ;;
esac
