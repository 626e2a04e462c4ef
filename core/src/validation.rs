//! Checks of caller input, done before anything is sent to Kubernetes. Each failure names the field.

use std::path::{Component, Path, PathBuf};

use crate::error::FieldViolation;

/// Collects violations; a request is refused when any are found.
#[derive(Debug, Default)]
pub struct Violations(pub Vec<FieldViolation>);

impl Violations {
    /// Records a violation.
    pub fn add(&mut self, field: impl Into<String>, description: impl Into<String>) {
        self.0.push(FieldViolation::new(field, description));
    }

    /// `Ok` when nothing was found, else the INVALID_ARGUMENT error listing every violation.
    pub fn into_result(self) -> crate::Result<()> {
        if self.0.is_empty() { Ok(()) } else { Err(crate::Error::InvalidArgument(self.0)) }
    }
}

fn is_label_part(text: &str, allow_upper_and_underscore: bool) -> bool {
    !text.is_empty()
        && text.len() <= 63
        && text.bytes().all(|b| {
            b.is_ascii_lowercase()
                || b.is_ascii_digit()
                || b == b'-'
                || (allow_upper_and_underscore && (b.is_ascii_uppercase() || b == b'_' || b == b'.'))
        })
        && text.starts_with(|c: char| c.is_ascii_alphanumeric())
        && text.ends_with(|c: char| c.is_ascii_alphanumeric())
}

/// A DNS-1123 label: at most 63 lowercase letters, digits and '-', starting and ending alphanumeric.
pub fn is_dns1123_label(text: &str) -> bool {
    is_label_part(text, false)
}

/// A DNS-1123 subdomain: dot-separated labels, at most 253 characters.
pub fn is_dns1123_subdomain(text: &str) -> bool {
    text.len() <= 253 && text.split('.').all(is_dns1123_label)
}

/// A DNS-1035 label: a DNS-1123 label that starts with a letter.
pub fn is_dns1035_label(text: &str) -> bool {
    is_dns1123_label(text) && text.starts_with(|c: char| c.is_ascii_lowercase())
}

/// Checks a name that must be a DNS-1123 subdomain.
pub fn subdomain(v: &mut Violations, field: &str, name: &str) {
    if name.is_empty() {
        v.add(field, "is required");
    } else if !is_dns1123_subdomain(name) {
        v.add(field, format!("{name:?} must be a lowercase RFC 1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters"));
    }
}

/// Checks a name that must be a DNS-1123 label.
pub fn label_name(v: &mut Violations, field: &str, name: &str) {
    if name.is_empty() {
        v.add(field, "is required");
    } else if !is_dns1123_label(name) {
        v.add(field, format!("{name:?} must be a lowercase RFC 1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters"));
    }
}

/// Checks a name that must be a DNS-1035 label (Service names).
pub fn dns1035(v: &mut Violations, field: &str, name: &str) {
    if name.is_empty() {
        v.add(field, "is required");
    } else if !is_dns1035_label(name) {
        v.add(field, format!("{name:?} must be a DNS-1035 label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, at most 63 characters"));
    }
}

/// Checks a map of labels: keys `[prefix/]name` and values as Kubernetes allows.
pub fn labels<'a>(
    v: &mut Violations,
    field: &str,
    labels: impl IntoIterator<Item = (&'a String, &'a String)>,
) {
    for (key, value) in labels {
        let (prefix, name) = match key.split_once('/') {
            Some((prefix, name)) => (Some(prefix), name),
            None => (None, key.as_str()),
        };
        if prefix.is_some_and(|p| p.is_empty() || !is_dns1123_subdomain(p)) {
            v.add(
                format!("{field}[{key:?}]"),
                "the key's prefix must be a DNS subdomain such as example.com",
            );
        } else if !is_label_part(name, true) {
            v.add(format!("{field}[{key:?}]"), "the key's name must be 1 to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
        }
        if !value.is_empty() && !is_label_part(value, true) {
            v.add(format!("{field}[{key:?}]"), format!("the value {value:?} must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit"));
        }
    }
}

/// Checks an annotation map: keys as label keys, total size at most 256 KiB.
pub fn annotations<'a>(
    v: &mut Violations,
    field: &str,
    annotations: impl IntoIterator<Item = (&'a String, &'a String)>,
) {
    let mut total = 0usize;
    for (key, value) in annotations {
        total += key.len() + value.len();
        let name = key.rsplit('/').next().unwrap_or(key);
        if !is_label_part(name, true) {
            v.add(format!("{field}[{key:?}]"), "the key must be a qualified name such as example.com/my-key");
        }
    }
    if total > 256 * 1024 {
        v.add(field, "annotations may total at most 256 KiB");
    }
}

/// Checks an environment variable name: letters, digits, '_', '-' and '.', not starting with a digit.
pub fn env_name(v: &mut Violations, field: &str, name: &str) {
    let ok = !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if !ok {
        v.add(field, format!("{name:?} is not a valid environment variable name: use letters, digits, '_', '-' and '.', not starting with a digit"));
    }
}

/// Whether `text` is a Kubernetes quantity such as `500m`, `1.5`, `128Mi` or `1e3`.
pub fn is_quantity(text: &str) -> bool {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let digits_end = body.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(body.len());
    let (number, suffix) = body.split_at(digits_end);
    let number_ok = !number.is_empty() && number != "." && number.matches('.').count() <= 1;
    let suffix_ok = matches!(
        suffix,
        "" | "m" | "k" | "M" | "G" | "T" | "P" | "E" | "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei"
    ) || (suffix.starts_with(['e', 'E'])
        && suffix[1..].strip_prefix(['+', '-']).unwrap_or(&suffix[1..]).bytes().all(|b| b.is_ascii_digit())
        && suffix.len() > 1);
    number_ok && suffix_ok
}

/// Checks an optional quantity.
pub fn quantity(v: &mut Violations, field: &str, text: &str) {
    if !text.is_empty() && !is_quantity(text) {
        v.add(field, format!("{text:?} is not a Kubernetes quantity such as 500m, 2, 128Mi or 1Gi"));
    }
}

/// Checks a port number.
pub fn port(v: &mut Violations, field: &str, number: i32) {
    if !(1..=65535).contains(&number) {
        v.add(field, format!("{number} is not a port: it must be between 1 and 65535"));
    }
}

/// Checks that a path is absolute and has no NUL byte.
pub fn absolute_path(v: &mut Violations, field: &str, path: &str) {
    if path.is_empty() {
        v.add(field, "is required");
    } else if !path.starts_with('/') {
        v.add(field, format!("{path:?} must be an absolute path"));
    } else if path.contains('\0') {
        v.add(field, "must not contain a NUL byte");
    }
}

/// Resolves `.` and `..` in an absolute path without touching the file system.
pub fn normalize(path: &str) -> PathBuf {
    let mut out = PathBuf::from("/");
    for component in Path::new(path).components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::ParentDir => {
                out.pop();
            }
            Component::RootDir | Component::CurDir | Component::Prefix(_) => {}
        }
    }
    out
}

/// Whether a normalised path lies under one of the prefixes (component-wise: `/data` allows
/// `/data/x`, not `/database`).
pub fn under_prefix(path: &Path, prefixes: &[String]) -> bool {
    prefixes.iter().any(|p| path.starts_with(normalize(p)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_follow_kubernetes_syntax() {
        for good in ["1", "500m", "0.5", "128Mi", "1Gi", "2k", "1e3", "+1", ".5"] {
            assert!(is_quantity(good), "{good}");
        }
        for bad in ["", "abc", "1.2.3", "5 Mi", "1GB", "m", "1e"] {
            assert!(!is_quantity(bad), "{bad}");
        }
    }

    #[test]
    fn paths_are_normalised_before_the_prefix_check() {
        let prefixes = vec!["/data".to_string()];
        assert!(under_prefix(&normalize("/data/projects/x"), &prefixes));
        assert!(!under_prefix(&normalize("/data/../etc"), &prefixes));
        assert!(!under_prefix(&normalize("/database"), &prefixes));
    }

    #[test]
    fn names_and_labels_are_checked_as_kubernetes_does() {
        assert!(is_dns1123_subdomain("test-runner.v1"));
        assert!(!is_dns1123_subdomain("Test_Runner"));
        assert!(is_dns1035_label("web"));
        assert!(!is_dns1035_label("1web"));
        let mut v = Violations::default();
        let good = [("app.kubernetes.io/name".to_string(), "My_App.1".to_string())];
        labels(&mut v, "labels", good.iter().map(|(k, v)| (k, v)));
        assert!(v.0.is_empty());
        let bad = [("-bad".to_string(), "x".to_string()), ("ok".to_string(), "not ok".to_string())];
        labels(&mut v, "labels", bad.iter().map(|(k, v)| (k, v)));
        assert_eq!(v.0.len(), 2);
    }
}
