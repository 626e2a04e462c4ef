//! The gRPC handlers: thin adapters that convert a request, call the core and convert the answer back.
//! A capability whose issue has not landed answers UNIMPLEMENTED naming it; nothing returns made-up data.

mod cluster;
mod exec;
mod network;
mod pods;

pub use cluster::ClusterApi;
pub use exec::ExecApi;
pub use network::NetworkApi;
pub use pods::PodApi;

use std::pin::Pin;

use futures::Stream;

/// The stream type of every server-streaming RPC.
pub type ResponseStream<T> = Pin<Box<dyn Stream<Item = Result<T, tonic::Status>> + Send + 'static>>;

/// The answer of an RPC whose capability is not built yet.
fn not_built<T>(rpc: &str, capability: &str) -> Result<T, tonic::Status> {
    Err(crate::Error::Unimplemented(format!(
        "{rpc} is not available in this version of kubegate: {capability} is not built yet"
    ))
    .into())
}
