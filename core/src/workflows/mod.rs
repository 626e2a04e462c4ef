//! The seed's workflows as one call each: a test run at a commit, a preview environment, and picking an
//! image from a project's version files.

pub mod images;
pub mod previews;
pub mod testrun;

use std::path::{Component, Path, PathBuf};

pub use crate::config::WorkflowConfig as Config;
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

/// A project's files as they are on disk.
pub struct DirFiles(pub PathBuf);

impl images::Files for DirFiles {
    fn read(&self, name: &str) -> std::result::Result<Option<String>, String> {
        match std::fs::read(self.0.join(name)) {
            Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(|_| "not UTF-8 text".to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// A project's files at a commit of its git repository.
pub struct GitFiles {
    /// The repository.
    pub repo: PathBuf,
    /// The commit.
    pub commit: String,
}

impl GitFiles {
    /// Whether the commit exists in the repository.
    pub fn commit_exists(&self) -> std::result::Result<bool, String> {
        let output = std::process::Command::new("git")
            .arg("-C")
            .arg(&self.repo)
            .args(["cat-file", "-e", &format!("{}^{{commit}}", self.commit)])
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if output.status.success() {
            return Ok(true);
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        if stderr.contains("not a git repository") {
            return Err(format!("{} is not a git repository", self.repo.display()));
        }
        Ok(false)
    }
}

impl images::Files for GitFiles {
    fn read(&self, name: &str) -> std::result::Result<Option<String>, String> {
        let output = std::process::Command::new("git")
            .arg("-C")
            .arg(&self.repo)
            .args(["show", &format!("{}:{name}", self.commit)])
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if output.status.success() {
            String::from_utf8(output.stdout).map(Some).map_err(|_| "not UTF-8 text".to_string())
        } else {
            // "exists on disk, but not in <commit>" / "does not exist in <commit>": the file is absent.
            Ok(None)
        }
    }
}

/// MatchImage: reads the version files of a project on a claim kubegate can read.
pub async fn match_image(
    state: &crate::state::State,
    request: kubegate_proto::v1::MatchImageRequest,
) -> Result<kubegate_proto::v1::MatchImageResponse> {
    let project = request.project.unwrap_or_default();
    if project.claim_name.is_empty() {
        return Err(Error::invalid("project.claim_name", "is required"));
    }
    let path = relative_path("project.path", &project.path)?;
    let namespace = state.namespace("").await?;
    let config = state.workflows().clone();
    // Everything below touches the file system or runs git: off the async threads.
    tokio::task::spawn_blocking(move || {
        let dir = config.claim_dir(&namespace, &project.claim_name).ok_or_else(|| {
            Error::FailedPrecondition(format!(
                "kubegate cannot read the claim {:?} itself; mount it into kubegate and name it with --claim-mount {}=DIR",
                project.claim_name, project.claim_name
            ))
        })?;
        let dir = dir.join(path);
        if !dir.is_dir() {
            return Err(Error::NotFound(format!(
                "no project directory {:?} in claim {:?}",
                project.path, project.claim_name
            )));
        }
        if request.commit.is_empty() {
            Ok(images::match_image(&DirFiles(dir)))
        } else {
            testrun::check_commit("commit", &request.commit)?;
            let files = GitFiles { repo: dir, commit: request.commit.clone() };
            match files.commit_exists() {
                Ok(true) => Ok(images::match_image(&files)),
                Ok(false) => {
                    Err(Error::NotFound(format!("commit {} is not in the repository", request.commit)))
                }
                Err(e) => Err(Error::FailedPrecondition(e)),
            }
        }
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))?
}
