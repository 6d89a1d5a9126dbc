//! fahras beside raw tantivy on the same corpus, in one run: indexing throughput, index size,
//! peak memory and query latency, with the ratios fahras/baseline.
//!
//! ```text
//! cargo bench --bench index_vs_tantivy -- CORPUS.jsonl[.gz] QUERIES.jsonl [--limit N]
//!     [--threads N] [--memory MB] [--whole-process-runs N] [--resample N] [--index-runs N]
//!     [--query-passes N] [--query-words N]
//! ```
//!
//! * CORPUS: articles as JSONL (`{"id","title","body","date","source","category"}`), plain or
//!   gzip, e.g. `../shared/data/news/ant_multisource.jsonl.gz`. With no arguments the bench uses
//!   that file when present, else the built-in sample corpus.
//! * `--resample N` indexes exactly N articles, reading the corpus again and again with new ids
//!   (`<id>-r<pass>`) when it has fewer: the growth measurements (10k, 100k, 1M). The input is
//!   streamed; nothing holds the corpus in memory.
//! * QUERIES: JSONL with a `"query"` field per line (e.g. the news-titles queries), or plain
//!   text lines. `--query-words N` keeps each query's first N words: short queries that match
//!   many articles, where facets (counted over every match) cost the most.
//!
//! * `--index-runs N` indexes N times on each side, alternating baseline and fahras (default 5;
//!   1 with `--resample`). Each side reports its median run, and the throughput ratio is the
//!   median of the N runs' ratios, each run's two sides indexed back to back: a run disturbed
//!   by the machine's other work then moves neither figure.
//!
//! Each side indexes in its own child process (this binary re-run with `--side`), so that its
//! peak RSS is its own; both get the same writer threads and memory budget. The fahras side is
//! `fahras index`'s code path (ingest → our schema and analyzers); the baseline is the same
//! fields with tantivy's default tokenizer. Query latency is measured warm, single-threaded,
//! top 10: `Archive::search` with its defaults (snippets included) against plain BM25 over
//! title and body (and `Archive::search` with facets against itself without), each query run on both sides in turn, over `--query-passes N` passes
//! (default 3) after a warm-up pass. Finally `fahras search` is timed as a whole process
//! (open, search, print).
//! Machines are noisy: the ratios of one run are the figures that count.

/// The allocator of the `fahras` binary, for both sides.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use serde_json::json;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{Schema, FAST, INDEXED, STORED, STRING, TEXT};
use tantivy::{DateTime, Index, TantivyDocument};

#[derive(Debug, Clone)]
struct Options {
    corpus: PathBuf,
    queries: Option<PathBuf>,
    limit: Option<usize>,
    resample: Option<usize>,
    threads: usize,
    memory_mb: usize,
    whole_process_runs: usize,
    index_runs: Option<usize>,
    query_passes: usize,
    query_words: Option<usize>,
}

fn parse_args() -> (Options, Option<(String, PathBuf)>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut positional = Vec::new();
    let mut options = Options {
        corpus: PathBuf::new(),
        queries: None,
        limit: None,
        resample: None,
        threads: 2,
        memory_mb: 256,
        whole_process_runs: 30,
        index_runs: None,
        query_passes: 3,
        query_words: None,
    };
    let mut side = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--limit" => options.limit = args.next().and_then(|v| v.parse().ok()),
            "--resample" => options.resample = args.next().and_then(|v| v.parse().ok()),
            "--threads" => options.threads = args.next().and_then(|v| v.parse().ok()).unwrap_or(2),
            "--memory" => {
                options.memory_mb = args.next().and_then(|v| v.parse().ok()).unwrap_or(256)
            }
            "--whole-process-runs" => {
                options.whole_process_runs = args.next().and_then(|v| v.parse().ok()).unwrap_or(30)
            }
            "--index-runs" => options.index_runs = args.next().and_then(|v| v.parse().ok()),
            "--query-passes" => {
                options.query_passes = args.next().and_then(|v| v.parse().ok()).unwrap_or(3)
            }
            "--query-words" => options.query_words = args.next().and_then(|v| v.parse().ok()),
            "--side" => {
                let name = args.next().expect("--side NAME DIR");
                let dir = PathBuf::from(args.next().expect("--side NAME DIR"));
                side = Some((name, dir));
            }
            // cargo bench passes --bench; ignore any other flag.
            flag if flag.starts_with("--") => {}
            value => positional.push(PathBuf::from(value)),
        }
    }
    let shared = root.join("../shared/data/news/ant_multisource.jsonl.gz");
    options.corpus = positional.first().cloned().unwrap_or_else(|| {
        if shared.exists() {
            shared
        } else {
            root.join("sample-corpus/articles.jsonl")
        }
    });
    options.queries = positional.get(1).cloned().or_else(|| {
        let q = root.join("../shared/data/eval/news-titles/queries.jsonl");
        q.exists().then_some(q)
    });
    (options, side)
}

#[derive(Debug, Deserialize)]
struct InputArticle {
    id: Option<serde_json::Value>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    date: Option<String>,
    source: Option<String>,
    category: Option<String>,
}

fn open_corpus(path: &Path) -> Box<dyn BufRead> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    Box::new(BufReader::with_capacity(1 << 20, reader))
}

fn peak_rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Samples the resident anonymous memory (heap, not file-backed pages of the index files that
/// the kernel can drop at will) every 20 ms and keeps the peak.
struct AnonSampler {
    peak: std::sync::Arc<std::sync::atomic::AtomicU64>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

fn status_kb(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse().ok())
        .unwrap_or(0)
}

impl AnonSampler {
    fn start() -> AnonSampler {
        use std::sync::atomic::Ordering;
        let peak = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (p, s) = (peak.clone(), stop.clone());
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                p.fetch_max(status_kb("RssAnon:") * 1024, Ordering::Relaxed);
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        });
        AnonSampler { peak, stop }
    }

    fn peak_mb(&self) -> f64 {
        use std::sync::atomic::Ordering;
        self.stop.store(true, Ordering::Relaxed);
        self.peak
            .load(Ordering::Relaxed)
            .max(status_kb("RssAnon:") * 1024) as f64
            / 1e6
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct SideReport {
    docs: u64,
    input_mb: f64,
    index_s: f64,
    docs_per_s: f64,
    mb_per_s: f64,
    index_bytes: u64,
    /// Peak resident set (VmHWM), file-backed pages of the mapped index files included.
    peak_rss_mb: f64,
    /// Peak resident anonymous memory (sampled): what the process itself allocated.
    peak_anon_mb: f64,
}

/// The fahras side: the `fahras index` code path.
fn index_fahras(options: &Options, dir: &Path) -> SideReport {
    use fahras::ingest::{ingest, IngestEvent, IngestOptions};
    let anon = AnonSampler::start();
    let started = Instant::now();
    let archive = fahras::Archive::open_or_create(dir).unwrap();
    let mut writer = archive
        .writer(options.memory_mb * 1_000_000, options.threads)
        .unwrap();
    let (mut docs, mut bytes) = (0u64, 0u64);
    let target = options.resample.or(options.limit);
    'passes: for pass in 0.. {
        let before = docs;
        for event in ingest(
            std::slice::from_ref(&options.corpus),
            &IngestOptions::default(),
        ) {
            if let IngestEvent::Article(mut ingested) = event {
                bytes += ingested.bytes;
                if pass > 0 {
                    ingested.article.id = format!("{}-r{pass}", ingested.article.id);
                }
                writer.upsert(&ingested.article).unwrap();
                docs += 1;
                if target.is_some_and(|l| docs as usize >= l) {
                    break 'passes;
                }
            }
        }
        if options.resample.is_none() || docs == before {
            break;
        }
    }
    writer.commit().unwrap();
    writer.finish().unwrap();
    let seconds = started.elapsed().as_secs_f64();
    let input_mb = match options.resample {
        // Resampled: the mean article size of one pass times the articles indexed.
        Some(_) => {
            let one_pass = uncompressed_mb(
                &Options {
                    limit: None,
                    ..options.clone()
                },
                bytes,
            );
            one_pass * docs as f64 / count_lines(options) as f64
        }
        None => uncompressed_mb(options, bytes),
    };
    report(docs, input_mb, seconds, dir, anon)
}

fn count_lines(options: &Options) -> usize {
    open_corpus(&options.corpus).lines().count().max(1)
}

/// The input size in MB of uncompressed text (gzip sizes would flatter both sides).
fn uncompressed_mb(options: &Options, _compressed: u64) -> f64 {
    let mut total = 0u64;
    for (n, line) in open_corpus(&options.corpus).lines().enumerate() {
        total += line.unwrap().len() as u64 + 1;
        if options.limit.is_some_and(|l| n + 1 >= l) {
            break;
        }
    }
    total as f64 / 1e6
}

fn report(docs: u64, input_mb: f64, seconds: f64, dir: &Path, anon: AnonSampler) -> SideReport {
    SideReport {
        peak_anon_mb: anon.peak_mb(),
        docs,
        input_mb,
        index_s: seconds,
        docs_per_s: docs as f64 / seconds,
        mb_per_s: input_mb / seconds,
        index_bytes: dir_bytes(dir),
        peak_rss_mb: peak_rss_bytes() as f64 / 1e6,
    }
}

fn baseline_schema() -> Schema {
    let mut builder = Schema::builder();
    builder.add_text_field("id", STRING | STORED);
    builder.add_text_field("title", TEXT | STORED);
    builder.add_text_field("body", TEXT | STORED);
    builder.add_date_field("date", INDEXED | FAST | STORED);
    builder.add_text_field("source", STRING | FAST | STORED);
    builder.add_text_field("category", STRING | FAST | STORED);
    builder.build()
}

/// The baseline side: the same fields with tantivy's default tokenizer, parsing the same JSON.
fn index_baseline(options: &Options, dir: &Path) -> SideReport {
    let anon = AnonSampler::start();
    let started = Instant::now();
    let schema = baseline_schema();
    let index = Index::create_in_dir(dir, schema.clone()).unwrap();
    let f = |name: &str| schema.get_field(name).unwrap();
    let (id, title, body, date, source, category) = (
        f("id"),
        f("title"),
        f("body"),
        f("date"),
        f("source"),
        f("category"),
    );
    let mut writer: tantivy::IndexWriter = index
        .writer_with_num_threads(options.threads, options.memory_mb * 1_000_000)
        .unwrap();
    let mut docs = 0u64;
    let mut bytes = 0u64;
    let target = options.resample.or(options.limit);
    'passes: for pass in 0.. {
        let before = docs;
        for line in open_corpus(&options.corpus).lines() {
            let line = line.unwrap();
            bytes += line.len() as u64 + 1;
            let article: InputArticle = serde_json::from_str(&line).unwrap();
            let mut doc = TantivyDocument::new();
            let mut article_id = match &article.id {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => docs.to_string(),
            };
            if pass > 0 {
                article_id = format!("{article_id}-r{pass}");
            }
            doc.add_text(id, &article_id);
            doc.add_text(title, &article.title);
            doc.add_text(body, &article.body);
            if let Some(d) = article
                .date
                .as_deref()
                .and_then(fahras::ingest::date::parse_date)
            {
                doc.add_date(date, DateTime::from_utc(d.midnight().assume_utc()));
            }
            if let Some(s) = &article.source {
                doc.add_text(source, s);
            }
            if let Some(c) = &article.category {
                doc.add_text(category, c);
            }
            writer.add_document(doc).unwrap();
            docs += 1;
            if target.is_some_and(|l| docs as usize >= l) {
                break 'passes;
            }
        }
        if options.resample.is_none() || docs == before {
            break;
        }
    }
    writer.commit().unwrap();
    writer.wait_merging_threads().unwrap();
    let seconds = started.elapsed().as_secs_f64();
    report(docs, bytes as f64 / 1e6, seconds, dir, anon)
}

/// Where the median of `values` is (the upper one of an even count).
fn median_index(values: &[f64]) -> usize {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    order[order.len() / 2]
}

fn load_queries(path: Option<&Path>) -> Vec<String> {
    let Some(path) = path else {
        return [
            "سد وادي العقيق",
            "الانتخابات البلدية",
            "كأس العالم",
            "أسعار النفط",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
    };
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(
            |line| match serde_json::from_str::<serde_json::Value>(line) {
                Ok(v) => v["query"].as_str().unwrap_or_default().to_string(),
                Err(_) => line.to_string(),
            },
        )
        .collect()
}

fn percentiles(mut samples: Vec<f64>) -> serde_json::Value {
    samples.sort_by(|a, b| a.total_cmp(b));
    let at = |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize];
    json!({"p50_ms": at(0.50), "p95_ms": at(0.95), "p99_ms": at(0.99), "mean_ms": samples.iter().sum::<f64>() / samples.len() as f64})
}

/// Query latency of the four searchers, measured together: for each query in turn, plain BM25
/// on the baseline, then `Archive::search` with its defaults, then with spelling variants off
/// (`fahras search --exact`), then with facets (`fahras search --facets`: counts by source,
/// category, year and month over every match), over `passes` passes after one warm-up pass. A
/// slow moment of the machine then falls on all four alike, and their ratios hold where the
/// absolute times move. Returns each searcher's percentiles (baseline, fahras, fahras exact,
/// fahras with facets) and, per pass, the ratios of fahras's p50 to the baseline's, of the
/// p50 with facets to the p50 without, and of the p50 with variants to the p50 `--exact`.
fn latencies(
    fahras_dir: &Path,
    baseline_dir: &Path,
    queries: &[String],
    passes: usize,
) -> [serde_json::Value; 7] {
    let archive = fahras::Archive::open(fahras_dir).unwrap();
    let fahras = |q: &String, variants: bool, facets: bool| {
        let started = Instant::now();
        let mut request = fahras::SearchRequest::new(q.clone());
        request.variants = variants;
        request.facets = facets;
        let results = archive.search(&request).unwrap();
        std::hint::black_box(results);
        started.elapsed().as_secs_f64() * 1000.0
    };
    let index = Index::open_in_dir(baseline_dir).unwrap();
    let reader = index.reader().unwrap();
    let searcher = reader.searcher();
    let schema = index.schema();
    let parser = QueryParser::for_index(
        &index,
        vec![
            schema.get_field("title").unwrap(),
            schema.get_field("body").unwrap(),
        ],
    );
    let baseline = |q: &String| {
        let started = Instant::now();
        let (query, _) = parser.parse_query_lenient(q);
        let top = searcher
            .search(&query, &TopDocs::with_limit(10).order_by_score())
            .unwrap();
        for (_, address) in &top {
            let doc: TantivyDocument = searcher.doc(*address).unwrap();
            std::hint::black_box(doc);
        }
        started.elapsed().as_secs_f64() * 1000.0
    };
    let mut samples: [Vec<f64>; 4] = Default::default();
    let mut pass_ratios = Vec::new();
    let mut facet_ratios = Vec::new();
    let mut exact_ratios = Vec::new();
    for pass in 0..=passes.max(1) {
        let mut this_pass: [Vec<f64>; 4] = Default::default();
        for (i, q) in queries.iter().enumerate() {
            this_pass[0].push(baseline(q));
            // A search run right after the same query finds its articles' document-store
            // blocks decompressed in tantivy's cache: with and without facets take turns at
            // running first, and so do with and without variants (`--exact` always ran last:
            // last, it took 0.89 × its time in turns, and the ratio of variants to exact read
            // 1.55 instead of 1.37 with the same code), so that no side has that advantage.
            if i % 2 == 0 {
                this_pass[1].push(fahras(q, true, false));
                this_pass[3].push(fahras(q, true, true));
                this_pass[2].push(fahras(q, false, false));
            } else {
                this_pass[2].push(fahras(q, false, false));
                this_pass[3].push(fahras(q, true, true));
                this_pass[1].push(fahras(q, true, false));
            }
        }
        if pass == 0 {
            continue; // warm-up
        }
        let p50 = |v: &[f64]| percentiles(v.to_vec())["p50_ms"].as_f64().unwrap();
        pass_ratios.push(p50(&this_pass[1]) / p50(&this_pass[0]));
        exact_ratios.push(p50(&this_pass[1]) / p50(&this_pass[2]));
        facet_ratios.push(p50(&this_pass[3]) / p50(&this_pass[1]));
        for (all, these) in samples.iter_mut().zip(this_pass) {
            all.extend(these);
        }
    }
    let [baseline, fahras, exact, facets] = samples.map(percentiles);
    [
        baseline,
        fahras,
        exact,
        facets,
        json!(pass_ratios),
        json!(facet_ratios),
        json!(exact_ratios),
    ]
}

fn whole_process(dir: &Path, queries: &[String], runs: usize) -> serde_json::Value {
    let binary = env!("CARGO_BIN_EXE_fahras");
    let mut samples = Vec::new();
    for q in queries.iter().cycle().take(runs) {
        let started = Instant::now();
        let out = Command::new(binary)
            .args(["search", "--index"])
            .arg(dir)
            .arg(q)
            .output()
            .unwrap();
        assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
        samples.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    percentiles(samples)
}

fn main() {
    let (options, side) = parse_args();
    if let Some((name, dir)) = side {
        let report = match name.as_str() {
            "fahras" => index_fahras(&options, &dir),
            _ => index_baseline(&options, &dir),
        };
        println!("{}", serde_json::to_string(&report).unwrap());
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let me = std::env::current_exe().unwrap();
    let runs = options
        .index_runs
        .unwrap_or(if options.resample.is_some() { 1 } else { 5 })
        .max(1);
    let mut reports: [Vec<serde_json::Value>; 2] = [Vec::new(), Vec::new()];
    for _ in 0..runs {
        for (side, name) in ["baseline", "fahras"].into_iter().enumerate() {
            // Each run starts from an empty directory; the last run's index stays for the
            // queries.
            let dir = work.path().join(name);
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            let mut command = Command::new(&me);
            command
                .arg(&options.corpus)
                .args(["--threads", &options.threads.to_string()])
                .args(["--memory", &options.memory_mb.to_string()])
                .args(["--side", name])
                .arg(&dir);
            if let Some(limit) = options.limit {
                command.args(["--limit", &limit.to_string()]);
            }
            if let Some(n) = options.resample {
                command.args(["--resample", &n.to_string()]);
            }
            let out = command.output().unwrap();
            assert!(out.status.success(), "{name}: {out:?}");
            reports[side].push(serde_json::from_slice(&out.stdout).unwrap());
        }
    }
    // Each side's median run by indexing time, with every run's time beside it.
    let seconds = |side: usize| -> Vec<f64> {
        reports[side]
            .iter()
            .map(|r| r["index_s"].as_f64().unwrap())
            .collect()
    };
    let mut sides = serde_json::Map::new();
    for (side, name) in ["baseline", "fahras"].into_iter().enumerate() {
        let runs = seconds(side);
        let mut median_run = reports[side][median_index(&runs)].clone();
        median_run["index_s_runs"] = json!(runs);
        sides.insert(name.to_string(), median_run);
    }
    let pair_ratios: Vec<f64> = seconds(0)
        .iter()
        .zip(seconds(1))
        .map(|(baseline, fahras)| baseline / fahras)
        .collect();
    let mut queries = load_queries(options.queries.as_deref());
    if let Some(n) = options.query_words {
        // Short queries (a headline's first words) match far more articles: the case where
        // counting facets over every match has the most to do.
        queries = queries
            .iter()
            .map(|q| q.split_whitespace().take(n).collect::<Vec<_>>().join(" "))
            .filter(|q| !q.is_empty())
            .collect();
    }
    let [baseline_latency, fahras_latency, exact_latency, facets_latency, query_p50_each_pass, facets_p50_each_pass, exact_p50_each_pass] =
        latencies(
            &work.path().join("fahras"),
            &work.path().join("baseline"),
            &queries,
            options.query_passes,
        );
    // The variant map is rebuilt from the term dictionary at commit (once for this job):
    // its cost, timed again here on the finished index (best of three), is part of the
    // indexing time above.
    let archive = fahras::Archive::open(&work.path().join("fahras")).unwrap();
    let map_s = (0..3)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(archive.build_variant_map().unwrap());
            started.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min);
    drop(archive);
    let process = whole_process(
        &work.path().join("fahras"),
        &queries,
        options.whole_process_runs,
    );
    let ratio = |key: &str| {
        sides["fahras"][key].as_f64().unwrap() / sides["baseline"][key].as_f64().unwrap()
    };
    let output = json!({
        "corpus": options.corpus.display().to_string(),
        "queries": queries.len(),
        "query_words": options.query_words,
        "threads": options.threads,
        "memory_mb": options.memory_mb,
        "fahras": {
            "indexing": sides["fahras"],
            "query": fahras_latency,
            "query_exact": exact_latency,
            "query_facets": facets_latency,
            "variant_map_build_s": map_s,
            "whole_process_search": process,
        },
        "baseline": {"indexing": sides["baseline"], "query": baseline_latency},
        "ratios_fahras_over_baseline": {
            // The median of the runs' ratios: each run's two sides indexed back to back,
            // under the same load.
            "docs_per_s": pair_ratios[median_index(&pair_ratios)],
            "docs_per_s_each_run": pair_ratios,
            "docs_per_s_of_median_runs": ratio("docs_per_s"),
            "index_bytes": ratio("index_bytes"),
            "peak_rss": ratio("peak_rss_mb"),
            "peak_anon": ratio("peak_anon_mb"),
            // Over every pass's samples, and each pass's own ratio.
            "query_p50": fahras_latency["p50_ms"].as_f64().unwrap() / baseline_latency["p50_ms"].as_f64().unwrap(),
            "query_p50_each_pass": query_p50_each_pass,
            "query_p99": fahras_latency["p99_ms"].as_f64().unwrap() / baseline_latency["p99_ms"].as_f64().unwrap(),
        },
        // Facets must not make search slow: p50 with facets at most 1.5 × without.
        "facets": {
            "query_p50_facets_over_plain": facets_latency["p50_ms"].as_f64().unwrap() / fahras_latency["p50_ms"].as_f64().unwrap(),
            "query_p50_facets_over_plain_each_pass": facets_p50_each_pass,
            "query_p99_facets_over_plain": facets_latency["p99_ms"].as_f64().unwrap() / fahras_latency["p99_ms"].as_f64().unwrap(),
        },
        "spelling_variants": {
            "query_p50_variants_over_exact": fahras_latency["p50_ms"].as_f64().unwrap() / exact_latency["p50_ms"].as_f64().unwrap(),
            "query_p50_variants_over_exact_each_pass": exact_p50_each_pass,
            "variant_map_share_of_indexing_time": map_s / sides["fahras"]["index_s"].as_f64().unwrap(),
        }
    });
    println!("{}", serde_json::to_string_pretty(&output).unwrap());
}
