//! The library's error type: what went wrong, where, and what to do about it.

use std::path::PathBuf;

/// Errors from opening, writing and searching an archive.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No index exists at the path.
    #[error("no fahras index at {}: build one with `fahras index --index {} FILE…`", .path.display(), .path.display())]
    NoIndex { path: PathBuf },

    /// The directory holds something that is not a fahras index.
    #[error("{} is not a fahras index ({reason}); choose another directory with --index", .path.display())]
    NotAnIndex { path: PathBuf, reason: String },

    /// The index was built by another analyzer version or schema.
    #[error(
        "the index at {} was built with analyzer version {found} but this fahras uses version {expected}; \
         rebuild it with `fahras index --rebuild --index {} FILE…`",
        .path.display(), .path.display()
    )]
    IncompatibleIndex {
        path: PathBuf,
        found: u32,
        expected: u32,
    },

    /// Another process holds the index writer lock.
    #[error("index at {} is locked by another fahras process (an index, rebuild or delete job is running); try again when it has finished", .path.display())]
    Locked { path: PathBuf },

    /// A date given on the command line or in a request that does not parse.
    #[error("invalid date {0:?}: write it as YYYY-MM-DD, e.g. 2024-10-23")]
    InvalidDate(String),

    /// A query with more words than [`crate::search::query::MAX_QUERY_WORDS`].
    #[error(
        "the query has {words} different words; at most {max} are searched together: \
         keep its key words, or quote its key phrase"
    )]
    QueryTooLong { words: usize, max: usize },

    /// Facet counts that tantivy's aggregations did not return in the shape asked for.
    #[error("facet counts: {0}")]
    Facets(String),

    /// An error from tantivy.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),

    /// An I/O error, with the path it concerns.
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Error {
    /// Wraps an I/O error with the path it concerns: `.map_err(Error::io(path))`.
    pub fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
        move |source| Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
