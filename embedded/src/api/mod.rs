//! The HTTP side of the embedded API server, split by concern:
//!
//! - `routing`: the entry point: faults, authentication, discovery, path to target, RBAC, dispatch;
//! - `request` and `response`: decoding what a request asks, encoding answers and `Status` errors;
//! - `crud`: create, get, list, replace and delete of stored objects;
//! - `patch`: merge and JSON patches;
//! - `watch`: watch streams;
//! - `reviews`: SelfSubjectAccessReview and SelfSubjectReview;
//! - `subresources`: pods' log, exec and attach, served from the kubelet;
//! - `exec`: the WebSocket channel protocol of exec and attach sessions.
//!
//! Requests are handled here and nowhere else (`server` only accepts connections): the kubelet, the
//! store and the rest below know neither axum nor HTTP.

mod crud;
mod exec;
mod patch;
mod protobuf;
mod request;
mod response;
mod reviews;
mod routing;
mod subresources;
mod watch;

pub use routing::handle;
