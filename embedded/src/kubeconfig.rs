//! The kubeconfigs of the embedded cluster's users, and kube clients built from them.

use std::path::Path;

use anyhow::Context as _;

/// A kubeconfig for one user of the cluster at `server`, trusting its CA.
pub fn yaml(server: &str, ca_pem: &str, user: &str, token: &str, namespace: &str) -> String {
    use base64::Engine as _;
    let ca = base64::engine::general_purpose::STANDARD.encode(ca_pem);
    format!(
        "apiVersion: v1\nkind: Config\npreferences: {{}}\nclusters:\n- cluster:\n    server: {server}\n    \
         certificate-authority-data: {ca}\n  name: kubegate-embedded\ncontexts:\n- context:\n    cluster: \
         kubegate-embedded\n    user: {user}\n    namespace: {namespace}\n  name: {user}\ncurrent-context: \
         {user}\nusers:\n- name: {user}\n  user:\n    token: {token}\n"
    )
}

/// Writes a file readable by its owner only (it holds a bearer token), atomically (temporary file, then
/// rename), so that a reader waiting for it never sees half of it.
pub fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let temp =
        dir.join(format!(".{}.tmp", path.file_name().and_then(|n| n.to_str()).unwrap_or("kubeconfig")));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&temp)
        .with_context(|| format!("cannot write {}", temp.display()))?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&temp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// A kube client from a kubeconfig file.
pub async fn client(path: &Path) -> anyhow::Result<kube::Client> {
    let kubeconfig = kube::config::Kubeconfig::read_from(path)?;
    let config =
        kube::Config::from_custom_kubeconfig(kubeconfig, &kube::config::KubeConfigOptions::default()).await?;
    Ok(kube::Client::try_from(config)?)
}
