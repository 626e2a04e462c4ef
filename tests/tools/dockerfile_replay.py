#!/usr/bin/env python3
"""Replays deploy/Dockerfile without a container engine, driven by the Dockerfile itself, and checks the
result. Prints `ok: ...`, `FAIL: ...` and `not verified: ...` lines, then `dockerfile: N passed, M failed`.

    tests/tools/dockerfile_replay.py [DOCKERFILE]      (default deploy/Dockerfile; run from anywhere)

What is replayed, instruction by instruction:
  FROM rust:V-...   a build stage: its RUN lines run as written (sh -c, in the stage's WORKDIR), with a
                    `cargo` on PATH that runs the same cargo command on this checkout (so the usual target
                    directory, CARGO_TARGET_DIR included, is reused) and copies what it built into the
                    stage's ./target/PROFILE/, where the rest of the RUN line (strip) finds it. Checked: the
                    workspace's rust-version is not newer than V.
  FROM other        a runtime stage: its root file system is assembled in a temporary directory. Of its RUN
                    lines only groupadd/useradd are replayed (into the stage's /etc/group and /etc/passwd);
                    apt-get packages are not installed (there is no base image here): it is checked that the
                    binary needs no shared library beyond the base image's C library and libgcc.
  WORKDIR, COPY . . (the build context: the files git knows, less .dockerignore; `cargo metadata --locked
                    --offline` must resolve the workspace from that copy), COPY --from=STAGE (the source
                    must exist), USER, EXPOSE, ENTRYPOINT, CMD.
Then the last stage's ENTRYPOINT runs in its root file system (chroot, the host's C library standing in
for the base image's) as the USER uid:gid: `--version`, `serve --help`, and CMD + `--help` (the CMD's
flags exist); every port CMD listens on is EXPOSEd; USER names a user the RUN lines created.
Not verified: the base images themselves (their packages, CA certificates, git), the image's metadata
and layering, and anything a RUN line of a runtime stage does besides creating users.
"""

import json
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
# Libraries of debian:bookworm-slim's libc6 and libgcc-s1 (both in the base image).
BASE_LIBRARIES = {"libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libutil.so.1",
                  "libgcc_s.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1"}

results = {"passed": 0, "failed": 0}


def check(ok: bool, what: str, detail: str = "") -> bool:
    results["passed" if ok else "failed"] += 1
    print(("ok: " if ok else "FAIL: ") + what + ("" if ok or not detail else f": {detail}"), flush=True)
    return ok


def not_verified(what: str) -> None:
    print(f"not verified: {what}", flush=True)


def instructions(text: str):
    """(keyword, arguments) per instruction: comments dropped, continuation lines joined."""
    logical, current = [], ""
    for line in text.splitlines():
        if not current and (line.lstrip().startswith("#") or not line.strip()):
            continue
        if line.lstrip().startswith("#"):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    if current.strip():
        logical.append(current)
    for line in logical:
        keyword, _, rest = line.strip().partition(" ")
        yield keyword.upper(), rest.strip()


def exec_form(arguments: str) -> list:
    """The argv of an ENTRYPOINT or CMD: the JSON form, else `sh -c` of the shell form."""
    if arguments.startswith("["):
        return json.loads(arguments)
    return ["/bin/sh", "-c", arguments]


def dockerignore_matcher(context: pathlib.Path):
    """Whether a path (relative, with /) is left out of the build context by .dockerignore."""
    rules = []
    ignore = context / ".dockerignore"
    lines = ignore.read_text().splitlines() if ignore.exists() else []
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = line.lstrip("!").strip("/")
        regex = ""
        for part in re.split(r"(\*\*/?|\*|\?)", pattern):
            if part in ("**", "**/"):
                regex += ".*"
            elif part == "*":
                regex += "[^/]*"
            elif part == "?":
                regex += "[^/]"
            else:
                regex += re.escape(part)
        rules.append((re.compile(regex + "(/.*)?$"), negate))

    def ignored(path: str) -> bool:
        verdict = False
        for regex, negate in rules:
            if regex.match(path):
                verdict = not negate
        return verdict

    return ignored


def copy_context(context: pathlib.Path, destination: pathlib.Path) -> int:
    """`COPY . DEST` from the context: the files git knows (tracked and new), less .dockerignore."""
    listed = subprocess.run(["git", "-C", str(context), "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], capture_output=True, check=True).stdout
    ignored = dockerignore_matcher(context)
    copied = 0
    for name in sorted(set(listed.decode().split("\0")) - {""}):
        source = context / name
        if ignored(name) or not source.exists() and not source.is_symlink():
            continue
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)
        copied += 1
    return copied


def cargo_shim(arguments: list) -> int:
    """`cargo` inside a replayed RUN line: the same command on the checkout, then what it built copied to
    ./target/PROFILE/ of the stage."""
    real, checkout = os.environ["REPLAY_REAL_CARGO"], os.environ["REPLAY_CHECKOUT"]
    status = subprocess.run([real, *arguments], cwd=checkout).returncode
    if status != 0 or not arguments or arguments[0] != "build":
        return status
    profile = "release" if "--release" in arguments else "debug"
    for i, argument in enumerate(arguments):
        if argument == "--profile" and i + 1 < len(arguments):
            profile = {"dev": "debug"}.get(arguments[i + 1], arguments[i + 1])
        elif argument.startswith("--profile="):
            profile = {"dev": "debug"}.get(argument.split("=", 1)[1], argument.split("=", 1)[1])
    bins = [arguments[i + 1] for i, a in enumerate(arguments) if a == "--bin" and i + 1 < len(arguments)]
    target_dir = pathlib.Path(os.environ.get("CARGO_TARGET_DIR") or pathlib.Path(checkout) / "target")
    for name in bins:
        destination = pathlib.Path("target") / profile / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(target_dir / profile / name, destination)
    return 0


def workspace_rust_version() -> tuple:
    text = (ROOT / "Cargo.toml").read_text()
    found = re.search(r'^rust-version\s*=\s*"(\d+)\.(\d+)', text, re.M)
    return (int(found.group(1)), int(found.group(2))) if found else (0, 0)


class Stage:
    def __init__(self, base: str, name: str, directory: pathlib.Path):
        self.base, self.name = base, name
        self.root = directory
        self.root.mkdir(parents=True)
        self.workdir = "/"
        self.user = None
        self.expose, self.entrypoint, self.cmd = [], [], []
        self.packages = []

    def path(self, inside: str) -> pathlib.Path:
        return self.root / pathlib.PurePosixPath(self.workdir, inside).as_posix().lstrip("/")


def run_build_line(stage: Stage, command: str, shims: pathlib.Path) -> None:
    env = {**os.environ, "PATH": f"{shims}:{os.environ['PATH']}",
           "REPLAY_REAL_CARGO": shutil.which("cargo") or "cargo", "REPLAY_CHECKOUT": str(ROOT)}
    workdir = stage.path(".")
    workdir.mkdir(parents=True, exist_ok=True)
    status = subprocess.run(["sh", "-c", command], cwd=workdir, env=env).returncode
    check(status == 0, f"RUN in stage {stage.name or stage.base}: {command}", f"exit {status}")


def run_runtime_line(stage: Stage, command: str) -> None:
    etc = stage.root / "etc"
    etc.mkdir(exist_ok=True)
    for part in re.split(r"&&|;", command):
        words = shlex.split(part)
        if not words:
            continue
        if words[0] == "groupadd":
            gid = words[words.index("--gid") + 1] if "--gid" in words else "1000"
            with open(etc / "group", "a") as group:
                group.write(f"{words[-1]}:x:{gid}:\n")
        elif words[0] == "useradd":
            uid = words[words.index("--uid") + 1] if "--uid" in words else "1000"
            gid = words[words.index("--gid") + 1] if "--gid" in words else uid
            shell = words[words.index("--shell") + 1] if "--shell" in words else "/bin/sh"
            with open(etc / "passwd", "a") as passwd:
                passwd.write(f"{words[-1]}:x:{uid}:{gid}::/nonexistent:{shell}\n")
        elif words[0] == "apt-get" and "install" in words:
            stage.packages += [w for w in words[words.index("install") + 1:] if not w.startswith("-")]
        else:
            not_verified(f"RUN in the runtime stage (no base image here): {' '.join(words)}")


def replay(dockerfile: pathlib.Path, work: pathlib.Path) -> list:
    stages = []
    shims = work / "shims"
    shims.mkdir()
    shim = shims / "cargo"
    shim.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} {shlex.quote(str(pathlib.Path(__file__).resolve()))} --cargo-shim \"$@\"\n")
    shim.chmod(0o755)
    for keyword, arguments in instructions(dockerfile.read_text()):
        words = arguments.split()
        if keyword == "FROM":
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else ""
            stages.append(Stage(words[0], name, work / f"stage{len(stages)}"))
            if words[0].startswith("rust:"):
                image = tuple(int(n) for n in re.match(r"rust:(\d+)\.(\d+)", words[0]).groups())
                needed = workspace_rust_version()
                check(needed <= image, f"{words[0]} is new enough for the workspace's rust-version "
                      f"{needed[0]}.{needed[1]}", f"rust-version {needed} > {image}")
                local = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
                not_verified(f"the image's toolchain {words[0]} (built here with {local})")
            else:
                not_verified(f"the base image {words[0]} (its packages and files)")
            continue
        stage = stages[-1]
        if keyword == "WORKDIR":
            stage.workdir = str(pathlib.PurePosixPath(stage.workdir, arguments))
            stage.path(".").mkdir(parents=True, exist_ok=True)
        elif keyword == "COPY":
            source_stage = next((w.split("=", 1)[1] for w in words if w.startswith("--from=")), None)
            paths = [w for w in words if not w.startswith("--")]
            sources, destination = paths[:-1], paths[-1]
            if source_stage is None and sources == ["."]:
                count = copy_context(ROOT, stage.path(destination))
                check(count > 0, f"COPY . {destination}: {count} files of the build context")
                # For this machine's platform only: the crates of other platforms (Android's, Windows') are
                # not downloaded by a build here, so a fresh cargo cache does not have them.
                host = subprocess.run(["rustc", "-vV"], capture_output=True, text=True).stdout
                platform = next((line.split(": ", 1)[1] for line in host.splitlines() if line.startswith("host: ")), "")
                metadata = subprocess.run(["cargo", "metadata", "--locked", "--offline", "--format-version", "1",
                                           "--filter-platform", platform,
                                           "--manifest-path", str(stage.path(destination) / "Cargo.toml")],
                                          capture_output=True, text=True)
                check(metadata.returncode == 0, "the build context holds the whole workspace (cargo metadata "
                      f"--locked --offline --filter-platform {platform} on the copy)", metadata.stderr.strip()[-500:])
            elif source_stage is not None:
                origin = next(s for s in stages if s.name == source_stage or str(stages.index(s)) == source_stage)
                for source in sources:
                    found = origin.root / source.lstrip("/")
                    target = stage.path(destination)
                    if destination.endswith("/"):
                        target = target / found.name
                    if check(found.is_file(), f"COPY --from={source_stage} {source}: it exists in that stage"):
                        target.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(found, target)
                        check(target.is_file(), f"{destination} is in the image's file system")
            else:
                not_verified(f"COPY {arguments}")
        elif keyword == "RUN":
            if stage.base.startswith("rust:"):
                run_build_line(stage, arguments, shims)
            else:
                run_runtime_line(stage, arguments)
        elif keyword == "USER":
            stage.user = arguments
        elif keyword == "EXPOSE":
            stage.expose += [int(p.split("/")[0]) for p in words]
        elif keyword == "ENTRYPOINT":
            stage.entrypoint = exec_form(arguments)
        elif keyword == "CMD":
            stage.cmd = exec_form(arguments)
        elif keyword in ("ENV", "ARG", "LABEL"):
            not_verified(f"{keyword} {arguments}")
    return stages


def with_libraries(stage: Stage, binary: pathlib.Path) -> None:
    """Copies the host's copies of the libraries `binary` loads into the root file system, standing in for
    the base image's; the binary must need none beyond the base image's C library and libgcc."""
    needed = subprocess.run(["readelf", "-d", str(binary)], capture_output=True, text=True).stdout
    names = set(re.findall(r"Shared library: \[([^\]]+)\]", needed))
    extra = sorted(names - BASE_LIBRARIES)
    check(not extra, "the binary needs no shared library beyond the base image's libc6 and libgcc-s1",
          ", ".join(extra))
    listing = subprocess.run(["ldd", str(binary)], capture_output=True, text=True).stdout
    for path in re.findall(r"(/\S+) \(0x", listing):
        target = stage.root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(os.path.realpath(path), target)


def run_in_image(stage: Stage, argv: list) -> subprocess.CompletedProcess:
    """argv in the stage's root file system as its USER (chroot as root; else directly, as this user)."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/nonexistent"}
    if os.geteuid() == 0:
        user = stage.user or "0:0"
        spec = user if ":" in user else f"{user}:{user}"
        command = [shutil.which("chroot") or "/usr/sbin/chroot", f"--userspec={spec}", str(stage.root), *argv]
    else:
        command = [str(stage.root / argv[0].lstrip("/")), *argv[1:]]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)


def verify(stage: Stage) -> None:
    check(bool(stage.entrypoint), "the last stage has an ENTRYPOINT")
    if not stage.entrypoint:
        return
    binary = stage.root / stage.entrypoint[0].lstrip("/")
    if not check(binary.is_file() and os.access(binary, os.X_OK), f"the ENTRYPOINT {stage.entrypoint[0]} is an "
                 "executable file of the image"):
        return
    with_libraries(stage, binary)
    # The root file system must be reachable by the image's user.
    for directory in [stage.root, *stage.root.parents]:
        if directory == pathlib.Path(tempfile.gettempdir()):
            break
        directory.chmod(directory.stat().st_mode | 0o055)
    for directory, _, _ in os.walk(stage.root):
        pathlib.Path(directory).chmod(0o755)
    users = {}
    passwd = stage.root / "etc" / "passwd"
    for line in passwd.read_text().splitlines() if passwd.exists() else []:
        fields = line.split(":")
        users[fields[0]] = fields[2]
        users[fields[2]] = fields[2]
    if stage.user:
        uid = stage.user.split(":")[0]
        check(uid in users, f"USER {stage.user} is a user the image's RUN lines create", f"users: {users}")
        check(users.get(uid, uid) not in ("0", "root"), f"USER {stage.user} is not root")
    else:
        check(False, "the image names a USER (it would run as root)")
    if os.geteuid() != 0:
        not_verified("running as the image's USER (needs root for chroot)")
    version = (ROOT / "Cargo.toml").read_text()
    expected = re.search(r'^version\s*=\s*"([^"]+)"', version, re.M).group(1)
    answer = run_in_image(stage, [*stage.entrypoint, "--version"])
    check(answer.returncode == 0 and expected in answer.stdout,
          f"ENTRYPOINT --version as USER {stage.user}: {answer.stdout.strip()}", answer.stderr.strip()[-300:])
    answer = run_in_image(stage, [*stage.entrypoint, "serve", "--help"])
    check(answer.returncode == 0 and "--grpc-addr" in answer.stdout, f"ENTRYPOINT serve --help as USER {stage.user}",
          answer.stderr.strip()[-300:])
    if stage.cmd:
        answer = run_in_image(stage, [*stage.entrypoint, *stage.cmd, "--help"])
        check(answer.returncode == 0, f"the CMD's flags exist: ENTRYPOINT {' '.join(stage.cmd)} --help",
              (answer.stderr or answer.stdout).strip()[-300:])
        ports = sorted({int(p) for p in re.findall(r"-addr[= ]\S*:(\d+)", " ".join(stage.cmd))})
        missing = [p for p in ports if p not in stage.expose]
        check(not missing, f"every port the CMD listens on ({ports}) is EXPOSEd ({stage.expose})", f"{missing}")
    if stage.packages:
        not_verified(f"apt-get install {' '.join(stage.packages)} (the base image's packages)")


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--cargo-shim":
        return cargo_shim(sys.argv[2:])
    dockerfile = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "deploy" / "Dockerfile"
    with tempfile.TemporaryDirectory(prefix="kubegate-dockerfile-") as tmp:
        try:
            stages = replay(dockerfile.resolve(), pathlib.Path(tmp))
            if check(bool(stages), f"{os.path.relpath(dockerfile, ROOT)} has stages"):
                verify(stages[-1])
        except (OSError, subprocess.SubprocessError, ValueError, StopIteration, AttributeError) as e:
            check(False, "the replay ran to its end", repr(e))
    print(f"dockerfile: {results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
