//! The archive's statistics (`/api/stats` and the home page), computed once per state of the
//! index instead of at every request.
//!
//! [`Archive::stats`] reads the source, category and date of every article: milliseconds on
//! tens of thousands of articles, far more on millions, for a page that people reload often.
//! The figures change only when the searched state does, and every state has its own tantivy
//! searcher generation: a commit seen by a reload makes a new one, a rebuild a new archive. So
//! the cache keeps the figures with the archive and generation they were read from, and reads
//! them again when either differs.

use std::sync::{Arc, Mutex, Weak};

use crate::index::ArchiveStats;
use crate::Archive;

use super::error::ApiError;

struct Entry {
    /// Weak: a cached entry must not keep a replaced archive's files open. The allocation
    /// stays while the `Weak` does, so another archive is never mistaken for this one.
    archive: Weak<Archive>,
    generation: u64,
    stats: Arc<ArchiveStats>,
}

/// The statistics of the last archive state asked about.
#[derive(Default)]
pub struct StatsCache {
    entry: Mutex<Option<Entry>>,
}

impl StatsCache {
    /// The statistics of `archive` as it is searched now, read from the index only when the
    /// archive or its searcher generation changed since the last call.
    pub fn get(&self, archive: &Arc<Archive>) -> Result<Arc<ArchiveStats>, ApiError> {
        // The generation is taken before reading: if a reload happens meanwhile, the entry is
        // newer than its key and the next call reads again, never the other way round.
        let generation = generation(archive);
        if let Some(stats) = self.cached(archive, generation) {
            return Ok(stats);
        }
        let stats = Arc::new(archive.stats().map_err(ApiError::internal)?);
        *self.entry.lock().unwrap_or_else(|e| e.into_inner()) = Some(Entry {
            archive: Arc::downgrade(archive),
            generation,
            stats: Arc::clone(&stats),
        });
        Ok(stats)
    }

    /// The cached statistics if they are those of `archive` as it is searched now (cheap:
    /// no index read, so the server answers it without a search thread).
    pub fn fresh(&self, archive: &Arc<Archive>) -> Option<Arc<ArchiveStats>> {
        self.cached(archive, generation(archive))
    }

    fn cached(&self, archive: &Arc<Archive>, generation: u64) -> Option<Arc<ArchiveStats>> {
        let entry = self.entry.lock().unwrap_or_else(|e| e.into_inner());
        entry
            .as_ref()
            .filter(|e| {
                e.generation == generation && Weak::ptr_eq(&e.archive, &Arc::downgrade(archive))
            })
            .map(|e| Arc::clone(&e.stats))
    }
}

/// The generation of the searcher that searches `archive` now.
fn generation(archive: &Archive) -> u64 {
    archive.searcher().generation().generation_id()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::live::tests::add;
    use crate::serve::LiveArchive;

    #[test]
    fn read_once_per_state_and_again_after_a_commit_or_rebuild() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("idx");
        add(&dir, "a", "الأولى");
        let live = LiveArchive::open(&dir).unwrap();
        let cache = StatsCache::default();

        let first = cache.get(&live.current()).unwrap();
        assert_eq!(first.articles, 1);
        let again = cache.get(&live.current()).unwrap();
        assert!(
            Arc::ptr_eq(&first, &again),
            "the same state is not read twice"
        );
        assert!(cache.fresh(&live.current()).is_some());

        add(&dir, "b", "الثانية");
        assert!(live.refresh().unwrap());
        assert!(
            cache.fresh(&live.current()).is_none(),
            "a commit makes the entry stale"
        );
        let committed = cache.get(&live.current()).unwrap();
        assert_eq!(committed.articles, 2, "a commit is seen");
        assert_eq!(committed.sources.len(), 2);

        let rebuild = crate::rebuild::Rebuild::begin(&dir).unwrap();
        add(rebuild.staging(), "c", "الثالثة");
        rebuild.switch().unwrap();
        assert!(live.refresh().unwrap());
        let rebuilt = cache.get(&live.current()).unwrap();
        assert_eq!(rebuilt.articles, 1, "a rebuild is seen");
        assert!(!Arc::ptr_eq(&committed, &rebuilt));
    }
}
