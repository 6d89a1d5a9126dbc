//! Analyzer throughput on real Arabic news text, beside tantivy's default analyzer.
//!
//! Text: the bodies of `../shared/data/news/ant_multisource.jsonl.gz` (first 8 MB) when that
//! file is present, else the built-in `sample-corpus/`. Run with `cargo bench --bench analysis`;
//! criterion reports MB/s per analyzer. Set `FAHRAS_BENCH_TEXT=path.jsonl[.gz]` to use
//! another corpus.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fahras::analysis::AnalyzerSpec;
use tantivy::tokenizer::{TextAnalyzer, TokenStream, TokenizerManager};

const MAX_BYTES: usize = 8 << 20;

fn corpus_paths() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Ok(path) = std::env::var("FAHRAS_BENCH_TEXT") {
        return vec![PathBuf::from(path)];
    }
    let shared = root.join("../shared/data/news/ant_multisource.jsonl.gz");
    if shared.exists() {
        return vec![shared];
    }
    let mut paths = Vec::new();
    let mut dirs = vec![root.join("sample-corpus")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "jsonl" || e == "txt") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
}

/// Article bodies (JSONL) or whole files (text), up to MAX_BYTES.
fn load_texts() -> Vec<String> {
    let mut texts = Vec::new();
    let mut total = 0;
    for path in corpus_paths() {
        let file = std::fs::File::open(&path).expect("open bench corpus");
        let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
            Box::new(flate2::read::MultiGzDecoder::new(file))
        } else {
            Box::new(file)
        };
        let is_text = path.extension().is_some_and(|e| e == "txt");
        if is_text {
            let mut s = String::new();
            BufReader::new(reader).read_to_string(&mut s).unwrap();
            total += s.len();
            texts.push(s);
        } else {
            for line in BufReader::new(reader).lines() {
                let value: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
                if let Some(body) = value.get("body").and_then(|b| b.as_str()) {
                    total += body.len();
                    texts.push(body.to_string());
                }
                if total >= MAX_BYTES {
                    break;
                }
            }
        }
        if total >= MAX_BYTES {
            break;
        }
    }
    assert!(total > 0, "no bench text found");
    texts
}

fn count_tokens(analyzer: &mut TextAnalyzer, texts: &[String]) -> usize {
    let mut n = 0;
    for text in texts {
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            n += 1;
        }
    }
    n
}

fn bench_analyzers(c: &mut Criterion) {
    let texts = load_texts();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group("analyzer");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    let mut default = TokenizerManager::default().get("default").unwrap();
    group.bench_function("tantivy_default", |b| {
        b.iter(|| count_tokens(&mut default, &texts))
    });
    for spec in [
        AnalyzerSpec::EXACT,
        AnalyzerSpec::LIGHT,
        AnalyzerSpec::LIGHT.with_stopwords(),
        AnalyzerSpec::SNOWBALL,
    ] {
        let mut analyzer = spec.build();
        group.bench_function(spec.name(), |b| {
            b.iter(|| count_tokens(&mut analyzer, &texts))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_analyzers);
criterion_main!(benches);
