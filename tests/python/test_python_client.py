"""The generated Python client (clients/python) against a live kubegate on the embedded cluster, which
requires an API token that the client takes from KUBEGATE_API_TOKEN: a pod created and watched until it
runs, a one-shot exec with exit code 3, a bidirectional stream echoing stdin with its exit code, a followed
log, deletion, NOT_FOUND as grpc.RpcError, and UNAUTHENTICATED for a wrong token passed in code; and the
same service (without authentication) driven through server reflection alone, with no generated code."""

import pathlib
import sys

import grpc
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "clients" / "python" / "src"))

from kubegate.v1 import pods_pb2  # noqa: E402
from kubegate_client import Kubegate  # noqa: E402


def test_the_python_client_drives_pods_exec_and_logs(kubegate_serve_with_token, monkeypatch):
    monkeypatch.setenv("KUBEGATE_API_TOKEN", kubegate_serve_with_token["token"])
    kg = Kubegate(kubegate_serve_with_token["grpc"])
    spec = pods_pb2.PodSpec(name="py-client", image="busybox:1.36",
                            command=["sh", "-c", "for i in 1 2 3; do echo line-$i; sleep 0.2; done; sleep 600"])
    kg.pods.CreatePod(pods_pb2.CreatePodRequest(pod=spec))
    assert kg.wait_running("py-client").name == "py-client"

    code, out, err = kg.run("py-client", ["sh", "-c", "echo out; echo err >&2; exit 3"])
    assert (code, out, err) == (3, b"out\n", b"err\n")

    with kg.session("py-client", ["cat"]) as session:
        session.send(b"hello over the stream\n")
        session.close_stdin()
        events = list(session)
    assert events[0][0] == "started"
    assert b"".join(v for k, v in events if k == "stdout") == b"hello over the stream\n"
    assert events[-1] == ("exit", 0)

    followed = b""
    for chunk in kg.follow_logs("py-client"):
        followed += chunk
        if b"line-3\n" in followed:
            break
    assert followed.startswith(b"line-1\nline-2\n")

    kg.pods.DeletePod(pods_pb2.DeletePodRequest(name="py-client", grace_period_seconds=0))
    with pytest.raises(grpc.RpcError) as missing:
        kg.pods.GetPod(pods_pb2.GetPodRequest(name="py-client-nowhere"))
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND
    kg.close()

    # A token passed in code wins over the environment's: a wrong one is refused.
    wrong = Kubegate(kubegate_serve_with_token["grpc"], token="0" * 64)
    with pytest.raises(grpc.RpcError) as refused:
        wrong.pods.ListPods(pods_pb2.ListPodsRequest())
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
    wrong.close()


def test_reflection_alone_is_enough_to_call_the_service(kubegate_serve):
    from google.protobuf import descriptor_pool, message_factory
    from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

    channel = grpc.insecure_channel(kubegate_serve["grpc"])
    database = ProtoReflectionDescriptorDatabase(channel)
    services = set(database.get_services())
    assert {"kubegate.v1.PodService", "kubegate.v1.ExecService", "kubegate.v1.NetworkService",
            "kubegate.v1.ClusterService", "kubegate.v1.WorkflowService"} <= services
    pool = descriptor_pool.DescriptorPool(database)
    method = pool.FindServiceByName("kubegate.v1.ClusterService").FindMethodByName("TestConnection")
    request_class = message_factory.GetMessageClass(method.input_type)
    response_class = message_factory.GetMessageClass(method.output_type)
    call = channel.unary_unary("/kubegate.v1.ClusterService/TestConnection",
                               request_serializer=request_class.SerializeToString,
                               response_deserializer=response_class.FromString)
    report = call(request_class())
    assert report.connected is True
    assert report.server_version.startswith("v1.")
    # Every message type of every service resolves: reflection serves the whole API.
    for name in services:
        for m in pool.FindServiceByName(name).methods:
            message_factory.GetMessageClass(m.input_type)
            message_factory.GetMessageClass(m.output_type)
    channel.close()
