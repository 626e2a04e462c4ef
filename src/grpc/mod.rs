//! The gRPC handlers: thin adapters that convert a request, call the core and convert the answer back.

mod cluster;
mod exec;
mod network;
mod pods;
mod relay;
mod status;
mod workflows;

pub use cluster::ClusterApi;
pub use exec::ExecApi;
pub use network::NetworkApi;
pub use pods::PodApi;
pub use relay::Relay;
pub use status::{Grpc, ResponseStream, code, status};
pub use workflows::WorkflowApi;
