//! kubegate runs throw-away workloads in Kubernetes for programs and people, over a gRPC API, a REST
//! gateway and a terminal WebSocket.

pub mod cli;
pub mod connection;
pub mod embedded;
pub mod error;
pub mod grpc;
pub mod server;
pub mod state;
pub mod telemetry;

pub use error::{Error, FieldViolation, Result};
