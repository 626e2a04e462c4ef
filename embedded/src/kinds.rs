//! The resource kinds the embedded cluster serves, with what discovery says about each.

/// One served resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// The API group; empty for the core group.
    pub group: &'static str,
    /// The version.
    pub version: &'static str,
    /// The plural resource name used in paths.
    pub resource: &'static str,
    /// The singular name.
    pub singular: &'static str,
    /// The object kind.
    pub kind: &'static str,
    /// Whether objects live in a namespace.
    pub namespaced: bool,
    /// kubectl short names.
    pub short_names: &'static [&'static str],
    /// The verbs discovery lists.
    pub verbs: &'static [&'static str],
    /// Whether objects are stored (false for review kinds that only answer a create).
    pub stored: bool,
}

const CRUD: &[&str] = &["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

/// `v1` namespaces.
pub const NAMESPACES: Kind = Kind {
    group: "",
    version: "v1",
    resource: "namespaces",
    singular: "namespace",
    kind: "Namespace",
    namespaced: false,
    short_names: &["ns"],
    verbs: &["create", "delete", "get", "list", "patch", "update", "watch"],
    stored: true,
};

/// `v1` pods.
pub const PODS: Kind = Kind {
    group: "",
    version: "v1",
    resource: "pods",
    singular: "pod",
    kind: "Pod",
    namespaced: true,
    short_names: &["po"],
    verbs: CRUD,
    stored: true,
};

/// `v1` services.
pub const SERVICES: Kind = Kind {
    group: "",
    version: "v1",
    resource: "services",
    singular: "service",
    kind: "Service",
    namespaced: true,
    short_names: &["svc"],
    verbs: CRUD,
    stored: true,
};

/// `v1` persistentvolumeclaims.
pub const PVCS: Kind = Kind {
    group: "",
    version: "v1",
    resource: "persistentvolumeclaims",
    singular: "persistentvolumeclaim",
    kind: "PersistentVolumeClaim",
    namespaced: true,
    short_names: &["pvc"],
    verbs: CRUD,
    stored: true,
};

/// `networking.k8s.io/v1` ingresses.
pub const INGRESSES: Kind = Kind {
    group: "networking.k8s.io",
    version: "v1",
    resource: "ingresses",
    singular: "ingress",
    kind: "Ingress",
    namespaced: true,
    short_names: &["ing"],
    verbs: CRUD,
    stored: true,
};

/// `v1` configmaps.
pub const CONFIGMAPS: Kind = Kind {
    group: "",
    version: "v1",
    resource: "configmaps",
    singular: "configmap",
    kind: "ConfigMap",
    namespaced: true,
    short_names: &["cm"],
    verbs: CRUD,
    stored: true,
};

/// `v1` serviceaccounts.
pub const SERVICEACCOUNTS: Kind = Kind {
    group: "",
    version: "v1",
    resource: "serviceaccounts",
    singular: "serviceaccount",
    kind: "ServiceAccount",
    namespaced: true,
    short_names: &["sa"],
    verbs: CRUD,
    stored: true,
};

/// `v1` events (what the embedded kubelet reports about pods).
pub const EVENTS: Kind = Kind {
    group: "",
    version: "v1",
    resource: "events",
    singular: "event",
    kind: "Event",
    namespaced: true,
    short_names: &["ev"],
    verbs: CRUD,
    stored: true,
};

/// `coordination.k8s.io/v1` leases.
pub const LEASES: Kind = Kind {
    group: "coordination.k8s.io",
    version: "v1",
    resource: "leases",
    singular: "lease",
    kind: "Lease",
    namespaced: true,
    short_names: &[],
    verbs: CRUD,
    stored: true,
};

/// `authorization.k8s.io/v1` selfsubjectaccessreviews.
pub const SSAR: Kind = Kind {
    group: "authorization.k8s.io",
    version: "v1",
    resource: "selfsubjectaccessreviews",
    singular: "selfsubjectaccessreview",
    kind: "SelfSubjectAccessReview",
    namespaced: false,
    short_names: &[],
    verbs: &["create"],
    stored: false,
};

/// `authentication.k8s.io/v1` selfsubjectreviews.
pub const SSR: Kind = Kind {
    group: "authentication.k8s.io",
    version: "v1",
    resource: "selfsubjectreviews",
    singular: "selfsubjectreview",
    kind: "SelfSubjectReview",
    namespaced: false,
    short_names: &[],
    verbs: &["create"],
    stored: false,
};

/// Every served kind.
pub const ALL: [Kind; 11] =
    [NAMESPACES, PODS, SERVICES, PVCS, CONFIGMAPS, SERVICEACCOUNTS, EVENTS, INGRESSES, LEASES, SSAR, SSR];

impl Kind {
    /// The `apiVersion` of objects of this kind.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The kind's list kind.
    pub fn list_kind(&self) -> String {
        format!("{}List", self.kind)
    }

    /// Finds a kind by group, version and plural resource.
    pub fn find(group: &str, version: &str, resource: &str) -> Option<Kind> {
        ALL.into_iter().find(|k| k.group == group && k.version == version && k.resource == resource)
    }

    /// The groups other than core, in discovery order.
    pub fn groups() -> Vec<&'static str> {
        let mut groups: Vec<&'static str> = Vec::new();
        for kind in ALL {
            if !kind.group.is_empty() && !groups.contains(&kind.group) {
                groups.push(kind.group);
            }
        }
        groups
    }
}
