"""kubegate's MCP server driven by a client kubegate did not write, the official Python MCP SDK: over
Streamable HTTP at /mcp on the REST port (with the API token) and over stdio through `kubegate mcp`,
both in front of `kubegate serve` on the embedded cluster."""

import contextlib
import http.client
import json
import pathlib
import random
import secrets
import subprocess
import urllib.parse
import warnings

import anyio
import httpx2
import pytest
from kubernetes import client as k8s_client
from kubernetes import config as k8s_config
from mcp import Client, ResourceUpdatedNotification
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.subscriptions import ResourceUpdated

from conftest import hermetic_env, kubegate_binary, serving

NAMESPACE = "opencode-manager"
TRANSPORTS = ["http", "stdio"]
EXPECTED_TOOLS = {
    "create_pod", "get_pod", "list_pods", "delete_pod", "pod_logs", "exec", "run_tests", "match_image",
    "create_preview", "get_preview", "list_previews", "delete_preview", "create_service", "get_service",
    "list_services", "delete_service", "create_ingress", "get_ingress", "list_ingresses", "delete_ingress",
    "cleanup_pods", "test_connection",
}


def git(repo: pathlib.Path, *args: str) -> str:
    command = ["git", "-C", str(repo), "-c", "user.name=kubegate", "-c", "user.email=kubegate@localhost", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def make_repository(data: pathlib.Path) -> dict:
    """A claim `workspace` holding a git repository with a passing and a failing commit, made as the
    embedded cluster keeps claims: the PersistentVolumeClaim through its API, the files in its volume
    directory."""
    configuration = k8s_client.Configuration()
    k8s_config.load_kube_config(config_file=str(data / "kubeconfig"), client_configuration=configuration)
    core = k8s_client.CoreV1Api(k8s_client.ApiClient(configuration))
    claim = {
        "metadata": {"name": "workspace"},
        "spec": {"accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": "1Gi"}}},
    }
    core.create_namespaced_persistent_volume_claim(NAMESPACE, claim)
    repo = data / "volumes" / NAMESPACE / "workspace" / "repos" / "myapp"
    repo.mkdir(parents=True)
    git(repo, "init", "--quiet", "--initial-branch=main")
    # The pause lets the run be seen running before it ends.
    (repo / "test.sh").write_text("sleep 1\necho testing one\necho 'expected 2, got 3' >&2\nexit 1\n")
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", "failing")
    failing = git(repo, "rev-parse", "HEAD")
    (repo / "test.sh").write_text("sleep 1\necho testing one\necho testing two\necho all passed\n")
    git(repo, "commit", "--quiet", "-am", "passing")
    return {"failing": failing, "passing": git(repo, "rev-parse", "HEAD")}


@pytest.fixture(scope="module")
def stack():
    """One `kubegate serve` with a token for the whole module, with the repository in place."""
    token = secrets.token_hex(32)
    with serving(token) as served:
        commits = make_repository(served["data"])
        yield {**served, "token": token, "commits": commits}


def connect(stack: dict, transport: str, flags: tuple = (), **options) -> Client:
    """An MCP client of the stack over `transport`, with the `Client` options given (and, over stdio,
    extra flags of `kubegate mcp`)."""
    if transport == "http":
        headers = {"Authorization": f"Bearer {stack['token']}"}
        http = httpx2.AsyncClient(headers=headers, timeout=120)
        return Client(streamable_http_client(stack["url"] + "/mcp", http_client=http), **options)
    parameters = StdioServerParameters(
        command=kubegate_binary(),
        args=["mcp", "--upstream", f"http://{stack['grpc']}", *flags],
        env={**hermetic_env(str(stack["data"])), "KUBEGATE_API_TOKEN": stack["token"]},
    )
    return Client(parameters, **options)


def text(result) -> str:
    return result.content[0].text


def body(result) -> dict:
    assert not result.is_error, text(result)
    return json.loads(text(result))


async def running_pod(client: Client, name: str) -> dict:
    pod = body(await client.call_tool("create_pod", {"name": name, "image": "alpine", "command": ["sleep", "3600"]}))
    assert pod["phase"] == "Running" and pod["ready"], pod
    return pod


def process_running(argv: str) -> bool:
    """Whether a process with exactly this command line runs on this machine (the embedded cluster runs
    containers as local processes)."""
    for proc in pathlib.Path("/proc").iterdir():
        try:
            if (proc / "cmdline").read_bytes().replace(b"\0", b" ").strip() == argv.encode():
                return True
        except OSError:
            continue
    return False


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_tools_are_listed_with_schemas_a_model_can_act_on(stack, transport):
    async def scenario():
        async with connect(stack, transport) as client:
            tools = {t.name: t for t in (await client.list_tools()).tools}
            assert set(tools) == EXPECTED_TOOLS
            for tool in tools.values():
                assert len(tool.description or "") > 50 and "Errors" in tool.description or tool.name == "test_connection", tool.name
                for name, field in tool.input_schema.get("properties", {}).items():
                    assert field.get("description") or field.get("$ref") or field.get("anyOf"), (tool.name, name)
            exec_schema = tools["exec"].input_schema
            assert set(exec_schema["required"]) == {"pod", "command"}
            assert "Default 60" in exec_schema["properties"]["timeout_seconds"]["description"]
            assert "FAILED_PRECONDITION" in tools["exec"].description
            assert tools["cleanup_pods"].annotations.destructive_hint is True
            assert tools["get_pod"].annotations.read_only_hint is True

    anyio.run(scenario)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_pod_runs_commands_with_exit_code_and_streams_apart(stack, transport):
    async def scenario():
        async with connect(stack, transport) as client:
            await running_pod(client, f"mcp-exec-{transport}")
            result = body(await client.call_tool("exec", {
                "pod": f"mcp-exec-{transport}",
                "command": ["sh", "-c", "echo out; echo err >&2; exit 3"],
            }))
            assert result["exit_code"] == 3, result
            assert result["end_reason"] == "EXITED"
            assert result["stdout"] == "out\n" and result["stderr"] == "err\n", result
            piped = body(await client.call_tool("exec", {
                "pod": f"mcp-exec-{transport}", "command": ["cat"], "stdin": "fed through stdin\n",
            }))
            assert (piped["exit_code"], piped["stdout"]) == (0, "fed through stdin\n"), piped
            pod = body(await client.call_tool("get_pod", {"name": f"mcp-exec-{transport}"}))
            assert pod["namespace"] == NAMESPACE and pod["phase"] == "Running"
            listed = body(await client.call_tool("list_pods", {"phases": ["Running"]}))
            assert f"mcp-exec-{transport}" in [p["name"] for p in listed["pods"]]
            deleted = await client.call_tool("delete_pod", {"name": f"mcp-exec-{transport}", "wait": True})
            assert not deleted.is_error, text(deleted)

    anyio.run(scenario)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_test_run_reports_progress_in_order(stack, transport):
    async def scenario():
        async with connect(stack, transport) as client:
            events = []

            async def progress(value, total, message):
                events.append((value, message))

            arguments = {"claim": "workspace", "path": "repos/myapp", "command": "sh test.sh", "image": "alpine"}
            result = body(await client.call_tool(
                "run_tests", {**arguments, "commit": stack["commits"]["passing"]}, progress_callback=progress,
            ))
            assert result["outcome"] == "PASSED" and result["exit_code"] == 0, result
            assert result["log_tail"].endswith("testing one\ntesting two\nall passed"), result
            values = [v for v, _ in events]
            assert values == sorted(values) and len(set(values)) == len(values), events
            messages = [m for _, m in events]
            assert messages[0].startswith(f"scheduled: pod {result['pod']} on node "), messages
            assert messages[1] == "running", messages
            outputs = [m.removeprefix("output: ") for m in messages[2:-1]]
            assert all(m.startswith("output: ") for m in messages[2:-1]), messages
            assert outputs[-3:] == ["testing one", "testing two", "all passed"], messages
            assert messages[-1] == "finished: PASSED, exit code 0", messages

            failed = body(await client.call_tool("run_tests", {**arguments, "commit": stack["commits"]["failing"]}))
            assert (failed["outcome"], failed["exit_code"]) == ("TESTS_FAILED", 1), failed
            assert "expected 2, got 3" in failed["log_tail"], failed

    anyio.run(scenario)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_cancelling_a_long_exec_kills_the_command(stack, transport):
    argv = f"sleep {random.randint(100000, 999999)}"

    async def scenario():
        async with connect(stack, transport) as client:
            await running_pod(client, f"mcp-cancel-{transport}")
            scope = anyio.CancelScope()

            async def call():
                with scope:
                    await client.call_tool("exec", {
                        "pod": f"mcp-cancel-{transport}", "command": argv.split(), "timeout_seconds": 600,
                    })
                    pytest.fail("the exec returned although it was cancelled")

            async with anyio.create_task_group() as tasks:
                tasks.start_soon(call)
                with anyio.fail_after(30):
                    while not process_running(argv):
                        await anyio.sleep(0.1)
                scope.cancel()
            with anyio.fail_after(15):
                while process_running(argv):
                    await anyio.sleep(0.1)
            # The session is still usable after a cancelled call.
            after = body(await client.call_tool("exec", {"pod": f"mcp-cancel-{transport}", "command": ["true"]}))
            assert after["exit_code"] == 0

    anyio.run(scenario)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_cancelling_a_test_run_deletes_its_pod(stack, transport):
    argv = f"sleep {random.randint(100000, 999999)}"
    name = f"mcp-run-cancel-{transport}"

    async def scenario():
        async with connect(stack, transport) as client:
            running = anyio.Event()

            async def progress(value, total, message):
                if message == "running":
                    running.set()

            scope = anyio.CancelScope()

            async def call():
                with scope:
                    await client.call_tool("run_tests", {
                        "claim": "workspace", "path": "repos/myapp", "commit": stack["commits"]["passing"],
                        "command": argv, "image": "alpine", "name": name,
                    }, progress_callback=progress)
                    pytest.fail("the test run returned although it was cancelled")

            async with anyio.create_task_group() as tasks:
                tasks.start_soon(call)
                with anyio.fail_after(30):
                    await running.wait()
                    while not process_running(argv):
                        await anyio.sleep(0.1)
                scope.cancel()
            with anyio.fail_after(20):
                while process_running(argv):
                    await anyio.sleep(0.1)
                while not text(await client.call_tool("get_pod", {"name": name})).startswith("NOT_FOUND: "):
                    await anyio.sleep(0.2)

    anyio.run(scenario)


def test_failures_are_tool_errors_with_the_grpc_code(stack):
    async def scenario():
        async with connect(stack, "http") as client:
            missing = await client.call_tool("exec", {"pod": "no-such-pod", "command": ["true"]})
            assert missing.is_error and text(missing).startswith("NOT_FOUND: "), text(missing)
            assert "\n" not in text(missing)
            bad = await client.call_tool("exec", {"pod": "x"})
            assert bad.is_error and text(bad).startswith("INVALID_ARGUMENT: "), text(bad)
            assert "command" in text(bad)
            invalid = await client.call_tool("create_pod", {"name": "Not_A_Name", "image": "alpine", "wait_seconds": 0})
            assert invalid.is_error and text(invalid).startswith("INVALID_ARGUMENT: "), text(invalid)
            dry = body(await client.call_tool("cleanup_pods", {}))
            assert dry["dry_run"] is True
            connection = body(await client.call_tool("test_connection", {}))
            assert connection["connected"] and connection["namespace"] == NAMESPACE, connection

    anyio.run(scenario)


def test_long_output_is_cut_in_the_middle_with_a_marker(stack):
    async def scenario():
        async with connect(stack, "http") as client:
            await running_pod(client, "mcp-long")
            result = body(await client.call_tool("exec", {"pod": "mcp-long", "command": ["seq", "1", "100000"]}))
            stdout = result["stdout"]
            assert len(stdout.encode()) <= 64 * 1024, len(stdout)
            assert stdout.startswith("1\n2\n3\n") and stdout.endswith("\n99999\n100000\n"), stdout[-50:]
            marker = next(line for line in stdout.splitlines() if line.startswith("[... "))
            left_out = int(marker.split()[1])
            assert left_out + len(stdout.encode()) - len(marker) - 1 == len(
                "".join(f"{i}\n" for i in range(1, 100001))
            ), marker
            assert "redirected to a file" in marker

            logs = await client.call_tool("create_pod", {
                "name": "mcp-long-log", "image": "alpine", "command": ["seq", "1", "100000"],
            })
            assert not logs.is_error, text(logs)
            with anyio.fail_after(30):
                while body(await client.call_tool("get_pod", {"name": "mcp-long-log"}))["phase"] != "Succeeded":
                    await anyio.sleep(0.2)
            log = text(await client.call_tool("pod_logs", {"name": "mcp-long-log", "tail_lines": 100000}))
            assert len(log.encode()) <= 64 * 1024 and log.startswith("1\n") and log.endswith("100000\n")
            assert "tail_lines" in log and "since_seconds" in log

    anyio.run(scenario)


def test_the_output_limit_is_configurable(stack):
    async def scenario():
        async with connect(stack, "stdio", flags=("--mcp-max-output-bytes", "4096")) as client:
            await running_pod(client, "mcp-limit")
            result = body(await client.call_tool("exec", {"pod": "mcp-limit", "command": ["seq", "1", "100000"]}))
            assert len(result["stdout"].encode()) <= 4096, len(result["stdout"])
            assert result["stdout"].startswith("1\n") and result["stdout"].endswith("\n100000\n")
            assert "[... " in result["stdout"]

    anyio.run(scenario)


def test_pod_logs_are_resources_that_can_be_subscribed_to(stack):
    async def scenario():
        async with connect(stack, "http") as client:
            talker = body(await client.call_tool("create_pod", {
                "name": "mcp-talker", "image": "alpine",
                "command": ["sh", "-c", "echo hello; while true; do sleep 1; echo tick; done"],
            }))
            uri = f"kubegate://pods/{NAMESPACE}/mcp-talker/logs"
            listed = [r.uri for r in (await client.list_resources()).resources]
            assert uri in listed, listed
            templates = (await client.list_resource_templates()).resource_templates
            assert [t.uri_template for t in templates] == ["kubegate://pods/{namespace}/{name}/logs"]
            with anyio.fail_after(10):
                while "hello" not in (await client.read_resource(uri)).contents[0].text:
                    await anyio.sleep(0.2)
            narrowed = (await client.read_resource(uri + "?tail_lines=1")).contents[0].text
            assert narrowed.count("\n") == 1, narrowed
            async with client.listen(resource_subscriptions=[uri]) as subscription:
                assert subscription.honored.resource_subscriptions == [uri]
                with anyio.fail_after(15):
                    event = await subscription.__anext__()
                assert event == ResourceUpdated(uri=uri), event
            assert talker["phase"] == "Running"

    anyio.run(scenario)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_clients_before_2026_subscribe_to_pod_logs_with_resources_subscribe(stack, transport):
    """A client on an older protocol version (the initialize handshake, `resources/subscribe`) is told of
    new log lines through `notifications/resources/updated`."""
    name = f"mcp-legacy-{transport}"
    uri = f"kubegate://pods/{NAMESPACE}/{name}/logs"

    async def scenario():
        updated = anyio.Event()

        async def on_message(message):
            if isinstance(message, ResourceUpdatedNotification) and message.params.uri == uri:
                updated.set()

        async with connect(stack, transport, mode="legacy", message_handler=on_message) as client:
            assert client.protocol_version not in ("2026-07-28",), client.protocol_version
            pod = body(await client.call_tool("create_pod", {
                "name": name, "image": "alpine",
                "command": ["sh", "-c", "while true; do sleep 1; echo tick; done"],
            }))
            assert pod["phase"] == "Running", pod
            with warnings.catch_warnings():
                # The SDK warns that 2026-07-28 removed this method: exactly what is tested here.
                warnings.simplefilter("ignore")
                await client.subscribe_resource(uri)
            with anyio.fail_after(15):
                await updated.wait()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                await client.unsubscribe_resource(uri)

    anyio.run(scenario)


def post_initialize(url: str, headers: dict) -> tuple:
    """A raw MCP initialize POST to /mcp: the status and body of the answer."""
    parsed = urllib.parse.urlparse(url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    payload = json.dumps({
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
    })
    all_headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream", **headers}
    with contextlib.closing(connection):
        connection.request("POST", "/mcp", body=payload, headers=all_headers)
        answer = connection.getresponse()
        return answer.status, answer.read().decode(errors="replace")


def test_a_call_without_the_token_is_refused_with_401(stack):
    status, answer = post_initialize(stack["url"], {})
    assert status == 401, answer
    status, answer = post_initialize(stack["url"], {"Authorization": "Bearer " + "0" * 64})
    assert status == 401, answer
    status, answer = post_initialize(stack["url"], {"Authorization": f"Bearer {stack['token']}"})
    assert status == 200, answer

    async def scenario():
        tokenless = Client(streamable_http_client(stack["url"] + "/mcp", http_client=httpx2.AsyncClient(timeout=30)))
        with pytest.raises(Exception):
            async with tokenless:
                pass

    anyio.run(scenario)


def test_a_foreign_host_is_refused_with_421(stack):
    token = {"Authorization": f"Bearer {stack['token']}"}
    status, answer = post_initialize(stack["url"], {**token, "Host": "rebound.example.com"})
    assert status == 421, answer
    status, answer = post_initialize(stack["url"], {**token, "Host": "localhost"})
    assert status == 200, answer


def test_a_cross_site_origin_is_refused(stack):
    token = {"Authorization": f"Bearer {stack['token']}"}
    status, answer = post_initialize(stack["url"], {**token, "Origin": "https://evil.example"})
    assert status == 403 and "PERMISSION_DENIED" in answer, (status, answer)
    same = urllib.parse.urlparse(stack["url"]).netloc
    status, answer = post_initialize(stack["url"], {**token, "Origin": f"http://{same}"})
    assert status == 200, answer


def test_kubegate_mcp_writes_only_protocol_to_stdout(stack):
    """`kubegate mcp` keeps stdout for JSON-RPC (its log goes to stderr), and a token the service refuses
    reaches the model as a tool error, not a broken session."""
    env = {"KUBEGATE_API_TOKEN": "f" * 64, "PATH": "/usr/bin:/bin", "HOME": str(stack["data"])}
    process = subprocess.Popen(
        [kubegate_binary(), "mcp", "--upstream", f"http://{stack['grpc']}"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "list_pods", "arguments": {}}},
    ]
    try:
        out, err = process.communicate("".join(json.dumps(m) + "\n" for m in messages).encode(), timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("kubegate mcp did not stop when its stdin closed")
    answers = [json.loads(line) for line in out.decode().splitlines()]
    assert [a.get("id") for a in answers if "id" in a] == [1, 2], answers
    assert answers[0]["result"]["serverInfo"]["name"] == "kubegate"
    call = next(a for a in answers if a.get("id") == 2)["result"]
    assert call["isError"] is True and call["content"][0]["text"].startswith("UNAUTHENTICATED: "), call
    assert b"MCP over stdio" in err, err
