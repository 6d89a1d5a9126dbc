//! The timeline of a query's matches: one bar per month, or per year when the months would not
//! be taken in at a glance, drawn with Unicode block characters and fitted to the width.
//!
//! Input is the month facet of [`Facets`] (counts over every matching article, not the page).
//! Months or years without matches inside the span get an empty bar: a gap is part of the
//! shape. Undated articles are in no bar; the heading says how many articles are dated.

use std::io::{self, Write};

use crate::search::facets::Facets;

/// Up to this many months the timeline has a bar per month; a longer span has a bar per year.
pub const MAX_MONTH_BARS: usize = 36;

/// Eighths of a cell: U+258F LEFT ONE EIGHTH BLOCK … U+2589 LEFT SEVEN EIGHTHS BLOCK.
const EIGHTHS: [char; 8] = [
    ' ', '\u{258F}', '\u{258E}', '\u{258D}', '\u{258C}', '\u{258B}', '\u{258A}', '\u{2589}',
];
/// U+2588 FULL BLOCK.
const FULL: char = '\u{2588}';

/// One bar: its label (`2018-02` or `2018`) and count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub count: u64,
}

/// The bars of the timeline: every month from the first to the last with a match, or every
/// year when that is more than [`MAX_MONTH_BARS`] months.
///
/// ```
/// use fahras::render::timeline::bars;
/// use fahras::search::facets::Facets;
///
/// let facets = Facets {
///     month: vec![("2023-11".into(), 2), ("2024-01".into(), 5)],
///     year: vec![("2023".into(), 2), ("2024".into(), 5)],
///     ..Facets::default()
/// };
/// let labels: Vec<String> = bars(&facets).into_iter().map(|b| b.label).collect();
/// assert_eq!(labels, ["2023-11", "2023-12", "2024-01"]);
/// ```
pub fn bars(facets: &Facets) -> Vec<Bar> {
    let (Some(first), Some(last)) = (facets.month.first(), facets.month.last()) else {
        return Vec::new();
    };
    let (Some(start), Some(end)) = (month_number(&first.0), month_number(&last.0)) else {
        return Vec::new();
    };
    let span = (end - start + 1) as usize;
    // A bar per month, or per year: its counts, its numbers (months or years since year 0)
    // and how a number is labelled.
    let per_month = span <= MAX_MONTH_BARS;
    let counts = if per_month {
        &facets.month
    } else {
        &facets.year
    };
    let (start, end) = if per_month {
        (start, end)
    } else {
        (start.div_euclid(12), end.div_euclid(12))
    };
    let label = |n: i64| {
        if per_month {
            format!("{:04}-{:02}", n.div_euclid(12), n.rem_euclid(12) + 1)
        } else {
            format!("{n:04}")
        }
    };
    (start..=end)
        .map(|n| {
            let label = label(n);
            let count = counts
                .iter()
                .find(|(l, _)| *l == label)
                .map_or(0, |(_, c)| *c);
            Bar { label, count }
        })
        .collect()
}

/// Months since year 0 of `YYYY-MM`.
fn month_number(label: &str) -> Option<i64> {
    let (year, month) = label.split_once('-')?;
    let (year, month): (i64, i64) = (year.parse().ok()?, month.parse().ok()?);
    (1..=12).contains(&month).then_some(year * 12 + month - 1)
}

/// Draws the timeline in `width` columns; `bar_style` (an ANSI sequence, or "") colors the bars.
pub fn write_timeline(
    out: &mut dyn Write,
    facets: &Facets,
    width: usize,
    bar_style: &str,
    reset: &str,
) -> io::Result<()> {
    let bars = bars(facets);
    let dated: u64 = facets.month.iter().map(|(_, n)| n).sum();
    let (Some(first), Some(last)) = (bars.first(), bars.last()) else {
        return writeln!(out, "timeline: no dated article matches");
    };
    let unit = if first.label.len() == 4 {
        "year"
    } else {
        "month"
    };
    writeln!(
        out,
        "matches per {unit}, {} … {} ({dated} dated {})",
        first.label,
        last.label,
        if dated == 1 { "article" } else { "articles" }
    )?;
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let label_width = first.label.len();
    let count_width = max.to_string().len();
    // label, space, bar, space, count
    let room = width.saturating_sub(label_width + count_width + 2).max(10);
    for bar in &bars {
        let drawn = draw(bar.count, max, room);
        let painted = if drawn.is_empty() || bar_style.is_empty() {
            drawn.clone()
        } else {
            format!("{bar_style}{drawn}{reset}")
        };
        let pad = room - drawn.chars().count();
        writeln!(
            out,
            "{} {painted}{} {:>count_width$}",
            bar.label,
            " ".repeat(pad),
            bar.count
        )?;
    }
    Ok(())
}

/// A bar of `count / max` of `room` cells, in eighths of a cell; a nonzero count is never
/// drawn empty.
fn draw(count: u64, max: u64, room: usize) -> String {
    let eighths = (count as u128 * room as u128 * 8).div_ceil(max as u128) as usize;
    let eighths = if count > 0 { eighths.max(1) } else { 0 };
    let mut bar: String = std::iter::repeat_n(FULL, eighths / 8).collect();
    if eighths % 8 > 0 {
        bar.push(EIGHTHS[eighths % 8]);
    }
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months(counts: &[(&str, u64)]) -> Facets {
        let month: Vec<(String, u64)> = counts.iter().map(|(m, n)| (m.to_string(), *n)).collect();
        let mut year: Vec<(String, u64)> = Vec::new();
        for (m, n) in &month {
            match year.last_mut() {
                Some((y, c)) if *y == m[..4] => *c += n,
                _ => year.push((m[..4].to_string(), *n)),
            }
        }
        Facets {
            month,
            year,
            ..Facets::default()
        }
    }

    #[test]
    fn bars_are_proportional_in_eighths() {
        assert_eq!(draw(10, 10, 4), "████");
        assert_eq!(draw(5, 10, 4), "██");
        assert_eq!(draw(1, 16, 4), "▎"); // 4 cells × 8 / 16 = 2 eighths
        assert_eq!(draw(1, 3, 4), "█▍"); // 32 / 3 = 10.7 eighths, rounded up
        assert_eq!(draw(0, 10, 4), "");
        assert_eq!(draw(1, 1_000_000, 4), "▏");
    }

    #[test]
    fn a_long_span_has_a_bar_per_year_with_the_gaps() {
        // 39 months: more than MAX_MONTH_BARS.
        let facets = months(&[("2010-05", 1), ("2013-07", 4)]);
        let bars = bars(&facets);
        let labels: Vec<&str> = bars.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(labels, ["2010", "2011", "2012", "2013"]);
        assert_eq!(
            bars.iter().map(|b| b.count).collect::<Vec<_>>(),
            [1, 0, 0, 4]
        );
    }

    #[test]
    fn the_chart_fits_the_width() {
        let facets = months(&[("2024-01", 3), ("2024-03", 12)]);
        let mut out = Vec::new();
        write_timeline(&mut out, &facets, 40, "", "").unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "matches per month, 2024-01 … 2024-03 (15 dated articles)"
        );
        // 29 cells of bar: 40 less the label, the count and two spaces.
        let full = |n: usize| "█".repeat(n);
        assert_eq!(
            lines[1],
            format!("2024-01 {}▎{}  3", full(7), " ".repeat(21))
        );
        assert_eq!(lines[2], format!("2024-02 {}  0", " ".repeat(29)));
        assert_eq!(lines[3], format!("2024-03 {} 12", full(29)));
        assert!(lines.iter().skip(1).all(|l| l.chars().count() == 40));
    }
}
