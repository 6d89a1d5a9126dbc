//! Search: from a query string to ranked hits with snippets.
//!
//! ```text
//! SearchRequest ──► query::parse ──► tantivy query ──► top docs ──► stored articles ──► SearchHit
//!                   (words, phrases,   (per word: stemmed          (+ partial fill)    (snippet with
//!                    -exclusions, OR)   and exact fields,                               highlights in
//!                                       title boosted)                                  the original)
//! ```
//!
//! Every word of the query is analyzed by the same analyzers as the index. A word matches an
//! article when its light stem occurs in the title or body; the exact-form fields add to the
//! score, so an article with the word as typed (after normalization) ranks above one that only
//! shares the stem. Titles are boosted.
//!
//! Articles matching only some of the words, marked `partial`, compete with those matching
//! every word by score (see [`Ranking::soft_coordination`]), so that a long natural-language
//! question still gets answers and a passage missing one of its words is not buried under weak
//! articles that happen to contain them all.

//!
//! The stages, each in a module of its own:
//!
//! ```text
//! SearchRequest ──► query::parse ──► compile (analyze, expand, clauses) ──► Compiled
//!   ──► run (all-words tier, partial tier) ──► Page ──► hits (stored articles, snippets)
//!   ──► SearchResults          (nothing found: suggest's "did you mean")
//! ```
//!
//! - [`request`]: [`SearchRequest`], [`Ranking`], [`SearchResults`], [`SearchHit`].
//! - [`query`]: the query language. `compile`, `expand`, `clauses` and `compiled`: from the
//!   parsed query to tantivy queries. `run`, with `partial`, `bm25`, `forward`, `union` and
//!   `stats`: the tiers that execute it. `hits` and [`snippet`]: the page as results.
//!   `suggest`: did you mean.

pub mod bm25;
mod clauses;
mod compile;
mod compiled;
mod expand;
pub mod facets;
mod forward;
mod highlight;
mod hits;
mod opening;
mod partial;
mod proximity;
pub mod query;
pub mod request;
mod rerank;
mod run;
pub mod snippet;
mod stats;
mod suggest;
mod union;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod ranking_tests;

use std::time::Instant;

pub use request::{
    parse_cli_date, ProximityPairs, QueryStopwords, Ranking, SearchHit, SearchRequest,
    SearchResults, Sort,
};

use crate::error::Result;
use crate::index::Archive;
use facets::Facets;
use stats::CachedStatistics;

impl Archive {
    /// Runs a search.
    ///
    /// ```
    /// use fahras::{Archive, Article, SearchRequest};
    ///
    /// let archive = Archive::in_memory().unwrap();
    /// let mut writer = archive.writer(50_000_000, 1).unwrap();
    /// writer.upsert(&Article {
    ///     id: "a1".into(),
    ///     title: "افتتاح معرض الكتاب".into(),
    ///     body: "افتُتح اليوم معرضُ الكتاب الدولي في المدينة.".into(),
    ///     ..Article::default()
    /// }).unwrap();
    /// writer.commit().unwrap();
    ///
    /// let results = archive.search(&SearchRequest::new("معرض الكتب")).unwrap();
    /// assert_eq!(results.hits.len(), 1);
    /// let hit = &results.hits[0];
    /// let [start, end] = hit.highlights[0];
    /// assert_eq!(&hit.snippet[start..end], "معرضُ");
    /// ```
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let started = Instant::now();
        let searcher = self.searcher();
        let stats = CachedStatistics::new(&searcher);
        let parsed = query::bounded(&request.query)?;
        let compiled = compile::compile(self, &searcher, &stats, &parsed, request)?;
        let mut results = SearchResults {
            query: request.query.clone(),
            total_hits: 0,
            partial_hits: 0,
            took_ms: 0.0,
            expansions: compiled.expansions.clone(),
            did_you_mean: None,
            hits: Vec::new(),
            facets: request.facets.then(Facets::default),
        };
        if !compiled.is_empty() {
            let mut page = run::run(self, &searcher, &stats, &compiled, request)?;
            if page.by_score {
                rerank::rerank(
                    self,
                    &searcher,
                    &stats,
                    &request.query,
                    &compiled,
                    &request.ranking,
                    &mut page.hits,
                )?;
            }
            page.hits.truncate(request.offset + request.limit);
            results.total_hits = page.total;
            results.partial_hits = page.partial;
            results.facets = page.facets;
            results.hits = hits::read_hits(self, &searcher, page.hits, &compiled.terms, request)?;
            if results.hits.is_empty() && request.offset == 0 {
                results.did_you_mean = suggest::did_you_mean(self, &searcher, &parsed)?;
            }
        }
        results.took_ms = started.elapsed().as_secs_f64() * 1000.0;
        Ok(results)
    }
}
