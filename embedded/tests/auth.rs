//! Authentication and authorization through kube-rs: the restricted user's real 403 outside its Role,
//! and the self-reviews every authenticated user may create.

mod support;

use k8s_openapi::api::authentication::v1::SelfSubjectReview;
use k8s_openapi::api::authorization::v1::SelfSubjectAccessReview;
use k8s_openapi::api::core::v1::{Namespace, Pod};
use kube::Api;
use kube::api::{ListParams, PostParams};
use serde_json::json;
use support::{NS, api_error};

#[tokio::test]
async fn the_restricted_user_gets_a_real_403_outside_its_role() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.restricted_client().await.expect("client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    pods.list(&ListParams::default()).await.expect("listing pods in its namespace is allowed");
    let other: Api<Pod> = Api::namespaced(client.clone(), "default");
    let (code, reason, message) = api_error(other.list(&ListParams::default()).await.expect_err("forbidden"));
    assert_eq!((code, reason.as_str()), (403, "Forbidden"));
    assert_eq!(
        message,
        "pods is forbidden: User \"system:serviceaccount:opencode-manager:opencode-manager\" cannot list \
         resource \"pods\" in API group \"\" in the namespace \"default\""
    );
    let namespaces: Api<Namespace> = Api::all(client);
    assert_eq!(api_error(namespaces.list(&ListParams::default()).await.expect_err("forbidden")).0, 403);
    cluster.shutdown().await;
}

#[tokio::test]
async fn self_reviews_answer_for_the_caller_whatever_its_role() {
    let cluster = support::embedded_cluster().await;
    let client = cluster.restricted_client().await.expect("client");
    let reviews: Api<SelfSubjectAccessReview> = Api::all(client.clone());
    let ask = |verb: &str, resource: &str, namespace: &str| -> SelfSubjectAccessReview {
        serde_json::from_value(json!({
            "spec": {"resourceAttributes": {"verb": verb, "resource": resource, "namespace": namespace}},
        }))
        .expect("review")
    };
    let allowed = reviews.create(&PostParams::default(), &ask("create", "pods", NS)).await.expect("review");
    assert_eq!(allowed.status.map(|s| s.allowed), Some(true));
    let denied =
        reviews.create(&PostParams::default(), &ask("list", "namespaces", "")).await.expect("review");
    assert_eq!(denied.status.map(|s| s.allowed), Some(false));

    let whoami: Api<SelfSubjectReview> = Api::all(client);
    let me = whoami.create(&PostParams::default(), &SelfSubjectReview::default()).await.expect("review");
    let user = me.status.and_then(|s| s.user_info).expect("user info");
    assert_eq!(user.username.as_deref(), Some("system:serviceaccount:opencode-manager:opencode-manager"));
    assert!(user.groups.is_some_and(|g| g.iter().any(|g| g == "system:authenticated")));
    cluster.shutdown().await;
}
