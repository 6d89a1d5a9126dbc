//! Reranking the top of the page by evidence BM25 does not have: **title coverage**, how
//! much of an article's title the query names, **query coverage**, how much of the
//! query's weight an article holds, and the **opening**, how much of it the article's text
//! begins with (`search/opening.rs`).
//!
//! ```text
//! Page (by score) ──► top RERANK_DEPTH hits
//!                 ──► + title weight × best score × title coverage
//!                     + query weight × best score × query coverage
//!                     + opening weight × best score × opening share ──► Page
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
//! Query coverage is the IDF-weighted share of the query's content words (each word with its
//! spellings and compound forms, one clause of the query) that an article's stemmed body
//! (which holds the title) contains: Σ IDF of the words found / Σ IDF of the words the
//! archive has. BM25 saturates a word's frequency and normalizes by length, so an article
//! repeating two of a question's words can outscore one holding all of them once; a question
//! is usually answered by the passage holding all its rare words. Unlike soft coordination
//! (a factor on the partial matches' scores, counting words), it weighs the words and adds to
//! every hit of the top alike. It reads the query words' posting lists in the body field
//! only, for the hits of the top.
//!
//! Each bonus is `weight × s₁ × coverage`, where `s₁` is the best score of the page, so that
//! the signal is on the scale of the query's own scores whatever their size; only the first
//! [`RERANK_DEPTH`] hits are scored (they only gain, so everything below stays below them),
//! and only when hits are ordered by relevance. An article without a title gets no title
//! bonus; a query with fewer than two content words the archive has, no query bonus.

use rustc_hash::FxHashSet;
use tantivy::postings::SegmentPostings;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, DocSet, Searcher, SegmentReader, Term};

use super::compiled::Compiled;
use super::request::Ranking;
use super::snippet::MatchTerms;
use super::stats::{CachedStatistics, TermInfos};
use crate::error::Result;
use crate::index::Archive;

/// How many hits from the top of the page are reranked. The search asks the tiers for at
/// least this many, so that the reranked order of a page does not depend on its size.
/// On arcd (`fahras eval`, depth 100, weight 0.3, the IDF-weighted first version) depth 10
/// gave nDCG@10 0.8351, 20 0.8365.
pub(super) const RERANK_DEPTH: usize = 20;

/// Adds the title-coverage, query-coverage and opening bonuses to the first
/// [`RERANK_DEPTH`] hits of `page` and sorts them again. Weights of 0 leave the page as it is.
pub(super) fn rerank(
    archive: &Archive,
    searcher: &Searcher,
    stats: &CachedStatistics<'_>,
    query: &str,
    compiled: &Compiled,
    ranking: &Ranking,
    page: &mut [(f32, DocAddress, bool)],
) -> Result<()> {
    let Some(&(best, _, _)) = page.first() else {
        return Ok(());
    };
    let (title_weight, query_weight) = (ranking.title_coverage, ranking.query_coverage);
    if best <= 0.0 || !ranking.reranks() {
        return Ok(());
    }
    let depth = page.len().min(RERANK_DEPTH);
    let mut bonus = vec![0.0f32; depth];
    if title_weight > 0.0 {
        let stems = content_stems(archive, query, &compiled.terms)?;
        let infos = stats.term_infos();
        let coverage = title_coverage(archive, searcher, &infos, &stems, &page[..depth])?;
        for (bonus, coverage) in bonus.iter_mut().zip(coverage) {
            *bonus += title_weight * best * coverage;
        }
    }
    let definition = super::opening::is_definition_question(query);
    let opening_weight = if definition {
        ranking.definition_opening
    } else {
        ranking.opening
    };
    if query_weight > 0.0 || opening_weight > 0.0 {
        let words = query_words(archive, stats, compiled)?;
        if query_weight > 0.0 {
            let coverage = query_coverage(searcher, stats, &words, &page[..depth])?;
            for (bonus, coverage) in bonus.iter_mut().zip(coverage) {
                *bonus += query_weight * best * coverage;
            }
        }
        if opening_weight > 0.0 {
            let window = super::opening::window(definition);
            let opening =
                super::opening::opening(archive, searcher, stats, &words, &page[..depth], window)?;
            for (bonus, opening) in bonus.iter_mut().zip(opening) {
                *bonus += opening_weight * best * opening;
            }
        }
    }
    for (hit, bonus) in page[..depth].iter_mut().zip(bonus) {
        hit.0 += bonus;
    }
    page[..depth].sort_by(|a, b| b.0.total_cmp(&a.0));
    Ok(())
}

/// One content word of the query for query coverage and the opening: its terms in the
/// stemmed body (the word, its spellings, its compound forms; a phrase's words) and its IDF.
#[derive(Debug)]
pub(super) struct QueryWord {
    pub(super) terms: Vec<Term>,
    pub(super) idf: f32,
}

/// The query's content words (its required clauses) that the archive has, each with the
/// IDF of its most common body term (a word and its spellings share one document frequency,
/// see `CachedStatistics::pool`).
pub(super) fn query_words(
    archive: &Archive,
    stats: &CachedStatistics<'_>,
    compiled: &Compiled,
) -> Result<Vec<QueryWord>> {
    let body = archive.fields().body;
    let mut terms: Vec<Vec<Term>> = vec![Vec::new(); compiled.required.len()];
    for ((term, _), &clause) in compiled.flat_terms.iter().zip(&compiled.flat_clauses) {
        if term.field() == body && !terms[clause].contains(term) {
            terms[clause].push(term.clone());
        }
    }
    let docs = stats.total_num_docs()?.max(1) as f32;
    let mut words = Vec::new();
    for terms in terms {
        let mut df = 0;
        for term in &terms {
            df = df.max(stats.doc_freq(term)?);
        }
        // A word the archive lacks is in no article: it would only shrink every bonus.
        if df > 0 {
            let idf = super::bm25::idf(docs, df as f32);
            words.push(QueryWord { terms, idf });
        }
    }
    Ok(words)
}

/// The query coverage of each hit (see the module docs), in the order of `hits`: 0 for every
/// hit when the query has fewer than two words the archive has (with one, every hit has it).
fn query_coverage(
    searcher: &Searcher,
    stats: &CachedStatistics<'_>,
    words: &[QueryWord],
    hits: &[(f32, DocAddress, bool)],
) -> Result<Vec<f32>> {
    if words.len() < 2 {
        return Ok(vec![0.0; hits.len()]);
    }
    idf_share(
        searcher,
        stats,
        words,
        hits,
        IndexRecordOption::Basic,
        |_, _| true,
    )
}

/// For each hit, in the order of `hits`: Σ IDF of the `words` it holds / Σ IDF of them all
/// (0 for every hit when the words weigh nothing). A hit holds a word when the posting list
/// of one of the word's terms (its spellings), read with `record`, is on the hit and
/// `holds(hit, postings)` agrees; query coverage asks no more, the opening also looks at
/// the positions.
pub(super) fn idf_share(
    searcher: &Searcher,
    stats: &CachedStatistics<'_>,
    words: &[QueryWord],
    hits: &[(f32, DocAddress, bool)],
    record: IndexRecordOption,
    mut holds: impl FnMut(usize, &mut SegmentPostings) -> bool,
) -> Result<Vec<f32>> {
    let total: f32 = words.iter().map(|w| w.idf).sum();
    let mut held = vec![0.0f32; hits.len()];
    if total <= 0.0 {
        return Ok(held);
    }
    let infos = stats.term_infos();
    for_each_segment(searcher, hits, |reader, segment| {
        for word in words {
            let mut found = vec![false; hits.len()];
            for term in &word.terms {
                each_holding(
                    reader,
                    &infos,
                    term,
                    hits,
                    segment,
                    record,
                    |i, postings| {
                        if !found[i] && holds(i, postings) {
                            found[i] = true;
                        }
                    },
                )?;
            }
            for &i in segment {
                if found[i] {
                    held[i] += word.idf;
                }
            }
        }
        Ok(())
    })?;
    Ok(held.into_iter().map(|h| h / total).collect())
}

fn for_each_segment(
    searcher: &Searcher,
    hits: &[(f32, DocAddress, bool)],
    mut visit: impl FnMut(&SegmentReader, &[usize]) -> Result<()>,
) -> Result<()> {
    let mut order: Vec<usize> = (0..hits.len()).collect();
    order.sort_by_key(|&i| (hits[i].1.segment_ord, hits[i].1.doc_id));
    for segment in order.chunk_by(|&a, &b| hits[a].1.segment_ord == hits[b].1.segment_ord) {
        visit(
            searcher.segment_reader(hits[segment[0]].1.segment_ord),
            segment,
        )?;
    }
    Ok(())
}

/// Calls `hold` with the index (into `hits`) of each hit of `segment` (one segment's, in
/// document order, as [`for_each_segment`] gives them) whose document `term` is in, and
/// `term`'s posting list (read with `record`) on that document.
fn each_holding(
    reader: &SegmentReader,
    infos: &TermInfos,
    term: &Term,
    hits: &[(f32, DocAddress, bool)],
    segment: &[usize],
    record: IndexRecordOption,
    mut hold: impl FnMut(usize, &mut SegmentPostings),
) -> Result<()> {
    let Some(info) = infos.get(reader, term)? else {
        return Ok(());
    };
    let mut postings = reader
        .inverted_index(term.field())?
        .read_postings_from_terminfo(&info, record)
        .map_err(tantivy::TantivyError::from)?;
    for &i in segment {
        let target = hits[i].1.doc_id;
        // (A posting list may only be asked for a document at or after its own.)
        if postings.doc() < target {
            postings.seek(target);
        }
        if postings.doc() == target {
            hold(i, &mut postings);
        }
    }
    Ok(())
}

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
    for_each_segment(searcher, hits, |reader, segment| {
        let norms = reader.get_fieldnorms_reader(f.title_exact)?;
        for &i in segment {
            words[i] = norms.fieldnorm(hits[i].1.doc_id);
        }
        for stem in stems {
            let term = Term::from_field_text(f.title, stem);
            each_holding(
                reader,
                infos,
                &term,
                hits,
                segment,
                IndexRecordOption::Basic,
                |i, _| named[i] += 1,
            )?;
        }
        Ok(())
    })?;
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
pub(super) mod tests {
    use super::*;
    use crate::search::{Ranking, SearchRequest};
    use crate::Article;

    /// An archive of the articles (id, title, body), in memory.
    pub(in crate::search) fn archive(articles: &[(&str, &str, &str)]) -> Archive {
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
        let address = address_of(archive, id);
        let terms = MatchTerms::from_text(query);
        let stems = content_stems(archive, query, &terms).unwrap();
        title_coverage(archive, &searcher, &infos, &stems, &[(1.0, address, false)]).unwrap()[0]
    }

    /// The query coverage of the article `id` for `query`, with the search's defaults.
    fn held(archive: &Archive, id: &str, query: &str) -> f32 {
        let searcher = archive.searcher();
        let stats = CachedStatistics::new(&searcher);
        let request = SearchRequest::new(query);
        let parsed = crate::search::query::bounded(query).unwrap();
        let compiled =
            crate::search::compile::compile(archive, &searcher, &stats, &parsed, &request).unwrap();
        let words = query_words(archive, &stats, &compiled).unwrap();
        let address = address_of(archive, id);
        query_coverage(&searcher, &stats, &words, &[(1.0, address, false)]).unwrap()[0]
    }

    /// The ids of the first two hits for `query` under `ranking`.
    fn top_two(archive: &Archive, query: &str, ranking: Ranking) -> Vec<String> {
        let mut request = SearchRequest::new(query);
        request.ranking = ranking;
        let results = archive.search(&request).unwrap();
        results.hits.into_iter().take(2).map(|h| h.id).collect()
    }

    /// Where the article `id` is.
    pub(in crate::search) fn address_of(archive: &Archive, id: &str) -> DocAddress {
        let searcher = archive.searcher();
        (0..searcher.segment_readers().len() as u32)
            .flat_map(|s| {
                let max = searcher.segment_reader(s).max_doc();
                (0..max).map(move |d| DocAddress::new(s, d))
            })
            .find(|&a| archive.article(&searcher, a).unwrap().id == id)
            .unwrap()
    }

    #[test]
    fn query_coverage_is_the_idf_share_of_the_query_words_an_article_holds() {
        // سد in four articles, العقيق in one: the rarer word weighs more.
        let archive = archive(&[
            ("both", "", "سد العقيق"),
            ("dam", "", "سد كبير"),
            ("d2", "", "سد صغير"),
            ("d3", "", "سد قديم"),
            ("none", "", "بحر واسع"),
        ]);
        let (n, df_dam, df_aqiq) = (5.0f32, 4.0f32, 1.0f32);
        let idf = |df: f32| (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        let dam_share = idf(df_dam) / (idf(df_dam) + idf(df_aqiq));
        assert_eq!(held(&archive, "both", "سد العقيق"), 1.0);
        assert!((held(&archive, "dam", "سد العقيق") - dam_share).abs() < 1e-6);
        assert_eq!(held(&archive, "none", "سد العقيق"), 0.0);
        // Stopwords are not words to hold, and a word the archive lacks is left out: it
        // would only shrink every article's share.
        assert!((held(&archive, "dam", "متى بني سد العقيق؟") - dam_share).abs() < 1e-6);
        assert!((held(&archive, "dam", "سد العقيق زمرد") - dam_share).abs() < 1e-6);
        // The word's forms as the index sees them.
        assert_eq!(held(&archive, "both", "والسدّ العقيقِ"), 1.0);
        // One word: every hit holds it, no bonus to give.
        assert_eq!(held(&archive, "dam", "سد"), 0.0);
        assert_eq!(held(&archive, "dam", "سد زمرد"), 0.0);
    }

    #[test]
    fn an_article_holding_all_the_rare_words_outranks_one_repeating_two() {
        // "repeats" says two of the question's words twice each in a short text; "holds"
        // has all three once in a longer one.
        let articles = [
            ("repeats", "", "سد على الوادي الكبير وفي الوادي سد آخر"),
            (
                "holds",
                "",
                "بني سد في الوادي قرب العقيق بعد سنوات من العمل الطويل",
            ),
            ("f0", "", "العقيق حجر كريم"),
            ("f1", "", "العقيق حجر نادر"),
            ("v", "", "سد وادي"),
            ("w", "", "جبل الوادي"),
        ];
        let archive = archive(&articles);
        let ids = |weight: f32| {
            let ranking = Ranking {
                query_coverage: weight,
                ..Ranking::default()
            };
            top_two(&archive, "سد الوادي العقيق", ranking)
        };
        assert_eq!(ids(0.0), ["repeats", "holds"]);
        assert_eq!(ids(0.3), ["holds", "repeats"]);
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
                "صحفي سعودي عمل مستشارا ثم مديرا لقناة اخبارية بعد ان ولد في المدينة المنورة وتعلم فيها",
            ),
            (
                "headline",
                "حريق في سوق المدينة القديمة",
                "ولد خاشقجي الصغير في حي قديم قرب السوق وسط زحام الناس والباعة",
            ),
            ("other1", "الربيع", "ولد الطفل في الربيع"),
            ("other2", "الصيف", "ولد الطفل في الصيف"),
        ]);
        let ids = |weight: f32| {
            let ranking = Ranking {
                title_coverage: weight,
                ..Ranking::default()
            };
            top_two(&archive, "متى ولد خاشقجي", ranking)
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
