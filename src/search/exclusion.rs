//! The query of an excluded word (`-word`), safe to exclude with.
//!
//! tantivy excludes documents by asking the excluded clause's scorer whether it holds each
//! candidate (`seek_danger`), starting with the first candidate, which may come before the
//! first document the excluded clause matches. tantivy 0.27's phrase scorer does not allow
//! that (a debug assertion, and no promise of a right answer), and an excluded word that the
//! analyzer splits in two (`-آمن-في`) is a phrase. [`ExclusionQuery`] puts a scorer in front of
//! the excluded clause's that only ever seeks forward.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// Matches what its query matches, scores nothing; its scorers only seek forward.
#[derive(Debug)]
pub(crate) struct ExclusionQuery(pub Box<dyn Query>);

impl Clone for ExclusionQuery {
    fn clone(&self) -> Self {
        ExclusionQuery(self.0.box_clone())
    }
}

impl Query for ExclusionQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ExclusionWeight(
            self.0.weight(super::unscored(enable_scoring))?,
        )))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct ExclusionWeight(Box<dyn Weight>);

impl Weight for ExclusionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ForwardScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

/// A scorer whose `seek_danger` is the default one: it seeks only when behind the target.
struct ForwardScorer(Box<dyn Scorer>);

impl DocSet for ForwardScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.0.doc() < target {
            self.0.seek(target)
        } else {
            self.0.doc()
        }
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }
}

impl Scorer for ForwardScorer {
    fn score(&mut self) -> Score {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use crate::sample::sample_archive;
    use crate::search::SearchRequest;

    #[test]
    fn an_excluded_word_split_in_two_excludes_its_phrase() {
        let archive = sample_archive().unwrap();
        // Only an exclusion: every article but those with the phrase. The analyzer splits
        // the word at the hyphen, so the exclusion is the phrase "آمن في", which the first
        // articles lack (tantivy's exclusion then asks its scorer about a document before
        // the one it is on).
        let everything = archive.search(&SearchRequest::new("-زززز")).unwrap();
        let without = archive.search(&SearchRequest::new("-آمن-في")).unwrap();
        let with = archive.search(&SearchRequest::new("\"آمن في\"")).unwrap();
        assert!(with.total_hits > 0);
        assert_eq!(
            without.total_hits + with.total_hits,
            everything.total_hits,
            "{without:?}"
        );
    }
}
