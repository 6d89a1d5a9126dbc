//! An article as tantivy indexes it: each text held once, every field's value a slice of it.
//!
//! The schema indexes the same texts several times: the title as written (stored), stemmed and
//! in its exact form; the body as written (stored), and the title and body together stemmed
//! and in their exact form; the lead, which is the start of the body. A `TantivyDocument`
//! owns a copy of every value, so each article carried its title four times and its body three
//! times. tantivy's writer queues up to 10,000 documents for its indexing threads, and the
//! reading thread fills that queue faster than they empty it: the copies were tens of megabytes
//! of the indexing job's memory, and copying them was work for the reading thread.
//!
//! [`ArticleDocument`] keeps one string, the title and body joined by a line break (the text
//! the `body` fields index), and hands tantivy slices of it:
//!
//! ```text
//! text:   title ␤ body
//!         ╰─┬─╯   ╰┬─╯
//!   title_text,    body_text
//!   title,         └─ lead: the body's first LEAD_CHARS characters
//!   title_exact
//!         ╰────┬─────╯
//!         body, body_exact
//! ```
//!
//! The values are yielded in the order a `TantivyDocument` built field by field had them, so
//! the index files are the same bytes as before.

use tantivy::schema::document::{Document, ReferenceValue, ReferenceValueLeaf, Value};
use tantivy::schema::Field;
use tantivy::DateTime;

use super::{lead, Fields};
use crate::article::Article;

/// How many values an article can have: id, title (3), body (3), lead, date, and the four
/// optional metadata fields.
const MAX_VALUES: usize = 13;

/// One article, ready for tantivy's writer (see the module documentation).
#[derive(Debug)]
pub(crate) struct ArticleDocument {
    fields: Fields,
    id: String,
    /// The title, a line break, and the body.
    text: String,
    /// Where the title ends in `text` (the line break follows).
    title_end: usize,
    /// Where the lead ends in `text`.
    lead_end: usize,
    date: Option<DateTime>,
    source: Option<String>,
    category: Option<String>,
    author: Option<String>,
    url: Option<String>,
}

impl ArticleDocument {
    pub(crate) fn new(fields: Fields, article: &Article) -> ArticleDocument {
        let mut text = String::with_capacity(article.title.len() + 1 + article.body.len());
        text.push_str(&article.title);
        text.push('\n');
        text.push_str(&article.body);
        let title_end = article.title.len();
        let lead_end = title_end + 1 + lead(&article.body).len();
        ArticleDocument {
            fields,
            id: article.id.clone(),
            text,
            title_end,
            lead_end,
            date: article
                .date
                .map(|date| DateTime::from_utc(date.midnight().assume_utc())),
            source: article.source.clone(),
            category: article.category.clone(),
            author: article.author.clone(),
            url: article.url.clone(),
        }
    }

    fn title(&self) -> &str {
        &self.text[..self.title_end]
    }

    fn body(&self) -> &str {
        &self.text[self.title_end + 1..]
    }

    fn lead(&self) -> &str {
        &self.text[self.title_end + 1..self.lead_end]
    }
}

/// A value of an [`ArticleDocument`]: a slice of its texts, or its date.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ArticleValue<'a> {
    Str(&'a str),
    Date(DateTime),
}

impl<'a> Value<'a> for ArticleValue<'a> {
    type ArrayIter = std::iter::Empty<Self>;
    type ObjectIter = std::iter::Empty<(&'a str, Self)>;

    fn as_value(&self) -> ReferenceValue<'a, Self> {
        ReferenceValue::Leaf(match *self {
            ArticleValue::Str(text) => ReferenceValueLeaf::Str(text),
            ArticleValue::Date(date) => ReferenceValueLeaf::Date(date),
        })
    }
}

/// The values of an [`ArticleDocument`], without allocating.
pub(crate) type ArticleValues<'a> =
    std::iter::Flatten<std::array::IntoIter<Option<(Field, ArticleValue<'a>)>, MAX_VALUES>>;

impl Document for ArticleDocument {
    type Value<'a> = ArticleValue<'a>;
    type FieldsValuesIter<'a> = ArticleValues<'a>;

    fn iter_fields_and_values(&self) -> ArticleValues<'_> {
        let f = &self.fields;
        let (title, body, lead) = (self.title(), self.body(), self.lead());
        fn text(field: Field, value: &str) -> Option<(Field, ArticleValue<'_>)> {
            Some((field, ArticleValue::Str(value)))
        }
        fn optional(field: Field, value: &Option<String>) -> Option<(Field, ArticleValue<'_>)> {
            value.as_deref().map(|v| (field, ArticleValue::Str(v)))
        }
        // The document store keeps the values in this order (that of the `TantivyDocument`
        // this replaced, so its bytes are the same). The analyzers run in the schema's field
        // order whatever this order is (tantivy sorts the values by field): title before
        // title_exact, body before body_exact and the lead, which starts right after the
        // title's line break (see `Sharing`).
        [
            text(f.id, &self.id),
            text(f.title_text, title),
            text(f.body_text, body),
            text(f.title, title),
            text(f.title_exact, title),
            // The body fields index the title too, as one text: a word of the title then
            // counts in the article's text like any other (what Lucene setups do with title +
            // text), and the title fields add a boost on top.
            text(f.body, &self.text),
            text(f.body_exact, &self.text),
            text(f.lead, lead),
            self.date.map(|date| (f.date, ArticleValue::Date(date))),
            optional(f.source, &self.source),
            optional(f.category, &self.category),
            optional(f.author, &self.author),
            optional(f.url, &self.url),
        ]
        .into_iter()
        .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Archive;
    use tantivy::TantivyDocument;

    /// The values a `TantivyDocument` built field by field had, in its order.
    fn field_by_field(f: &Fields, article: &Article) -> TantivyDocument {
        let mut doc = TantivyDocument::new();
        doc.add_text(f.id, &article.id);
        doc.add_text(f.title_text, &article.title);
        doc.add_text(f.body_text, &article.body);
        doc.add_text(f.title, &article.title);
        doc.add_text(f.title_exact, &article.title);
        let combined = format!("{}\n{}", article.title, article.body);
        doc.add_text(f.body, &combined);
        doc.add_text(f.body_exact, &combined);
        doc.add_text(f.lead, lead(&article.body));
        if let Some(date) = article.date {
            doc.add_date(f.date, DateTime::from_utc(date.midnight().assume_utc()));
        }
        for (field, value) in [
            (f.source, &article.source),
            (f.category, &article.category),
            (f.author, &article.author),
            (f.url, &article.url),
        ] {
            if let Some(value) = value {
                doc.add_text(field, value);
            }
        }
        doc
    }

    fn values(doc: &impl Document) -> Vec<(Field, String)> {
        doc.iter_fields_and_values()
            .map(|(field, value)| {
                let shown = match value.as_leaf() {
                    Some(ReferenceValueLeaf::Str(text)) => text.to_string(),
                    Some(ReferenceValueLeaf::Date(date)) => format!("{date:?}"),
                    other => panic!("unexpected value {other:?}"),
                };
                (field, shown)
            })
            .collect()
    }

    #[test]
    fn values_are_those_of_a_document_built_field_by_field() {
        let archive = Archive::in_memory().unwrap();
        let f = *archive.fields();
        let long_body = "كلمة ".repeat(200);
        let articles = [
            Article {
                id: "a1".into(),
                title: "افتتاح معرض الكتاب".into(),
                body: long_body.clone(),
                date: Some(time::macros::date!(2024 - 03 - 05)),
                source: Some("الوكالة".into()),
                category: Some("ثقافة".into()),
                author: Some("كاتب".into()),
                url: Some("https://example.org/a1".into()),
            },
            Article {
                id: "a2".into(),
                body: "نص بلا عنوان".into(),
                ..Article::default()
            },
            Article {
                id: "a3".into(),
                title: "عنوان بلا نص".into(),
                source: Some("مصدر".into()),
                ..Article::default()
            },
        ];
        for article in &articles {
            let ours = ArticleDocument::new(f, article);
            assert_eq!(values(&ours), values(&field_by_field(&f, article)));
        }
        // The lead is cut: shorter than the body, a prefix of it.
        let ours = ArticleDocument::new(f, &articles[0]);
        let lead = ours.lead();
        assert!(lead.len() < long_body.len() && long_body.starts_with(lead));
    }
}
