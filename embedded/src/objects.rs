//! What the API server does to an object on create: name validation, required fields and the defaults
//! a real API server fills in, per kind.

use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::{Value, json};

use super::kinds::Kind;
use super::status::{ApiError, Cause};

const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_LABEL_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

fn is_label(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 63
        && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !text.starts_with('-')
        && !text.ends_with('-')
}

/// Whether `text` is a DNS-1123 subdomain.
pub fn is_dns1123_subdomain(text: &str) -> bool {
    text.len() <= 253 && text.split('.').all(is_label)
}

/// Whether `text` is a DNS-1123 label.
pub fn is_dns1123_label(text: &str) -> bool {
    is_label(text)
}

/// Whether `text` is a DNS-1035 label.
pub fn is_dns1035_label(text: &str) -> bool {
    is_label(text) && text.starts_with(|c: char| c.is_ascii_lowercase())
}

fn name_cause(kind: &Kind, name: &str) -> Option<Cause> {
    let (ok, message) = match kind.resource {
        "namespaces" => (is_dns1123_label(name), DNS1123_LABEL_MSG),
        "services" => (is_dns1035_label(name), DNS1035_LABEL_MSG),
        _ => (is_dns1123_subdomain(name), DNS1123_SUBDOMAIN_MSG),
    };
    (!ok).then(|| Cause::invalid("metadata.name", name, message))
}

/// A short random suffix for `generateName`.
fn random_suffix() -> String {
    use rand::Rng as _;
    const CHARS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut rng = rand::rng();
    (0..5).map(|_| CHARS[rng.random_range(0..CHARS.len())] as char).collect()
}

static NEXT_IP: AtomicU32 = AtomicU32::new(10);
static NEXT_NODE_PORT: AtomicU32 = AtomicU32::new(30000);

/// Validates a new object and fills in defaults. `path_namespace` is the namespace from the URL.
pub fn admit_create(kind: &Kind, path_namespace: &str, object: &mut Value) -> Result<(), ApiError> {
    if !object.is_object() {
        return Err(ApiError::bad_request("the request body must be a JSON object"));
    }
    if !object["metadata"].is_object() {
        object["metadata"] = json!({});
    }
    let body_namespace = object["metadata"]["namespace"].as_str().unwrap_or_default().to_string();
    if kind.namespaced && !body_namespace.is_empty() && body_namespace != path_namespace {
        return Err(ApiError::bad_request(
            "the namespace of the provided object does not match the namespace sent on the request",
        ));
    }
    let name = object["metadata"]["name"].as_str().unwrap_or_default().to_string();
    let name = if name.is_empty() {
        match object["metadata"]["generateName"].as_str() {
            Some(prefix) if !prefix.is_empty() => {
                let generated = format!("{prefix}{}", random_suffix());
                object["metadata"]["name"] = json!(generated);
                generated
            }
            _ => {
                return Err(ApiError::invalid(
                    kind.kind,
                    kind.group,
                    "",
                    &[Cause::required("metadata.name").with_message("name or generateName is required")],
                ));
            }
        }
    } else {
        name
    };
    let mut causes: Vec<Cause> = name_cause(kind, &name).into_iter().collect();
    check_labels(object, &mut causes);
    match kind.resource {
        "pods" => admit_pod(object, &mut causes),
        "services" => admit_service(object, &mut causes),
        "ingresses" => admit_ingress(object, &mut causes),
        "persistentvolumeclaims" => admit_pvc(object, &mut causes),
        "namespaces" => admit_namespace(object, &name),
        "configmaps" => admit_configmap(object, &mut causes),
        "leases" => admit_lease(object, &mut causes),
        _ => {}
    }
    if causes.is_empty() { Ok(()) } else { Err(ApiError::invalid(kind.kind, kind.group, &name, &causes)) }
}

impl Cause {
    fn with_message(mut self, message: &str) -> Self {
        self.message = message.to_string();
        self
    }
}

fn check_labels(object: &Value, causes: &mut Vec<Cause>) {
    let Some(labels) = object["metadata"]["labels"].as_object() else { return };
    for (key, value) in labels {
        let name = key.rsplit('/').next().unwrap_or(key);
        let key_ok = !name.is_empty()
            && name.len() <= 63
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            && name.starts_with(|c: char| c.is_ascii_alphanumeric())
            && name.ends_with(|c: char| c.is_ascii_alphanumeric());
        if !key_ok {
            causes.push(Cause::invalid(
                "metadata.labels",
                key,
                "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
            ));
        }
        let value = value.as_str().unwrap_or_default();
        let value_ok = value.is_empty()
            || (value.len() <= 63
                && value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
                && value.starts_with(|c: char| c.is_ascii_alphanumeric())
                && value.ends_with(|c: char| c.is_ascii_alphanumeric()));
        if !value_ok {
            causes.push(Cause::invalid(
                "metadata.labels",
                value,
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
            ));
        }
    }
}

fn set_default(object: &mut Value, key: &str, value: Value) {
    if object.get(key).is_none_or(Value::is_null) {
        object[key] = value;
    }
}

fn admit_pod(pod: &mut Value, causes: &mut Vec<Cause>) {
    if !pod["spec"].is_object() {
        causes.push(Cause::required("spec.containers"));
        return;
    }
    let spec = &mut pod["spec"];
    match spec.get_mut("containers").and_then(Value::as_array_mut) {
        Some(containers) if !containers.is_empty() => {
            let mut names: Vec<String> = Vec::new();
            for (i, container) in containers.iter_mut().enumerate() {
                let name = container["name"].as_str().unwrap_or_default().to_string();
                if name.is_empty() {
                    causes.push(Cause::required(format!("spec.containers[{i}].name")));
                } else if !is_dns1123_label(&name) {
                    causes.push(Cause::invalid(
                        format!("spec.containers[{i}].name"),
                        &name,
                        DNS1123_LABEL_MSG,
                    ));
                } else if names.contains(&name) {
                    // Logs, exec and statuses find a container by name: two of one name are refused.
                    causes.push(Cause::duplicate(format!("spec.containers[{i}].name"), &name));
                }
                names.push(name.clone());
                let image = container["image"].as_str().unwrap_or_default().to_string();
                if image.trim().is_empty() {
                    causes.push(Cause::required(format!("spec.containers[{i}].image")));
                }
                let latest =
                    image.ends_with(":latest") || !image.rsplit('/').next().unwrap_or("").contains(':');
                set_default(
                    container,
                    "imagePullPolicy",
                    json!(if latest { "Always" } else { "IfNotPresent" }),
                );
                set_default(container, "terminationMessagePath", json!("/dev/termination-log"));
                set_default(container, "terminationMessagePolicy", json!("File"));
                set_default(container, "resources", json!({}));
                if let Some(ports) = container.get_mut("ports").and_then(Value::as_array_mut) {
                    for (j, port) in ports.iter_mut().enumerate() {
                        let number = port["containerPort"].as_i64().unwrap_or(0);
                        if !(1..=65535).contains(&number) {
                            causes.push(Cause::invalid(
                                format!("spec.containers[{i}].ports[{j}].containerPort"),
                                &number.to_string(),
                                "must be between 1 and 65535, inclusive",
                            ));
                        }
                        set_default(port, "protocol", json!("TCP"));
                    }
                }
            }
        }
        _ => causes.push(Cause::required("spec.containers")),
    }
    let policy = spec["restartPolicy"].as_str().unwrap_or("Always").to_string();
    if !["Always", "OnFailure", "Never"].contains(&policy.as_str()) {
        causes.push(Cause::not_supported("spec.restartPolicy", &policy, &["Always", "OnFailure", "Never"]));
    }
    if let Some(deadline) = spec["activeDeadlineSeconds"].as_i64()
        && deadline < 1
    {
        causes.push(Cause::invalid(
            "spec.activeDeadlineSeconds",
            &deadline.to_string(),
            "must be between 1 and 2147483647, inclusive",
        ));
    }
    set_default(spec, "restartPolicy", json!("Always"));
    set_default(spec, "terminationGracePeriodSeconds", json!(30));
    set_default(spec, "dnsPolicy", json!("ClusterFirst"));
    set_default(spec, "schedulerName", json!("default-scheduler"));
    set_default(spec, "securityContext", json!({}));
    set_default(spec, "serviceAccountName", json!("default"));
    set_default(spec, "serviceAccount", json!("default"));
    set_default(spec, "enableServiceLinks", json!(true));
    set_default(spec, "priority", json!(0));
    set_default(spec, "preemptionPolicy", json!("PreemptLowerPriority"));
    pod["status"] = json!({"phase": "Pending", "qosClass": qos_class(&pod["spec"])});
}

fn qos_class(spec: &Value) -> &'static str {
    let containers = spec["containers"].as_array().cloned().unwrap_or_default();
    let any_set = containers.iter().any(|c| {
        c["resources"]["requests"].as_object().is_some_and(|m| !m.is_empty())
            || c["resources"]["limits"].as_object().is_some_and(|m| !m.is_empty())
    });
    if !any_set {
        return "BestEffort";
    }
    let guaranteed = containers.iter().all(|c| {
        let limits = &c["resources"]["limits"];
        let requests = &c["resources"]["requests"];
        ["cpu", "memory"].iter().all(|r| {
            limits.get(*r).is_some() && (requests.get(*r).is_none() || requests.get(*r) == limits.get(*r))
        })
    });
    if guaranteed { "Guaranteed" } else { "Burstable" }
}

fn admit_service(service: &mut Value, causes: &mut Vec<Cause>) {
    if !service["spec"].is_object() {
        service["spec"] = json!({});
    }
    let spec = &mut service["spec"];
    let service_type = spec["type"].as_str().unwrap_or("ClusterIP").to_string();
    let types = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];
    if !types.contains(&service_type.as_str()) {
        causes.push(Cause::not_supported("spec.type", &service_type, &types));
    }
    let headless = spec["clusterIP"].as_str() == Some("None");
    let mut names = Vec::new();
    match spec.get_mut("ports").and_then(Value::as_array_mut) {
        Some(ports) if !ports.is_empty() => {
            let several = ports.len() > 1;
            for (i, port) in ports.iter_mut().enumerate() {
                let number = port["port"].as_i64().unwrap_or(0);
                if !(1..=65535).contains(&number) {
                    causes.push(Cause::invalid(
                        format!("spec.ports[{i}].port"),
                        &number.to_string(),
                        "must be between 1 and 65535, inclusive",
                    ));
                }
                let name = port["name"].as_str().unwrap_or_default().to_string();
                if several && name.is_empty() {
                    causes.push(Cause::required(format!("spec.ports[{i}].name")));
                } else if !name.is_empty() && names.contains(&name) {
                    causes.push(Cause::duplicate(format!("spec.ports[{i}].name"), &name));
                }
                names.push(name);
                let protocol = port["protocol"].as_str().unwrap_or("TCP").to_string();
                if !["TCP", "UDP", "SCTP"].contains(&protocol.as_str()) {
                    causes.push(Cause::not_supported(
                        format!("spec.ports[{i}].protocol"),
                        &protocol,
                        &["SCTP", "TCP", "UDP"],
                    ));
                }
                set_default(port, "protocol", json!("TCP"));
                set_default(port, "targetPort", json!(number));
                if matches!(service_type.as_str(), "NodePort" | "LoadBalancer") {
                    let node_port = NEXT_NODE_PORT.fetch_add(1, Ordering::Relaxed);
                    set_default(port, "nodePort", json!(node_port));
                }
            }
        }
        _ if service_type != "ExternalName" && !headless => causes.push(Cause::required("spec.ports")),
        _ => {}
    }
    set_default(spec, "type", json!("ClusterIP"));
    set_default(spec, "sessionAffinity", json!("None"));
    if service_type != "ExternalName" {
        if spec["clusterIP"].as_str().is_none_or(str::is_empty) {
            let n = NEXT_IP.fetch_add(1, Ordering::Relaxed);
            spec["clusterIP"] = json!(format!("10.96.{}.{}", n / 250, n % 250 + 1));
        }
        let ip = spec["clusterIP"].clone();
        set_default(spec, "clusterIPs", json!([ip]));
        set_default(spec, "ipFamilies", json!(["IPv4"]));
        set_default(spec, "ipFamilyPolicy", json!("SingleStack"));
        set_default(spec, "internalTrafficPolicy", json!("Cluster"));
    }
    if matches!(service_type.as_str(), "NodePort" | "LoadBalancer") {
        set_default(spec, "externalTrafficPolicy", json!("Cluster"));
    }
    service["status"] = json!({"loadBalancer": {}});
}

fn admit_ingress(ingress: &mut Value, causes: &mut Vec<Cause>) {
    let rules = ingress["spec"]["rules"].as_array().cloned().unwrap_or_default();
    if rules.is_empty() && ingress["spec"]["defaultBackend"].is_null() {
        causes.push(Cause {
            reason: "FieldValueInvalid",
            field: "spec".into(),
            message: "Invalid value: \"\": either `defaultBackend` or `rules` must be specified".into(),
        });
    }
    for (i, rule) in rules.iter().enumerate() {
        let paths = rule["http"]["paths"].as_array().cloned().unwrap_or_default();
        for (j, path) in paths.iter().enumerate() {
            let field = format!("spec.rules[{i}].http.paths[{j}]");
            match path["pathType"].as_str() {
                None => causes.push(Cause::required(format!("{field}.pathType"))),
                Some(t) if !["Exact", "Prefix", "ImplementationSpecific"].contains(&t) => {
                    causes.push(Cause::not_supported(
                        format!("{field}.pathType"),
                        t,
                        &["Exact", "ImplementationSpecific", "Prefix"],
                    ))
                }
                Some(_) => {}
            }
            if path["path"].as_str().is_some_and(|p| !p.starts_with('/')) {
                causes.push(Cause::invalid(
                    format!("{field}.path"),
                    path["path"].as_str().unwrap_or_default(),
                    "must be an absolute path",
                ));
            }
            if path["backend"]["service"]["name"].as_str().is_none_or(str::is_empty)
                && path["backend"]["resource"].is_null()
            {
                causes.push(Cause::required(format!("{field}.backend")));
            }
        }
    }
    ingress["status"] = json!({"loadBalancer": {}});
}

fn admit_pvc(pvc: &mut Value, causes: &mut Vec<Cause>) {
    if pvc["spec"]["accessModes"].as_array().is_none_or(Vec::is_empty) {
        causes.push(Cause::required("spec.accessModes"));
    }
    let storage = pvc["spec"]["resources"]["requests"]["storage"].clone();
    if storage.is_null() {
        causes.push(Cause::required("spec.resources[storage]"));
    }
    let spec = &mut pvc["spec"];
    set_default(spec, "volumeMode", json!("Filesystem"));
    set_default(spec, "storageClassName", json!("embedded"));
    let modes = pvc["spec"]["accessModes"].clone();
    pvc["status"] = json!({"phase": "Bound", "accessModes": modes, "capacity": {"storage": storage}});
}

const CONFIG_KEY_MSG: &str = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

fn admit_configmap(configmap: &Value, causes: &mut Vec<Cause>) {
    let mut seen: Vec<&str> = Vec::new();
    for field in ["data", "binaryData"] {
        let Some(entries) = configmap[field].as_object() else { continue };
        for (key, value) in entries {
            let valid = !key.is_empty()
                && key.len() <= 253
                && key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
                && key != "."
                && key != "..";
            if !valid {
                causes.push(Cause::invalid(format!("{field}[{key}]"), key, CONFIG_KEY_MSG));
            } else if seen.contains(&key.as_str()) {
                causes.push(Cause::invalid(
                    format!("{field}[{key}]"),
                    key,
                    "duplicate of key present in data",
                ));
            }
            seen.push(key);
            if !value.is_string() {
                causes.push(Cause::invalid(
                    format!("{field}[{key}]"),
                    &value.to_string(),
                    "must be a string",
                ));
            }
        }
    }
}

fn admit_lease(lease: &Value, causes: &mut Vec<Cause>) {
    for field in ["leaseDurationSeconds", "leaseTransitions"] {
        let value = &lease["spec"][field];
        if let Some(number) = value.as_i64() {
            let minimum = if field == "leaseDurationSeconds" { 1 } else { 0 };
            if number < minimum {
                let why = if minimum == 1 {
                    "must be greater than 0"
                } else {
                    "must be greater than or equal to 0"
                };
                causes.push(Cause::invalid(format!("spec.{field}"), &number.to_string(), why));
            }
        }
    }
}

/// A ServiceAccount as the service account controller makes one in each namespace (`default`).
pub fn service_account(name: &str) -> Value {
    json!({"metadata": {"name": name}})
}

fn admit_namespace(namespace: &mut Value, name: &str) {
    if !namespace["metadata"]["labels"].is_object() {
        namespace["metadata"]["labels"] = json!({});
    }
    namespace["metadata"]["labels"]["kubernetes.io/metadata.name"] = json!(name);
    namespace["spec"] = json!({"finalizers": ["kubernetes"]});
    namespace["status"] = json!({"phase": "Active"});
}

/// A namespace object as the cluster creates it at start.
pub fn namespace(name: &str) -> Value {
    let mut ns = json!({"metadata": {"name": name}});
    admit_namespace(&mut ns, name);
    ns
}
