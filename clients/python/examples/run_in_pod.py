"""Creates a pod, runs a command in it, prints the exit code and output, deletes the pod.

    KUBEGATE_API_TOKEN=$(cat <data-dir>/api-token) python examples/run_in_pod.py 127.0.0.1:50051

The client takes the API token from KUBEGATE_API_TOKEN.
"""

import sys

from kubegate.v1 import pods_pb2
from kubegate_client import Kubegate

kg = Kubegate(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:50051")
spec = pods_pb2.PodSpec(name="example", image="busybox:1.36", command=["sleep", "600"])
kg.pods.CreatePod(pods_pb2.CreatePodRequest(pod=spec))
try:
    kg.wait_running("example")
    code, out, err = kg.run("example", ["sh", "-c", "echo hello; exit 3"])
    print(f"exit {code}: {out.decode()!r} {err.decode()!r}")
finally:
    kg.pods.DeletePod(pods_pb2.DeletePodRequest(name="example"))
