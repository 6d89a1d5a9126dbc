//! The opening of an article as evidence: which of the query's content words its text
//! begins with. A rerank of the top of the page, beside title and query coverage
//! (`search/rerank.rs`).
//!
//! ```text
//! query words (terms, IDF) ──► their body positions for the top hits
//!   ──► the words found in the text's first `window` words ──► IDF share ──► bonus
//! ```
//!
//! BM25 counts a word wherever it is. Where a text names its subject is evidence BM25 does
//! not have: a passage about something begins with it (`الأسد حيوان من الثدييات …`), a news
//! story puts its subject in its first words, while the passages that only mention it
//! (the same article's others, a story where it comes up once) name it later. Among the
//! hits, the share of the query's weight (each content word's IDF, as query coverage
//! weighs it) found in the first [`OPENING_WORDS`] words of the text lifts the one that
//! opens with it.
//!
//! A **definition question** (`ما هو الأسد؟`, `من هي …`, `ماهي …`: ما or من with the
//! pronoun هو or هي) asks for exactly that passage, the one that begins with its subject
//! and says what it is, so its window is the text's first word alone and its weight its
//! own ([`Ranking::definition_opening`](super::Ranking::definition_opening)).
//!
//! The text's words are found in the stemmed body field, which holds the title and then
//! the text as one token stream: the text begins at the position after the title's tokens,
//! the stemmed title field's length (its field norm, exact up to [`EXACT_NORM`] tokens; an
//! article with a longer title gets no opening bonus). It reads the query words' posting
//! lists with their positions, for the top hits only, and no stored article.

use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher};

use super::rerank::{idf_share, QueryWord};
use super::stats::CachedStatistics;
use crate::analysis::ArabicTokenizer;
use crate::error::Result;
use crate::index::Archive;
use tantivy::postings::Postings;
use tantivy::tokenizer::{TokenStream, Tokenizer};

/// How many of the text's first words make its opening for a question that is not a
/// definition question. On arcd's tuning half (docs/evaluation.md, "Issue 17: the opening")
/// one, two, three, four and five words were measured; three was the best.
pub(super) const OPENING_WORDS: u32 = 3;

/// The longest title whose length the field norm gives exactly (tantivy's field norms are
/// exact from 0 to 40 tokens, then bucketed).
const EXACT_NORM: u32 = 40;

/// How many of the text's first words are its opening, for a definition question or not.
pub(super) fn window(definition: bool) -> u32 {
    if definition {
        1
    } else {
        OPENING_WORDS
    }
}

/// Whether `query` is a definition question: its first two words (normalized) are ما or من
/// and the pronoun هو or هي, or its first word is the two written as one (ماهو, ماهي), as
/// questions are often typed.
pub(super) fn is_definition_question(query: &str) -> bool {
    let mut tokenizer = ArabicTokenizer::default();
    let mut stream = tokenizer.token_stream(query);
    let mut first = String::new();
    if stream.advance() {
        first.push_str(&stream.token().text);
    }
    let second = if stream.advance() {
        stream.token().text.as_str()
    } else {
        ""
    };
    match first.as_str() {
        "ماهو" | "ماهي" => true,
        "ما" | "من" => matches!(second, "هو" | "هي"),
        _ => false,
    }
}

/// The opening share of each hit, in the order of `hits`: Σ IDF of the query words found in
/// the first `window` words of its text / Σ IDF of the query words.
pub(super) fn opening(
    archive: &Archive,
    searcher: &Searcher,
    stats: &CachedStatistics<'_>,
    words: &[QueryWord],
    hits: &[(f32, DocAddress, bool)],
    window: u32,
) -> Result<Vec<f32>> {
    if window == 0 {
        return Ok(vec![0.0; hits.len()]);
    }
    let title = archive.fields().title;
    // Where each hit's text begins in the body field; None past the exact norms.
    let starts = hits
        .iter()
        .map(|&(_, address, _)| {
            let norms = searcher
                .segment_reader(address.segment_ord)
                .get_fieldnorms_reader(title)?;
            Ok(Some(norms.fieldnorm(address.doc_id)).filter(|&n| n <= EXACT_NORM))
        })
        .collect::<Result<Vec<Option<u32>>>>()?;
    let mut positions = Vec::new();
    idf_share(
        searcher,
        stats,
        words,
        hits,
        IndexRecordOption::WithFreqsAndPositions,
        |i, postings| {
            let Some(start) = starts[i] else {
                return false;
            };
            postings.positions(&mut positions);
            positions.iter().any(|&p| p >= start && p < start + window)
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::rerank::tests::{address_of, archive};
    use crate::search::{Ranking, SearchRequest};

    /// The ids of the hits for `query` under `ranking`, best first.
    fn ids(archive: &Archive, query: &str, ranking: Ranking) -> Vec<String> {
        let mut request = SearchRequest::new(query);
        request.ranking = ranking;
        let results = archive.search(&request).unwrap();
        results.hits.into_iter().map(|h| h.id).collect()
    }

    /// Only the opening bonus on, at `opening` and `definition`.
    fn opening_only(opening: f32, definition: f32) -> Ranking {
        Ranking {
            title_coverage: 0.0,
            query_coverage: 0.0,
            opening,
            definition_opening: definition,
            ..Ranking::default()
        }
    }

    #[test]
    fn definition_questions_are_ma_or_man_with_the_pronoun() {
        for query in [
            "ما هو الأسد؟",
            "- من هي أم كلثوم",
            "ما هى البيتكوين",
            "ماهو غشاء البكارة؟",
            "ماهى الأسد",
            "مَا هُوَ الأسد",
        ] {
            assert!(is_definition_question(query), "{query}");
        }
        for query in [
            "متى ولد الحجاج؟",
            "ما عاصمة فرنسا",
            "من اسس الدولة الاموية",
            "هو ما",
            "ما",
            "",
            "الأسد ما هو",
        ] {
            assert!(!is_definition_question(query), "{query}");
        }
    }

    #[test]
    fn the_article_that_opens_with_the_subject_answers_the_definition_question() {
        // Two passages of one article: "mentions" says الأسد later in its text and is
        // shorter; "opens" begins with it.
        let articles = [
            ("mentions", "الأسد", "يصطاد الأسد ليلا في إفريقيا"),
            (
                "opens",
                "الأسد",
                "الأسد حيوان من الثدييات من فصيلة السنوريات الكبيرة",
            ),
            ("other", "النمر", "النمر حيوان"),
        ];
        let archive = archive(&articles);
        let query = "ما هو الأسد؟";
        assert_eq!(ids(&archive, query, opening_only(0.0, 0.0))[0], "mentions");
        assert_eq!(ids(&archive, query, opening_only(0.0, 0.3))[0], "opens");
        // The definition question has its own weight: the other one does not apply to it.
        assert_eq!(ids(&archive, query, opening_only(0.3, 0.0))[0], "mentions");
    }

    #[test]
    fn the_opening_is_the_texts_first_words_after_the_title() {
        // The title is in the body field before the text: its words are not the opening.
        // "late" has the query's word as its fourth word; "early" as its third.
        let articles = [
            (
                "late",
                "سد العقيق",
                "بني في الوادي سد كبير قرب المدينة سد سد",
            ),
            ("early", "جبل", "في الوادي سد كبير قرب المدينة"),
            ("f1", "", "بحر واسع"),
        ];
        let archive = archive(&articles);
        let searcher = archive.searcher();
        let stats = CachedStatistics::new(&searcher);
        let request = SearchRequest::new("سد");
        let parsed = crate::search::query::bounded("سد").unwrap();
        let compiled =
            crate::search::compile::compile(&archive, &searcher, &stats, &parsed, &request)
                .unwrap();
        let words = super::super::rerank::query_words(&archive, &stats, &compiled).unwrap();
        let hits: Vec<(f32, DocAddress, bool)> = ["late", "early", "f1"]
            .iter()
            .map(|id| (1.0, address_of(&archive, id), false))
            .collect();
        let share = |window| opening(&archive, &searcher, &stats, &words, &hits, window).unwrap();
        assert_eq!(share(3), [0.0, 1.0, 0.0]);
        assert_eq!(share(4), [1.0, 1.0, 0.0]);
        assert_eq!(share(2), [0.0, 0.0, 0.0]);
        assert_eq!(share(0), [0.0, 0.0, 0.0]);
    }
}
