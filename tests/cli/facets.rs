//! `fahras search --facets`, `--timeline` and several values of `--source` / `--category`,
//! on a generated archive whose counts the test works out from the records it wrote.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::{fahras_env, fahras_in, TestDir};

const SOURCES: [&str; 5] = [
    "وكالة الأفق للأنباء",
    "قناة الساحل",
    "صحيفة النهار الجديد",
    "Reuters",
    "إذاعة صوت المدينة",
];
const CATEGORIES: [&str; 3] = ["سياسة", "اقتصاد", "بيئة"];

/// One generated article, as written to the JSONL file.
#[derive(Debug, Clone)]
struct Record {
    id: String,
    quake: bool,
    source: Option<&'static str>,
    category: Option<&'static str>,
    date: Option<(u32, u32, u32)>,
}

/// 400 articles from a fixed pseudo-random sequence: about a third about an earthquake
/// (زلزال), the others about a flood; sources, categories and dates spread unevenly, some
/// missing.
fn records() -> Vec<Record> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    (0..400)
        .map(|i| {
            let quake = next(3) == 0;
            // Uneven: the first sources are more frequent.
            let source = match next(10) {
                0..=3 => Some(SOURCES[0]),
                4..=5 => Some(SOURCES[1]),
                6 => Some(SOURCES[2]),
                7 => Some(SOURCES[3]),
                8 => Some(SOURCES[4]),
                _ => None,
            };
            let category = match next(7) {
                0 => None,
                n => Some(CATEGORIES[(n % 3) as usize]),
            };
            let date = match next(12) {
                0 => None,
                _ => Some((
                    2014 + next(9) as u32,
                    1 + next(12) as u32,
                    1 + next(28) as u32,
                )),
            };
            Record {
                id: format!("g{i:03}"),
                quake,
                source,
                category,
                date,
            }
        })
        .collect()
}

fn jsonl(records: &[Record]) -> String {
    let mut out = String::new();
    for r in records {
        let (title, body) = if r.quake {
            (
                "زلزال يضرب المنطقة",
                "ضرب زلزال بقوة خمس درجات المنطقة الجبلية فجر اليوم.",
            )
        } else {
            (
                "فيضان في الوادي",
                "غمرت مياه الفيضان الحقول والطرق في الوادي.",
            )
        };
        let mut value = serde_json::json!({"id": r.id, "title": title, "body": body});
        if let Some(source) = r.source {
            value["source"] = source.into();
        }
        if let Some(category) = r.category {
            value["category"] = category.into();
        }
        if let Some((y, m, d)) = r.date {
            value["date"] = format!("{y:04}-{m:02}-{d:02}").into();
        }
        out.push_str(&value.to_string());
        out.push('\n');
    }
    out
}

fn archive(records: &[Record]) -> TestDir {
    let dir = TestDir::new();
    let file = dir.write("generated.jsonl", jsonl(records));
    let out = fahras_in(
        dir.path(),
        &["index", "--index", "idx", file.to_str().unwrap()],
        None,
    );
    assert_eq!(out.code, 0, "{out:?}");
    dir
}

fn search_json(dir: &TestDir, args: &[&str]) -> Value {
    let mut all = vec!["search", "--index", "idx", "--json"];
    all.extend_from_slice(args);
    let out = fahras_in(dir.path(), &all, None);
    assert!(out.code == 0 || out.code == 1, "{out:?}");
    serde_json::from_str(out.stdout.trim()).expect("one JSON object")
}

/// The facets as the test expects them from the records: by count then name, dates in order.
fn expected(records: &[&Record]) -> Value {
    let by_count = |values: Vec<&'static str>| {
        let mut counts: BTreeMap<&'static str, u64> = BTreeMap::new();
        for v in values {
            *counts.entry(v).or_default() += 1;
        }
        let mut list: Vec<(&'static str, u64)> = counts.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        list
    };
    let in_order = |values: Vec<String>| {
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        for v in values {
            *counts.entry(v).or_default() += 1;
        }
        counts.into_iter().collect::<Vec<_>>()
    };
    serde_json::json!({
        "source": by_count(records.iter().filter_map(|r| r.source).collect()),
        "category": by_count(records.iter().filter_map(|r| r.category).collect()),
        "year": in_order(records.iter().filter_map(|r| r.date).map(|(y, _, _)| format!("{y:04}")).collect()),
        "month": in_order(records.iter().filter_map(|r| r.date).map(|(y, m, _)| format!("{y:04}-{m:02}")).collect()),
    })
}

#[test]
fn facets_count_every_matching_article_not_only_the_page() {
    let records = records();
    let dir = archive(&records);
    let quakes: Vec<&Record> = records.iter().filter(|r| r.quake).collect();
    assert!(quakes.len() > 100, "the generator gives enough matches");
    let results = search_json(&dir, &["--facets", "--limit", "3", "زلزال"]);
    assert_eq!(results["total_hits"], quakes.len() as u64);
    assert_eq!(results["hits"].as_array().unwrap().len(), 3);
    assert_eq!(results["facets"], expected(&quakes));
    // Undated articles are in no date bucket.
    let dated: u64 = results["facets"]["year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| pair[1].as_u64().unwrap())
        .sum();
    assert_eq!(
        dated,
        quakes.iter().filter(|r| r.date.is_some()).count() as u64
    );
    assert!(dated < quakes.len() as u64);
    // Without --facets the JSON has no "facets" key.
    let plain = search_json(&dir, &["زلزال"]);
    assert!(plain.get("facets").is_none(), "{plain}");
}

#[test]
fn several_sources_or_categories_mean_any_of_them_and_facets_follow_the_filters() {
    let records = records();
    let dir = archive(&records);
    let (a, b) = (SOURCES[1], SOURCES[3]);
    let chosen: Vec<&Record> = records
        .iter()
        .filter(|r| r.quake && (r.source == Some(a) || r.source == Some(b)))
        .collect();
    let results = search_json(
        &dir,
        &[
            "--facets",
            "--limit",
            "500",
            "--source",
            a,
            "--source",
            b,
            "زلزال",
        ],
    );
    assert_eq!(results["total_hits"], chosen.len() as u64);
    let mut ids: Vec<&str> = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    ids.sort();
    let mut want: Vec<&str> = chosen.iter().map(|r| r.id.as_str()).collect();
    want.sort();
    assert_eq!(ids, want);
    assert_eq!(results["facets"], expected(&chosen));

    // Two categories and a source: any of the categories, and the source.
    let (c1, c2) = (CATEGORIES[0], CATEGORIES[2]);
    let chosen: Vec<&Record> = records
        .iter()
        .filter(|r| {
            r.quake
                && r.source == Some(SOURCES[0])
                && (r.category == Some(c1) || r.category == Some(c2))
        })
        .collect();
    let results = search_json(
        &dir,
        &[
            "--facets",
            "--source",
            SOURCES[0],
            "--category",
            c1,
            "--category",
            c2,
            "زلزال",
        ],
    );
    assert_eq!(results["total_hits"], chosen.len() as u64);
    assert_eq!(results["facets"], expected(&chosen));

    // A date filter narrows the date buckets too.
    let chosen: Vec<&Record> = records
        .iter()
        .filter(|r| r.quake && r.date.is_some_and(|(y, _, _)| (2016..=2017).contains(&y)))
        .collect();
    let results = search_json(
        &dir,
        &[
            "--facets",
            "--since",
            "2016-01-01",
            "--until",
            "2017-12-31",
            "زلزال",
        ],
    );
    assert_eq!(results["facets"], expected(&chosen));
}

#[test]
fn human_facets_list_the_top_values_and_the_years() {
    let records = records();
    let dir = archive(&records);
    let quakes: Vec<&Record> = records.iter().filter(|r| r.quake).collect();
    let out = fahras_in(
        dir.path(),
        &["search", "--index", "idx", "--facets", "-n", "1", "زلزال"],
        None,
    );
    assert_eq!(out.code, 0, "{out:?}");
    let count = |source: &str| quakes.iter().filter(|r| r.source == Some(source)).count();
    let top = SOURCES.iter().max_by_key(|s| count(s)).unwrap();
    let sources = out
        .stdout
        .split("\nsources\n")
        .nth(1)
        .expect("a sources section");
    assert!(
        sources.starts_with(&format!("{:>8}  {top}\n", count(top))),
        "{}",
        out.stdout
    );
    let unsourced = quakes.iter().filter(|r| r.source.is_none()).count();
    assert!(sources.contains(&format!("{unsourced:>8}  (no source)\n")));
    let undated = quakes.iter().filter(|r| r.date.is_none()).count();
    assert!(
        out.stdout.contains(&format!(" · undated: {undated}\n")),
        "{}",
        out.stdout
    );
}

/// The timeline's rows: (label, bar, count).
fn timeline_rows(stdout: &str) -> Vec<(String, String, u64)> {
    let chart = stdout.split("\nmatches per ").nth(1).expect("a timeline");
    chart
        .lines()
        .skip(1)
        .map(|line| {
            let (label, rest) = line.split_once(' ').unwrap();
            let (bar, count) = rest.trim_end().rsplit_once(' ').unwrap();
            (
                label.to_string(),
                bar.trim_end().to_string(),
                count.parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn timeline_has_a_bar_per_month_or_per_year_fitted_to_the_width() {
    let records = records();
    let dir = archive(&records);
    let quakes: Vec<&Record> = records.iter().filter(|r| r.quake).collect();
    let run = |extra: &[&str]| {
        let mut args = vec!["search", "--index", "idx", "--timeline", "-n", "1"];
        args.extend_from_slice(extra);
        args.push("زلزال");
        let out = fahras_env(dir.path(), &args, None, &[("COLUMNS", "50")]);
        assert!(
            out.code == 0 || out.stdout.starts_with("0 articles"),
            "{out:?}"
        );
        out.stdout
    };
    // Nine years of articles: a bar per year, every year from the first to the last.
    let out = run(&[]);
    let rows = timeline_rows(&out);
    let years: Vec<u32> = (2014..=2022).collect();
    assert_eq!(
        rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
        years.iter().map(|y| y.to_string()).collect::<Vec<_>>()
    );
    for (label, _, count) in &rows {
        let want = quakes
            .iter()
            .filter(|r| r.date.is_some_and(|(y, _, _)| y.to_string() == *label))
            .count() as u64;
        assert_eq!(*count, want, "{label}");
    }
    // The longest bar fills the room, the others in proportion (to the eighth of a cell).
    let max = rows.iter().map(|r| r.2).max().unwrap();
    let room = 50 - 4 - max.to_string().len() - 2;
    for (label, bar, count) in &rows {
        let eighths: usize = bar
            .chars()
            .map(|c| match c {
                '█' => 8,
                '▏' => 1,
                '▎' => 2,
                '▍' => 3,
                '▌' => 4,
                '▋' => 5,
                '▊' => 6,
                '▉' => 7,
                other => panic!("{other:?} in a bar"),
            })
            .sum();
        let want = (*count as usize * room * 8).div_ceil(max as usize);
        assert_eq!(eighths, want, "{label}: {bar}");
    }
    for line in out.split("\nmatches per ").nth(1).unwrap().lines().skip(1) {
        assert_eq!(line.chars().count(), 50, "{line:?}");
    }
    // One year: a bar per month, the months without a match included.
    let out = run(&["--since", "2019-01-01", "--until", "2019-12-31"]);
    let rows = timeline_rows(&out);
    let months: Vec<u32> = quakes
        .iter()
        .filter_map(|r| r.date)
        .filter(|&(y, _, _)| y == 2019)
        .map(|(_, m, _)| m)
        .collect();
    let (first, last) = (*months.iter().min().unwrap(), *months.iter().max().unwrap());
    assert_eq!(rows.len() as u32, last - first + 1);
    for (row, month) in rows.iter().zip(first..=last) {
        assert_eq!(row.0, format!("2019-{month:02}"));
        assert_eq!(row.2, months.iter().filter(|&&m| m == month).count() as u64);
    }
    // Nothing dated matches: said so.
    let out = run(&["--since", "2030-01-01"]);
    assert!(
        out.ends_with("\ntimeline: no dated article matches\n"),
        "{out}"
    );
}
