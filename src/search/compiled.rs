//! A query compiled for one archive ([`Compiled`]): its clauses by role (required, optional,
//! excluded, bonus, filters), and the tantivy queries each tier of [`super::run`] builds from
//! them — the full query, the matcher that counts, the partial tier's flat disjunction and its
//! candidate pools.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use tantivy::index::SegmentId;
use tantivy::query::{
    AllQuery, Bm25StatisticsProvider, BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, Searcher, Term};

use super::bm25::Bm25Params;
use super::clauses::{boost, scored_term};
use super::forward::ForwardQuery;
use super::partial::{Bonus, PartialMatchQuery};
use super::proximity::SpellingsPhraseQuery;
use super::snippet::MatchTerms;
use super::stats::{CachedStatistics, TermInfos};
use super::union::ScoringUnionQuery;
use crate::error::Result;
use crate::index::Fields;

/// Words in more than one article in this many bring no candidates to the partial tier's
/// pool when the query has rarer words that bring enough to fill the page (see
/// `Compiled::candidates_query`). On the dev collections (`fahras eval`, depth 100): arcd
/// nDCG@10 0.8289 → 0.8287, Recall@100 0.9735 → 0.9728; news-titles unchanged. Search p50 on
/// the 31.5k-article archive about 0.1 ms less (docs/performance.md).
const POOL_COMMON_SHARE: u64 = 10;

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
pub(super) struct Compiled {
    /// Clauses every hit must match.
    pub(super) required: Vec<Box<dyn Query>>,
    /// What each required clause matches, without the clauses that only score: a query
    /// with these and the restrictions matches exactly the articles the full query does,
    /// and has far fewer posting lists to open.
    pub(super) matchers: Vec<Box<dyn Query>>,
    /// Every (field term, weight) of the relaxed required and the optional clauses: the
    /// partial-match query as one flat disjunction of terms, which tantivy can search with
    /// block-max WAND, skipping most articles.
    pub(super) flat_terms: Vec<(Term, f32)>,
    /// The required clause each of `flat_terms` belongs to.
    pub(super) flat_clauses: Vec<usize>,
    /// For each of `flat_terms`: whether it is a spelling of its clause's one word, scored
    /// with the clause's other spellings in its field as one term by the partial tier.
    pub(super) flat_spelled: Vec<bool>,
    /// Exponent of the soft coordination factor (0: none).
    pub(super) soft_coordination: f32,
    /// The same for the optional (stopword) clauses: they only add to the score of articles
    /// found by the others, so that the search never walks their long posting lists.
    pub(super) flat_optional_terms: Vec<(Term, f32)>,
    /// BM25 parameters of term queries.
    pub(super) bm25: Option<Bm25Params>,
    /// Clauses that add to the score (stopwords when other words are present).
    pub(super) optional: Vec<Box<dyn Query>>,
    /// Clauses no hit may match.
    pub(super) excluded: Vec<Box<dyn Query>>,
    /// Bonus clauses that only add to the score of articles matched by the others.
    pub(super) bonus: Vec<Bonus>,
    /// Filters (date, source, category), scoring nothing.
    pub(super) filters: Vec<Box<dyn Query>>,
    /// Words to highlight.
    pub(super) terms: MatchTerms,
    /// The spelling variants added, by query word.
    pub(super) expansions: BTreeMap<String, Vec<String>>,
    /// Body terms of spelling variants less used than the word typed. They score, but do not
    /// bring candidates to the partial tier: an article with a rarer spelling of one word
    /// and the others is found by the others, and each term costs the pool's search.
    pub(super) unpooled: Vec<Term>,
    /// The search's term infos, for the term queries built from these clauses.
    pub(super) term_infos: Arc<TermInfos>,
}

impl Compiled {
    pub(super) fn full_query(&self) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for q in &self.required {
            clauses.push((Occur::Must, q.box_clone()));
        }
        if self.required.is_empty() {
            for q in &self.optional {
                clauses.push((Occur::Must, q.box_clone()));
            }
        } else {
            // The stopwords and the proximity bonus only add to the score of the articles
            // with every word: one union asked about those alone (see `union`).
            let scoring: Vec<Box<dyn Query>> = self
                .optional
                .iter()
                .map(|q| q.box_clone())
                .chain(self.bonus_clauses().map(|(_, q)| q))
                .collect();
            if !scoring.is_empty() {
                clauses.push((Occur::Should, Box::new(ScoringUnionQuery::new(scoring))));
            }
        }
        self.add_restrictions(&mut clauses);
        Box::new(BooleanQuery::new(clauses))
    }

    /// The articles [`Compiled::full_query`] matches, when there are required clauses; for
    /// counting them without opening the posting lists that only score.
    pub(super) fn matcher_query(&self) -> Option<Box<dyn Query>> {
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
    pub(super) fn any_query(&self) -> Box<dyn Query> {
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
            let phrase: Box<dyn Query> = if b.has_spellings() {
                Box::new(SpellingsPhraseQuery::new(
                    b.clone(),
                    Some(Arc::clone(&self.term_infos)),
                ))
            } else {
                Box::new(ForwardQuery::scored(Box::new(b.phrase())))
            };
            (Occur::Should, boost(phrase, b.weight))
        })
    }

    /// Articles matching some but not all required clauses, best first: every word of the
    /// query (a phrase by its words) as a weighted term in every field it searches, plus the
    /// stopwords and the proximity bonus. `page` holds the articles matching all of them.
    pub(super) fn partial_query(
        &self,
        searcher: &Searcher,
        stats: &CachedStatistics<'_>,
        page: &[DocAddress],
        candidates: Option<&[DocAddress]>,
    ) -> PartialMatchQuery {
        PartialMatchQuery {
            matching: self.flat_terms.clone(),
            clauses: self.flat_clauses.clone(),
            spelled: self.flat_spelled.clone(),
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
    pub(super) fn candidates_queries(
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
    pub(super) fn coordination_query(
        &self,
        at_least: Option<usize>,
        below: Option<usize>,
    ) -> Box<dyn Query> {
        let terms = |list: &[(Term, f32)]| -> Vec<(Occur, Box<dyn Query>)> {
            list.iter()
                .map(|(term, weight)| {
                    (
                        Occur::Should,
                        boost(
                            scored_term(term.clone(), self.bm25, Some(&self.term_infos)),
                            *weight,
                        ),
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

    pub(super) fn is_empty(&self) -> bool {
        self.required.is_empty() && self.optional.is_empty() && self.excluded.is_empty()
    }
}
