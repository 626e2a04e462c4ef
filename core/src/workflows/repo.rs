//! A project on a claim: its path, its files read beneath the claim, and its git repository read with
//! a hardened git.

use std::path::{Component, Path, PathBuf};

use super::{beneath, images};
use crate::error::{Error, Result};

/// A relative path inside a volume: no root, no `..`.
pub fn relative_path(field: &str, path: &str) -> Result<PathBuf> {
    let p = Path::new(path);
    if p.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir)) {
        Ok(p.to_path_buf())
    } else {
        Err(Error::invalid(field, format!("{path:?} must be a relative path inside the volume, without ..")))
    }
}

/// A project's files as they are on a claim: read beneath the claim's root, never through a link.
pub struct DirFiles {
    /// The claim's root directory.
    pub root: PathBuf,
    /// The project, relative to the root.
    pub project: PathBuf,
}

impl images::Files for DirFiles {
    fn read(&self, name: &str) -> std::result::Result<Option<String>, String> {
        beneath::read_text(&self.root, &self.project.join(name)).map_err(|e| e.to_string())
    }
}

/// Why kubegate's own git call failed. Kept apart because each leads to a different outcome.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// The directory is not a git repository.
    #[error("{0} is not a git repository")]
    NotRepository(String),
    /// git refused the repository because another user owns it (its "dubious ownership" check).
    #[error("git refuses the repository at {0}: it is owned by another user (dubious ownership)")]
    DubiousOwnership(String),
    /// git could not be run, or failed otherwise; the reason in words.
    #[error("{0}")]
    Failed(String),
}

/// A project's files at a commit of its git repository.
pub struct GitFiles {
    /// The repository.
    pub repo: PathBuf,
    /// The commit.
    pub commit: String,
}

/// git with a hardened environment for a repository that workloads can write: no system or global
/// configuration, no hooks, no fsmonitor, no external diff or ssh command, no network (`protocol.allow
/// =never`, no lazy fetch), and `safe.directory` for exactly this repository. The repository's own
/// config still loads, so everything that could run a command from it is overridden on the command line,
/// which takes precedence.
fn git(repo: &Path) -> std::process::Command {
    let mut command = std::process::Command::new("git");
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into()))
        .env("HOME", "/nonexistent")
        .env("LC_ALL", "C")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .arg("-C")
        .arg(repo);
    let safe = format!("safe.directory={}", repo.display());
    for setting in [
        safe.as_str(),
        "core.fsmonitor=false",
        "core.hooksPath=/dev/null",
        "core.sshCommand=false",
        "core.gitProxy=",
        "core.askPass=",
        "diff.external=",
        "protocol.allow=never",
        "uploadpack.packObjectsHook=",
    ] {
        command.args(["-c", setting]);
    }
    command
}

impl GitFiles {
    /// Whether the commit exists in the repository.
    pub fn commit_exists(&self) -> std::result::Result<bool, GitError> {
        let output = git(&self.repo)
            .args(["cat-file", "-e", &format!("{}^{{commit}}", self.commit)])
            .output()
            .map_err(|e| GitError::Failed(format!("cannot run git: {e}")))?;
        if output.status.success() {
            return Ok(true);
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        if stderr.contains("dubious ownership") {
            return Err(GitError::DubiousOwnership(self.repo.display().to_string()));
        }
        if stderr.contains("not a git repository") {
            return Err(GitError::NotRepository(self.repo.display().to_string()));
        }
        Ok(false)
    }
}

impl images::Files for GitFiles {
    fn read(&self, name: &str) -> std::result::Result<Option<String>, String> {
        // `cat-file blob` applies no textconv, filter or attribute: the bytes of the commit, no more.
        // `./` makes the path relative to the project (git runs in it), not to the repository's root:
        // a project in a subdirectory of its repository reads its own files.
        let output = git(&self.repo)
            .args(["cat-file", "blob", &format!("{}:./{name}", self.commit)])
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !output.status.success() {
            // The file is not in that commit.
            return Ok(None);
        }
        if output.stdout.len() as u64 > beneath::MAX_FILE_BYTES {
            return Err(format!("larger than {} bytes", beneath::MAX_FILE_BYTES));
        }
        String::from_utf8(output.stdout).map(Some).map_err(|_| "not UTF-8 text".to_string())
    }
}

/// A commit: 7 to 40 hexadecimal characters.
pub fn check_commit(field: &str, commit: &str) -> Result<()> {
    if (7..=40).contains(&commit.len()) && commit.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(Error::invalid(field, format!("{commit:?} is not a commit id (7 to 40 hexadecimal characters)")))
    }
}
