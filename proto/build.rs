//! Compiles `kubegate/v1/*.proto` with the protoc shipped by `protoc-bin-vendored`, so a build needs no
//! system protoc, and writes the descriptor set that server reflection serves.

use std::path::PathBuf;

/// The proto files of the API, in `kubegate/v1/`.
const FILES: [&str; 6] = ["common", "pods", "exec", "network", "cluster", "workflows"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    let files: Vec<PathBuf> =
        FILES.iter().map(|name| root.join("kubegate/v1").join(format!("{name}.proto"))).collect();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
    }
    let mut config = tonic_prost_build::Config::new();
    config.protoc_executable(protoc_bin_vendored::protoc_bin_path()?);
    tonic_prost_build::configure()
        // Exec output is relayed as it came from Kubernetes: `Bytes` lets a message share the session
        // buffer's memory instead of copying it (Rust only: the .proto files and other languages keep
        // plain `bytes`).
        .bytes(".kubegate.v1.OutputChunk.data")
        .file_descriptor_set_path(out.join("kubegate_descriptor.bin"))
        .compile_with_config(config, &files, &[root])?;
    Ok(())
}
