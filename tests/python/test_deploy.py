"""deploy/ checked by reading: the kustomization renders, every manifest validates against the Kubernetes
1.34 schemas (strict: unknown fields are errors), the Role has the verbs kubegate needs and no more, and the
compose file parses with the seed's shape. On the real control plane the same manifests are applied with
`--dry-run=server` by tests/run."""

import pathlib
import shutil
import subprocess

import kubernetes_validate
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]


def rendered():
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl is needed to render the kustomization"
    out = subprocess.run([kubectl, "kustomize", str(ROOT / "deploy" / "kubernetes")], capture_output=True, text=True, check=True)
    return [d for d in yaml.safe_load_all(out.stdout) if d]


def test_every_manifest_validates_strictly():
    docs = rendered()
    kinds = sorted(d["kind"] for d in docs)
    assert kinds == ["Deployment", "Namespace", "NetworkPolicy", "Role", "RoleBinding", "Service", "ServiceAccount"]
    for doc in docs:
        kubernetes_validate.validate(doc, "1.34.0", strict=True)
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == "opencode-manager", doc["kind"]


def test_the_role_is_least_privilege_with_real_verbs():
    role = next(d for d in rendered() if d["kind"] == "Role")
    rules = {(g, r): set(rule["verbs"]) for rule in role["rules"] for g in rule["apiGroups"] for r in rule["resources"]}
    assert rules[("", "pods/exec")] == {"create", "get"}
    assert rules[("", "pods/log")] == {"get"}
    assert "watch" in rules[("", "pods")]
    assert ("networking.k8s.io", "ingresses") in rules and ("", "ingresses") not in rules
    assert not any("exec" in verbs or "*" in verbs for verbs in rules.values())
    assert not any(r == "secrets" for _, r in rules)


def test_the_deployment_is_hardened_and_spared_by_cleanup():
    deployment = next(d for d in rendered() if d["kind"] == "Deployment")
    pod = deployment["spec"]["template"]
    # Spared by cleanup through its own label; app=opencode-manager marks the workloads, not kubegate.
    assert pod["metadata"]["labels"]["app.kubernetes.io/name"] == "kubegate"
    assert "app" not in pod["metadata"]["labels"]
    container = pod["spec"]["containers"][0]
    env = {e["name"]: e for e in container["env"]}
    assert env["POD_NAME"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name"
    assert env["POD_NAMESPACE"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.namespace"
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert pod["spec"]["securityContext"]["runAsNonRoot"] is True
    assert {p["containerPort"] for p in container["ports"]} == {5003, 5004, 50051}
    assert container["livenessProbe"] and container["readinessProbe"] and container["resources"]["limits"]


def test_the_compose_file_has_the_seed_shape():
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    service = compose["services"]["kubegate"]
    assert {p.split(":")[0].strip('"') for p in service["ports"]} == {"5003", "5004", "50051"}
    mounts = service["volumes"]
    assert "/workspace/.kube/kubeconfig:/workspace/.kube/kubeconfig:ro" in mounts
    assert "./ca.crt:/workspace/.kube/ca.crt:ro" in mounts
    assert "NODE_EXTRA_CA_CERTS=/workspace/.kube/ca.crt" in service["environment"]
    assert (ROOT / "deploy" / compose["services"]["kubegate"]["build"]["dockerfile"].split("/")[-1]).exists()
    assert set(compose["volumes"]) >= {"workspace-volume"}
