#!/usr/bin/env bash
# Builds the real node's container images locally (no registry is reachable) into one OCI image layout:
#   busybox  a root file system of Debian's busybox-static: /bin/busybox and a link for each applet
#   pause    the same layer, entrypoint `sleep` for ~68 years: containerd's sandbox_image
#   git      a minimal Debian root file system (mmdebstrap, variant essential) with git and ca-certificates
# under several names each (the table in NODE.md). Everything is cached in
#   ${KUBEGATE_CACHE:-~/.cache/kubegate}/node/images
# keyed by version strings (busybox-static's package version; KUBEGATE_GIT_IMAGE_VERSION for the Debian
# image, bump it to rebuild). Prints the OCI archive (a tar of the layout, for `ctr images import`) on
# stdout; the layout directory beside it is what oci.py's registry serves.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${KUBEGATE_CACHE:-$HOME/.cache/kubegate}"
dir="$cache/node/images"
layout="$dir/layout"
suite="${KUBEGATE_GIT_IMAGE_SUITE:-bookworm}"
git_version="${KUBEGATE_GIT_IMAGE_VERSION:-$suite-1}"
mirror="${KUBEGATE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

# The names tests use, by image. Keep NODE.md's table in step.
busybox_names=(docker.io/library/busybox:latest docker.io/library/busybox:1.36 docker.io/library/alpine:latest)
pause_names=(kubegate.local/pause:1)
git_names=(kubegate.local/git:latest docker.io/library/debian:"$suite" docker.io/library/node:20
           docker.io/library/node:20-alpine docker.io/library/node:20.11.0-alpine)

log() { echo "images: $*" >&2; }
die() { echo "images: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (the Debian root file system is built with chroot)"
mkdir -p "$dir"
apt_ready=""
need() { # need COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  log "installing $2 with apt"
  if [ -z "$apt_ready" ]; then apt-get update -qq >&2 || die "apt-get update failed"; apt_ready=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >&2 || die "apt-get install $2 failed"
}
# A deterministic layer tar of a root file system (no device nodes; the runtime mounts /dev).
layer_tar() { # layer_tar ROOTFS OUT
  tar --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 --exclude='./dev/*' --exclude='./proc/*' \
    --exclude='./sys/*' -C "$1" -cf "$2.tmp" .
  mv "$2.tmp" "$2"
}
name_args() { names=(); local n; for n in "$@"; do names+=(--name "$n"); done; } # sets names=(--name N ...)
has_all() { # has_all KEY NAME... : the layout already holds every NAME built from KEY
  local key="$1" n; shift
  for n in "$@"; do python3 "$here/oci.py" has "$layout" "$n" "$key" || return 1; done
}

# busybox and pause
need busybox busybox-static
busybox_bin="$(command -v busybox)"
busybox_key="busybox-static-$(dpkg-query -W -f='${Version}' busybox-static 2>/dev/null || "$busybox_bin" | head -1 | awk '{print $2}')"
if ! has_all "$busybox_key" "${busybox_names[@]}" "${pause_names[@]}"; then
  started=$(date +%s)
  log "busybox ($busybox_key)"
  work="$(mktemp -d "$dir/busybox.XXXXXX")"
  r="$work/rootfs"
  mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,var/tmp,proc,sys,dev,home}
  chmod 1777 "$r/tmp" "$r/var/tmp"
  cp "$busybox_bin" "$r/bin/busybox"
  file "$r/bin/busybox" 2>/dev/null | grep -q 'dynamically' && die "$busybox_bin is not static: install busybox-static"
  for applet in $("$r/bin/busybox" --list-full); do
    [ -e "$r/$applet" ] || ln -s /bin/busybox "$r/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$r/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$r/etc/group"
  layer_tar "$r" "$work/layer.tar"
  name_args "${busybox_names[@]}"
  python3 "$here/oci.py" add "$layout" --layer "$work/layer.tar" --key "$busybox_key" --cmd '["sh"]' "${names[@]}" >/dev/null
  name_args "${pause_names[@]}"
  python3 "$here/oci.py" add "$layout" --layer "$work/layer.tar" --key "$busybox_key" \
    --entrypoint '["/bin/sleep","2147483647"]' "${names[@]}" >/dev/null
  rm -rf "$work"
  log "busybox and pause built in $(( $(date +%s) - started )) s"
fi

# sh + git: a Debian root file system, kept small (no documentation, manuals or translations)
git_key="debian-git-$git_version"
if ! has_all "$git_key" "${git_names[@]}"; then
  need mmdebstrap mmdebstrap
  started=$(date +%s)
  rootfs_tar="$dir/$git_key-rootfs.tar"
  if [ ! -f "$rootfs_tar" ]; then
    log "Debian $suite with git ($git_key) from $mirror"
    work="$(mktemp -d "$dir/git.XXXXXX")"
    mmdebstrap --quiet --mode=root --variant=essential --include=git,ca-certificates \
      --aptopt='APT::Install-Recommends "false"' \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
      --dpkgopt='path-exclude=/usr/share/info/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
      --dpkgopt='path-include=/usr/share/locale/locale.alias' \
      --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/*' \
      "$suite" "$work/rootfs" "$mirror" >&2 || die "mmdebstrap failed (see above)"
    layer_tar "$work/rootfs" "$rootfs_tar"
    rm -rf "$work"
  fi
  name_args "${git_names[@]}"
  python3 "$here/oci.py" add "$layout" --layer "$rootfs_tar" --key "$git_key" --cmd '["bash"]' "${names[@]}" >/dev/null
  log "git image built in $(( $(date +%s) - started )) s ($(du -h "$rootfs_tar" | cut -f1) uncompressed)"
fi

# The archive for `ctr images import`, redone when the layout's index changed.
archive="$dir/images.tar"
if [ ! -f "$archive" ] || [ "$layout/index.json" -nt "$archive" ]; then
  # Only the blobs the index still names (a rebuilt image leaves its old blobs behind in the layout).
  python3 - "$layout" > "$dir/blobs.list" <<'PY'
import json, os, sys
layout = sys.argv[1]
seen = set()
def walk(digest):
    if digest in seen: return
    seen.add(digest)
    path = os.path.join(layout, "blobs", "sha256", digest.split(":", 1)[1])
    with open(path, "rb") as f:
        data = f.read(1 << 16)
    try:
        m = json.loads(data)
    except Exception:
        return
    if isinstance(m, dict) and "layers" in m:
        walk(m["config"]["digest"])
        for l in m["layers"]: walk(l["digest"])
for m in json.load(open(os.path.join(layout, "index.json")))["manifests"]:
    walk(m["digest"])
for d in sorted(seen):
    print("blobs/sha256/" + d.split(":", 1)[1])
PY
  tar -C "$layout" -cf "$archive.tmp" oci-layout index.json -T "$dir/blobs.list"
  mv "$archive.tmp" "$archive"
fi
echo "$archive"
