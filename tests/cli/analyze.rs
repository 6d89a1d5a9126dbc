//! `fahras analyze`.

use serde::Deserialize;

use crate::{fahras_in, TestDir};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnalyzeJson {
    tokens: Vec<TokenJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenJson {
    text: String,
    start: usize,
    end: usize,
    position: usize,
    term: String,
    stem: String,
}

#[test]
fn json_gives_original_slices_offsets_terms_and_stems() {
    let dir = TestDir::new();
    let input = "وقالَ المسؤولون في الـمدينة ٢٠٢٤";
    let out = fahras_in(dir.path(), &["analyze", "--json", input], None);
    assert_eq!(out.code, 0, "{out:?}");
    let parsed: AnalyzeJson = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(
        out.stdout.trim().lines().count(),
        1,
        "exactly one JSON object"
    );
    let tokens = parsed.tokens;
    assert_eq!(tokens.len(), 5);
    for (i, t) in tokens.iter().enumerate() {
        assert_eq!(&input[t.start..t.end], t.text, "offsets slice the input");
        assert_eq!(t.position, i);
    }
    assert_eq!(tokens[0].text, "وقالَ");
    assert_eq!(tokens[0].term, "وقال");
    assert_eq!(tokens[0].stem, "قال");
    assert_eq!(tokens[3].text, "الـمدينة");
    assert_eq!(tokens[3].term, "المدينه");
    assert_eq!(tokens[3].stem, "مدين");
    assert_eq!(tokens[4].term, "2024");
}

#[test]
fn dash_reads_stdin() {
    let dir = TestDir::new();
    let out = fahras_in(
        dir.path(),
        &["analyze", "--json", "-"],
        Some("#عاصي_الحلاني\n"),
    );
    assert_eq!(out.code, 0, "{out:?}");
    let parsed: AnalyzeJson = serde_json::from_str(out.stdout.trim()).unwrap();
    let terms: Vec<&str> = parsed.tokens.iter().map(|t| t.term.as_str()).collect();
    assert_eq!(terms, ["عاصي", "الحلاني"]);
    assert_eq!(parsed.tokens[0].start, 1);
}

#[test]
fn human_output_lists_tokens() {
    let dir = TestDir::new();
    let out = fahras_in(dir.path(), &["analyze", "إلى", "GPS"], None);
    assert_eq!(out.code, 0, "{out:?}");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    assert!(lines[1].contains("إلى") && lines[1].contains("الي") && lines[1].contains("stopword"));
    assert!(lines[2].contains("gps"));
}

#[test]
fn text_without_words_exits_1() {
    let dir = TestDir::new();
    let out = fahras_in(dir.path(), &["analyze", "--json", "ـــ ،"], None);
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout.trim(), r#"{"tokens":[]}"#);
}

#[test]
fn min_stem_chars_stems_again_and_says_where_the_stem_starts() {
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct LeanJson {
        tokens: Vec<LeanToken>,
    }
    // The default fields (checked above) and stem_start.
    #[derive(Debug, Deserialize)]
    struct LeanToken {
        term: String,
        stem: String,
        stem_start: usize,
    }
    let dir = TestDir::new();
    // كتبه: the default stemmer leaves كتب (three letters), four-letter stems keep the word;
    // والكتابه: the stem كتاب starts after وال (6 bytes).
    let default = fahras_in(dir.path(), &["analyze", "--json", "كتبه والكتابه"], None);
    let parsed: AnalyzeJson = serde_json::from_str(default.stdout.trim()).unwrap();
    assert_eq!(parsed.tokens[0].stem, "كتب");
    let out = fahras_in(
        dir.path(),
        &[
            "analyze",
            "--json",
            "--min-stem-chars",
            "4",
            "كتبه والكتابه",
        ],
        None,
    );
    assert_eq!(out.code, 0, "{out:?}");
    let parsed: LeanJson = serde_json::from_str(out.stdout.trim()).unwrap();
    let stems: Vec<(&str, &str, usize)> = parsed
        .tokens
        .iter()
        .map(|t| (t.term.as_str(), t.stem.as_str(), t.stem_start))
        .collect();
    assert_eq!(stems, [("كتبه", "كتبه", 0), ("والكتابه", "كتاب", 6)]);
    let zero = fahras_in(
        dir.path(),
        &["analyze", "--min-stem-chars", "0", "كتبه"],
        None,
    );
    assert_eq!(zero.code, 2, "{zero:?}");
}
