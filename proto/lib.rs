//! The `kubegate.v1` API compiled for Rust: messages, server traits and clients, plus the encoded
//! descriptor set that server reflection publishes.

pub mod auth;
pub mod convert;
pub mod dial;
pub mod hop;

/// The `kubegate.v1` package.
pub mod v1 {
    #![allow(missing_docs, clippy::all, clippy::pedantic)]
    tonic::include_proto!("kubegate.v1");
}

/// The encoded `FileDescriptorSet` of every `kubegate.v1` file, for server reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("kubegate_descriptor");

/// The fully qualified names of the gRPC services of the API, as reflection and health report them.
pub const SERVICE_NAMES: [&str; 5] = [
    "kubegate.v1.PodService",
    "kubegate.v1.ExecService",
    "kubegate.v1.NetworkService",
    "kubegate.v1.ClusterService",
    "kubegate.v1.WorkflowService",
];
