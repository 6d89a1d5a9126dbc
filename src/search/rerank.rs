//! Reranking the top of the page by evidence BM25 does not have: **title coverage**, how
//! much of an article's title the query names.
//!
//! ```text
//! Page (by score) ──► top RERANK_DEPTH hits ──► + weight × best score × title coverage ──► Page
//! ```
//!
//! A question names what it asks about (`متى ولد جمال خاشقجي` names the article
//! `جمال خاشقجي`), and a headline often repeats its article's title. BM25 on the title field
//! counts how many query words a title has, not how much of the title the query holds: a
//! long news headline sharing one rare word with a question scores like a Wikipedia title
//! the question names whole. Title coverage is the number of the query's content stems (its
//! words and their spelling variants, the stems the snippet highlights, stopwords left out)
//! found in the stemmed title, over the number of the title's content words (the length of
//! its exact-form field, which leaves the stopwords out), at most 1.
//!
//! Both come from the index: the query stems' posting lists in the title field, and the
//! exact-form title's field norms, so the rerank reads no stored article. (Weighting the
//! words by IDF, which needs the title's words from the document store and a lookup for each,
//! measured about the same on arcd: nDCG@10 0.8365 at weight 0.3, counted 0.8352 at 0.3 and
//! 0.8364 at 0.2, and cost a third
//! of a search's time.)
//!
//! The bonus is `weight × s₁ × coverage`, where `s₁` is the best score of the page, so that
//! the signal is on the scale of the query's own scores whatever their size; only the first
//! [`RERANK_DEPTH`] hits are scored (they only gain, so everything below stays below them),
//! and only when hits are ordered by relevance. An article without a title gets nothing.

use rustc_hash::FxHashSet;
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, DocSet, Searcher, Term};

use super::snippet::MatchTerms;
use super::stats::TermInfos;
use crate::error::Result;
use crate::index::Archive;

/// How many hits from the top of the page are reranked. The search asks the tiers for at
/// least this many, so that the reranked order of a page does not depend on its size.
/// On arcd (`fahras eval`, depth 100, weight 0.3, the IDF-weighted first version) depth 10
/// gave nDCG@10 0.8351, 20 0.8365.
pub(super) const RERANK_DEPTH: usize = 20;

/// Adds the title-coverage bonus to the first [`RERANK_DEPTH`] hits of `page` and sorts them
/// again. `weight` 0 leaves the page as it is.
pub(super) fn rerank(
    archive: &Archive,
    searcher: &Searcher,
    infos: &TermInfos,
    query: &str,
    terms: &MatchTerms,
    weight: f32,
    page: &mut [(f32, DocAddress, bool)],
) -> Result<()> {
    let Some(&(best, _, _)) = page.first() else {
        return Ok(());
    };
    if weight <= 0.0 || best <= 0.0 {
        return Ok(());
    }
    let depth = page.len().min(RERANK_DEPTH);
    let stems = content_stems(archive, query, terms)?;
    let coverage = title_coverage(archive, searcher, infos, &stems, &page[..depth])?;
    for (hit, coverage) in page[..depth].iter_mut().zip(coverage) {
        hit.0 += weight * best * coverage;
    }
    page[..depth].sort_by(|a, b| b.0.total_cmp(&a.0));
    Ok(())
}

/// The query's stems to look for in titles: `terms.stems` (its words and their variants)
/// without the stems of its stopwords.
fn content_stems(archive: &Archive, query: &str, terms: &MatchTerms) -> Result<Vec<String>> {
    let f = archive.fields();
    let stopwords = stopword_stems(
        &mut archive.analyzer(f.title)?,
        &mut archive.analyzer(f.title_exact)?,
        query,
    );
    let mut stems: Vec<String> = terms
        .stems
        .iter()
        .filter(|s| !stopwords.contains(*s))
        .cloned()
        .collect();
    stems.sort_unstable();
    Ok(stems)
}

/// The stems of a text's stopwords: the words the stemmed analyzer keeps and the exact-form
/// one (which leaves stopwords out) does not, at the same positions.
fn stopword_stems(
    stemmed: &mut TextAnalyzer,
    exact: &mut TextAnalyzer,
    text: &str,
) -> FxHashSet<String> {
    let mut content = FxHashSet::default();
    let mut stream = exact.token_stream(text);
    while let Some(token) = stream.next() {
        content.insert(token.position);
    }
    let mut stems = FxHashSet::default();
    let mut stream = stemmed.token_stream(text);
    while let Some(token) = stream.next() {
        if !content.contains(&token.position) {
            stems.insert(token.text.clone());
        }
    }
    stems
}

/// The title coverage of each hit (see the module docs), in the order of `hits`.
fn title_coverage(
    archive: &Archive,
    searcher: &Searcher,
    infos: &TermInfos,
    stems: &[String],
    hits: &[(f32, DocAddress, bool)],
) -> Result<Vec<f32>> {
    let f = archive.fields();
    let mut named = vec![0u32; hits.len()];
    let mut words = vec![0u32; hits.len()];
    // Each segment's hits in document order, for posting lists that only seek forward.
    let mut order: Vec<usize> = (0..hits.len()).collect();
    order.sort_by_key(|&i| (hits[i].1.segment_ord, hits[i].1.doc_id));
    for segment in order.chunk_by(|&a, &b| hits[a].1.segment_ord == hits[b].1.segment_ord) {
        let reader = searcher.segment_reader(hits[segment[0]].1.segment_ord);
        let norms = reader.get_fieldnorms_reader(f.title_exact)?;
        for &i in segment {
            words[i] = norms.fieldnorm(hits[i].1.doc_id);
        }
        let index = reader.inverted_index(f.title)?;
        for stem in stems {
            let term = Term::from_field_text(f.title, stem);
            let Some(info) = infos.get(reader, &term)? else {
                continue;
            };
            let mut postings = index
                .read_postings_from_terminfo(&info, IndexRecordOption::Basic)
                .map_err(tantivy::TantivyError::from)?;
            for &i in segment {
                let target = hits[i].1.doc_id;
                // (A posting list may only be asked for a document at or after its own.)
                if postings.doc() < target {
                    postings.seek(target);
                }
                if postings.doc() == target {
                    named[i] += 1;
                }
            }
        }
    }
    Ok(named
        .iter()
        .zip(&words)
        .map(|(&n, &w)| {
            if w == 0 {
                0.0
            } else {
                (n as f32 / w as f32).min(1.0)
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{Ranking, SearchRequest};
    use crate::Article;

    fn archive(articles: &[(&str, &str, &str)]) -> Archive {
        let archive = Archive::in_memory().unwrap();
        let mut writer = archive.writer(50_000_000, 1).unwrap();
        for (id, title, body) in articles {
            writer
                .upsert(&Article {
                    id: id.to_string(),
                    title: title.to_string(),
                    body: body.to_string(),
                    ..Article::default()
                })
                .unwrap();
        }
        writer.commit().unwrap();
        archive
    }

    /// The title coverage of the article `id` for `query`.
    fn coverage(archive: &Archive, id: &str, query: &str) -> f32 {
        let searcher = archive.searcher();
        let infos = TermInfos::default();
        let address = (0..searcher.segment_readers().len() as u32)
            .flat_map(|s| {
                let max = searcher.segment_reader(s).max_doc();
                (0..max).map(move |d| DocAddress::new(s, d))
            })
            .find(|&a| archive.article(&searcher, a).unwrap().id == id)
            .unwrap();
        let terms = MatchTerms::from_text(query);
        let stems = content_stems(archive, query, &terms).unwrap();
        title_coverage(archive, &searcher, &infos, &stems, &[(1.0, address, false)]).unwrap()[0]
    }

    #[test]
    fn coverage_is_the_share_of_the_title_the_query_names() {
        let archive = archive(&[
            ("a", "جمال خاشقجي", "صحفي سعودي"),
            ("b", "الرئيس في المدينة", "جبال وانهار"),
            ("c", "", "بحر"),
        ]);
        assert_eq!(coverage(&archive, "a", "متى ولد جمال خاشقجي"), 1.0);
        // Stems and normalization: the query's words as the index sees them.
        assert_eq!(coverage(&archive, "a", "والخاشقجى جمالٌ"), 1.0);
        assert_eq!(coverage(&archive, "a", "خاشقجي"), 0.5);
        assert_eq!(coverage(&archive, "a", "متى ولد"), 0.0);
        // A title's stopwords are not part of what the query must name, and a query's
        // stopwords name nothing.
        assert_eq!(coverage(&archive, "b", "الرئيس"), 0.5);
        assert_eq!(coverage(&archive, "b", "رئيس المدينة"), 1.0);
        assert_eq!(coverage(&archive, "b", "في"), 0.0);
        assert_eq!(coverage(&archive, "c", "بحر"), 0.0);
    }

    #[test]
    fn an_article_whose_title_the_question_names_outranks_a_headline_sharing_its_words() {
        let archive = archive(&[
            (
                "named",
                "خاشقجي",
                "صحفي سعودي عمل مستشارا ثم مديرا لقناة اخبارية",
            ),
            (
                "headline",
                "حريق في سوق المدينة القديمة",
                "ولد خاشقجي الصغير في حي قديم قرب السوق وسط زحام الناس والباعة",
            ),
            ("other1", "الربيع", "ولد الطفل في الربيع"),
            ("other2", "الصيف", "ولد الطفل في الصيف"),
        ]);
        let ids = |weight: f32| -> Vec<String> {
            let mut request = SearchRequest::new("متى ولد خاشقجي");
            request.ranking = Ranking {
                title_coverage: weight,
                ..Ranking::default()
            };
            let results = archive.search(&request).unwrap();
            results.hits.into_iter().take(2).map(|h| h.id).collect()
        };
        assert_eq!(ids(0.0), ["headline", "named"]);
        assert_eq!(ids(0.3), ["named", "headline"]);
    }

    #[test]
    fn the_reranked_order_does_not_depend_on_the_page_size() {
        // Twelve headlines match better than the named article by BM25, which the bonus
        // brings to the top: pages of 1, 5 and 20 agree with each other.
        let mut articles = vec![(
            "named".to_string(),
            "خاشقجي".to_string(),
            "صحفي سعودي عمل مستشارا".to_string(),
        )];
        for i in 0..12 {
            articles.push((
                format!("h{i}"),
                format!("حريق في سوق رقم {i}"),
                format!("ولد خاشقجي الصغير {i}"),
            ));
        }
        let refs: Vec<(&str, &str, &str)> = articles
            .iter()
            .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
            .collect();
        let archive = archive(&refs);
        let page = |offset: usize, limit: usize| -> Vec<String> {
            let mut request = SearchRequest::new("متى ولد خاشقجي");
            request.ranking.title_coverage = 0.3;
            request.offset = offset;
            request.limit = limit;
            let results = archive.search(&request).unwrap();
            results.hits.into_iter().map(|h| h.id).collect()
        };
        let all = page(0, 20);
        assert_eq!(all.len(), 13);
        assert_eq!(all[0], "named");
        assert_eq!(page(0, 1), all[..1]);
        assert_eq!(page(0, 5), all[..5]);
        assert_eq!(page(5, 5), all[5..10]);
    }
}
