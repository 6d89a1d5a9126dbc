//! Index statistics for scoring, looked up once per search.
//!
//! Every term query's weight needs the term's document frequency (a term-dictionary lookup in
//! every segment) and its field's token count (a pass over the segments). One search asks for
//! the same terms several times: the all-words tier, the partial tier's candidates and its
//! full scoring all search the same words. [`CachedStatistics`] answers each question once.
//!
//! A term's document frequency is the sum of its term infos in every segment, and opening its
//! posting list in a segment needs the same term info again: [`TermInfos`] keeps those found
//! for the statistics, so that the scorers of the partial tier ([`super::bm25`]) open their
//! posting lists without a second term-dictionary lookup.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;
use tantivy::index::SegmentId;
use tantivy::postings::TermInfo;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher, SegmentReader, Term};

/// Term infos by segment and term, looked up once. Shared by the statistics and the term
/// queries of one search (which tantivy wants `Send + Sync`, hence the mutex, never
/// contended: a search runs on one thread).
#[derive(Default)]
pub(crate) struct TermInfos {
    /// By term, then segment: a term is looked up with no copy of it (a search asks for a
    /// hundred terms, most of them more than once).
    found: Mutex<FxHashMap<Term, BySegment>>,
    /// BM25's length normalization by field-norm bucket, computed once per (k1, b, average
    /// field length) for all the term queries of the search ([`super::bm25`]): a search
    /// with spellings builds hundreds of term weights over five fields.
    norms: Mutex<Vec<(NormsKey, Norms)>>,
}

/// What a term weight's [`Norms`] depend on: k1, b and the field's average length, as bits.
pub(crate) type NormsKey = (u32, u32, u32);

/// A length normalization per field-norm bucket.
pub(crate) type Norms = Arc<[f32; 256]>;

/// A term's info in each segment looked up so far (`None`: the segment lacks the term).
type BySegment = Vec<(SegmentId, Option<TermInfo>)>;

impl TermInfos {
    /// The term's info in the segment, `None` when the segment lacks the term.
    pub(crate) fn get(
        &self,
        reader: &SegmentReader,
        term: &Term,
    ) -> tantivy::Result<Option<TermInfo>> {
        let segment = reader.segment_id();
        let mut found = self.found.lock().expect("term infos lock");
        if let Some(infos) = found.get(term) {
            if let Some((_, info)) = infos.iter().find(|(s, _)| *s == segment) {
                return Ok(info.clone());
            }
        }
        let info = reader.inverted_index(term.field())?.get_term_info(term)?;
        match found.get_mut(term) {
            Some(infos) => infos.push((segment, info.clone())),
            None => {
                found.insert(term.clone(), vec![(segment, info.clone())]);
            }
        }
        Ok(info)
    }

    /// The norms for `key`, computed by `compute` the first time they are asked for.
    pub(crate) fn norms(&self, key: NormsKey, compute: impl FnOnce() -> Norms) -> Norms {
        let mut norms = self.norms.lock().expect("norms lock");
        if let Some((_, found)) = norms.iter().find(|(k, _)| *k == key) {
            return Arc::clone(found);
        }
        let computed = compute();
        norms.push((key, Arc::clone(&computed)));
        computed
    }
}

/// A term's info in a segment: from `infos` when the search keeps them, else looked up in the
/// segment's term dictionary.
pub(crate) fn term_info(
    infos: Option<&TermInfos>,
    reader: &SegmentReader,
    term: &Term,
) -> tantivy::Result<Option<TermInfo>> {
    match infos {
        Some(infos) => infos.get(reader, term),
        None => Ok(reader.inverted_index(term.field())?.get_term_info(term)?),
    }
}

impl std::fmt::Debug for TermInfos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TermInfos")
    }
}

/// A searcher's statistics, memoized. Meant to live for one search.
pub(crate) struct CachedStatistics<'s> {
    searcher: &'s Searcher,
    docs: RefCell<Option<u64>>,
    tokens: RefCell<HashMap<Field, u64>>,
    doc_freqs: RefCell<FxHashMap<Term, u64>>,
    term_infos: Arc<TermInfos>,
}

impl<'s> CachedStatistics<'s> {
    pub(crate) fn new(searcher: &'s Searcher) -> CachedStatistics<'s> {
        CachedStatistics {
            searcher,
            docs: RefCell::new(None),
            tokens: RefCell::new(HashMap::new()),
            doc_freqs: RefCell::new(FxHashMap::default()),
            term_infos: Arc::default(),
        }
    }

    /// Scores the spellings of one word as one term: from now on each of `terms` reports the
    /// largest document frequency among them (as Lucene's `SynonymQuery` does), so that the
    /// spelling a query happens to use does not change the word's IDF. A rarer spelling typed
    /// would otherwise weigh its few articles far above those writing the word the common way.
    pub(crate) fn pool(&self, terms: &[Term]) -> tantivy::Result<()> {
        let mut most = 0;
        for term in terms {
            most = most.max(self.doc_freq(term)?);
        }
        let mut cached = self.doc_freqs.borrow_mut();
        for term in terms {
            cached.insert(term.clone(), most);
        }
        Ok(())
    }

    /// Whether some segment holds `term` (whatever its pooled document frequency): a term
    /// the archive lacks scores nothing, and its query is not worth building.
    pub(crate) fn holds(&self, term: &Term) -> tantivy::Result<bool> {
        for reader in self.searcher.segment_readers() {
            if self.term_infos.get(reader, term)?.is_some() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The term infos found so far, for term queries of the same search.
    pub(crate) fn term_infos(&self) -> Arc<TermInfos> {
        Arc::clone(&self.term_infos)
    }
}

impl Bm25StatisticsProvider for CachedStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        if let Some(&tokens) = self.tokens.borrow().get(&field) {
            return Ok(tokens);
        }
        let tokens = self.searcher.total_num_tokens(field)?;
        self.tokens.borrow_mut().insert(field, tokens);
        Ok(tokens)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        if let Some(docs) = *self.docs.borrow() {
            return Ok(docs);
        }
        let docs = self.searcher.total_num_docs()?;
        *self.docs.borrow_mut() = Some(docs);
        Ok(docs)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        if let Some(&doc_freq) = self.doc_freqs.borrow().get(term) {
            return Ok(doc_freq);
        }
        let mut doc_freq = 0;
        for reader in self.searcher.segment_readers() {
            if let Some(info) = self.term_infos.get(reader, term)? {
                doc_freq += u64::from(info.doc_freq);
            }
        }
        self.doc_freqs.borrow_mut().insert(term.clone(), doc_freq);
        Ok(doc_freq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Archive, Article};

    #[test]
    fn answers_as_the_searcher_does() {
        let archive = Archive::in_memory().unwrap();
        let mut writer = archive.writer(20_000_000, 1).unwrap();
        for (id, body) in [("a", "سد وادي"), ("b", "سد الوادي الكبير")] {
            writer
                .upsert(&Article {
                    id: id.into(),
                    body: body.into(),
                    ..Article::default()
                })
                .unwrap();
        }
        writer.commit().unwrap();
        let searcher = archive.searcher();
        let cached = CachedStatistics::new(&searcher);
        let body = archive.fields().body;
        let term = Term::from_field_text(body, "سد");
        for _ in 0..2 {
            assert_eq!(cached.doc_freq(&term).unwrap(), 2);
            assert_eq!(
                cached.total_num_tokens(body).unwrap(),
                searcher.total_num_tokens(body).unwrap()
            );
            assert_eq!(cached.total_num_docs().unwrap(), 2);
        }
        // Pooled with a spelling the archive lacks, the term and the spelling report the
        // same document frequency; only the term is held.
        let lacking = Term::from_field_text(body, "ززز");
        cached.pool(&[term.clone(), lacking.clone()]).unwrap();
        assert_eq!(cached.doc_freq(&lacking).unwrap(), 2);
        assert!(cached.holds(&term).unwrap());
        assert!(!cached.holds(&lacking).unwrap());
    }
}
