//! The article: the one record type that flows from ingest to the index.
//!
//! Every input format (JSONL exports, scraped pages) is turned into an
//! [`Article`] by `ingest`; the indexer stores its fields and search returns
//! them. Its serde form is the JSON shape used on output: the date is written
//! as `"YYYY-MM-DD"` and absent optional fields as `null`.

use serde::{Deserialize, Serialize};
use time::Date;

/// One news article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Unique key in the archive. Taken from the input when it has one,
    /// otherwise derived with [`Article::content_id`] or from the file path.
    pub id: String,
    /// Headline, trimmed. May be empty when `body` is not.
    pub title: String,
    /// Article text, paragraphs separated by `\n`. May be empty when `title` is not.
    pub body: String,
    /// Publication date (serialized "YYYY-MM-DD").
    #[serde(default, with = "ymd")]
    pub date: Option<Date>,
    /// Publisher or site name.
    #[serde(default)]
    pub source: Option<String>,
    /// Section or category as the source labels it.
    #[serde(default)]
    pub category: Option<String>,
    /// Byline.
    #[serde(default)]
    pub author: Option<String>,
    /// Address of the original page.
    #[serde(default)]
    pub url: Option<String>,
}

impl Article {
    /// A stable id derived from an article's content, for inputs that carry
    /// no id: `h-` followed by 16 lowercase hex digits of the 64-bit FNV-1a
    /// hash of the title, body, date (`YYYY-MM-DD`) and source.
    ///
    /// The hash is written out here rather than taken from std because std's
    /// hashers may change between Rust releases, and the id must not: indexing
    /// the same file twice has to give the same ids so re-indexing replaces
    /// articles instead of duplicating them.
    pub fn content_id(title: &str, body: &str, date: Option<Date>, source: Option<&str>) -> String {
        // 0xFF never occurs in UTF-8, so it separates fields unambiguously:
        // ("ab", "c") and ("a", "bc") hash differently.
        const SEP: &[u8] = &[0xFF];
        let mut hash = Fnv1a64::new();
        hash.write(title.as_bytes());
        hash.write(SEP);
        hash.write(body.as_bytes());
        hash.write(SEP);
        if let Some(date) = date {
            hash.write(format_date(date).as_bytes());
        }
        hash.write(SEP);
        hash.write(source.unwrap_or("").as_bytes());
        format!("h-{:016x}", hash.finish())
    }
}

/// 64-bit FNV-1a: tiny, fast on short inputs, and fully specified, so its
/// output never changes.
struct Fnv1a64(u64);

impl Fnv1a64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    fn new() -> Self {
        Self(Self::OFFSET_BASIS)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Formats a date as `YYYY-MM-DD`, as every output of fahras writes dates.
pub fn format_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Serde for `Option<Date>` as `"YYYY-MM-DD"` or `null`. Written by hand so the
/// format does not depend on `time`'s optional serde feature or its defaults.
mod ymd {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => s.serialize_str(&super::format_date(*date)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        let Some(text) = Option::<String>::deserialize(d)? else {
            return Ok(None);
        };
        let format = time::macros::format_description!("[year]-[month]-[day]");
        Date::parse(&text, &format)
            .map(Some)
            .map_err(|e| D::Error::custom(format!("invalid date {text:?}: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn fnv(bytes: &[u8]) -> u64 {
        let mut h = Fnv1a64::new();
        h.write(bytes);
        h.finish()
    }

    fn sample() -> Article {
        Article {
            id: "a1".into(),
            title: "عنوان".into(),
            body: "نص".into(),
            date: Some(date!(2024 - 10 - 23)),
            source: Some("الوطن".into()),
            category: None,
            author: None,
            url: None,
        }
    }

    #[test]
    fn fnv1a_matches_published_test_vectors() {
        assert_eq!(fnv(b""), 0xcbf29ce484222325);
        assert_eq!(fnv(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv(b"foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn content_id_is_pinned() {
        // Pinned so that a change to the hashing (which would re-key every
        // archive built without ids) fails loudly.
        let id = Article::content_id("عنوان", "نص", Some(date!(2024 - 10 - 23)), Some("الوطن"));
        assert_eq!(id, "h-f5531b1a693f00bc");
        assert_eq!(id.len(), 18);
    }

    #[test]
    fn content_id_depends_on_every_field() {
        let base = Article::content_id("a", "b", Some(date!(2020 - 01 - 01)), Some("s"));
        assert_eq!(
            base,
            Article::content_id("a", "b", Some(date!(2020 - 01 - 01)), Some("s"))
        );
        for other in [
            Article::content_id("ab", "", Some(date!(2020 - 01 - 01)), Some("s")),
            Article::content_id("a", "b", None, Some("s")),
            Article::content_id("a", "b", Some(date!(2020 - 01 - 02)), Some("s")),
            Article::content_id("a", "b", Some(date!(2020 - 01 - 01)), None),
            Article::content_id("b", "a", Some(date!(2020 - 01 - 01)), Some("s")),
        ] {
            assert_ne!(base, other);
        }
    }

    #[test]
    fn serializes_date_as_ymd() {
        let json = serde_json::to_value(sample()).unwrap();
        assert_eq!(json["date"], "2024-10-23");
        assert_eq!(json["category"], serde_json::Value::Null);
        let mut no_date = sample();
        no_date.date = None;
        assert_eq!(
            serde_json::to_value(no_date).unwrap()["date"],
            serde_json::Value::Null
        );
    }

    #[test]
    fn round_trips_through_json() {
        let a = sample();
        let back: Article = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
        assert_eq!(back, a);
        let minimal: Article = serde_json::from_str(r#"{"id":"x","title":"t","body":""}"#).unwrap();
        assert_eq!(minimal.date, None);
        assert!(serde_json::from_str::<Article>(
            r#"{"id":"x","title":"t","body":"","date":"23/10/2024"}"#
        )
        .is_err());
    }
}
