//! `fahras index` and `fahras search` on the sample corpus and on small archives of our own.

use serde::Deserialize;

use crate::{fahras_in, index_json, sample_corpus, TestDir};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Results {
    pub query: String,
    pub total_hits: u64,
    #[allow(dead_code)]
    pub partial_hits: u64,
    pub took_ms: f64,
    pub expansions: std::collections::BTreeMap<String, Vec<String>>,
    pub did_you_mean: Option<String>,
    pub hits: Vec<Hit>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hit {
    pub rank: usize,
    pub id: String,
    pub score: f32,
    pub title: String,
    pub date: Option<String>,
    pub source: Option<String>,
    pub category: Option<String>,
    pub author: Option<String>,
    #[allow(dead_code)]
    pub url: Option<String>,
    pub snippet: String,
    pub highlights: Vec<[usize; 2]>,
    pub partial: bool,
}

/// A temp dir with the sample corpus indexed at `idx/`.
pub struct Indexed {
    pub dir: TestDir,
}

impl Indexed {
    pub fn sample() -> Indexed {
        let dir = TestDir::new();
        let corpus = sample_corpus();
        let out = fahras_in(
            dir.path(),
            &["index", "--index", "idx", corpus.to_str().unwrap()],
            None,
        );
        assert_eq!(out.code, 0, "{out:?}");
        Indexed { dir }
    }

    pub fn search(&self, args: &[&str]) -> (i32, Option<Results>, String) {
        let mut all = vec!["search", "--index", "idx", "--json"];
        all.extend_from_slice(args);
        let out = fahras_in(self.dir.path(), &all, None);
        let parsed = if out.stdout.trim().is_empty() {
            None
        } else {
            assert_eq!(out.stdout.trim().lines().count(), 1, "one JSON object");
            Some(serde_json::from_str(out.stdout.trim()).expect("search JSON parses"))
        };
        (out.code, parsed, out.stderr)
    }

    pub fn ids(&self, args: &[&str]) -> Vec<String> {
        let mut all = vec!["--limit", "200"];
        all.extend_from_slice(args);
        let (_, results, stderr) = self.search(&all);
        results
            .unwrap_or_else(|| panic!("no results: {stderr}"))
            .hits
            .into_iter()
            .filter(|h| !h.partial)
            .map(|h| h.id)
            .collect()
    }
}

#[test]
fn other_spellings_find_the_article() {
    let archive = Indexed::sample();
    // (query in one spelling, an article that writes it in another)
    let cases = [
        ("أعلنت", "afaq-2024-0001"),             // written اعلنت (hamza dropped)
        ("الإسلامية", "sawt-2023-0002"),           // written الاسلامية
        ("الآن", "rasd-2018-0004"),               // written الان
        ("المدينة", "sawt-2017-0001"),           // written المدينه
        ("المدينة", "scraped/2021/0001_madina"), // scraped file, written المدينه
        ("مستشفى", "scraped/2024/0002_sahha"),   // written مستشفي
        ("الحكومه", "nahar-2024-0003"),          // written الحُكومَة (diacritics)
        ("الرياضة", "nahar-2017-0002"),          // written الـــرياضة (tatweel)
        ("2017", "scraped/2022/0001_kas"),       // written ٢٠١٧
        ("٥٢", "rasd-2022-0001"),                // written 52
        ("3.5", "sahel-2018-0002"),              // written ٣٫٥
        ("NIBRAS", "sawt-2021-0001"),            // Latin, case-insensitive
    ];
    for (query, expected) in cases {
        let ids = archive.ids(&[query]);
        assert!(
            ids.iter().any(|id| id == expected),
            "{query} should find {expected}; found {ids:?}"
        );
    }
}

#[test]
fn phrase_query_matches_only_the_phrase() {
    let archive = Indexed::sample();
    let (code, results, _) = archive.search(&["\"ساعة الرمل العملاقة\""]);
    let results = results.unwrap();
    assert_eq!(code, 0);
    assert_eq!(results.total_hits, 1);
    assert_eq!(results.hits[0].id, "sawt-2024-0001");
    // The same words out of order are not the phrase.
    let (_, results, _) = archive.search(&["--no-partial", "\"العملاقة الرمل ساعة\""]);
    assert_eq!(results.unwrap().total_hits, 0);
}

#[test]
fn date_source_and_category_filters() {
    let archive = Indexed::sample();
    let (_, results, _) = archive.search(&[
        "--limit",
        "200",
        "--since",
        "2019-01-01",
        "--until",
        "2020-12-31",
        "في",
    ]);
    let results = results.unwrap();
    assert!(!results.hits.is_empty());
    for hit in &results.hits {
        let date = hit.date.as_deref().unwrap();
        assert!(("2019-01-01"..="2020-12-31").contains(&date), "{date}");
    }
    let source = "قناة الساحل";
    let (_, results, _) = archive.search(&["--limit", "200", "--source", source, "في"]);
    let results = results.unwrap();
    assert!(results.hits.len() >= 5);
    assert!(results
        .hits
        .iter()
        .all(|h| h.source.as_deref() == Some(source)));
    let (_, results, _) = archive.search(&["--limit", "200", "--category", "رياضة", "في"]);
    let results = results.unwrap();
    assert!(results.hits.len() >= 5);
    assert!(results
        .hits
        .iter()
        .all(|h| h.category.as_deref() == Some("رياضة")));
}

#[test]
fn sort_newest_and_oldest() {
    let archive = Indexed::sample();
    for (sort, descending) in [("newest", true), ("oldest", false)] {
        let (_, results, _) = archive.search(&["--limit", "30", "--sort", sort, "في"]);
        let dates: Vec<String> = results
            .unwrap()
            .hits
            .into_iter()
            .filter_map(|h| h.date)
            .collect();
        assert!(dates.len() >= 10);
        let mut sorted = dates.clone();
        sorted.sort();
        if descending {
            sorted.reverse();
        }
        assert_eq!(dates, sorted, "--sort {sort}");
    }
}

/// The expansions name the words as typed, without the question mark typed after one, in
/// `--json` and in the human line.
#[test]
fn expansions_name_the_word_without_its_punctuation() {
    let archive = Indexed::sample();
    let (code, results, stderr) = archive.search(&["متى افتتح المعرض؟"]);
    assert_eq!(code, 0, "{stderr}");
    let expansions = results.unwrap().expansions;
    assert!(expansions.contains_key("المعرض"), "{expansions:?}");
    assert!(
        expansions.keys().all(|k| !k.contains('؟')),
        "{expansions:?}"
    );
    let out = fahras_in(
        archive.dir.path(),
        &["search", "--index", "idx", "متى افتتح المعرض؟"],
        None,
    );
    let line = out
        .stderr
        .lines()
        .chain(out.stdout.lines())
        .find(|l| l.starts_with("also searched other spellings"))
        .unwrap_or_else(|| panic!("{out:?}"));
    assert!(line.contains("المعرض → ") && !line.contains('؟'), "{line}");
}

/// Sorted by date, a hit that has every word keeps the score a search by relevance gives it:
/// both are scored in the same pass with the same statistics (spellings pooled). A question
/// with a stopword is the case that once tripped tantivy's `explain` in debug builds. (The
/// sample's articles without their titles, which the title-coverage rerank of a search by
/// relevance would add to, each body after three words of ours, which the opening rerank
/// would add to: no article opens with the query's word.)
#[test]
fn sorted_by_date_the_full_matches_keep_their_relevance_scores() {
    let dir = TestDir::new();
    let sample = std::fs::read_to_string(sample_corpus().join("articles.jsonl")).unwrap();
    let untitled: Vec<serde_json::Value> = sample
        .lines()
        .map(|line| {
            let mut article: serde_json::Value = serde_json::from_str(line).unwrap();
            article["title"] = "".into();
            let body = format!("خبر من الأرشيف {}", article["body"].as_str().unwrap());
            article["body"] = body.into();
            article
        })
        .collect();
    index_json(&dir, &untitled);
    let archive = Indexed { dir };
    // One content word (and a stopword, a clause most hits miss): a page by relevance gets
    // no coverage bonus (no titles, and query coverage needs two words) and no opening bonus,
    // so its scores are the query's own.
    let query = "متى المعرض؟";
    let (code, by_score, stderr) = archive.search(&["--limit", "50", query]);
    assert_eq!(code, 0, "{stderr}");
    let by_score: std::collections::HashMap<String, f32> = by_score
        .unwrap()
        .hits
        .into_iter()
        .filter(|h| !h.partial)
        .map(|h| (h.id, h.score))
        .collect();
    assert!(by_score.len() >= 2, "{by_score:?}");
    for sort in ["newest", "oldest"] {
        let (code, by_date, stderr) = archive.search(&["--limit", "50", "--sort", sort, query]);
        assert_eq!(code, 0, "--sort {sort}: {stderr}");
        let full: Vec<Hit> = by_date
            .unwrap()
            .hits
            .into_iter()
            .filter(|h| !h.partial)
            .collect();
        assert_eq!(full.len(), by_score.len(), "--sort {sort}");
        for hit in &full {
            let expected = by_score[&hit.id];
            assert!(
                (hit.score - expected).abs() <= 1e-4 * expected.abs(),
                "--sort {sort}: {} scored {} where relevance gives {expected}",
                hit.id,
                hit.score
            );
        }
    }
}

#[test]
fn highlights_slice_the_original_words() {
    let archive = Indexed::sample();
    let (_, results, _) = archive.search(&["الحكومه"]);
    let results = results.unwrap();
    let hit = results
        .hits
        .iter()
        .find(|h| h.id == "nahar-2024-0003")
        .expect("diacritized article found");
    let slices: Vec<&str> = hit
        .highlights
        .iter()
        .map(|&[a, b]| &hit.snippet[a..b])
        .collect();
    assert!(slices.contains(&"الحُكومَة"), "{slices:?} in {}", hit.snippet);
    for hit in &results.hits {
        for &[a, b] in &hit.highlights {
            assert!(a < b && b <= hit.snippet.len());
            assert!(hit.snippet.is_char_boundary(a) && hit.snippet.is_char_boundary(b));
        }
        assert!(hit.snippet.chars().count() <= 202, "{}", hit.snippet);
    }
}

#[test]
fn json_has_ranks_scores_and_metadata() {
    let archive = Indexed::sample();
    let (code, results, _) = archive.search(&["--limit", "3", "--offset", "2", "سد وادي العقيق"]);
    assert_eq!(code, 0);
    let results = results.unwrap();
    assert_eq!(results.query, "سد وادي العقيق");
    assert!(results.total_hits >= 5);
    assert!(results.took_ms >= 0.0);
    let ranks: Vec<usize> = results.hits.iter().map(|h| h.rank).collect();
    assert_eq!(ranks, [3, 4, 5]);
    for pair in results.hits.windows(2) {
        assert!(pair[0].score >= pair[1].score);
    }
    for hit in &results.hits {
        assert!(!hit.title.is_empty() && !hit.snippet.is_empty());
        assert!(hit.date.as_deref().is_some_and(|d| d.len() == 10));
        assert!(!hit.partial);
    }
}

#[test]
fn partial_matches_fill_the_page() {
    let archive = Indexed::sample();
    // One real word and one that occurs nowhere.
    let (code, results, _) = archive.search(&["--limit", "5", "العقيق", "زقزقزق"]);
    assert_eq!(code, 0);
    let results = results.unwrap();
    assert_eq!(results.total_hits, 0);
    assert_eq!(results.hits.len(), 5);
    assert!(results.hits.iter().all(|h| h.partial));
    let (code, results, _) = archive.search(&["--no-partial", "العقيق", "زقزقزق"]);
    assert_eq!(code, 1);
    assert!(results.unwrap().hits.is_empty());
    // The human output says how many of the hits shown are partial matches.
    let out = fahras_in(
        archive.dir.path(),
        &[
            "search",
            "--index",
            "idx",
            "--limit",
            "5",
            "العقيق",
            "زقزقزق",
        ],
        None,
    );
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("5 hits shown match only some of them"),
        "{}",
        out.stdout
    );
}

#[test]
fn exit_codes() {
    let archive = Indexed::sample();
    assert_eq!(archive.search(&["العقيق"]).0, 0);
    assert_eq!(archive.search(&["زقزقزق"]).0, 1);
    let (code, _, stderr) = archive.search(&["--since", "yesterday", "العقيق"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("YYYY-MM-DD"), "{stderr}");
    let out = fahras_in(
        archive.dir.path(),
        &["search", "--index", "missing", "العقيق"],
        None,
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("fahras index"), "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"));
}

#[test]
fn malformed_queries_are_lenient() {
    let archive = Indexed::sample();
    for query in [
        "\"سد وادي",
        "OR",
        "-",
        "سد OR",
        "title:",
        "«»",
        "ـــ",
        "\u{064E}",
    ] {
        let (code, _, stderr) = archive.search(&[query]);
        assert!(code == 0 || code == 1, "{query}: {code} {stderr}");
        assert!(!stderr.contains("panicked"), "{query}: {stderr}");
    }
}

#[test]
fn exact_form_ranks_above_stem_only() {
    let dir = TestDir::new();
    dir.write(
        "a.jsonl",
        concat!(
            r#"{"id":"stem","title":"خبر","body":"اجتمع المعلمين في القاعة الكبرى لمناقشة المناهج"}"#,
            "\n",
            r#"{"id":"exact","title":"خبر","body":"اجتمع المعلمون في القاعة الكبرى لمناقشة المناهج"}"#,
            "\n"
        ),
    );
    let out = fahras_in(dir.path(), &["index", "--index", "idx", "a.jsonl"], None);
    assert_eq!(out.code, 0, "{out:?}");
    let out = fahras_in(
        dir.path(),
        &["search", "--index", "idx", "--json", "المعلمون"],
        None,
    );
    let results: Results = serde_json::from_str(out.stdout.trim()).unwrap();
    let ids: Vec<&str> = results.hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["exact", "stem"]);
}

#[test]
fn built_in_sample_archive_when_no_index() {
    let dir = TestDir::new();
    let out = fahras_in(dir.path(), &["search", "--json", "العقيق"], None);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("built-in sample archive"),
        "{}",
        out.stderr
    );
    let results: Results = serde_json::from_str(out.stdout.trim()).unwrap();
    assert!(!results.hits.is_empty());
    // Human output, piped: no color codes, hits listed.
    let out = fahras_in(dir.path(), &["search", "العقيق"], None);
    assert_eq!(out.code, 0);
    assert!(!out.stdout.contains('\u{1b}'));
    assert!(out.stdout.contains("  1  "), "{}", out.stdout);
}

#[test]
fn sorted_by_date_the_articles_with_every_word_come_first() {
    let archive = Indexed::sample();
    for (sort, descending) in [("newest", true), ("oldest", false)] {
        let (_, results, _) = archive.search(&["--limit", "30", "--sort", sort, "وزارة الصحة"]);
        let results = results.unwrap();
        let full: Vec<&str> = results
            .hits
            .iter()
            .take_while(|h| !h.partial)
            .filter_map(|h| h.date.as_deref())
            .collect();
        assert_eq!(
            full.len() as u64,
            results.total_hits.min(30),
            "--sort {sort}"
        );
        assert!(full.len() >= 5);
        assert!(results.hits[full.len()..].iter().all(|h| h.partial));
        let mut sorted = full.clone();
        sorted.sort();
        if descending {
            sorted.reverse();
        }
        assert_eq!(full, sorted, "--sort {sort}");
    }
}

#[test]
fn an_article_holding_every_word_comes_before_one_repeating_two() {
    // "repeats" has سد and الوادي twice each in a short text, which BM25 prefers; "holds" has
    // the three words once each, the rare العقيق among them (query coverage,
    // docs/evaluation.md).
    let dir = TestDir::new();
    crate::index_json(
        &dir,
        &[
            serde_json::json!({"id": "repeats", "body": "سد على الوادي الكبير وفي الوادي سد آخر"}),
            serde_json::json!({"id": "holds",
                "body": "بُني سدّ في الوادي قرب العقيق بعد سنوات من العمل الطويل"}),
            serde_json::json!({"id": "f0", "body": "العقيق حجر كريم"}),
            serde_json::json!({"id": "f1", "body": "العقيق حجر نادر"}),
            serde_json::json!({"id": "v", "body": "سد وادي"}),
            serde_json::json!({"id": "w", "body": "جبل الوادي"}),
        ],
    );
    let indexed = Indexed { dir };
    let (code, results, stderr) = indexed.search(&["سد الوادي العقيق"]);
    assert_eq!(code, 0, "{stderr}");
    let hits = results.unwrap().hits;
    let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids[..2], ["holds", "repeats"], "{hits:?}");
    // The snippet marks the query's words as the article wrote them, and nothing else.
    let marked: Vec<&str> = hits[0]
        .highlights
        .iter()
        .map(|&[a, b]| &hits[0].snippet[a..b])
        .collect();
    assert_eq!(marked, ["سدّ", "الوادي", "العقيق"], "{:?}", hits[0]);
}

#[test]
fn a_question_finds_the_article_it_names_before_a_headline_with_its_words() {
    // BM25 alone puts "headline" first (ولد and خاشقجي in its text), and query coverage
    // leaves it there (both articles hold both words); the question names the whole title of
    // "named" (title coverage, docs/evaluation.md). Sorted by date, nothing is reranked: the
    // newer article comes first.
    let dir = TestDir::new();
    crate::index_json(
        &dir,
        &[
            serde_json::json!({"id": "named", "title": "خاشقجي", "date": "2018-01-01",
                "body": "صحفي سعودي عمل مستشارا ثم مديرا لقناة اخبارية بعد ان ولد في المدينة المنورة وتعلم فيها"}),
            serde_json::json!({"id": "headline", "title": "حريق في سوق المدينة القديمة",
                "date": "2019-01-01",
                "body": "ولد خاشقجي الصغير في حي قديم قرب السوق وسط زحام الناس والباعة في يوم حار"}),
            serde_json::json!({"id": "o1", "title": "الربيع", "body": "ولد الطفل في الربيع"}),
            serde_json::json!({"id": "o2", "title": "الصيف", "body": "ولد الطفل في الصيف"}),
        ],
    );
    let indexed = Indexed { dir };
    let (code, results, stderr) = indexed.search(&["متى ولد خاشقجي؟"]);
    assert_eq!(code, 0, "{stderr}");
    let hits = results.unwrap().hits;
    let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids[..2], ["named", "headline"], "{hits:?}");
    assert!(hits[0].score > hits[1].score, "{hits:?}");
    // The snippets still highlight only the query's words, as the articles wrote them.
    let headline = &hits[1];
    let marked: Vec<&str> = headline
        .highlights
        .iter()
        .map(|&[a, b]| &headline.snippet[a..b])
        .collect();
    assert_eq!(marked, ["ولد", "خاشقجي"], "{headline:?}");
    let (_, by_date, stderr) = indexed.search(&["--sort", "newest", "متى ولد خاشقجي؟"]);
    let by_date: Vec<String> = by_date
        .unwrap_or_else(|| panic!("{stderr}"))
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(by_date[0], "headline");
}
