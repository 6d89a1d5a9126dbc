//! Rendering results for people and programs.
//!
//! * [`terminal`]: search results and archive statistics as text lines, colored or plain;
//! * [`timeline`]: the matches over time as a bar chart (from the month facet);
//! * [`bidi`]: how those lines reach the terminal — in logical order for terminals that do
//!   bidi, or wrapped and reordered here (visual order, optionally shaped) for those that do not.
//!
//! JSON output needs no code here: [`crate::SearchResults`] and [`crate::index::ArchiveStats`]
//! are serde structs whose serialized form is the documented schema; it is never reordered.

pub mod bidi;
pub mod terminal;
pub mod timeline;

pub use bidi::Layout;
pub use terminal::{write_facets, write_results, write_stats, write_timeline, Style};
