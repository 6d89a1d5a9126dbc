//! Any query string gets results or an empty page: never a panic, never an error.

use proptest::prelude::*;
use std::sync::OnceLock;

use crate::index::Archive;
use crate::sample::sample_archive;
use crate::search::{SearchRequest, Sort};

fn archive() -> &'static Archive {
    static ARCHIVE: OnceLock<Archive> = OnceLock::new();
    ARCHIVE.get_or_init(|| sample_archive().expect("sample archive"))
}

/// Query strings made of the pieces that break query parsers: quotes of every kind,
/// operators, field prefixes, Arabic words and marks, bidi controls, emoji, and anything.
fn query_string() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => prop::sample::select(vec![
            "سد", "وادي", "العقيق", "الحكومة", "إلى", "في", "من", "OR", "AND", "-", "+", "\"",
            "«", "»", "“", "”", "title:", "body:", "foo:", ":", "(", ")", "*", "?", "~", "^",
            "\\", "ـــ", "\u{064E}", "\u{0651}", "\u{200F}", "\u{200E}", "\u{202B}", "\u{FEFF}",
            "😀", "🇸🇾", "#وسم_عربي", "٢٠٢٤", "3.5", " ", "  ", "\n", "\t",
        ]).prop_map(str::to_string),
        1 => prop::char::range('\u{0600}', '\u{06FF}').prop_map(|c| c.to_string()),
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn any_query_gets_results_or_an_empty_page(query in query_string()) {
        let mut request = SearchRequest::new(query);
        request.limit = 5;
        let results = archive().search(&request);
        prop_assert!(results.is_ok(), "{:?}", results.err());
        let results = results.unwrap();
        for hit in &results.hits {
            for &[a, b] in &hit.highlights {
                prop_assert!(a < b && b <= hit.snippet.len());
                prop_assert!(hit.snippet.is_char_boundary(a) && hit.snippet.is_char_boundary(b));
            }
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn arbitrary_unicode_with_filters_and_sorting(query in any::<String>()) {
        let mut request = SearchRequest::new(query);
        request.limit = 3;
        request.sort = Sort::Newest;
        request.categories = vec!["بيئة".into()];
        prop_assert!(archive().search(&request).is_ok());
    }
}

#[test]
fn a_ten_thousand_character_query() {
    let query = "سد وادي العقيق ".repeat(700);
    assert!(query.chars().count() >= 10_000);
    let results = archive().search(&SearchRequest::new(query)).unwrap();
    assert!(!results.hits.is_empty());
}

/// Queries of the sample archive's words, with phrases, alternatives, exclusions and field
/// prefixes.
fn word_query() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "سد",
        "وادي",
        "العقيق",
        "الحكومة",
        "إلى",
        "في",
        "من",
        "المياه",
        "الأمطار",
        "معرض",
        "الكتاب",
        "عبدالله",
        "OR",
        "-",
        "\"",
        "title:",
        "body:",
        " ",
    ]);
    prop::collection::vec(piece, 1..10).prop_map(|pieces| pieces.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// The all-words tier is skipped when its matcher finds nothing, so the matcher must match
    /// exactly the articles the full query does.
    #[test]
    fn the_matcher_matches_what_the_full_query_matches(query in word_query()) {
        use tantivy::collector::DocSetCollector;
        let archive = archive();
        let searcher = archive.searcher();
        let stats = super::stats::CachedStatistics::new(&searcher);
        let request = SearchRequest::new(query);
        let parsed = super::query::parse(&request.query);
        let compiled = super::compile::compile(archive, &searcher, &stats, &parsed, &request).unwrap();
        if let Some(matcher) = compiled.matcher_query() {
            let full = searcher.search(compiled.full_query().as_ref(), &DocSetCollector).unwrap();
            let matched = searcher.search(matcher.as_ref(), &DocSetCollector).unwrap();
            prop_assert_eq!(full, matched);
        }
    }
}
