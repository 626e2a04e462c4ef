"""deploy/ checked by reading: the kustomization renders, every manifest validates against the Kubernetes
1.34 schemas (strict: unknown fields are errors), kubegate lives in kubegate-system and its workloads in
opencode-manager (Pod Security labels, the Role and its binding across the two, a default-deny
NetworkPolicy for workload pods), the Role has the verbs kubegate needs and no more, and the compose file
parses with the original's shape. On the real control plane the same manifests are dry-run server-side and the
Role is applied by tests/control-plane/e2e.sh."""

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


SYSTEM = "kubegate-system"
WORKLOADS = "opencode-manager"
WORKLOAD_SELECTOR = {"matchLabels": {"app.kubernetes.io/managed-by": "kubegate"}}
DNS_PORTS = [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]
KUBE_SYSTEM = {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}}


def one(docs, kind, namespace, name="kubegate"):
    found = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name
             and d["metadata"].get("namespace") == namespace]
    assert len(found) == 1, (kind, namespace, name, [(d["kind"], d["metadata"]) for d in docs])
    return found[0]


def test_every_manifest_validates_strictly():
    docs = rendered()
    kinds = sorted(d["kind"] for d in docs)
    assert kinds == ["Deployment", "Namespace", "Namespace", "NetworkPolicy", "NetworkPolicy",
                     "PodDisruptionBudget", "Role", "Role", "RoleBinding", "RoleBinding", "Service", "ServiceAccount"]
    for doc in docs:
        kubernetes_validate.validate(doc, "1.34.0", strict=True)
    placed = {(d["kind"], d["metadata"]["name"]): d["metadata"].get("namespace") for d in docs}
    assert placed == {
        ("Namespace", SYSTEM): None,
        ("Namespace", WORKLOADS): None,
        ("ServiceAccount", "kubegate"): SYSTEM,
        ("Deployment", "kubegate"): SYSTEM,
        ("Service", "kubegate"): SYSTEM,
        ("NetworkPolicy", "kubegate"): SYSTEM,
        ("Role", "kubegate"): WORKLOADS,
        ("RoleBinding", "kubegate"): WORKLOADS,
        ("Role", "kubegate-self"): SYSTEM,
        ("PodDisruptionBudget", "kubegate"): SYSTEM,
        ("RoleBinding", "kubegate-self"): SYSTEM,
        ("NetworkPolicy", "kubegate-workloads"): WORKLOADS,
    }


def test_the_kustomization_does_not_rewrite_namespaces():
    # A top-level `namespace:` would move every object (and the RoleBinding's subject) into one namespace.
    kustomization = yaml.safe_load((ROOT / "deploy" / "kubernetes" / "kustomization.yaml").read_text())
    assert "namespace" not in kustomization


def test_both_namespaces_carry_pod_security_labels():
    docs = rendered()
    psa = "pod-security.kubernetes.io/"
    system = one(docs, "Namespace", None, SYSTEM)["metadata"]["labels"]
    assert system[psa + "enforce"] == "restricted"
    workloads = one(docs, "Namespace", None, WORKLOADS)["metadata"]["labels"]
    assert workloads[psa + "enforce"] == "baseline"
    assert workloads[psa + "warn"] == "restricted"
    assert workloads[psa + "audit"] == "restricted"


def test_the_role_is_least_privilege_with_real_verbs():
    role = one(rendered(), "Role", WORKLOADS)
    rules = {(g, r): set(rule["verbs"]) for rule in role["rules"] for g in rule["apiGroups"] for r in rule["resources"]}
    assert rules[("", "pods/exec")] == {"create", "get"}
    assert rules[("", "pods/log")] == {"get"}
    assert "watch" in rules[("", "pods")]
    assert ("networking.k8s.io", "ingresses") in rules and ("", "ingresses") not in rules
    assert not any("exec" in verbs or "*" in verbs for verbs in rules.values())
    assert not any(r == "secrets" for _, r in rules)


def test_in_its_own_namespace_kubegate_may_use_its_lease_and_settings_configmap_only():
    role = one(rendered(), "Role", SYSTEM, "kubegate-self")
    named = {(g, r, rule["resourceNames"][0]): set(rule["verbs"])
             for rule in role["rules"] for g in rule["apiGroups"] for r in rule["resources"] if rule.get("resourceNames")}
    assert named == {("coordination.k8s.io", "leases", "kubegate-leader"): {"get", "update"},
                     ("", "configmaps", "kubegate-settings"): {"get", "list", "watch", "update"},
                     ("", "configmaps", "kubegate-peers"): {"get", "update"}}
    unnamed = [rule for rule in role["rules"] if not rule.get("resourceNames")]
    assert all(rule["verbs"] == ["create"] for rule in unnamed), unnamed
    args = one(rendered(), "Deployment", SYSTEM)["spec"]["template"]["spec"]["containers"][0]["args"]
    assert "--leader-election" in args and "--settings-configmap=kubegate-settings" in args
    assert "--drain-seconds=5" in args  # readiness fails before the listeners close


def test_two_replicas_spread_and_relay_sessions_to_each_other():
    deployment = one(rendered(), "Deployment", SYSTEM)
    assert deployment["spec"]["replicas"] == 2
    spec = deployment["spec"]["template"]["spec"]
    term = spec["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"][0]["podAffinityTerm"]
    assert term["topologyKey"] == "kubernetes.io/hostname"
    container = spec["containers"][0]
    assert "--advertise-url=https://$(POD_IP):50051" in container["args"]
    env = {e["name"]: e for e in container["env"]}
    assert env["POD_IP"]["valueFrom"]["fieldRef"]["fieldPath"] == "status.podIP"
    pdb = one(rendered(), "PodDisruptionBudget", SYSTEM)
    assert pdb["spec"]["maxUnavailable"] == 1
    assert pdb["spec"]["selector"] == deployment["spec"]["selector"]


def test_the_rolebinding_grants_the_workload_role_to_kubegate_in_its_own_namespace():
    binding = one(rendered(), "RoleBinding", WORKLOADS)
    assert binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "kubegate"}
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "kubegate", "namespace": SYSTEM}]


def test_nothing_grants_secrets_wildcards_or_cluster_scope():
    docs = rendered()
    assert not [d["kind"] for d in docs if d["kind"] in ("ClusterRole", "ClusterRoleBinding")]
    roles = [d for d in docs if d["kind"] == "Role"]
    assert sorted(r["metadata"]["namespace"] for r in roles) == [SYSTEM, WORKLOADS]
    for role in roles:
        for rule in role["rules"]:
            assert "nonResourceURLs" not in rule, rule
            for field in ("apiGroups", "resources", "verbs"):
                assert "*" not in rule[field], rule
            assert not any(r == "secrets" or r.startswith("secrets/") for r in rule["resources"]), rule
            assert "resourceNames" not in rule or rule["resourceNames"], rule
    for binding in (d for d in docs if d["kind"] == "RoleBinding"):
        assert binding["roleRef"]["kind"] == "Role", binding
    # Only the Deployment names a Secret: the API token, read from the environment.
    mentions = [d["kind"] for d in docs if "secret" in yaml.safe_dump(d).lower()]
    assert mentions == ["Deployment"], mentions


def test_the_deployment_is_hardened_and_spared_by_cleanup():
    deployment = one(rendered(), "Deployment", SYSTEM)
    pod = deployment["spec"]["template"]
    # Spared by cleanup through its own label; app=opencode-manager marks the workloads, not kubegate.
    assert pod["metadata"]["labels"]["app.kubernetes.io/name"] == "kubegate"
    assert "app" not in pod["metadata"]["labels"]
    assert "app.kubernetes.io/managed-by" not in pod["metadata"]["labels"]
    assert pod["spec"]["serviceAccountName"] == "kubegate"
    container = pod["spec"]["containers"][0]
    env = {e["name"]: e for e in container["env"]}
    assert env["POD_NAME"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name"
    assert env["POD_NAMESPACE"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.namespace"
    assert env["KUBEGATE_API_TOKEN"]["valueFrom"]["secretKeyRef"] == {"name": "kubegate-api-token", "key": "token"}
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert pod["spec"]["securityContext"]["runAsNonRoot"] is True
    assert {p["containerPort"] for p in container["ports"]} == {5003, 5004, 50051}
    assert container["livenessProbe"] and container["readinessProbe"] and container["resources"]["limits"]


def test_the_deployment_meets_pod_security_restricted():
    # What kubegate-system enforces, checked here too so that a failure names the field.
    spec = one(rendered(), "Deployment", SYSTEM)["spec"]["template"]["spec"]
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    assert not any(spec.get(k) for k in ("hostNetwork", "hostPID", "hostIPC"))
    for container in spec["containers"] + spec.get("initContainers", []):
        context = container["securityContext"]
        assert context["allowPrivilegeEscalation"] is False
        assert context["capabilities"]["drop"] == ["ALL"] and not context["capabilities"].get("add")
        assert not context.get("privileged")
    for volume in spec["volumes"]:
        assert set(volume) - {"name"} <= {"emptyDir", "configMap", "secret", "projected", "downwardAPI",
                                          "persistentVolumeClaim", "ephemeral", "csi"}, volume


def test_the_deployment_runs_in_kubegate_system_for_workloads_in_opencode_manager():
    deployment = one(rendered(), "Deployment", SYSTEM)
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    args = container["args"]
    flags = {a.split("=", 1)[0]: a.split("=", 1)[1] for a in args if a.startswith("--") and "=" in a}
    assert flags["--namespace"] == WORKLOADS
    assert flags["--allowed-hosts"].split(",") == [
        "kubegate.kubegate-system.svc", "kubegate.kubegate-system.svc.cluster.local", "kubegate.kubegate-system",
        "kubegate"]
    # A token and a certificate come from Secrets, so listening beyond loopback needs no --insecure.
    assert "--insecure" not in args and "--no-auth" not in args
    assert flags["--tls-cert"] == "/etc/kubegate/tls/tls.crt" and flags["--tls-key"] == "/etc/kubegate/tls/tls.key"
    mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
    assert mounts["/etc/kubegate/tls"]["readOnly"] is True
    volumes = {v["name"]: v for v in deployment["spec"]["template"]["spec"]["volumes"]}
    assert volumes[mounts["/etc/kubegate/tls"]["name"]]["secret"]["secretName"] == "kubegate-tls"
    # The readiness probe speaks the TLS the port serves.
    assert container["readinessProbe"]["httpGet"]["scheme"] == "HTTPS"
    # Claims are namespaced: the workloads' claim cannot be mounted here (the comment says how to).
    assert not any(a.startswith("--claim-mount") for a in args)
    assert not any("persistentVolumeClaim" in v for v in deployment["spec"]["template"]["spec"]["volumes"])
    # The workloads' namespace is fixed, never this pod's own (the downward API's metadata.namespace).
    env = {e["name"]: e for e in container["env"]}
    assert "KUBEGATE_NAMESPACE" not in env or env["KUBEGATE_NAMESPACE"].get("value") == WORKLOADS


def test_the_service_selects_kubegate_in_its_namespace():
    service = one(rendered(), "Service", SYSTEM)
    assert service["spec"]["selector"] == {"app.kubernetes.io/name": "kubegate"}
    assert {p["port"] for p in service["spec"]["ports"]} == {5003, 5004, 50051}


def test_kubegate_is_reached_by_the_ingress_controller_and_the_agent_but_not_by_workloads():
    policy = one(rendered(), "NetworkPolicy", SYSTEM)["spec"]
    assert policy["podSelector"] == {"matchLabels": {"app.kubernetes.io/name": "kubegate"}}
    assert set(policy["policyTypes"]) == {"Ingress", "Egress"}
    [rule] = policy["ingress"]
    assert {p["port"] for p in rule["ports"]} == {5003, 5004, 50051}
    peers = rule["from"]
    assert {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}} in peers
    agent = next(p for p in peers if p.get("namespaceSelector", {}).get("matchLabels", {}).get(
        "kubernetes.io/metadata.name") == WORKLOADS)
    assert agent["podSelector"]["matchExpressions"] == [
        {"key": "app.kubernetes.io/managed-by", "operator": "NotIn", "values": ["kubegate"]}]
    assert all("ipBlock" not in p and p.get("namespaceSelector") for p in peers), peers
    ports = sorted((p["port"], p.get("protocol", "TCP")) for rule in policy["egress"] for p in rule["ports"])
    assert ports == [(53, "TCP"), (53, "UDP"), (443, "TCP"), (6443, "TCP")]


def test_workload_pods_are_denied_everything_but_dns_egress():
    policy = one(rendered(), "NetworkPolicy", WORKLOADS, "kubegate-workloads")["spec"]
    assert policy["podSelector"] == WORKLOAD_SELECTOR
    assert set(policy["policyTypes"]) == {"Ingress", "Egress"}
    assert policy["egress"] == [{"to": [KUBE_SYSTEM], "ports": DNS_PORTS}]
    assert policy["ingress"] == [
        {"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}]}]
    # The place where an operator adds egress is marked in the file.
    assert "OPERATOR: workload egress goes here" in (ROOT / "deploy" / "kubernetes" / "networkpolicy.yaml").read_text()


def test_the_compose_file_has_the_original_shape():
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    service = compose["services"]["kubegate"]
    assert {p.split(":")[-2] for p in service["ports"]} == {"5003", "5004", "50051"}
    # Without TLS (--insecure) the ports are published on the host's loopback only.
    assert "--insecure" in service["command"]
    assert all(p.startswith("127.0.0.1:") for p in service["ports"]), service["ports"]
    mounts = service["volumes"]
    assert "/workspace/.kube/kubeconfig:/workspace/.kube/kubeconfig:ro" in mounts
    assert "./ca.crt:/workspace/.kube/ca.crt:ro" in mounts
    assert "NODE_EXTRA_CA_CERTS=/workspace/.kube/ca.crt" in service["environment"]
    assert (ROOT / "deploy" / compose["services"]["kubegate"]["build"]["dockerfile"].split("/")[-1]).exists()
    assert set(compose["volumes"]) >= {"workspace-volume"}
