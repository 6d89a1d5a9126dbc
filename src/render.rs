//! Rendering results for people: plain text, with ANSI color when writing to a terminal.
//!
//! JSON output needs no code here: [`crate::SearchResults`] and [`crate::index::ArchiveStats`]
//! are serde structs whose serialized form is the documented schema.

use std::io::{self, Write};

use crate::index::ArchiveStats;
use crate::search::SearchResults;

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const HIGHLIGHT: &str = "\x1b[1;33m";
const RESET: &str = "\x1b[0m";

/// Styles applied to output: ANSI codes, or nothing.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    color: bool,
}

impl Style {
    /// Color on or off.
    pub fn new(color: bool) -> Style {
        Style { color }
    }

    fn paint<'a>(&self, code: &'a str) -> &'a str {
        if self.color {
            code
        } else {
            ""
        }
    }
}

/// Writes search results for people.
///
/// ```
/// use fahras::render::{write_results, Style};
/// use fahras::{SearchHit, SearchResults};
///
/// let results = SearchResults {
///     query: "الكتاب".into(), total_hits: 1, partial_hits: 0, took_ms: 0.5,
///     expansions: Default::default(), did_you_mean: None,
///     hits: vec![SearchHit {
///         rank: 1, id: "a1".into(), score: 1.0, title: "معرض الكتاب".into(),
///         date: Some("2024-10-23".into()), source: None, category: None, author: None,
///         url: None, snippet: "افتتح معرض الكتاب".into(), highlights: vec![[20, 32]],
///         partial: false,
///     }],
/// };
/// let mut out = Vec::new();
/// write_results(&mut out, &results, Style::new(false)).unwrap();
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.contains("افتتح معرض [الكتاب]"));
/// ```
pub fn write_results(out: &mut dyn Write, results: &SearchResults, style: Style) -> io::Result<()> {
    let (bold, dim, hl, reset) = (
        style.paint(BOLD),
        style.paint(DIM),
        style.paint(HIGHLIGHT),
        style.paint(RESET),
    );
    let partial = results.hits.iter().filter(|h| h.partial).count();
    let noun = if results.total_hits == 1 {
        "article matches"
    } else {
        "articles match"
    };
    write!(
        out,
        "{dim}{} {noun} all words of «{}» ({:.1} ms)",
        results.total_hits, results.query, results.took_ms
    )?;
    match partial {
        0 => {}
        1 => write!(out, "; 1 hit shown matches only some of them")?,
        n => write!(out, "; {n} hits shown match only some of them")?,
    }
    writeln!(out, "{reset}")?;
    if !results.expansions.is_empty() {
        let listed: Vec<String> = results
            .expansions
            .iter()
            .map(|(word, variants)| format!("{word} → {}", variants.join(", ")))
            .collect();
        writeln!(
            out,
            "{dim}also searched other spellings: {} (--exact to turn off){reset}",
            listed.join("; ")
        )?;
    }
    if let Some(suggestion) = &results.did_you_mean {
        writeln!(out, "did you mean «{suggestion}»?")?;
    }
    for hit in &results.hits {
        writeln!(out)?;
        let marker = if hit.partial {
            format!(" {dim}(partial match: not every word){reset}")
        } else {
            String::new()
        };
        writeln!(out, "{:>3}  {bold}{}{reset}{marker}", hit.rank, hit.title)?;
        let mut meta: Vec<&str> = Vec::new();
        if let Some(date) = &hit.date {
            meta.push(date);
        }
        for value in [&hit.source, &hit.category].into_iter().flatten() {
            meta.push(value);
        }
        meta.push(&hit.id);
        writeln!(out, "     {dim}{}{reset}", meta.join(" · "))?;
        if !hit.snippet.is_empty() {
            let (open, close) = if style.color { (hl, reset) } else { ("[", "]") };
            let mut line = String::with_capacity(hit.snippet.len() + 16);
            let mut at = 0;
            for &[start, end] in &hit.highlights {
                // Ranges come from our own snippets, but a library caller may hand us any.
                let valid = start >= at
                    && start <= end
                    && end <= hit.snippet.len()
                    && hit.snippet.is_char_boundary(start)
                    && hit.snippet.is_char_boundary(end);
                if !valid {
                    continue;
                }
                line.push_str(&hit.snippet[at..start]);
                line.push_str(open);
                line.push_str(&hit.snippet[start..end]);
                line.push_str(close);
                at = end;
            }
            line.push_str(&hit.snippet[at..]);
            writeln!(out, "     {line}")?;
        }
    }
    Ok(())
}

/// Writes archive statistics for people.
pub fn write_stats(out: &mut dyn Write, stats: &ArchiveStats) -> io::Result<()> {
    writeln!(
        out,
        "index:            {}",
        stats.index.as_deref().unwrap_or("(in memory)")
    )?;
    writeln!(out, "articles:         {}", stats.articles)?;
    match (&stats.first_date, &stats.last_date) {
        (Some(first), Some(last)) => writeln!(out, "dates:            {first} … {last}")?,
        _ => writeln!(out, "dates:            none")?,
    }
    if stats.undated > 0 {
        writeln!(out, "undated:          {}", stats.undated)?;
    }
    writeln!(
        out,
        "size on disk:     {:.1} MB",
        stats.size_bytes as f64 / 1e6
    )?;
    writeln!(out, "analyzer version: {}", stats.analyzer_version)?;
    for (title, counts) in [
        ("sources", &stats.sources),
        ("categories", &stats.categories),
    ] {
        writeln!(out, "{title}:")?;
        for (name, n) in counts {
            writeln!(out, "  {n:>8}  {name}")?;
        }
    }
    Ok(())
}
