//! The page's timeline: the matches per month (per year past three years) as an inline SVG
//! bar chart, each bar a link that narrows the search to its month or year.
//!
//! Time runs right to left, as the page reads: the oldest bar at the right edge. Months
//! without matches between the first and the last are drawn as gaps, so the chart's width is
//! time. Every label is escaped; the chart uses classes from the style sheet, no inline style
//! (the Content-Security-Policy allows none).

use std::fmt::Write as _;

use super::page::escape;

/// Past this many months from first to last, the bars are years.
pub const MAX_MONTH_BARS: usize = 36;

/// One bar: its label (`2018-02` or `2018`), its first and last day, and its count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub since: String,
    pub until: String,
    pub count: u64,
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

fn parse_month(label: &str) -> Option<(i32, u32)> {
    let (year, month) = label.split_once('-')?;
    let (year, month) = (year.parse().ok()?, month.parse().ok()?);
    (1..=12).contains(&month).then_some((year, month))
}

/// The bars for counts per month (`YYYY-MM`, in date order): every month from the first to
/// the last, or every year when that is more than [`MAX_MONTH_BARS`] months.
pub fn bars(months: &[(String, u64)]) -> Vec<Bar> {
    let parsed: Vec<((i32, u32), u64)> = months
        .iter()
        .filter_map(|(label, n)| Some((parse_month(label)?, *n)))
        .collect();
    let (Some(&(first, _)), Some(&(last, _))) = (parsed.first(), parsed.last()) else {
        return Vec::new();
    };
    let index = |(y, m): (i32, u32)| y as i64 * 12 + m as i64 - 1;
    let span = (index(last) - index(first) + 1).max(1) as usize;
    let count_of = |at: (i32, u32)| {
        parsed
            .iter()
            .filter(|(ym, _)| *ym == at)
            .map(|(_, n)| n)
            .sum::<u64>()
    };
    if span <= MAX_MONTH_BARS {
        (0..span as i64)
            .map(|k| {
                let i = index(first) + k;
                let (y, m) = (i.div_euclid(12) as i32, i.rem_euclid(12) as u32 + 1);
                Bar {
                    label: format!("{y:04}-{m:02}"),
                    since: format!("{y:04}-{m:02}-01"),
                    until: format!("{y:04}-{m:02}-{:02}", days_in_month(y, m)),
                    count: count_of((y, m)),
                }
            })
            .collect()
    } else {
        (first.0..=last.0)
            .map(|y| Bar {
                label: format!("{y:04}"),
                since: format!("{y:04}-01-01"),
                until: format!("{y:04}-12-31"),
                count: parsed
                    .iter()
                    .filter(|((year, _), _)| *year == y)
                    .map(|(_, n)| n)
                    .sum(),
            })
            .collect()
    }
}

/// The chart. `href(bar)` is the (escaped) link of a bar.
pub fn svg(bars: &[Bar], href: impl Fn(&Bar) -> String) -> String {
    if bars.is_empty() {
        return String::new();
    }
    const WIDTH: usize = 600;
    const HEIGHT: u64 = 80;
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let slot = WIDTH as f64 / bars.len() as f64;
    let gap = (slot * 0.15).min(2.0);
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"timeline\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"المقالات المطابقة عبر الزمن\">"
    );
    for (i, bar) in bars.iter().enumerate() {
        // Right to left: the first (oldest) bar at the right edge.
        let x = WIDTH as f64 - (i + 1) as f64 * slot + gap / 2.0;
        // A bar with matches is at least 2 units tall, so that one article shows.
        let h = if bar.count == 0 {
            0.0
        } else {
            (bar.count as f64 / max as f64 * (HEIGHT - 2) as f64).max(2.0)
        };
        let _ = write!(
            out,
            "<a href=\"{href}\" class=\"bar\"><title>{label}: {count}</title>\
             <rect x=\"{x:.2}\" y=\"{y:.2}\" width=\"{w:.2}\" height=\"{h:.2}\"/>\
             <rect class=\"hit-area\" x=\"{x:.2}\" y=\"0\" width=\"{w:.2}\" height=\"{HEIGHT}\"/></a>",
            href = href(bar),
            label = escape(&bar.label),
            count = bar.count,
            y = HEIGHT as f64 - h,
            w = (slot - gap).max(0.5),
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months(list: &[(&str, u64)]) -> Vec<(String, u64)> {
        list.iter().map(|(m, n)| (m.to_string(), *n)).collect()
    }

    #[test]
    fn months_with_gaps_and_days_per_month() {
        let bars = bars(&months(&[("2023-11", 2), ("2024-02", 5)]));
        let labels: Vec<(&str, u64)> = bars.iter().map(|b| (b.label.as_str(), b.count)).collect();
        assert_eq!(
            labels,
            [
                ("2023-11", 2),
                ("2023-12", 0),
                ("2024-01", 0),
                ("2024-02", 5)
            ]
        );
        assert_eq!(
            (bars[3].since.as_str(), bars[3].until.as_str()),
            ("2024-02-01", "2024-02-29")
        );
        assert_eq!(bars[0].until, "2023-11-30");
    }

    #[test]
    fn years_past_three_years() {
        let bars = bars(&months(&[("2010-05", 1), ("2010-07", 2), ("2014-01", 4)]));
        let labels: Vec<(&str, u64)> = bars.iter().map(|b| (b.label.as_str(), b.count)).collect();
        assert_eq!(
            labels,
            [
                ("2010", 3),
                ("2011", 0),
                ("2012", 0),
                ("2013", 0),
                ("2014", 4)
            ]
        );
        assert_eq!(
            (bars[0].since.as_str(), bars[0].until.as_str()),
            ("2010-01-01", "2010-12-31")
        );
    }

    #[test]
    fn the_chart_has_a_linked_bar_per_slot_oldest_at_the_right() {
        let bars = bars(&months(&[("2024-01", 1), ("2024-02", 4)]));
        let chart = svg(&bars, |b| format!("/?since={}", b.since));
        assert_eq!(chart.matches("<a href=").count(), 2);
        assert!(chart.contains("<title>2024-02: 4</title>"));
        let first = chart.find("2024-01-01").unwrap();
        let x_of = |at: usize| -> f64 {
            let rest = &chart[at..];
            let x = rest.find("x=\"").unwrap() + 3;
            rest[x..x + rest[x..].find('"').unwrap()].parse().unwrap()
        };
        assert!(x_of(first) > x_of(chart.find("2024-02-01").unwrap()));
        assert!(bars.is_empty() || !svg(&[], |_| String::new()).contains("svg"));
    }
}
