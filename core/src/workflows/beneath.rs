//! Reading files on a shared claim that workload pods can write: every read resolves beneath the claim's
//! root without following a symbolic link anywhere on the way (`openat2` with `RESOLVE_BENEATH` and
//! `RESOLVE_NO_SYMLINKS`), and only regular files under a size cap are read. A `.nvmrc` linked to
//! kubegate's ServiceAccount token, or a project directory linked to `/`, is refused, not followed.

use std::io::Read as _;
use std::os::fd::OwnedFd;
use std::path::{Component, Path};

use nix::errno::Errno;
use nix::fcntl::{OFlag, OpenHow, ResolveFlag, openat2};
use nix::sys::stat::Mode;

/// The largest file kubegate reads from a claim (version files are a few hundred bytes).
pub const MAX_FILE_BYTES: u64 = 256 * 1024;

/// Why a file on a claim could not be read. Never holds the file's content.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BeneathError {
    /// The path climbs out of the root or is absolute.
    #[error("the path leaves the claim")]
    Outside,
    /// A symbolic link on the way (a workload could point it anywhere).
    #[error("a symbolic link is on the way; kubegate does not follow links on a claim")]
    Symlink,
    /// Not a regular file (a directory, a device, a FIFO).
    #[error("not a regular file")]
    NotRegular,
    /// Larger than [`MAX_FILE_BYTES`].
    #[error("larger than {MAX_FILE_BYTES} bytes")]
    TooLarge,
    /// Not UTF-8 text.
    #[error("not UTF-8 text")]
    NotText,
    /// Any other failure, by kind only.
    #[error("cannot be read ({0})")]
    Io(String),
}

fn open_root(root: &Path) -> Result<OwnedFd, BeneathError> {
    nix::fcntl::open(root, OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC, Mode::empty())
        .map_err(|e| BeneathError::Io(e.desc().to_string()))
}

fn relative(path: &Path) -> Result<(), BeneathError> {
    if path.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir)) {
        Ok(())
    } else {
        Err(BeneathError::Outside)
    }
}

fn open_beneath(root: &Path, path: &Path, flags: OFlag) -> Result<Option<OwnedFd>, BeneathError> {
    relative(path)?;
    let dir = open_root(root)?;
    let how = OpenHow::new().flags(flags | OFlag::O_RDONLY | OFlag::O_CLOEXEC | OFlag::O_NOFOLLOW).resolve(
        ResolveFlag::RESOLVE_BENEATH | ResolveFlag::RESOLVE_NO_SYMLINKS | ResolveFlag::RESOLVE_NO_MAGICLINKS,
    );
    match openat2(&dir, path, how) {
        Ok(fd) => Ok(Some(fd)),
        Err(Errno::ENOENT) => Ok(None),
        Err(Errno::ELOOP) => Err(BeneathError::Symlink),
        Err(Errno::EXDEV) => Err(BeneathError::Outside),
        Err(Errno::ENOTDIR) => Err(BeneathError::NotRegular),
        Err(e) => Err(BeneathError::Io(e.desc().to_string())),
    }
}

/// Whether `path` is a directory beneath `root`, reached without a symbolic link.
pub fn is_dir(root: &Path, path: &Path) -> Result<bool, BeneathError> {
    // Opened without O_DIRECTORY, so that a link is reported as a link (ELOOP) rather than ENOTDIR.
    let Some(fd) = open_beneath(root, path, OFlag::empty())? else { return Ok(false) };
    let meta = std::fs::File::from(fd).metadata().map_err(|e| BeneathError::Io(e.kind().to_string()))?;
    Ok(meta.is_dir())
}

/// Reads the text of the regular file `path` beneath `root`; `None` when it does not exist.
pub fn read_text(root: &Path, path: &Path) -> Result<Option<String>, BeneathError> {
    let Some(fd) = open_beneath(root, path, OFlag::empty())? else { return Ok(None) };
    let file = std::fs::File::from(fd);
    let meta = file.metadata().map_err(|e| BeneathError::Io(e.kind().to_string()))?;
    if !meta.file_type().is_file() {
        return Err(BeneathError::NotRegular);
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(BeneathError::TooLarge);
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| BeneathError::Io(e.kind().to_string()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(BeneathError::TooLarge);
    }
    String::from_utf8(bytes).map(Some).map_err(|_| BeneathError::NotText)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_beneath_the_root_are_read_and_links_out_of_it_are_refused() {
        let outside = tempfile::tempdir().expect("dir");
        let secret = outside.path().join("token");
        std::fs::write(&secret, "top-secret-token").expect("write");
        let claim = tempfile::tempdir().expect("dir");
        let project = claim.path().join("repos/app");
        std::fs::create_dir_all(&project).expect("mkdir");
        std::fs::write(project.join(".node-version"), "20.11.0\n").expect("write");
        std::os::unix::fs::symlink(&secret, project.join(".nvmrc")).expect("link");
        std::os::unix::fs::symlink(outside.path(), claim.path().join("repos/escape")).expect("link");
        let root = claim.path();
        assert_eq!(read_text(root, Path::new("repos/app/.node-version")), Ok(Some("20.11.0\n".into())));
        assert_eq!(read_text(root, Path::new("repos/app/.nvmrc")), Err(BeneathError::Symlink));
        assert_eq!(read_text(root, Path::new("repos/escape/token")), Err(BeneathError::Symlink));
        assert_eq!(read_text(root, Path::new("../token")), Err(BeneathError::Outside));
        assert_eq!(read_text(root, Path::new("repos/app/missing")), Ok(None));
        assert_eq!(is_dir(root, Path::new("repos/escape")), Err(BeneathError::Symlink));
        assert_eq!(is_dir(root, Path::new("repos/app")), Ok(true));
    }

    #[test]
    fn only_small_regular_files_are_read() {
        let claim = tempfile::tempdir().expect("dir");
        std::fs::create_dir(claim.path().join("dir")).expect("mkdir");
        assert_eq!(read_text(claim.path(), Path::new("dir")), Err(BeneathError::NotRegular));
        let big = vec![b'1'; usize::try_from(MAX_FILE_BYTES).unwrap_or(0) + 1];
        std::fs::write(claim.path().join("big"), big).expect("write");
        assert_eq!(read_text(claim.path(), Path::new("big")), Err(BeneathError::TooLarge));
    }
}
