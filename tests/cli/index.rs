//! `fahras index`, `stats` and `delete`.

use serde::Deserialize;

use crate::search::Results;
use crate::{fahras_in, sample_corpus, TestDir};

#[derive(Debug, Deserialize)]
struct Stats {
    articles: u64,
    first_date: Option<String>,
    last_date: Option<String>,
    sources: Vec<(String, u64)>,
    categories: Vec<(String, u64)>,
    size_bytes: u64,
    analyzer_version: u32,
}

fn stats(dir: &TestDir) -> Stats {
    let out = fahras_in(dir.path(), &["stats", "--index", "idx", "--json"], None);
    assert_eq!(out.code, 0, "{out:?}");
    serde_json::from_str(out.stdout.trim()).unwrap()
}

#[test]
fn reindexing_the_same_files_keeps_the_count() {
    let dir = TestDir::new();
    let corpus = sample_corpus();
    let corpus = corpus.to_str().unwrap();
    let first = fahras_in(dir.path(), &["index", "--index", "idx", corpus], None);
    assert_eq!(first.code, 0, "{first:?}");
    let before = stats(&dir);
    assert!(before.articles >= 120);
    let second = fahras_in(
        dir.path(),
        &["index", "--index", "idx", "--json", corpus],
        None,
    );
    assert_eq!(second.code, 0, "{second:?}");
    let summary: serde_json::Value = serde_json::from_str(second.stdout.trim()).unwrap();
    assert_eq!(summary["added"], 0);
    assert_eq!(summary["replaced"].as_u64(), Some(before.articles));
    let after = stats(&dir);
    assert_eq!(after.articles, before.articles);
    assert!(after.sources.len() >= 4 && after.categories.len() >= 6);
    assert!(after.first_date < after.last_date);
    assert!(after.size_bytes > 0);
    assert_eq!(after.analyzer_version, fahras::analysis::ANALYZER_VERSION);
}

#[test]
fn scraped_text_files_are_parsed() {
    let dir = TestDir::new();
    dir.write(
        "pages/2024/raqqa.txt",
        "الرقة: افتتاح جسر جديد فوق نهر الفرات\n\
         الرقة: افتتاح جسر جديد فوق نهر الفرات\n\
         ● أخبار سورية ٢٣ أكتوبر ٢٠٢٤\n\n\
         الرقة: افتتاح جسر جديد فوق نهر الفرات\n\n\
         افتتح مجلس المدينة جسراً خشبياً جديداً فوق نهر الفرات بعد أشهر من العمل.\n\n\
         وقال مهندسون إن الجسر يخدم آلاف السكان يومياً.\n\n\
         الكاتب: فريق العمل\n\
         مشاركة: \n\n\
         اقرأ أيضاً:\n\n\
         ـــــــ ــ\n",
    );
    let out = fahras_in(dir.path(), &["index", "--index", "idx", "pages"], None);
    assert_eq!(out.code, 0, "{out:?}");
    let out = fahras_in(
        dir.path(),
        &["search", "--index", "idx", "--json", "جسر الفرات"],
        None,
    );
    let results: Results = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(results.hits.len(), 1);
    let hit = &results.hits[0];
    assert_eq!(hit.id, "2024/raqqa");
    assert_eq!(hit.title, "الرقة: افتتاح جسر جديد فوق نهر الفرات");
    assert_eq!(hit.category.as_deref(), Some("أخبار سورية"));
    assert_eq!(hit.date.as_deref(), Some("2024-10-23"));
    assert_eq!(hit.author.as_deref(), Some("فريق العمل"));
    assert!(!hit.snippet.contains("مشاركة"));
    assert!(!hit.snippet.contains("الكاتب"));
}

#[test]
fn a_bad_jsonl_line_is_reported_and_the_rest_indexed() {
    let dir = TestDir::new();
    dir.write(
        "news.jsonl",
        concat!(
            r#"{"id":"1","title":"أول","body":"نص الخبر الأول"}"#,
            "\n",
            r#"{"id":"2","title":"ثان","body": oops}"#,
            "\n",
            r#"{"id":"3","title":"ثالث","body":"نص الخبر الثالث","date":"not a date"}"#,
            "\n"
        ),
    );
    let out = fahras_in(dir.path(), &["index", "--index", "idx", "news.jsonl"], None);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stderr.contains("news.jsonl:2"), "{}", out.stderr);
    assert!(out.stderr.contains("rejected 1"), "{}", out.stderr);
    assert!(out.stderr.contains("not a date"), "{}", out.stderr);
    assert_eq!(stats(&dir).articles, 2);
}

#[test]
fn delete_removes_articles() {
    let dir = TestDir::new();
    dir.write(
        "news.jsonl",
        "{\"id\":\"1\",\"title\":\"أول\",\"body\":\"نص\"}\n{\"id\":\"2\",\"title\":\"ثان\",\"body\":\"نص\"}\n",
    );
    assert_eq!(
        fahras_in(dir.path(), &["index", "--index", "idx", "news.jsonl"], None).code,
        0
    );
    let out = fahras_in(dir.path(), &["delete", "--index", "idx", "1", "9"], None);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("not found (9)"), "{}", out.stderr);
    assert_eq!(stats(&dir).articles, 1);
}

#[test]
fn index_location_from_environment() {
    let dir = TestDir::new();
    dir.write(
        "n.jsonl",
        "{\"id\":\"1\",\"title\":\"عنوان\",\"body\":\"نص\"}\n",
    );
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_fahras"))
        .args(["index", "n.jsonl"])
        .current_dir(dir.path())
        .env("FAHRAS_INDEX", dir.path().join("envidx"))
        .output()
        .unwrap();
    assert!(status.status.success());
    assert!(dir.path().join("envidx").join("meta.json").exists());
    // Default location when nothing is set.
    let out = fahras_in(dir.path(), &["index", "n.jsonl"], None);
    assert_eq!(out.code, 0);
    assert!(dir.path().join("fahras-index").join("meta.json").exists());
}

fn three_lines_one_bad(dir: &TestDir) {
    dir.write(
        "news.jsonl",
        concat!(
            r#"{"id":"1","title":"أول","body":"نص الخبر الأول"}"#,
            "\n",
            "{\"id\":\"2\",\"title\":[1,2],\"body\":\"x\"}\n",
            r#"{"id":"3","title":"ثالث","body":"نص الخبر الثالث"}"#,
            "\n"
        ),
    );
}

#[test]
fn errors_file_lists_every_rejected_record() {
    let dir = TestDir::new();
    three_lines_one_bad(&dir);
    let out = fahras_in(
        dir.path(),
        &[
            "index",
            "--index",
            "idx",
            "--errors",
            "rejected.jsonl",
            "news.jsonl",
        ],
        None,
    );
    assert_eq!(out.code, 3, "{out:?}");
    let rejected = std::fs::read_to_string(dir.path().join("rejected.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> = rejected
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert!(lines[0]["location"]
        .as_str()
        .unwrap()
        .ends_with("news.jsonl:2"));
    assert!(lines[0]["reason"].as_str().unwrap().contains("title"));
    assert!(lines[0]["raw"].as_str().unwrap().contains("[1,2]"));
    assert_eq!(stats(&dir).articles, 2);
}

#[test]
fn strict_aborts_and_commits_nothing() {
    let dir = TestDir::new();
    three_lines_one_bad(&dir);
    let out = fahras_in(
        dir.path(),
        &["index", "--index", "idx", "--strict", "news.jsonl"],
        None,
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("news.jsonl:2"), "{}", out.stderr);
    assert!(
        out.stderr.contains("nothing was committed"),
        "{}",
        out.stderr
    );
    assert_eq!(stats(&dir).articles, 0);
}

#[test]
fn a_second_writer_is_told_the_index_is_locked() {
    let dir = TestDir::new();
    // A long job: enough articles to keep the writer busy for a while.
    let mut big = String::new();
    for i in 0..15_000 {
        big.push_str(&format!(
            "{{\"id\":\"{i}\",\"title\":\"خبر رقم {i}\",\"body\":\"{}\"}}\n",
            "نص طويل عن الأحداث في المدينة والمنطقة ".repeat(20)
        ));
    }
    dir.write("big.jsonl", &big);
    dir.write(
        "small.jsonl",
        "{\"id\":\"x\",\"title\":\"عنوان\",\"body\":\"نص\"}\n",
    );
    let mut first = std::process::Command::new(env!("CARGO_BIN_EXE_fahras"))
        .args(["index", "--index", "idx", "big.jsonl"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the first job holds the writer lock.
    let lock = dir.path().join("idx").join(".tantivy-writer.lock");
    let started = std::time::Instant::now();
    while !lock.exists() && started.elapsed() < std::time::Duration::from_secs(30) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let second = fahras_in(
        dir.path(),
        &["index", "--index", "idx", "small.jsonl"],
        None,
    );
    let first_status = first.wait().unwrap();
    assert!(first_status.success());
    assert_eq!(second.code, 2, "{second:?}");
    assert!(
        second.stderr.contains("locked by another fahras process"),
        "{}",
        second.stderr
    );
    assert!(!second.stderr.contains("panicked"));
    // Searches were never blocked, and the first job's work is complete.
    assert_eq!(stats(&dir).articles, 15_000);
}
