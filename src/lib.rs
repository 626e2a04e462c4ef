//! kubegate runs throw-away workloads in Kubernetes for programs and people, over a gRPC API, a REST
//! gateway and a terminal WebSocket.
//!
//! This crate is the composition root: the command line, the gRPC adapters over `kubegate-core` (and
//! their status mapping), the server wiring with the in-process gateway, and telemetry. The core, the
//! embedded cluster (`kubegate-embedded`) and the gateway (`kubegate-gateway`) know nothing of it.

pub mod audit;
pub mod auth;
pub mod cli;
pub mod conn;
pub mod grpc;
mod observe;
pub mod quota;
pub mod server;
pub mod telemetry;
