//! What a search asks and what it returns: [`SearchRequest`] with its [`Ranking`] weights,
//! and [`SearchResults`], the object `fahras search --json` prints.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

use super::bm25::Bm25Params;
use super::facets::Facets;
use crate::error::Result;

/// The order of hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first (BM25).
    #[default]
    Relevance,
    /// Most recent first.
    Newest,
    /// Oldest first.
    Oldest,
}

/// What a query does with its stopwords.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QueryStopwords {
    /// Stopwords add to the score but are not required (when the query has other words).
    #[default]
    Optional,
    /// Stopwords are ignored (when the query has other words).
    Drop,
    /// Stopwords are required like any word.
    Require,
}

/// Which pairs of a query's content words the proximity bonus looks for close together.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProximityPairs {
    /// Each word and the next one.
    #[default]
    Consecutive,
    /// Every two words, whatever their order and distance in the query: a question puts its
    /// words in another order than the sentence that answers it.
    All,
    /// Every two words, the bonus weight divided by the number of pairs per word (n / 2), so
    /// that a long query's bonus does not grow with the square of its length.
    AllScaled,
}

/// Ranking weights and query-side choices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranking {
    /// Multiplies the score of matches in the title.
    pub title_boost: f32,
    /// Multiplies the score contributed by the exact-form fields (on top of the stem match);
    /// 0 turns exact-form matching off.
    pub exact_boost: f32,
    /// What the query does with stopwords.
    pub stopwords: QueryStopwords,
    /// Weight of matches in the lead (the first sentences of the body), on top of the body.
    pub lead_boost: f32,
    /// Weight of the proximity bonus: articles where two consecutive query words occur close
    /// together (within `proximity_slop` words) score higher. 0 turns it off.
    pub proximity_boost: f32,
    /// How many words may come between two consecutive query words for the proximity bonus.
    pub proximity_slop: u32,
    /// Which pairs of query words earn the proximity bonus.
    pub proximity_pairs: ProximityPairs,
    /// Among partial matches, rank articles missing one word above those missing more.
    pub coordination: bool,
    /// BM25 parameters for word matches; `None` is tantivy's built-in k1 = 1.2, b = 0.75.
    pub bm25: Option<Bm25Params>,
    /// Weight of a match on another spelling of a query word, relative to the word itself.
    pub variant_weight: f32,
    /// Weight of a match on a spelling that more articles use than the spelling typed (the
    /// query writes the word the rare way, ترمب for ترامب): an article writing it the common
    /// way has the word as much, so the spelling typed only breaks ties.
    pub commoner_variant_weight: f32,
    /// Also search a query verb in the imperfect (`يكشف`) as its perfect stem (`كشف`), as a
    /// spelling variant: headlines tell the news in the present tense, articles in the past.
    pub imperfect_prefix: bool,
    /// Where articles matching only some of the query's content words go. `None`: after all
    /// those matching every word (two tiers). `Some(e)`: among them, by their score times
    /// (words matched / words)^e; 0 ranks by score alone, 1 is Lucene's classic coord factor.
    /// Either way an article must match a content word (a stopword alone never brings one).
    /// Hits sorted by date always have the articles with every word first.
    pub soft_coordination: Option<f32>,
    /// Weight of the title-coverage bonus: the first 20 hits gain this share of the best
    /// score times the share of their title's content words that the query names (see
    /// `search/rerank.rs`). 0 turns it off. Only when hits are in score order (sorted by
    /// relevance, partial matches among the full ones).
    pub title_coverage: f32,
    /// Weight of the query-coverage bonus: the first 20 hits gain this share of the best
    /// score times the IDF-weighted share of the query's content words they contain (see
    /// `search/rerank.rs`). 0 turns it off. Only when hits are in score order.
    pub query_coverage: f32,
    /// Weight of the opening bonus: the first 20 hits gain this share of the best score times
    /// the IDF-weighted share of the query's content words that their text opens with (its
    /// first three words; see `search/opening.rs`). 0 turns it off. Only when hits are in
    /// score order.
    pub opening: f32,
    /// Weight of the opening bonus for a definition question (`ما هو …`, `من هي …`): the
    /// share of the query's content words that the text's first word is, as the article
    /// defining the subject begins with it. Takes the place of [`Ranking::opening`] for such
    /// a question; 0 turns it off.
    pub definition_opening: f32,
}

impl Default for Ranking {
    fn default() -> Self {
        // Each weight was chosen by `fahras eval` on the dev collections; docs/evaluation.md
        // has the ablation.
        Ranking {
            title_boost: 0.3,
            exact_boost: 0.5,
            stopwords: QueryStopwords::Optional,
            lead_boost: 0.6,
            proximity_boost: 0.5,
            proximity_slop: 2,
            proximity_pairs: ProximityPairs::AllScaled,
            coordination: false,
            bm25: Some(Bm25Params { k1: 0.8, b: 0.8 }),
            variant_weight: 0.9,
            commoner_variant_weight: 0.95,
            imperfect_prefix: true,
            soft_coordination: Some(0.0),
            title_coverage: 0.25,
            query_coverage: 0.3,
            opening: 0.1,
            definition_opening: 0.4,
        }
    }
}

impl Ranking {
    /// Whether any rerank of the top (`search/rerank.rs`) is on.
    pub(crate) fn reranks(&self) -> bool {
        self.title_coverage > 0.0
            || self.query_coverage > 0.0
            || self.opening > 0.0
            || self.definition_opening > 0.0
    }
}

/// A search: the query and its options. `SearchRequest::new("…")` gives the defaults of
/// `fahras search`.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    /// The query, in the query language of [`query`].
    pub query: String,
    /// How many hits to return.
    pub limit: usize,
    /// How many hits to skip (for paging).
    pub offset: usize,
    /// Only articles dated on or after this day.
    pub since: Option<Date>,
    /// Only articles dated on or before this day.
    pub until: Option<Date>,
    /// Only articles from one of these sources (exact values; empty: any source).
    pub sources: Vec<String>,
    /// Only articles in one of these categories (exact values; empty: any category).
    pub categories: Vec<String>,
    /// The order of hits.
    pub sort: Sort,
    /// Snippet length in characters.
    pub snippet_chars: usize,
    /// Also return articles matching only some of the words (ranked among the others, or after
    /// them, by [`Ranking::soft_coordination`]).
    pub fill_partial: bool,
    /// Rank every article matching any word by score alone (no all-words-first tier).
    pub match_any: bool,
    /// Also search the other spellings the archive uses for each word (see
    /// [`crate::variants`]); `false` is `fahras search --exact`.
    pub variants: bool,
    /// Ranking weights.
    pub ranking: Ranking,
    /// Also count the matching articles by source, category, year and month
    /// ([`SearchResults::facets`]).
    pub facets: bool,
}

impl SearchRequest {
    /// A request with default options.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            limit: 10,
            offset: 0,
            since: None,
            until: None,
            sources: Vec::new(),
            categories: Vec::new(),
            sort: Sort::Relevance,
            snippet_chars: 200,
            fill_partial: true,
            match_any: false,
            variants: true,
            ranking: Ranking::default(),
            facets: false,
        }
    }
}

/// The results of a search: what `fahras search --json` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// How many articles match every word of the query (and the filters).
    pub total_hits: u64,
    /// How many of the first `offset + limit` hits match only some of the words (not a count
    /// of all such articles, which would cost a scan of most of the index).
    pub partial_hits: u64,
    /// Time spent searching, including snippets, in milliseconds.
    pub took_ms: f64,
    /// The other spellings searched for each query word (as typed, without the punctuation
    /// typed around it) that has some, as the index holds them (light stems). Empty with
    /// `--exact`.
    pub expansions: BTreeMap<String, Vec<String>>,
    /// When nothing matched: the query with each word the archive lacks replaced by the
    /// closest spelling it has, if any word has one.
    pub did_you_mean: Option<String>,
    /// The page of hits.
    pub hits: Vec<SearchHit>,
    /// With [`SearchRequest::facets`]: counts over every article matching all the words and
    /// the filters, not only the page (absent from the JSON otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
}

/// One article found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    /// 1-based rank in the whole result list (offset included).
    pub rank: usize,
    pub id: String,
    /// The relevance score (BM25 with boosts).
    pub score: f32,
    pub title: String,
    /// `YYYY-MM-DD`, or null.
    pub date: Option<String>,
    pub source: Option<String>,
    pub category: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    /// About `snippet_chars` characters of the body around the matches, cut at word
    /// boundaries, whitespace collapsed.
    pub snippet: String,
    /// Byte ranges `[start, end)` in `snippet` of the matched words, as the article wrote them.
    pub highlights: Vec<[usize; 2]>,
    /// True when the article matches only some of the query's words.
    pub partial: bool,
}

/// Parses a `YYYY-MM-DD` date as given on the command line.
pub fn parse_cli_date(text: &str) -> Result<Date> {
    crate::ingest::date::parse_date(text.trim())
        .ok_or_else(|| crate::error::Error::InvalidDate(text.to_string()))
}
