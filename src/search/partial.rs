//! The partial-match tier: articles sharing some words with the query, best first, found
//! without scoring every article that shares one word.
//!
//! A headline or a question rarely has ten articles containing all its words, so most searches
//! fill the page with articles matching only some of them. Those articles are the union of
//! the posting lists of every query word in every field (stemmed and exact title and body, the
//! lead), which for a question of eight words covers much of the archive. Scoring the whole
//! union cost four fifths of a search's time.
//!
//! [`PartialMatchQuery`] finds the same top articles with MaxScore pruning (Turtle & Flood,
//! 1995): every term has an upper bound of its score, `idf × (k1 + 1) × weight`. Once `k`
//! articles are collected, the terms whose bounds together (with the bounds of the scoring-only
//! clauses) cannot beat the `k`-th best score are *non-essential*: an article matching only
//! those cannot enter the top `k`, so candidates come from the posting lists of the other terms
//! alone, and the non-essential ones are only looked up (skip lists) for those candidates, and
//! not even then when the candidate can no longer make it. The common words of a query, with
//! their long posting lists and low idf, are the first to become non-essential.
//!
//! ```text
//! matching terms ──► candidates from essential terms ──► + non-essential terms (seek) ──►
//!   skip (already on the page), excluded words, filters ──► + stopword terms, proximity bonus
//!   ──► top k
//! ```
//!
//! The scores are the sums a `BooleanQuery` of the same clauses would give; only the order of
//! addition differs, and the spellings of one query word in one field, which score as one
//! term (their frequencies summed and saturated once, [`Spelled`]) where an article writes
//! the word more than one way.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::SegmentId;
use tantivy::query::{Bm25Weight, EnableScoring, Explanation, PhraseQuery, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use super::bm25::{Bm25Params, Bm25Scorer, Bm25TermQuery, Bm25TermWeight};
use super::forward::unscored;
use super::proximity::{pair_score, Group};
use super::stats::TermInfos;

/// Two words close together (`second` at most `slop` positions away from right after
/// `first`, in either order), a sloppy phrase that adds to the score of articles found by the
/// other clauses.
#[derive(Clone, Debug)]
pub(crate) struct Bonus {
    pub first: Term,
    pub second: Term,
    /// The other spellings of each word that the search adds (their stems in the same field):
    /// an article writing a word one of these ways holds it as much as one writing it as
    /// typed, and earns the same bonus ([`super::proximity`]).
    pub first_spellings: Vec<Term>,
    pub second_spellings: Vec<Term>,
    /// What the bonus weighs where a word is there only in another spelling, against 1 as
    /// typed (the variant weight).
    pub spelling_weight: f32,
    pub slop: u32,
    pub weight: f32,
}

impl Bonus {
    /// The first word and its spellings, the word first.
    pub fn first_group(&self) -> Vec<Term> {
        std::iter::once(&self.first)
            .chain(&self.first_spellings)
            .cloned()
            .collect()
    }

    /// The second word and its spellings, the word first.
    pub fn second_group(&self) -> Vec<Term> {
        std::iter::once(&self.second)
            .chain(&self.second_spellings)
            .cloned()
            .collect()
    }

    /// Whether either word has other spellings.
    pub fn has_spellings(&self) -> bool {
        !(self.first_spellings.is_empty() && self.second_spellings.is_empty())
    }

    /// The bonus as tantivy's phrase query (scored like it here).
    pub fn phrase(&self) -> PhraseQuery {
        PhraseQuery::new_with_offset_and_slop(
            vec![(0, self.first.clone()), (1, self.second.clone())],
            self.slop,
        )
    }
}

/// Articles matching any of `matching`, scored by all the clauses, minus the excluded ones.
#[derive(Debug)]
pub(crate) struct PartialMatchQuery {
    /// Weighted field terms; an article must contain at least one.
    pub matching: Vec<(Term, f32)>,
    /// The query clause (word) of each of `matching`, for the coordination factor.
    pub clauses: Vec<usize>,
    /// For each of `matching` (when given): whether it is a spelling of its clause's one
    /// word. The spellings of one word in one field score as one term ([`Spelled`]).
    pub spelled: Vec<bool>,
    /// How many clauses the query has.
    pub clause_count: usize,
    /// Exponent of the coordination factor (clauses matched / clauses)^e multiplying the
    /// score; 0: none.
    pub coordination: f32,
    /// Weighted field terms that only add to the score (stopwords).
    pub scoring: Vec<(Term, f32)>,
    /// Phrases that only add to the score.
    pub bonus: Vec<Bonus>,
    /// BM25 parameters of the terms.
    pub params: Bm25Params,
    /// Articles never returned, by segment, sorted: those already on the page.
    pub skip: HashMap<SegmentId, Vec<DocId>>,
    /// When given, only these articles (by segment, sorted) are scored, instead of every
    /// article matching a term.
    pub candidates: Option<HashMap<SegmentId, Vec<DocId>>>,
    /// No article matching one of these is returned.
    pub excluded: Vec<Box<dyn Query>>,
    /// Every article returned matches all of these; they score nothing.
    pub filters: Vec<Box<dyn Query>>,
    /// The search's term infos, shared with its statistics (see [`TermInfos`]).
    pub term_infos: Option<Arc<TermInfos>>,
}

impl Clone for PartialMatchQuery {
    fn clone(&self) -> Self {
        let boxed = |list: &[Box<dyn Query>]| list.iter().map(|q| q.box_clone()).collect();
        PartialMatchQuery {
            matching: self.matching.clone(),
            clauses: self.clauses.clone(),
            spelled: self.spelled.clone(),
            clause_count: self.clause_count,
            coordination: self.coordination,
            scoring: self.scoring.clone(),
            bonus: self.bonus.clone(),
            params: self.params,
            skip: self.skip.clone(),
            candidates: self.candidates.clone(),
            excluded: boxed(&self.excluded),
            filters: boxed(&self.filters),
            term_infos: self.term_infos.clone(),
        }
    }
}

impl Query for PartialMatchQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let terms = |list: &[(Term, f32)]| -> tantivy::Result<Vec<(Bm25TermWeight, f32)>> {
            list.iter()
                .map(|(term, weight)| {
                    let mut query = Bm25TermQuery::new(term.clone(), self.params);
                    if let Some(infos) = &self.term_infos {
                        query = query.with_term_infos(Arc::clone(infos));
                    }
                    Ok((query.term_weight(enable_scoring)?, *weight))
                })
                .collect()
        };
        let matching = terms(&self.matching)?;
        // A phrase matches only where its words do, so its bound is carried by one of its
        // words' terms (the one with the highest bound, which is least likely to become
        // non-essential): an article without that term cannot get the bonus.
        let mut carried = vec![0.0; matching.len()];
        let mut pairs = Vec::with_capacity(self.bonus.len());
        let mut words: Vec<Vec<Term>> = Vec::new();
        let mut uncarried = 0.0;
        for b in &self.bonus {
            let phrase_terms = [b.first.clone(), b.second.clone()];
            let similarity = match enable_scoring {
                EnableScoring::Enabled {
                    statistics_provider,
                    ..
                } => Some(Bm25Weight::for_terms(statistics_provider, &phrase_terms)?),
                EnableScoring::Disabled { .. } => None,
            };
            // Without scoring a phrase scores 1.
            let bound = similarity.as_ref().map_or(1.0, Bm25Weight::max_score) * b.weight;
            let (first, second) = (b.first_group(), b.second_group());
            // An article earns the bonus only where it holds a spelling of each word: the
            // bound is carried by every spelling of one of them (of the word whose spellings'
            // lowest bound is the highest), each spelling by its matching term with the
            // highest bound.
            let carriers = |group: &[Term]| -> Option<(Score, Vec<usize>)> {
                let mut lowest = Score::INFINITY;
                let mut found = Vec::with_capacity(group.len());
                for term in group {
                    let (i, best) = self
                        .matching
                        .iter()
                        .zip(&matching)
                        .enumerate()
                        .filter(|(_, ((t, _), _))| t == term)
                        .map(|(i, (_, (w, boost)))| (i, w.max_score(*boost)))
                        .max_by(|a, b| a.1.total_cmp(&b.1))?;
                    lowest = lowest.min(best);
                    found.push(i);
                }
                Some((lowest, found))
            };
            let carrier = match (carriers(&first), carriers(&second)) {
                (Some(a), Some(b)) => Some(if b.0 > a.0 { b.1 } else { a.1 }),
                (a, b) => a.or(b).map(|(_, found)| found),
            };
            match carrier {
                Some(found) => {
                    for i in found {
                        carried[i] += bound;
                    }
                }
                None => uncarried += bound,
            }
            let mut word = |group: Vec<Term>| match words.iter().position(|w| *w == group) {
                Some(i) => i,
                None => {
                    words.push(group);
                    words.len() - 1
                }
            };
            pairs.push(PairWeight {
                first: word(first),
                second: word(second),
                slop: b.slop,
                spelling_weight: b.spelling_weight,
                similarity: similarity.map(|s| s.boost_by(b.weight)),
            });
        }
        let weights = |list: &[Box<dyn Query>]| -> tantivy::Result<Vec<Box<dyn Weight>>> {
            list.iter()
                .map(|q| q.weight(unscored(enable_scoring)))
                .collect()
        };
        let groups = self.spelling_groups();
        let mut matching: Vec<(Bm25TermWeight, f32, Score, usize, Option<u32>)> = matching
            .into_iter()
            .zip(carried)
            .enumerate()
            .map(|(i, ((w, b), c))| {
                let clause = self.clauses.get(i).copied().unwrap_or(0);
                (w, b, c, clause, groups[i])
            })
            .collect();
        // By ascending bound, the order the MaxScore loop wants; sorted here, once, rather
        // than every segment's scorers, which are large to move.
        matching.sort_by(|(a, ab, ac, _, _), (b, bb, bc, _, _)| {
            (a.max_score(*ab) + ac).total_cmp(&(b.max_score(*bb) + bc))
        });
        Ok(Box::new(PartialMatchWeight {
            matching,
            coordination: Coordination::new(self.coordination, self.clause_count),
            uncarried,
            scoring: terms(&self.scoring)?,
            proximity: ProximityWeight {
                words,
                pairs,
                term_infos: self.term_infos.clone(),
            },
            skip: self.skip.clone(),
            candidates: self.candidates.clone(),
            excluded: weights(&self.excluded)?,
            filters: weights(&self.filters)?,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (term, _) in self.matching.iter().chain(&self.scoring) {
            visitor(term, false);
        }
        for b in &self.bonus {
            for term in std::iter::once(&b.first)
                .chain(&b.first_spellings)
                .chain(std::iter::once(&b.second))
                .chain(&b.second_spellings)
            {
                visitor(term, true);
            }
        }
    }
}

impl PartialMatchQuery {
    /// For each of `matching`, the group of spellings it scores in as one term (the same
    /// clause's spellings in the same field), `None` when it is alone in its group.
    fn spelling_groups(&self) -> Vec<Option<u32>> {
        let key = |i: usize| -> Option<(usize, tantivy::schema::Field)> {
            self.spelled.get(i).copied().unwrap_or(false).then(|| {
                (
                    self.clauses.get(i).copied().unwrap_or(0),
                    self.matching[i].0.field(),
                )
            })
        };
        let keys: Vec<_> = (0..self.matching.len()).map(key).collect();
        let mut groups = vec![None; keys.len()];
        let mut seen: Vec<(usize, tantivy::schema::Field)> = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            let Some(k) = k else { continue };
            if keys.iter().filter(|o| o.as_ref() == Some(k)).count() < 2 {
                continue;
            }
            let id = match seen.iter().position(|s| s == k) {
                Some(id) => id,
                None => {
                    seen.push(*k);
                    seen.len() - 1
                }
            };
            groups[i] = Some(id as u32);
        }
        groups
    }
}

struct PartialMatchWeight {
    /// (weight, boost, bound of the bonus carried by the term, its clause, its group of
    /// spellings), by ascending bound.
    matching: Vec<(Bm25TermWeight, f32, Score, usize, Option<u32>)>,
    coordination: Coordination,
    /// Bound of the bonus carried by no term.
    uncarried: Score,
    scoring: Vec<(Bm25TermWeight, f32)>,
    proximity: ProximityWeight,
    skip: HashMap<SegmentId, Vec<DocId>>,
    candidates: Option<HashMap<SegmentId, Vec<DocId>>>,
    excluded: Vec<Box<dyn Weight>>,
    filters: Vec<Box<dyn Weight>>,
}

/// The coordination factor: (clauses matched / clauses)^exponent.
#[derive(Clone, Copy, Debug)]
struct Coordination {
    exponent: f32,
    clauses: usize,
}

impl Coordination {
    /// Clauses are counted in a 64-bit set: a query of more clauses gets no factor.
    fn new(exponent: f32, clauses: usize) -> Coordination {
        let exponent = if clauses > 64 { 0.0 } else { exponent };
        Coordination { exponent, clauses }
    }

    fn bit(clause: usize) -> u64 {
        1u64.checked_shl(clause as u32).unwrap_or(0)
    }

    fn factor(&self, matched: u64) -> Score {
        if self.exponent <= 0.0 || self.clauses == 0 {
            return 1.0;
        }
        (matched.count_ones() as f32 / self.clauses as f32).powf(self.exponent)
    }
}

/// Moves `docset` to `doc` unless it is already there or past it, and says whether it is there.
fn on_doc<D: DocSet + ?Sized>(docset: &mut D, doc: DocId) -> bool {
    if docset.doc() < doc {
        docset.seek(doc);
    }
    docset.doc() == doc
}

impl PartialMatchWeight {
    fn term_scorers(
        list: &[(Bm25TermWeight, f32)],
        reader: &SegmentReader,
    ) -> tantivy::Result<Vec<Bm25Scorer>> {
        let mut scorers = Vec::with_capacity(list.len());
        for (weight, boost) in list {
            if let Some(scorer) = weight.term_scorer(reader, *boost)? {
                scorers.push(scorer);
            }
        }
        Ok(scorers)
    }

    /// The scorers of one segment.
    fn segment(&self, reader: &SegmentReader) -> tantivy::Result<SegmentScorers<'_>> {
        let mut terms = Vec::with_capacity(self.matching.len());
        let mut groups = Vec::with_capacity(self.matching.len());
        for (weight, boost, carried, clause, group) in &self.matching {
            if let Some(scorer) = weight.term_scorer(reader, *boost)? {
                let bound = scorer.max_score() + carried;
                terms.push((scorer, bound, *carried, *clause));
                groups.push(*group);
            }
        }
        debug_assert!(terms.is_sorted_by(|a, b| a.1 <= b.1));
        let scoring = Self::term_scorers(&self.scoring, reader)?;
        // bounds[i]: the most the terms below i (with the bonus they carry) and the
        // scoring-only clauses can add.
        let mut bounds = Vec::with_capacity(terms.len() + 1);
        bounds.push(self.uncarried + scoring.iter().map(Bm25Scorer::max_score).sum::<Score>());
        for (_, bound, _, _) in &terms {
            bounds.push(bounds[bounds.len() - 1] + bound);
        }
        let scorers = |weights: &[Box<dyn Weight>], boost: &dyn Fn(usize) -> f32| {
            weights
                .iter()
                .enumerate()
                .map(|(i, w)| w.scorer(reader, boost(i)))
                .collect::<tantivy::Result<Vec<_>>>()
        };
        Ok(SegmentScorers {
            terms,
            groups,
            spelled: Spelled::default(),
            bounds,
            coordination: self.coordination,
            scoring,
            proximity: self.proximity.segment(reader)?,
            excluded: scorers(&self.excluded, &|_| 1.0)?,
            filters: scorers(&self.filters, &|_| 1.0)?,
            skip: self
                .skip
                .get(&reader.segment_id())
                .map(Vec::as_slice)
                .unwrap_or(&[]),
            skip_at: 0,
        })
    }
}

/// The scorers of a [`PartialMatchWeight`] in one segment.
struct SegmentScorers<'w> {
    /// The matching terms, by ascending bound: (scorer, bound of its score and of the bonus
    /// it carries, bound of that bonus, its clause).
    terms: Vec<(Bm25Scorer, Score, Score, usize)>,
    /// The group of spellings of each of `terms`.
    groups: Vec<Option<u32>>,
    /// The grouped terms on the document scored.
    spelled: Spelled,
    coordination: Coordination,
    /// `bounds[i]`: the most the terms below `i` and the scoring-only clauses can add.
    bounds: Vec<Score>,
    scoring: Vec<Bm25Scorer>,
    proximity: Proximity<'w>,
    excluded: Vec<Box<dyn Scorer>>,
    filters: Vec<Box<dyn Scorer>>,
    /// Sorted documents never returned, and the first not below the current document.
    skip: &'w [DocId],
    skip_at: usize,
}

impl SegmentScorers<'_> {
    /// Whether `doc` may be returned: not skipped, not excluded, through every filter.
    /// Documents must come in increasing order.
    fn admits(&mut self, doc: DocId) -> bool {
        while self.skip_at < self.skip.len() && self.skip[self.skip_at] < doc {
            self.skip_at += 1;
        }
        if self.skip.get(self.skip_at) == Some(&doc) {
            return false;
        }
        !self.excluded.iter_mut().any(|s| on_doc(s.as_mut(), doc))
            && self.filters.iter_mut().all(|s| on_doc(s.as_mut(), doc))
    }

    /// What the scoring-only clauses add to `doc`.
    fn extra_score(&mut self, doc: DocId) -> Score {
        let mut score = 0.0;
        for term in &mut self.scoring {
            if on_doc(term, doc) {
                score += term.score();
            }
        }
        score + self.proximity.score(doc)
    }

    /// The MaxScore loop: calls `callback` with every article scoring above the threshold,
    /// which the callback raises as it collects.
    fn run(&mut self, mut threshold: Score, callback: &mut dyn FnMut(DocId, Score) -> Score) {
        let n = self.terms.len();
        // Terms below `essential` are non-essential: together they cannot beat the threshold.
        let mut essential = 0;
        while essential < n && self.bounds[essential + 1] <= threshold {
            essential += 1;
        }
        'candidates: while essential < n {
            let doc = self.terms[essential..]
                .iter()
                .map(|(term, _, _, _)| term.doc())
                .min()
                .unwrap_or(TERMINATED);
            if doc == TERMINATED {
                break;
            }
            let mut score: Score = 0.0;
            // The bonus the matched terms carry: not in `score` until the bonus is scored.
            let mut carried: Score = 0.0;
            let mut clauses: u64 = 0;
            self.spelled.clear();
            for (i, (term, _, bonus, clause)) in self.terms.iter_mut().enumerate().skip(essential) {
                if term.doc() == doc {
                    score += self.spelled.score(term, self.groups[i]);
                    carried += *bonus;
                    clauses |= Coordination::bit(*clause);
                    term.advance();
                }
            }
            for i in (0..essential).rev() {
                // (The sum of the grouped terms' own scores is above their one term's:
                // still a bound.)
                if score + carried + self.bounds[i + 1] <= threshold {
                    continue 'candidates;
                }
                let (term, _, bonus, clause) = &mut self.terms[i];
                if on_doc(term, doc) {
                    score += self.spelled.score(term, self.groups[i]);
                    carried += *bonus;
                    clauses |= Coordination::bit(*clause);
                }
            }
            score -= self.spelled.excess();
            if score + carried + self.bounds[0] <= threshold || !self.admits(doc) {
                continue;
            }
            // The factor is at most 1, so the bounds above stay bounds.
            score = (score + self.extra_score(doc)) * self.coordination.factor(clauses);
            if score > threshold {
                threshold = callback(doc, score);
                while essential < n && self.bounds[essential + 1] <= threshold {
                    essential += 1;
                }
            }
        }
    }

    /// Scores the given documents (sorted) only, calling `callback` with those that match.
    fn rescore(&mut self, docs: &[DocId], callback: &mut dyn FnMut(DocId, Score) -> Score) {
        let mut threshold = Score::MIN;
        for &doc in docs {
            let mut score: Score = 0.0;
            let mut matched = false;
            let mut clauses: u64 = 0;
            self.spelled.clear();
            for (i, (term, _, _, clause)) in self.terms.iter_mut().enumerate() {
                if on_doc(term, doc) {
                    score += self.spelled.score(term, self.groups[i]);
                    matched = true;
                    clauses |= Coordination::bit(*clause);
                }
            }
            score -= self.spelled.excess();
            if !matched || !self.admits(doc) {
                continue;
            }
            score = (score + self.extra_score(doc)) * self.coordination.factor(clauses);
            if score > threshold {
                threshold = callback(doc, score);
            }
        }
    }
}

impl PartialMatchWeight {
    fn run(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let mut segment = self.segment(reader)?;
        match &self.candidates {
            None => segment.run(threshold, callback),
            Some(candidates) => {
                if let Some(docs) = candidates.get(&reader.segment_id()) {
                    segment.rescore(docs, callback);
                }
            }
        }
        Ok(())
    }
}

impl Weight for PartialMatchWeight {
    /// Every matching article with its score (no pruning), for uses other than top-k.
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut docs = Vec::new();
        self.run(Score::MIN, reader, &mut |doc, score| {
            docs.push((doc, score * boost));
            Score::MIN
        })?;
        Ok(Box::new(ListScorer { docs, at: 0 }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if !on_doc(scorer.as_mut(), doc) {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("partial match", scorer.score()))
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        self.run(threshold, reader, callback)
    }
}

/// The proximity bonus of word pairs, each scored as tantivy scores the sloppy phrase of the
/// two words (BM25 of the number of times they occur close together, with the idf of both),
/// but from one posting list with positions per word: a query of n words has up to n(n−1)/2
/// pairs, and a phrase query per pair would open two posting lists each.
struct ProximityWeight {
    /// The distinct words of the pairs, each with its other spellings (the word first).
    words: Vec<Vec<Term>>,
    pairs: Vec<PairWeight>,
    term_infos: Option<Arc<TermInfos>>,
}

struct PairWeight {
    /// Indices into `words`.
    first: usize,
    second: usize,
    slop: u32,
    /// What the bonus weighs where a word is there only in another spelling.
    spelling_weight: f32,
    /// BM25 of the pair, boosted by its weight; `None` without scoring (a match scores 1).
    similarity: Option<Bm25Weight>,
}

impl ProximityWeight {
    fn segment(&self, reader: &SegmentReader) -> tantivy::Result<Proximity<'_>> {
        let mut postings = Vec::with_capacity(self.words.len());
        let mut fieldnorms = Vec::with_capacity(self.words.len());
        for group in &self.words {
            postings.push(Group::open(reader, group, self.term_infos.as_deref())?);
            fieldnorms.push(reader.get_fieldnorms_reader(group[0].field())?);
        }
        Ok(Proximity {
            weight: self,
            postings,
            fieldnorms,
        })
    }
}

/// A [`ProximityWeight`] in one segment.
struct Proximity<'w> {
    weight: &'w ProximityWeight,
    /// Each word's posting lists, one per spelling the segment holds, with its positions in
    /// the document last asked about.
    postings: Vec<Group>,
    fieldnorms: Vec<FieldNormReader>,
}

impl Proximity<'_> {
    /// The bonus of `doc`.
    fn score(&mut self, doc: DocId) -> Score {
        let mut score = 0.0;
        for pair in &self.weight.pairs {
            let Some(first) = self.postings[pair.first].load(doc) else {
                continue;
            };
            let Some(second) = self.postings[pair.second].load(doc) else {
                continue;
            };
            // tantivy walks the rarer word's positions as the left side (its intersection
            // orders the words by posting-list length, first word first on a tie), each word's
            // positions moved to where the phrase would start the second word.
            let norm = self.fieldnorms[pair.first].fieldnorm_id(doc);
            score += pair_score(
                (&self.postings[pair.first], first),
                (&self.postings[pair.second], second),
                pair.slop,
                pair.spelling_weight,
                |count| {
                    pair.similarity
                        .as_ref()
                        .map_or(1.0, |similarity| similarity.score(norm, count))
                },
            );
        }
        score
    }
}

/// How many times two words occur within `slop` positions of each other, counted as tantivy
/// 0.27 counts the matches of a sloppy two-word phrase (so that the bonus scores the same as
/// the phrase query of the all-words tier): each side's positions moved by its shift, both
/// lists walked in order, and a pair within `slop` counted once, with the latest left position
/// not past the right one, after which both move on.
pub(super) fn close_pairs(left: (&[u32], u32), right: (&[u32], u32), slop: u32) -> u32 {
    let ((lefts, left_shift), (rights, right_shift)) = (left, right);
    let (mut i, mut j, mut count) = (0, 0, 0);
    while i < lefts.len() && j < rights.len() {
        let (left, right) = (lefts[i] + left_shift, rights[j] + right_shift);
        if left.abs_diff(right) <= slop {
            while i + 1 < lefts.len() && lefts[i + 1] + left_shift <= right {
                i += 1;
            }
            count += 1;
            i += 1;
            j += 1;
        } else if left < right {
            i += 1;
        } else {
            j += 1;
        }
    }
    count
}

/// The spellings of one word in one field, scored as one term (as Lucene's `SynonymQuery`
/// does, issue 13): an article writing the word two ways (تيلرسون 11 times, تليرسون once)
/// has the word as much as one writing it one way, and must not score each spelling's BM25
/// in full, saturated apart, nearly twice the word. The group's term frequency is the sum
/// of its spellings' (they share one IDF), saturated once, and weighs the spellings' weights
/// (the word's 1, a variant's less) averaged by their frequencies:
/// `Σ wᵢ tfᵢ / Σ tfᵢ × idf (k1 + 1) × T / (T + norm)`, `T = Σ tfᵢ`. An article with one
/// spelling scores exactly its term's score.
#[derive(Default)]
struct Spelled {
    /// (group, the term's weight, its frequency, its length norm, its own score) of the
    /// grouped terms on the document.
    found: Vec<(u32, Score, Score, Score, Score)>,
}

impl Spelled {
    fn clear(&mut self) {
        self.found.clear();
    }

    /// The score of `term` on its document, noted when it is in a group.
    fn score(&mut self, term: &mut Bm25Scorer, group: Option<u32>) -> Score {
        let own = term.score();
        if let Some(group) = group {
            let (weight, tf, norm) = term.parts();
            self.found.push((group, weight, tf, norm, own));
        }
        own
    }

    /// How much the grouped terms' own scores, summed, exceed their groups' scores.
    fn excess(&mut self) -> Score {
        if self.found.len() < 2 {
            return 0.0;
        }
        self.found.sort_by_key(|f| f.0);
        let mut excess = 0.0;
        for group in self.found.chunk_by(|a, b| a.0 == b.0) {
            if group.len() < 2 {
                continue;
            }
            let (mut own, mut tf, mut weighted) = (0.0, 0.0, 0.0);
            for &(_, weight, term_tf, _, score) in group {
                own += score;
                tf += term_tf;
                weighted += weight * term_tf;
            }
            // (Σ wᵢ tfᵢ / T) × T / (T + norm): the terms share the document's norm.
            let norm = group[0].3;
            excess += own - weighted / (tf + norm);
        }
        excess
    }
}

/// Scored documents from a list sorted by document.
struct ListScorer {
    docs: Vec<(DocId, Score)>,
    at: usize,
}

impl DocSet for ListScorer {
    fn advance(&mut self) -> DocId {
        self.at += 1;
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.docs.get(self.at).map_or(TERMINATED, |&(doc, _)| doc)
    }

    fn size_hint(&self) -> u32 {
        (self.docs.len() - self.at.min(self.docs.len())) as u32
    }
}

impl Scorer for ListScorer {
    fn score(&mut self) -> Score {
        self.docs.get(self.at).map_or(0.0, |&(_, score)| score)
    }
}

#[cfg(test)]
mod tests {
    use super::Spelled;

    #[test]
    fn spellings_of_one_word_in_one_field_score_as_one_term() {
        let mut spelled = Spelled::default();
        // (group, weight, tf, norm, own score = weight × tf / (tf + norm))
        let own = |w: f32, tf: f32, norm: f32| w * tf / (tf + norm);
        // One spelling of a group on the document: its own score.
        spelled.found.push((0, 2.0, 3.0, 1.0, own(2.0, 3.0, 1.0)));
        spelled.found.push((1, 2.0, 1.0, 1.0, own(2.0, 1.0, 1.0)));
        assert_eq!(spelled.excess(), 0.0);
        // Two of group 0: frequencies summed, saturated once, weights averaged by them.
        spelled.clear();
        spelled.found.push((0, 2.0, 3.0, 1.0, own(2.0, 3.0, 1.0)));
        spelled.found.push((1, 5.0, 1.0, 1.0, own(5.0, 1.0, 1.0)));
        spelled.found.push((0, 1.8, 1.0, 1.0, own(1.8, 1.0, 1.0)));
        let group = (2.0 * 3.0 + 1.8 * 1.0) / 4.0 * 4.0 / (4.0 + 1.0);
        let expected = own(2.0, 3.0, 1.0) + own(1.8, 1.0, 1.0) - group;
        assert!((spelled.excess() - expected).abs() < 1e-6);
        assert!(group < own(2.0, 3.0, 1.0) + own(1.8, 1.0, 1.0));
    }

    use super::*;
    use crate::analysis::analyze;
    use crate::sample::sample_archive;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, BoostQuery, Occur, TermQuery};
    use tantivy::schema::IndexRecordOption;
    use tantivy::{DocAddress, Searcher};

    const PARAMS: Bm25Params = Bm25Params { k1: 0.8, b: 0.8 };

    /// Queries of several words, some common in the sample corpus, some rare.
    const QUERIES: &[&str] = &[
        "الحكومة تعلن خطة جديدة لدعم المزارعين في سهل المروج",
        "مباراة كرة القدم بين الفريقين في الملعب",
        "ارتفاع أسعار الوقود والخبز في الأسواق",
        "وادي القمر",
        "المهرجان الثقافي في دير النخيل",
    ];

    /// A partial-match query for a text, with a proximity bonus on its first two words, and
    /// the same clauses as a plain boolean query, which scores every matching article.
    fn queries(archive: &crate::Archive, text: &str) -> (PartialMatchQuery, BooleanQuery) {
        let f = archive.fields();
        let tokens = analyze(text);
        let stems: Vec<&str> = tokens.iter().map(|t| t.stem.as_str()).collect();
        let mut matching = Vec::new();
        for token in &tokens {
            matching.push((Term::from_field_text(f.body, &token.stem), 1.0));
            matching.push((Term::from_field_text(f.title, &token.stem), 0.3));
            matching.push((Term::from_field_text(f.body_exact, &token.term), 0.5));
        }
        let scoring = vec![(Term::from_field_text(f.body_exact, "في"), 0.7)];
        // Every pair of words, in both orders, with slops 0 to 3: the bonus must score as
        // tantivy's sloppy phrase does.
        let mut bonus: Vec<Bonus> = Vec::new();
        for (i, first) in stems.iter().enumerate() {
            for (j, second) in stems.iter().enumerate() {
                if i != j && first != second {
                    bonus.push(Bonus {
                        first: Term::from_field_text(f.body, first),
                        second: Term::from_field_text(f.body, second),
                        first_spellings: Vec::new(),
                        second_spellings: Vec::new(),
                        spelling_weight: 1.0,
                        slop: (i + j) as u32 % 4,
                        weight: 0.5,
                    });
                }
            }
        }
        let excluded: Box<dyn Query> = Box::new(TermQuery::new(
            Term::from_field_text(f.body_exact, "الرياضة"),
            IndexRecordOption::Basic,
        ));
        let term = |(term, weight): &(Term, f32)| -> (Occur, Box<dyn Query>) {
            let query = Bm25TermQuery::new(term.clone(), PARAMS);
            (
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(query), *weight)),
            )
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            Box::new(BooleanQuery::new(matching.iter().map(term).collect())),
        )];
        clauses.extend(scoring.iter().map(term));
        for b in &bonus {
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(b.phrase()), b.weight)),
            ));
        }
        clauses.push((Occur::MustNot, excluded.box_clone()));
        let partial = PartialMatchQuery {
            matching,
            clauses: Vec::new(),
            spelled: Vec::new(),
            clause_count: 0,
            coordination: 0.0,
            scoring,
            bonus,
            params: PARAMS,
            skip: HashMap::new(),
            candidates: None,
            excluded: vec![excluded],
            filters: Vec::new(),
            term_infos: None,
        };
        (partial, BooleanQuery::new(clauses))
    }

    #[test]
    fn the_proximity_bonus_scores_as_tantivys_sloppy_phrase_with_repeated_words() {
        // Words repeated close together, in both orders: where the counting of close pairs
        // has choices to make.
        let archive = crate::Archive::in_memory().unwrap();
        let mut writer = archive.writer(20_000_000, 1).unwrap();
        let bodies = [
            "قطار قطار محطة محطة",
            "محطة قطار محطة قطار",
            "قطار سماء محطة قطار محطة قطار",
            "قطار قطار قطار سماء محطة",
            "محطة سماء سماء قطار",
            "سماء سماء قطار قطار محطة محطة سماء قطار",
            "محطة محطة قطار قطار سماء سماء محطة",
            "قطار محطة قطار محطة قطار محطة سماء",
            "قطار",
        ];
        for (i, body) in bodies.iter().enumerate() {
            writer
                .upsert(&crate::Article {
                    id: i.to_string(),
                    body: body.to_string(),
                    ..crate::Article::default()
                })
                .unwrap();
        }
        writer.commit().unwrap();
        let searcher = archive.searcher();
        let text = "قطار محطة سماء";
        let (partial, boolean) = queries(&archive, text);
        assert_same(
            &top(&searcher, &partial, 10),
            &top(&searcher, &boolean, 10),
            text,
        );
    }

    fn top(searcher: &Searcher, query: &dyn Query, k: usize) -> Vec<(f32, DocAddress)> {
        searcher
            .search(query, &TopDocs::with_limit(k).order_by_score())
            .unwrap()
    }

    fn assert_same(ours: &[(f32, DocAddress)], theirs: &[(f32, DocAddress)], text: &str) {
        assert_eq!(ours.len(), theirs.len(), "{text}");
        for ((s1, a1), (s2, a2)) in ours.iter().zip(theirs) {
            assert!((s1 - s2).abs() < 1e-3, "{text}: {ours:?} vs {theirs:?}");
            // Equal scores may come in either order.
            if (s1 - s2).abs() < 1e-6 && a1 != a2 {
                continue;
            }
            assert_eq!(a1, a2, "{text}: {ours:?} vs {theirs:?}");
        }
    }

    #[test]
    fn pruning_finds_the_top_articles_a_full_scoring_finds() {
        let archive = sample_archive().unwrap();
        let searcher = archive.searcher();
        for text in QUERIES {
            let (partial, boolean) = queries(&archive, text);
            for k in [1, 3, 10, 200] {
                let ours = top(&searcher, &partial, k);
                eprintln!(
                    "{text} k={k} ours {:?}\n theirs {:?}",
                    &ours[..ours.len().min(3)],
                    &top(&searcher, &boolean, k)[..ours.len().min(3)]
                );
                assert!(!ours.is_empty(), "{text}");
                assert_same(&ours, &top(&searcher, &boolean, k), text);
            }
        }
    }

    #[test]
    fn skipped_and_excluded_articles_never_come_back() {
        let archive = sample_archive().unwrap();
        let searcher = archive.searcher();
        let (mut partial, _) = queries(&archive, QUERIES[0]);
        let before = top(&searcher, &partial, 5);
        assert_eq!(before.len(), 5);
        for (_, address) in &before[..2] {
            let segment = searcher.segment_reader(address.segment_ord).segment_id();
            partial
                .skip
                .entry(segment)
                .or_default()
                .push(address.doc_id);
        }
        for list in partial.skip.values_mut() {
            list.sort_unstable();
        }
        let after = top(&searcher, &partial, 3);
        // The same articles, their scores to the rounding of another order of summation.
        assert_same(&after, &before[2..5], "skipping the first two");
        // Nothing with the excluded word.
        let excluded = Term::from_field_text(archive.fields().body_exact, "الرياضة");
        let all = top(&searcher, &partial, 1000);
        for (_, address) in all {
            let doc_freq = searcher
                .segment_reader(address.segment_ord)
                .inverted_index(excluded.field())
                .unwrap()
                .read_postings(&excluded, IndexRecordOption::Basic)
                .unwrap()
                .map(|mut postings| postings.seek(address.doc_id) == address.doc_id)
                .unwrap_or(false);
            assert!(!doc_freq);
        }
    }

    #[test]
    fn coordination_scales_scores_and_pruning_still_finds_the_top() {
        let archive = sample_archive().unwrap();
        let searcher = archive.searcher();
        let text = QUERIES[0];
        let (plain, _) = queries(&archive, text);
        let mut coordinated = plain.clone();
        // Three terms per word (see `queries`).
        coordinated.clauses = (0..plain.matching.len()).map(|i| i / 3).collect();
        coordinated.clause_count = plain.matching.len() / 3;
        coordinated.coordination = 1.0;
        let everything = top(&searcher, &coordinated, 1000);
        let before = top(&searcher, &plain, 1000);
        assert_eq!(everything.len(), before.len());
        let mut scaled = 0;
        for (score, address) in &everything {
            let (original, _) = before.iter().find(|(_, a)| a == address).unwrap();
            assert!(*score <= original + 1e-4, "{score} > {original}");
            scaled += usize::from(*score < original - 1e-4);
        }
        assert!(scaled > 0, "some article misses a word");
        for k in [1, 3, 10] {
            assert_same(&top(&searcher, &coordinated, k), &everything[..k], text);
        }
    }

    #[test]
    fn candidates_are_scored_in_full_and_nothing_else_is() {
        let archive = sample_archive().unwrap();
        let searcher = archive.searcher();
        let (mut partial, boolean) = queries(&archive, QUERIES[1]);
        let everything = top(&searcher, &boolean, 1000);
        assert!(everything.len() > 6);
        // Every other article of the full ranking, and one matching nothing.
        let chosen: Vec<(f32, DocAddress)> = everything.iter().copied().step_by(2).collect();
        let mut candidates: HashMap<SegmentId, Vec<DocId>> = HashMap::new();
        for (_, address) in &chosen {
            let segment = searcher.segment_reader(address.segment_ord).segment_id();
            candidates.entry(segment).or_default().push(address.doc_id);
        }
        for list in candidates.values_mut() {
            list.sort_unstable();
        }
        partial.candidates = Some(candidates);
        assert_same(&top(&searcher, &partial, 1000), &chosen, QUERIES[1]);
        assert_same(&top(&searcher, &partial, 2), &chosen[..2], QUERIES[1]);
    }
}
