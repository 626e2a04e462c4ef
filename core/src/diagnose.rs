//! The connection test: is the API server reachable, which version, who is the service, and does it
//! hold each permission it needs. Every part is reported; failures are explained in words a user can act on.

use k8s_openapi::api::authentication::v1::SelfSubjectReview;
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use kube::api::{Api, PostParams};
use kubegate_proto::v1 as pb;

use crate::connection::TransportProblem;
use crate::error::Result;
use crate::state::State;

/// Every permission kubegate needs in a namespace: (verb, group, resource, subresource).
pub const NEEDED: [(&str, &str, &str, &str); 15] = [
    ("create", "", "pods", ""),
    ("get", "", "pods", ""),
    ("list", "", "pods", ""),
    ("watch", "", "pods", ""),
    ("delete", "", "pods", ""),
    ("get", "", "pods", "log"),
    ("create", "", "pods", "exec"),
    ("get", "", "pods", "exec"),
    ("create", "", "services", ""),
    ("get", "", "services", ""),
    ("list", "", "services", ""),
    ("delete", "", "services", ""),
    ("create", "networking.k8s.io", "ingresses", ""),
    ("list", "networking.k8s.io", "ingresses", ""),
    ("delete", "networking.k8s.io", "ingresses", ""),
];

fn classify(error: &crate::Error) -> pb::ConnectionProblem {
    match error {
        crate::Error::Unauthenticated(_) => pb::ConnectionProblem::Unauthenticated,
        crate::Error::Transport { problem: TransportProblem::Tls, .. } => pb::ConnectionProblem::Tls,
        crate::Error::Transport { problem: TransportProblem::Unreachable, .. } => {
            pb::ConnectionProblem::Unreachable
        }
        _ => pb::ConnectionProblem::ServerError,
    }
}

/// Runs the connection test.
pub async fn test_connection(state: &State, namespace: &str) -> Result<pb::TestConnectionResponse> {
    let namespace = state.namespace(namespace).await?;
    let mut response = pb::TestConnectionResponse { namespace: namespace.clone(), ..Default::default() };
    let connection = state.connection().await;
    let client = match connection.client {
        Ok(client) => client,
        Err(problem) => {
            response.problem = match problem {
                crate::connection::ConnectError::NotConfigured(_)
                | crate::connection::ConnectError::InCluster(_) => pb::ConnectionProblem::NotConfigured,
                _ => pb::ConnectionProblem::KubeconfigInvalid,
            } as i32;
            response.error = problem.to_string();
            return Ok(response);
        }
    };
    response.server_url = connection.server_url.clone();
    match client.apiserver_version().await {
        Ok(info) => response.server_version = info.git_version,
        Err(e) => {
            let error = crate::Error::from(e);
            response.problem = classify(&error) as i32;
            response.error = error.to_string();
            return Ok(response);
        }
    }
    // `/version` answers anonymous callers too; who-am-I is what proves the credentials work.
    let reviews: Api<SelfSubjectReview> = Api::all(client.clone());
    match reviews.create(&PostParams::default(), &SelfSubjectReview::default()).await {
        Ok(review) => {
            let info = review.status.and_then(|s| s.user_info).unwrap_or_default();
            response.username = info.username.unwrap_or_default();
            response.groups = info.groups.unwrap_or_default();
        }
        Err(kube::Error::Api(status)) if status.code == 401 => {
            let error = crate::Error::from(kube::Error::Api(status));
            response.problem = pb::ConnectionProblem::Unauthenticated as i32;
            response.error = error.to_string();
            return Ok(response);
        }
        // Clusters older than 1.28 lack SelfSubjectReview; the permission checks still tell.
        Err(e) => tracing::debug!(error = %e, "selfsubjectreview unavailable"),
    }
    response.connected = true;
    let access: Api<SelfSubjectAccessReview> = Api::all(client);
    let mut missing = Vec::new();
    for (verb, group, resource, subresource) in NEEDED {
        let review = SelfSubjectAccessReview {
            spec: SelfSubjectAccessReviewSpec {
                resource_attributes: Some(ResourceAttributes {
                    namespace: Some(namespace.clone()),
                    verb: Some(verb.into()),
                    group: Some(group.into()),
                    resource: Some(resource.into()),
                    subresource: (!subresource.is_empty()).then(|| subresource.to_string()),
                    ..ResourceAttributes::default()
                }),
                non_resource_attributes: None,
            },
            ..SelfSubjectAccessReview::default()
        };
        let (allowed, reason) = match access.create(&PostParams::default(), &review).await {
            Ok(answer) => {
                let status = answer.status.unwrap_or_default();
                (status.allowed, status.reason.unwrap_or_default())
            }
            Err(e) => (false, crate::Error::from(e).to_string()),
        };
        if !allowed {
            let full = if subresource.is_empty() {
                resource.to_string()
            } else {
                format!("{resource}/{subresource}")
            };
            missing.push(format!("{verb} {full}"));
        }
        response.permissions.push(pb::PermissionCheck {
            verb: verb.into(),
            group: group.into(),
            resource: resource.into(),
            subresource: subresource.into(),
            allowed,
            reason,
        });
    }
    response.all_permissions_allowed = missing.is_empty();
    if !missing.is_empty() {
        response.error = format!(
            "connected, but the service account lacks permissions in {namespace:?}: {}; apply deploy/kubernetes/rbac.yaml",
            missing.join(", ")
        );
    }
    Ok(response)
}
