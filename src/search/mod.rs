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

pub mod bm25;
mod forward;
mod partial;
pub mod query;
pub mod snippet;
mod stats;

#[cfg(test)]
mod proptests;

#[cfg(test)]
mod compound_tests {
    use super::compound_splits;

    #[test]
    fn splits_after_name_words_and_before_an_inner_article() {
        assert_eq!(compound_splits("ديرالزور"), vec![("دير", "الزور")]);
        assert_eq!(compound_splits("عبدالله"), vec![("عبد", "الله")]);
        assert_eq!(compound_splits("ابوظبي"), vec![("ابو", "ظبي")]);
        assert_eq!(
            compound_splits("عبدالرحمن"),
            vec![("عبد", "الرحمن")],
            "one split, not two"
        );
    }

    #[test]
    fn article_and_clitics_and_endings_do_not_split() {
        // A word-initial article, a proclitic before it, a feminine ending -اليه.
        for word in ["المالية", "الحالية", "بالمدينة", "والسلام", "الالوان", "عبد"]
        {
            assert!(
                compound_splits(word).is_empty(),
                "{word}: {:?}",
                compound_splits(word)
            );
        }
    }
}

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::index::SegmentId;
use tantivy::query::{
    AllQuery, Bm25StatisticsProvider, BooleanQuery, BoostQuery, ConstScoreQuery, EnableScoring,
    FuzzyTermQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{DateTime, DocAddress, DocId, Order, Searcher, Term};
use time::Date;

use crate::analysis::is_stopword;
use crate::error::Result;
use crate::index::{Archive, Fields};
use crate::variants::{VariantMap, MAX_EXPANSIONS};
use bm25::{Bm25Params, Bm25TermQuery};
use forward::ForwardQuery;
use partial::{Bonus, PartialMatchQuery};
use query::{Atom, AtomKind, FieldScope, ParsedQuery};
use snippet::{make_snippet, MatchTerms};
use stats::CachedStatistics;

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
    /// Also search a query verb in the imperfect (`يكشف`) as its perfect stem (`كشف`), as a
    /// spelling variant: headlines tell the news in the present tense, articles in the past.
    pub imperfect_prefix: bool,
    /// Where articles matching only some of the query's content words go. `None`: after all
    /// those matching every word (two tiers). `Some(e)`: among them, by their score times
    /// (words matched / words)^e; 0 ranks by score alone, 1 is Lucene's classic coord factor.
    /// Either way an article must match a content word (a stopword alone never brings one).
    /// Hits sorted by date always have the articles with every word first.
    pub soft_coordination: Option<f32>,
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
            variant_weight: 0.8,
            imperfect_prefix: true,
            soft_coordination: Some(0.0),
        }
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
    /// Only articles from this source (exact value).
    pub source: Option<String>,
    /// Only articles in this category (exact value).
    pub category: Option<String>,
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
            source: None,
            category: None,
            sort: Sort::Relevance,
            snippet_chars: 200,
            fill_partial: true,
            match_any: false,
            variants: true,
            ranking: Ranking::default(),
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
    /// The other spellings searched for each query word (as typed) that has some, as the
    /// index holds them (light stems). Empty with `--exact`.
    pub expansions: BTreeMap<String, Vec<String>>,
    /// When nothing matched: the query with each word the archive lacks replaced by the
    /// closest spelling it has, if any word has one.
    pub did_you_mean: Option<String>,
    /// The page of hits.
    pub hits: Vec<SearchHit>,
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

/// A spelling variant used by fewer than one in this many articles that use the word typed is
/// not searched: it would add few articles, and most such "variants" are other words or slips
/// that share a skeleton with a common word (تويتر "Twitter" for التوتر "the tension", غاريث
/// "Gareth" for الكوارث "the disasters"). A word the archive writes rarely keeps all its
/// variants. On the dev collections: arcd nDCG@10 0.816 → 0.817, news-titles 0.862 → 0.863,
/// the rewritten headlines unchanged (docs/evaluation.md).
const VARIANT_RARITY: u64 = 10;

/// Words in more than one article in this many bring no candidates to the partial tier's
/// pool when the query has rarer words that bring enough to fill the page (see
/// `Compiled::candidates_query`). On the dev collections (`fahras eval`, depth 100): arcd
/// nDCG@10 0.8289 → 0.8287, Recall@100 0.9735 → 0.9728; news-titles unchanged. Search p50 on
/// the 31.5k-article archive about 0.1 ms less (docs/performance.md).
const POOL_COMMON_SHARE: u64 = 10;

/// The partial tier scores in full only the best `max(PARTIAL_POOL_MIN, PARTIAL_POOL_FACTOR
/// × wanted)` articles by their stemmed words (see `Compiled::candidates_query`). Measured at
/// `fahras search`'s default limit of 10, pools of 20, 30, 100 and 1,000 give the same MRR@10
/// to within 0.0006 on both dev collections (docs/performance.md).
const PARTIAL_POOL_MIN: usize = 20;
const PARTIAL_POOL_FACTOR: usize = 2;

/// Documents by segment, each list sorted.
fn by_segment(searcher: &Searcher, docs: &[DocAddress]) -> HashMap<SegmentId, Vec<DocId>> {
    let mut by_segment: HashMap<SegmentId, Vec<DocId>> = HashMap::new();
    for address in docs {
        let segment = searcher.segment_reader(address.segment_ord).segment_id();
        by_segment.entry(segment).or_default().push(address.doc_id);
    }
    for list in by_segment.values_mut() {
        list.sort_unstable();
    }
    by_segment
}

/// A query compiled for one archive.
struct Compiled {
    /// Clauses every hit must match.
    required: Vec<Box<dyn Query>>,
    /// What each required clause matches, without the clauses that only score: a query
    /// with these and the restrictions matches exactly the articles the full query does,
    /// and has far fewer posting lists to open.
    matchers: Vec<Box<dyn Query>>,
    /// Every (field term, weight) of the relaxed required and the optional clauses: the
    /// partial-match query as one flat disjunction of terms, which tantivy can search with
    /// block-max WAND, skipping most articles.
    flat_terms: Vec<(Term, f32)>,
    /// The required clause each of `flat_terms` belongs to.
    flat_clauses: Vec<usize>,
    /// Exponent of the soft coordination factor (0: none).
    soft_coordination: f32,
    /// The same for the optional (stopword) clauses: they only add to the score of articles
    /// found by the others, so that the search never walks their long posting lists.
    flat_optional_terms: Vec<(Term, f32)>,
    /// BM25 parameters of term queries.
    bm25: Option<Bm25Params>,
    /// Clauses that add to the score (stopwords when other words are present).
    optional: Vec<Box<dyn Query>>,
    /// Clauses no hit may match.
    excluded: Vec<Box<dyn Query>>,
    /// Bonus clauses that only add to the score of articles matched by the others.
    bonus: Vec<Bonus>,
    /// Filters (date, source, category), scoring nothing.
    filters: Vec<Box<dyn Query>>,
    /// Words to highlight.
    terms: MatchTerms,
    /// The spelling variants added, by query word.
    expansions: BTreeMap<String, Vec<String>>,
    /// Body terms of spelling variants less used than the word typed. They score, but do not
    /// bring candidates to the partial tier: an article with a rarer spelling of one word
    /// and the others is found by the others, and each term costs the pool's search.
    unpooled: Vec<Term>,
}

impl Compiled {
    fn full_query(&self) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for q in &self.required {
            clauses.push((Occur::Must, q.box_clone()));
        }
        for q in &self.optional {
            let occur = if self.required.is_empty() {
                Occur::Must
            } else {
                Occur::Should
            };
            clauses.push((occur, q.box_clone()));
        }
        if !self.required.is_empty() {
            clauses.extend(self.bonus_clauses());
        }
        self.add_restrictions(&mut clauses);
        Box::new(BooleanQuery::new(clauses))
    }

    /// The articles [`Compiled::full_query`] matches, when there are required clauses; for
    /// counting them without opening the posting lists that only score.
    fn matcher_query(&self) -> Option<Box<dyn Query>> {
        if self.required.is_empty() {
            return None;
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = self
            .matchers
            .iter()
            .map(|q| (Occur::Must, q.box_clone()))
            .collect();
        self.add_restrictions(&mut clauses);
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// Articles matching any clause, ranked by score alone.
    fn any_query(&self) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for q in self.required.iter().chain(&self.optional) {
            clauses.push((Occur::Should, q.box_clone()));
        }
        clauses.extend(self.bonus_clauses());
        self.add_restrictions(&mut clauses);
        Box::new(BooleanQuery::new(clauses))
    }

    fn bonus_clauses(&self) -> impl Iterator<Item = (Occur, Box<dyn Query>)> + '_ {
        self.bonus.iter().map(|b| {
            let phrase = ForwardQuery::scored(Box::new(b.phrase()));
            (Occur::Should, boost(Box::new(phrase), b.weight))
        })
    }

    /// Articles matching some but not all required clauses, best first: every word of the
    /// query (a phrase by its words) as a weighted term in every field it searches, plus the
    /// stopwords and the proximity bonus. `page` holds the articles matching all of them.
    fn partial_query(
        &self,
        searcher: &Searcher,
        stats: &CachedStatistics<'_>,
        page: &[DocAddress],
        candidates: Option<&[DocAddress]>,
    ) -> PartialMatchQuery {
        PartialMatchQuery {
            matching: self.flat_terms.clone(),
            clauses: self.flat_clauses.clone(),
            clause_count: self.required.len(),
            coordination: self.soft_coordination,
            scoring: self.flat_optional_terms.clone(),
            bonus: self.bonus.clone(),
            params: self.bm25.unwrap_or_default(),
            skip: by_segment(searcher, page),
            candidates: candidates.map(|docs| by_segment(searcher, docs)),
            excluded: self.excluded.iter().map(|q| q.box_clone()).collect(),
            filters: self.filters.iter().map(|q| q.box_clone()).collect(),
            term_infos: Some(stats.term_infos()),
        }
    }

    /// The candidates' queries for the partial tier, to try in order until one brings enough
    /// articles: the words' terms in the stemmed title and body only (with the spelling
    /// variants more used than the word typed), scored by tantivy's BM25, pure disjunctions
    /// of term queries which tantivy searches with block-max WAND. None when the filters make
    /// them no pure disjunction.
    ///
    /// The first leaves out the words in more than one article in [`POOL_COMMON_SHARE`] when
    /// the query has a rarer one: an article is a candidate through the rarer words, and the
    /// common word still scores every candidate in full. The second, then, has every word.
    fn candidates_queries(
        &self,
        fields: &Fields,
        stats: &CachedStatistics<'_>,
    ) -> Result<Vec<BooleanQuery>> {
        if !self.filters.is_empty() {
            return Ok(Vec::new());
        }
        let docs = stats.total_num_docs()?;
        let mut pooled: Vec<(&Term, f32, bool)> = Vec::new();
        for (term, weight) in &self.flat_terms {
            if term.field() == fields.body && !self.unpooled.contains(term) {
                // A word the archive lacks finds nothing.
                let df = stats.doc_freq(term)?;
                if df > 0 {
                    pooled.push((term, *weight, df * POOL_COMMON_SHARE > docs));
                }
            }
        }
        let query = |terms: &[(&Term, f32, bool)]| {
            BooleanQuery::new(
                terms
                    .iter()
                    .map(|&(term, weight, _)| {
                        let query = TermQuery::new(term.clone(), IndexRecordOption::WithFreqs);
                        (Occur::Should, boost(Box::new(query), weight))
                    })
                    .collect(),
            )
        };
        let rarer: Vec<(&Term, f32, bool)> = pooled
            .iter()
            .copied()
            .filter(|&(_, _, common)| !common)
            .collect();
        Ok(if pooled.is_empty() {
            Vec::new()
        } else if rarer.is_empty() || rarer.len() == pooled.len() {
            vec![query(&pooled)]
        } else {
            vec![query(&rarer), query(&pooled)]
        })
    }

    /// The partial matches in tiers by how many required clauses they match (`at_least`,
    /// `below`): the `coordination` ranking, scored by boolean queries without pruning.
    fn coordination_query(&self, at_least: Option<usize>, below: Option<usize>) -> Box<dyn Query> {
        let terms = |list: &[(Term, f32)]| -> Vec<(Occur, Box<dyn Query>)> {
            list.iter()
                .map(|(term, weight)| {
                    (
                        Occur::Should,
                        boost(scored_term(term.clone(), self.bm25), *weight),
                    )
                })
                .collect()
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            Box::new(BooleanQuery::new(terms(&self.flat_terms))),
        )];
        clauses.extend(terms(&self.flat_optional_terms));
        clauses.extend(self.bonus_clauses());
        let all_required = BooleanQuery::new(
            self.required
                .iter()
                .map(|q| (Occur::Must, q.box_clone()))
                .collect(),
        );
        clauses.push((Occur::MustNot, Box::new(all_required)));
        let matching = |n: usize| -> Box<dyn Query> {
            Box::new(BooleanQuery::with_minimum_required_clauses(
                self.required
                    .iter()
                    .map(|q| (Occur::Should, q.box_clone()))
                    .collect(),
                n,
            ))
        };
        if let Some(n) = at_least {
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(matching(n), 0.0)),
            ));
        }
        if let Some(n) = below {
            clauses.push((Occur::MustNot, matching(n)));
        }
        self.add_restrictions(&mut clauses);
        Box::new(BooleanQuery::new(clauses))
    }

    fn add_restrictions(&self, clauses: &mut Vec<(Occur, Box<dyn Query>)>) {
        let has_positive = clauses.iter().any(|(o, _)| *o != Occur::MustNot);
        if !has_positive {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        for q in &self.excluded {
            clauses.push((Occur::MustNot, q.box_clone()));
        }
        for q in &self.filters {
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(q.box_clone(), 0.0)),
            ));
        }
    }

    fn is_empty(&self) -> bool {
        self.required.is_empty() && self.optional.is_empty() && self.excluded.is_empty()
    }
}

/// A clause's query, and its words for partial matching.
struct ClauseQueries {
    strict: Box<dyn Query>,
    /// What `strict` matches, without its scoring-only clauses.
    matcher: Box<dyn Query>,
    /// The clause's words as weighted field terms, for partial matches.
    flat: Vec<(Term, f32)>,
}

/// A term at a position.
type PositionedTerm = (usize, String);

/// One word or phrase of the query as the index's analyzers see it: (position, term) pairs
/// for the stemmed fields and for the exact fields.
struct AtomTerms {
    stemmed: Vec<(usize, String)>,
    exact: Vec<(usize, String)>,
}

impl AtomTerms {
    fn is_empty(&self) -> bool {
        self.stemmed.is_empty() && self.exact.is_empty()
    }

    fn all_stopwords(&self) -> bool {
        self.exact.iter().all(|(_, t)| is_stopword(t))
    }
}

/// The term of a text that analyzes to exactly one term.
fn single_term(analyzer: &mut TextAnalyzer, text: &str) -> Option<String> {
    let mut terms = terms_of(analyzer, text);
    match (terms.pop(), terms.is_empty()) {
        (Some((_, term)), true) => Some(term),
        _ => None,
    }
}

fn terms_of(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while let Some(token) = stream.next() {
        terms.push((token.position, token.text.clone()));
    }
    terms
}

/// The analyzers of the query, taken from the index so that the query is analyzed exactly as
/// the fields were.
struct QueryAnalyzers {
    stemmed: TextAnalyzer,
    exact: TextAnalyzer,
}

impl QueryAnalyzers {
    fn analyze(&mut self, text: &str) -> AtomTerms {
        AtomTerms {
            stemmed: terms_of(&mut self.stemmed, text),
            exact: terms_of(&mut self.exact, text),
        }
    }
}

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
        let parsed = query::parse(&request.query);
        let compiled = self.compile(&searcher, &stats, &parsed, request)?;
        let mut results = SearchResults {
            query: request.query.clone(),
            total_hits: 0,
            partial_hits: 0,
            took_ms: 0.0,
            expansions: compiled.expansions.clone(),
            did_you_mean: None,
            hits: Vec::new(),
        };
        if compiled.is_empty() {
            results.took_ms = started.elapsed().as_secs_f64() * 1000.0;
            return Ok(results);
        }
        let wanted = request.offset + request.limit;
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
        let (top, total) = if none_match_all {
            (Vec::new(), 0)
        } else {
            self.top_docs(&searcher, &stats, full.as_ref(), request.sort, wanted)?
        };
        results.total_hits = total as u64;
        let mut page: Vec<(f32, DocAddress, bool)> =
            top.into_iter().map(|(s, a)| (s, a, false)).collect();
        // Ranked among the full matches by score only when the page is ordered by score: sorted
        // by date, the articles with every word come first, newest (or oldest) first, and the
        // partial matches only fill the page.
        let soft = request.ranking.soft_coordination.is_some() && request.sort == Sort::Relevance;
        if request.fill_partial
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
                        &stats,
                    )?;
                    results.partial_hits += more.len() as u64;
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
                        &stats,
                    )?;
                    Ok(top.into_iter().map(|(_, a)| a).collect())
                };
                let queries = compiled.candidates_queries(self.fields(), &stats)?;
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
                let partial =
                    compiled.partial_query(&searcher, &stats, &on_page, candidates.as_deref());
                // With soft coordination the partial matches compete with the page for every
                // place on it.
                let limit = if soft { wanted } else { wanted - page.len() };
                let more = searcher.search_with_statistics_provider(
                    &partial,
                    &TopDocs::with_limit(limit).order_by_score(),
                    &stats,
                )?;
                page.extend(more.into_iter().map(|(s, a)| (s, a, true)));
                if soft {
                    page.sort_by(|a, b| b.0.total_cmp(&a.0));
                    page.truncate(wanted);
                }
                results.partial_hits += page.iter().filter(|(_, _, p)| *p).count() as u64;
            }
        }
        for (i, (score, address, partial)) in page.into_iter().enumerate().skip(request.offset) {
            let article = self.article(&searcher, address)?;
            let snippet = make_snippet(&article.body, &compiled.terms, request.snippet_chars);
            results.hits.push(SearchHit {
                rank: i + 1,
                id: article.id,
                score,
                title: article.title,
                date: article.date.map(format_date),
                source: article.source,
                category: article.category,
                author: article.author,
                url: article.url,
                highlights: snippet.highlights.iter().map(|&(a, b)| [a, b]).collect(),
                snippet: snippet.text,
                partial,
            });
        }
        if results.hits.is_empty() && request.offset == 0 {
            results.did_you_mean = self.did_you_mean(&searcher, &parsed)?;
        }
        results.took_ms = started.elapsed().as_secs_f64() * 1000.0;
        Ok(results)
    }

    /// The query with each word whose stem the archive lacks replaced by the closest spelling
    /// the archive has: a spelling variant (see [`crate::variants`]), else a typing slip away;
    /// among several, the one the most articles use. `None` when no word has one.
    fn did_you_mean(&self, searcher: &Searcher, parsed: &ParsedQuery) -> Result<Option<String>> {
        let f = *self.fields();
        let mut stemmed = self.analyzer(f.body)?;
        let map = self.variant_map()?;
        let map = map.as_ref();
        let mut words: Vec<String> = Vec::new();
        let mut changed = false;
        for clause in parsed.included() {
            for atom in &clause.alternatives {
                let AtomKind::Word(word) = &atom.kind else {
                    words.push(format!("\"{}\"", atom.text()));
                    continue;
                };
                let mut replacement = word.clone();
                if let Some(stem) = single_term(&mut stemmed, word) {
                    if searcher.doc_freq(&Term::from_field_text(f.body, &stem))? == 0 {
                        if let Some(better) = self.closest_spelling(searcher, map, word, &stem)? {
                            replacement = better;
                            changed = true;
                        }
                    }
                }
                words.push(replacement);
            }
        }
        Ok(changed.then(|| words.join(" ")))
    }

    /// The word as the archive writes it, for a word (with its stem) the archive lacks: the
    /// word with its stem replaced by a spelling variant (see [`crate::variants`]), or the
    /// word a typing slip away; of several, the one in the most articles, variants counting
    /// ten times (a name is likelier spelled another way than mistyped). Only words the
    /// archive contains as written (normalized) are suggested, never a bare stem.
    fn closest_spelling(
        &self,
        searcher: &Searcher,
        map: &VariantMap,
        word: &str,
        stem: &str,
    ) -> Result<Option<String>> {
        let exact = self.fields().body_exact;
        let normalized = crate::analysis::normalize(word).into_owned();
        let df = |term: &str| searcher.doc_freq(&Term::from_field_text(exact, term));
        let mut best: Option<(u64, String)> = None;
        let mut consider = |candidate: String, weight: u64| -> Result<()> {
            let count = df(&candidate)? * weight;
            if count > 0 && best.as_ref().is_none_or(|(most, _)| count > *most) {
                best = Some((count, candidate));
            }
            Ok(())
        };
        if normalized.contains(stem) {
            for variant in map.expansions(stem) {
                consider(normalized.replacen(stem, variant, 1), 10)?;
            }
        }
        for near in self.near_spellings(searcher, exact, &normalized)? {
            consider(near, 1)?;
        }
        match best {
            Some((_, spelling)) => Ok(Some(self.as_written(searcher, &spelling)?)),
            None => Ok(None),
        }
    }

    /// A normalized term as an article of the archive writes it (`الحكومه` → `الحكومة`): the
    /// first word with that normalized form in the first article holding it, or the term
    /// itself.
    fn as_written(&self, searcher: &Searcher, term: &str) -> Result<String> {
        let exact = self.fields().body_exact;
        let query = TermQuery::new(Term::from_field_text(exact, term), IndexRecordOption::Basic);
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        if let Some((_, address)) = top.first() {
            let article = self.article(searcher, *address)?;
            let mut exact_analyzer = self.analyzer(exact)?;
            for text in [&article.title, &article.body] {
                let mut stream = exact_analyzer.token_stream(text);
                while let Some(token) = stream.next() {
                    if token.text == term {
                        let written = &text[token.offset_from..token.offset_to];
                        // Diacritics and tatweel are how one article wrote it, not the word.
                        return Ok(written
                            .chars()
                            .filter(|c| !matches!(c, '\u{064B}'..='\u{065F}' | '\u{0640}'))
                            .collect());
                    }
                }
            }
        }
        Ok(term.to_string())
    }

    /// The terms of `field` one typing slip away from `text` (a letter added, dropped, changed
    /// or two swapped; two slips for words of six letters or more). Words under three letters
    /// have too many such neighbours to suggest one.
    fn near_spellings(&self, searcher: &Searcher, field: Field, text: &str) -> Result<Vec<String>> {
        let letters = text.chars().count();
        if letters < 3 {
            return Ok(Vec::new());
        }
        let body = field;
        let distance = if letters >= 6 { 2 } else { 1 };
        let fuzzy = FuzzyTermQuery::new(Term::from_field_text(body, text), distance, true);
        let mut found: Vec<String> = Vec::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(body)?;
            let mut stream = inverted
                .terms()
                .search(fuzzy.automaton()?)
                .into_stream()
                .map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                if let Ok(term) = std::str::from_utf8(stream.key()) {
                    if !found.iter().any(|t| t == term) {
                        found.push(term.to_string());
                    }
                }
            }
        }
        Ok(found)
    }

    /// The best `limit` documents in the requested order, with their scores, and the count.
    fn top_docs(
        &self,
        searcher: &Searcher,
        stats: &CachedStatistics<'_>,
        query: &dyn Query,
        sort: Sort,
        limit: usize,
    ) -> Result<(Vec<(f32, DocAddress)>, usize)> {
        if limit == 0 {
            return Ok((
                Vec::new(),
                searcher.search_with_statistics_provider(query, &Count, stats)?,
            ));
        }
        let order = match sort {
            Sort::Relevance => {
                let collector = (TopDocs::with_limit(limit).order_by_score(), Count);
                return Ok(searcher.search_with_statistics_provider(query, &collector, stats)?);
            }
            Sort::Newest => Order::Desc,
            Sort::Oldest => Order::Asc,
        };
        let collector = (
            TopDocs::with_limit(limit).order_by_fast_field::<DateTime>("date", order),
            Count,
        );
        let (top, count) = searcher.search_with_statistics_provider(query, &collector, stats)?;
        let mut scored = Vec::with_capacity(top.len());
        for (_, address) in top {
            let score = query.explain(searcher, address)?.value();
            scored.push((score, address));
        }
        Ok((scored, count))
    }

    /// The query for this archive. `searcher` and `stats` are the search's own, so that the
    /// lookups made here (variants' and compounds' document frequencies) are the ones the
    /// query's weights reuse.
    fn compile(
        &self,
        searcher: &Searcher,
        stats: &CachedStatistics<'_>,
        parsed: &ParsedQuery,
        request: &SearchRequest,
    ) -> Result<Compiled> {
        let f = *self.fields();
        let mut analyzers = QueryAnalyzers {
            stemmed: self.analyzer(f.body)?,
            exact: self.analyzer(f.body_exact)?,
        };
        let ranking = &request.ranking;
        let mut compiled = Compiled {
            required: Vec::new(),
            matchers: Vec::new(),
            flat_terms: Vec::new(),
            flat_clauses: Vec::new(),
            soft_coordination: ranking.soft_coordination.unwrap_or(0.0),
            flat_optional_terms: Vec::new(),
            bm25: ranking.bm25,
            optional: Vec::new(),
            excluded: Vec::new(),
            bonus: Vec::new(),
            filters: Vec::new(),
            terms: MatchTerms::default(),
            expansions: BTreeMap::new(),
            unpooled: Vec::new(),
        };
        let variant_map = if request.variants {
            Some(self.variant_map()?)
        } else {
            None
        };
        // A clause made only of stopwords is optional (or dropped) when the query has other
        // words: "ما هي عاصمة" must not require ما and هي.
        let mut included: Vec<(bool, ClauseQueries, Vec<AtomTerms>)> = Vec::new();
        let clauses: Vec<&query::Clause> = parsed.included().collect();
        let compounds = if request.variants {
            self.compound_alternatives(
                searcher,
                stats,
                &mut analyzers.stemmed,
                &clauses,
                &mut compiled.expansions,
            )?
        } else {
            vec![Vec::new(); clauses.len()]
        };
        for (clause, compounds) in clauses.into_iter().zip(compounds) {
            let mut strict = Vec::new();
            let mut matchers = Vec::new();
            let mut all_stopwords = true;
            let mut clause_terms = Vec::new();
            let mut variant_flat: Vec<(Term, f32)> = Vec::new();
            // A fused or split spelling of the word (with its neighbour) counts for it, at half
            // the weight of a variant: a split spelling scores as a phrase of two words, and a
            // fused one counts for two query words, so either would otherwise outscore the
            // spelling typed.
            let compound_weight = ranking.variant_weight / 2.0;
            for atom in &compounds {
                let terms = analyzers.analyze(atom.text());
                let Some(parts) = self.atom_parts(atom, &terms, ranking) else {
                    continue;
                };
                matchers.extend(parts.matcher(None));
                if let Some(q) = parts.query() {
                    strict.push(boost(q, compound_weight));
                    variant_flat.extend(
                        self.flat_terms(atom, &terms, ranking)
                            .into_iter()
                            .map(|(t, w)| (t, w * compound_weight)),
                    );
                    compiled.terms.add_text(atom.text());
                }
            }
            for atom in &clause.alternatives {
                let terms = analyzers.analyze(atom.text());
                all_stopwords &= terms.all_stopwords();
                let mut variants: Vec<String> = Vec::new();
                if let (Some(map), AtomKind::Word(word), [(_, stem)], false) = (
                    &variant_map,
                    &atom.kind,
                    terms.stemmed.as_slice(),
                    terms.all_stopwords(),
                ) {
                    variants = self.most_used(stats, stem, map.expansions(stem))?;
                    if ranking.imperfect_prefix {
                        if let Some(perfect) = imperfect_stem(stem) {
                            let term = Term::from_field_text(self.fields().body, perfect);
                            if !variants.iter().any(|v| v == perfect) && stats.doc_freq(&term)? > 0
                            {
                                variants.push(perfect.to_string());
                            }
                        }
                    }
                    if !variants.is_empty() {
                        let body = |text: &str| Term::from_field_text(f.body, text);
                        let used = stats.doc_freq(&body(stem))?;
                        for variant in &variants {
                            compiled.terms.add_stem(variant);
                            if stats.doc_freq(&body(variant))? < used {
                                compiled.unpooled.push(body(variant));
                            }
                        }
                        compiled
                            .expansions
                            .entry(word.clone())
                            .or_default()
                            .extend(variants.iter().cloned());
                    }
                }
                let Some(parts) = self.atom_parts(atom, &terms, ranking) else {
                    clause_terms.push(terms);
                    continue;
                };
                if variants.is_empty() {
                    matchers.extend(parts.matcher(None));
                    strict.extend(parts.query());
                } else {
                    // A variant matches like the word itself: in the body, or alone in the
                    // title or the lead (which the body holds too), and scores in all three.
                    let weighted = self.variant_terms(atom, &variants, ranking);
                    let body = self.fields().body;
                    let scored =
                        |(t, w): &(Term, f32)| boost(scored_term(t.clone(), ranking.bm25), *w);
                    let (in_body, others): (Vec<_>, Vec<_>) =
                        weighted.iter().partition(|(t, _)| t.field() == body);
                    let body_variants = (!in_body.is_empty() && parts.in_body.is_some())
                        .then(|| in_body.iter().map(|t| scored(t)).collect::<Vec<_>>());
                    if body_variants.is_some() {
                        matchers.extend(parts.matcher(body_variants.as_deref()));
                        strict.extend(
                            parts.query_with(
                                body_variants,
                                others.iter().map(|t| scored(t)).collect(),
                            ),
                        );
                    } else {
                        matchers.extend(parts.matcher(None));
                        matchers.extend(weighted.iter().map(&scored));
                        strict.extend(parts.query());
                        strict.push(Box::new(BooleanQuery::new(
                            weighted
                                .iter()
                                .map(|t| (Occur::Should, scored(t)))
                                .collect(),
                        )));
                    }
                    variant_flat.extend(weighted);
                }
                clause_terms.push(terms);
            }
            if strict.is_empty() {
                continue;
            }
            let union = |mut queries: Vec<Box<dyn Query>>| -> Box<dyn Query> {
                if queries.len() == 1 {
                    queries.pop().expect("one alternative")
                } else {
                    Box::new(BooleanQuery::union(queries))
                }
            };
            let flat = clause
                .alternatives
                .iter()
                .zip(&clause_terms)
                .flat_map(|(atom, terms)| self.flat_terms(atom, terms, ranking))
                .chain(variant_flat)
                .collect();
            let queries = ClauseQueries {
                strict: union(strict),
                matcher: union(matchers),
                flat,
            };
            included.push((all_stopwords, queries, clause_terms));
        }
        let any_content = included.iter().any(|(stop, _, _)| !stop);
        // The stemmed terms of single-word content clauses, in query order, for the
        // proximity bonus.
        let mut content_words: Vec<String> = Vec::new();
        for (stop, _, clause_terms) in &included {
            if let [terms] = clause_terms.as_slice() {
                if let ([(_, stem)], false) = (terms.stemmed.as_slice(), *stop) {
                    content_words.push(stem.clone());
                }
            }
        }
        for (stop, queries, clause_terms) in included {
            let demoted = stop && any_content;
            match (demoted, ranking.stopwords) {
                (true, QueryStopwords::Drop) => continue,
                (true, QueryStopwords::Optional) => {
                    compiled.optional.push(queries.strict);
                    compiled.flat_optional_terms.extend(queries.flat);
                }
                _ => {
                    let clause = compiled.required.len();
                    compiled.required.push(queries.strict);
                    compiled.matchers.push(queries.matcher);
                    compiled
                        .flat_clauses
                        .extend(std::iter::repeat_n(clause, queries.flat.len()));
                    compiled.flat_terms.extend(queries.flat);
                }
            }
            // Highlight every included word; stopwords only when they are all there is.
            for terms in clause_terms {
                for (_, term) in terms.exact {
                    if !any_content || !is_stopword(&term) {
                        compiled.terms.add_term(&term);
                    }
                }
            }
        }
        if ranking.proximity_boost > 0.0 {
            compiled.bonus = self.proximity_clauses(&content_words, ranking);
        }
        for clause in parsed.excluded() {
            for atom in &clause.alternatives {
                let terms = analyzers.analyze(atom.text());
                if let Some(q) = self.atom_query(atom, &terms, ranking) {
                    compiled.excluded.push(Box::new(ForwardQuery::excluded(q)));
                }
            }
        }
        if request.since.is_some() || request.until.is_some() {
            let bound = |date: Option<Date>| match date {
                Some(d) => Bound::Included(Term::from_field_date(
                    f.date,
                    DateTime::from_utc(d.midnight().assume_utc()),
                )),
                None => Bound::Unbounded,
            };
            compiled.filters.push(Box::new(RangeQuery::new(
                bound(request.since),
                bound(request.until),
            )));
        }
        for (field, value) in [(f.source, &request.source), (f.category, &request.category)] {
            if let Some(value) = value {
                compiled.filters.push(Box::new(TermQuery::new(
                    Term::from_field_text(field, value),
                    IndexRecordOption::Basic,
                )));
            }
        }
        Ok(compiled)
    }

    /// Proximity bonus clauses: each pair of consecutive content words as a sloppy phrase in
    /// the stemmed body. The body field holds the title too, so a pair close together in the
    /// title gets the bonus there; a second bonus on the title field measured the same on
    /// both dev collections and cost each search a dozen more phrase scorers.
    fn proximity_clauses(&self, words: &[String], ranking: &Ranking) -> Vec<Bonus> {
        let body = self.fields().body;
        let mut clauses = Vec::new();
        let mut pairs: Vec<(&String, &String)> = Vec::new();
        match ranking.proximity_pairs {
            ProximityPairs::Consecutive => {
                pairs.extend(words.windows(2).map(|pair| (&pair[0], &pair[1])));
            }
            ProximityPairs::All | ProximityPairs::AllScaled => {
                for (i, a) in words.iter().enumerate() {
                    for b in &words[i + 1..] {
                        if !pairs.contains(&(a, b)) {
                            pairs.push((a, b));
                        }
                    }
                }
            }
        }
        let scale = match ranking.proximity_pairs {
            ProximityPairs::AllScaled if words.len() > 2 => 2.0 / words.len() as f32,
            _ => 1.0,
        };
        for (a, b) in pairs {
            if a == b {
                continue;
            }
            clauses.push(Bonus {
                first: Term::from_field_text(body, a),
                second: Term::from_field_text(body, b),
                slop: ranking.proximity_slop,
                weight: ranking.proximity_boost * scale,
            });
        }
        clauses
    }

    /// (field, its terms, weight) for every field an atom searches.
    fn targets<'t>(
        &self,
        atom: &Atom,
        terms: &'t AtomTerms,
        ranking: &Ranking,
    ) -> Vec<(Field, &'t [PositionedTerm], f32)> {
        let f = self.fields();
        let mut targets: Vec<(Field, &[PositionedTerm], f32)> = Vec::with_capacity(5);
        if matches!(atom.scope, FieldScope::All | FieldScope::Title) {
            targets.push((f.title, &terms.stemmed, ranking.title_boost));
            targets.push((
                f.title_exact,
                &terms.exact,
                ranking.title_boost * ranking.exact_boost,
            ));
        }
        if matches!(atom.scope, FieldScope::All | FieldScope::Body) {
            targets.push((f.body, &terms.stemmed, 1.0));
            targets.push((f.body_exact, &terms.exact, ranking.exact_boost));
            targets.push((f.lead, &terms.stemmed, ranking.lead_boost));
        }
        targets
    }

    /// Fused and split spellings of compounds, per included clause: two consecutive words
    /// written as one (`دير الزور` → `ديرالزور`, `عبد الله` → `عبدالله`) when the archive has
    /// the fused word, and one word written as two (the reverse) when the archive has both
    /// parts. Each is recorded in `expansions`.
    fn compound_alternatives(
        &self,
        searcher: &Searcher,
        stats: &CachedStatistics<'_>,
        stemmed: &mut TextAnalyzer,
        clauses: &[&query::Clause],
        expansions: &mut BTreeMap<String, Vec<String>>,
    ) -> Result<Vec<Vec<Atom>>> {
        let f = *self.fields();
        let has = |stem: &str| -> Result<bool> {
            Ok(stats.doc_freq(&Term::from_field_text(f.body, stem))? > 0)
        };
        let word = |clause: &query::Clause| -> Option<String> {
            match clause.alternatives.as_slice() {
                [Atom {
                    scope: FieldScope::All,
                    kind: AtomKind::Word(word),
                }] if !is_stopword(&crate::analysis::normalize(word)) => Some(word.clone()),
                _ => None,
            }
        };
        let words: Vec<Option<String>> = clauses.iter().map(|c| word(c)).collect();
        let mut alternatives: Vec<Vec<Atom>> = vec![Vec::new(); clauses.len()];
        let atom = |kind: AtomKind| Atom {
            scope: FieldScope::All,
            kind,
        };
        for i in 1..words.len() {
            let (Some(a), Some(b)) = (&words[i - 1], &words[i]) else {
                continue;
            };
            let fused = format!("{a}{b}");
            // Each side one word, and the fused one a word of the archive other than either
            // (punctuation typed apart, `تونس :`, fuses into nothing new).
            let (Some(sa), Some(sb)) = (single_term(stemmed, a), single_term(stemmed, b)) else {
                continue;
            };
            match single_term(stemmed, &fused) {
                Some(sf) if sf != sa && sf != sb && has(&sf)? => {}
                _ => continue,
            }
            alternatives[i - 1].push(atom(AtomKind::Word(fused.clone())));
            alternatives[i].push(atom(AtomKind::Word(fused.clone())));
            expansions
                .entry(format!("{a} {b}"))
                .or_default()
                .push(fused);
        }
        for (i, w) in words.iter().enumerate() {
            let Some(w) = w else { continue };
            let normalized = crate::analysis::normalize(w);
            for (first, second) in compound_splits(&normalized) {
                let (Some(s1), Some(s2)) =
                    (single_term(stemmed, first), single_term(stemmed, second))
                else {
                    continue;
                };
                // Both parts are words of the archive and it writes them together apart.
                let phrase = PhraseQuery::new(vec![
                    Term::from_field_text(f.body, &s1),
                    Term::from_field_text(f.body, &s2),
                ]);
                if has(&s1)? && has(&s2)? && searcher.search(&phrase, &Count)? > 0 {
                    let text = format!("{first} {second}");
                    alternatives[i].push(atom(AtomKind::Phrase(text.clone())));
                    expansions.entry(w.clone()).or_default().push(text);
                }
            }
        }
        Ok(alternatives)
    }

    /// The variants of `stem` the most articles use, at most [`MAX_EXPANSIONS`] of them, and
    /// none used by fewer than one in [`VARIANT_RARITY`] as many articles as `stem`.
    fn most_used(
        &self,
        stats: &CachedStatistics<'_>,
        stem: &str,
        variants: Vec<&str>,
    ) -> Result<Vec<String>> {
        let body = self.fields().body;
        let used = stats.doc_freq(&Term::from_field_text(body, stem))?;
        let mut counted = Vec::with_capacity(variants.len());
        for variant in variants {
            let df = stats.doc_freq(&Term::from_field_text(body, variant))?;
            if df * VARIANT_RARITY >= used {
                counted.push((std::cmp::Reverse(df), variant));
            }
        }
        counted.sort();
        counted.truncate(MAX_EXPANSIONS);
        Ok(counted.into_iter().map(|(_, v)| v.to_string()).collect())
    }

    /// A word's spelling variants as weighted terms in the stemmed fields it searches.
    fn variant_terms(
        &self,
        atom: &Atom,
        variants: &[String],
        ranking: &Ranking,
    ) -> Vec<(Term, f32)> {
        let f = self.fields();
        let mut weighted = Vec::new();
        for variant in variants {
            for (field, weight) in [
                (f.title, ranking.title_boost),
                (f.body, 1.0),
                (f.lead, ranking.lead_boost),
            ] {
                let searched = match atom.scope {
                    FieldScope::All => true,
                    FieldScope::Title => field == f.title,
                    FieldScope::Body => field != f.title,
                };
                if searched && weight > 0.0 {
                    weighted.push((
                        Term::from_field_text(field, variant),
                        weight * ranking.variant_weight,
                    ));
                }
            }
        }
        weighted
    }

    /// An atom's words as weighted field terms (its relaxed form, flattened).
    fn flat_terms(&self, atom: &Atom, terms: &AtomTerms, ranking: &Ranking) -> Vec<(Term, f32)> {
        let mut flat = Vec::new();
        for (field, field_terms, weight) in self.targets(atom, terms, ranking) {
            if weight > 0.0 {
                for (_, term) in field_terms {
                    flat.push((Term::from_field_text(field, term), weight));
                }
            }
        }
        flat
    }

    /// The query for one word or phrase, or `None` when it has no searchable token.
    ///
    /// A phrase must match as a phrase in the stemmed title or body; its words also score in
    /// the exact-form fields and the lead, which keep no positions.
    fn atom_query(
        &self,
        atom: &Atom,
        terms: &AtomTerms,
        ranking: &Ranking,
    ) -> Option<Box<dyn Query>> {
        self.atom_parts(atom, terms, ranking)?.query()
    }

    /// The clauses of [`Archive::atom_query`], before they are put together.
    fn atom_parts(&self, atom: &Atom, terms: &AtomTerms, ranking: &Ranking) -> Option<AtomParts> {
        if terms.is_empty() {
            return None;
        }
        let f = self.fields();
        let targets = self.targets(atom, terms, ranking);
        let mut parts = AtomParts {
            in_body: None,
            matching: Vec::new(),
            scoring: Vec::new(),
        };
        for (field, field_terms, weight) in targets {
            if weight <= 0.0 {
                continue;
            }
            let positions = field == f.title || field == f.body;
            let query: Box<dyn Query> = match field_terms {
                [] => continue,
                [(_, term)] => boost(term_query(field, term, ranking), weight),
                _ if positions => {
                    let phrase = PhraseQuery::new_with_offset(
                        field_terms
                            .iter()
                            .map(|(position, term)| (*position, Term::from_field_text(field, term)))
                            .collect(),
                    );
                    boost(Box::new(ForwardQuery::scored(Box::new(phrase))), weight)
                }
                _ => {
                    let words = BooleanQuery::new(
                        field_terms
                            .iter()
                            .map(|(_, term)| (Occur::Should, term_query(field, term, ranking)))
                            .collect(),
                    );
                    parts.scoring.push(boost(Box::new(words), weight));
                    continue;
                }
            };
            // Only a single word: a phrase query required straight inside the conjunction of
            // the query's words trips tantivy 0.27's phrase scorer (`seek_danger` called
            // behind its current document, a debug assertion), so a phrase keeps to the union.
            if field == f.body && field_terms.len() == 1 {
                parts.in_body = Some(query);
            } else {
                parts.matching.push(query);
            }
        }
        Some(parts)
    }
}

/// The clauses of one word or phrase of a query, by what they do.
struct AtomParts {
    /// The word in the stemmed body, when searched there (not for a phrase).
    in_body: Option<Box<dyn Query>>,
    /// The other fields where the word (phrase) itself is searched.
    matching: Vec<Box<dyn Query>>,
    /// The words of a phrase in fields without positions: they only add to the score.
    scoring: Vec<Box<dyn Query>>,
}

impl AtomParts {
    /// What the query of [`AtomParts::query_with`] matches, without the clauses that only add
    /// to the score: the body clause (or one of `body_variants`), else one of the matching
    /// clauses.
    fn matcher(&self, body_variants: Option<&[Box<dyn Query>]>) -> Option<Box<dyn Query>> {
        let alternatives: Vec<Box<dyn Query>> = match &self.in_body {
            Some(body) => std::iter::once(body)
                .chain(body_variants.into_iter().flatten())
                .map(|q| q.box_clone())
                .collect(),
            None => self.matching.iter().map(|q| q.box_clone()).collect(),
        };
        match alternatives.len() {
            0 => None,
            1 => alternatives.into_iter().next(),
            _ => Some(Box::new(BooleanQuery::union(alternatives))),
        }
    }

    /// The query: an article must match the word in the stemmed body, or without a body
    /// clause in one of the matching fields; the other clauses add to its score.
    ///
    /// The body field indexes the title with the body, with the analyzer of the title field,
    /// and the exact-form fields and the lead hold the same text unstemmed or cut: an article
    /// matching the word in any field matches it in the stemmed body. So the body match alone
    /// decides, a conjunction of plain term queries over a query's words, which tantivy
    /// intersects far faster than unions of five fields; the scores are the same sums.
    fn query(self) -> Option<Box<dyn Query>> {
        self.query_with(None, Vec::new())
    }

    /// [`AtomParts::query`] with spelling variants: `body_variants` may match instead of the
    /// body clause, `other_variants` add to the score.
    fn query_with(
        self,
        body_variants: Option<Vec<Box<dyn Query>>>,
        other_variants: Vec<Box<dyn Query>>,
    ) -> Option<Box<dyn Query>> {
        let should = |list: Vec<Box<dyn Query>>| list.into_iter().map(|q| (Occur::Should, q));
        let required: Box<dyn Query> = match (self.in_body, body_variants) {
            (Some(body), None) => body,
            (Some(body), Some(mut variants)) => {
                variants.insert(0, body);
                Box::new(BooleanQuery::union(variants))
            }
            (None, _) if self.matching.is_empty() => return None,
            (None, _) => {
                let matching: Box<dyn Query> =
                    Box::new(BooleanQuery::new(should(self.matching).collect()));
                let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                    should(self.scoring).chain(should(other_variants)).collect();
                if clauses.is_empty() {
                    return Some(matching);
                }
                clauses.push((Occur::Must, matching));
                return Some(Box::new(BooleanQuery::new(clauses)));
            }
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = should(self.matching)
            .chain(should(self.scoring))
            .chain(should(other_variants))
            .collect();
        if clauses.is_empty() {
            return Some(required);
        }
        clauses.push((Occur::Must, required));
        Some(Box::new(BooleanQuery::new(clauses)))
    }
}

fn term_query(field: Field, text: &str, ranking: &Ranking) -> Box<dyn Query> {
    scored_term(Term::from_field_text(field, text), ranking.bm25)
}

/// A term query scored by tantivy's BM25, or by ours with other parameters.
fn scored_term(term: Term, bm25: Option<Bm25Params>) -> Box<dyn Query> {
    match bm25 {
        None => Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
        Some(params) => Box::new(Bm25TermQuery::new(term, params)),
    }
}

/// The same scoring context with scoring turned off, for clauses that only match.
fn unscored(enable_scoring: EnableScoring<'_>) -> EnableScoring<'_> {
    match enable_scoring {
        EnableScoring::Enabled { searcher, .. } => EnableScoring::disabled_from_searcher(searcher),
        disabled => disabled,
    }
}

fn boost(query: Box<dyn Query>, weight: f32) -> Box<dyn Query> {
    if (weight - 1.0).abs() < f32::EPSILON {
        query
    } else {
        Box::new(BoostQuery::new(query, weight))
    }
}

/// The ways a normalized word may be a fused compound: after a name-forming first word
/// (`عبد`, `ابو`, `ابن`: عبدالله, ابوظبي) or before an inner article (`ال`: ديرالزور), each part
/// long enough to be a word of its own (the first three letters or more besides an article of
/// its own, the second an article
/// and three letters or more, so that a feminine ending -اليه is not taken for one). A
/// word-initial article or a short proclitic (بال, وال) never splits.
fn compound_splits(word: &str) -> Vec<(&str, &str)> {
    let mut splits: Vec<(&str, &str)> = Vec::new();
    for prefix in ["عبد", "ابو", "ابن"] {
        if let Some(rest) = word.strip_prefix(prefix) {
            if rest.chars().count() >= 3 {
                splits.push((prefix, rest));
            }
        }
    }
    for (at, _) in word.match_indices("ال") {
        let (first, second) = word.split_at(at);
        let first_letters = first.strip_prefix("ال").unwrap_or(first).chars().count();
        if first_letters >= 3 && second.chars().count() >= 5 && !splits.contains(&(first, second)) {
            splits.push((first, second));
        }
    }
    splits
}

/// The stem of an imperfect verb without its prefix ي (third person: `يكشف` → `كشف`,
/// `يتزوج` → `تزوج`), when at least three letters remain: the perfect of the same verb for the
/// simple and derived forms whose imperfect adds only the prefix (I with a short vowel, V, VI),
/// and the stem of the same letters otherwise. Only the prefix ي: nouns beginning with it are
/// few, where ت and ن begin many verbal nouns (تقرير, نشر).
fn imperfect_stem(stem: &str) -> Option<&str> {
    let rest = stem.strip_prefix('ي')?;
    (rest.chars().count() >= 3).then_some(rest)
}

/// `YYYY-MM-DD`.
pub fn format_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Parses a `YYYY-MM-DD` date as given on the command line.
pub fn parse_cli_date(text: &str) -> Result<Date> {
    crate::ingest::date::parse_date(text.trim())
        .ok_or_else(|| crate::error::Error::InvalidDate(text.to_string()))
}

#[cfg(test)]
mod ranking_tests {
    use super::{imperfect_stem, ProximityPairs, Ranking, SearchRequest};
    use crate::{Archive, Article};

    fn archive(articles: &[(&str, &str)]) -> Archive {
        let archive = Archive::in_memory().unwrap();
        let mut writer = archive.writer(50_000_000, 1).unwrap();
        for (id, body) in articles {
            writer
                .upsert(&Article {
                    id: id.to_string(),
                    title: "عنوان".into(),
                    body: body.to_string(),
                    ..Article::default()
                })
                .unwrap();
        }
        writer.commit().unwrap();
        archive
    }

    /// (id, score) of every hit.
    fn hits(archive: &Archive, query: &str, ranking: Ranking) -> Vec<(String, f32)> {
        let mut request = SearchRequest::new(query);
        request.ranking = ranking;
        let results = archive.search(&request).unwrap();
        results.hits.into_iter().map(|h| (h.id, h.score)).collect()
    }

    #[test]
    fn a_common_word_still_fills_the_page_when_the_rarer_ones_are_too_few() {
        // تونس is in every article, قطار in one: the pool comes from the rarer word, and
        // the common one brings the rest of the page when that is too few.
        let mut articles: Vec<(String, String)> = (0..14)
            .map(|i| (format!("t{i}"), format!("أخبار تونس اليوم رقم {i}")))
            .collect();
        articles.push(("train".into(), "قطار جديد في تونس".into()));
        let refs: Vec<(&str, &str)> = articles
            .iter()
            .map(|(id, body)| (id.as_str(), body.as_str()))
            .collect();
        let archive = archive(&refs);
        let found = hits(&archive, "قطار تونس", Ranking::default());
        assert_eq!(found.len(), 10);
        assert_eq!(found[0].0, "train");
    }

    #[test]
    fn imperfect_stems_lose_their_prefix_only_when_three_letters_remain() {
        assert_eq!(imperfect_stem("يكشف"), Some("كشف"));
        assert_eq!(imperfect_stem("يتزوج"), Some("تزوج"));
        assert_eq!(imperfect_stem("يوم"), None);
        assert_eq!(imperfect_stem("كشف"), None);
    }

    #[test]
    fn an_imperfect_verb_finds_its_perfect() {
        let archive = archive(&[("a", "كشف الوزير عن خطة"), ("b", "سماء زرقاء")]);
        let ids = |ranking| -> Vec<String> {
            hits(&archive, "يكشف", ranking)
                .into_iter()
                .map(|(id, _)| id)
                .collect()
        };
        assert_eq!(ids(Ranking::default()), vec!["a"]);
        let without = Ranking {
            imperfect_prefix: false,
            ..Ranking::default()
        };
        assert!(ids(without).is_empty());
    }

    #[test]
    fn every_pair_of_words_earns_the_proximity_bonus_in_any_order() {
        // Same words, same lengths; only "a" has two query words (مدينة, قطار) side by side,
        // and they are not consecutive in the query.
        let archive = archive(&[
            ("a", "مدينة قطار سماء بحر جبل نهر شجر محطة"),
            ("b", "قطار سماء بحر جبل نهر مدينة شجر محطة"),
        ]);
        let scores = |pairs| {
            let ranking = Ranking {
                proximity_pairs: pairs,
                ..Ranking::default()
            };
            let found = hits(&archive, "قطار محطة مدينة", ranking);
            let score = |id: &str| found.iter().find(|(i, _)| i == id).unwrap().1;
            (score("a"), score("b"))
        };
        let (a, b) = scores(ProximityPairs::Consecutive);
        assert!((a - b).abs() < 1e-4, "{a} {b}");
        let (a, b) = scores(ProximityPairs::AllScaled);
        assert!(a > b + 1e-3, "{a} {b}");
    }

    #[test]
    fn a_much_better_partial_match_outranks_a_weak_full_match_unless_tiered() {
        // "full" has every word of the query once in a long text; "partial" lacks the common
        // word تونس but repeats the two rare ones in a short text.
        let filler = "سماء بحر جبل نهر شجر ".repeat(20);
        let full = format!("قطار {filler} محطة {filler} تونس");
        let mut articles: Vec<(String, String)> = vec![
            ("full".into(), full),
            ("partial".into(), "قطار محطة قطار محطة".into()),
        ];
        for i in 0..6 {
            articles.push((format!("common{i}"), format!("تونس {filler}")));
        }
        let refs: Vec<(&str, &str)> = articles
            .iter()
            .map(|(id, body)| (id.as_str(), body.as_str()))
            .collect();
        let archive = archive(&refs);
        let first = |ranking| hits(&archive, "قطار محطة تونس", ranking)[0].0.clone();
        assert_eq!(first(Ranking::default()), "partial");
        let tiered = Ranking {
            soft_coordination: None,
            ..Ranking::default()
        };
        assert_eq!(first(tiered), "full");
    }
}
