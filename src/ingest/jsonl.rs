//! JSONL (NDJSON) archives: one JSON object per line, plain or gzip.
//!
//! [`JsonlReader`] reads a stream line by line into one reused buffer and
//! yields an [`IngestEvent`] per non-blank line. Each line goes through three
//! gates, each with its own rejection: bytes (size limit, NUL, UTF-8, with the
//! byte offset of the problem), JSON syntax (with serde's column), and the
//! record's fields ([`parse_json_record`]: types, and a title or a body).
//!
//! Records look like
//! `{"id": "…", "title": "…", "body": "…", "date": "2017-01-25", "source": "…",
//! "category": "…", "author": "…", "url": "…"}`; every field is optional
//! except that a title or a body must be non-blank. `id` may be a string or
//! an integer; without one the id is [`Article::content_id`]. Other fields are
//! ignored and reported in a [`Warning::UnknownFields`].
//!
//! Memory is bounded by the longest line: lines over the limit are skipped
//! without being buffered past the limit.

use std::io::{self, BufRead, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::Value;

use super::date::parse_date;
use super::{
    raw_excerpt, IngestEvent, IngestOptions, Ingested, Location, RecordError, Rejected, Warning,
};
use crate::article::Article;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads articles from a JSONL stream, one event per non-blank line.
///
/// Blank lines are skipped, a UTF-8 byte order mark at the start is ignored,
/// and CRLF line ends are accepted. Byte offsets in rejections count from the
/// start of the stream (after decompression). A read error ends the stream
/// with an [`IngestEvent::Unreadable`].
pub struct JsonlReader<R> {
    reader: R,
    file: PathBuf,
    max_record_bytes: usize,
    buf: Vec<u8>,
    /// 1-based number of the line last read.
    line: u64,
    /// Stream offset of the next line.
    offset: u64,
    /// Stream offset at the previous event, for [`Ingested::bytes`].
    reported_offset: u64,
    /// On-disk bytes read so far, when the stream is decompressed.
    raw_bytes: Option<Arc<AtomicU64>>,
    reported_raw_bytes: u64,
    started: bool,
    done: bool,
}

impl<R: BufRead> JsonlReader<R> {
    /// Reads from `reader`, naming `file` in locations (e.g. `<stdin>`).
    pub fn new(reader: R, file: impl Into<PathBuf>, options: &IngestOptions) -> Self {
        Self {
            reader,
            file: file.into(),
            max_record_bytes: options.max_record_bytes,
            buf: Vec::new(),
            line: 0,
            offset: 0,
            reported_offset: 0,
            raw_bytes: None,
            reported_raw_bytes: 0,
            started: false,
            done: false,
        }
    }

    /// Reports [`Ingested::bytes`] from `counter` (bytes read from disk) rather
    /// than from the decoded stream, so progress matches file sizes.
    pub(crate) fn with_raw_byte_counter(mut self, counter: Arc<AtomicU64>) -> Self {
        self.raw_bytes = Some(counter);
        self
    }

    /// Input consumed since the previous event.
    fn take_bytes(&mut self) -> u64 {
        match &self.raw_bytes {
            Some(counter) => {
                let now = counter.load(Ordering::Relaxed);
                let delta = now.saturating_sub(self.reported_raw_bytes);
                self.reported_raw_bytes = now;
                delta
            }
            None => {
                let delta = self.offset - self.reported_offset;
                self.reported_offset = self.offset;
                delta
            }
        }
    }

    fn location(&self) -> Location {
        Location {
            file: self.file.clone(),
            line: Some(self.line),
        }
    }

    fn reject(&mut self, error: RecordError, raw: Option<String>) -> IngestEvent {
        self.take_bytes();
        IngestEvent::Rejected(Rejected {
            location: self.location(),
            reason: error.to_string(),
            raw,
        })
    }

    /// Looks at the start of the stream for signs that it is not UTF-8 text
    /// at all, so such a file is rejected once instead of line by line.
    fn sniff(&mut self) -> Result<Option<IngestEvent>, std::io::Error> {
        /// A NUL this early means binary; `file` and git use similar windows.
        const WINDOW: usize = 1024;
        let head = loop {
            match self.reader.fill_buf() {
                Ok(head) => break head,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        let head = &head[..head.len().min(WINDOW)];
        let (error, line) = if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
            (RecordError::Utf16, 1)
        } else if let Some(pos) = head.iter().position(|&b| b == 0) {
            let line = 1 + head[..pos].iter().filter(|&&b| b == b'\n').count() as u64;
            // A JSONL file starts with `{`; with a NUL on its first line
            // (UTF-16 without a mark) it is not JSONL either. A later stray
            // NUL in a text file only costs its own line.
            let text = head.strip_prefix(BOM).unwrap_or(head);
            let starts_like_json = text.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
            if starts_like_json && line > 1 {
                return Ok(None);
            }
            (RecordError::BinaryFile { offset: pos as u64 }, line)
        } else {
            return Ok(None);
        };
        self.done = true;
        Ok(Some(IngestEvent::Rejected(Rejected {
            location: Location {
                file: self.file.clone(),
                line: Some(line),
            },
            reason: error.to_string(),
            raw: None,
        })))
    }

    /// Checks the bytes of the current line and parses them.
    fn record(&mut self, line_start: u64) -> Option<IngestEvent> {
        let mut content = self.buf.as_slice();
        let mut start = line_start;
        content = content.strip_suffix(b"\n").unwrap_or(content);
        content = content.strip_suffix(b"\r").unwrap_or(content);
        if line_start == 0 {
            if let Some(rest) = content.strip_prefix(BOM) {
                content = rest;
                start += BOM.len() as u64;
            }
        }
        if content.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        if let Some(pos) = content.iter().position(|&b| b == 0) {
            let error = RecordError::Nul {
                offset: start + pos as u64,
            };
            let raw = Some(raw_excerpt(content));
            return Some(self.reject(error, raw));
        }
        let text = match std::str::from_utf8(content) {
            Ok(text) => text,
            Err(e) => {
                let error = RecordError::InvalidUtf8 {
                    offset: start + e.valid_up_to() as u64,
                };
                let raw = Some(raw_excerpt(content));
                return Some(self.reject(error, raw));
            }
        };
        Some(match parse_json_record(text) {
            Ok((article, warnings)) => IngestEvent::Article(Ingested {
                article,
                location: self.location(),
                warnings,
                bytes: self.take_bytes(),
            }),
            Err(error) => {
                let raw = Some(raw_excerpt(text.as_bytes()));
                self.reject(error, raw)
            }
        })
    }
}

impl<R: BufRead> Iterator for JsonlReader<R> {
    type Item = IngestEvent;

    fn next(&mut self) -> Option<IngestEvent> {
        if !std::mem::replace(&mut self.started, true) {
            match self.sniff() {
                Ok(None) => {}
                Ok(Some(event)) => return Some(event),
                Err(e) => {
                    self.done = true;
                    return Some(IngestEvent::Unreadable {
                        path: self.file.clone(),
                        reason: super::io_reason(&e),
                    });
                }
            }
        }
        while !self.done {
            let line_start = self.offset;
            self.buf.clear();
            let read =
                match read_line_limited(&mut self.reader, &mut self.buf, self.max_record_bytes) {
                    Ok(read) => read,
                    Err(e) => {
                        self.done = true;
                        return Some(IngestEvent::Unreadable {
                            path: self.file.clone(),
                            reason: format!("read error after line {}: {e}", self.line),
                        });
                    }
                };
            match read {
                LineRead::Eof => self.done = true,
                LineRead::Line(consumed) => {
                    self.line += 1;
                    self.offset += consumed;
                    if let Some(event) = self.record(line_start) {
                        return Some(event);
                    }
                }
                LineRead::TooLong(consumed) => {
                    self.line += 1;
                    self.offset += consumed;
                    let raw = Some(raw_excerpt(&self.buf));
                    let limit = self.max_record_bytes;
                    return Some(self.reject(RecordError::TooLarge { limit }, raw));
                }
            }
        }
        None
    }
}

impl<R: BufRead> std::iter::FusedIterator for JsonlReader<R> {}

/// Outcome of reading one line; counts are bytes consumed from the stream.
#[derive(Debug, PartialEq, Eq)]
enum LineRead {
    Eof,
    Line(u64),
    TooLong(u64),
}

/// Reads one line (with its `\n`) into `buf`, buffering at most `max + 1`
/// bytes. A longer line is consumed through its newline but not kept.
fn read_line_limited<R: BufRead>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<LineRead> {
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    let n = reader.by_ref().take(limit).read_until(b'\n', buf)?;
    if n == 0 {
        return Ok(LineRead::Eof);
    }
    if buf.last() == Some(&b'\n') || buf.len() <= max {
        return Ok(LineRead::Line(n as u64));
    }
    let mut consumed = n as u64;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        let (used, found) = match available.iter().position(|&b| b == b'\n') {
            Some(pos) => (pos + 1, true),
            None => (available.len(), false),
        };
        reader.consume(used);
        consumed += used as u64;
        if found {
            break;
        }
    }
    Ok(LineRead::TooLong(consumed))
}

/// Parses one JSONL line (without its newline) into an article.
///
/// Rejects text that is not a JSON object, known fields of the wrong type
/// (naming the field), and records whose title and body are both blank.
/// `title` and `body` are trimmed; blank optional fields become `None`; a
/// missing, null or blank `id` becomes [`Article::content_id`]. A `date` that
/// does not parse, or is not a string, is dropped with a [`Warning::BadDate`]
/// instead of losing the article.
pub fn parse_json_record(line: &str) -> Result<(Article, Vec<Warning>), RecordError> {
    let value: Value = serde_json::from_str(line).map_err(|e| json_error(&e))?;
    let Value::Object(map) = value else {
        return Err(RecordError::NotAnObject {
            found: json_type(&value),
        });
    };

    let mut id = None;
    let mut title = String::new();
    let mut body = String::new();
    let mut date_text = None;
    let mut source = None;
    let mut category = None;
    let mut author = None;
    let mut url = None;
    let mut unknown = Vec::new();
    let mut warnings = Vec::new();

    for (key, value) in map {
        match key.as_str() {
            "id" => id = id_field(value)?,
            "title" => title = string_field("title", value)?.unwrap_or_default(),
            "body" => body = string_field("body", value)?.unwrap_or_default(),
            "date" => match value {
                Value::String(s) => date_text = Some(s),
                Value::Null => {}
                other => warnings.push(Warning::BadDate(other.to_string())),
            },
            "source" => source = string_field("source", value)?,
            "category" => category = string_field("category", value)?,
            "author" => author = string_field("author", value)?,
            "url" => url = string_field("url", value)?,
            _ => unknown.push(key),
        }
    }

    if title.is_empty() && body.is_empty() {
        return Err(RecordError::Empty);
    }
    let date = date_text.and_then(|text| {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let date = parse_date(text);
        if date.is_none() {
            warnings.push(Warning::BadDate(text.to_string()));
        }
        date
    });
    if !unknown.is_empty() {
        // Sorted whatever serde_json's map order (its `preserve_order`
        // feature may be switched on by another crate).
        unknown.sort_unstable();
        warnings.push(Warning::UnknownFields(unknown));
    }
    let id = id.unwrap_or_else(|| Article::content_id(&title, &body, date, source.as_deref()));
    let article = Article {
        id,
        title,
        body,
        date,
        source,
        category,
        author,
        url,
    };
    Ok((article, warnings))
}

/// A string-or-null field, trimmed; blank becomes `None`.
fn string_field(field: &'static str, value: Value) -> Result<Option<String>, RecordError> {
    match value {
        Value::String(s) => {
            let s = trim_owned(s);
            Ok((!s.is_empty()).then_some(s))
        }
        Value::Null => Ok(None),
        other => Err(RecordError::FieldType {
            field,
            expected: "a string",
            found: json_type(&other),
        }),
    }
}

/// `id` as a string or an integer (written in decimal); blank becomes `None`.
fn id_field(value: Value) -> Result<Option<String>, RecordError> {
    match value {
        Value::Number(n) if n.is_i64() || n.is_u64() => Ok(Some(n.to_string())),
        Value::String(s) => {
            let s = trim_owned(s);
            Ok((!s.is_empty()).then_some(s))
        }
        Value::Null => Ok(None),
        other => Err(RecordError::FieldType {
            field: "id",
            expected: "a string or an integer",
            found: json_type(&other),
        }),
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a non-integer number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// serde's message without its "at line 1 column N" tail: the line is ours.
fn json_error(e: &serde_json::Error) -> RecordError {
    let message = e.to_string();
    let tail = format!(" at line {} column {}", e.line(), e.column());
    let message = message.strip_suffix(&tail).unwrap_or(&message).to_string();
    RecordError::Json {
        column: e.column(),
        message,
    }
}

/// Trims in place, so a large body is not copied.
fn trim_owned(mut s: String) -> String {
    let end = s.trim_end().len();
    s.truncate(end);
    let start = s.len() - s.trim_start().len();
    s.drain(..start);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::{BufReader, Cursor};
    use time::macros::date;

    fn read_with(input: &[u8], options: &IngestOptions) -> Vec<IngestEvent> {
        JsonlReader::new(Cursor::new(input.to_vec()), "in.jsonl", options).collect()
    }

    fn read(input: &[u8]) -> Vec<IngestEvent> {
        read_with(input, &IngestOptions::default())
    }

    fn articles(events: &[IngestEvent]) -> Vec<&Ingested> {
        events
            .iter()
            .map(|e| match e {
                IngestEvent::Article(a) => a,
                other => panic!("expected an article, got {other:?}"),
            })
            .collect()
    }

    fn rejected(event: &IngestEvent) -> &Rejected {
        match event {
            IngestEvent::Rejected(r) => r,
            other => panic!("expected a rejection, got {other:?}"),
        }
    }

    /// The single rejection of `line`, as (line number, reason).
    fn reject_one(line: &str) -> String {
        let events = read(line.as_bytes());
        assert_eq!(events.len(), 1, "{events:?}");
        rejected(&events[0]).reason.clone()
    }

    #[test]
    fn reads_all_fields() {
        let line = r#"{"id":"BB-1","title":" عنوان ","body":"سطر\nسطر","date":"2017-01-25T14:36:00+01:00","source":"BBC Arabic","category":"internationalNews","author":"مراسل","url":"https://example.com/1"}"#;
        let events = read(line.as_bytes());
        let a = articles(&events)[0];
        assert_eq!(
            a.article,
            Article {
                id: "BB-1".into(),
                title: "عنوان".into(),
                body: "سطر\nسطر".into(),
                date: Some(date!(2017 - 01 - 25)),
                source: Some("BBC Arabic".into()),
                category: Some("internationalNews".into()),
                author: Some("مراسل".into()),
                url: Some("https://example.com/1".into()),
            }
        );
        assert_eq!(
            a.location,
            Location {
                file: "in.jsonl".into(),
                line: Some(1)
            }
        );
        assert!(a.warnings.is_empty());
        assert_eq!(a.bytes, line.len() as u64);
    }

    #[test]
    fn numeric_and_missing_ids() {
        let input = b"{\"id\":42,\"title\":\"a\"}\n{\"id\":-7,\"title\":\"a\"}\n{\"title\":\"a\",\"body\":\"b\",\"date\":\"2020-01-01\"}\n{\"id\":null,\"title\":\"a\",\"body\":\"b\",\"date\":\"2020-01-01\"}\n{\"id\":\"  \",\"title\":\"c\"}\n";
        let events = read(input);
        let ids: Vec<_> = articles(&events)
            .iter()
            .map(|a| a.article.id.clone())
            .collect();
        assert_eq!(ids[0], "42");
        assert_eq!(ids[1], "-7");
        let expected = Article::content_id("a", "b", Some(date!(2020 - 01 - 01)), None);
        assert_eq!(ids[2], expected);
        assert_eq!(ids[3], expected);
        assert!(ids[4].starts_with("h-") && ids[4].len() == 18);
        assert_ne!(ids[4], ids[2]);
        // Reading again gives the same ids.
        let again: Vec<_> = articles(&read(input))
            .iter()
            .map(|a| a.article.id.clone())
            .collect();
        assert_eq!(again, ids);
    }

    #[test]
    fn non_integer_ids_are_rejected() {
        assert!(reject_one(r#"{"id":1.5,"title":"a"}"#).contains("field `id`"));
        assert!(reject_one(r#"{"id":true,"title":"a"}"#).contains("field `id`"));
        assert!(reject_one(r#"{"id":["x"],"title":"a"}"#).contains("field `id`"));
    }

    #[test]
    fn date_forms() {
        let input = "{\"title\":\"a\",\"date\":\"2017/01/25\"}\n{\"title\":\"a\",\"date\":\"25/01/2017\"}\n{\"title\":\"a\",\"date\":\"2017-01-25 14:36:00\"}\n{\"title\":\"a\",\"date\":\"٢٥ جانفي ٢٠١٧\"}\n";
        let events = read(input.as_bytes());
        for a in articles(&events) {
            assert_eq!(a.article.date, Some(date!(2017 - 01 - 25)), "{a:?}");
            assert!(a.warnings.is_empty());
        }
    }

    #[test]
    fn bad_dates_keep_the_article_with_a_warning() {
        let input = "{\"title\":\"a\",\"date\":\"yesterday\"}\n{\"title\":\"b\",\"date\":20170125}\n{\"title\":\"c\",\"date\":\"\"}\n{\"title\":\"d\",\"date\":null}\n";
        let events = read(input.as_bytes());
        let a = articles(&events);
        assert_eq!(a.len(), 4);
        assert_eq!(a[0].warnings, [Warning::BadDate("yesterday".into())]);
        assert_eq!(a[1].warnings, [Warning::BadDate("20170125".into())]);
        assert!(a[2].warnings.is_empty() && a[3].warnings.is_empty());
        assert!(a.iter().all(|a| a.article.date.is_none()));
    }

    #[test]
    fn unknown_fields_are_reported() {
        let events = read(br#"{"title":"a","tags":["x"],"lang":"ar","id":"1"}"#);
        let a = articles(&events)[0];
        assert_eq!(a.article.id, "1");
        assert_eq!(
            a.warnings,
            [Warning::UnknownFields(vec!["lang".into(), "tags".into()])]
        );
    }

    #[test]
    fn invalid_utf8_reports_the_file_offset() {
        let mut input = b"{\"title\":\"ok\"}\n".to_vec();
        input.extend_from_slice(b"{\"title\":\"bad \xC3\x28\"}\n{\"title\":\"after\"}\n");
        let events = read(&input);
        assert_eq!(events.len(), 3);
        let r = rejected(&events[1]);
        assert_eq!(r.location.to_string(), "in.jsonl:2");
        // 16 bytes of line 1, then 14 bytes before the bad sequence.
        assert_eq!(r.reason, "invalid UTF-8 at byte offset 29");
        assert!(r.raw.as_deref().unwrap().contains('\u{FFFD}'));
        assert_eq!(articles(&events[2..])[0].article.title, "after");
    }

    #[test]
    fn malformed_json_reports_the_column() {
        let events = read(b"{\"title\":\"a\"}\n{\"title\": \"a\",}\n");
        let r = rejected(&events[1]);
        assert_eq!(r.location.line, Some(2));
        assert_eq!(r.reason, "invalid JSON at column 15: trailing comma");
        assert_eq!(r.raw.as_deref(), Some("{\"title\": \"a\",}"));
        assert!(reject_one("{\"title\":\"a\"").starts_with("invalid JSON at column 12: EOF"));
        assert!(reject_one("{\"title\":\"a\"} x").contains("trailing characters"));
    }

    #[test]
    fn wrong_field_types_name_the_field() {
        assert_eq!(
            reject_one(r#"{"title":5,"body":"b"}"#),
            "field `title` must be a string, found an integer"
        );
        assert_eq!(
            reject_one(r#"{"title":"t","body":["b"]}"#),
            "field `body` must be a string, found an array"
        );
        assert_eq!(
            reject_one(r#"{"title":"t","source":{"name":"x"}}"#),
            "field `source` must be a string, found an object"
        );
        assert!(reject_one(r#"{"title":"t","url":false}"#).contains("`url`"));
        assert!(reject_one(r#"{"title":"t","author":1}"#).contains("`author`"));
        assert!(reject_one(r#"{"title":"t","category":[]}"#).contains("`category`"));
        assert_eq!(
            reject_one(r#"["title"]"#),
            "expected a JSON object, found an array"
        );
        assert_eq!(reject_one("42"), "expected a JSON object, found an integer");
    }

    #[test]
    fn needs_a_title_or_a_body() {
        for line in [
            r#"{"id":"x"}"#,
            r#"{"title":"","body":""}"#,
            r#"{"title":"  \n ","body":"\t"}"#,
            r#"{"title":null,"body":null}"#,
        ] {
            assert_eq!(reject_one(line), "article has no title or body", "{line}");
        }
        let events = read(b"{\"title\":\"only title\",\"body\":\"\"}\n{\"body\":\"only body\"}\n");
        let a = articles(&events);
        assert_eq!(
            (a[0].article.title.as_str(), a[0].article.body.as_str()),
            ("only title", "")
        );
        assert_eq!(
            (a[1].article.title.as_str(), a[1].article.body.as_str()),
            ("", "only body")
        );
    }

    #[test]
    fn nul_bytes_are_rejected() {
        let events = read(b"{\"title\":\"a\"}\n{\"title\":\"a\0\"}\n{\"title\":\"c\"}\n");
        assert_eq!(events.len(), 3);
        assert_eq!(
            rejected(&events[1]).reason,
            "binary data: NUL byte at byte offset 25"
        );
        assert_eq!(articles(&events[2..])[0].article.title, "c");
    }

    #[test]
    fn binary_files_are_rejected_once() {
        let mut input = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        for _ in 0..100 {
            input.extend_from_slice(b"\n\0garbage");
        }
        let events = read(&input);
        assert_eq!(events.len(), 1, "{events:?}");
        let r = rejected(&events[0]);
        assert_eq!(r.location.line, Some(3));
        assert_eq!(
            r.reason,
            "binary file (NUL byte at byte offset 8); rest of file skipped"
        );
        let utf16: Vec<u8> = "\u{FEFF}{\"title\":\"a\"}\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let events = read(&utf16);
        assert_eq!(events.len(), 1);
        assert_eq!(
            rejected(&events[0]).reason,
            "file is UTF-16; convert it to UTF-8"
        );
    }

    #[test]
    fn bom_crlf_and_blank_lines() {
        let input =
            b"\xEF\xBB\xBF{\"title\":\"a\"}\r\n\r\n   \n\n{\"title\":\"b\"}\r\n{\"title\":\"c\"}";
        let events = read(input);
        let a = articles(&events);
        let got: Vec<_> = a
            .iter()
            .map(|a| (a.article.title.as_str(), a.location.line))
            .collect();
        assert_eq!(got, [("a", Some(1)), ("b", Some(5)), ("c", Some(6))]);
        // Blank lines count towards the next record's bytes.
        assert_eq!(a.iter().map(|a| a.bytes).sum::<u64>(), input.len() as u64);
        assert_eq!(a[1].bytes, 2 + 4 + 1 + 15);
    }

    #[test]
    fn bom_only_counts_at_the_start() {
        let events = read(b"{\"title\":\"a\"}\n\xEF\xBB\xBF{\"title\":\"b\"}\n");
        assert_eq!(events.len(), 2);
        assert!(rejected(&events[1])
            .reason
            .starts_with("invalid JSON at column 1"));
    }

    #[test]
    fn empty_input_yields_nothing() {
        assert_eq!(read(b""), []);
        assert_eq!(read(b"\n\n \r\n"), []);
        assert_eq!(read(BOM), []);
    }

    #[test]
    fn overlong_lines_are_rejected_without_buffering_them() {
        let options = IngestOptions {
            max_record_bytes: 64,
        };
        let long = format!("{{\"title\":\"{}\"}}", "x".repeat(10_000));
        let exact = format!("{{\"title\":\"{}\"}}", "y".repeat(64 - 12));
        assert_eq!(exact.len(), 64);
        let input = format!("{{\"title\":\"a\"}}\n{long}\n{exact}\n{long}");
        let mut reader = JsonlReader::new(
            BufReader::with_capacity(16, Cursor::new(input.into_bytes())),
            "in.jsonl",
            &options,
        );
        let events: Vec<_> = reader.by_ref().collect();
        assert_eq!(events.len(), 4);
        let r = rejected(&events[1]);
        assert_eq!(r.location.line, Some(2));
        assert_eq!(r.reason, "record larger than the limit of 64 bytes");
        assert!(r.raw.as_deref().unwrap().len() <= 65);
        assert_eq!(articles(&events[2..3])[0].article.title, "y".repeat(52));
        assert_eq!(rejected(&events[3]).location.line, Some(4));
        assert!(reader.buf.capacity() <= 256, "{}", reader.buf.capacity());
    }

    #[test]
    fn read_line_limited_edges() {
        let mut buf = Vec::new();
        let mut r = Cursor::new(b"abc\nabcd\nab".to_vec());
        assert_eq!(
            read_line_limited(&mut r, &mut buf, 3).unwrap(),
            LineRead::Line(4)
        );
        buf.clear();
        assert_eq!(
            read_line_limited(&mut r, &mut buf, 3).unwrap(),
            LineRead::TooLong(5)
        );
        buf.clear();
        assert_eq!(
            read_line_limited(&mut r, &mut buf, 3).unwrap(),
            LineRead::Line(2)
        );
        buf.clear();
        assert_eq!(
            read_line_limited(&mut r, &mut buf, 3).unwrap(),
            LineRead::Eof
        );
    }

    #[test]
    fn duplicate_ids_pass_through() {
        let events = read(b"{\"id\":\"1\",\"title\":\"a\"}\n{\"id\":\"1\",\"title\":\"b\"}\n");
        let a = articles(&events);
        assert_eq!(a.len(), 2);
        assert_eq!(
            (a[0].article.id.as_str(), a[1].article.id.as_str()),
            ("1", "1")
        );
    }

    /// Fails after handing out its data.
    struct FailingReader(Cursor<Vec<u8>>);

    impl Read for FailingReader {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match self.0.read(buf)? {
                0 => Err(io::Error::other("disk on fire")),
                n => Ok(n),
            }
        }
    }

    #[test]
    fn read_errors_end_the_file() {
        let inner = FailingReader(Cursor::new(b"{\"title\":\"a\"}\n".to_vec()));
        let events: Vec<_> =
            JsonlReader::new(BufReader::new(inner), "in.jsonl", &IngestOptions::default())
                .collect();
        assert_eq!(events.len(), 2);
        assert_eq!(articles(&events[..1])[0].article.title, "a");
        assert_eq!(
            events[1],
            IngestEvent::Unreadable {
                path: "in.jsonl".into(),
                reason: "read error after line 1: disk on fire".into()
            }
        );
    }

    mod files {
        use super::*;
        use crate::ingest::ingest;
        use std::io::Write;

        fn gzip(data: &[u8]) -> Vec<u8> {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            enc.write_all(data).unwrap();
            enc.finish().unwrap()
        }

        #[test]
        fn gzip_files_including_multiple_members() {
            let dir = tempfile::TempDir::new().unwrap();
            let mut data =
                gzip(b"{\"id\":\"1\",\"title\":\"a\"}\n{\"id\":\"2\",\"title\":\"b\"}\n");
            data.extend(gzip(b"{\"id\":\"3\",\"title\":\"c\"}\n"));
            let path = dir.path().join("a.jsonl.gz");
            std::fs::write(&path, &data).unwrap();
            let events: Vec<_> =
                ingest(std::slice::from_ref(&path), &IngestOptions::default()).collect();
            let a = articles(&events);
            let ids: Vec<_> = a.iter().map(|a| a.article.id.as_str()).collect();
            assert_eq!(ids, ["1", "2", "3"]);
            assert_eq!(
                a[2].location,
                Location {
                    file: path,
                    line: Some(3)
                }
            );
            // Compressed bytes: whatever the split, never more than the file.
            assert!(a.iter().map(|a| a.bytes).sum::<u64>() <= data.len() as u64);
        }

        #[test]
        fn gzip_is_detected_by_content_not_name() {
            let dir = tempfile::TempDir::new().unwrap();
            let zipped = dir.path().join("a.jsonl");
            std::fs::write(&zipped, gzip(b"{\"title\":\"z\"}\n")).unwrap();
            let plain = dir.path().join("b.ndjson.gz");
            std::fs::write(&plain, b"{\"title\":\"p\"}\n").unwrap();
            let events: Vec<_> = ingest(&[zipped, plain], &IngestOptions::default()).collect();
            let titles: Vec<_> = articles(&events)
                .iter()
                .map(|a| a.article.title.clone())
                .collect();
            assert_eq!(titles, ["z", "p"]);
        }

        #[test]
        fn truncated_gzip_is_reported() {
            let dir = tempfile::TempDir::new().unwrap();
            let mut lines = String::new();
            for i in 0..2000 {
                lines.push_str(&format!(
                    "{{\"id\":{i},\"title\":\"عنوان طويل نسبياً رقم {i}\"}}\n"
                ));
            }
            let data = gzip(lines.as_bytes());
            let path = dir.path().join("cut.jsonl.gz");
            std::fs::write(&path, &data[..data.len() / 2]).unwrap();
            let events: Vec<_> =
                ingest(std::slice::from_ref(&path), &IngestOptions::default()).collect();
            let (last, good) = events.split_last().unwrap();
            assert!(!good.is_empty() && good.len() < 2000, "{}", good.len());
            assert!(matches!(
                last,
                IngestEvent::Unreadable { path: p, reason } if *p == path && reason.starts_with("read error after line")
            ));
        }

        #[test]
        fn empty_file_yields_nothing() {
            let dir = tempfile::TempDir::new().unwrap();
            let path = dir.path().join("empty.jsonl");
            std::fs::write(&path, b"").unwrap();
            assert_eq!(ingest(&[path], &IngestOptions::default()).count(), 0);
        }
    }

    fn json_fragments() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "{",
            "}",
            "[",
            "]",
            "\"",
            ":",
            ",",
            "\"title\"",
            "\"body\"",
            "\"id\"",
            "\"date\"",
            "\"x\"",
            "1",
            "-1.5e3",
            "null",
            "true",
            "\"٢٣ أكتوبر ٢٠٢٤\"",
            "\"2024-01-01T00:00:00Z\"",
            " ",
            "\\u0000",
            "\\ud800",
            "\"نص\"",
        ]);
        prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn parse_json_record_never_panics(s in any::<String>(), f in json_fragments()) {
            for line in [&s, &f] {
                if let Ok((a, _)) = parse_json_record(line) {
                    prop_assert!(!a.id.is_empty());
                    prop_assert!(!a.title.is_empty() || !a.body.is_empty());
                    prop_assert_eq!(a.title.trim(), a.title.as_str());
                }
            }
        }

        #[test]
        fn reader_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512), max in 1usize..64) {
            let options = IngestOptions { max_record_bytes: max };
            let lines = bytes.split(|&b| b == b'\n').count() as u64;
            let mut last_line = 0;
            for event in read_with(&bytes, &options) {
                let line = match &event {
                    IngestEvent::Article(a) => a.location.line,
                    IngestEvent::Rejected(r) => r.location.line,
                    other => panic!("unexpected {other:?}"),
                };
                let line = line.unwrap();
                prop_assert!(line > last_line && line <= lines);
                last_line = line;
            }
        }
    }
}
