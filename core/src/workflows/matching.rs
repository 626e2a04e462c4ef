//! MatchImage: an image proposed from a project's version files, on disk or at a commit.

use super::repo::{DirFiles, GitFiles, check_commit, relative_path};
use super::{beneath, images};
use crate::error::{Error, Result};

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
        match beneath::is_dir(&dir, &path) {
            Ok(true) => {}
            Ok(false) => {
                return Err(Error::NotFound(format!(
                    "no project directory {:?} in claim {:?}",
                    project.path, project.claim_name
                )));
            }
            Err(problem) => {
                return Err(Error::FailedPrecondition(format!("project.path {:?}: {problem}", project.path)));
            }
        }
        if request.commit.is_empty() {
            Ok(images::match_image(&DirFiles { root: dir, project: path }))
        } else {
            check_commit("commit", &request.commit)?;
            let files = GitFiles { repo: dir.join(&path), commit: request.commit.clone() };
            match files.commit_exists() {
                Ok(true) => Ok(images::match_image(&files)),
                Ok(false) => {
                    Err(Error::NotFound(format!("commit {} is not in the repository", request.commit)))
                }
                Err(e) => Err(Error::FailedPrecondition(e.to_string())),
            }
        }
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))?
}
