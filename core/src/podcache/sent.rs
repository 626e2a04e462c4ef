//! A pod as the API server sent it: the watch and the list decode each object once into JSON kept as it
//! came (what GetPod returns, every field included, also those this build's Kubernetes types do not know;
//! a list's items get the `apiVersion` and `kind` a GET of the pod has)
//! and the typed pod the summary is built from.

use std::borrow::Cow;
use std::sync::Arc;

use k8s_openapi::api::core::v1 as core;
use kube::api::ObjectMeta;
use serde::de::Error as _;

/// One pod of a watch or list response.
#[derive(Debug, Clone)]
pub struct SentPod {
    /// The pod, typed.
    pub pod: core::Pod,
    /// Its JSON, every field the API server sent.
    pub json: Arc<str>,
}

impl<'de> serde::Deserialize<'de> for SentPod {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut value = serde_json::Value::deserialize(deserializer)?;
        // A list's items come without their type; a GET of the pod names it.
        if let Some(object) = value.as_object_mut() {
            object
                .entry("apiVersion")
                .or_insert_with(|| <core::Pod as k8s_openapi::Resource>::API_VERSION.into());
            object.entry("kind").or_insert_with(|| <core::Pod as k8s_openapi::Resource>::KIND.into());
        }
        let json = serde_json::to_string(&value).map_err(D::Error::custom)?;
        let pod = serde_json::from_value(value).map_err(D::Error::custom)?;
        Ok(Self { pod, json: json.into() })
    }
}

impl kube::Resource for SentPod {
    type DynamicType = ();
    type Scope = k8s_openapi::NamespaceResourceScope;

    fn kind(_: &()) -> Cow<'_, str> {
        <core::Pod as k8s_openapi::Resource>::KIND.into()
    }

    fn group(_: &()) -> Cow<'_, str> {
        <core::Pod as k8s_openapi::Resource>::GROUP.into()
    }

    fn version(_: &()) -> Cow<'_, str> {
        <core::Pod as k8s_openapi::Resource>::VERSION.into()
    }

    fn plural(_: &()) -> Cow<'_, str> {
        <core::Pod as k8s_openapi::Resource>::URL_PATH_SEGMENT.into()
    }

    fn meta(&self) -> &ObjectMeta {
        &self.pod.metadata
    }

    fn meta_mut(&mut self) -> &mut ObjectMeta {
        &mut self.pod.metadata
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_sent_is_kept_and_the_pod_is_typed() {
        let sent = r#"{"metadata":{"name":"p","resourceVersion":"7"},"spec":{"containers":[]},
            "status":{"conditions":[{"type":"Ready","status":"True","lastProbeTime":null}],"futureField":{"a":1}}}"#;
        let pod: SentPod = serde_json::from_str(sent).expect("a pod");
        assert_eq!(pod.pod.metadata.name.as_deref(), Some("p"));
        let kept: serde_json::Value = serde_json::from_str(&pod.json).expect("json");
        let mut original: serde_json::Value = serde_json::from_str(sent).expect("json");
        original["apiVersion"] = "v1".into();
        original["kind"] = "Pod".into();
        assert_eq!(kept, original, "every field sent, and the type a list's item leaves out");
        assert_eq!(<SentPod as kube::Resource>::plural(&()), "pods");
        assert_eq!(<SentPod as kube::Resource>::api_version(&()), "v1");
    }
}
