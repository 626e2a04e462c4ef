//! The REST routes of the original OpenCode Manager integration (`/api/kubernetes/*`), one module per
//! resource family, each route translated onto one or two gRPC calls. Success bodies keep the
//! original's shapes; errors carry a status that means what happened (404, 409, 403, 400, 503) instead
//! of the original's blanket 500.
//!
//! Every route answers a `Serialize + ToSchema` type, so the OpenAPI document describes the bodies that
//! are actually sent.

use axum::Router;

use crate::upstream::Upstream;

pub(crate) mod cleanup;
pub(crate) mod config;
pub(crate) mod exec;
pub(crate) mod health;
pub(crate) mod ingresses;
pub(crate) mod logs;
pub(crate) mod pods;
pub(crate) mod previews;
pub(crate) mod services;
pub(crate) mod sessions;
pub(crate) mod workflows;

/// Every route that needs the API token.
pub fn guarded() -> Router<Upstream> {
    Router::new()
        .merge(config::routes())
        .merge(pods::routes())
        .merge(logs::routes())
        .merge(exec::routes())
        .merge(cleanup::routes())
        .merge(services::routes())
        .merge(ingresses::routes())
        .merge(workflows::routes())
        .merge(previews::routes())
        .merge(sessions::routes())
}
