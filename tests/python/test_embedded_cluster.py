"""The embedded cluster through the official Python `kubernetes` client: create, list, logs, exec with
stdout, stderr and returncode, stdin to end of file, a terminal, a 403 for the restricted user, and the
events of pod phases (selected by field, and as `kubectl describe` shows them)."""

import subprocess
import time

import pytest
from kubernetes import client, config
from kubernetes.client.rest import ApiException
from kubernetes.stream import stream

NS = "opencode-manager"


def api(kubeconfig: str) -> client.CoreV1Api:
    return client.CoreV1Api(config.new_client_from_config(config_file=kubeconfig))


def make_pod(name: str, command=None) -> client.V1Pod:
    container = client.V1Container(name="runner", image="busybox:1.36", command=command)
    return client.V1Pod(
        metadata=client.V1ObjectMeta(name=name, labels={"suite": "python"}),
        spec=client.V1PodSpec(containers=[container], restart_policy="Never"),
    )


def wait_phase(core: client.CoreV1Api, name: str, phase: str, timeout: float = 10.0) -> client.V1Pod:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pod = core.read_namespaced_pod(name, NS)
        if pod.status.phase == phase:
            return pod
        time.sleep(0.05)
    pytest.fail(f"pod {name} did not reach {phase}")


def test_create_list_and_read_logs(embedded_cluster):
    core = api(embedded_cluster["admin"])
    core.create_namespaced_pod(NS, make_pod("printer", ["sh", "-c", "echo one; echo two; echo three"]))
    wait_phase(core, "printer", "Succeeded")
    names = [p.metadata.name for p in core.list_namespaced_pod(NS, label_selector="suite=python").items]
    assert names == ["printer"]
    assert core.read_namespaced_pod_log("printer", NS) == "one\ntwo\nthree\n"
    assert core.read_namespaced_pod_log("printer", NS, tail_lines=2) == "two\nthree\n"
    with pytest.raises(ApiException) as missing:
        core.read_namespaced_pod("nope", NS)
    assert missing.value.status == 404


def test_exec_keeps_stdout_and_stderr_apart_and_returns_the_exit_code(embedded_cluster):
    core = api(embedded_cluster["admin"])
    core.create_namespaced_pod(NS, make_pod("shell"))
    wait_phase(core, "shell", "Running")
    resp = stream(
        core.connect_get_namespaced_pod_exec, "shell", NS,
        command=["sh", "-c", "echo out; echo err >&2; exit 3"],
        stderr=True, stdin=False, stdout=True, tty=False, _preload_content=False,
    )
    resp.run_forever(timeout=10)
    assert resp.read_stdout() == "out\n"
    assert resp.read_stderr() == "err\n"
    assert resp.returncode == 3

    preloaded = stream(
        core.connect_get_namespaced_pod_exec, "shell", NS,
        command=["echo", "hello world"], stderr=True, stdin=False, stdout=True, tty=False,
    )
    assert preloaded == "hello world\n"


def test_exec_writes_stdin_and_closes_it(embedded_cluster):
    core = api(embedded_cluster["admin"])
    core.create_namespaced_pod(NS, make_pod("cat"))
    wait_phase(core, "cat", "Running")
    resp = stream(
        core.connect_get_namespaced_pod_exec, "cat", NS,
        command=["cat"], stderr=True, stdin=True, stdout=True, tty=False, _preload_content=False,
    )
    resp.write_stdin("abc\n")
    resp.close_channel(0)
    resp.run_forever(timeout=10)
    assert resp.read_stdout() == "abc\n"
    assert resp.returncode == 0


def test_exec_on_a_terminal(embedded_cluster):
    core = api(embedded_cluster["admin"])
    core.create_namespaced_pod(NS, make_pod("tty"))
    wait_phase(core, "tty", "Running")
    resp = stream(
        core.connect_get_namespaced_pod_exec, "tty", NS,
        command=["sh", "-c", "tty > /dev/null && echo on-a-tty"],
        stderr=True, stdin=True, stdout=True, tty=True, _preload_content=False,
    )
    resp.run_forever(timeout=10)
    assert "on-a-tty" in resp.read_stdout()
    assert resp.returncode == 0


def test_the_restricted_user_is_forbidden_outside_its_namespace(embedded_cluster):
    core = api(embedded_cluster["restricted"])
    core.list_namespaced_pod(NS)
    with pytest.raises(ApiException) as denied:
        core.list_namespaced_pod("default")
    assert denied.value.status == 403
    assert "Forbidden" in denied.value.body
    review = client.AuthorizationV1Api(config.new_client_from_config(config_file=embedded_cluster["restricted"]))
    body = client.V1SelfSubjectAccessReview(
        spec=client.V1SelfSubjectAccessReviewSpec(
            resource_attributes=client.V1ResourceAttributes(namespace=NS, verb="create", resource="pods", subresource="exec")
        )
    )
    assert review.create_self_subject_access_review(body).status.allowed is True


def test_pod_phases_are_reported_as_events_a_client_can_select_and_kubectl_describes(embedded_cluster):
    core = api(embedded_cluster["admin"])
    pod = core.create_namespaced_pod(NS, make_pod("narrated", ["sh", "-c", "sleep 30"]))
    wait_phase(core, "narrated", "Running")
    selector = f"involvedObject.name=narrated,involvedObject.uid={pod.metadata.uid}"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        reasons = [e.reason for e in core.list_namespaced_event(NS, field_selector=selector).items]
        if "Started" in reasons:
            break
        time.sleep(0.05)
    assert reasons == ["Scheduled", "Pulled", "Created", "Started"], reasons
    events = core.list_namespaced_event(NS, field_selector=selector).items
    assert {(e.type, e.source.component) for e in events} == {("Normal", "default-scheduler"), ("Normal", "kubelet")}
    assert events[-1].involved_object.field_path == "spec.containers{runner}"
    # Another pod's events are not selected.
    assert core.list_namespaced_event(NS, field_selector="involvedObject.name=someone-else").items == []
    described = subprocess.run(["kubectl", "--kubeconfig", embedded_cluster["admin"], "-n", NS, "describe", "pod",
                                "narrated"], capture_output=True, text=True, timeout=30)
    assert described.returncode == 0, described.stderr
    assert "Started container runner" in described.stdout, described.stdout
    core.delete_namespaced_pod("narrated", NS, grace_period_seconds=0)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if "Killing" in [e.reason for e in core.list_namespaced_event(NS, field_selector=selector).items]:
            return
        time.sleep(0.05)
    pytest.fail("no Killing event after the delete")


def test_a_container_that_keeps_failing_is_a_back_off_warning(embedded_cluster):
    core = api(embedded_cluster["admin"])
    pod = make_pod("crashing", ["sh", "-c", "exit 1"])
    pod.spec.restart_policy = "Always"
    core.create_namespaced_pod(NS, pod)
    deadline = time.monotonic() + 10
    warnings = []
    while time.monotonic() < deadline and not warnings:
        events = core.list_namespaced_event(NS, field_selector="involvedObject.name=crashing,type=Warning").items
        warnings = [(e.reason, e.message) for e in events]
        time.sleep(0.05)
    assert warnings and warnings[0] == ("BackOff", "Back-off restarting failed container runner in pod crashing"), warnings
    core.delete_namespaced_pod("crashing", NS, grace_period_seconds=0)


def kubectl(kubeconfig: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["kubectl", "--kubeconfig", kubeconfig, *args], capture_output=True, text=True, timeout=30)


def test_kubectl_auth_can_i_and_create_namespace_send_protobuf_and_are_understood(embedded_cluster):
    # kubectl posts these two as application/vnd.kubernetes.protobuf.
    admin, restricted = embedded_cluster["admin"], embedded_cluster["restricted"]
    assert kubectl(admin, "auth", "can-i", "create", "pods/exec", "-n", NS).stdout.strip() == "yes"
    assert kubectl(restricted, "auth", "can-i", "create", "pods", "-n", NS).stdout.strip() == "yes"
    denied = kubectl(restricted, "auth", "can-i", "list", "pods", "-n", "default")
    assert (denied.returncode, denied.stdout.strip()) == (1, "no"), denied
    created = kubectl(admin, "create", "namespace", "team-proto")
    assert created.returncode == 0, created.stderr
    # A namespace is usable once its default ServiceAccount exists, as on a real cluster.
    assert api(admin).read_namespaced_service_account("default", "team-proto").metadata.name == "default"
    # Other kinds sent as protobuf are refused with a message saying what to do.
    refused = kubectl(admin, "-n", NS, "create", "configmap", "proto-cm", "--from-literal=a=b")
    assert refused.returncode != 0 and "send JSON" in refused.stderr, refused.stderr
