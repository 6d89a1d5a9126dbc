//! The proximity bonus of two query words when either is written in another spelling.
//!
//! A pair of query words close together in an article earns a bonus (a sloppy phrase of the
//! two stems, see [`super::clauses::proximity_clauses`]). When a word has spelling variants,
//! an article that writes it the other way (هاميلتون for هاملتون, فيدرالي for فدرالي) has
//! the word as much as the article that writes it as typed, and must earn the same bonus:
//! otherwise the spelling typed decides the ranking again, through the bonus alone. Each side
//! of the pair is then a group of stems, the word typed and its spellings, whose positions in
//! an article are merged ([`group_positions`]) and matched as one word's; the pair is scored
//! as the typed words' phrase (their statistics, pooled with the spellings', and the body's
//! length), so an article gets one bonus per pair whichever spellings it uses.
//!
//! ```text
//! pair (typed + spellings, typed + spellings) ──► articles holding a spelling of both
//!   ──► merged positions ──► close pairs counted as tantivy's sloppy phrase ──► BM25
//! ```
//!
//! [`SpellingsPhraseQuery`] scores that bonus in the all-words tier; the partial tier
//! ([`super::partial`]) reads the same groups from its own posting lists.

use std::sync::Arc;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use super::partial::{close_pairs, Bonus};
use super::stats::{term_info, TermInfos};

/// A word's posting lists in one segment: one per spelling the segment holds, the word as
/// typed first, and its positions in the document last loaded.
pub(super) struct Group {
    lists: Vec<SegmentPostings>,
    /// Whether `lists[0]` is the word as typed (the segment may lack it).
    typed: bool,
    /// The lists' summed lengths, and the typed word's list's.
    length: u32,
    typed_length: u32,
    /// The positions of every spelling in the document loaded, merged in order, and of the
    /// word as typed alone.
    all: Vec<u32>,
    as_typed: Vec<u32>,
    /// The document loaded, and what [`Group::load`] found there.
    loaded: Option<(DocId, Found)>,
}

/// Where a word is in one document: `None` when it is not there, else whether it is there
/// as typed (and not only in another spelling).
pub(super) type Found = Option<bool>;

impl Group {
    /// Opens the posting lists (with positions) of those of `terms` (the word as typed
    /// first) that the segment holds.
    pub(super) fn open(
        reader: &SegmentReader,
        terms: &[Term],
        infos: Option<&TermInfos>,
    ) -> tantivy::Result<Group> {
        let mut lists = Vec::with_capacity(terms.len());
        let mut typed = false;
        for (i, term) in terms.iter().enumerate() {
            let inverted = reader.inverted_index(term.field())?;
            if let Some(info) = term_info(infos, reader, term)? {
                typed |= i == 0;
                lists.push(inverted.read_postings_from_terminfo(
                    &info,
                    IndexRecordOption::WithFreqsAndPositions,
                )?);
            }
        }
        let length = lists.iter().map(|l| l.size_hint()).sum();
        let typed_length = if typed { lists[0].size_hint() } else { 0 };
        Ok(Group {
            lists,
            typed,
            length,
            typed_length,
            all: Vec::new(),
            as_typed: Vec::new(),
            loaded: None,
        })
    }

    /// Whether the word is in `doc` (documents asked about in increasing order), and as
    /// typed, its positions loaded.
    pub(super) fn load(&mut self, doc: DocId) -> Found {
        if let Some((loaded, found)) = self.loaded {
            if loaded == doc {
                return found;
            }
        }
        self.all.clear();
        self.as_typed.clear();
        let mut found = 0;
        let mut as_typed = false;
        for (i, list) in self.lists.iter_mut().enumerate() {
            if list.doc() < doc {
                list.seek(doc);
            }
            if list.doc() == doc {
                if i == 0 && self.typed {
                    list.positions(&mut self.as_typed);
                    self.all.extend_from_slice(&self.as_typed);
                    as_typed = true;
                } else {
                    list.append_positions_with_offset(0, &mut self.all);
                }
                found += 1;
            }
        }
        if found > 1 {
            self.all.sort_unstable();
            self.all.dedup();
        }
        let found = (found > 0).then_some(as_typed);
        self.loaded = Some((doc, found));
        found
    }

    /// The first document from `target` on that one of the lists holds.
    fn seek(&mut self, target: DocId) -> DocId {
        let mut first = TERMINATED;
        for list in self.lists.iter_mut() {
            if list.doc() < target {
                list.seek(target);
            }
            first = first.min(list.doc());
        }
        first
    }
}

/// The bonus of two words in the document both groups have loaded, what each found there
/// given (`first`, `second`), `score` the pair's BM25 of a count of close pairs: the close
/// pairs of the words as typed score in full, as the sloppy phrase of the two does; those
/// that only the other spellings add, at `spelling_weight` (the variant weight), as a
/// word's own match is weighed. So a pair without spellings scores exactly as its phrase.
pub(super) fn pair_score(
    (first_group, first): (&Group, bool),
    (second_group, second): (&Group, bool),
    slop: u32,
    spelling_weight: f32,
    score: impl Fn(u32) -> Score,
) -> Score {
    let score = |count: u32| if count == 0 { 0.0 } else { score(count) };
    let typed = if first && second {
        group_close_pairs(
            (&first_group.as_typed, first_group.typed_length),
            (&second_group.as_typed, second_group.typed_length),
            slop,
        )
    } else {
        0
    };
    let spelled = first_group.all.len() > first_group.as_typed.len()
        || second_group.all.len() > second_group.as_typed.len();
    let typed_score = score(typed);
    if !spelled {
        return typed_score;
    }
    let all = group_close_pairs(
        (&first_group.all, first_group.length),
        (&second_group.all, second_group.length),
        slop,
    );
    typed_score + spelling_weight * (score(all) - typed_score).max(0.0)
}

/// How many times two words occur close together (`second` at most `slop` positions from
/// right after `first`), given their positions and posting lists' lengths, counted as
/// tantivy counts a sloppy phrase's matches: the side with the shorter posting lists walked
/// as the left one, as tantivy's intersection orders a phrase's words.
fn group_close_pairs(first: (&[u32], u32), second: (&[u32], u32), slop: u32) -> u32 {
    let ((first, first_len), (second, second_len)) = (first, second);
    if second_len < first_len {
        close_pairs((second, 0), (first, 1), slop)
    } else {
        close_pairs((first, 1), (second, 0), slop)
    }
}

/// The proximity bonus of a pair whose words have other spellings, as a query that matches
/// the articles holding some spelling of both words and scores the close pairs among them
/// (0 where they are far apart): a scoring-only clause of the all-words tier, where only
/// the articles that match the required clauses are asked about. Without spellings it
/// scores exactly as the pair's sloppy phrase ([`Bonus::phrase`]) does.
#[derive(Clone, Debug)]
pub(crate) struct SpellingsPhraseQuery {
    bonus: Bonus,
    term_infos: Option<Arc<TermInfos>>,
}

impl SpellingsPhraseQuery {
    pub(crate) fn new(bonus: Bonus, term_infos: Option<Arc<TermInfos>>) -> SpellingsPhraseQuery {
        SpellingsPhraseQuery { bonus, term_infos }
    }
}

impl Query for SpellingsPhraseQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let b = &self.bonus;
        let similarity = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some(Bm25Weight::for_terms(
                statistics_provider,
                &[b.first.clone(), b.second.clone()],
            )?),
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(SpellingsPhraseWeight {
            first: b.first_group(),
            second: b.second_group(),
            slop: b.slop,
            spelling_weight: b.spelling_weight,
            similarity,
            term_infos: self.term_infos.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        let b = &self.bonus;
        for term in std::iter::once(&b.first)
            .chain(&b.first_spellings)
            .chain(std::iter::once(&b.second))
            .chain(&b.second_spellings)
        {
            visitor(term, true);
        }
    }
}

struct SpellingsPhraseWeight {
    first: Vec<Term>,
    second: Vec<Term>,
    slop: u32,
    spelling_weight: f32,
    similarity: Option<Bm25Weight>,
    term_infos: Option<Arc<TermInfos>>,
}

impl SpellingsPhraseWeight {
    fn phrase_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<SpellingsPhraseScorer> {
        let infos = self.term_infos.as_deref();
        let first = Group::open(reader, &self.first, infos)?;
        let second = Group::open(reader, &self.second, infos)?;
        let mut scorer = SpellingsPhraseScorer {
            first,
            second,
            spelling_weight: self.spelling_weight,
            fieldnorms: reader.get_fieldnorms_reader(self.first[0].field())?,
            slop: self.slop,
            similarity: self.similarity.as_ref().map(|s| s.boost_by(boost)),
            doc: 0,
        };
        scorer.doc = scorer.match_from(0);
        Ok(scorer)
    }
}

impl Weight for SpellingsPhraseWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(self.phrase_scorer(reader, boost)?))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.phrase_scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("proximity of spellings", scorer.score()))
    }
}

struct SpellingsPhraseScorer {
    first: Group,
    second: Group,
    spelling_weight: f32,
    fieldnorms: FieldNormReader,
    slop: u32,
    similarity: Option<Bm25Weight>,
    doc: DocId,
}

impl SpellingsPhraseScorer {
    /// The first document from `target` on that holds a spelling of both words.
    fn match_from(&mut self, mut target: DocId) -> DocId {
        loop {
            let a = self.first.seek(target);
            if a == TERMINATED {
                return TERMINATED;
            }
            let b = self.second.seek(a);
            if b == a || b == TERMINATED {
                return b;
            }
            target = b;
        }
    }
}

impl DocSet for SpellingsPhraseScorer {
    fn advance(&mut self) -> DocId {
        if self.doc != TERMINATED {
            self.doc = self.match_from(self.doc + 1);
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        // Asked about a document behind it, it answers with the one it is on ("not there").
        if target > self.doc {
            self.doc = self.match_from(target);
        }
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.first.length.min(self.second.length)
    }
}

impl Scorer for SpellingsPhraseScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        if doc == TERMINATED {
            return 0.0;
        }
        let (Some(first), Some(second)) = (self.first.load(doc), self.second.load(doc)) else {
            return 0.0;
        };
        let norm = self.fieldnorms.fieldnorm_id(doc);
        let similarity = self.similarity.as_ref();
        pair_score(
            (&self.first, first),
            (&self.second, second),
            self.slop,
            self.spelling_weight,
            |count| similarity.map_or(1.0, |s| s.score(norm, count)),
        )
    }
}
