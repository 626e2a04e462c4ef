//! Authentication by bearer token and authorization by RBAC-style rules: an administrator with every
//! permission, and a restricted user holding exactly the Role the original integration documents for the manager.

use serde_json::{Value, json};

/// What a request wants to do, in RBAC terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attributes {
    /// The verb: get, list, watch, create, update, patch, delete, deletecollection.
    pub verb: String,
    /// The API group.
    pub group: String,
    /// The resource.
    pub resource: String,
    /// The subresource, empty for none.
    pub subresource: String,
    /// The namespace, empty for cluster scope.
    pub namespace: String,
    /// The object's name, empty for collections.
    pub name: String,
}

impl Attributes {
    /// `resource/subresource`, as RBAC rules and messages write it.
    pub fn full_resource(&self) -> String {
        if self.subresource.is_empty() {
            self.resource.clone()
        } else {
            format!("{}/{}", self.resource, self.subresource)
        }
    }
}

/// A rule: groups × resources × verbs, in one namespace or every namespace.
#[derive(Debug, Clone)]
struct Rule {
    groups: Vec<&'static str>,
    resources: Vec<&'static str>,
    verbs: Vec<&'static str>,
}

impl Rule {
    fn allows(&self, a: &Attributes) -> bool {
        let resource = a.full_resource();
        (self.groups.contains(&"*") || self.groups.contains(&a.group.as_str()))
            && (self.resources.contains(&"*") || self.resources.contains(&resource.as_str()))
            && (self.verbs.contains(&"*") || self.verbs.contains(&a.verb.as_str()))
    }
}

/// A user the cluster knows.
#[derive(Debug, Clone)]
pub struct User {
    /// The user name.
    pub name: String,
    /// Its groups.
    pub groups: Vec<String>,
    /// Its bearer token.
    pub token: String,
    /// `None` for every namespace (a ClusterRole), or the namespace its Role is bound in.
    namespace: Option<String>,
    rules: Vec<Rule>,
}

impl User {
    /// The administrator: everything, everywhere.
    pub fn admin(token: String) -> Self {
        Self {
            name: "kubegate-admin".into(),
            groups: vec!["system:masters".into(), "system:authenticated".into()],
            token,
            namespace: None,
            rules: vec![Rule { groups: vec!["*"], resources: vec!["*"], verbs: vec!["*"] }],
        }
    }

    /// The manager's service account with the original's Role, bound in `namespace`. The original's Role lists a
    /// non-existent `exec` verb and ingresses in the core group; it is kept as written, so that exactly
    /// what it grants is what the restricted user gets (exec works through its `create` on `pods/exec`).
    pub fn original_role(token: String, namespace: &str) -> Self {
        Self {
            name: format!("system:serviceaccount:{namespace}:opencode-manager"),
            groups: vec![
                "system:serviceaccounts".into(),
                format!("system:serviceaccounts:{namespace}"),
                "system:authenticated".into(),
            ],
            token,
            namespace: Some(namespace.to_string()),
            rules: vec![
                Rule {
                    groups: vec![""],
                    resources: vec!["pods", "pods/log", "pods/exec", "services", "ingresses"],
                    verbs: vec!["get", "list", "create", "delete", "exec"],
                },
                Rule {
                    groups: vec!["networking.k8s.io"],
                    resources: vec!["ingresses"],
                    verbs: vec!["get", "list", "create", "delete"],
                },
            ],
        }
    }

    /// Whether the user may do what the attributes describe. Self-reviews are allowed to everyone
    /// authenticated, as the default `system:basic-user` ClusterRole does.
    pub fn allows(&self, a: &Attributes) -> bool {
        if a.verb == "create"
            && ((a.group == "authorization.k8s.io" && a.resource == "selfsubjectaccessreviews")
                || (a.group == "authentication.k8s.io" && a.resource == "selfsubjectreviews"))
        {
            return true;
        }
        if let Some(bound) = &self.namespace
            && (a.namespace.is_empty() || &a.namespace != bound)
        {
            return false;
        }
        self.rules.iter().any(|r| r.allows(a))
    }

    /// The `status.userInfo` of a SelfSubjectReview.
    pub fn user_info(&self) -> Value {
        json!({"username": self.name, "groups": self.groups})
    }
}

/// Finds the user a bearer token belongs to, comparing in constant time.
pub fn authenticate<'a>(users: &'a [User], header: Option<&str>) -> Option<&'a User> {
    let token = header?.strip_prefix("Bearer ")?.trim();
    users.iter().find(|u| constant_time_eq(u.token.as_bytes(), token.as_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq as _;
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// A random token of 32 bytes, URL-safe base64.
pub fn new_token() -> String {
    use base64::Engine as _;
    use rand::RngCore as _;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(verb: &str, group: &str, resource: &str, sub: &str, ns: &str) -> Attributes {
        Attributes {
            verb: verb.into(),
            group: group.into(),
            resource: resource.into(),
            subresource: sub.into(),
            namespace: ns.into(),
            name: String::new(),
        }
    }

    #[test]
    fn the_original_role_grants_exactly_what_it_lists_in_its_namespace() {
        let user = User::original_role("t".into(), "opencode-manager");
        assert!(user.allows(&attrs("create", "", "pods", "", "opencode-manager")));
        assert!(user.allows(&attrs("create", "", "pods", "exec", "opencode-manager")));
        assert!(user.allows(&attrs("get", "", "pods", "log", "opencode-manager")));
        assert!(user.allows(&attrs("list", "networking.k8s.io", "ingresses", "", "opencode-manager")));
        assert!(!user.allows(&attrs("watch", "", "pods", "", "opencode-manager")));
        assert!(!user.allows(&attrs("list", "", "pods", "", "default")));
        assert!(!user.allows(&attrs("list", "", "namespaces", "", "")));
        assert!(user.allows(&attrs("create", "authorization.k8s.io", "selfsubjectaccessreviews", "", "")));
    }

    #[test]
    fn tokens_authenticate_their_user_only() {
        let users = vec![User::admin("a".into()), User::original_role("b".into(), "ns")];
        assert_eq!(authenticate(&users, Some("Bearer b")).map(|u| u.token.as_str()), Some("b"));
        assert!(authenticate(&users, Some("Bearer c")).is_none());
        assert!(authenticate(&users, None).is_none());
    }
}
