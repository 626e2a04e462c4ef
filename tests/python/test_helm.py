"""deploy/helm/kubegate checked by rendering it with helm (built from Go modules by tests/tools/helm.sh):
`helm lint --strict` passes; with the default values the chart renders exactly the objects of
deploy/kubernetes (Helm's own bookkeeping labels aside); every rendering validates against the Kubernetes
1.34 schemas (strict); values are checked by the chart's schema, so a misspelled or unsafe value renders
nothing; and each value lands where it should. On the real control plane tests/control-plane/e2e.sh
dry-runs the rendered chart server-side."""

import copy
import functools
import pathlib
import subprocess

import kubernetes_validate
import pytest
import yaml

from test_deploy import rendered as kustomize_rendered

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "helm" / "kubegate"
HELM_LABELS = {"app.kubernetes.io/instance", "app.kubernetes.io/version", "app.kubernetes.io/managed-by", "helm.sh/chart"}
EVERYTHING = ["ingress.enabled=true", "ingress.tlsSecretName=kubegate-web", "metrics.enabled=true",
              "metrics.serviceMonitor.enabled=true", "allowedHosts={kubegate.internal}",
              "terminalOrigins={https://app.example.com}", "serviceTypes={ClusterIP,NodePort}",
              "extraArgs={--max-sessions=32}", "replicas=3"]


@functools.lru_cache(maxsize=1)
def helm() -> str:
    out = subprocess.run([str(ROOT / "tests" / "tools" / "helm.sh")], capture_output=True, text=True)
    assert out.returncode == 0, f"building helm failed: {out.stderr[-2000:]}"
    return out.stdout.strip()


def render(*values: str, namespace: str = "kubegate-system", release: str = "kubegate"):
    args = [helm(), "template", release, str(CHART), "--namespace", namespace]
    for v in values:
        args += ["--set", v]
    out = subprocess.run(args, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return [d for d in yaml.safe_load_all(out.stdout) if d]


def refused(*values: str) -> str:
    args = [helm(), "template", "kubegate", str(CHART)]
    for v in values:
        args += ["--set", v]
    out = subprocess.run(args, capture_output=True, text=True)
    assert out.returncode != 0, f"{values} rendered:\n{out.stdout[:500]}"
    assert "kind:" not in out.stdout, "a refused rendering printed objects"
    return out.stderr


def find(docs, kind, name="kubegate"):
    found = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(found) == 1, (kind, name, [(d["kind"], d["metadata"]["name"]) for d in docs])
    return found[0]


def container(docs):
    return find(docs, "Deployment")["spec"]["template"]["spec"]["containers"][0]


def without_helm_labels(doc):
    doc = copy.deepcopy(doc)
    labels = doc["metadata"].get("labels", {})
    for k in HELM_LABELS:
        labels.pop(k, None)
    return doc


def keyed(docs):
    return {(d["kind"], d["metadata"].get("namespace"), d["metadata"]["name"]): d for d in docs}


def test_helm_lint_strict_passes():
    out = subprocess.run([helm(), "lint", "--strict", str(CHART)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 chart(s) failed" in out.stdout


def test_default_values_render_the_same_objects_as_the_kustomization():
    chart = keyed(without_helm_labels(d) for d in render())
    kustomize = keyed(kustomize_rendered())
    assert sorted(chart) == sorted(kustomize)
    for key, want in kustomize.items():
        assert chart[key] == want, f"{key} differs between the chart and deploy/kubernetes"


def test_helm_labels_stay_off_selectors_and_pod_templates():
    # A selector is immutable: a label that changes with the chart version there would break upgrades.
    docs = render(*EVERYTHING)
    deployment = find(docs, "Deployment")
    assert deployment["spec"]["selector"]["matchLabels"] == {"app.kubernetes.io/name": "kubegate"}
    assert deployment["spec"]["template"]["metadata"]["labels"] == {"app.kubernetes.io/name": "kubegate"}
    assert find(docs, "Service")["spec"]["selector"] == {"app.kubernetes.io/name": "kubegate"}
    assert find(docs, "PodDisruptionBudget")["spec"]["selector"]["matchLabels"] == {"app.kubernetes.io/name": "kubegate"}
    assert find(docs, "Deployment")["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "Helm"


@pytest.mark.parametrize("values", [[], EVERYTHING, ["tls.enabled=false", "networkPolicy.enabled=false", "replicas=1"]],
                         ids=["defaults", "everything-on", "plain-single"])
def test_every_rendering_validates_strictly(values):
    docs = render(*values)
    for doc in docs:
        if doc["kind"] == "ServiceMonitor":
            continue  # a prometheus-operator kind, checked below
        kubernetes_validate.validate(doc, "1.34.0", strict=True)


def test_the_service_monitor_scrapes_the_metrics_port_of_kubegates_service():
    docs = render(*EVERYTHING)
    monitor = find(docs, "ServiceMonitor")
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    assert monitor["spec"]["selector"]["matchLabels"] == {"app.kubernetes.io/name": "kubegate"}
    assert find(docs, "Service")["metadata"]["labels"]["app.kubernetes.io/name"] == "kubegate"
    assert monitor["spec"]["endpoints"] == [{"port": "metrics", "path": "/metrics", "interval": "30s"}]
    assert monitor["spec"]["namespaceSelector"] == {"matchNames": ["kubegate-system"]}
    ports = {p["name"]: p for p in find(docs, "Service")["spec"]["ports"]}
    assert ports["metrics"]["port"] == 9464
    assert {"name": "metrics", "containerPort": 9464} in container(docs)["ports"]
    assert "--metrics-addr=0.0.0.0:9464" in container(docs)["args"]
    # Only the monitoring namespace may scrape it: the port is served without the token.
    rules = find(docs, "NetworkPolicy")["spec"]["ingress"]
    scrape = [r for r in rules if {"port": 9464} in r["ports"]]
    assert scrape == [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}],
                       "ports": [{"port": 9464}]}]


def test_metrics_are_off_by_default_and_a_service_monitor_alone_is_refused():
    docs = render()
    assert not any(a.startswith("--metrics-addr") for a in container(docs)["args"])
    assert all(p["name"] != "metrics" for p in find(docs, "Service")["spec"]["ports"])
    assert "needs metrics.enabled" in refused("metrics.serviceMonitor.enabled=true")


@pytest.mark.parametrize("value,complaint", [
    ("replica=3", "additional properties 'replica' not allowed"),
    ("replicas=0", "minimum"),
    ("metrics.port=5003", "metrics/port"),
    ("namespaces.workloads=Not_A_Namespace", "namespaces/workloads"),
    ("serviceTypes={ExternalName}", "serviceTypes"),
    ("image.pullPolicy=Sometimes", "pullPolicy"),
    ("tls.enabled=maybe", "tls/enabled"),
])
def test_the_values_schema_refuses_mistakes(value, complaint):
    assert complaint in refused(value)


def test_namespaces_follow_the_values():
    docs = render("namespaces.workloads=agents", "namespaces.system=", namespace="ops")
    placed = {(d["kind"], d["metadata"]["name"]): d["metadata"].get("namespace") for d in docs}
    assert placed[("Deployment", "kubegate")] == "ops"
    assert placed[("Role", "kubegate")] == "agents"
    assert placed[("RoleBinding", "kubegate")] == "agents"
    assert placed[("Role", "kubegate-self")] == "ops"
    assert placed[("NetworkPolicy", "kubegate-workloads")] == "agents"
    assert find(docs, "RoleBinding")["subjects"] == [{"kind": "ServiceAccount", "name": "kubegate", "namespace": "ops"}]
    args = container(docs)["args"]
    assert "--namespace=agents" in args
    assert "--peer-tls-name=kubegate.ops.svc" in args
    hosts = next(a for a in args if a.startswith("--allowed-hosts=")).split("=", 1)[1].split(",")
    assert hosts[:3] == ["kubegate.ops.svc", "kubegate.ops.svc.cluster.local", "kubegate.ops"]
    assert sorted(d["metadata"]["name"] for d in docs if d["kind"] == "Namespace") == ["agents", "ops"]
    assert not [d for d in render("namespaces.create=false") if d["kind"] == "Namespace"]


def test_the_ingress_host_is_allowed_and_the_controller_speaks_the_right_scheme():
    docs = render(*EVERYTHING)
    ingress = find(docs, "Ingress")
    assert ingress["spec"]["rules"][0]["host"] == "kubegate.example.com"
    assert ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"] == {"name": "kubegate", "port": {"name": "http"}}
    assert ingress["spec"]["tls"] == [{"hosts": ["kubegate.example.com"], "secretName": "kubegate-web"}]
    assert ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/backend-protocol"] == "HTTPS"
    hosts = next(a for a in container(docs)["args"] if a.startswith("--allowed-hosts=")).split("=", 1)[1].split(",")
    assert "kubegate.example.com" in hosts and "kubegate.internal" in hosts
    plain = find(render("ingress.enabled=true", "tls.enabled=false"), "Ingress")
    assert plain["metadata"]["annotations"]["nginx.ingress.kubernetes.io/backend-protocol"] == "HTTP"
    assert not [d for d in render() if d["kind"] == "Ingress"]


def test_without_tls_kubegate_is_told_it_is_insecure_and_probes_use_http():
    docs = render("tls.enabled=false")
    c = container(docs)
    assert "--insecure" in c["args"]
    assert not any(a.startswith(("--tls-", "--peer-ca")) for a in c["args"])
    assert "--advertise-url=http://$(POD_IP):50051" in c["args"]
    assert c["readinessProbe"]["httpGet"]["scheme"] == "HTTP"
    assert all(v["name"] != "tls" for v in find(docs, "Deployment")["spec"]["template"]["spec"]["volumes"])
    # With TLS (the default) nothing says insecure.
    assert "--insecure" not in container(render())["args"]


def test_image_token_resources_and_allow_lists_follow_the_values():
    docs = render("image.repository=registry.local/kubegate", "image.tag=9.9.9", "apiToken.secretName=gate-token",
                  "apiToken.key=t", "resources.limits.memory=1Gi", *EVERYTHING)
    c = container(docs)
    assert c["image"] == "registry.local/kubegate:9.9.9"
    token = next(e for e in c["env"] if e["name"] == "KUBEGATE_API_TOKEN")
    assert token["valueFrom"]["secretKeyRef"] == {"name": "gate-token", "key": "t"}
    assert c["resources"]["limits"]["memory"] == "1Gi"
    assert "--terminal-origins=https://app.example.com" in c["args"]
    assert "--service-types=ClusterIP,NodePort" in c["args"]
    assert c["args"][-1] == "--max-sessions=32"
    assert find(docs, "Deployment")["spec"]["replicas"] == 3
    # The default tag is the chart's appVersion, the same tag the kustomization pins.
    chart = yaml.safe_load((CHART / "Chart.yaml").read_text())
    assert container(render())["image"] == f"ghcr.io/kubegate/kubegate:{chart['appVersion']}"


def test_one_replica_has_no_disruption_budget():
    assert not [d for d in render("replicas=1") if d["kind"] == "PodDisruptionBudget"]
