//! Bad input: each class gets a clear report, and nothing else is lost.

use crate::{fahras_in, TestDir};

const GOOD_A: &str = r#"{"id":"a","title":"خبر أول","body":"افتتاح جسر جديد في المدينة"}"#;
const GOOD_B: &str = r#"{"id":"b","title":"خبر ثان","body":"أمطار غزيرة على المرتفعات"}"#;

struct Run {
    code: i32,
    stderr: String,
    summary: serde_json::Value,
    rejected: Vec<serde_json::Value>,
    articles: u64,
}

/// Indexes `paths` in `dir` with a JSON summary and an errors file.
fn index(dir: &TestDir, paths: &[&str]) -> Run {
    let mut args = vec![
        "index",
        "--index",
        "idx",
        "--json",
        "--errors",
        "rejected.jsonl",
    ];
    args.extend_from_slice(paths);
    let out = fahras_in(dir.path(), &args, None);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    let summary =
        serde_json::from_str(out.stdout.trim()).unwrap_or_else(|e| panic!("{e}: {:?}", out));
    let rejected = std::fs::read_to_string(dir.path().join("rejected.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let stats = fahras_in(dir.path(), &["stats", "--index", "idx", "--json"], None);
    let stats: serde_json::Value = serde_json::from_str(stats.stdout.trim()).unwrap();
    Run {
        code: out.code,
        stderr: out.stderr,
        summary,
        rejected,
        articles: stats["articles"].as_u64().unwrap(),
    }
}

/// A JSONL file: GOOD_A, the bad line, GOOD_B.
fn sandwich(dir: &TestDir, bad: &[u8]) {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(GOOD_A.as_bytes());
    bytes.push(b'\n');
    bytes.extend_from_slice(bad);
    bytes.push(b'\n');
    bytes.extend_from_slice(GOOD_B.as_bytes());
    bytes.push(b'\n');
    dir.write("news.jsonl", bytes);
}

#[test]
fn a_bad_record_is_rejected_with_its_line_and_reason() {
    let cases: [(&str, &[u8], &str); 6] = [
        (
            "invalid UTF-8",
            b"{\"id\":\"x\",\"title\":\"\xff\xfe\",\"body\":\"y\"}",
            "UTF-8",
        ),
        ("malformed JSON", b"{\"id\":\"x\",\"title\":", "JSON"),
        (
            "wrong field type",
            b"{\"id\":\"x\",\"title\":42,\"body\":\"y\"}",
            "title",
        ),
        (
            "no title, no body",
            b"{\"id\":\"x\",\"title\":\" \",\"body\":\"\"}",
            "no title or body",
        ),
        (
            "NUL bytes",
            b"{\"id\":\"x\",\"title\":\"a\x00b\",\"body\":\"y\"}",
            "NUL",
        ),
        ("not an object", b"[1,2,3]", "object"),
    ];
    for (name, bad, reason) in cases {
        let dir = TestDir::new();
        sandwich(&dir, bad);
        let run = index(&dir, &["news.jsonl"]);
        assert_eq!(run.code, 3, "{name}: {}", run.stderr);
        assert_eq!(run.articles, 2, "{name}: the good lines are indexed");
        assert_eq!(run.summary["rejected"], 1, "{name}");
        assert_eq!(run.rejected.len(), 1, "{name}");
        let location = run.rejected[0]["location"].as_str().unwrap();
        assert!(location.ends_with("news.jsonl:2"), "{name}: {location}");
        let why = run.rejected[0]["reason"].as_str().unwrap();
        assert!(why.contains(reason), "{name}: {why}");
    }
}

#[test]
fn invalid_utf8_names_the_byte_offset() {
    let dir = TestDir::new();
    sandwich(&dir, b"{\"id\":\"x\",\"title\":\"ab\xff\",\"body\":\"y\"}");
    let run = index(&dir, &["news.jsonl"]);
    let why = run.rejected[0]["reason"].as_str().unwrap();
    // Line 1 is GOOD_A plus its newline; the bad byte follows `{"id":"x","title":"ab`.
    let offset = GOOD_A.len() + 1 + "{\"id\":\"x\",\"title\":\"ab".len();
    assert!(why.contains(&format!("byte offset {offset}")), "{why}");
}

#[test]
fn harmless_variations_are_accepted() {
    // A UTF-8 BOM, CRLF line endings, blank lines.
    let dir = TestDir::new();
    dir.write("bom.jsonl", format!("\u{FEFF}{GOOD_A}\r\n\r\n{GOOD_B}\r\n"));
    let run = index(&dir, &["bom.jsonl"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.articles, 2);
    // An empty file.
    let dir = TestDir::new();
    dir.write("empty.jsonl", "");
    let run = index(&dir, &["empty.jsonl"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.articles, 0);
}

#[test]
fn duplicates_and_bad_dates_are_counted_not_lost() {
    let dir = TestDir::new();
    dir.write(
        "news.jsonl",
        concat!(
            r#"{"id":"d","title":"نسخة أولى","body":"نص"}"#,
            "\n",
            r#"{"id":"d","title":"نسخة ثانية","body":"نص","date":"31/02/2020"}"#,
            "\n"
        ),
    );
    let run = index(&dir, &["news.jsonl"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.articles, 1, "last wins");
    assert_eq!(run.summary["replaced"], 1);
    assert_eq!(run.summary["undated_bad_date"], 1);
    let out = fahras_in(
        dir.path(),
        &["search", "--index", "idx", "--json", "نسخة"],
        None,
    );
    let results: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(results["hits"][0]["title"], "نسخة ثانية");
    assert!(results["hits"][0]["date"].is_null());
}

#[test]
fn huge_records_and_tokens_do_not_break_the_index() {
    let dir = TestDir::new();
    // A 100,000-character token inside an otherwise normal article.
    let token = "ب".repeat(100_000);
    let long_token = format!(r#"{{"id":"t","title":"كلمة طويلة","body":"قبل {token} بعد"}}"#);
    // A 50 MB record.
    let words = "تقرير مفصل عن الاقتصاد ".repeat(50_000_000 / 40);
    let huge = format!(r#"{{"id":"h","title":"تقرير ضخم","body":"{words}"}}"#);
    assert!(huge.len() >= 50_000_000);
    dir.write("big.jsonl", format!("{long_token}\n{huge}\n{GOOD_A}\n"));
    let run = index(&dir, &["big.jsonl"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.articles, 3);
    let out = fahras_in(
        dir.path(),
        &["search", "--index", "idx", "--json", "بعد"],
        None,
    );
    assert_eq!(out.code, 0, "{out:?}");
    let out = fahras_in(
        dir.path(),
        &["search", "--index", "idx", "--json", "ضخم"],
        None,
    );
    assert_eq!(out.code, 0, "{out:?}");
}

#[test]
fn unreadable_paths_and_other_files_are_reported() {
    let dir = TestDir::new();
    dir.write("tree/news.jsonl", format!("{GOOD_A}\n"));
    dir.write("tree/photo.png", [0x89, b'P', b'N', b'G', 0, 0, 0, 13]);
    dir.write("tree/binary.jsonl", [0u8, 1, 2, 3, 0, 0, 255, 254, b'\n']);
    // A symlink loop and a dangling symlink.
    std::os::unix::fs::symlink(dir.path().join("tree"), dir.path().join("tree/loop")).unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("missing.jsonl"),
        dir.path().join("tree/dangling.jsonl"),
    )
    .unwrap();
    let run = index(&dir, &["tree", "does-not-exist.jsonl"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(run.articles, 1, "the good file is indexed exactly once");
    assert_eq!(run.summary["skipped_files"], 1, "{}", run.summary);
    assert!(
        run.summary["unreadable"].as_u64().unwrap() >= 2,
        "{}",
        run.summary
    );
    assert!(
        run.summary["rejected"].as_u64().unwrap() >= 1,
        "{}",
        run.summary
    );
    let examples = run.summary["examples"].to_string();
    assert!(examples.contains("does-not-exist.jsonl"), "{examples}");
    assert!(examples.contains("photo.png"), "{examples}");
}
