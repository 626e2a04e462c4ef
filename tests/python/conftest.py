"""Fixtures shared by the Python suites: the kubegate binary and an embedded cluster started from it."""

import os
import pathlib
import subprocess
import tempfile
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def kubegate_binary() -> str:
    """The kubegate binary under test: $KUBEGATE_BIN, else the debug build."""
    binary = os.environ.get("KUBEGATE_BIN", str(ROOT / "target" / "debug" / "kubegate"))
    if not os.access(binary, os.X_OK):
        pytest.fail(f"kubegate binary not found at {binary}: run tests/run, or cargo build first")
    return binary


@pytest.fixture
def embedded_cluster():
    """Starts `kubegate embedded-cluster` and yields the paths of its two kubeconfigs."""
    with tempfile.TemporaryDirectory(prefix="kubegate-py-") as tmp:
        kubeconfig = pathlib.Path(tmp) / "kubeconfig"
        process = subprocess.Popen(
            [kubegate_binary(), "embedded-cluster", "--kubeconfig-out", str(kubeconfig), "--data-dir", str(pathlib.Path(tmp) / "data")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
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
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
