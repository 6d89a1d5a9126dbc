//! # fahras — Arabic full-text search for news archives
//!
//! fahras (فهرس, "index") indexes Arabic news articles with [tantivy] and searches them the
//! way Arabic is actually written: with or without hamza, diacritics and tatweel, with ة or ه
//! and ى or ي, in Arabic-Indic or ASCII digits.
//!
//! The crate is organised along the data flow:
//!
//! * [`analysis`]: normalization, the tokenizer (offsets into the original text), the light
//!   stemmer and stopwords, assembled as named tantivy analyzers.
//! * [`ingest`]: raw files (JSONL, gzip, scraped article text) to [`article::Article`]s, with
//!   every rejected record accounted for.
//! * [`serve`]: `fahras serve`, the search page and the JSON API over HTTP.
//!
//! ```
//! use fahras::analysis::{analyze, normalize};
//!
//! assert_eq!(normalize("إلَى المدينة"), "الي المدينه");
//! let tokens = analyze("والمدينة");
//! assert_eq!(tokens[0].stem, "مدين");
//! ```

pub mod analysis;
pub mod article;
pub mod error;
pub mod eval;
pub mod index;
pub mod ingest;
pub mod rebuild;
pub mod render;
pub mod sample;
pub mod search;
pub mod serve;
pub mod synonyms;
pub mod variants;

pub use article::Article;
pub use error::{Error, Result};
pub use index::{Archive, ArchiveWriter, Upsert};
pub use search::{SearchHit, SearchRequest, SearchResults, Sort};

/// The README's Rust examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
