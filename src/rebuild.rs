//! Rebuilding an index beside the live one, then switching to it atomically.
//!
//! ```text
//! DIR (live, keeps serving)      DIR.rebuild-<pid> (staging: the new index is built here)
//!         └──── exchanged in one rename(2) (RENAME_EXCHANGE) when the build is complete ────┘
//! ```
//!
//! While a rebuild runs it holds the live index's writer lock, so any other writer (index,
//! rebuild, delete) is refused as "locked", while searches go on reading the live index. A
//! search that opened the old index before the switch keeps reading it (its files stay open);
//! one that opens after sees the complete new index; none sees a partial one. A failed rebuild
//! removes its staging directory; a killed one leaves it behind, and the next rebuild removes it.

use std::path::{Path, PathBuf};

use tantivy::directory::error::LockError;
use tantivy::directory::{Directory, DirectoryLock, MmapDirectory, INDEX_WRITER_LOCK};

use crate::error::{Error, Result};

/// A rebuild in progress. Build the new index in [`Rebuild::staging`], then call
/// [`Rebuild::switch`]. Dropped without switching, it removes the staging directory.
pub struct Rebuild {
    live: PathBuf,
    staging: PathBuf,
    lock: Option<DirectoryLock>,
    switched: bool,
}

impl Rebuild {
    /// Locks the live index (when it exists), removes what killed rebuilds left behind, and
    /// prepares an empty staging directory.
    pub fn begin(live: &Path) -> Result<Rebuild> {
        let lock = if live.is_dir() {
            let directory = MmapDirectory::open(live).map_err(|e| Error::NotAnIndex {
                path: live.to_path_buf(),
                reason: e.to_string(),
            })?;
            match directory.acquire_lock(&INDEX_WRITER_LOCK) {
                Ok(lock) => Some(lock),
                Err(LockError::LockBusy) => {
                    return Err(Error::Locked {
                        path: live.to_path_buf(),
                    })
                }
                Err(LockError::IoError(e)) => {
                    return Err(Error::io(live)(std::io::Error::other(e.to_string())))
                }
            }
        } else {
            None
        };
        for stale in stale_staging_dirs(live) {
            std::fs::remove_dir_all(&stale).map_err(Error::io(&stale))?;
        }
        let staging = staging_dir(live, std::process::id());
        Ok(Rebuild {
            live: live.to_path_buf(),
            staging,
            lock,
            switched: false,
        })
    }

    /// Where the new index is to be built.
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// Makes the new index the live one, atomically, and removes the old one.
    pub fn switch(mut self) -> Result<()> {
        if self.live.exists() {
            exchange(&self.staging, &self.live)?;
            self.switched = true;
            // The old index is now at the staging path; its lock guard goes first.
            self.lock = None;
            std::fs::remove_dir_all(&self.staging).map_err(Error::io(&self.staging))?;
        } else {
            std::fs::rename(&self.staging, &self.live).map_err(Error::io(&self.live))?;
            self.switched = true;
        }
        Ok(())
    }
}

impl Drop for Rebuild {
    fn drop(&mut self) {
        if !self.switched {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// `DIR.rebuild-<pid>` beside `DIR`.
fn staging_dir(live: &Path, pid: u32) -> PathBuf {
    let name = live
        .file_name()
        .map_or_else(|| "index".into(), |n| n.to_string_lossy().into_owned());
    live.with_file_name(format!("{name}.rebuild-{pid}"))
}

/// Staging directories of earlier rebuilds of `live`.
fn stale_staging_dirs(live: &Path) -> Vec<PathBuf> {
    let Some(name) = live.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let prefix = format!("{name}.rebuild-");
    let parent = match live.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::read_dir(parent)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect()
}

/// Swaps two directories in one step where the system can (Linux `renameat2` with
/// `RENAME_EXCHANGE`), else with two renames.
fn exchange(a: &Path, b: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let ca = CString::new(a.as_os_str().as_bytes()).expect("no NUL in paths");
        let cb = CString::new(b.as_os_str().as_bytes()).expect("no NUL in paths");
        // SAFETY: both are valid NUL-terminated paths; AT_FDCWD resolves them as given.
        let rc = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                ca.as_ptr(),
                libc::AT_FDCWD,
                cb.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if rc == 0 {
            return Ok(());
        }
        let error = std::io::Error::last_os_error();
        if !matches!(
            error.raw_os_error(),
            Some(libc::EINVAL) | Some(libc::ENOSYS)
        ) {
            return Err(Error::io(b)(error));
        }
    }
    // Fallback: a short moment without `b`; open searchers are unaffected.
    let aside = b.with_file_name(format!(
        "{}.old-{}",
        b.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    std::fs::rename(b, &aside).map_err(Error::io(b))?;
    std::fs::rename(a, b).map_err(Error::io(b))?;
    std::fs::rename(&aside, a).map_err(Error::io(a))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Archive, Article};

    fn build(dir: &Path, title: &str) {
        let archive = Archive::open_or_create(dir).unwrap();
        let mut writer = archive.writer(20_000_000, 1).unwrap();
        writer
            .upsert(&Article {
                id: title.into(),
                title: title.into(),
                body: "نص".into(),
                ..Article::default()
            })
            .unwrap();
        writer.commit().unwrap();
    }

    #[test]
    fn switches_to_the_new_index_and_removes_the_old() {
        let root = tempfile::tempdir().unwrap();
        let live = root.path().join("idx");
        build(&live, "قديم");
        let reader_of_old = Archive::open(&live).unwrap();
        let rebuild = Rebuild::begin(&live).unwrap();
        // The live index is locked for writers while the rebuild runs.
        assert!(matches!(
            Archive::open(&live).unwrap().writer(20_000_000, 1),
            Err(Error::Locked { .. })
        ));
        build(rebuild.staging(), "جديد");
        let staging = rebuild.staging().to_path_buf();
        rebuild.switch().unwrap();
        assert!(!staging.exists());
        let searcher = Archive::open(&live).unwrap().searcher();
        assert_eq!(searcher.num_docs(), 1);
        let now = Archive::open(&live).unwrap();
        let article = now
            .article(&searcher, tantivy::DocAddress::new(0, 0))
            .unwrap();
        assert_eq!(article.id, "جديد");
        // A searcher opened before the switch still reads the old index.
        let old = reader_of_old.searcher();
        assert_eq!(
            reader_of_old
                .article(&old, tantivy::DocAddress::new(0, 0))
                .unwrap()
                .id,
            "قديم"
        );
    }

    #[test]
    fn a_dropped_rebuild_leaves_the_live_index_and_no_staging() {
        let root = tempfile::tempdir().unwrap();
        let live = root.path().join("idx");
        build(&live, "قديم");
        let rebuild = Rebuild::begin(&live).unwrap();
        build(rebuild.staging(), "نصف");
        let staging = rebuild.staging().to_path_buf();
        drop(rebuild);
        assert!(!staging.exists());
        assert_eq!(Archive::open(&live).unwrap().num_articles(), 1);
        // The lock is released: writers work again.
        assert!(Archive::open(&live).unwrap().writer(20_000_000, 1).is_ok());
    }

    #[test]
    fn leftovers_of_a_killed_rebuild_are_removed_next_time() {
        let root = tempfile::tempdir().unwrap();
        let live = root.path().join("idx");
        build(&live, "قديم");
        let leftover = staging_dir(&live, 999_999);
        build(&leftover, "نصف");
        let rebuild = Rebuild::begin(&live).unwrap();
        assert!(!leftover.exists());
        drop(rebuild);
    }

    #[test]
    fn rebuilding_where_no_index_exists_creates_it() {
        let root = tempfile::tempdir().unwrap();
        let live = root.path().join("new");
        let rebuild = Rebuild::begin(&live).unwrap();
        build(rebuild.staging(), "أول");
        rebuild.switch().unwrap();
        assert_eq!(Archive::open(&live).unwrap().num_articles(), 1);
    }
}
