//! Label and field selectors, as list and watch requests send them.

use serde_json::Value;

use super::status::ApiError;

/// One requirement of a label selector.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

/// A parsed label selector; every requirement must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelSelector(Vec<Requirement>);

/// Splits on commas that are not inside parentheses.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn set_values(text: &str) -> Option<Vec<String>> {
    let inner = text.trim().strip_prefix('(')?.strip_suffix(')')?;
    Some(inner.split(',').map(|v| v.trim().to_string()).collect())
}

impl LabelSelector {
    /// Parses `a=b,c!=d,e in (f,g),h notin (i),j,!k`. An empty text matches everything.
    pub fn parse(text: &str) -> Result<Self, ApiError> {
        let mut requirements = Vec::new();
        if text.trim().is_empty() {
            return Ok(Self(requirements));
        }
        let bad = |part: &str| {
            ApiError::bad_request(format!("unable to parse requirement: invalid label selector: {part:?}"))
        };
        for part in split_top_level(text) {
            let part = part.trim();
            if part.is_empty() {
                return Err(bad(part));
            }
            let requirement = if let Some(key) = part.strip_prefix('!') {
                Requirement::NotExists(key.trim().to_string())
            } else if let Some((key, value)) = part.split_once("!=") {
                Requirement::NotEquals(key.trim().to_string(), value.trim().to_string())
            } else if let Some((key, value)) = part.split_once("==") {
                Requirement::Equals(key.trim().to_string(), value.trim().to_string())
            } else if let Some((key, value)) = part.split_once('=') {
                Requirement::Equals(key.trim().to_string(), value.trim().to_string())
            } else if let Some((key, values)) = part.split_once(" notin ") {
                Requirement::NotIn(key.trim().to_string(), set_values(values).ok_or_else(|| bad(part))?)
            } else if let Some((key, values)) = part.split_once(" in ") {
                Requirement::In(key.trim().to_string(), set_values(values).ok_or_else(|| bad(part))?)
            } else if part.contains(char::is_whitespace) || part.contains('(') {
                return Err(bad(part));
            } else {
                Requirement::Exists(part.to_string())
            };
            requirements.push(requirement);
        }
        Ok(Self(requirements))
    }

    /// Whether an object's labels satisfy the selector.
    pub fn matches(&self, object: &Value) -> bool {
        let labels = &object["metadata"]["labels"];
        let label = |key: &str| labels.get(key).and_then(Value::as_str);
        self.0.iter().all(|r| match r {
            Requirement::Equals(k, v) => label(k) == Some(v.as_str()),
            Requirement::NotEquals(k, v) => label(k) != Some(v.as_str()),
            Requirement::In(k, vs) => label(k).is_some_and(|l| vs.iter().any(|v| v == l)),
            Requirement::NotIn(k, vs) => label(k).is_none_or(|l| vs.iter().all(|v| v != l)),
            Requirement::Exists(k) => label(k).is_some(),
            Requirement::NotExists(k) => label(k).is_none(),
        })
    }
}

/// A parsed field selector: `field=value` and `field!=value` terms, all of which must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSelector(Vec<(String, bool, String)>);

/// The fields a selector may name for a resource, and where each lives in the object.
fn field_path(resource: &str, field: &str) -> Option<&'static [&'static str]> {
    let common: Option<&'static [&'static str]> = match field {
        "metadata.name" => Some(&["metadata", "name"]),
        "metadata.namespace" => Some(&["metadata", "namespace"]),
        _ => None,
    };
    if common.is_some() {
        return common;
    }
    match (resource, field) {
        ("pods", "status.phase") => Some(&["status", "phase"]),
        ("pods", "spec.nodeName") => Some(&["spec", "nodeName"]),
        ("pods", "spec.restartPolicy") => Some(&["spec", "restartPolicy"]),
        ("pods", "spec.serviceAccountName") => Some(&["spec", "serviceAccountName"]),
        ("pods", "status.podIP") => Some(&["status", "podIP"]),
        ("namespaces", "status.phase") => Some(&["status", "phase"]),
        ("events", "involvedObject.kind") => Some(&["involvedObject", "kind"]),
        ("events", "involvedObject.namespace") => Some(&["involvedObject", "namespace"]),
        ("events", "involvedObject.name") => Some(&["involvedObject", "name"]),
        ("events", "involvedObject.uid") => Some(&["involvedObject", "uid"]),
        ("events", "involvedObject.apiVersion") => Some(&["involvedObject", "apiVersion"]),
        ("events", "involvedObject.fieldPath") => Some(&["involvedObject", "fieldPath"]),
        ("events", "reason") => Some(&["reason"]),
        ("events", "type") => Some(&["type"]),
        ("events", "reportingComponent") => Some(&["reportingComponent"]),
        ("events", "source") => Some(&["source", "component"]),
        _ => None,
    }
}

impl FieldSelector {
    /// Parses a field selector for a resource; a field the resource does not support is 400, as a real
    /// API server answers.
    pub fn parse(resource: &str, text: &str) -> Result<Self, ApiError> {
        let mut terms = Vec::new();
        if text.trim().is_empty() {
            return Ok(Self(terms));
        }
        for part in text.split(',') {
            let (field, negated, value) = if let Some((f, v)) = part.split_once("!=") {
                (f, true, v)
            } else if let Some((f, v)) = part.split_once("==") {
                (f, false, v)
            } else if let Some((f, v)) = part.split_once('=') {
                (f, false, v)
            } else {
                return Err(ApiError::bad_request(format!(
                    "invalid selector: '{text}'; can't understand '{part}'"
                )));
            };
            let field = field.trim();
            if field_path(resource, field).is_none() {
                return Err(ApiError::bad_request(format!("field label not supported: {field}")));
            }
            terms.push((field.to_string(), negated, value.trim().to_string()));
        }
        Ok(Self(terms))
    }

    /// Whether an object satisfies the selector.
    pub fn matches(&self, resource: &str, object: &Value) -> bool {
        self.0.iter().all(|(field, negated, value)| {
            let mut current = object;
            for step in field_path(resource, field).unwrap_or(&[]) {
                current = &current[*step];
            }
            let actual = current.as_str().unwrap_or_default();
            (actual == value) != *negated
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(labels: Value) -> Value {
        json!({"metadata": {"name": "p", "namespace": "ns", "labels": labels}, "status": {"phase": "Running"}})
    }

    #[test]
    fn label_selectors_follow_kubernetes_semantics() {
        let object = pod(json!({"app": "web", "tier": "front"}));
        let matches = |s: &str| LabelSelector::parse(s).map(|sel| sel.matches(&object)).ok();
        assert_eq!(matches(""), Some(true));
        assert_eq!(matches("app=web"), Some(true));
        assert_eq!(matches("app==web,tier=front"), Some(true));
        assert_eq!(matches("app!=web"), Some(false));
        assert_eq!(matches("app in (web, db)"), Some(true));
        assert_eq!(matches("app notin (web)"), Some(false));
        assert_eq!(matches("missing notin (x)"), Some(true));
        assert_eq!(matches("tier"), Some(true));
        assert_eq!(matches("!tier"), Some(false));
        assert_eq!(matches("app in web"), None);
    }

    #[test]
    fn field_selectors_know_which_fields_each_resource_has() {
        let object = pod(json!({}));
        let sel = FieldSelector::parse("pods", "status.phase=Running,metadata.name!=q").ok();
        assert_eq!(sel.map(|s| s.matches("pods", &object)), Some(true));
        assert!(FieldSelector::parse("services", "status.phase=Running").is_err());
    }
}
