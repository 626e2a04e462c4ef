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

/// Creates a directory (and its missing parents) readable by its owner only; one that exists is left
/// as it is.
pub fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("cannot create {}", dir.display()))
}

/// Writes a file readable by its owner only (it holds a bearer token), atomically (a temporary file,
/// then rename), so that a reader waiting for it never sees half of it. The temporary file has a fresh
/// random name and is created exclusively without following symlinks, so that nothing planted in the
/// directory receives the token; the rename replaces whatever is at `path` (a symlink included) rather
/// than writing through it.
pub fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("kubeconfig");
    let temp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .custom_flags(nix::libc::O_NOFOLLOW)
        .mode(0o600)
        .open(&temp)
        .with_context(|| format!("cannot create {}", temp.display()))?;
    let written = file.write_all(contents.as_bytes()).and_then(|()| file.sync_all());
    let renamed = written.and_then(|()| std::fs::rename(&temp, path));
    if let Err(e) = renamed {
        // Best effort: the temporary file holds the token and must not be left behind.
        let _ = std::fs::remove_file(&temp);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(())
}

/// A kube client from a kubeconfig file.
pub async fn client(path: &Path) -> anyhow::Result<kube::Client> {
    let kubeconfig = kube::config::Kubeconfig::read_from(path)?;
    let config =
        kube::Config::from_custom_kubeconfig(kubeconfig, &kube::config::KubeConfigOptions::default()).await?;
    Ok(kube::Client::try_from(config)?)
}
