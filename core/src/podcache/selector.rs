//! Label selectors evaluated locally, for reads served from the pod cache: Kubernetes' grammar
//! (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, comma-separated, all must hold). A
//! selector this parser does not accept is sent to Kubernetes instead, which reports the error.

use std::collections::BTreeMap;

/// One requirement of a selector.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Requirement {
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    Missing(String),
}

/// A parsed label selector; the empty selector matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector(Vec<Requirement>);

impl Selector {
    /// Parses `text`; `None` when it is not a selector this parser understands.
    pub fn parse(text: &str) -> Option<Self> {
        let mut requirements = Vec::new();
        for part in split_top_level(text)? {
            let part = part.trim();
            if part.is_empty() {
                if text.trim().is_empty() {
                    continue;
                }
                return None;
            }
            requirements.push(requirement(part)?);
        }
        Some(Self(requirements))
    }

    /// This selector with `key=value` added.
    pub fn and_equals(mut self, key: &str, value: &str) -> Self {
        self.0.push(Requirement::In(key.to_string(), vec![value.to_string()]));
        self
    }

    /// Whether `labels` satisfy every requirement.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.0.iter().all(|r| match r {
            Requirement::In(key, values) => labels.get(key).is_some_and(|v| values.contains(v)),
            Requirement::NotIn(key, values) => labels.get(key).is_none_or(|v| !values.contains(v)),
            Requirement::Exists(key) => labels.contains_key(key),
            Requirement::Missing(key) => !labels.contains_key(key),
        })
    }
}

/// Splits on commas outside parentheses.
fn split_top_level(text: &str) -> Option<Vec<&str>> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        if !(0..=1).contains(&depth) {
            return None;
        }
    }
    (depth == 0).then(|| {
        parts.push(&text[start..]);
        parts
    })
}

fn requirement(part: &str) -> Option<Requirement> {
    if let Some(key) = part.strip_prefix('!') {
        return Some(Requirement::Missing(key_of(key.trim())?));
    }
    if let Some((key, value)) = part.split_once("!=") {
        return Some(Requirement::NotIn(key_of(key.trim())?, vec![value_of(value.trim())?]));
    }
    if let Some((key, value)) = part.split_once("==").or_else(|| part.split_once('=')) {
        return Some(Requirement::In(key_of(key.trim())?, vec![value_of(value.trim())?]));
    }
    let words: Vec<&str> = part.splitn(2, char::is_whitespace).collect();
    match words.as_slice() {
        [key] => Some(Requirement::Exists(key_of(key)?)),
        [key, rest] => {
            let rest = rest.trim_start();
            let (operator, list) = rest.split_once('(')?;
            let list = list.trim_end().strip_suffix(')')?;
            let values = list.split(',').map(|v| value_of(v.trim())).collect::<Option<Vec<_>>>()?;
            match operator.trim() {
                "in" => Some(Requirement::In(key_of(key)?, values)),
                "notin" => Some(Requirement::NotIn(key_of(key)?, values)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A label key: an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters.
fn key_of(key: &str) -> Option<String> {
    let name = match key.rsplit_once('/') {
        Some((prefix, name)) => {
            let ok = !prefix.is_empty()
                && prefix.len() <= 253
                && prefix
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
            if !ok {
                return None;
            }
            name
        }
        None => key,
    };
    (!name.is_empty() && value_of(name).is_some()).then(|| key.to_string())
}

/// A label value: at most 63 alphanumerics, `-`, `_`, `.`, beginning and ending alphanumeric (or empty).
fn value_of(value: &str) -> Option<String> {
    let ok = value.len() <= 63
        && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && value.chars().next().is_none_or(|c| c.is_ascii_alphanumeric())
        && value.chars().last().is_none_or(|c| c.is_ascii_alphanumeric());
    ok.then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect()
    }

    fn matches(selector: &str, pairs: &[(&str, &str)]) -> bool {
        Selector::parse(selector).unwrap_or_else(|| panic!("{selector:?} parses")).matches(&labels(pairs))
    }

    #[test]
    fn equality_and_inequality() {
        assert!(matches("app=web", &[("app", "web")]));
        assert!(matches("app==web", &[("app", "web"), ("x", "y")]));
        assert!(!matches("app=web", &[("app", "db")]));
        assert!(!matches("app=web", &[]));
        assert!(matches("app!=web", &[]), "a missing label is not equal");
        assert!(!matches("app!=web", &[("app", "web")]));
        assert!(matches("app=web, tier = front", &[("app", "web"), ("tier", "front")]));
        assert!(!matches("app=web,tier=front", &[("app", "web")]));
    }

    #[test]
    fn sets_and_existence() {
        assert!(matches("env in (dev, test)", &[("env", "test")]));
        assert!(!matches("env in (dev,test)", &[("env", "prod")]));
        assert!(matches("env notin (prod)", &[("env", "dev")]));
        assert!(matches("env notin (prod)", &[]));
        assert!(matches("app.kubernetes.io/name", &[("app.kubernetes.io/name", "x")]));
        assert!(matches("!gone", &[("here", "1")]));
        assert!(!matches("!here", &[("here", "1")]));
        assert!(matches("env in (a,b),app=x", &[("env", "b"), ("app", "x")]));
        assert!(matches("", &[]), "the empty selector matches everything");
    }

    #[test]
    fn what_kubernetes_would_refuse_is_left_to_kubernetes() {
        for bad in [
            "app=",
            "=web",
            "a=b=c",
            "env in dev",
            "env in (dev",
            "env blah (x)",
            "a,,b",
            "-a=b",
            "a=-b",
            "a b c",
        ] {
            if let Some(parsed) = Selector::parse(bad) {
                // `a=` is a valid selector (the empty value); everything else must be refused.
                assert_eq!(bad, "app=", "{bad:?} parsed as {parsed:?}");
            }
        }
    }
}
