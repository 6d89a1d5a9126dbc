//! The built-in sample archive: our fictional articles in `sample-corpus/`, compiled into the
//! binary and indexed in memory on demand, so that `fahras search` works on a fresh clone.
//!
//! The JSONL files and the scraped-text files go through the same ingest parsers as files on
//! disk; scraped files get their path under `sample-corpus/` (without extension) as id, as
//! `fahras index sample-corpus` gives them.

use crate::article::Article;
use crate::error::Result;
use crate::index::Archive;
use crate::ingest::{parse_json_record, parse_scraped};

include!(concat!(env!("OUT_DIR"), "/sample_corpus.rs"));

/// The articles of the sample corpus.
pub fn sample_articles() -> Vec<Article> {
    let mut articles = Vec::new();
    for (path, contents) in SAMPLE_FILES {
        if path.ends_with(".jsonl") {
            for line in contents.lines().filter(|l| !l.trim().is_empty()) {
                let (article, _) =
                    parse_json_record(line).expect("the sample corpus is valid JSONL");
                articles.push(article);
            }
        } else {
            let id = path.trim_end_matches(".txt");
            let (article, _) =
                parse_scraped(id, contents).expect("the sample corpus has valid scraped files");
            articles.push(article);
        }
    }
    articles
}

/// The sample corpus indexed in memory.
///
/// ```
/// let archive = fahras::sample::sample_archive().unwrap();
/// assert!(archive.num_articles() >= 120);
/// ```
pub fn sample_archive() -> Result<Archive> {
    let archive = Archive::in_memory()?;
    let mut writer = archive.writer(50_000_000, 1)?;
    for article in sample_articles() {
        writer.upsert(&article)?;
    }
    writer.commit()?;
    Ok(archive)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_corpus_is_complete() {
        let articles = sample_articles();
        assert!(articles.len() >= 120, "{}", articles.len());
        let scraped = articles
            .iter()
            .filter(|a| a.id.starts_with("scraped/"))
            .count();
        assert!(scraped >= 20, "{scraped}");
        let categories: std::collections::HashSet<_> = articles
            .iter()
            .filter_map(|a| a.category.as_deref())
            .collect();
        assert!(categories.len() >= 6);
        let sources: std::collections::HashSet<_> = articles
            .iter()
            .filter_map(|a| a.source.as_deref())
            .collect();
        assert!(sources.len() >= 4);
        assert!(articles
            .iter()
            .all(|a| !a.title.is_empty() && !a.body.is_empty()));
        let ids: std::collections::HashSet<_> = articles.iter().map(|a| &a.id).collect();
        assert_eq!(ids.len(), articles.len(), "ids are unique");
    }
}
