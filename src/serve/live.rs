//! The archive a server searches, kept up to date with what other processes write.
//!
//! ```text
//! fahras index (commit) ──► DIR/meta.json changes ──► reader reloaded (same Archive)
//! fahras index --rebuild ──► DIR exchanged (new inode) ──► Archive::open(DIR), swapped in
//! ```
//!
//! A watcher thread looks at the index directory every [`LiveArchive::watch`] period. A
//! request takes the current [`Archive`] (an `Arc`) once and searches it to the end, so a swap
//! never fails a request in flight: the old archive's files stay open (mapped) until its last
//! searcher is gone, even after a rebuild has removed them from the directory. When a reload or
//! reopen fails (another process's commit deleted files between reading meta.json and opening
//! them), the server keeps the archive it has and tries again at the next look.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use crate::error::Result;
use crate::Archive;

/// What identifies the state of an index directory on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DirState {
    /// The directory's inode: a rebuild exchanges the directory for another.
    inode: u64,
    /// The bytes of `meta.json`: every commit rewrites it.
    meta: Vec<u8>,
}

fn dir_state(dir: &Path) -> Option<DirState> {
    let inode = |dir: &Path| -> Option<u64> {
        let meta = std::fs::metadata(dir).ok()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(meta.ino())
        }
        #[cfg(not(unix))]
        {
            meta.modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_nanos() as u64)
        }
    };
    let before = inode(dir)?;
    let meta = std::fs::read(dir.join("meta.json")).ok()?;
    // A rebuild that switched between the two looks is seen at the next one.
    (inode(dir)? == before).then_some(DirState {
        inode: before,
        meta,
    })
}

/// The archive being served: a fixed one (the built-in sample), or an index directory that
/// the server follows.
pub struct LiveArchive {
    dir: Option<PathBuf>,
    current: RwLock<Arc<Archive>>,
    seen: Mutex<Option<DirState>>,
    stop: AtomicBool,
}

impl LiveArchive {
    /// An archive that never changes (in memory).
    pub fn fixed(archive: Archive) -> Arc<LiveArchive> {
        Arc::new(LiveArchive {
            dir: None,
            current: RwLock::new(Arc::new(archive)),
            seen: Mutex::new(None),
            stop: AtomicBool::new(false),
        })
    }

    /// The index at `dir`, followed as other processes commit to it and rebuild it.
    pub fn open(dir: &Path) -> Result<Arc<LiveArchive>> {
        let seen = dir_state(dir);
        let archive = Archive::open(dir)?;
        Ok(Arc::new(LiveArchive {
            dir: Some(dir.to_path_buf()),
            current: RwLock::new(Arc::new(archive)),
            seen: Mutex::new(seen),
            stop: AtomicBool::new(false),
        }))
    }

    /// The archive to search now.
    pub fn current(&self) -> Arc<Archive> {
        Arc::clone(&self.current.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Looks at the directory once: reloads after a commit, reopens after a rebuild. Returns
    /// whether the archive changed; an error leaves the current archive in place.
    pub fn refresh(&self) -> Result<bool> {
        let Some(dir) = &self.dir else {
            return Ok(false);
        };
        let Some(now) = dir_state(dir) else {
            return Ok(false);
        };
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.as_ref() == Some(&now) {
            return Ok(false);
        }
        let rebuilt = seen.as_ref().is_none_or(|s| s.inode != now.inode);
        if rebuilt {
            let archive = Archive::open(dir)?;
            *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(archive);
        } else {
            self.current().reload()?;
        }
        *seen = Some(now);
        Ok(true)
    }

    /// Starts the thread that calls [`LiveArchive::refresh`] every `period` until
    /// [`LiveArchive::stop`]. Nothing to watch for a fixed archive.
    pub fn watch(self: &Arc<Self>, period: Duration) -> Option<std::thread::JoinHandle<()>> {
        self.dir.as_ref()?;
        let live = Arc::clone(self);
        let handle = std::thread::Builder::new()
            .name("fahras-watch".into())
            .spawn(move || {
                let mut last_error: Option<String> = None;
                while !live.stop.load(Ordering::Relaxed) {
                    std::thread::sleep(period);
                    match live.refresh() {
                        Ok(_) => last_error = None,
                        Err(e) => {
                            // Said once, not at every look, while the same error lasts.
                            let text = e.to_string();
                            if last_error.as_deref() != Some(text.as_str()) {
                                eprintln!("fahras serve: keeping the current index: {text}");
                            }
                            last_error = Some(text);
                        }
                    }
                }
            })
            .expect("spawn the index watcher");
        Some(handle)
    }

    /// Ends the watcher thread (at its next look).
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::rebuild::Rebuild;
    use crate::Article;

    /// Adds one article from `source` to the archive at `dir` (created when missing) and
    /// commits: another process's `fahras index`, as the server sees it.
    pub(in crate::serve) fn add(dir: &Path, id: &str, source: &str) {
        let archive = Archive::open_or_create(dir).unwrap();
        let mut writer = archive.writer(20_000_000, 1).unwrap();
        writer
            .upsert(&Article {
                id: id.into(),
                title: format!("عنوان {id}"),
                body: "نص".into(),
                source: Some(source.into()),
                ..Article::default()
            })
            .unwrap();
        writer.commit().unwrap();
        writer.finish().unwrap();
    }

    #[test]
    fn follows_commits_and_rebuilds() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("idx");
        add(&dir, "a", "مصدر");
        let live = LiveArchive::open(&dir).unwrap();
        assert!(!live.refresh().unwrap());
        let before = live.current();
        add(&dir, "b", "مصدر");
        assert!(live.refresh().unwrap());
        assert_eq!(live.current().num_articles(), 2);
        assert!(Arc::ptr_eq(&before, &live.current()), "a commit reloads");
        let rebuild = Rebuild::begin(&dir).unwrap();
        add(rebuild.staging(), "c", "مصدر");
        rebuild.switch().unwrap();
        // The archive taken before the switch still searches the old index.
        let searcher = before.searcher();
        assert_eq!(searcher.num_docs(), 2);
        assert!(live.refresh().unwrap());
        assert_eq!(live.current().num_articles(), 1);
        assert!(!Arc::ptr_eq(&before, &live.current()), "a rebuild reopens");
    }
}
