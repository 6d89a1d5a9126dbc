//! Facets: how the articles a query matches spread over sources, categories, years and months.
//!
//! The counts are over **every** article matching all the words and the filters, not only the
//! page shown. They are tantivy aggregations over the fast fields `source`, `category` (terms)
//! and `date` (a composite aggregation with a calendar-month date histogram: tantivy's plain
//! date histogram has fixed intervals only, and a month is not one), collected in the same pass
//! over the matches as the hit count. Years are the sums of their months. Undated articles are
//! in none of the date buckets.

use serde::{Deserialize, Serialize};
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::{AggregationResult, AggregationResults, BucketResult};
use tantivy::aggregation::{AggContextParams, AggregationCollector, AggregationLimitsGuard, Key};
use tantivy::Searcher;

use crate::error::{Error, Result};

/// At most this many sources and categories are listed (the most frequent). Counts are exact
/// while a segment holds fewer distinct values than ten times this.
pub const MAX_FACET_VALUES: usize = 1000;

/// Months are listed up to this many (some 800 years of a monthly archive).
const MAX_MONTHS: u32 = 10_000;

/// Counts of the matching articles by source, category, year and month.
///
/// Serialized as `{"source": [[value, count], …], "category": […], "year": [["2018", n], …],
/// "month": [["2018-02", n], …]}`: source and category by count (most first, then by name),
/// year and month in date order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub source: Vec<(String, u64)>,
    pub category: Vec<(String, u64)>,
    pub year: Vec<(String, u64)>,
    pub month: Vec<(String, u64)>,
}

/// The collector that counts facets, to run beside the count of the matches.
pub(crate) fn collector(searcher: &Searcher) -> AggregationCollector {
    let request = serde_json::json!({
        "source": {"terms": {"field": "source", "size": MAX_FACET_VALUES}},
        "category": {"terms": {"field": "category", "size": MAX_FACET_VALUES}},
        "month": {"composite": {
            "size": MAX_MONTHS,
            "sources": [{"month": {"date_histogram": {"field": "date", "calendar_interval": "month"}}}],
        }},
    });
    let aggregations: Aggregations =
        serde_json::from_value(request).expect("a valid aggregation request");
    let context = AggContextParams::new(
        AggregationLimitsGuard::default(),
        searcher.index().tokenizers().clone(),
    );
    AggregationCollector::from_aggs(aggregations, context)
}

/// The facets from the aggregation results.
pub(crate) fn from_results(mut results: AggregationResults) -> Result<Facets> {
    let mut take = |name: &str| {
        results
            .0
            .remove(name)
            .ok_or_else(|| Error::Facets(format!("no {name} facet in the aggregation results")))
    };
    let (source, category, month) = (take("source")?, take("category")?, take("month")?);
    let month = months(month)?;
    let mut year: Vec<(String, u64)> = Vec::new();
    for (month, n) in &month {
        let y = &month[..month.len() - 3];
        match year.last_mut() {
            Some((last, count)) if last == y => *count += n,
            _ => year.push((y.to_string(), *n)),
        }
    }
    Ok(Facets {
        source: terms(source)?,
        category: terms(category)?,
        year,
        month,
    })
}

fn terms(result: AggregationResult) -> Result<Vec<(String, u64)>> {
    let AggregationResult::BucketResult(BucketResult::Terms { buckets, .. }) = result else {
        return Err(Error::Facets("a terms facet is not a terms result".into()));
    };
    let mut counts: Vec<(String, u64)> = buckets
        .into_iter()
        .filter_map(|b| match b.key {
            Key::Str(value) => Some((value, b.doc_count)),
            _ => None,
        })
        .collect();
    // tantivy orders by count; ties by name make the order the same on every run.
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(counts)
}

fn months(result: AggregationResult) -> Result<Vec<(String, u64)>> {
    let AggregationResult::BucketResult(BucketResult::Composite { buckets, .. }) = result else {
        return Err(Error::Facets(
            "the month facet is not a composite result".into(),
        ));
    };
    let mut months = Vec::with_capacity(buckets.len());
    for bucket in buckets {
        let Some(key) = bucket.key.get("month") else {
            continue;
        };
        let millis = match key {
            tantivy::aggregation::agg_result::CompositeKey::I64(v) => *v as f64,
            tantivy::aggregation::agg_result::CompositeKey::U64(v) => *v as f64,
            tantivy::aggregation::agg_result::CompositeKey::F64(v) => *v,
            _ => continue, // undated: no bucket
        };
        months.push((month_label(millis)?, bucket.doc_count));
    }
    months.sort();
    Ok(months)
}

/// `YYYY-MM` of a bucket key (milliseconds since the epoch, UTC).
fn month_label(millis: f64) -> Result<String> {
    let seconds = (millis / 1000.0).floor() as i64;
    let date = time::OffsetDateTime::from_unix_timestamp(seconds)
        .map_err(|e| Error::Facets(format!("month bucket {millis}: {e}")))?;
    Ok(format!("{:04}-{:02}", date.year(), u8::from(date.month())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_labels_are_utc_calendar_months() {
        assert_eq!(month_label(0.0).unwrap(), "1970-01");
        // 2024-02-29T00:00:00Z
        assert_eq!(month_label(1_709_164_800_000.0).unwrap(), "2024-02");
        // 1969-12-31T23:59:59Z: before the epoch.
        assert_eq!(month_label(-1000.0).unwrap(), "1969-12");
    }
}
