//! The commands of the binary: each turns parsed arguments into library calls and output.
//! Only this module and `main` touch the terminal.

use std::collections::BTreeSet;
use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde::Serialize;

use crate::cli::{
    AnalyzeArgs, DeleteArgs, EvalArgs, IndexArgs, IndexLocation, ProximityPairsArg,
    QueryStopwordsArg, SearchArgs, ServeArgs, SortArg, StatsArgs, StemmerArg, VariantsArgs,
};
use crate::display::Display;
use fahras::analysis::{analyze as analyze_text, AnalyzeOutput};
use fahras::ingest::{ingest, total_input_bytes, IngestEvent, IngestOptions, Warning};
use fahras::rebuild::Rebuild;
use fahras::render::{write_facets, write_results, write_stats, write_timeline};
use fahras::sample::sample_archive;
use fahras::search::parse_cli_date;
use fahras::{Archive, SearchRequest, Sort, Upsert};

const DEFAULT_INDEX: &str = "fahras-index";

/// Where the index is: `--index`, else `$FAHRAS_INDEX`, else `./fahras-index`; and whether the
/// user chose it.
fn index_dir(location: &IndexLocation) -> (PathBuf, bool) {
    if let Some(dir) = &location.index {
        return (dir.clone(), true);
    }
    match std::env::var_os("FAHRAS_INDEX") {
        Some(dir) if !dir.is_empty() => (PathBuf::from(dir), true),
        _ => (PathBuf::from(DEFAULT_INDEX), false),
    }
}

/// The index to read: a directory, or the built-in sample archive when the user named no
/// index and none exists at the default place.
enum ReadSource {
    Dir(PathBuf),
    Sample(Box<Archive>),
}

fn read_source(location: &IndexLocation) -> anyhow::Result<ReadSource> {
    let (dir, chosen) = index_dir(location);
    if !chosen && !dir.join("meta.json").exists() {
        let archive = sample_archive().context("building the sample archive")?;
        eprintln!(
            "fahras: no index at ./{DEFAULT_INDEX}: searching the built-in sample archive ({} fictional articles). \
             Index your own with `fahras index FILE…`.",
            archive.num_articles()
        );
        return Ok(ReadSource::Sample(Box::new(archive)));
    }
    Ok(ReadSource::Dir(dir))
}

/// Opens the index for reading (see [`read_source`]).
fn open_for_reading(location: &IndexLocation) -> anyhow::Result<Archive> {
    Ok(match read_source(location)? {
        ReadSource::Sample(archive) => *archive,
        ReadSource::Dir(dir) => Archive::open(&dir)?,
    })
}

pub fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    use fahras::serve::{router, serve, LiveArchive, ServeOptions};
    let live = match read_source(&args.location)? {
        ReadSource::Sample(archive) => LiveArchive::fixed(*archive),
        ReadSource::Dir(dir) => LiveArchive::open(&dir)?,
    };
    let options = ServeOptions {
        cors_origins: args.cors,
        ..ServeOptions::default()
    };
    let watcher = live.watch(options.watch_period);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the server's runtime")?;
    let served = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("listening on {}", args.listen))?;
        let address = listener.local_addr()?;
        eprintln!("listening on http://{address}");
        let app = router(std::sync::Arc::clone(&live), &options)
            .context("starting the server's search threads")?;
        serve(listener, app, shutdown_signal()).await?;
        anyhow::Ok(())
    });
    // Requests still in flight get a moment; none is waited for longer.
    runtime.shutdown_timeout(Duration::from_secs(2));
    live.stop();
    drop(watcher);
    served?;
    eprintln!("fahras serve: stopped");
    Ok(ExitCode::SUCCESS)
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
}

fn stdout_writer() -> io::BufWriter<io::StdoutLock<'static>> {
    io::BufWriter::new(io::stdout().lock())
}

pub fn search(args: SearchArgs) -> anyhow::Result<ExitCode> {
    let display = Display::from_args(&args.display)?;
    let archive = open_for_reading(&args.location)?;
    let mut request = SearchRequest::new(args.query.join(" "));
    request.limit = args.limit;
    request.offset = args.offset;
    request.since = args.since.as_deref().map(parse_cli_date).transpose()?;
    request.until = args.until.as_deref().map(parse_cli_date).transpose()?;
    request.sources = args.source;
    request.categories = args.category;
    request.facets = args.facets || args.timeline;
    request.fill_partial = !args.no_partial;
    request.variants = !args.exact;
    request.sort = match args.sort {
        SortArg::Relevance => Sort::Relevance,
        SortArg::Newest => Sort::Newest,
        SortArg::Oldest => Sort::Oldest,
    };
    let results = archive.search(&request)?;
    let mut out = stdout_writer();
    if args.json {
        serde_json::to_writer(&mut out, &results)?;
        writeln!(out)?;
    } else {
        if fahras::search::query::parse(&request.query)
            .clauses
            .iter()
            .all(|c| {
                c.alternatives
                    .iter()
                    .all(|a| analyze_text(a.text()).is_empty())
            })
        {
            eprintln!(
                "fahras: the query «{}» has no searchable words (only punctuation, marks or symbols)",
                request.query
            );
        }
        display.write(&mut out, |out| {
            write_results(out, &results, display.style)?;
            if let Some(facets) = results.facets.as_ref().filter(|_| args.facets) {
                write_facets(out, facets, results.total_hits, display.style)?;
            }
            if let Some(facets) = results.facets.as_ref().filter(|_| args.timeline) {
                writeln!(out)?;
                write_timeline(out, facets, display.width, display.style)?;
            }
            Ok(())
        })?;
    }
    out.flush()?;
    // --limit 0 asks for the counts alone: found when something matches.
    let found = !results.hits.is_empty() || (request.limit == 0 && results.total_hits > 0);
    Ok(if !found {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// One rejected record or skipped path, as reported.
#[derive(Debug, Serialize)]
struct Problem {
    location: String,
    reason: String,
}

/// The summary of `fahras index`.
#[derive(Debug, Default, Serialize)]
struct IndexSummary {
    index: String,
    added: u64,
    replaced: u64,
    rejected: u64,
    skipped_files: u64,
    unreadable: u64,
    undated_bad_date: u64,
    unknown_fields: BTreeSet<String>,
    articles: u64,
    seconds: f64,
    examples: Vec<Problem>,
}

const MAX_EXAMPLES: usize = 10;

impl IndexSummary {
    fn problem(&mut self, location: String, reason: String) {
        if self.examples.len() < MAX_EXAMPLES {
            self.examples.push(Problem { location, reason });
        }
    }
}

fn progress_bar(total: Option<u64>) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match total {
        Some(total) => ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
            .with_style(
                ProgressStyle::with_template(
                    "{bar:30} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
                )
                .expect("valid template"),
            ),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
            ProgressStyle::with_template("{spinner} {bytes} {binary_bytes_per_sec} {msg}")
                .expect("valid template"),
        ),
    };
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

pub fn index(args: IndexArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let (dir, _) = index_dir(&args.location);
    // A rebuild writes a new index beside the live one and switches when it is complete.
    let rebuild = if args.rebuild {
        Some(Rebuild::begin(&dir)?)
    } else {
        None
    };
    let target = rebuild
        .as_ref()
        .map_or_else(|| dir.clone(), |r| r.staging().to_path_buf());
    let archive = Archive::open_or_create(&target)?;
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get().min(4))
            .unwrap_or(1)
    });
    let mut writer = archive.writer(args.memory.saturating_mul(1_000_000), threads)?;
    let bar = progress_bar(total_input_bytes(&args.paths));
    let mut summary = IndexSummary {
        index: dir.display().to_string(),
        ..IndexSummary::default()
    };
    let mut since_commit = 0u64;
    let mut errors = match &args.errors {
        Some(path) => Some(io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        )),
        None => None,
    };
    for event in ingest(&args.paths, &IngestOptions::default()) {
        match event {
            IngestEvent::Article(ingested) => {
                bar.inc(ingested.bytes);
                for warning in &ingested.warnings {
                    match warning {
                        Warning::UnknownFields(names) => {
                            summary.unknown_fields.extend(names.iter().cloned())
                        }
                        Warning::BadDate(text) => {
                            summary.undated_bad_date += 1;
                            summary.problem(
                                ingested.location.to_string(),
                                format!("date {text:?} does not parse; indexed without a date"),
                            );
                        }
                    }
                }
                match writer.upsert(&ingested.article)? {
                    Upsert::Added => summary.added += 1,
                    Upsert::Replaced => summary.replaced += 1,
                }
                since_commit += 1;
                let done = summary.added + summary.replaced;
                if done.is_multiple_of(256) {
                    let rate = done as f64 / started.elapsed().as_secs_f64().max(1e-3);
                    bar.set_message(format!("{done} articles, {rate:.0} articles/s"));
                }
                if args.commit_every.is_some_and(|n| since_commit >= n.max(1)) {
                    writer.commit()?;
                    since_commit = 0;
                }
            }
            IngestEvent::Rejected(rejected) => {
                summary.rejected += 1;
                if let Some(file) = errors.as_mut() {
                    let record = serde_json::json!({
                        "location": rejected.location.to_string(),
                        "reason": rejected.reason,
                        "raw": rejected.raw,
                    });
                    serde_json::to_writer(&mut *file, &record)?;
                    writeln!(file)?;
                }
                if args.strict {
                    writer.rollback()?;
                    anyhow::bail!(
                        "{}: {} (--strict: nothing was committed)",
                        rejected.location,
                        rejected.reason
                    );
                }
                summary.problem(rejected.location.to_string(), rejected.reason);
            }
            IngestEvent::SkippedFile { path, reason } => {
                summary.skipped_files += 1;
                summary.problem(path.display().to_string(), format!("skipped: {reason}"));
            }
            IngestEvent::Unreadable { path, reason } => {
                summary.unreadable += 1;
                if args.strict {
                    writer.rollback()?;
                    anyhow::bail!(
                        "{}: {reason} (--strict: nothing was committed)",
                        path.display()
                    );
                }
                summary.problem(path.display().to_string(), format!("unreadable: {reason}"));
            }
        }
    }
    if let Some(mut file) = errors {
        file.flush()?;
    }
    bar.set_message("committing…");
    writer.commit()?;
    writer.finish()?;
    summary.articles = archive.num_articles();
    drop(archive);
    if let Some(rebuild) = rebuild {
        bar.set_message("switching to the new index…");
        rebuild.switch()?;
    }
    bar.finish_and_clear();
    summary.seconds = started.elapsed().as_secs_f64();
    if args.json {
        let mut out = stdout_writer();
        serde_json::to_writer(&mut out, &summary)?;
        writeln!(out)?;
        out.flush()?;
    } else {
        print_index_summary(&summary)?;
    }
    let skipped = summary.rejected + summary.unreadable;
    Ok(if skipped > 0 {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_index_summary(summary: &IndexSummary) -> io::Result<()> {
    let mut err = io::stderr().lock();
    let indexed = summary.added + summary.replaced;
    let rate = indexed as f64 / summary.seconds.max(1e-9);
    writeln!(
        err,
        "indexed {indexed} articles into {} in {:.1} s ({rate:.0} articles/s): {} added, {} replaced; the index holds {} articles",
        summary.index, summary.seconds, summary.added, summary.replaced, summary.articles
    )?;
    if summary.rejected > 0 {
        writeln!(err, "rejected {} records", summary.rejected)?;
    }
    if summary.skipped_files > 0 {
        writeln!(
            err,
            "skipped {} files that are not JSONL or .txt",
            summary.skipped_files
        )?;
    }
    if summary.unreadable > 0 {
        writeln!(err, "could not read {} paths", summary.unreadable)?;
    }
    if summary.undated_bad_date > 0 {
        writeln!(
            err,
            "{} articles have a date that does not parse and were indexed without one",
            summary.undated_bad_date
        )?;
    }
    if !summary.unknown_fields.is_empty() {
        let names: Vec<&str> = summary.unknown_fields.iter().map(String::as_str).collect();
        writeln!(err, "ignored unknown fields: {}", names.join(", "))?;
    }
    for problem in &summary.examples {
        writeln!(err, "  {}: {}", problem.location, problem.reason)?;
    }
    Ok(())
}

#[derive(Serialize)]
struct DeleteSummary {
    deleted: Vec<String>,
    not_found: Vec<String>,
    articles: u64,
}

pub fn delete(args: DeleteArgs) -> anyhow::Result<ExitCode> {
    let (dir, _) = index_dir(&args.location);
    let archive = Archive::open(&dir)?;
    let mut writer = archive.writer(50_000_000, 1)?;
    let mut summary = DeleteSummary {
        deleted: Vec::new(),
        not_found: Vec::new(),
        articles: 0,
    };
    for id in args.ids {
        if writer.delete(&id)? {
            summary.deleted.push(id);
        } else {
            summary.not_found.push(id);
        }
    }
    writer.commit()?;
    summary.articles = archive.num_articles();
    if args.json {
        let mut out = stdout_writer();
        serde_json::to_writer(&mut out, &summary)?;
        writeln!(out)?;
    } else {
        eprintln!(
            "deleted {} articles; {} ids not found{}; the index holds {} articles",
            summary.deleted.len(),
            summary.not_found.len(),
            if summary.not_found.is_empty() {
                String::new()
            } else {
                format!(" ({})", summary.not_found.join(", "))
            },
            summary.articles
        );
    }
    Ok(if summary.deleted.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn stats(args: StatsArgs) -> anyhow::Result<ExitCode> {
    let display = Display::from_args(&args.display)?;
    let archive = open_for_reading(&args.location)?;
    let stats = archive.stats()?;
    let mut out = stdout_writer();
    if args.json {
        serde_json::to_writer(&mut out, &stats)?;
        writeln!(out)?;
    } else {
        display.write(&mut out, |out| write_stats(out, &stats, display.style))?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The JSON form of `fahras variants --export FILE --json`.
#[derive(Serialize)]
struct VariantsExport {
    file: String,
    rules: usize,
    analyzer_version: u32,
    /// The fewest letters a stem of the rules keeps (3: the archive's own stems).
    min_stem_chars: usize,
}

/// `fahras variants --export FILE`: the archive's variant map as a Solr synonyms file, written
/// to a temporary file beside FILE and renamed (a node reading it never sees half a file).
pub fn variants(args: VariantsArgs) -> anyhow::Result<ExitCode> {
    let archive = open_for_reading(&args.location)?;
    let (dir, _) = index_dir(&args.location);
    let source = format!("the archive {}", dir.display());
    // The archive's own stem length gives its own rules, with the index's document counts.
    let own = fahras::analysis::LightStemmer::default().min_stem_chars();
    let min_stem_chars = args.min_stem_chars.map_or(own, usize::from);
    let synonyms = if min_stem_chars == own {
        fahras::synonyms::archive_synonyms(&archive, &source)?
    } else {
        fahras::synonyms::archive_synonyms_with_stems(&archive, &source, min_stem_chars)?
    };
    let file = args.export.display().to_string();
    if file == "-" {
        let mut out = stdout_writer();
        out.write_all(synonyms.text.as_bytes())?;
        out.flush()?;
    } else {
        let tmp = args
            .export
            .with_extension(format!("{}.tmp", std::process::id()));
        std::fs::write(&tmp, &synonyms.text)
            .and_then(|()| std::fs::rename(&tmp, &args.export))
            .with_context(|| format!("writing the synonyms file {file}"))?;
        let mut out = stdout_writer();
        if args.json {
            let summary = VariantsExport {
                file,
                rules: synonyms.rules,
                analyzer_version: fahras::analysis::ANALYZER_VERSION,
                min_stem_chars,
            };
            serde_json::to_writer(&mut out, &summary)?;
            writeln!(out)?;
        } else {
            writeln!(
                out,
                "{} spelling-variant rules written to {file}",
                synonyms.rules
            )?;
        }
        out.flush()?;
    }
    Ok(if synonyms.rules == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `fahras analyze --json --min-stem-chars N`: each token with its stem's byte offset in the term.
#[derive(Serialize)]
struct StemStartOutput<'a> {
    tokens: Vec<StemStartToken<'a>>,
}

#[derive(Serialize)]
struct StemStartToken<'a> {
    #[serde(flatten)]
    token: fahras::analysis::AnalyzeTokenJson<'a>,
    stem_start: usize,
}

pub fn analyze(args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let text = if args.text.len() == 1 && args.text[0] == "-" {
        let mut input = String::new();
        io::stdin()
            .read_to_string(&mut input)
            .context("reading standard input (it must be UTF-8 text)")?;
        input
    } else {
        args.text.join(" ")
    };
    let mut tokens = analyze_text(&text);
    // With --min-stem-chars, each stem again with that stemmer, and where it starts in the term.
    let mut stem_starts = Vec::new();
    if let Some(min) = args.min_stem_chars {
        let stemmer = fahras::analysis::LightStemmer::with_min_stem_chars(usize::from(min));
        for t in &mut tokens {
            let stem = stemmer.stem(&t.term);
            // A stem is a slice of its term.
            stem_starts.push(stem.as_ptr() as usize - t.term.as_ptr() as usize);
            t.stem = stem.to_string();
        }
    }
    let mut out = stdout_writer();
    if args.json {
        let output = AnalyzeOutput::new(&tokens);
        if args.min_stem_chars.is_some() {
            let output = StemStartOutput {
                tokens: output
                    .tokens
                    .into_iter()
                    .zip(&stem_starts)
                    .map(|(token, &stem_start)| StemStartToken { token, stem_start })
                    .collect(),
            };
            serde_json::to_writer(&mut out, &output)?;
        } else {
            serde_json::to_writer(&mut out, &output)?;
        }
        writeln!(out)?;
    } else {
        writeln!(out, "pos\tbytes\ttext\tterm\tstem")?;
        for t in &tokens {
            let note = if t.stopword { "\t(stopword)" } else { "" };
            writeln!(
                out,
                "{}\t{}..{}\t{}\t{}\t{}{}",
                t.position, t.start, t.end, t.text, t.term, t.stem, note
            )?;
        }
    }
    out.flush()?;
    Ok(if tokens.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn eval(args: EvalArgs) -> anyhow::Result<ExitCode> {
    use fahras::analysis::{AnalyzerSpec, Stemming};
    use fahras::eval::{read_jsonl, EvalQuery, EvalSettings, Evaluation, Passage};
    use fahras::search::QueryStopwords;

    let mut settings = EvalSettings::defaults();
    settings.schema.stemmed = AnalyzerSpec {
        stemming: match args.stemmer {
            StemmerArg::Light => Stemming::Light,
            StemmerArg::Snowball => Stemming::Snowball,
            StemmerArg::None => Stemming::None,
        },
        stopwords: args.index_stopwords,
        fold_hamza: args.fold_hamza,
    };
    if args.fold_hamza {
        settings.schema.exact = AnalyzerSpec::EXACT.with_hamza_folding();
    }
    settings.ranking.stopwords = match args.query_stopwords {
        QueryStopwordsArg::Optional => QueryStopwords::Optional,
        QueryStopwordsArg::Drop => QueryStopwords::Drop,
        QueryStopwordsArg::Require => QueryStopwords::Require,
    };
    if let Some(boost) = args.title_boost {
        settings.ranking.title_boost = boost;
    }
    if let Some(boost) = args.exact_boost {
        settings.ranking.exact_boost = boost;
    }
    if let Some(boost) = args.lead_boost {
        settings.ranking.lead_boost = boost;
    }
    if let Some(boost) = args.proximity_boost {
        settings.ranking.proximity_boost = boost;
    }
    if let Some(slop) = args.proximity_slop {
        settings.ranking.proximity_slop = slop;
    }
    if let Some(pairs) = args.proximity_pairs {
        use fahras::search::ProximityPairs;
        settings.ranking.proximity_pairs = match pairs {
            ProximityPairsArg::Consecutive => ProximityPairs::Consecutive,
            ProximityPairsArg::All => ProximityPairs::All,
            ProximityPairsArg::AllScaled => ProximityPairs::AllScaled,
        };
    }
    settings.ranking.coordination = args.coordination;
    if args.coordination {
        // The missing-one-word tier is a refinement of the all-words tier.
        settings.ranking.soft_coordination = None;
    }
    settings.ranking.imperfect_prefix &= !args.no_imperfect_prefix;
    if let Some(exponent) = args.soft_coordination {
        settings.ranking.soft_coordination = Some(exponent);
    }
    if args.all_words_first {
        settings.ranking.soft_coordination = None;
    }
    if let Some(weight) = args.title_coverage {
        settings.ranking.title_coverage = weight;
    }
    if let Some(weight) = args.query_coverage {
        settings.ranking.query_coverage = weight;
    }
    if let Some(weight) = args.opening {
        settings.ranking.opening = weight;
    }
    if let Some(weight) = args.definition_opening {
        settings.ranking.definition_opening = weight;
    }
    if args.k1.is_some() || args.b.is_some() {
        let default = fahras::search::bm25::Bm25Params::default();
        settings.ranking.bm25 = Some(fahras::search::bm25::Bm25Params {
            k1: args.k1.unwrap_or(default.k1),
            b: args.b.unwrap_or(default.b),
        });
    }
    settings.fill_partial = !args.no_partial;
    settings.match_any = args.match_any;
    settings.variants = !args.exact;
    if let Some(weight) = args.variant_weight {
        settings.ranking.variant_weight = weight;
        settings.variants &= weight > 0.0;
    }
    if let Some(weight) = args.commoner_variant_weight {
        settings.ranking.commoner_variant_weight = weight;
    }

    let passages: Vec<Passage> = read_jsonl(&args.passages)?;
    let evaluation = Evaluation::new(&passages, settings)?;
    let mut run_file = match &args.run {
        Some(path) => Some(io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        )),
        None => None,
    };
    let mut out = stdout_writer();
    if !args.json {
        writeln!(
            out,
            "{} passages indexed in {:.2} s",
            passages.len(),
            evaluation_index_s(&evaluation)
        )?;
        writeln!(
            out,
            "{:<40} {:>5} {:>7} {:>7} {:>7} {:>7} {:>9}",
            "queries", "n", "MRR@10", "nDCG@10", "R@10", "R@100", "ms/query"
        )?;
    }
    for path in &args.queries {
        let queries: Vec<EvalQuery> = read_jsonl(path)?;
        let report = evaluation.run(
            &path.display().to_string(),
            &queries,
            run_file.as_mut().map(|w| w as &mut dyn Write),
        )?;
        if args.json {
            serde_json::to_writer(&mut out, &report)?;
            writeln!(out)?;
        } else {
            writeln!(
                out,
                "{:<40} {:>5} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>9.2}",
                report.queries,
                report.n,
                report.mrr10,
                report.ndcg10,
                report.recall10,
                report.recall100,
                report.query_ms_mean
            )?;
        }
    }
    if let Some(mut file) = run_file {
        file.flush()?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn evaluation_index_s(evaluation: &fahras::eval::Evaluation) -> f64 {
    evaluation.index_seconds()
}
