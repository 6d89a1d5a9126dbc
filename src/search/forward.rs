//! Queries whose scorers only seek forward, for tantivy's phrase queries.
//!
//! tantivy's phrase scorer (0.27) may not be asked about a document before the one it is on (a
//! debug assertion, and no promise of a right answer), and two of tantivy's own mechanisms
//! ask: an exclusion (`-word`) asks the excluded clause about each candidate from the first on,
//! and a query's explanation (which gives the scores of hits sorted by date) asks each clause
//! about the hit with a fresh scorer, already on the clause's first match. Phrases reach both:
//! an excluded word that the analyzer splits in two (`-آمن-في`), a quoted phrase, the
//! proximity bonus. [`ForwardQuery`] puts a scorer in front of its query's that only ever
//! seeks forward: asked about a document behind it, it answers with the one it is on, which
//! means "not there".

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// Matches and scores what its query does; its scorers only seek forward.
#[derive(Debug)]
pub(crate) struct ForwardQuery {
    query: Box<dyn Query>,
    /// Whether the query scores (an excluded clause only matches).
    scored: bool,
}

impl ForwardQuery {
    /// A query that scores as `query` does.
    pub(crate) fn scored(query: Box<dyn Query>) -> ForwardQuery {
        ForwardQuery {
            query,
            scored: true,
        }
    }

    /// A query that only matches what `query` does, for an excluded word.
    pub(crate) fn excluded(query: Box<dyn Query>) -> ForwardQuery {
        ForwardQuery {
            query,
            scored: false,
        }
    }
}

/// The same scoring context with scoring turned off, for clauses that only match.
pub(crate) fn unscored(enable_scoring: EnableScoring<'_>) -> EnableScoring<'_> {
    match enable_scoring {
        EnableScoring::Enabled { searcher, .. } => EnableScoring::disabled_from_searcher(searcher),
        disabled => disabled,
    }
}

impl Clone for ForwardQuery {
    fn clone(&self) -> Self {
        ForwardQuery {
            query: self.query.box_clone(),
            scored: self.scored,
        }
    }
}

impl Query for ForwardQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let enable_scoring = if self.scored {
            enable_scoring
        } else {
            unscored(enable_scoring)
        };
        Ok(Box::new(ForwardWeight(self.query.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

struct ForwardWeight(Box<dyn Weight>);

impl Weight for ForwardWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ForwardScorer(self.0.scorer(reader, boost)?)))
    }

    /// The score of `doc` from a forward-only scorer (tantivy's own explanation of a phrase
    /// seeks its fresh scorer to `doc`, wherever that scorer is).
    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("forward-only", scorer.score()))
    }
}

/// A scorer whose `seek` stays put when already at or past the target, and whose
/// `seek_danger` is the default one built on it.
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
        self.0.score()
    }
}

#[cfg(test)]
mod tests {
    use crate::sample::sample_archive;
    use crate::search::SearchRequest;

    #[test]
    fn hits_sorted_by_date_are_scored_before_the_first_close_pair() {
        use crate::search::Sort;
        use crate::Article;
        // The first article has both words far apart, the second close together: the
        // proximity bonus's phrase first matches the second, and the first is scored (for
        // its date order) before it.
        let archive = crate::Archive::in_memory().unwrap();
        let mut writer = archive.writer(20_000_000, 1).unwrap();
        for (id, day, body) in [
            ("far", 2, "قطار سماء سماء سماء سماء محطة"),
            ("near", 1, "قطار محطة"),
        ] {
            writer
                .upsert(&Article {
                    id: id.into(),
                    body: body.into(),
                    date: time::Date::from_calendar_date(2024, time::Month::May, day).ok(),
                    ..Article::default()
                })
                .unwrap();
        }
        writer.commit().unwrap();
        let mut request = SearchRequest::new("قطار محطة");
        request.sort = Sort::Newest;
        let results = archive.search(&request).unwrap();
        let ids: Vec<&str> = results.hits.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["far", "near"]);
        assert!(results.hits[1].score > results.hits[0].score, "{results:?}");
    }

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
