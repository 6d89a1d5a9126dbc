//! Command-line interface: the commands and flags of the `fahras` binary (clap derive).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// fahras (فهرس): Arabic full-text search for news archives.
///
/// Without an index, `fahras search` searches the built-in sample archive:
///   fahras search "دير الزور"
#[derive(Debug, Parser)]
#[command(name = "fahras", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Search an archive.
    ///
    /// Query language: plain words (all must match, in any spelling of hamza, ة/ه, ى/ي,
    /// diacritics and digits), "quoted phrases", -word to exclude, OR between alternatives,
    /// title:word to search titles only.
    ///
    /// Example: fahras search "سد وادي العقيق" --since 2020-01-01 --sort newest
    Search(SearchArgs),
    /// Index articles: JSONL (.jsonl, .ndjson, .jsonl.gz), scraped article text (.txt), or
    /// directories of them. Articles are upserted by id.
    ///
    /// Example: fahras index --index ./archive news/2024.jsonl.gz scraped/
    Index(IndexArgs),
    /// Remove articles by id.
    Delete(DeleteArgs),
    /// Show what an archive holds: article count, dates, sources, categories, size.
    Stats(StatsArgs),
    /// Show how a text is analyzed: each token's original slice, byte offsets, position,
    /// normalized term and light stem.
    ///
    /// Example: fahras analyze "وقالَ المسؤولون في المدينة"
    Analyze(AnalyzeArgs),
    /// Export an archive's spelling variants (the other spellings its articles use for a word)
    /// as a Solr-format synonyms file for OpenSearch's synonym_graph filter.
    ///
    /// Example: fahras variants --index ./archive --export fahras-synonyms.txt
    Variants(VariantsArgs),
    /// Measure retrieval quality on a collection: MRR@10, nDCG@10, Recall@10, Recall@100.
    ///
    /// Indexes the passages in memory and runs every query through the same search path and
    /// defaults as `fahras search` (depth 100).
    Eval(EvalArgs),
    /// Serve a search page and a JSON API over HTTP.
    ///
    /// The page is at http://ADDR:PORT/; the API at /api/search?q=…, /api/articles/ID,
    /// /api/stats, /api/analyze?text=… and /health. The server follows the index: it serves
    /// what `fahras index` commits and what `fahras index --rebuild` switches to, without a
    /// restart. Ctrl-C or SIGTERM stops it.
    ///
    /// Example: fahras serve --index ./archive --listen 127.0.0.1:8420
    Serve(ServeArgs),
    /// Print a shell completion script.
    ///
    /// bash: fahras completions bash > ~/.local/share/bash-completion/completions/fahras
    /// zsh:  fahras completions zsh > ~/.zfunc/_fahras   (with fpath+=~/.zfunc before compinit)
    /// fish: fahras completions fish > ~/.config/fish/completions/fahras.fish
    Completions(CompletionsArgs),
    /// Print the manual page (roff), or write one page per command into a directory.
    ///
    /// Example: fahras man > ~/.local/share/man/man1/fahras.1 && man fahras
    Man(ManArgs),
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// The address and port to listen on; port 0 takes a free one. Other machines can reach
    /// the server only if you give an address of theirs' network (e.g. 0.0.0.0:8420).
    #[arg(long, value_name = "ADDR:PORT", default_value = fahras::serve::DEFAULT_LISTEN)]
    pub listen: std::net::SocketAddr,
    /// Let pages of this origin read the JSON API from a browser (Access-Control-Allow-Origin),
    /// e.g. https://newsroom.example; repeatable; * for any site. Off by default.
    #[arg(long, value_name = "ORIGIN", value_parser = fahras::serve::cors::parse_origin)]
    pub cors: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// The page of one command (fahras-search(1) …) instead of fahras(1).
    #[arg(value_name = "COMMAND", conflicts_with = "dir")]
    pub command: Option<String>,
    /// Write fahras.1 and a fahras-COMMAND.1 for every command into DIR.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StemmerArg {
    Light,
    Snowball,
    None,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum QueryStopwordsArg {
    Optional,
    Drop,
    Require,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ProximityPairsArg {
    Consecutive,
    All,
    AllScaled,
}

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Passages: JSONL of {"id","title","text"}.
    #[arg(long, value_name = "FILE")]
    pub passages: PathBuf,
    /// Queries: JSONL of {"qid","query","relevant":[ids]}; repeat for several files.
    #[arg(long, value_name = "FILE", required = true)]
    pub queries: Vec<PathBuf>,
    /// Print one JSON object per queries file.
    #[arg(long)]
    pub json: bool,
    /// Write a TREC run file (qid Q0 docid rank score fahras) of all queries.
    #[arg(long, value_name = "FILE")]
    pub run: Option<PathBuf>,
    /// Ablation: the stemmer of the stemmed fields.
    #[arg(long, value_enum, default_value = "light", help_heading = "Ablation")]
    pub stemmer: StemmerArg,
    /// Ablation: fold hamza on carriers (ؤ → و, ئ → ي, drop ء) in every field.
    #[arg(long, help_heading = "Ablation")]
    pub fold_hamza: bool,
    /// Ablation: drop stopwords when indexing the stemmed fields.
    #[arg(long, help_heading = "Ablation")]
    pub index_stopwords: bool,
    /// Ablation: what queries do with stopwords.
    #[arg(
        long,
        value_enum,
        default_value = "optional",
        help_heading = "Ablation"
    )]
    pub query_stopwords: QueryStopwordsArg,
    /// Ablation: title boost.
    #[arg(long, help_heading = "Ablation")]
    pub title_boost: Option<f32>,
    /// Ablation: exact-form boost (0 turns exact-form matching off).
    #[arg(long, help_heading = "Ablation")]
    pub exact_boost: Option<f32>,
    /// Ablation: lead boost (0 turns it off).
    #[arg(long, help_heading = "Ablation")]
    pub lead_boost: Option<f32>,
    /// Ablation: proximity bonus weight (0 turns it off).
    #[arg(long, help_heading = "Ablation")]
    pub proximity_boost: Option<f32>,
    /// Ablation: proximity window (words allowed between consecutive query words).
    #[arg(long, help_heading = "Ablation")]
    pub proximity_slop: Option<u32>,
    /// Ablation: which pairs of query words earn the proximity bonus.
    #[arg(long, value_enum, help_heading = "Ablation")]
    pub proximity_pairs: Option<ProximityPairsArg>,
    /// Ablation: rank partial matches missing one word above those missing more.
    #[arg(long, help_heading = "Ablation")]
    pub coordination: bool,
    /// Ablation: BM25 k1 (word matches scored by fahras's BM25 instead of tantivy's).
    #[arg(long, help_heading = "Ablation")]
    pub k1: Option<f32>,
    /// Ablation: BM25 b.
    #[arg(long, help_heading = "Ablation")]
    pub b: Option<f32>,
    /// Ablation: no partial-match fill.
    #[arg(long, help_heading = "Ablation")]
    pub no_partial: bool,
    /// Ablation: rank all articles matching any word by score alone.
    #[arg(long, help_heading = "Ablation")]
    pub match_any: bool,
    /// Search each word as spelled only, without its spelling variants (as `search --exact`).
    #[arg(long)]
    pub exact: bool,
    /// Ablation: weight of a spelling variant relative to the word (0 turns variants off).
    #[arg(long, help_heading = "Ablation")]
    pub variant_weight: Option<f32>,
    /// Ablation: weight of a spelling variant that more articles use than the word typed.
    #[arg(long, help_heading = "Ablation")]
    pub commoner_variant_weight: Option<f32>,
    /// Ablation: do not search an imperfect verb (يكشف) as its perfect stem (كشف) too.
    #[arg(long, help_heading = "Ablation")]
    pub no_imperfect_prefix: bool,
    /// Ablation: rank partial matches among full ones by score × (words matched / words)^E
    /// (default 0: by score alone).
    #[arg(long, value_name = "E", help_heading = "Ablation")]
    pub soft_coordination: Option<f32>,
    /// Ablation: articles with all the words first, then partial matches (two tiers).
    #[arg(long, help_heading = "Ablation", conflicts_with = "soft_coordination")]
    pub all_words_first: bool,
    /// Ablation: weight of the title-coverage bonus (the share of an article's title the query
    /// names, times the best score; 0 turns it off)
    #[arg(long, value_name = "W", help_heading = "Ablation")]
    pub title_coverage: Option<f32>,
    /// Ablation: weight of the query-coverage bonus (the IDF-weighted share of the query's
    /// content words an article holds, times the best score; 0 turns it off)
    #[arg(long, value_name = "W", help_heading = "Ablation")]
    pub query_coverage: Option<f32>,
    /// Ablation: weight of the opening bonus (the IDF-weighted share of the query's content
    /// words an article's text opens with, its first three words, times the best score; 0 turns
    /// it off)
    #[arg(long, value_name = "W", help_heading = "Ablation")]
    pub opening: Option<f32>,
    /// Ablation: weight of the opening bonus for a definition question (ما هو …, من هي …: the
    /// text's first word only; 0 turns it off)
    #[arg(long, value_name = "W", help_heading = "Ablation")]
    pub definition_opening: Option<f32>,
}

#[derive(Debug, clap::Args)]
pub struct IndexLocation {
    /// The index directory [default: $FAHRAS_INDEX, else ./fahras-index]
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortArg {
    Relevance,
    Newest,
    Oldest,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BidiArg {
    /// visual on a terminal not known to do bidi; terminal when piped or in a known one.
    Auto,
    /// fahras wraps and reorders each line itself (right-to-left lines right-aligned).
    Visual,
    /// Logical order: the terminal (VTE, Konsole, mlterm) or the reader reorders.
    Terminal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShapeArg {
    /// Shape whenever fahras reorders (--bidi visual).
    Auto,
    Always,
    Never,
}

/// How human output is shown: color, and the order of right-to-left text.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct DisplayArgs {
    /// Color output (auto: on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value = "auto", help_heading = "Display")]
    pub color: ColorArg,
    /// Who puts right-to-left text in display order [env: FAHRAS_BIDI] [default: auto].
    ///
    /// Most terminals (xterm, tmux, screen, Windows Terminal, iTerm2, Alacritty, kitty,
    /// WezTerm) print Arabic backwards: choose visual. GNOME Terminal and other VTE terminals,
    /// Konsole and mlterm reorder themselves: choose terminal. auto picks visual on a terminal
    /// unless it is one of those (seen from VTE_VERSION, KONSOLE_VERSION, MLTERM), and never
    /// reorders piped output; an explicit visual applies to piped output too (less -R).
    /// JSON is never reordered.
    #[arg(long, value_enum, value_name = "WHO", help_heading = "Display")]
    pub bidi: Option<BidiArg>,
    /// Arabic letters as joined presentation forms, for terminals that shape nothing (xterm)
    /// [env: FAHRAS_SHAPE] [default: auto].
    ///
    /// auto shapes whenever fahras reorders; never leaves shaping to a terminal that shapes
    /// (the terminal working group's bidi draft discourages presentation forms there).
    #[arg(long, value_enum, value_name = "WHEN", help_heading = "Display")]
    pub shape: Option<ShapeArg>,
}

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Number of hits to show.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Number of hits to skip (paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Print exactly one JSON object (schema in the README).
    #[arg(long)]
    pub json: bool,
    /// Only articles dated on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only articles dated on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only articles from this source (exact name); repeat for any of several.
    #[arg(long, value_name = "SOURCE")]
    pub source: Vec<String>,
    /// Only articles in this category (exact name); repeat for any of several.
    #[arg(long, value_name = "CATEGORY")]
    pub category: Vec<String>,
    /// After the hits, count every matching article (not only the page) by source, category
    /// and year; with --json, add "facets" (schema in the README).
    #[arg(long)]
    pub facets: bool,
    /// After the hits, draw the matches over time: a bar per month, or per year over a long
    /// span, fitted to the terminal's width.
    #[arg(long)]
    pub timeline: bool,
    /// Order of hits.
    #[arg(long, value_enum, default_value = "relevance")]
    pub sort: SortArg,
    /// Leave out the articles matching only some of the words.
    #[arg(long)]
    pub no_partial: bool,
    /// Search each word only as spelled (normalized and light-stemmed), not the other
    /// spellings the archive uses for it (ميليشيات / مليشيات, صقر / صكر, مسؤول / مسئول).
    #[arg(long)]
    pub exact: bool,
    #[command(flatten)]
    pub display: DisplayArgs,
    /// The query; several arguments are joined with spaces. Quote it as one argument when it
    /// holds an exclusion (`"قصف -غارة"`), or put `--` before it.
    #[arg(required = true, num_args = 1.., value_name = "QUERY")]
    pub query: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Indexing memory budget in MB.
    #[arg(long, value_name = "MB", default_value_t = 256)]
    pub memory: usize,
    /// Indexing threads [default: number of cores, at most 4].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Commit every N articles, so that a crash loses at most that much work.
    #[arg(long, value_name = "N", conflicts_with = "strict")]
    pub commit_every: Option<u64>,
    /// Build a complete new index beside the live one from PATH… and switch to it atomically
    /// when done; searches keep using the old index meanwhile. Also the way to move an index
    /// to a new analyzer version.
    #[arg(long)]
    pub rebuild: bool,
    /// Abort on the first bad record or unreadable path, committing nothing.
    #[arg(long)]
    pub strict: bool,
    /// Write every rejected record to FILE as JSONL: {"location","reason","raw"}.
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,
    /// Print the summary as one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
    /// Files or directories to index; `-` reads JSONL from standard input.
    #[arg(required = true, num_args = 1.., value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct DeleteArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Print the summary as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Ids of the articles to remove.
    #[arg(required = true, num_args = 1.., value_name = "ID")]
    pub ids: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Print exactly one JSON object.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub display: DisplayArgs,
}

#[derive(Debug, clap::Args)]
pub struct VariantsArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Where to write the synonyms file (`-` for standard output); one rule a line,
    /// `stem => stem, variant, …`, in light-stem form (docs/opensearch.md).
    #[arg(long, value_name = "FILE", required = true)]
    pub export: PathBuf,
    /// Write the rules in the stems of a stemmer that leaves at least N letters after a suffix
    /// (a further suffix one more) instead of the archive's 3: 4 for the OpenSearch plugin's
    /// fahras_lean, whose search analyzer then stems with min_stem_chars 4 (docs/opensearch.md).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub min_stem_chars: Option<u16>,
    /// Print exactly one JSON object: {"file","rules","analyzer_version","min_stem_chars"}.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct AnalyzeArgs {
    /// Print exactly one JSON object: {"tokens":[{"text","start","end","position","term","stem"}]}
    /// (with --min-stem-chars also "stem_start", the stem's byte offset within the term)
    #[arg(long)]
    pub json: bool,
    /// Stem with a stemmer that leaves at least N letters after a suffix (a further suffix one
    /// more) instead of the archive's 3: the stems of the OpenSearch plugin's fahras_lean (4),
    /// for its conformance vectors. An archive always indexes the default.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub min_stem_chars: Option<u16>,
    /// The text to analyze; `-` reads standard input. Several words are joined with spaces.
    #[arg(required = true, num_args = 1.., value_name = "TEXT")]
    pub text: Vec<String>,
}
