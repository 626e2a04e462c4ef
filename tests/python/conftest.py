"""Fixtures shared by the Python suites: the kubegate binary and an embedded cluster started from it."""

import contextlib
import os
import pathlib
import secrets
import subprocess
import tempfile
import time
from typing import Optional

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def kubegate_binary() -> str:
    """The kubegate binary under test: $KUBEGATE_BIN, else the debug build."""
    binary = os.environ.get("KUBEGATE_BIN", str(ROOT / "target" / "debug" / "kubegate"))
    if not os.access(binary, os.X_OK):
        pytest.fail(f"kubegate binary not found at {binary}: run tests/run, or cargo build first")
    return binary


def stop(process: subprocess.Popen, what: str, seconds: int = 15) -> None:
    """SIGTERM, then a failure (after SIGKILL) if the process does not stop in time."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail(f"{what} did not stop within {seconds} s of SIGTERM")


@pytest.fixture
def embedded_cluster():
    """Starts `kubegate embedded-cluster` and yields the paths of its two kubeconfigs."""
    with tempfile.TemporaryDirectory(prefix="kubegate-py-") as tmp:
        kubeconfig = pathlib.Path(tmp) / "kubeconfig"
        process = subprocess.Popen(
            [kubegate_binary(), "embedded-cluster", "--kubeconfig-out", str(kubeconfig), "--data-dir", str(pathlib.Path(tmp) / "data")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=hermetic_env(tmp),
        )
        try:
            deadline = time.monotonic() + 20
            while not kubeconfig.exists():
                if process.poll() is not None:
                    pytest.fail("embedded cluster exited: " + process.stderr.read().decode())
                if time.monotonic() > deadline:
                    pytest.fail("embedded cluster did not write its kubeconfig")
                time.sleep(0.05)
            yield {"admin": str(kubeconfig), "restricted": str(kubeconfig) + "-restricted"}
        finally:
            stop(process, "the embedded cluster")


# Variables of the machine kubegate reads besides KUBEGATE_*: a kubegate under test gets none of them.
MACHINE_VARIABLES = ("KUBECONFIG", "XDG_STATE_HOME", "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT",
                     "POD_NAMESPACE", "POD_NAME", "NODE_EXTRA_CA_CERTS", "OTEL_EXPORTER_OTLP_ENDPOINT", "RUST_LOG")


def hermetic_env(home: str) -> dict:
    """The environment for a kubegate under test: none of the caller's KUBEGATE_* settings, KUBECONFIG,
    in-cluster variables or home directory (where a real kubeconfig or a generated token could be found or
    written): `home` is HOME, and the default kubeconfig (/workspace/.kube/kubeconfig otherwise) is looked
    for in `home`/.kube/kubeconfig."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KUBEGATE_") and k not in MACHINE_VARIABLES}
    env["HOME"] = home
    env["KUBEGATE_DEFAULT_KUBECONFIG"] = str(pathlib.Path(home) / ".kube" / "kubeconfig")
    return env


def free_port() -> int:
    """A port free at the time of asking, on loopback."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(token: Optional[str]):
    """Runs `kubegate serve` on the embedded cluster, on free loopback ports, and yields the REST base
    URL, the gRPC address, the log path and the data directory (the embedded cluster's kubeconfig and
    volumes) once the gateway reports the service healthy. With `token`, the service gets it as
    KUBEGATE_API_TOKEN; without, it runs with `--no-auth`."""
    import json
    import urllib.request

    with tempfile.TemporaryDirectory(prefix="kubegate-serve-") as tmp:
        http_port, terminal_port, grpc_port = free_port(), free_port(), free_port()
        env = hermetic_env(tmp)
        auth = ["--no-auth"]
        if token is not None:
            env["KUBEGATE_API_TOKEN"] = token
            auth = []
        process = subprocess.Popen(
            [
                kubegate_binary(), "serve", "--embedded-cluster", *auth,
                "--data-dir", str(pathlib.Path(tmp) / "data"),
                "--settings", str(pathlib.Path(tmp) / "settings.json"),
                "--http-addr", f"127.0.0.1:{http_port}",
                "--terminal-addr", f"127.0.0.1:{terminal_port}",
                "--grpc-addr", f"127.0.0.1:{grpc_port}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=open(pathlib.Path(tmp) / "kubegate.log", "wb"),
            env=env,
        )
        base = f"http://127.0.0.1:{http_port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                if process.poll() is not None:
                    pytest.fail("kubegate exited: " + (pathlib.Path(tmp) / "kubegate.log").read_text())
                try:
                    with urllib.request.urlopen(base + "/healthz", timeout=2) as answer:
                        if json.load(answer).get("status") == "SERVING":
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail("kubegate did not become healthy: " + (pathlib.Path(tmp) / "kubegate.log").read_text())
                time.sleep(0.1)
            yield {
                "url": base,
                "grpc": f"127.0.0.1:{grpc_port}",
                "log": pathlib.Path(tmp) / "kubegate.log",
                "data": pathlib.Path(tmp) / "data",
            }
        finally:
            stop(process, "kubegate")


@pytest.fixture
def kubegate_serve():
    """`kubegate serve --no-auth` (see `serving`), for the tests that are not about authentication."""
    with serving(None) as served:
        yield served


@pytest.fixture
def kubegate_serve_with_token():
    """`kubegate serve` with a fresh random API token (64 hex characters) in its KUBEGATE_API_TOKEN;
    yields what `kubegate_serve` does plus "token"."""
    token = secrets.token_hex(32)
    with serving(token) as served:
        yield {**served, "token": token}
