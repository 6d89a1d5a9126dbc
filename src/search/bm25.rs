//! A term query scored by BM25 with chosen k1 and b.
//!
//! tantivy's own `TermQuery` fixes k1 = 1.2 and b = 0.75. This query scores one term exactly as
//! tantivy's BM25 does (same idf, same field-norm buckets), but with the parameters given, so
//! that `fahras eval` can measure them. With k1 = 1.2 and b = 0.75 it gives tantivy's scores.

use std::fmt;
use std::sync::Arc;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

use super::stats::{term_info, Norms, TermInfos};

/// BM25 parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bm25Params {
    /// Term-frequency saturation.
    pub k1: f32,
    /// Length normalization (0: none, 1: full).
    pub b: f32,
}

impl Default for Bm25Params {
    /// tantivy's (and Lucene's default) values.
    fn default() -> Self {
        Bm25Params { k1: 1.2, b: 0.75 }
    }
}

/// A term query with its own BM25 parameters.
#[derive(Clone)]
pub struct Bm25TermQuery {
    term: Term,
    params: Bm25Params,
    /// Where to look the term up, when the search keeps its term infos.
    term_infos: Option<Arc<TermInfos>>,
}

impl fmt::Debug for Bm25TermQuery {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Bm25TermQuery({:?}, {:?})", self.term, self.params)
    }
}

impl Bm25TermQuery {
    pub fn new(term: Term, params: Bm25Params) -> Bm25TermQuery {
        Bm25TermQuery {
            term,
            params,
            term_infos: None,
        }
    }

    /// The query looking its term up in `term_infos` (see [`TermInfos`]).
    pub(crate) fn with_term_infos(mut self, term_infos: Arc<TermInfos>) -> Bm25TermQuery {
        self.term_infos = Some(term_infos);
        self
    }
}

/// BM25's inverse document frequency of a term in `doc_freq` of `docs` documents, as
/// tantivy and Lucene compute it: ln(1 + (N − df + 0.5) / (df + 0.5)).
pub(crate) fn idf(docs: f32, doc_freq: f32) -> f32 {
    (1.0 + (docs - doc_freq + 0.5) / (doc_freq + 0.5)).ln()
}

impl Bm25TermQuery {
    /// The query's weight, typed, for queries that drive its scorers themselves.
    pub(crate) fn term_weight(
        &self,
        enable_scoring: EnableScoring<'_>,
    ) -> tantivy::Result<Bm25TermWeight> {
        let (idf, average_length) = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => {
                let docs = statistics_provider.total_num_docs()?.max(1) as f32;
                let tokens = statistics_provider.total_num_tokens(self.term.field())? as f32;
                let doc_freq = statistics_provider.doc_freq(&self.term)? as f32;
                (idf(docs, doc_freq), (tokens / docs).max(1.0))
            }
            EnableScoring::Disabled { .. } => (1.0, 1.0),
        };
        let params = self.params;
        let compute = || -> Norms {
            let mut norms = Box::new([0.0f32; 256]);
            for (id, norm) in norms.iter_mut().enumerate() {
                let length = FieldNormReader::id_to_fieldnorm(id as u8) as f32;
                *norm = params.k1 * (1.0 - params.b + params.b * length / average_length);
            }
            Arc::from(norms)
        };
        // The same for every term of a field in one search: computed once when the search
        // keeps its term infos.
        let norms = match &self.term_infos {
            Some(infos) => infos.norms(
                (
                    params.k1.to_bits(),
                    params.b.to_bits(),
                    average_length.to_bits(),
                ),
                compute,
            ),
            None => compute(),
        };
        Ok(Bm25TermWeight {
            term: self.term.clone(),
            term_infos: self.term_infos.clone(),
            weight: idf * (1.0 + self.params.k1),
            norms,
        })
    }
}

impl Query for Bm25TermQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.term_weight(enable_scoring)?))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        visitor(&self.term, false);
    }
}

pub(crate) struct Bm25TermWeight {
    term: Term,
    term_infos: Option<Arc<TermInfos>>,
    /// idf × (k1 + 1).
    weight: f32,
    /// k1 × (1 − b + b × length / average length), per field-norm bucket. Shared with the
    /// scorers: a search opens hundreds of them, and moves them around.
    norms: Arc<[f32; 256]>,
}

impl Bm25TermWeight {
    /// No document scores more than this in any segment, with `boost`.
    pub(crate) fn max_score(&self, boost: Score) -> Score {
        self.weight * boost
    }

    /// The scorer of the term in one segment, `None` when the segment lacks the term.
    pub(crate) fn term_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<Bm25Scorer>> {
        let field = self.term.field();
        let inverted = reader.inverted_index(field)?;
        let Some(info) = term_info(self.term_infos.as_deref(), reader, &self.term)? else {
            return Ok(None);
        };
        let postings = inverted.read_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
        Ok(Some(Bm25Scorer {
            postings,
            fieldnorms: reader.get_fieldnorms_reader(field)?,
            weight: self.weight * boost,
            norms: Arc::clone(&self.norms),
        }))
    }
}

impl Weight for Bm25TermWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.term_scorer(reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let not_matching =
            || tantivy::TantivyError::InvalidArgument(format!("document {doc} does not match"));
        let mut scorer = self.term_scorer(reader, 1.0)?.ok_or_else(not_matching)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(not_matching());
        }
        Ok(Explanation::new("BM25 (fahras parameters)", scorer.score()))
    }
}

pub(crate) struct Bm25Scorer {
    postings: SegmentPostings,
    fieldnorms: FieldNormReader,
    weight: f32,
    norms: Arc<[f32; 256]>,
}

impl DocSet for Bm25Scorer {
    fn advance(&mut self) -> DocId {
        self.postings.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.postings.seek(target)
    }

    fn doc(&self) -> DocId {
        self.postings.doc()
    }

    fn size_hint(&self) -> u32 {
        self.postings.size_hint()
    }
}

impl Bm25Scorer {
    /// No document scores more than this: the term-frequency factor `tf / (tf + norm)` stays
    /// below 1.
    pub(crate) fn max_score(&self) -> Score {
        self.weight
    }

    /// What its score on the current document is made of: (idf × (k1 + 1) × boost, the
    /// term's frequency, the document's length norm).
    pub(crate) fn parts(&self) -> (Score, Score, Score) {
        let doc = self.postings.doc();
        let tf = self.postings.term_freq() as f32;
        (
            self.weight,
            tf,
            self.norms[self.fieldnorms.fieldnorm_id(doc) as usize],
        )
    }
}

impl Scorer for Bm25Scorer {
    fn score(&mut self) -> Score {
        let (weight, tf, norm) = self.parts();
        weight * tf / (tf + norm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Archive, Article};
    use tantivy::collector::TopDocs;
    use tantivy::query::TermQuery;

    fn archive() -> Archive {
        let archive = Archive::in_memory().unwrap();
        let mut writer = archive.writer(20_000_000, 1).unwrap();
        for (id, body) in [
            ("a", "سد سد وادي"),
            ("b", "سد في وادي العقيق بين الجبال العالية قرب القرية"),
            ("c", "وادي القمر"),
        ] {
            writer
                .upsert(&Article {
                    id: id.into(),
                    title: String::new(),
                    body: body.into(),
                    ..Article::default()
                })
                .unwrap();
        }
        writer.commit().unwrap();
        archive
    }

    fn scores(archive: &Archive, query: &dyn Query) -> Vec<(u32, f32)> {
        let mut top = archive
            .searcher()
            .search(query, &TopDocs::with_limit(10).order_by_score())
            .unwrap()
            .into_iter()
            .map(|(score, address)| (address.doc_id, score))
            .collect::<Vec<_>>();
        top.sort_by_key(|&(doc, _)| doc);
        top
    }

    #[test]
    fn term_weights_of_one_search_share_a_fields_norms() {
        use crate::search::stats::CachedStatistics;
        let archive = archive();
        let searcher = archive.searcher();
        let stats = CachedStatistics::new(&searcher);
        let scoring = EnableScoring::enabled_from_statistics_provider(&stats, &searcher);
        let f = archive.fields();
        let params = Bm25Params { k1: 0.8, b: 0.8 };
        let weight = |field, word: &str, shared: bool| {
            let query = Bm25TermQuery::new(Term::from_field_text(field, word), params);
            let query = if shared {
                query.with_term_infos(stats.term_infos())
            } else {
                query
            };
            query.term_weight(scoring).unwrap()
        };
        let (sad, wadi) = (weight(f.body, "سد", true), weight(f.body, "وادي", true));
        assert!(
            Arc::ptr_eq(&sad.norms, &wadi.norms),
            "computed once per field"
        );
        let exact = weight(f.body_exact, "سد", true);
        // The same values as a weight computing its own.
        let own = weight(f.body, "سد", false);
        assert!(!Arc::ptr_eq(&sad.norms, &own.norms));
        let bits = |n: &[f32; 256]| n.map(f32::to_bits);
        assert_eq!(bits(&sad.norms), bits(&own.norms));
        assert_eq!(
            bits(&exact.norms),
            bits(&weight(f.body_exact, "سد", false).norms)
        );
    }

    #[test]
    fn default_parameters_give_tantivys_scores() {
        let archive = archive();
        let term = Term::from_field_text(archive.fields().body, "سد");
        let ours = scores(
            &archive,
            &Bm25TermQuery::new(term.clone(), Bm25Params::default()),
        );
        let theirs = scores(
            &archive,
            &TermQuery::new(term, IndexRecordOption::WithFreqs),
        );
        assert_eq!(ours.len(), 2);
        for ((d1, s1), (d2, s2)) in ours.iter().zip(&theirs) {
            assert_eq!(d1, d2);
            assert!((s1 - s2).abs() < 1e-4, "{s1} vs {s2}");
        }
    }

    #[test]
    fn b_controls_length_normalization_and_k1_saturation() {
        let archive = archive();
        // The exact-form field: "وادي" is indexed as written there.
        let term = Term::from_field_text(archive.fields().body_exact, "وادي");
        // Without length normalization the short and the long article score alike
        // (one occurrence each).
        let flat = scores(
            &archive,
            &Bm25TermQuery::new(term.clone(), Bm25Params { k1: 1.2, b: 0.0 }),
        );
        assert!((flat[0].1 - flat[1].1).abs() < 1e-5);
        // With it, the long article scores lower.
        let normalized = scores(
            &archive,
            &Bm25TermQuery::new(term, Bm25Params { k1: 1.2, b: 1.0 }),
        );
        assert!(normalized[1].1 < normalized[0].1, "{normalized:?}");
        // k1 = 0: one occurrence counts as much as two.
        let term = Term::from_field_text(archive.fields().body_exact, "سد");
        let saturated = scores(
            &archive,
            &Bm25TermQuery::new(term, Bm25Params { k1: 0.0001, b: 0.0 }),
        );
        assert!(
            (saturated[0].1 - saturated[1].1).abs() < 1e-3,
            "{saturated:?}"
        );
    }
}
