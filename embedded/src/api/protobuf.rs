//! The few protobuf request bodies the embedded cluster reads. kubectl sends built-in kinds as
//! `application/vnd.kubernetes.protobuf` for some commands (`kubectl auth can-i` posts a
//! SelfSubjectAccessReview, `kubectl create namespace` a Namespace); those two are decoded from the
//! Kubernetes envelope (the magic `k8s\0` and a `runtime.Unknown` holding the object) into the JSON the
//! rest of the cluster works with. Answers stay JSON, which clients accept. Any other kind is 415 naming
//! what is understood, so a client can send JSON instead.

use prost::Message;
use serde_json::{Map, Value, json};

use crate::status::{ApiError, ApiResult};

/// The four bytes that open every Kubernetes protobuf body.
const MAGIC: &[u8] = b"k8s\0";

#[derive(Clone, PartialEq, Message)]
struct Unknown {
    #[prost(message, optional, tag = "1")]
    type_meta: Option<TypeMeta>,
    #[prost(bytes = "vec", optional, tag = "2")]
    raw: Option<Vec<u8>>,
}

#[derive(Clone, PartialEq, Message)]
struct TypeMeta {
    #[prost(string, optional, tag = "1")]
    api_version: Option<String>,
    #[prost(string, optional, tag = "2")]
    kind: Option<String>,
}

#[derive(Clone, PartialEq, Message)]
struct ObjectMeta {
    #[prost(string, optional, tag = "1")]
    name: Option<String>,
    #[prost(string, optional, tag = "2")]
    generate_name: Option<String>,
    #[prost(string, optional, tag = "3")]
    namespace: Option<String>,
    #[prost(btree_map = "string, string", tag = "11")]
    labels: std::collections::BTreeMap<String, String>,
    #[prost(btree_map = "string, string", tag = "12")]
    annotations: std::collections::BTreeMap<String, String>,
}

#[derive(Clone, PartialEq, Message)]
struct SelfSubjectAccessReview {
    #[prost(message, optional, tag = "1")]
    metadata: Option<ObjectMeta>,
    #[prost(message, optional, tag = "2")]
    spec: Option<AccessReviewSpec>,
}

#[derive(Clone, PartialEq, Message)]
struct AccessReviewSpec {
    #[prost(message, optional, tag = "1")]
    resource_attributes: Option<ResourceAttributes>,
    #[prost(message, optional, tag = "2")]
    non_resource_attributes: Option<NonResourceAttributes>,
}

#[derive(Clone, PartialEq, Message)]
struct ResourceAttributes {
    #[prost(string, optional, tag = "1")]
    namespace: Option<String>,
    #[prost(string, optional, tag = "2")]
    verb: Option<String>,
    #[prost(string, optional, tag = "3")]
    group: Option<String>,
    #[prost(string, optional, tag = "4")]
    version: Option<String>,
    #[prost(string, optional, tag = "5")]
    resource: Option<String>,
    #[prost(string, optional, tag = "6")]
    subresource: Option<String>,
    #[prost(string, optional, tag = "7")]
    name: Option<String>,
}

#[derive(Clone, PartialEq, Message)]
struct NonResourceAttributes {
    #[prost(string, optional, tag = "1")]
    path: Option<String>,
    #[prost(string, optional, tag = "2")]
    verb: Option<String>,
}

#[derive(Clone, PartialEq, Message)]
struct Namespace {
    #[prost(message, optional, tag = "1")]
    metadata: Option<ObjectMeta>,
}

/// Sets `key` when the value is present.
fn put(object: &mut Map<String, Value>, key: &str, value: Option<String>) {
    if let Some(value) = value {
        object.insert(key.to_string(), json!(value));
    }
}

fn metadata(meta: Option<ObjectMeta>) -> Value {
    let meta = meta.unwrap_or_default();
    let mut out = Map::new();
    put(&mut out, "name", meta.name);
    put(&mut out, "generateName", meta.generate_name);
    put(&mut out, "namespace", meta.namespace);
    if !meta.labels.is_empty() {
        out.insert("labels".into(), json!(meta.labels));
    }
    if !meta.annotations.is_empty() {
        out.insert("annotations".into(), json!(meta.annotations));
    }
    Value::Object(out)
}

fn malformed(what: &str, error: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(format!("the protobuf body is not a valid {what}: {error}"))
}

/// The JSON object a protobuf request body holds; 415 for kinds this cluster does not read as protobuf.
pub fn to_json(body: &[u8], content_type: &str) -> ApiResult<Value> {
    let Some(envelope) = body.strip_prefix(MAGIC) else {
        return Err(malformed("Kubernetes object", "it does not start with the k8s protobuf magic"));
    };
    let unknown = Unknown::decode(envelope).map_err(|e| malformed("Kubernetes object", e))?;
    let type_meta = unknown.type_meta.unwrap_or_default();
    let (api_version, kind) = (type_meta.api_version.unwrap_or_default(), type_meta.kind.unwrap_or_default());
    let raw = unknown.raw.unwrap_or_default();
    let object = match kind.as_str() {
        "SelfSubjectAccessReview" => {
            let review = SelfSubjectAccessReview::decode(raw.as_slice()).map_err(|e| malformed(&kind, e))?;
            let spec = review.spec.unwrap_or_default();
            let mut out = Map::new();
            if let Some(a) = spec.resource_attributes {
                let mut attrs = Map::new();
                for (key, value) in [
                    ("namespace", a.namespace),
                    ("verb", a.verb),
                    ("group", a.group),
                    ("version", a.version),
                    ("resource", a.resource),
                    ("subresource", a.subresource),
                    ("name", a.name),
                ] {
                    put(&mut attrs, key, value);
                }
                out.insert("resourceAttributes".into(), Value::Object(attrs));
            }
            if let Some(a) = spec.non_resource_attributes {
                let mut attrs = Map::new();
                put(&mut attrs, "path", a.path);
                put(&mut attrs, "verb", a.verb);
                out.insert("nonResourceAttributes".into(), Value::Object(attrs));
            }
            json!({"metadata": metadata(review.metadata), "spec": Value::Object(out)})
        }
        "Namespace" => {
            let namespace = Namespace::decode(raw.as_slice()).map_err(|e| malformed(&kind, e))?;
            json!({"metadata": metadata(namespace.metadata)})
        }
        _ => {
            return Err(ApiError::unsupported_media_type(&format!(
                "{content_type} for {kind:?}; this cluster reads protobuf only for SelfSubjectAccessReview and Namespace, send JSON"
            )));
        }
    };
    let mut object = object;
    object["apiVersion"] = json!(api_version);
    object["kind"] = json!(kind);
    Ok(object)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(api_version: &str, kind: &str, raw: Vec<u8>) -> Vec<u8> {
        let unknown = Unknown {
            type_meta: Some(TypeMeta { api_version: Some(api_version.into()), kind: Some(kind.into()) }),
            raw: Some(raw),
        };
        [MAGIC, unknown.encode_to_vec().as_slice()].concat()
    }

    #[test]
    fn an_access_review_and_a_namespace_become_json() {
        let review = SelfSubjectAccessReview {
            metadata: None,
            spec: Some(AccessReviewSpec {
                resource_attributes: Some(ResourceAttributes {
                    namespace: Some("opencode-manager".into()),
                    verb: Some("create".into()),
                    resource: Some("pods".into()),
                    subresource: Some("exec".into()),
                    ..Default::default()
                }),
                non_resource_attributes: None,
            }),
        };
        let body = envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", review.encode_to_vec());
        let json = to_json(&body, "application/vnd.kubernetes.protobuf").expect("decoded");
        assert_eq!(json["kind"], "SelfSubjectAccessReview");
        assert_eq!(
            json["spec"]["resourceAttributes"],
            json!({"namespace": "opencode-manager", "verb": "create", "resource": "pods", "subresource": "exec"})
        );
        let ns = Namespace {
            metadata: Some(ObjectMeta {
                name: Some("team-a".into()),
                labels: [("tier".to_string(), "dev".to_string())].into(),
                ..Default::default()
            }),
        };
        let json = to_json(&envelope("v1", "Namespace", ns.encode_to_vec()), "p").expect("decoded");
        assert_eq!(
            json,
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a", "labels": {"tier": "dev"}}})
        );
    }

    #[test]
    fn other_kinds_and_broken_bodies_are_refused() {
        let pod = envelope("v1", "Pod", vec![]);
        let refused = to_json(&pod, "application/vnd.kubernetes.protobuf").expect_err("415");
        assert_eq!(refused.code, 415);
        assert_eq!(to_json(b"{}", "p").expect_err("no magic").code, 400);
        let broken = [MAGIC, &[0x0a, 0xff]].concat();
        assert_eq!(to_json(&broken, "p").expect_err("truncated").code, 400);
    }
}
