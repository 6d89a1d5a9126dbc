//! Retrieval-quality evaluation: index a passage collection, run its queries through the same
//! search path as `fahras search`, and score the rankings.
//!
//! ```text
//! passages.jsonl ──► Archive (in memory) ──┐
//! queries.jsonl ──► SearchRequest (depth 100) ─► ranked ids ──► MRR@10, nDCG@10, R@10, R@100
//! ```
//!
//! Relevance is binary: a passage is relevant to a query when its id is in the query's
//! `relevant` list. The metrics are the standard ones (as in trec_eval), averaged over queries.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::article::Article;
use crate::error::{Error, Result};
use crate::index::{Archive, SchemaOptions};
use crate::search::{Ranking, SearchRequest};

/// How deep each query's ranking goes.
pub const DEPTH: usize = 100;

/// One passage of a collection: `{"id","title","text"}`.
#[derive(Debug, Clone, Deserialize)]
pub struct Passage {
    pub id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub text: String,
}

/// One query: `{"qid","query","relevant":[ids]}`.
#[derive(Debug, Clone, Deserialize)]
pub struct EvalQuery {
    pub qid: String,
    pub query: String,
    pub relevant: Vec<String>,
}

/// Reads a JSONL file of records, naming the file and line of a bad one.
pub fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>> {
    let file = std::fs::File::open(path).map_err(Error::io(path))?;
    let mut records = Vec::new();
    for (number, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(Error::io(path))?;
        if line.trim().is_empty() {
            continue;
        }
        let record = serde_json::from_str(&line).map_err(|e| {
            Error::io(path)(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("line {}: {e}", number + 1),
            ))
        })?;
        records.push(record);
    }
    Ok(records)
}

/// The scores of one ranking against its relevant set.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct QueryScores {
    pub mrr10: f64,
    pub ndcg10: f64,
    pub recall10: f64,
    pub recall100: f64,
}

/// Scores a ranking (best first) against the relevant ids.
///
/// ```
/// use fahras::eval::score_ranking;
///
/// let relevant = ["b".to_string()].into_iter().collect();
/// let scores = score_ranking(&["a".into(), "b".into()], &relevant);
/// assert_eq!(scores.mrr10, 0.5);
/// assert!((scores.ndcg10 - 1.0 / 3f64.log2()).abs() < 1e-12);
/// assert_eq!(scores.recall10, 1.0);
/// ```
pub fn score_ranking(ranked: &[String], relevant: &HashSet<String>) -> QueryScores {
    if relevant.is_empty() {
        return QueryScores::default();
    }
    let mut scores = QueryScores::default();
    let mut dcg = 0.0;
    let mut seen = HashSet::new();
    let (mut found10, mut found100) = (0usize, 0usize);
    for (i, id) in ranked.iter().take(DEPTH).enumerate() {
        // A ranking that repeats an id gains nothing the second time.
        if !relevant.contains(id) || !seen.insert(id) {
            continue;
        }
        let rank = i + 1;
        if rank <= 10 {
            if scores.mrr10 == 0.0 {
                scores.mrr10 = 1.0 / rank as f64;
            }
            dcg += 1.0 / (rank as f64 + 1.0).log2();
            found10 += 1;
        }
        found100 += 1;
    }
    let ideal: f64 = (1..=relevant.len().min(10))
        .map(|rank| 1.0 / (rank as f64 + 1.0).log2())
        .sum();
    scores.ndcg10 = dcg / ideal;
    scores.recall10 = found10 as f64 / relevant.len() as f64;
    scores.recall100 = found100 as f64 / relevant.len() as f64;
    scores
}

/// The figures of one queries file, as `fahras eval --json` prints them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EvalReport {
    /// The queries file.
    pub queries: String,
    pub n: usize,
    #[serde(rename = "mrr@10")]
    pub mrr10: f64,
    #[serde(rename = "ndcg@10")]
    pub ndcg10: f64,
    #[serde(rename = "recall@10")]
    pub recall10: f64,
    #[serde(rename = "recall@100")]
    pub recall100: f64,
    /// Seconds to index the passages.
    pub index_s: f64,
    /// Mean time per query, in milliseconds.
    pub query_ms_mean: f64,
}

/// What can be varied in an evaluation (the defaults are `fahras search`'s).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct EvalSettings {
    pub schema: SchemaOptions,
    pub ranking: Ranking,
    pub fill_partial: bool,
    pub match_any: bool,
    /// Search spelling variants (`false`: `--exact`).
    pub variants: bool,
}

impl EvalSettings {
    /// The settings of `fahras search`.
    pub fn defaults() -> EvalSettings {
        EvalSettings {
            schema: SchemaOptions::default(),
            ranking: Ranking::default(),
            fill_partial: SearchRequest::new("").fill_partial,
            match_any: false,
            variants: SearchRequest::new("").variants,
        }
    }
}

/// An indexed collection, ready to run queries files against.
pub struct Evaluation {
    archive: Archive,
    settings: EvalSettings,
    index_s: f64,
}

impl Evaluation {
    /// Indexes the passages in memory.
    pub fn new(passages: &[Passage], settings: EvalSettings) -> Result<Evaluation> {
        let started = Instant::now();
        let archive = Archive::in_memory_with(settings.schema)?;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        let mut writer = archive.writer(256_000_000, threads)?;
        for passage in passages {
            writer.upsert(&Article {
                id: passage.id.clone(),
                title: passage.title.clone(),
                body: passage.text.clone(),
                ..Article::default()
            })?;
        }
        writer.commit()?;
        writer.finish()?;
        Ok(Evaluation {
            archive,
            settings,
            index_s: started.elapsed().as_secs_f64(),
        })
    }

    /// Seconds it took to index the passages.
    pub fn index_seconds(&self) -> f64 {
        self.index_s
    }

    /// Runs every query (depth [`DEPTH`]) and scores it. With `run`, writes each ranking as
    /// TREC run lines (`qid Q0 docid rank score fahras`).
    pub fn run(
        &self,
        name: &str,
        queries: &[EvalQuery],
        mut run: Option<&mut dyn Write>,
    ) -> Result<EvalReport> {
        let mut total = QueryScores::default();
        let mut query_time = 0.0;
        for query in queries {
            let mut request = SearchRequest::new(query.query.clone());
            request.limit = DEPTH;
            request.ranking = self.settings.ranking;
            request.fill_partial = self.settings.fill_partial;
            request.match_any = self.settings.match_any;
            request.variants = self.settings.variants;
            let started = Instant::now();
            let results = self.archive.search(&request)?;
            query_time += started.elapsed().as_secs_f64();
            let ranked: Vec<String> = results.hits.iter().map(|h| h.id.clone()).collect();
            if let Some(out) = run.as_deref_mut() {
                for hit in &results.hits {
                    writeln!(
                        out,
                        "{} Q0 {} {} {} fahras",
                        query.qid, hit.id, hit.rank, hit.score
                    )
                    .map_err(Error::io(Path::new("run file")))?;
                }
            }
            let relevant: HashSet<String> = query.relevant.iter().cloned().collect();
            let scores = score_ranking(&ranked, &relevant);
            total.mrr10 += scores.mrr10;
            total.ndcg10 += scores.ndcg10;
            total.recall10 += scores.recall10;
            total.recall100 += scores.recall100;
        }
        let n = queries.len().max(1) as f64;
        Ok(EvalReport {
            queries: name.to_string(),
            n: queries.len(),
            mrr10: total.mrr10 / n,
            ndcg10: total.ndcg10 / n,
            recall10: total.recall10 / n,
            recall100: total.recall100 / n,
            index_s: self.index_s,
            query_ms_mean: query_time * 1000.0 / n,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn set(list: &[&str]) -> HashSet<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn first_place_is_perfect() {
        let s = score_ranking(&ids(&["a", "b"]), &set(&["a"]));
        assert_eq!(
            (s.mrr10, s.ndcg10, s.recall10, s.recall100),
            (1.0, 1.0, 1.0, 1.0)
        );
    }

    #[test]
    fn third_place_by_hand() {
        // One relevant at rank 3: MRR 1/3; DCG 1/log2(4) = 0.5; IDCG 1.
        let s = score_ranking(&ids(&["x", "y", "a"]), &set(&["a"]));
        assert!(close(s.mrr10, 1.0 / 3.0));
        assert!(close(s.ndcg10, 0.5));
        assert_eq!(s.recall10, 1.0);
    }

    #[test]
    fn two_relevant_by_hand() {
        // Relevant at ranks 1 and 4 of two: DCG = 1 + 1/log2(5); IDCG = 1 + 1/log2(3).
        let s = score_ranking(&ids(&["a", "x", "y", "b"]), &set(&["a", "b"]));
        let expected = (1.0 + 1.0 / 5f64.log2()) / (1.0 + 1.0 / 3f64.log2());
        assert!(close(s.ndcg10, expected), "{}", s.ndcg10);
        assert_eq!(s.mrr10, 1.0);
        // Only one of two relevant found.
        let s = score_ranking(&ids(&["a"]), &set(&["a", "b"]));
        assert_eq!(s.recall10, 0.5);
        assert!(close(s.ndcg10, 1.0 / (1.0 + 1.0 / 3f64.log2())));
    }

    #[test]
    fn beyond_ten_counts_only_for_recall_at_100() {
        let mut ranked: Vec<String> = (0..20).map(|i| format!("x{i}")).collect();
        ranked[14] = "a".into();
        let s = score_ranking(&ranked, &set(&["a"]));
        assert_eq!((s.mrr10, s.ndcg10, s.recall10), (0.0, 0.0, 0.0));
        assert_eq!(s.recall100, 1.0);
        // Beyond depth 100 counts for nothing.
        let mut deep: Vec<String> = (0..150).map(|i| format!("x{i}")).collect();
        deep[120] = "a".into();
        assert_eq!(score_ranking(&deep, &set(&["a"])).recall100, 0.0);
    }

    #[test]
    fn repeated_ids_count_once_and_empty_cases() {
        let s = score_ranking(&ids(&["a", "a"]), &set(&["a"]));
        assert_eq!(s.ndcg10, 1.0);
        assert_eq!(score_ranking(&[], &set(&["a"])), QueryScores::default());
        assert_eq!(
            score_ranking(&ids(&["a"]), &set(&[])),
            QueryScores::default()
        );
    }

    #[test]
    fn evaluation_end_to_end_on_a_tiny_collection() {
        let passages = vec![
            Passage {
                id: "p1".into(),
                title: "نهر الفرات".into(),
                text: "ينبع نهر الفرات من تركيا ويمر في سوريا والعراق".into(),
            },
            Passage {
                id: "p2".into(),
                title: "نهر النيل".into(),
                text: "يعد نهر النيل أطول أنهار أفريقيا".into(),
            },
        ];
        let queries = vec![
            EvalQuery {
                qid: "q1".into(),
                query: "من أين ينبع الفرات؟".into(),
                relevant: vec!["p1".into()],
            },
            EvalQuery {
                qid: "q2".into(),
                query: "ما أطول نهر في افريقيا".into(),
                relevant: vec!["p2".into()],
            },
        ];
        let evaluation = Evaluation::new(&passages, EvalSettings::defaults()).unwrap();
        let mut run = Vec::new();
        let report = evaluation.run("q", &queries, Some(&mut run)).unwrap();
        assert_eq!(report.n, 2);
        assert_eq!(report.mrr10, 1.0);
        let run = String::from_utf8(run).unwrap();
        assert!(run.starts_with("q1 Q0 p1 1 "), "{run}");
        assert!(run.lines().all(|l| l.ends_with(" fahras")));
    }
}
