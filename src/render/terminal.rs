//! Results and statistics for people: plain text, with ANSI color when writing to a terminal,
//! each line handed to [`super::bidi`] to be printed in logical or visual order.

use std::io::{self, Write};

use super::bidi::{lay_out, Layout, Line};
use super::timeline;
use crate::index::ArchiveStats;
use crate::search::facets::Facets;
use crate::search::{SearchHit, SearchResults};

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const HIGHLIGHT: &str = "\x1b[1;33m";
const BAR: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";

/// Styles applied to output (ANSI codes, or nothing) and the layout of its lines.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    color: bool,
    layout: Layout,
}

impl Style {
    /// Color on or off, lines in logical order.
    pub fn new(color: bool) -> Style {
        Style {
            color,
            layout: Layout::Logical,
        }
    }

    /// The same style with lines laid out as `layout` says.
    pub fn with_layout(self, layout: Layout) -> Style {
        Style { layout, ..self }
    }

    fn paint(&self, code: &'static str) -> &'static str {
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
///     expansions: Default::default(), did_you_mean: None, facets: None,
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
    let mut printer = Printer::new(out, style);
    let (bold, dim, hl) = (style.paint(BOLD), style.paint(DIM), style.paint(HIGHLIGHT));
    let partial = results.hits.iter().filter(|h| h.partial).count();
    let noun = if results.total_hits == 1 {
        "article matches"
    } else {
        "articles match"
    };
    let mut header = format!(
        "{} {noun} all words of «{}» ({:.1} ms)",
        results.total_hits, results.query, results.took_ms
    );
    match partial {
        0 => {}
        1 => header.push_str("; 1 hit shown matches only some of them"),
        n => header.push_str(&format!("; {n} hits shown match only some of them")),
    }
    printer.line(Line::new(0).push(&header, dim))?;
    if !results.expansions.is_empty() {
        let listed: Vec<String> = results
            .expansions
            .iter()
            .map(|(word, variants)| format!("{word} → {}", variants.join(", ")))
            .collect();
        let text = format!(
            "also searched other spellings: {} (--exact to turn off)",
            listed.join("; ")
        );
        printer.line(Line::new(0).push(&text, dim))?;
    }
    if let Some(suggestion) = &results.did_you_mean {
        printer.line(Line::new(0).push(&format!("did you mean «{suggestion}»?"), ""))?;
    }
    for hit in &results.hits {
        printer.blank()?;
        let mut title = Line::new(5).gutter(hit.rank.to_string());
        title.push(&hit.title, bold);
        if hit.partial {
            title
                .push(" ", "")
                .push("(partial match: not every word)", dim);
        }
        printer.line(&title)?;
        let mut meta: Vec<&str> = Vec::new();
        if let Some(date) = &hit.date {
            meta.push(date);
        }
        for value in [&hit.source, &hit.category].into_iter().flatten() {
            meta.push(value);
        }
        meta.push(&hit.id);
        printer.line(Line::new(5).push(&meta.join(" · "), dim))?;
        if !hit.snippet.is_empty() {
            printer.line(&snippet_line(hit, style, hl))?;
        }
    }
    Ok(())
}

/// Sources and categories listed by [`write_facets`]; `--json` has them all.
pub const FACET_ROWS: usize = 10;

/// Writes the facets after the hits: the top sources and categories with their counts, and
/// the years (`total` is the number of articles matching all the words, for the undated).
///
/// ```
/// use fahras::render::{write_facets, Style};
/// use fahras::search::facets::Facets;
///
/// let facets = Facets {
///     source: vec![("قناة الساحل".into(), 2)],
///     year: vec![("2023".into(), 2)],
///     ..Facets::default()
/// };
/// let mut out = Vec::new();
/// write_facets(&mut out, &facets, 3, Style::new(false)).unwrap();
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.contains("       2  قناة الساحل"));
/// assert!(text.contains("2023: 2 · undated: 1"));
/// ```
pub fn write_facets(
    out: &mut dyn Write,
    facets: &Facets,
    total: u64,
    style: Style,
) -> io::Result<()> {
    let mut printer = Printer::new(out, style);
    let bold = style.paint(BOLD);
    let dim = style.paint(DIM);
    for (title, counts) in [
        ("sources", &facets.source),
        ("categories", &facets.category),
    ] {
        printer.blank()?;
        printer.line(Line::new(0).push(title, bold))?;
        for (value, n) in counts.iter().take(FACET_ROWS) {
            printer.line(Line::new(0).push(&format!("{n:>8}  "), "").push(value, ""))?;
        }
        if counts.len() > FACET_ROWS {
            let more = format!(
                "… {} more (--json lists them all)",
                counts.len() - FACET_ROWS
            );
            printer.line(Line::new(10).push(&more, dim))?;
        }
        let with_value: u64 = counts.iter().map(|(_, n)| n).sum();
        if total > with_value && counts.len() <= FACET_ROWS {
            let none = if title == "sources" {
                "(no source)"
            } else {
                "(no category)"
            };
            let n = total - with_value;
            printer.line(Line::new(0).push(&format!("{n:>8}  "), "").push(none, dim))?;
        }
    }
    printer.blank()?;
    printer.line(Line::new(0).push("years", bold))?;
    let mut years: Vec<String> = facets
        .year
        .iter()
        .map(|(year, n)| format!("{year}: {n}"))
        .collect();
    let dated: u64 = facets.year.iter().map(|(_, n)| n).sum();
    if total > dated {
        years.push(format!("undated: {}", total - dated));
    }
    printer.line(Line::new(2).push(&years.join(" · "), ""))
}

/// Draws the timeline of [`super::timeline`] in `width` columns, its bars in color when the
/// style has color.
pub fn write_timeline(
    out: &mut dyn Write,
    facets: &Facets,
    width: usize,
    style: Style,
) -> io::Result<()> {
    timeline::write_timeline(out, facets, width, style.paint(BAR), style.paint(RESET))
}

/// A hit's snippet with its highlights: in color, or between brackets without. When fahras
/// lays out the line itself a highlight covers whole words: a color change inside a word
/// would break the joining of its letters.
fn snippet_line(hit: &SearchHit, style: Style, hl: &'static str) -> Line {
    let snippet = hit.snippet.as_str();
    let whole_words = style.layout != Layout::Logical;
    let mut line = Line::new(5);
    let mut at = 0;
    for &[start, end] in &hit.highlights {
        // Ranges come from our own snippets, but a library caller may hand us any.
        let valid = start >= at
            && start <= end
            && end <= snippet.len()
            && snippet.is_char_boundary(start)
            && snippet.is_char_boundary(end);
        if !valid {
            continue;
        }
        let (start, end) = if whole_words {
            word_around(snippet, at, start, end)
        } else {
            (start, end)
        };
        line.push(&snippet[at..start], "");
        if style.color {
            line.push(&snippet[start..end], hl);
        } else {
            line.push("[", "")
                .push(&snippet[start..end], "")
                .push("]", "");
        }
        at = end;
    }
    line.push(&snippet[at..], "");
    line
}

/// The range widened to the word (letters, marks and digits) it starts and ends in, not
/// reaching before `floor`.
fn word_around(text: &str, floor: usize, start: usize, end: usize) -> (usize, usize) {
    let in_word = |c: char| c.is_alphanumeric() || is_mark(c);
    let start = text[floor..start]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| in_word(c))
        .last()
        .map_or(start, |(i, _)| floor + i);
    let end = text[end..]
        .char_indices()
        .find(|&(_, c)| !in_word(c))
        .map_or(text.len(), |(i, _)| end + i);
    (start, end)
}

/// Arabic combining marks (harakat, superscript alef) and tatweel belong to their word.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
}

/// Lines to the output in the style's layout.
struct Printer<'a> {
    out: &'a mut dyn Write,
    style: Style,
}

impl<'a> Printer<'a> {
    fn new(out: &'a mut dyn Write, style: Style) -> Printer<'a> {
        Printer { out, style }
    }

    fn line(&mut self, line: &Line) -> io::Result<()> {
        for display in lay_out(line, self.style.layout, self.style.paint(RESET)) {
            writeln!(self.out, "{display}")?;
        }
        Ok(())
    }

    fn blank(&mut self) -> io::Result<()> {
        writeln!(self.out)
    }
}

/// Writes archive statistics for people.
pub fn write_stats(out: &mut dyn Write, stats: &ArchiveStats, style: Style) -> io::Result<()> {
    let mut printer = Printer::new(out, style);
    let mut row = |text: String| printer.line(Line::new(0).push(&text, ""));
    row(format!(
        "index:            {}",
        stats.index.as_deref().unwrap_or("(in memory)")
    ))?;
    row(format!("articles:         {}", stats.articles))?;
    match (&stats.first_date, &stats.last_date) {
        (Some(first), Some(last)) => row(format!("dates:            {first} … {last}"))?,
        _ => row("dates:            none".to_string())?,
    }
    if stats.undated > 0 {
        row(format!("undated:          {}", stats.undated))?;
    }
    row(format!(
        "size on disk:     {:.1} MB",
        stats.size_bytes as f64 / 1e6
    ))?;
    row(format!("analyzer version: {}", stats.analyzer_version))?;
    for (title, counts) in [
        ("sources", &stats.sources),
        ("categories", &stats.categories),
    ] {
        row(format!("{title}:"))?;
        for (name, n) in counts {
            row(format!("  {n:>8}  {name}"))?;
        }
    }
    Ok(())
}
