//! Rendering results for people and programs.
//!
//! * [`terminal`]: search results and archive statistics as text lines, colored or plain;
//! * [`bidi`]: how those lines reach the terminal — in logical order for terminals that do
//!   bidi, or wrapped and reordered here (visual order, optionally shaped) for those that do not.
//!
//! JSON output needs no code here: [`crate::SearchResults`] and [`crate::index::ArchiveStats`]
//! are serde structs whose serialized form is the documented schema; it is never reordered.

pub mod bidi;
pub mod terminal;

pub use bidi::Layout;
pub use terminal::{write_results, write_stats, Style};
