//! Spelling variants: a word finds the article however the archive spells it.

use crate::search::{Indexed, Results};
use crate::{fahras_in, TestDir};

/// An archive whose articles spell the same names differently.
fn archive() -> Indexed {
    let dir = TestDir::new();
    let articles = [
        (
            "a1",
            "اشتباكات جديدة",
            "اندلعت اشتباكات بين الميليشيات المسلحة قرب الميناء.",
        ),
        (
            "a2",
            "انسحاب من الميناء",
            "بدأت المليشيات المسلحة انسحابها من محيط الميناء.",
        ),
        (
            "a3",
            "خدمة جديدة",
            "أطلقت شركة غوغل خدمة جديدة للترجمة الفورية.",
        ),
        ("a4", "تحديث", "أعلنت غوغل تحديثا لمحرك البحث."),
        ("a5", "اجتماع", "عقد المجلس البلدي اجتماعه الدوري أمس."),
        ("a6", "قافلة", "وصلت القافلة إلى ديرالزور صباح اليوم."),
        ("a7", "قصف", "قصف على أحياء دير الزور الشرقية."),
        ("a8", "الأجور", "قررت الحكومةُ رفع الأجور."),
    ];
    crate::index_articles(&dir, &articles);
    Indexed { dir }
}

/// `fahras search --index idx --json ARGS…`: its exit code and results.
fn search(archive: &Indexed, args: &[&str]) -> (i32, Results) {
    let (code, results, stderr) = archive.search(args);
    (
        code,
        results.unwrap_or_else(|| panic!("no results: {stderr}")),
    )
}

fn ids(results: &Results) -> Vec<&str> {
    results.hits.iter().map(|h| h.id.as_str()).collect()
}

#[test]
fn a_word_finds_its_other_spellings() {
    let dir = archive();
    // Each spelling is in one article, neither the exception: the spelling typed only breaks
    // ties (the_spelling_typed_barely_moves_the_ranking), and a2, which is shorter and opens
    // with the word, comes first either way.
    for (query, spelled_otherwise) in [("الميليشيات", "a2"), ("المليشيات", "a1")]
    {
        let (code, results) = search(&dir, &[query]);
        assert_eq!(code, 0);
        assert_eq!(ids(&results), vec!["a2", "a1"], "{query}");
        assert!(results.hits.iter().all(|h| !h.partial));
        let variants = &results.expansions[query];
        assert_eq!(variants.len(), 1, "{:?}", results.expansions);
        // The variant's spelling is highlighted in its article's snippet.
        let hit = results
            .hits
            .iter()
            .find(|h| h.id == spelled_otherwise)
            .unwrap();
        assert!(!hit.highlights.is_empty(), "{hit:?}");
    }
}

#[test]
fn exact_turns_variants_off() {
    let dir = archive();
    let (code, results) = search(&dir, &["--exact", "الميليشيات"]);
    assert_eq!(code, 0);
    assert_eq!(ids(&results), vec!["a1"]);
    assert!(results.expansions.is_empty());
}

#[test]
fn human_output_says_which_spellings_were_added() {
    let dir = archive();
    let out = fahras_in(
        dir.dir.path(),
        &["search", "--index", "idx", "المليشيات"],
        None,
    );
    assert_eq!(out.code, 0);
    let line = out
        .stdout
        .lines()
        .find(|l| l.contains("other spellings"))
        .unwrap_or_else(|| panic!("{out:?}"));
    assert!(line.contains("المليشيات →"), "{line}");
    assert!(line.contains("--exact"), "{line}");
}

#[test]
fn no_hits_suggest_the_closest_indexed_spelling() {
    let dir = archive();
    // جوجل: a spelling of Google the archive lacks; --exact, so that nothing matches.
    let (code, results) = search(&dir, &["--exact", "جوجل"]);
    assert_eq!(code, 1);
    assert!(results.hits.is_empty());
    assert_eq!(results.did_you_mean.as_deref(), Some("غوغل"));
    // With variants on, the same query finds both articles.
    let (code, results) = search(&dir, &["جوجل"]);
    assert_eq!(code, 0);
    assert_eq!(results.hits.len(), 2);
    assert_eq!(results.did_you_mean, None);
    // A word with no indexed variant gets no suggestion.
    let (_, results) = search(&dir, &["--exact", "زلزال"]);
    assert_eq!(results.did_you_mean, None);
    // A typing slip is corrected to the word the archive has, the other words kept.
    let (code, results) = search(&dir, &["--no-partial", "المجلسس", "البلدي"]);
    assert_eq!(code, 1);
    assert_eq!(results.did_you_mean.as_deref(), Some("المجلس البلدي"));
    // The suggestion is written as the archive writes it (ة, not the normalized ه), without
    // the article's diacritics.
    let (_, results) = search(&dir, &["--exact", "الحكوماة"]);
    assert_eq!(results.did_you_mean.as_deref(), Some("الحكومة"));
}

#[test]
fn compounds_are_found_fused_and_split() {
    let dir = archive();
    for (query, first, second) in [("دير الزور", "a7", "a6"), ("ديرالزور", "a6", "a7")]
    {
        let (code, results) = search(&dir, &[query]);
        assert_eq!(code, 0);
        assert_eq!(ids(&results), vec![first, second], "{query}");
        assert!(results.hits.iter().all(|h| !h.partial), "{query}");
        assert_eq!(results.expansions.len(), 1, "{:?}", results.expansions);
        let (_, exact) = search(&dir, &["--exact", query]);
        assert_eq!(ids(&exact), vec![first], "{query}");
    }
}

#[test]
fn a_spelling_far_rarer_than_the_word_typed_is_not_searched() {
    let dir = TestDir::new();
    // التوتر "the tension" in eleven articles, تويتر "Twitter" (the same skeleton, one vowel
    // more) in one: the common word does not search the rare one, the rare one searches the
    // common one.
    let mut articles: Vec<serde_json::Value> = (0..11)
        .map(|i| {
            let body = format!("تصاعد التوتر في المنطقة لليوم {i}.");
            serde_json::json!({"id": format!("t{i}"), "title": "أخبار", "body": body})
        })
        .collect();
    articles.push(
        serde_json::json!({"id": "x", "title": "منصات", "body": "نشر الوزير بيانا على تويتر."}),
    );
    crate::index_json(&dir, &articles);
    let archive = Indexed { dir };
    let (code, common) = search(&archive, &["--limit", "20", "التوتر"]);
    assert_eq!(code, 0);
    assert!(common.expansions.is_empty(), "{:?}", common.expansions);
    assert_eq!(common.hits.len(), 11);
    assert!(!ids(&common).contains(&"x"));
    let (code, rare) = search(&archive, &["--limit", "20", "تويتر"]);
    assert_eq!(code, 0);
    assert_eq!(
        rare.expansions["تويتر"],
        vec!["توتر"],
        "{:?}",
        rare.expansions
    );
    assert_eq!(ids(&rare)[0], "x");
    assert_eq!(rare.hits.len(), 12);
}

/// An archive of the given (id, body) articles.
fn archive_of<S: AsRef<str>>(articles: &[(S, S)]) -> Indexed {
    let dir = TestDir::new();
    let titled: Vec<(&str, &str, &str)> = articles
        .iter()
        .map(|(id, body)| (id.as_ref(), "خبر", body.as_ref()))
        .collect();
    crate::index_articles(&dir, &titled);
    Indexed { dir }
}

#[test]
fn any_word_written_fused_or_split_is_one_alternative_for_both_positions() {
    // No list of first words: فيس بوك is not عبد / ابو / ابن, and has no inner article.
    let dir = archive_of(&[
        ("fused", "نشر الوزير صورة على فيسبوك مساء أمس."),
        ("split", "نشرت الوزارة بيانا على فيس بوك صباح اليوم."),
        ("other", "نشرت الصحيفة تقريرا عن الوزير."),
    ]);
    for (query, first, second, added) in [
        ("فيسبوك", "fused", "split", "فيس بوك"),
        ("فيس بوك", "split", "fused", "فيسبوك"),
    ] {
        let (code, results) = search(&dir, &[query]);
        assert_eq!(code, 0);
        assert_eq!(ids(&results), vec![first, second], "{query}");
        // Both are full matches: the other spelling stands for both words.
        assert!(
            results.hits.iter().all(|h| !h.partial),
            "{query}: {results:?}"
        );
        let added_here: Vec<&String> = results.expansions.values().flatten().collect();
        assert_eq!(added_here, vec![added], "{query}: {:?}", results.expansions);
    }
}

#[test]
fn a_split_no_article_writes_is_not_searched() {
    // دولار cuts into دول + ار only with a two-letter part, and مليار + دولار are written
    // apart far more often than fused, so neither compound is searched.
    let mut articles: Vec<(String, String)> = (0..12)
        .map(|i| {
            (
                format!("d{i}"),
                format!("بلغ العجز مليار دولار في العام {i}."),
            )
        })
        .collect();
    articles.push(("typo".into(), "بلغ العجز ملياردولار.".into()));
    let dir = archive_of(&articles);
    let (code, results) = search(&dir, &["--limit", "20", "مليار", "دولار"]);
    assert_eq!(code, 0);
    assert!(results.expansions.is_empty(), "{:?}", results.expansions);
    assert!(!ids(&results).contains(&"typo"));
}

#[test]
fn spellings_whose_stems_differ_find_each_other() {
    // جاستين stems to جاست (the stemmer takes ين for a suffix), جاستن to itself: no shared
    // skeleton of stems, but the same word with one long vowel less.
    let dir = archive_of(&[
        ("long", "أصدر المغني جاستين ألبومه الجديد."),
        ("short", "أطلق المغني جاستن أغنية جديدة."),
        ("other", "أصدرت الفرقة ألبوما جديدا."),
    ]);
    for (query, first, second) in [("جاستين", "long", "short"), ("جاستن", "short", "long")]
    {
        let (code, results) = search(&dir, &[query]);
        assert_eq!(code, 0);
        assert_eq!(ids(&results), vec![first, second], "{query}: {results:?}");
        assert!(!results.expansions.is_empty(), "{query}");
    }
}

#[test]
fn a_long_vowel_anywhere_in_a_word_as_written_relates_spellings_whose_stems_differ() {
    // ترليون stems to ترل (too short for a skeleton), تريليون to تريل: only the words as
    // written share one, with a vowel inside the word, not before its last letter. The
    // variant map relates the two forms when the archive is indexed.
    let dir = archive_of(&[
        ("short", "بلغ الدين العام ترليون دولار."),
        ("long", "تجاوز الدين العام تريليون دولار."),
        ("other", "بلغ الدين العام مليار دولار."),
    ]);
    for (query, first, second) in [("ترليون", "short", "long"), ("تريليون", "long", "short")]
    {
        let (code, results) = search(&dir, &[query]);
        assert_eq!(code, 0);
        assert_eq!(ids(&results), vec![first, second], "{query}: {results:?}");
        assert!(!results.expansions.is_empty(), "{query}");
    }
}

#[test]
fn a_spelling_the_archive_lacks_still_finds_the_one_it_has() {
    // No article writes جاستين: the map relates only the archive's own forms, so the word
    // typed is tried with a long vowel less against the index.
    let dir = archive_of(&[
        ("short", "أطلق المغني جاستن أغنية جديدة."),
        ("other", "أصدرت الفرقة ألبوما جديدا."),
    ]);
    let (code, results) = search(&dir, &["جاستين"]);
    assert_eq!(code, 0);
    assert_eq!(ids(&results), vec!["short"], "{results:?}");
    assert!(!results.expansions.is_empty());
}

#[test]
fn the_spelling_typed_barely_moves_the_ranking() {
    // A rare spelling typed: the article with the common one scores nearly as high as the
    // article sharing the rare one (the two are one term, the spelling not typed a little
    // lower), instead of far below it.
    let mut articles: Vec<(String, String)> = (0..9)
        .map(|i| {
            (
                format!("c{i}"),
                format!("زار الرئيس ترامب مدينة رقم {i} للقاء أنصاره."),
            )
        })
        .collect();
    articles.push(("rare".into(), "قال ترمب إن الاتفاق انتهى.".into()));
    articles.push(("common".into(), "قال ترامب إن الاتفاق انتهى.".into()));
    // (One word: the proximity bonus of a pair of words is earned by the spelling typed
    // only.)
    let dir = archive_of(&articles);
    let (code, results) = search(&dir, &["ترمب"]);
    assert_eq!(code, 0);
    assert_eq!(ids(&results)[..2], ["rare", "common"], "{results:?}");
    let (rare, common) = (results.hits[0].score, results.hits[1].score);
    assert!(common < rare, "the spelling typed first: {rare} {common}");
    assert!(common > 0.85 * rare, "{rare} {common}");
}

#[test]
fn an_article_writing_a_split_query_fused_earns_its_words_proximity() {
    // The query writes فيس بوك apart, both articles fused, with the same words and length;
    // one has it beside the query's other word. The fused word stands for both words in
    // their proximity pairs, so that one ranks first, with a higher score.
    let dir = archive_of(&[
        (
            "far",
            "حسابه أغلق الوزير بعد الجدل الذي أثاره منشوره الأخير على فيسبوك.",
        ),
        (
            "near",
            "أغلق الوزير بعد الجدل الذي أثاره منشوره الأخير حسابه على فيسبوك.",
        ),
    ]);
    let (code, results) = search(&dir, &["حسابه", "فيس", "بوك"]);
    assert_eq!(code, 0);
    assert_eq!(ids(&results), vec!["near", "far"], "{results:?}");
    assert!(results.hits[0].score > results.hits[1].score, "{results:?}");
    assert_eq!(results.expansions["فيس بوك"], ["فيسبوك"]);
}

#[test]
fn an_article_writing_a_word_two_ways_has_it_no_more_than_one_writing_it_one_way() {
    // Partial matches (no article has قمة and the name): "one" writes ترامب twice, "mixed"
    // ترامب once and ترمب once. The spellings are one term, so "mixed" does not score
    // each of them in full.
    let dir = archive_of(&[
        ("mixed", "قال ترامب إن ترمب"),
        ("one", "قال ترامب إن ترامب"),
        ("summit", "انعقدت قمة في المدينة"),
    ]);
    let (code, results) = search(&dir, &["ترامب", "قمة"]);
    assert_eq!(code, 0);
    let score = |id: &str| results.hits.iter().find(|h| h.id == id).unwrap().score;
    assert!(score("one") > score("mixed"), "{results:?}");
    let found = ids(&results);
    let at = |id: &str| found.iter().position(|i| *i == id).unwrap();
    assert!(at("one") < at("mixed"), "{results:?}");
    assert!(results.hits.iter().all(|h| h.partial));
}

#[test]
fn quotes_and_punctuation_around_a_word_do_not_change_its_spellings() {
    // A headline quotes names and ends a word with a colon; searched as typed, the quoted
    // word was a phrase of one (no spellings) and the split was not tried past the colon.
    let dir = archive_of(&[
        ("fused", "نشر الوزير صورة على فيسبوك مساء أمس."),
        ("split", "نشرت الوزارة بيانا على فيس بوك صباح اليوم."),
        ("long", "أصدر المغني جاستين ألبومه الجديد."),
        ("short", "أطلق المغني جاستن أغنية جديدة."),
        ("other", "أصدرت الفرقة ألبوما جديدا."),
    ]);
    for (plain, dressed) in [
        ("فيسبوك", "فيسبوك:"),
        ("فيسبوك", "\"فيسبوك\""),
        ("فيسبوك", "«فيسبوك»"),
        ("جاستين", "\"جاستين\""),
        ("جاستن", "جاستن.."),
    ] {
        let (_, expected) = search(&dir, &[plain]);
        let (code, results) = search(&dir, &[dressed]);
        assert_eq!(code, 0, "{dressed}");
        assert_eq!(ids(&results), ids(&expected), "{dressed}: {results:?}");
        assert_eq!(ids(&results).len(), 2, "{dressed}: {results:?}");
        let added: Vec<&String> = results.expansions.values().flatten().collect();
        let expected_added: Vec<&String> = expected.expansions.values().flatten().collect();
        assert_eq!(added, expected_added, "{dressed}");
        assert!(!added.is_empty(), "{dressed}");
    }
}
