//! Scraped article pages: one article per `.txt` file.
//!
//! The layout is the one our scraper writes from news sites:
//!
//! ```text
//! <title>
//! <title repeated>                 (optional, any number of times)
//! ● <category> <day> <month> <year>   (the meta line; optional)
//!
//! <title again>                    (optional)
//!
//! <paragraphs separated by blank lines>
//!
//! الكاتب: <author>                 (optional footer from here on)
//! مشاركة:
//!
//! اقرأ أيضاً:
//! <related links>
//! ـــــــ ــ                         (a rule of tatweel)
//! ```
//!
//! [`parse_scraped`] turns such a text into an [`Article`]: the first
//! non-empty line is the title, the meta line gives category and date (parsed
//! by [`super::date`]), and the paragraphs up to the footer are the body.
//! Footer lines never reach the body, and everything after `اقرأ أيضاً:` is
//! links to other articles. A byline (`الكاتب:`) before any paragraph is taken
//! as the author without ending the body, since some sites put it on top.
//!
//! `read_file` is the file-level wrapper used by the walker: it enforces the
//! size limit and rejects binary or non-UTF-8 files before parsing.

use std::fs::File;
use std::io::Read;
use std::path::PathBuf;

use super::date::{self, normalize_arabic};
use super::{
    io_reason, raw_excerpt, IngestEvent, Ingested, Location, RecordError, Rejected, Warning,
};
use crate::article::Article;

/// Parses the text of a scraped page into an article with the given id.
///
/// Fails only when the page has neither a title nor a body
/// ([`RecordError::Empty`]). A meta line whose date does not parse still gives
/// the category, and adds a [`Warning::BadDate`]; a page without a meta line
/// has no category or date, and no warning.
pub fn parse_scraped(id: &str, text: &str) -> Result<(Article, Vec<Warning>), RecordError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut lines = text.lines().map(clean_line).peekable();
    let mut warnings = Vec::new();

    let mut title = "";
    let mut meta = None;
    for line in lines.by_ref() {
        if line.is_empty() || is_rule(line) {
            continue;
        }
        match meta_text(line) {
            Some(rest) => meta = Some(rest),
            None => title = line,
        }
        break;
    }
    if meta.is_none() {
        while let Some(&line) = lines.peek() {
            if line.is_empty() || (!title.is_empty() && line == title) {
                lines.next();
                continue;
            }
            if let Some(rest) = meta_text(line) {
                meta = Some(rest);
                lines.next();
            }
            break;
        }
    }
    let (category, date) = match meta {
        Some(rest) => parse_meta(rest, &mut warnings),
        None => (None, None),
    };

    let mut body = String::new();
    let mut author = None;
    let mut in_footer = false;
    let mut first_paragraph = true;
    for line in lines {
        if line.is_empty() || is_rule(line) {
            continue;
        }
        if let Some(name) = author_line(line) {
            if author.is_none() && !name.is_empty() {
                author = Some(name.to_string());
            }
            // A byline above the text is not the footer.
            in_footer |= !body.is_empty();
            continue;
        }
        if is_share_line(line) {
            in_footer = true;
            continue;
        }
        if is_read_also_line(line) {
            break;
        }
        if in_footer {
            continue;
        }
        if std::mem::take(&mut first_paragraph) && line == title {
            continue;
        }
        if !body.is_empty() {
            body.push('\n');
        }
        body.push_str(line);
    }

    if title.is_empty() && body.is_empty() {
        return Err(RecordError::Empty);
    }
    let article = Article {
        id: id.to_string(),
        title: title.to_string(),
        body,
        date,
        source: None,
        category,
        author,
        url: None,
    };
    Ok((article, warnings))
}

/// Reads and parses one scraped page, turning every failure into an event.
pub(crate) fn read_file(path: PathBuf, id: String, max_record_bytes: usize) -> IngestEvent {
    let rejected = |path: PathBuf, line, error: RecordError, raw: Option<String>| {
        IngestEvent::Rejected(Rejected {
            location: Location { file: path, line },
            reason: error.to_string(),
            raw,
        })
    };
    let unreadable = |path, e: std::io::Error| IngestEvent::Unreadable {
        path,
        reason: io_reason(&e),
    };
    let too_large = RecordError::TooLarge {
        limit: max_record_bytes,
    };

    let file = match File::open(&path) {
        Ok(file) => file,
        Err(e) => return unreadable(path, e),
    };
    let size = file.metadata().map_or(0, |m| m.len());
    if size > max_record_bytes as u64 {
        return rejected(path, None, too_large, None);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // The limit is checked again while reading: the file may grow, or be a pipe.
    let limit = (max_record_bytes as u64).saturating_add(1);
    if let Err(e) = file.take(limit).read_to_end(&mut bytes) {
        return unreadable(path, e);
    }
    if bytes.len() > max_record_bytes {
        return rejected(path, None, too_large, None);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return rejected(path, None, RecordError::Utf16, None);
    }
    let line_of =
        |offset: usize| Some(1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count() as u64);
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        let error = RecordError::Nul {
            offset: offset as u64,
        };
        return rejected(path, line_of(offset), error, Some(raw_excerpt(&bytes)));
    }
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(e) => {
            let offset = e.valid_up_to();
            let error = RecordError::InvalidUtf8 {
                offset: offset as u64,
            };
            return rejected(path, line_of(offset), error, Some(raw_excerpt(&bytes)));
        }
    };
    match parse_scraped(&id, text) {
        Ok((article, warnings)) => IngestEvent::Article(Ingested {
            article,
            location: Location {
                file: path,
                line: None,
            },
            warnings,
            bytes: bytes.len() as u64,
        }),
        Err(error) => rejected(path, None, error, Some(raw_excerpt(&bytes))),
    }
}

/// Trims whitespace (including no-break and other Unicode spaces) and
/// invisible direction marks, which scraped pages carry at line ends.
fn clean_line(line: &str) -> &str {
    line.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '\u{200B}'..='\u{200F}' | '\u{061C}' | '\u{FEFF}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
            )
    })
}

/// The text after the bullet of a meta line.
fn meta_text(line: &str) -> Option<&str> {
    // U+25CF BLACK CIRCLE, as the scraper writes it; U+2022 BULLET, as some
    // editors retype it.
    line.strip_prefix(['●', '•']).map(str::trim)
}

/// Splits a meta line's text into category and date.
fn parse_meta(text: &str, warnings: &mut Vec<Warning>) -> (Option<String>, Option<time::Date>) {
    let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
    match date::split_trailing_date(text) {
        Some(parts) => {
            let date = date::parse_arabic_date(parts.day, parts.month, parts.year);
            if date.is_none() {
                warnings.push(Warning::BadDate(parts.text.to_string()));
            }
            (non_empty(parts.prefix), date)
        }
        None => {
            warnings.push(Warning::BadDate(text.to_string()));
            (non_empty(text), None)
        }
    }
}

/// The author named on a `الكاتب:` line (empty when the line names no one).
fn author_line(line: &str) -> Option<&str> {
    // الكاتبة is the feminine form ("the writer").
    let rest = line
        .strip_prefix("الكاتبة")
        .or_else(|| line.strip_prefix("الكاتب"))?;
    rest.trim_start().strip_prefix([':', '：']).map(str::trim)
}

/// `مشاركة:` ("share:") introduces the share buttons.
fn is_share_line(line: &str) -> bool {
    line.strip_prefix("مشاركة")
        .is_some_and(|rest| rest.trim_start().starts_with([':', '：']))
}

/// `اقرأ أيضاً:` ("read also:"), in any of its spellings, introduces links to
/// other articles.
fn is_read_also_line(line: &str) -> bool {
    if !line.starts_with(['ا', 'أ', 'إ']) {
        return false;
    }
    let normalized = normalize_arabic(line);
    normalized.strip_prefix("اقرا ايضا").is_some_and(|rest| {
        let rest = rest.trim_start();
        rest.is_empty() || rest.starts_with([':', '：'])
    })
}

/// A horizontal rule: only tatweel, dashes and spaces.
fn is_rule(line: &str) -> bool {
    line.chars().all(|c| {
        c.is_whitespace()
            // U+0640 ARABIC TATWEEL, the usual rule on Arabic pages
            || c == '\u{0640}'
            || matches!(c, '-' | '_' | '\u{2010}'..='\u{2015}' | '\u{2500}' | '\u{2501}')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    /// Same structure as the real scraped pages, with invented text.
    const SEED_LIKE: &str = "\
مدينة الياسمين تفتتح مكتبتها العامة بعد ترميم دام عامين
مدينة الياسمين تفتتح مكتبتها العامة بعد ترميم دام عامين
● أخبار سورية ٢٣ أكتوبر ٢٠٢٤

مدينة الياسمين تفتتح مكتبتها العامة بعد ترميم دام عامين

افتتحت بلدية مدينة الياسمين صباح اليوم مكتبتها العامة\u{a0}بعد أعمال ترميم استمرت عامين.

وقال رئيس البلدية إن المكتبة تضم أكثر من عشرين ألف كتاب.\u{a0}

وأضاف أن المكتبة ستفتح أبوابها يومياً من الثامنة صباحاً.

الكاتب: فريق العمل
مشاركة:\u{2002}

اقرأ أيضاً:

ـــــــــ ــــ
";

    fn parse(text: &str) -> (Article, Vec<Warning>) {
        parse_scraped("x", text).expect("page should parse")
    }

    #[test]
    fn parses_a_seed_like_page() {
        let (a, warnings) = parse(SEED_LIKE);
        assert_eq!(a.id, "x");
        assert_eq!(
            a.title,
            "مدينة الياسمين تفتتح مكتبتها العامة بعد ترميم دام عامين"
        );
        assert_eq!(a.category.as_deref(), Some("أخبار سورية"));
        assert_eq!(a.date, Some(date!(2024 - 10 - 23)));
        assert_eq!(a.author.as_deref(), Some("فريق العمل"));
        assert_eq!(
            a.body,
            "افتتحت بلدية مدينة الياسمين صباح اليوم مكتبتها العامة\u{a0}بعد أعمال ترميم استمرت عامين.\n\
             وقال رئيس البلدية إن المكتبة تضم أكثر من عشرين ألف كتاب.\n\
             وأضاف أن المكتبة ستفتح أبوابها يومياً من الثامنة صباحاً."
        );
        assert_eq!(a.source, None);
        assert_eq!(a.url, None);
        assert!(warnings.is_empty());
    }

    #[test]
    fn crlf_and_bom() {
        let text = format!("\u{FEFF}{}", SEED_LIKE.replace('\n', "\r\n"));
        let (a, _) = parse(&text);
        let (expected, _) = parse(SEED_LIKE);
        assert_eq!(a, expected);
    }

    #[test]
    fn page_without_meta_line() {
        let (a, warnings) = parse("عنوان بلا تصنيف\n\nالفقرة الأولى.\n\nالفقرة الثانية.\n");
        assert_eq!(a.title, "عنوان بلا تصنيف");
        assert_eq!(a.category, None);
        assert_eq!(a.date, None);
        assert_eq!(a.body, "الفقرة الأولى.\nالفقرة الثانية.");
        assert!(warnings.is_empty());
    }

    #[test]
    fn meta_line_with_bad_date_keeps_category() {
        let (a, warnings) = parse("عنوان\n● رياضة ٣١ فبراير ٢٠٢٤\n\nنص.\n");
        assert_eq!(a.category.as_deref(), Some("رياضة"));
        assert_eq!(a.date, None);
        assert_eq!(warnings, [Warning::BadDate("٣١ فبراير ٢٠٢٤".into())]);

        let (a, warnings) = parse("عنوان\n● منوعات\n\nنص.\n");
        assert_eq!(a.category.as_deref(), Some("منوعات"));
        assert_eq!(a.date, None);
        assert_eq!(warnings, [Warning::BadDate("منوعات".into())]);
    }

    #[test]
    fn meta_line_variants() {
        let (a, _) = parse("عنوان\n• كأس العالم 2022 1 تشرين الأول/أكتوبر 2022\n\nنص.\n");
        assert_eq!(a.category.as_deref(), Some("كأس العالم 2022"));
        assert_eq!(a.date, Some(date!(2022 - 10 - 01)));

        let (a, _) = parse("عنوان\n● اقتصاد ۵ أيار (مايو) ۲۰۱۹\n\nنص.\n");
        assert_eq!(a.category.as_deref(), Some("اقتصاد"));
        assert_eq!(a.date, Some(date!(2019 - 05 - 05)));

        let (a, warnings) = parse("عنوان\n● ١٤ جانفي ٢٠١١\n\nنص.\n");
        assert_eq!(a.category, None);
        assert_eq!(a.date, Some(date!(2011 - 01 - 14)));
        assert!(warnings.is_empty());
    }

    #[test]
    fn title_repeats_are_dropped_only_at_the_top() {
        let text = "العنوان\n\nالعنوان\n● سياسة 1 مايو 2020\n\nالعنوان\n\nنص أول.\n\nالعنوان\n";
        let (a, _) = parse(text);
        assert_eq!(a.title, "العنوان");
        assert_eq!(a.date, Some(date!(2020 - 05 - 01)));
        // The later repetition is a real paragraph.
        assert_eq!(a.body, "نص أول.\nالعنوان");
    }

    #[test]
    fn footer_variants() {
        let text = "عنوان\n● سياسة 1 مايو 2020\n\nنص.\n\nالكاتب:\nمشاركة: فيسبوك تويتر\nسطر أزرار\n\nاقرأ أيضا:\nرابط إلى خبر آخر\nالكاتب: شخص آخر\n";
        let (a, _) = parse(text);
        assert_eq!(a.body, "نص.");
        assert_eq!(a.author, None);

        let text = "عنوان\n\nنص.\nإقرأ أيضاً : رابط\nخبر آخر\n";
        let (a, _) = parse(text);
        assert_eq!(a.body, "نص.");

        // Prose that merely starts with the same words is body.
        let text = "عنوان\n\nاقرأ أيضا في الصفحة التالية تفاصيل الخبر.\n";
        let (a, _) = parse(text);
        assert_eq!(a.body, "اقرأ أيضا في الصفحة التالية تفاصيل الخبر.");
    }

    #[test]
    fn rules_are_not_body_and_do_not_end_it() {
        let (a, _) = parse("عنوان\n\nقسم أول.\n\nــــ ـــ\n\n---\n\nقسم ثان.\n");
        assert_eq!(a.body, "قسم أول.\nقسم ثان.");
    }

    #[test]
    fn byline_on_top_does_not_end_the_body() {
        let (a, _) = parse(
            "عنوان\n● ثقافة 2 مارس 2021\n\nالكاتبة : سلمى حداد\n\nنص المقال.\n\nفقرة ثانية.\n",
        );
        assert_eq!(a.author.as_deref(), Some("سلمى حداد"));
        assert_eq!(a.body, "نص المقال.\nفقرة ثانية.");
    }

    #[test]
    fn footer_ends_the_body() {
        let (a, _) = parse("عنوان\n\nنص.\n\nالكاتب: رامي\n\nسطر بعد التذييل.\n");
        assert_eq!(a.author.as_deref(), Some("رامي"));
        assert_eq!(a.body, "نص.");
    }

    #[test]
    fn title_only_or_body_only() {
        let (a, _) = parse("عنوان وحيد\n");
        assert_eq!(a.title, "عنوان وحيد");
        assert_eq!(a.body, "");

        let (a, _) = parse("● سياسة 1 مايو 2020\n\nنص بلا عنوان.\n");
        assert_eq!(a.title, "");
        assert_eq!(a.body, "نص بلا عنوان.");
        assert_eq!(a.date, Some(date!(2020 - 05 - 01)));
    }

    #[test]
    fn empty_pages_are_rejected() {
        for text in [
            "",
            "\n\n",
            "  \u{a0}\n\u{200F}\n",
            "\u{FEFF}",
            "ـــــ\n",
            "● سياسة 1 مايو 2020\n\nالكاتب: أحد\n",
        ] {
            assert_eq!(
                parse_scraped("x", text),
                Err(RecordError::Empty),
                "{text:?}"
            );
        }
    }

    fn page_fragments() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "\n",
            "\r\n",
            " ",
            "●",
            "•",
            "عنوان",
            "٢٣",
            "2024",
            "أكتوبر",
            "تشرين الأول/",
            "الكاتب:",
            "الكاتب",
            ":",
            "مشاركة:",
            "اقرأ أيضاً:",
            "ـــ",
            "-",
            "\u{FEFF}",
            "\u{200F}",
            "نص",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn parse_scraped_never_panics(s in any::<String>(), f in page_fragments()) {
            for text in [&s, &f] {
                match parse_scraped("id", text) {
                    Ok((a, _)) => {
                        prop_assert!(!a.title.is_empty() || !a.body.is_empty());
                        prop_assert_eq!(a.title.trim(), a.title.as_str());
                        prop_assert!(a.body.lines().all(|l| !l.trim().is_empty()));
                        prop_assert!(!a.body.lines().any(is_share_line));
                    }
                    Err(e) => prop_assert_eq!(e, RecordError::Empty),
                }
            }
        }
    }
}
