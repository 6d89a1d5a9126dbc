//! Running a compiled query: the all-words tier (counted first by its matcher, which spares
//! the scoring clauses when no article has every word), then the partial tier, which fills
//! the page or, with soft coordination, competes for every place on it.
//!
//! ```text
//! Compiled ──► matcher count ──► full query: top k (by score or date) + count
//!          ──► partial tier: candidate pool (rarer words first) ──► PartialMatchQuery ──► Page
//! ```

use tantivy::aggregation::agg_result::AggregationResults;
use tantivy::aggregation::AggregationCollector;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Query};
use tantivy::{DateTime, DocAddress, Order, Searcher};

use super::compiled::Compiled;
use super::facets::{self, Facets};
use super::request::{SearchRequest, Sort};
use super::rerank::RERANK_DEPTH;
use super::stats::CachedStatistics;
use crate::error::Result;
use crate::index::Archive;

/// The partial tier scores in full only the best `max(PARTIAL_POOL_MIN, PARTIAL_POOL_FACTOR
/// × wanted)` articles by their stemmed words (see `Compiled::candidates_query`). Measured at
/// `fahras search`'s default limit of 10, pools of 20, 30, 100 and 1,000 give the same MRR@10
/// to within 0.0006 on both dev collections (docs/performance.md).
const PARTIAL_POOL_MIN: usize = 20;
const PARTIAL_POOL_FACTOR: usize = 2;

/// The hits of a search before they are read: the best `offset + limit` articles in order
/// (at least [`RERANK_DEPTH`] when the top is reranked).
pub(super) struct Page {
    /// (score, article, matches only some of the words), best first.
    pub(super) hits: Vec<(f32, DocAddress, bool)>,
    /// How many articles match every word (and the filters).
    pub(super) total: u64,
    /// How many of `hits` match only some of the words.
    pub(super) partial: u64,
    /// With `request.facets`: the counts over every article the full query matches.
    pub(super) facets: Option<Facets>,
    /// Whether `hits` are in score order: sorted by relevance, and the partial matches (if
    /// any) ranked among the full ones. Hits in tiers (all words first) are not, and a rerank
    /// by score would mix the tiers.
    pub(super) by_score: bool,
}

/// Runs the tiers of a compiled (non-empty) query.
pub(super) fn run(
    archive: &Archive,
    searcher: &Searcher,
    stats: &CachedStatistics<'_>,
    compiled: &Compiled,
    request: &SearchRequest,
) -> Result<Page> {
    let mut wanted = request.offset + request.limit;
    // Enough hits for the reranking of the top, so that a page's order does not depend on
    // its size (the caller cuts the page to size).
    let reranked = request.ranking.reranks();
    if wanted > 0 && reranked && request.sort == Sort::Relevance {
        wanted = wanted.max(RERANK_DEPTH);
    }
    let full = if request.match_any {
        compiled.any_query()
    } else {
        compiled.full_query()
    };
    // A question or a headline rarely has an article with all its words: counting those
    // first, without the clauses that only score, spares the full query's dozens of
    // posting lists when there are none.
    let none_match_all = match compiled.matcher_query() {
        Some(matcher) if !request.match_any => searcher.search(matcher.as_ref(), &Count)? == 0,
        _ => false,
    };
    // The facets ride on the pass that counts the matches, which visits every one of them.
    let facet_collector = (request.facets && !none_match_all).then(|| facets::collector(searcher));
    let (top, total, facet_results) = if none_match_all {
        (Vec::new(), 0, None)
    } else {
        top_docs(
            searcher,
            stats,
            full.as_ref(),
            request.sort,
            wanted,
            facet_collector,
        )?
    };
    let facets = match facet_results {
        Some(results) => Some(facets::from_results(results)?),
        None => request.facets.then(Facets::default),
    };
    let mut partial_hits = 0;
    let mut page: Vec<(f32, DocAddress, bool)> =
        top.into_iter().map(|(s, a)| (s, a, false)).collect();
    // Ranked among the full matches by score only when the page is ordered by score: sorted
    // by date, the articles with every word come first, newest (or oldest) first, and the
    // partial matches only fill the page.
    let soft = request.ranking.soft_coordination.is_some() && request.sort == Sort::Relevance;
    // (`--limit 0` asks for the count and facets alone: no page to fill.)
    if request.fill_partial
        && wanted > 0
        && !request.match_any
        && (total < wanted || soft)
        && compiled.required.len() >= 2
    {
        // Not counted: counting every article that shares one word with the query would
        // visit most of the index, where the top-k search can skip most of it.
        let n = compiled.required.len();
        if request.ranking.coordination && n >= 3 && !soft {
            for (at_least, below) in [(Some(n - 1), None), (None, Some(n - 1))] {
                let remaining = wanted.saturating_sub(page.len());
                if remaining == 0 {
                    break;
                }
                let partial = compiled.coordination_query(at_least, below);
                let more = searcher.search_with_statistics_provider(
                    partial.as_ref(),
                    &TopDocs::with_limit(remaining).order_by_score(),
                    stats,
                )?;
                partial_hits += more.len() as u64;
                page.extend(more.into_iter().map(|(s, a)| (s, a, true)));
            }
        } else {
            let on_page: Vec<DocAddress> = page.iter().map(|&(_, a, _)| a).collect();
            // The candidates: the best articles by their stemmed words alone, with room
            // for those already on the page; only they are scored in full.
            let pool = (wanted * PARTIAL_POOL_FACTOR).max(PARTIAL_POOL_MIN) + on_page.len();
            let best = |query: &BooleanQuery| -> Result<Vec<DocAddress>> {
                let top = searcher.search_with_statistics_provider(
                    query,
                    &TopDocs::with_limit(pool).order_by_score(),
                    stats,
                )?;
                Ok(top.into_iter().map(|(_, a)| a).collect())
            };
            let queries = compiled.candidates_queries(archive.fields(), stats)?;
            let mut candidates: Option<Vec<DocAddress>> = None;
            for query in &queries {
                let found = best(query)?;
                // Too few articles with the rarer words to fill the page: the common ones
                // bring more.
                let enough = found.len() >= wanted + on_page.len();
                candidates = Some(found);
                if enough {
                    break;
                }
            }
            let partial = compiled.partial_query(searcher, stats, &on_page, candidates.as_deref());
            // With soft coordination the partial matches compete with the page for every
            // place on it.
            let limit = if soft { wanted } else { wanted - page.len() };
            let more = searcher.search_with_statistics_provider(
                &partial,
                &TopDocs::with_limit(limit).order_by_score(),
                stats,
            )?;
            page.extend(more.into_iter().map(|(s, a)| (s, a, true)));
            if soft {
                page.sort_by(|a, b| b.0.total_cmp(&a.0));
                page.truncate(wanted);
            }
            partial_hits += page.iter().filter(|(_, _, p)| *p).count() as u64;
        }
    }
    let by_score =
        request.sort == Sort::Relevance && (soft || request.match_any || partial_hits == 0);
    Ok(Page {
        hits: page,
        total: total as u64,
        partial: partial_hits,
        facets,
        by_score,
    })
}

/// Scored documents, the count of all matches, and the facet aggregations if asked for.
type Top = (Vec<(f32, DocAddress)>, usize, Option<AggregationResults>);

/// The best `limit` documents in the requested order, with their scores, the count, and the
/// facet aggregations when a collector for them is given (all in one pass).
fn top_docs(
    searcher: &Searcher,
    stats: &CachedStatistics<'_>,
    query: &dyn Query,
    sort: Sort,
    limit: usize,
    facets: Option<AggregationCollector>,
) -> Result<Top> {
    if limit == 0 {
        let (count, aggregations) =
            searcher.search_with_statistics_provider(query, &(Count, facets), stats)?;
        return Ok((Vec::new(), count, aggregations));
    }
    let order = match sort {
        Sort::Relevance => {
            let collector = (TopDocs::with_limit(limit).order_by_score(), Count, facets);
            return Ok(searcher.search_with_statistics_provider(query, &collector, stats)?);
        }
        Sort::Newest => Order::Desc,
        Sort::Oldest => Order::Asc,
    };
    // The date and the score in one pass, with the same statistics as a search by
    // relevance (pooled spellings included); ties of date go to the better score. (Asking
    // the query to explain each hit afterwards scored with the searcher's own statistics,
    // and tantivy's BooleanWeight::explain trips a debug assertion on a clause that does not
    // match the hit.)
    let by_date = (SortByStaticFastValue::<DateTime>::for_field("date"), order);
    let collector = (
        TopDocs::with_limit(limit).order_by((by_date, (SortBySimilarityScore, Order::Desc))),
        Count,
        facets,
    );
    let (top, count, aggregations) =
        searcher.search_with_statistics_provider(query, &collector, stats)?;
    let scored = top
        .into_iter()
        .map(|((_, score), address)| (score, address))
        .collect();
    Ok((scored, count, aggregations))
}
