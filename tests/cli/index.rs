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
