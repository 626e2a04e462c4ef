"""The original OpenCode Manager integration's REST catalogue, run against kubegate as a caller written for
the original would: the documented bodies, each POST/PUT sent as JSON, with no content type and as
`curl -d` sends it (form content type), and every success body compared key by key with the original's
recorded shapes (`original_shapes.json`, taken from the original's behaviour reference)."""

import datetime
import http.client
import json
import pathlib
import re
import time
import urllib.parse

import pytest

SHAPES = json.loads((pathlib.Path(__file__).with_name("original_shapes.json")).read_text())
NAMESPACE = "opencode-manager"
API = "/api/kubernetes"

# The three ways a caller sends a JSON body: declared, undeclared, and what `curl -d` declares without -H.
ENCODINGS = {
    "application-json": "application/json",
    "no-content-type": None,
    "form-urlencoded": "application/x-www-form-urlencoded",
}
each_encoding = pytest.mark.parametrize("encoding", list(ENCODINGS), ids=list(ENCODINGS))

# Requests sent, for the report: `polls` counts only the repeats of a waiting loop.
REQUESTS = {"catalogue": 0, "polls": 0}


# ---------------------------------------------------------------- requests


def request(base, method, path, body=None, encoding="application-json", headers=None, raw=None, poll=False):
    """One HTTP request; returns (status, decoded JSON or text). `body` is JSON-encoded and labelled per
    `encoding`; `raw` sends bytes as they are. http.client adds no Content-Type of its own."""
    REQUESTS["polls" if poll else "catalogue"] += 1
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    sent_headers = dict(headers or {})
    payload = raw
    if body is not None:
        payload = json.dumps(body).encode()
        if ENCODINGS[encoding] is not None:
            sent_headers["Content-Type"] = ENCODINGS[encoding]
    try:
        connection.request(method, path, body=payload, headers=sent_headers)
        answer = connection.getresponse()
        text = answer.read().decode()
    finally:
        connection.close()
    try:
        return answer.status, json.loads(text)
    except ValueError:
        return answer.status, text


def succeed(base, method, path, body=None, encoding="application-json", **kwargs):
    """A request the original answered with 200: fails the test on any other status."""
    status, answer = request(base, method, path, body, encoding, **kwargs)
    sent = f" sent as {encoding}" if body is not None else ""
    assert status == 200, f"{method} {path}{sent}: expected 200, got {status}: {answer}"
    return answer


def query(path, **params):
    return path + "?" + urllib.parse.urlencode(params)


# ---------------------------------------------------------------- shapes


def type_matches(value, kind):
    if kind == "any":
        return True
    if kind == "string":
        return isinstance(value, str)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    if kind == "null":
        return value is None
    raise ValueError(f"unknown type {kind!r} in original_shapes.json")


def json_type(value):
    for kind in ("boolean", "number", "string", "object", "array", "null"):
        if type_matches(value, kind):
            return kind
    return type(value).__name__


def differences(value, shape, where):
    """Every way `value` departs from `shape`, as readable lines naming the JSON path."""
    if isinstance(shape, str):
        kinds = shape.rstrip("?").split("|")
        if any(type_matches(value, kind) for kind in kinds):
            return []
        return [f"{where}: original {shape.rstrip('?')}, kubegate {json_type(value)} ({json.dumps(value)[:80]})"]
    if isinstance(shape, list):
        if not isinstance(value, list):
            return [f"{where}: original array, kubegate {json_type(value)}"]
        found = []
        for index, item in enumerate(value):
            found += differences(item, shape[0], f"{where}[{index}]")
        return found
    if not isinstance(value, dict):
        return [f"{where}: original object, kubegate {json_type(value)}"]
    found = []
    for key, sub in shape.items():
        if key == "*":
            continue
        optional = isinstance(sub, str) and sub.endswith("?")
        if key not in value:
            if not optional:
                kind = "object" if isinstance(sub, dict) else "array" if isinstance(sub, list) else sub
                found.append(f"{where}.{key}: recorded as {kind}, kubegate leaves it out")
            continue
        found += differences(value[key], sub, f"{where}.{key}")
    if "*" not in shape:
        for key in value:
            if key not in shape:
                found.append(f"{where}.{key}: not in the original, kubegate adds it ({json_type(value[key])})")
    return found


def with_additions(shape, additions):
    """The recorded shape with the keys kubegate adds on purpose merged in, at any depth (an addition for a
    list item is written as a one-element list, like the shapes)."""
    if not additions:
        return shape
    if isinstance(shape, list):
        return [with_additions(shape[0], additions[0])]
    merged = dict(shape)
    for key, extra in additions.items():
        merged[key] = with_additions(merged[key], extra) if isinstance(merged.get(key), (dict, list)) else extra
    return merged


def route_shape(route):
    return with_additions(SHAPES["routes"][route], SHAPES["kubegateAdditions"].get(route))


def error_shape(route):
    return with_additions(SHAPES["errors"][route], SHAPES["kubegateAdditions"]["errors"])


class Shapes:
    """Collects shape differences across a workflow, so one run reports every route, then fails."""

    def __init__(self):
        self.found = []

    def check(self, route, answer, shape=None):
        for line in differences(answer, shape or route_shape(route), route):
            line = re.sub(r"\[\d+\]", "[]", line)  # one line per key, not per list item
            if line not in self.found:
                self.found.append(line)
        return answer

    def assert_none(self):
        assert not self.found, "kubegate's answers differ from the original's shapes:\n  " + "\n  ".join(self.found)


# ---------------------------------------------------------------- catalogue helpers


def runner_pod(name, **extra):
    """The documented creation body: busybox running `sleep`, with the documented optional fields."""
    return {
        "name": name,
        "namespace": NAMESPACE,
        "image": "busybox",
        "command": ["sh", "-c"],
        "args": ["echo started $GREETING; exec sleep 600"],
        "env": {"GREETING": "hello"},
        "labels": {"role": "compat"},
        **extra,
    }


def create_pod(base, shapes, body, encoding):
    answer = shapes.check("POST /api/kubernetes/pods", succeed(base, "POST", API + "/pods", body, encoding))
    assert answer.get("success") is True and answer.get("podName") == body["name"], answer
    return answer


def wait_for_phase(base, shapes, name, phases, seconds=60):
    """Polls GET /pods/:name (as the original's UI does) until the pod reaches one of `phases`."""
    deadline, attempt = time.monotonic() + seconds, 0
    while True:
        answer = succeed(base, "GET", query(f"{API}/pods/{name}", namespace=NAMESPACE), poll=attempt > 0)
        attempt += 1
        phase = answer.get("pod", {}).get("status", {}).get("phase")
        if phase in phases:
            return shapes.check("GET /api/kubernetes/pods/:name", answer)
        assert time.monotonic() < deadline, f"pod {name} still {phase!r} after {seconds} s, wanted {phases}"
        time.sleep(0.2)


def list_pods(base, shapes, **params):
    answer = succeed(base, "GET", query(API + "/pods", **params))
    return {pod["name"]: pod for pod in shapes.check("GET /api/kubernetes/pods", answer).get("pods", [])}


def delete(base, shapes, kind, name):
    answer = succeed(base, "DELETE", query(f"{API}/{kind}/{name}", namespace=NAMESPACE))
    shapes.check(f"DELETE /api/kubernetes/{kind}/:name", answer)
    assert answer == {"success": True}, answer


def assert_missing(base, shapes, kind, name, seconds=30):
    """After a DELETE: GET answers 404 once the (graceful) deletion is through."""
    deadline, attempt = time.monotonic() + seconds, 0
    while True:
        status, answer = request(base, "GET", query(f"{API}/{kind}/{name}", namespace=NAMESPACE), poll=attempt > 0)
        attempt += 1
        if status != 200 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert status == 404, f"GET {kind}/{name} after its deletion: expected 404, got {status}: {answer}"
    shapes.check(f"404 GET /api/kubernetes/{kind}/:name", answer, error_shape(f"404 GET /api/kubernetes/{kind}/:name"))


RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def parse_rfc3339(text):
    assert isinstance(text, str) and RFC3339.match(text), f"not an RFC 3339 timestamp: {text!r}"
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


# ---------------------------------------------------------------- the catalogue


@each_encoding
def test_a_pod_is_created_watched_listed_logged_exec_into_and_deleted_as_the_original_answered(kubegate_serve, encoding):
    base, shapes = kubegate_serve["url"], Shapes()
    create_pod(base, shapes, runner_pod("compat-runner"), encoding)

    pod = wait_for_phase(base, shapes, "compat-runner", {"Running"})["pod"]
    # The original re-serialised timestamps with milliseconds (`.000Z`); kubegate passes the API server's
    # `...Z` through. That difference is deliberate and documented, so only RFC 3339 is required here.
    created = parse_rfc3339(pod["metadata"]["creationTimestamp"])
    assert abs(datetime.datetime.now(datetime.timezone.utc) - created) < datetime.timedelta(minutes=10), created
    # What the original built from the body (§2): default labels under the caller's, one container named
    # `runner`, env as a list of {name, value}, restartPolicy Never.
    labels = pod["metadata"].get("labels", {})
    assert labels.get("app") == "opencode-manager" and labels.get("managed-by") == "opencode-manager", labels
    assert labels.get("role") == "compat", labels
    assert [c["name"] for c in pod["spec"]["containers"]] == ["runner"], pod["spec"]["containers"]
    assert {"name": "GREETING", "value": "hello"} in pod["spec"]["containers"][0].get("env", []), pod["spec"]
    assert pod["spec"]["restartPolicy"] == "Never", pod["spec"]

    pods = list_pods(base, shapes, labelSelector="app=opencode-manager")
    assert "compat-runner" in pods, f"the pod is not listed under app=opencode-manager: {sorted(pods)}"
    summary = pods["compat-runner"]
    assert (summary["namespace"], summary["phase"], summary["ready"], summary.get("image")) == (
        NAMESPACE, "Running", True, "busybox"), summary
    assert summary["age"] >= 0, summary

    deadline, attempt = time.monotonic() + 30, 0
    while True:
        logs = shapes.check("GET /api/kubernetes/pods/:name/logs",
                            succeed(base, "GET", query(f"{API}/pods/compat-runner/logs", namespace=NAMESPACE, tailLines=100),
                                    poll=attempt > 0))
        attempt += 1
        if "started hello" in logs.get("logs", ""):
            break
        assert time.monotonic() < deadline, f"the pod's output never reached its logs: {logs}"
        time.sleep(0.2)
    # The original always asked for timestamps: each line starts with the RFC 3339 time k8s adds.
    line = next(l for l in logs["logs"].splitlines() if "started hello" in l)
    parse_rfc3339(line.split(" ", 1)[0])

    exec_body = {"namespace": NAMESPACE, "command": ["sh", "-c", "echo hi; exit 3"]}
    answer = shapes.check("POST /api/kubernetes/pods/:name/exec",
                          succeed(base, "POST", f"{API}/pods/compat-runner/exec", exec_body, encoding))
    # Deliberate fix: the original reported exitCode 0 for every command (it read `.code` of a string);
    # kubegate reports the command's real exit status, so a caller sees 3 here.
    assert (answer.get("success"), answer.get("exitCode"), answer.get("output"), answer.get("errors")) == (
        True, 3, "hi\n", ""), answer

    delete(base, shapes, "pods", "compat-runner")
    assert_missing(base, shapes, "pods", "compat-runner")
    shapes.assert_none()


@each_encoding
def test_services_are_created_read_listed_and_deleted_as_the_original_answered(kubegate_serve, encoding):
    base, shapes = kubegate_serve["url"], Shapes()
    documented = {  # KUBERNETES.md "Creating Services"
        "name": "my-service", "namespace": NAMESPACE, "selector": {"app": "test-runner"},
        "ports": [{"port": 8080, "targetPort": 8080, "protocol": "TCP"}], "type": "ClusterIP",
    }
    defaults = {  # KUBERNETES.md's postgres example, less targetPort: the original defaulted it to port
        "name": "postgres-service", "namespace": NAMESPACE, "selector": {"app": "postgres"}, "ports": [{"port": 5432}],
    }
    for body in (documented, defaults):
        answer = shapes.check("POST /api/kubernetes/services", succeed(base, "POST", API + "/services", body, encoding))
        assert answer == {"success": True, "serviceName": body["name"]}, answer

    service = shapes.check("GET /api/kubernetes/services/:name",
                           succeed(base, "GET", query(API + "/services/my-service", namespace=NAMESPACE)))["service"]
    assert service["metadata"]["labels"].get("managed-by") == "opencode-manager", service["metadata"]
    assert service["spec"]["selector"] == {"app": "test-runner"}, service["spec"]

    answer = shapes.check("GET /api/kubernetes/services", succeed(base, "GET", query(API + "/services", namespace=NAMESPACE)))
    listed = {s["name"]: s for s in answer.get("services", [])}
    assert set(listed) >= {"my-service", "postgres-service"}, sorted(listed)
    assert listed["my-service"]["ports"] == [{"port": 8080, "targetPort": 8080, "protocol": "TCP"}], listed["my-service"]
    # The original's defaults (§7): targetPort = port, protocol TCP, type ClusterIP.
    assert listed["postgres-service"]["ports"] == [{"port": 5432, "targetPort": 5432, "protocol": "TCP"}], listed["postgres-service"]
    assert listed["postgres-service"]["type"] == "ClusterIP", listed["postgres-service"]

    for name in ("my-service", "postgres-service"):
        delete(base, shapes, "services", name)
        assert_missing(base, shapes, "services", name)
    shapes.assert_none()


@each_encoding
def test_ingresses_follow_the_services_shapes(kubegate_serve, encoding):
    base, shapes = kubegate_serve["url"], Shapes()
    succeed(base, "POST", API + "/services", {
        "name": "my-service", "namespace": NAMESPACE, "selector": {"app": "test-runner"}, "ports": [{"port": 8080}],
    })
    documented = {  # KUBERNETES.md "Creating Ingresses"
        "name": "my-app-ingress", "namespace": NAMESPACE,
        "rules": [{"host": "myapp.example.com", "http": {"paths": [{
            "path": "/", "pathType": "Prefix",
            "backend": {"service": {"name": "my-service", "port": {"number": 8080}}},
        }]}}],
        "annotations": {"nginx.ingress.kubernetes.io/rewrite-target": "/"},
    }
    answer = shapes.check("POST /api/kubernetes/ingresses", succeed(base, "POST", API + "/ingresses", documented, encoding))
    assert answer == {"success": True, "ingressName": "my-app-ingress"}, answer

    ingress = shapes.check("GET /api/kubernetes/ingresses/:name",
                           succeed(base, "GET", query(API + "/ingresses/my-app-ingress", namespace=NAMESPACE)))["ingress"]
    assert ingress["metadata"]["labels"].get("managed-by") == "opencode-manager", ingress["metadata"]
    assert ingress["spec"]["rules"][0]["host"] == "myapp.example.com", ingress["spec"]

    answer = shapes.check("GET /api/kubernetes/ingresses", succeed(base, "GET", query(API + "/ingresses", namespace=NAMESPACE)))
    assert [i["name"] for i in answer.get("ingresses", [])] == ["my-app-ingress"], answer

    delete(base, shapes, "ingresses", "my-app-ingress")
    assert_missing(base, shapes, "ingresses", "my-app-ingress")
    shapes.assert_none()


@each_encoding
def test_cleanup_deletes_old_completed_pods_and_answers_a_count(kubegate_serve, encoding):
    base, shapes = kubegate_serve["url"], Shapes()
    create_pod(base, shapes, runner_pod("still-running"), "application-json")
    create_pod(base, shapes, {"name": "finished", "namespace": NAMESPACE, "image": "busybox",
                              "command": ["sh", "-c", "echo done"]}, "application-json")
    wait_for_phase(base, shapes, "still-running", {"Running"})
    wait_for_phase(base, shapes, "finished", {"Succeeded"})

    # The UI's body: only the namespace, so the 24 h default age keeps the young pod.
    answer = shapes.check("POST /api/kubernetes/cleanup", succeed(base, "POST", API + "/cleanup", {"namespace": NAMESPACE}, encoding))
    assert (answer.get("success"), answer.get("deleted")) == (True, 0), answer

    time.sleep(0.05)  # the original compared age > maxAgeMs strictly
    answer = shapes.check("POST /api/kubernetes/cleanup",
                          succeed(base, "POST", API + "/cleanup", {"namespace": NAMESPACE, "maxAgeMs": 0}, encoding))
    assert (answer.get("success"), answer.get("deleted")) == (True, 1), answer
    assert_missing(base, shapes, "pods", "finished")
    # Running pods are never cleaned up, however old.
    assert set(list_pods(base, shapes, namespace=NAMESPACE)) == {"still-running"}
    shapes.assert_none()


@each_encoding
def test_config_is_read_and_updated_in_the_original_shapes(kubegate_serve, encoding):
    base, shapes = kubegate_serve["url"], Shapes()
    before = shapes.check("GET /api/kubernetes/config", succeed(base, "GET", API + "/config"))
    assert isinstance(before.get("config", {}).get("enabled"), bool), before

    body = {"enabled": True, "namespace": NAMESPACE}
    answer = shapes.check("PUT /api/kubernetes/config", succeed(base, "PUT", API + "/config", body, encoding))
    # The original echoed the validated body, not the merged config.
    assert answer == {"success": True, "config": body}, answer

    after = shapes.check("GET /api/kubernetes/config", succeed(base, "GET", API + "/config"))
    assert after.get("config", {}).get("enabled") is True, after
    # With the stored config enabled, the original's `connection` was the connection test's answer.
    assert (after["connection"].get("connected"), after["connection"].get("namespace")) == (True, NAMESPACE), after
    shapes.assert_none()


@each_encoding
def test_the_connection_test_reports_connected_and_the_namespace(kubegate_serve, encoding):
    base, shapes = kubegate_serve["url"], Shapes()
    answer = shapes.check("POST /api/kubernetes/test-connection",
                          succeed(base, "POST", API + "/test-connection", {"namespace": NAMESPACE}, encoding))
    assert (answer.get("connected"), answer.get("namespace")) == (True, NAMESPACE), answer
    # The original's UI and tests send no body at all; the original tolerated any body here.
    answer = shapes.check("POST /api/kubernetes/test-connection", succeed(base, "POST", API + "/test-connection", raw=b""))
    assert answer.get("connected") is True, answer
    shapes.assert_none()


def test_the_exec_websocket_url_points_at_the_terminal_path_with_the_pod_and_namespace(kubegate_serve):
    base, shapes = kubegate_serve["url"], Shapes()
    answer = shapes.check("GET /api/kubernetes/exec-ws-url",
                          succeed(base, "GET", query(API + "/exec-ws-url", pod="my pod", namespace=NAMESPACE)))
    url = urllib.parse.urlsplit(answer["wsUrl"])
    assert (url.scheme, url.hostname, url.path) == ("ws", "127.0.0.1", "/ws/kubernetes/exec"), answer
    assert urllib.parse.parse_qs(url.query) == {"pod": ["my pod"], "namespace": [NAMESPACE]}, answer

    # Behind a TLS proxy the original answered wss://, keeping the Host header's non-default port.
    host = urllib.parse.urlsplit(base).netloc.replace("127.0.0.1", "localhost")
    answer = succeed(base, "GET", query(API + "/exec-ws-url", pod="p", namespace=NAMESPACE),
                     headers={"Host": host, "X-Forwarded-Proto": "https"})
    assert answer["wsUrl"].startswith(f"wss://{host}/ws/kubernetes/exec?"), answer

    status, answer = request(base, "GET", query(API + "/exec-ws-url", pod="p"))
    assert status == 400, f"exec-ws-url without a namespace: expected 400, got {status}: {answer}"
    shapes.assert_none()


def test_a_missing_pod_is_a_404_in_the_original_error_shape_plus_a_code(kubegate_serve):
    base, shapes = kubegate_serve["url"], Shapes()
    status, answer = request(base, "GET", query(API + "/pods/no-such-pod", namespace=NAMESPACE))
    assert status == 404, f"expected 404, got {status}: {answer}"
    shapes.check("404 GET /api/kubernetes/pods/:name", answer, error_shape("404 GET /api/kubernetes/pods/:name"))
    assert answer.get("code") == "NOT_FOUND", answer
    shapes.assert_none()


@pytest.mark.parametrize("invalid", [
    {"name": "", "namespace": NAMESPACE, "image": "busybox"},
    {"name": "no-image", "namespace": NAMESPACE},
    {"name": "bad-command", "namespace": NAMESPACE, "image": "busybox", "command": "sleep 600"},
], ids=["empty-name", "missing-image", "command-not-a-list"])
def test_an_invalid_pod_body_is_a_400_with_error_details_and_a_code(kubegate_serve, invalid):
    base, shapes = kubegate_serve["url"], Shapes()
    status, answer = request(base, "POST", API + "/pods", invalid)
    assert status == 400, f"expected 400, got {status}: {answer}"
    shapes.check("400 POST /api/kubernetes/pods", answer, error_shape("400 POST /api/kubernetes/pods"))
    assert answer.get("code") == "INVALID_ARGUMENT", answer
    assert invalid["name"] not in list_pods(base, shapes, namespace=NAMESPACE)
    shapes.assert_none()


def test_a_form_body_that_is_not_json_gets_415(kubegate_serve):
    base = kubegate_serve["url"]
    status, answer = request(base, "POST", API + "/pods", raw=b"name=form-pod&namespace=opencode-manager&image=busybox",
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 415, f"expected 415, got {status}: {answer}"
    assert "form-pod" not in list_pods(base, Shapes(), namespace=NAMESPACE)


def test_a_cross_site_form_post_is_refused_and_creates_nothing(kubegate_serve):
    base = kubegate_serve["url"]
    status, answer = request(base, "POST", API + "/pods", runner_pod("cross-site"), "form-urlencoded",
                             headers={"Origin": "http://evil.example.com"})
    assert status in (403, 415), f"a cross-site form POST must be refused (403 or 415), got {status}: {answer}"
    assert "cross-site" not in list_pods(base, Shapes(), namespace=NAMESPACE)


@pytest.fixture(scope="module", autouse=True)
def count_requests():
    yield
    print(f"\ncompat catalogue: {REQUESTS['catalogue']} requests, plus {REQUESTS['polls']} status polls")
