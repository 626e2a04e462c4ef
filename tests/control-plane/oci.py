#!/usr/bin/env python3
"""Local container images for the real node (node.sh), with no registry and no tools beyond Python.

  oci.py add LAYOUT --layer ROOTFS.tar --name REF [--name REF ...] [--entrypoint JSON] [--cmd JSON]
                    [--env K=V ...] [--workdir DIR] [--key KEY]
      Adds one single-layer image to the OCI image layout directory LAYOUT (created if missing): the
      layer gzipped into blobs/, an image config, a manifest, and one index.json entry per REF (a full
      reference such as docker.io/library/busybox:latest, written as the io.containerd.image.name
      annotation that `ctr images import` names images by). Entries with the same REF are replaced.
  oci.py has LAYOUT REF KEY
      Exits 0 when LAYOUT's index holds REF built from KEY (the cache check of images.sh).
  oci.py serve LAYOUT --listen HOST:PORT
      A read-only registry (the pull side of the OCI distribution API) over LAYOUT, for containerd's
      hosts.toml: kubelet pulls images whose policy is Always (an image without a tag, or :latest), and
      those must be served by something. Names are matched with the `ns` query parameter containerd adds
      when it talks to a mirror (docker.io/library/busybox:latest asks /v2/library/busybox/manifests/latest?ns=docker.io).
"""
import argparse
import gzip
import hashlib
import http.server
import json
import os
import shutil
import sys
import tempfile
import urllib.parse

INDEX_TYPE = "application/vnd.oci.image.index.v1+json"
MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json"
CONFIG_TYPE = "application/vnd.oci.image.config.v1+json"
LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip"
NAME_KEY = "io.containerd.image.name"
REF_KEY = "org.opencontainers.image.ref.name"
CACHE_KEY = "dev.kubegate.build-key"


def blob_dir(layout):
    d = os.path.join(layout, "blobs", "sha256")
    os.makedirs(d, exist_ok=True)
    return d


def put_blob(layout, data):
    digest = hashlib.sha256(data).hexdigest()
    path = os.path.join(blob_dir(layout), digest)
    if not os.path.exists(path):
        with open(path + ".tmp", "wb") as f:
            f.write(data)
        os.replace(path + ".tmp", path)
    return "sha256:" + digest, len(data)


def put_layer(layout, tar_path):
    """Gzips the layer into the layout; returns (descriptor, diff_id)."""
    raw = hashlib.sha256()
    packed = hashlib.sha256()
    size = 0
    tmp = tempfile.NamedTemporaryFile(dir=blob_dir(layout), delete=False, prefix=".layer-")

    class Counting:
        def write(self, b):
            nonlocal size
            packed.update(b)
            size += len(b)
            tmp.write(b)

        def flush(self):
            tmp.flush()

    with open(tar_path, "rb") as src, gzip.GzipFile(fileobj=Counting(), mode="wb", compresslevel=6, mtime=0) as gz:
        while True:
            chunk = src.read(1 << 20)
            if not chunk:
                break
            raw.update(chunk)
            gz.write(chunk)
    tmp.close()
    digest = packed.hexdigest()
    os.replace(tmp.name, os.path.join(blob_dir(layout), digest))
    return {"mediaType": LAYER_TYPE, "digest": "sha256:" + digest, "size": size}, "sha256:" + raw.hexdigest()


def read_index(layout):
    path = os.path.join(layout, "index.json")
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    return {"schemaVersion": 2, "mediaType": INDEX_TYPE, "manifests": []}


def write_index(layout, index):
    with open(os.path.join(layout, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    path = os.path.join(layout, "index.json")
    with open(path + ".tmp", "w") as f:
        json.dump(index, f, indent=1)
    os.replace(path + ".tmp", path)


def cmd_add(a):
    os.makedirs(a.layout, exist_ok=True)
    layer, diff_id = put_layer(a.layout, a.layer)
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": "1970-01-01T00:00:00Z",
        "config": {
            "Env": a.env or ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            "WorkingDir": a.workdir,
        },
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "kubegate tests/control-plane/images.sh"}],
    }
    if a.entrypoint:
        config["config"]["Entrypoint"] = json.loads(a.entrypoint)
    if a.cmd:
        config["config"]["Cmd"] = json.loads(a.cmd)
    cdigest, csize = put_blob(a.layout, json.dumps(config, sort_keys=True).encode())
    manifest = {
        "schemaVersion": 2,
        "mediaType": MANIFEST_TYPE,
        "config": {"mediaType": CONFIG_TYPE, "digest": cdigest, "size": csize},
        "layers": [layer],
    }
    mdigest, msize = put_blob(a.layout, json.dumps(manifest, sort_keys=True).encode())
    index = read_index(a.layout)
    index["manifests"] = [m for m in index["manifests"] if m.get("annotations", {}).get(NAME_KEY) not in a.name]
    for name in a.name:
        index["manifests"].append({
            "mediaType": MANIFEST_TYPE, "digest": mdigest, "size": msize,
            "platform": {"architecture": "amd64", "os": "linux"},
            "annotations": {NAME_KEY: name, REF_KEY: name.rsplit(":", 1)[1], CACHE_KEY: a.key or ""},
        })
    write_index(a.layout, index)
    print(mdigest)


def cmd_has(a):
    for m in read_index(a.layout)["manifests"]:
        ann = m.get("annotations", {})
        if ann.get(NAME_KEY) == a.ref and ann.get(CACHE_KEY) == a.key and \
                os.path.exists(os.path.join(blob_dir(a.layout), m["digest"].split(":", 1)[1])):
            sys.exit(0)
    sys.exit(1)


def cmd_serve(a):
    layout = a.layout

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            sys.stderr.write("registry: %s %s\n" % (self.address_string(), fmt % args))

        def send(self, code, body=b"", ctype="application/json", digest=None, path=None, size=None):
            self.send_response(code)
            self.send_header("Docker-Distribution-API-Version", "registry/2.0")
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(size if size is not None else len(body)))
            if digest:
                self.send_header("Docker-Content-Digest", digest)
            self.end_headers()
            if self.command == "HEAD":
                return
            if path:
                with open(path, "rb") as f:
                    shutil.copyfileobj(f, self.wfile)
            else:
                self.wfile.write(body)

        def not_found(self, what):
            body = json.dumps({"errors": [{"code": "NAME_UNKNOWN", "message": what + " is not in the local images (tests/control-plane/images.sh)"}]}).encode()
            self.send(404, body)

        def do_HEAD(self):
            self.do_GET()

        def do_GET(self):
            url = urllib.parse.urlparse(self.path)
            query = urllib.parse.parse_qs(url.query)
            p = url.path
            if p in ("/v2", "/v2/"):
                return self.send(200, b"{}")
            if not p.startswith("/v2/"):
                return self.not_found(p)
            repo, sep, ref = p[4:].rpartition("/manifests/")
            if sep:
                return self.manifest(repo, ref, query.get("ns", [None])[0])
            repo, sep, digest = p[4:].rpartition("/blobs/")
            if sep:
                return self.blob(digest)
            return self.not_found(p)

        def blob(self, digest, ctype="application/octet-stream"):
            algo, _, hexd = digest.partition(":")
            path = os.path.join(layout, "blobs", algo, hexd)
            if algo != "sha256" or not hexd.isalnum() or not os.path.isfile(path):
                return self.not_found(digest)
            self.send(200, ctype=ctype, digest=digest, path=path, size=os.path.getsize(path))

        def manifest(self, repo, ref, ns):
            entries = read_index(layout)["manifests"]
            if ref.startswith("sha256:"):
                for m in entries:
                    if m["digest"] == ref:
                        return self.blob(ref, m["mediaType"])
                return self.not_found(ref)
            wanted = {f"{ns}/{repo}:{ref}"} if ns else {f"{repo}:{ref}", f"docker.io/{repo}:{ref}"}
            for m in entries:
                if m.get("annotations", {}).get(NAME_KEY) in wanted:
                    return self.blob(m["digest"], m["mediaType"])
            return self.not_found(" or ".join(sorted(wanted)))

    host, _, port = a.listen.rpartition(":")
    server = http.server.ThreadingHTTPServer((host, int(port)), Handler)
    server.daemon_threads = True
    server.serve_forever()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add")
    add.add_argument("layout")
    add.add_argument("--layer", required=True)
    add.add_argument("--name", action="append", required=True)
    add.add_argument("--entrypoint")
    add.add_argument("--cmd")
    add.add_argument("--env", action="append")
    add.add_argument("--workdir", default="/")
    add.add_argument("--key")
    has = sub.add_parser("has")
    has.add_argument("layout")
    has.add_argument("ref")
    has.add_argument("key")
    serve = sub.add_parser("serve")
    serve.add_argument("layout")
    serve.add_argument("--listen", required=True)
    a = p.parse_args()
    {"add": cmd_add, "has": cmd_has, "serve": cmd_serve}[a.command](a)


if __name__ == "__main__":
    main()
