//! A union of clauses that only add to the score, asked about a document only when the
//! required clauses match it.
//!
//! tantivy gives the scoring-only (`Should`) clauses of a query with required ones a
//! buffered union: on every seek past its window it moves each clause through the next
//! 4,096 documents and scores each document any of them holds (a proximity bonus: its
//! positions loaded and its close pairs counted), although the required clauses ask about a
//! few of them. [`ScoringUnionQuery`] holds the same clauses in one union that moves each
//! clause only to the document asked about and scores only that one, adding the clauses'
//! scores in their order from 0 as tantivy's union does: the same scores, bit for bit.
//!
//! ```text
//! required clauses ──► a document ──► ScoringUnionScorer::seek (each clause to it)
//!                                  ──► score: Σ of the clauses holding it, in order
//! ```
//!
//! Only for clauses that match nothing by themselves (beside required clauses): as a
//! union of its own the order of the additions would differ from a flat one's.
//!
//! [`SpellingsUnionQuery`] is the required clause of a word with spellings: the word's and
//! its spellings' terms in the stemmed body, one of which an article must hold. There too
//! tantivy's buffered union walks every spelling's posting list through a window of 4,096
//! documents at each seek of the intersection, where moving each list to the document asked
//! about reads a block or two. It matches and scores as that union does, and reports the
//! same cost (which orders an intersection's clauses, and so the order of the sum of their
//! scores): the summed lengths of the lists the buffered union would still hold, those with
//! a document past its window, which is followed as it would move.

use std::cell::RefCell;
use std::sync::Arc;

use tantivy::index::InvertedIndexReader;
use tantivy::postings::{BlockSegmentPostings, TermInfo};
use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use super::stats::{term_info, TermInfos};

/// The scoring-only clauses of a query that has required ones, as one clause.
#[derive(Debug)]
pub(crate) struct ScoringUnionQuery {
    clauses: Vec<Box<dyn Query>>,
}

impl ScoringUnionQuery {
    pub(crate) fn new(clauses: Vec<Box<dyn Query>>) -> ScoringUnionQuery {
        ScoringUnionQuery { clauses }
    }
}

impl Clone for ScoringUnionQuery {
    fn clone(&self) -> Self {
        ScoringUnionQuery {
            clauses: self.clauses.iter().map(|q| q.box_clone()).collect(),
        }
    }
}

impl Query for ScoringUnionQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .clauses
            .iter()
            .map(|q| q.weight(enable_scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(ScoringUnionWeight(weights)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for clause in &self.clauses {
            clause.query_terms(visitor);
        }
    }
}

struct ScoringUnionWeight(Vec<Box<dyn Weight>>);

impl Weight for ScoringUnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers = Vec::with_capacity(self.0.len());
        for weight in &self.0 {
            let scorer = weight.scorer(reader, boost)?;
            // As tantivy's union leaves out the clauses without a match in the segment.
            if !scorer.is::<EmptyScorer>() && scorer.doc() != TERMINATED {
                scorers.push(scorer);
            }
        }
        Ok(match scorers.len() {
            0 => Box::new(EmptyScorer),
            1 => scorers.pop().expect("one scorer"),
            _ => {
                let doc = first_doc(&scorers);
                Box::new(ScoringUnionScorer { scorers, doc })
            }
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new(
            "sum of the scoring clauses",
            scorer.score(),
        ))
    }
}

fn first_doc(scorers: &[Box<dyn Scorer>]) -> DocId {
    scorers.iter().map(|s| s.doc()).min().unwrap_or(TERMINATED)
}

/// Moves the scorers on `doc` to their next document (a union's `advance`).
fn advance_those_on(scorers: &mut [Box<dyn Scorer>], doc: DocId) {
    for scorer in scorers {
        if scorer.doc() == doc {
            scorer.advance();
        }
    }
}

/// Moves the scorers behind `target` to it (a union's `seek`).
fn seek_those_behind(scorers: &mut [Box<dyn Scorer>], target: DocId) {
    for scorer in scorers {
        if scorer.doc() < target {
            scorer.seek(target);
        }
    }
}

/// The scores of the scorers on `doc` summed from 0, in the scorers' order: as tantivy's
/// union sums them, so that the two unions here score bit for bit as it does.
fn sum_on(scorers: &mut [Box<dyn Scorer>], doc: DocId) -> Score {
    let mut score: Score = 0.0;
    for scorer in scorers {
        if scorer.doc() == doc {
            score += scorer.score();
        }
    }
    score
}

/// The union of two or more scorers, each moved only when the union is.
struct ScoringUnionScorer {
    scorers: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl DocSet for ScoringUnionScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        advance_those_on(&mut self.scorers, self.doc);
        self.doc = first_doc(&self.scorers);
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        seek_those_behind(&mut self.scorers, target);
        self.doc = first_doc(&self.scorers);
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.scorers
            .iter()
            .map(|s| s.size_hint())
            .max()
            .unwrap_or(0)
    }

    fn cost(&self) -> u64 {
        self.scorers.iter().map(|s| s.cost()).sum()
    }
}

impl Scorer for ScoringUnionScorer {
    fn score(&mut self) -> Score {
        sum_on(&mut self.scorers, self.doc)
    }
}

/// The documents of tantivy's buffered union's window (`tantivy::query::BufferedUnionScorer`).
const HORIZON: DocId = 4096;

/// A word and its spellings in the stemmed body: each term with the query that scores it
/// (the term's own, boosted for a spelling), matching as their union.
#[derive(Debug)]
pub(crate) struct SpellingsUnionQuery {
    clauses: Vec<(Term, Box<dyn Query>)>,
    term_infos: Option<Arc<TermInfos>>,
}

impl SpellingsUnionQuery {
    /// `clauses`: each query matches exactly the documents of its term's posting list.
    pub(crate) fn new(
        clauses: Vec<(Term, Box<dyn Query>)>,
        term_infos: Option<Arc<TermInfos>>,
    ) -> SpellingsUnionQuery {
        SpellingsUnionQuery {
            clauses,
            term_infos,
        }
    }
}

impl Clone for SpellingsUnionQuery {
    fn clone(&self) -> Self {
        SpellingsUnionQuery {
            clauses: self
                .clauses
                .iter()
                .map(|(t, q)| (t.clone(), q.box_clone()))
                .collect(),
            term_infos: self.term_infos.clone(),
        }
    }
}

impl Query for SpellingsUnionQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let mut clauses = Vec::with_capacity(self.clauses.len());
        for (term, query) in &self.clauses {
            clauses.push((term.clone(), query.weight(enable_scoring)?));
        }
        Ok(Box::new(SpellingsUnionWeight {
            clauses,
            term_infos: self.term_infos.clone(),
            scoring: enable_scoring.is_scoring_enabled(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (_, query) in &self.clauses {
            query.query_terms(visitor);
        }
    }
}

struct SpellingsUnionWeight {
    clauses: Vec<(Term, Box<dyn Weight>)>,
    term_infos: Option<Arc<TermInfos>>,
    scoring: bool,
}

impl Weight for SpellingsUnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers = Vec::with_capacity(self.clauses.len());
        let mut probes = Vec::with_capacity(self.clauses.len());
        for (term, weight) in &self.clauses {
            let scorer = weight.scorer(reader, boost)?;
            if scorer.is::<EmptyScorer>() || scorer.doc() == TERMINATED {
                continue;
            }
            let probe = match term_info(self.term_infos.as_deref(), reader, term)? {
                Some(info) => Probe::Closed(reader.inverted_index(term.field())?, info),
                None => Probe::Empty,
            };
            scorers.push(scorer);
            probes.push(RefCell::new(probe));
        }
        Ok(match scorers.len() {
            0 => Box::new(EmptyScorer),
            1 => scorers.pop().expect("one scorer"),
            _ => {
                let doc = first_doc(&scorers);
                Box::new(SpellingsUnionScorer {
                    scorers,
                    probes,
                    doc,
                    window: doc,
                    scoring: self.scoring,
                    num_docs: reader.num_docs(),
                })
            }
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("sum of the spellings", scorer.score()))
    }
}

/// A second cursor on one term's posting list, opened only when the cost asks whether the
/// list reaches past a document its scorer has not reached.
enum Probe {
    Closed(Arc<InvertedIndexReader>, TermInfo),
    Open(Box<BlockSegmentPostings>),
    /// The list is not there (no document either).
    Empty,
}

impl Probe {
    /// Whether the list holds a document from `target` on (targets never decreasing).
    fn reaches(&mut self, target: DocId) -> bool {
        if let Probe::Closed(inverted, info) = self {
            *self = match inverted.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)
            {
                Ok(block) => Probe::Open(Box::new(block)),
                // Unreadable here, unreadable for the scorer too: nothing further.
                Err(_) => Probe::Empty,
            };
        }
        match self {
            Probe::Open(block) => block.rank(target) < block.doc_freq(),
            _ => false,
        }
    }
}

struct SpellingsUnionScorer {
    scorers: Vec<Box<dyn Scorer>>,
    probes: Vec<RefCell<Probe>>,
    doc: DocId,
    /// Where tantivy's buffered union's window would start now: at its first document, and
    /// again at the first document it moves to from the window's end on.
    window: DocId,
    scoring: bool,
    num_docs: u32,
}

impl SpellingsUnionScorer {
    fn moved(&mut self) -> DocId {
        self.doc = first_doc(&self.scorers);
        if self.doc != TERMINATED && self.doc >= self.window.saturating_add(HORIZON) {
            self.window = self.doc;
        }
        self.doc
    }

    /// The scorers the buffered union would still hold: those with a document past its
    /// window (it drops the lists it finishes while filling one).
    fn held(&self) -> impl Iterator<Item = &Box<dyn Scorer>> + '_ {
        let end = self.window.saturating_add(HORIZON);
        self.scorers
            .iter()
            .zip(&self.probes)
            .filter(move |(scorer, probe)| {
                let doc = scorer.doc();
                doc != TERMINATED && (doc >= end || probe.borrow_mut().reaches(end))
            })
            .map(|(scorer, _)| scorer)
    }
}

impl DocSet for SpellingsUnionScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        advance_those_on(&mut self.scorers, self.doc);
        self.moved()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        seek_those_behind(&mut self.scorers, target);
        self.moved()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    /// As tantivy estimates a union's size, from the lists the buffered union would hold.
    fn size_hint(&self) -> u32 {
        estimate_union(self.held().map(|s| s.size_hint()), self.num_docs)
    }

    fn cost(&self) -> u64 {
        self.held().map(|s| s.cost()).sum()
    }
}

impl Scorer for SpellingsUnionScorer {
    fn score(&mut self) -> Score {
        if !self.scoring {
            // tantivy's union without scoring.
            return 1.0;
        }
        sum_on(&mut self.scorers, self.doc)
    }
}

/// tantivy's estimate of a union's size (its `size_hint` module): the documents of none of
/// the lists, each list taken as spread at random over the segment, at 0.8 of its length
/// (terms cluster).
fn estimate_union(sizes: impl Iterator<Item = u32>, docs: u32) -> u32 {
    let mut in_none = 1.0f64;
    for size in sizes {
        in_none *= 1.0 - (size as f64 / docs as f64) * 0.8;
    }
    (docs as f64 * (1.0 - in_none)).round().min(docs as f64) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Archive, Article};
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, TermQuery};
    use tantivy::schema::IndexRecordOption;

    /// The same documents with the same scores, bit for bit, as tantivy's own union of the
    /// same scoring clauses beside a required one.
    #[test]
    fn scores_as_tantivys_union_of_scoring_clauses() {
        let archive = Archive::in_memory().unwrap();
        let mut writer = archive.writer(20_000_000, 1).unwrap();
        let words = ["سد", "رمل", "نهر", "جبل", "صخر"];
        for i in 0..3000usize {
            // Every article has the first word; the others come and go with i.
            let mut body = vec![words[0]];
            for (k, w) in words.iter().enumerate().skip(1) {
                if (i / k) % (k + 1) == 0 {
                    body.push(w);
                }
                if i % (2 * k + 1) == 0 {
                    body.push(words[0]);
                }
            }
            writer
                .upsert(&Article {
                    id: format!("a{i}"),
                    body: body.join(" "),
                    ..Article::default()
                })
                .unwrap();
        }
        writer.commit().unwrap();
        let body = archive.fields().body;
        let term = |w: &str| Term::from_field_text(body, w);
        let scoring = || -> Vec<Box<dyn Query>> {
            let mut clauses: Vec<Box<dyn Query>> = words[1..]
                .iter()
                .map(|w| -> Box<dyn Query> {
                    Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(term(w), IndexRecordOption::WithFreqs)),
                        0.7,
                    ))
                })
                .collect();
            clauses.push(Box::new(PhraseQuery::new(vec![term("نهر"), term("جبل")])));
            clauses
        };
        let required = || -> Box<dyn Query> {
            Box::new(TermQuery::new(term("صخر"), IndexRecordOption::WithFreqs))
        };
        let mut flat = vec![(Occur::Must, required())];
        flat.extend(scoring().into_iter().map(|q| (Occur::Should, q)));
        let ours = BooleanQuery::new(vec![
            (Occur::Must, required()),
            (Occur::Should, Box::new(ScoringUnionQuery::new(scoring()))),
        ]);
        let searcher = archive.searcher();
        let top = |q: &dyn Query| {
            searcher
                .search(q, &TopDocs::with_limit(5000).order_by_score())
                .unwrap()
                .into_iter()
                .map(|(score, address)| (score.to_bits(), address))
                .collect::<Vec<_>>()
        };
        let theirs = top(&BooleanQuery::new(flat));
        assert!(theirs.len() > 100, "{}", theirs.len());
        let mut distinct: Vec<u32> = theirs.iter().map(|(bits, _)| *bits).collect();
        distinct.sort_unstable();
        distinct.dedup();
        assert!(
            distinct.len() > 5,
            "the scoring clauses score: {distinct:?}"
        );
        assert_eq!(top(&ours), theirs);
    }

    /// An archive of `n` articles in one segment: every one has سد, one in three قمر, one
    /// in five نهر, one in seven رمل, and جبل twice (the rare spelling: in the first window
    /// and the second).
    fn spellings_archive(n: usize) -> Archive {
        let archive = Archive::in_memory().unwrap();
        let mut writer = archive.writer(50_000_000, 1).unwrap();
        for i in 0..n {
            let mut body = vec!["سد"];
            if i % 3 == 0 {
                body.push("قمر");
            }
            if i % 5 == 0 {
                body.extend(["نهر", "نهر"]);
            }
            if i % 7 == 1 {
                body.push("رمل");
            }
            if i == 5 || i == 4500 {
                body.push("جبل");
            }
            writer
                .upsert(&Article {
                    id: format!("a{i}"),
                    body: body.join(" "),
                    ..Article::default()
                })
                .unwrap();
        }
        writer.commit().unwrap();
        archive
    }

    /// The spellings of a word (قمر, نهر at 0.8, جبل at 0.8) as tantivy's union and as ours.
    fn both_unions(archive: &Archive) -> (Box<dyn Query>, Box<dyn Query>) {
        let body = archive.fields().body;
        let spellings = || -> Vec<(Term, Box<dyn Query>)> {
            [("قمر", 1.0), ("نهر", 0.8), ("جبل", 0.8)]
                .iter()
                .map(|&(w, boost)| -> (Term, Box<dyn Query>) {
                    let term = Term::from_field_text(body, w);
                    let query = TermQuery::new(term.clone(), IndexRecordOption::WithFreqs);
                    (term, Box::new(BoostQuery::new(Box::new(query), boost)))
                })
                .collect()
        };
        let theirs = BooleanQuery::union(spellings().into_iter().map(|(_, q)| q).collect());
        let ours = SpellingsUnionQuery::new(spellings(), None);
        (Box::new(theirs), Box::new(ours))
    }

    #[test]
    fn a_spellings_union_moves_and_costs_as_tantivys_union() {
        let archive = spellings_archive(9000);
        let searcher = archive.searcher();
        let (theirs, ours) = both_unions(&archive);
        let reader = searcher.segment_reader(0);
        let weight = |q: &dyn Query| q.weight(EnableScoring::enabled_from_searcher(&searcher));
        let (theirs, ours) = (
            weight(theirs.as_ref()).unwrap(),
            weight(ours.as_ref()).unwrap(),
        );
        // Sought through the segment in steps of every size, the two are on the same
        // document with the same score and the same cost (the rare spelling dropped once
        // past the window that holds its last document but one).
        let mut costs = Vec::new();
        for step in [1, 7, 300, 4095, 4096, 5000] {
            let mut a = theirs.scorer(reader, 1.0).unwrap();
            let mut b = ours.scorer(reader, 1.0).unwrap();
            let mut target = 0;
            loop {
                assert_eq!(
                    a.seek(target),
                    b.seek(target),
                    "step {step}, target {target}"
                );
                assert_eq!(a.cost(), b.cost(), "step {step}, at {}", a.doc());
                assert_eq!(a.size_hint(), b.size_hint(), "step {step}, at {}", a.doc());
                costs.push(a.cost());
                if a.doc() == TERMINATED {
                    break;
                }
                assert_eq!(a.score().to_bits(), b.score().to_bits());
                if step == 1 && a.advance() != TERMINATED {
                    assert_eq!(a.doc(), b.advance());
                }
                target = a.doc().saturating_add(step).min(TERMINATED);
            }
        }
        costs.sort_unstable();
        costs.dedup();
        assert!(
            costs.len() >= 3,
            "the cost changes as lists are dropped: {costs:?}"
        );
    }

    #[test]
    fn a_spellings_union_scores_in_a_conjunction_as_tantivys_union() {
        let archive = spellings_archive(9000);
        let searcher = archive.searcher();
        let body = archive.fields().body;
        let term = |w: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(body, w),
                IndexRecordOption::WithFreqs,
            ))
        };
        let (theirs, ours) = both_unions(&archive);
        let top = |union: Box<dyn Query>| {
            // Three required clauses: their order in the intersection (by cost) decides the
            // order of the sum of their scores.
            let query = BooleanQuery::new(vec![
                (Occur::Must, union),
                (Occur::Must, term("سد")),
                (Occur::Must, term("رمل")),
            ]);
            searcher
                .search(&query, &TopDocs::with_limit(10_000).order_by_score())
                .unwrap()
                .into_iter()
                .map(|(score, address)| (score.to_bits(), address))
                .collect::<Vec<_>>()
        };
        let expected = top(theirs);
        assert!(expected.len() > 200, "{}", expected.len());
        assert_eq!(top(ours), expected);
    }
}
