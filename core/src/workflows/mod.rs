//! The original integration's workflows as one call each: a test run at a commit, a preview environment, and picking an
//! image from a project's version files.

pub mod beneath;
pub mod images;
pub mod matching;
pub mod previews;
pub mod repo;
pub mod testrun;

pub use crate::config::WorkflowConfig as Config;
pub use matching::match_image;
pub use repo::{DirFiles, GitError, GitFiles, check_commit, relative_path};
