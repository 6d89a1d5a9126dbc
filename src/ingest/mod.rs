//! Ingest: turning files into [`Article`]s.
//!
//! [`ingest`] takes the paths given on the command line and returns a lazy
//! iterator of [`IngestEvent`]s. Data flows one way:
//!
//! ```text
//! paths ──► walk (directories, sorted, hidden entries skipped)
//!       ──► dispatch by extension
//!             .jsonl .ndjson (.gz) ──► jsonl::JsonlReader ──► one event per line
//!             .txt                 ──► scraped::parse_scraped ──► one event per file
//!             anything else        ──► SkippedFile
//!       ──► IngestEvent::{Article, Rejected, SkippedFile, Unreadable}
//! ```
//!
//! Nothing is read ahead: a file is opened only when the iterator reaches it,
//! and JSONL is read one line at a time into a reused buffer, so memory stays
//! at the size of the longest record however large the archive is.
//!
//! Problems are data, not errors: a bad record becomes [`IngestEvent::Rejected`]
//! with its file and line, a file that cannot be opened becomes
//! [`IngestEvent::Unreadable`], and the iteration goes on. Recoverable oddities
//! inside an accepted article (an unparseable date, unknown JSON fields) ride
//! along as [`Warning`]s. The caller decides what to count, print and
//! which exit code to use.
//!
//! This module knows nothing about the index.

pub mod date;
pub mod jsonl;
pub mod scraped;

use std::collections::VecDeque;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use walkdir::{DirEntry, WalkDir};

use crate::article::Article;

pub use jsonl::{parse_json_record, JsonlReader};
pub use scraped::parse_scraped;

/// Default for [`IngestOptions::max_record_bytes`]: 64 MiB.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 64 * 1024 * 1024;

/// Where a record came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    /// The file, as reached from the given path; `<stdin>` for standard input.
    pub file: PathBuf,
    /// 1-based line number, for line-oriented formats and for errors that
    /// point into a file.
    pub line: Option<u64>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.file.display()),
            None => write!(f, "{}", self.file.display()),
        }
    }
}

/// Something odd about an article that was still accepted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Warning {
    /// JSON fields this reader does not know, sorted by name. They are
    /// ignored; report each name once in a summary rather than per record.
    UnknownFields(Vec<String>),
    /// A date (as written) that could not be parsed; the article is kept
    /// without a date.
    BadDate(String),
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::UnknownFields(names) => {
                write!(f, "unknown fields ignored: {}", names.join(", "))
            }
            Warning::BadDate(text) => {
                write!(f, "unparseable date {text:?}; article kept without a date")
            }
        }
    }
}

/// Why a record was rejected. [`Rejected::reason`] holds its message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// The bytes are not UTF-8. `offset` counts from the start of the file
    /// (of the decompressed stream for gzip input).
    #[error("invalid UTF-8 at byte offset {offset}")]
    InvalidUtf8 {
        /// Offset of the first bad byte.
        offset: u64,
    },
    /// A NUL byte: binary data, not text.
    #[error("binary data: NUL byte at byte offset {offset}")]
    Nul {
        /// Offset of the NUL byte, from the start of the file.
        offset: u64,
    },
    /// A NUL byte in the first KiB of a JSONL file that does not start like
    /// JSON, or on its first line: the file is binary, and is skipped as a
    /// whole instead of rejected line by line.
    #[error("binary file (NUL byte at byte offset {offset}); rest of file skipped")]
    BinaryFile {
        /// Offset of the NUL byte, from the start of the file.
        offset: u64,
    },
    /// The file starts with a UTF-16 byte order mark.
    #[error("file is UTF-16; convert it to UTF-8")]
    Utf16,
    /// The line is not JSON.
    #[error("invalid JSON at column {column}: {message}")]
    Json {
        /// 1-based column (in bytes) where the JSON parser stopped.
        column: usize,
        /// The JSON parser's message.
        message: String,
    },
    /// The line is JSON but not an object.
    #[error("expected a JSON object, found {found}")]
    NotAnObject {
        /// The JSON type found.
        found: &'static str,
    },
    /// A known field has the wrong JSON type.
    #[error("field `{field}` must be {expected}, found {found}")]
    FieldType {
        /// The field's name.
        field: &'static str,
        /// What it should have been.
        expected: &'static str,
        /// The JSON type found.
        found: &'static str,
    },
    /// Both title and body are missing or blank.
    #[error("article has no title or body")]
    Empty,
    /// The record exceeds [`IngestOptions::max_record_bytes`].
    #[error("record larger than the limit of {limit} bytes")]
    TooLarge {
        /// The limit in force.
        limit: usize,
    },
}

/// An accepted article and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ingested {
    /// The article.
    pub article: Article,
    /// Its file (and line, for JSONL).
    pub location: Location,
    /// Oddities that did not stop it.
    pub warnings: Vec<Warning>,
    /// Bytes of input this record consumed, for progress: on-disk bytes
    /// since the previous event of the same file (so blank lines count with
    /// the next record). For gzip input these are compressed bytes, which
    /// arrive in chunks: some records report 0, the next a whole chunk.
    pub bytes: u64,
}

/// A record that could not become an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// Its file, and line when known.
    pub location: Location,
    /// Why, as a message (see [`RecordError`]).
    pub reason: String,
    /// The start of the record, lossily decoded and cut to about 1000
    /// characters, for showing to the user.
    pub raw: Option<String>,
}

/// One step of ingestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestEvent {
    /// An article to index.
    Article(Ingested),
    /// A record that was skipped; the rest of its file goes on.
    Rejected(Rejected),
    /// A file that is not an archive format (e.g. .png, .pdf, binary) — counted, not an error.
    SkippedFile {
        /// The file.
        path: PathBuf,
        /// Why it was skipped.
        reason: String,
    },
    /// A path that could not be read at all (nonexistent, permission denied, symlink loop) — reported.
    /// Also used when reading fails part way through a file (e.g. truncated
    /// gzip); the reason then says after which line, and the records before
    /// it have already been delivered.
    Unreadable {
        /// The path.
        path: PathBuf,
        /// Why, e.g. "no such file or directory".
        reason: String,
    },
}

/// Knobs for [`ingest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestOptions {
    /// Largest accepted record: a JSONL line (without its newline) or a whole
    /// scraped `.txt` file. Larger ones are rejected without being buffered.
    pub max_record_bytes: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        Self {
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
        }
    }
}

/// Streams the articles found under `paths`.
///
/// Each path may be a file, a directory (walked recursively in file-name
/// order, following symlinks, skipping entries whose name starts with `.`) or
/// `-` for JSONL on standard input. Files are read by extension,
/// case-insensitively: `.jsonl`, `.ndjson` and their `.gz` forms as JSONL
/// (gzip is detected by its magic bytes, so a misnamed file still reads),
/// `.txt` as a scraped page; anything else is reported as skipped.
///
/// The ids of scraped pages are their path relative to the directory given,
/// without the extension, with `/` separators (`2021/0001_madina`); for a file
/// given directly, just its stem. Index the same way each time to keep ids
/// stable.
pub fn ingest(paths: &[PathBuf], options: &IngestOptions) -> Ingest {
    Ingest {
        paths: paths.iter().cloned().collect(),
        options: options.clone(),
        walk: None,
        current: None,
    }
}

/// The sum of the sizes of the files [`ingest`] would read, for a progress
/// estimate to compare with [`Ingested::bytes`]. Reads metadata only. `None`
/// when standard input is among the paths; paths that cannot be read count 0.
pub fn total_input_bytes(paths: &[PathBuf]) -> Option<u64> {
    let mut total = 0u64;
    for path in paths {
        if is_stdin(path) {
            return None;
        }
        let Ok(meta) = fs::metadata(path) else {
            continue;
        };
        if meta.is_dir() {
            let entries = WalkDir::new(path)
                .follow_links(true)
                .into_iter()
                .filter_entry(is_visible)
                .flatten();
            for entry in entries {
                if entry.file_type().is_file() && Format::of(entry.path()).is_some() {
                    total += entry.metadata().map_or(0, |m| m.len());
                }
            }
        } else if Format::of(path).is_some() {
            total += meta.len();
        }
    }
    Some(total)
}

/// The iterator returned by [`ingest`].
pub struct Ingest {
    paths: VecDeque<PathBuf>,
    options: IngestOptions,
    walk: Option<Walk>,
    current: Option<JsonlReader<Box<dyn BufRead + Send>>>,
}

struct Walk {
    root: PathBuf,
    entries: walkdir::FilterEntry<walkdir::IntoIter, fn(&DirEntry) -> bool>,
}

impl Iterator for Ingest {
    type Item = IngestEvent;

    fn next(&mut self) -> Option<IngestEvent> {
        loop {
            if let Some(reader) = &mut self.current {
                if let Some(event) = reader.next() {
                    return Some(event);
                }
                self.current = None;
            }
            if let Some(walk) = &mut self.walk {
                let (path, relative) = match walk.entries.next() {
                    None => {
                        self.walk = None;
                        continue;
                    }
                    Some(Err(e)) => return Some(walk_error(&e, &walk.root)),
                    Some(Ok(entry)) if entry.file_type().is_dir() => continue,
                    Some(Ok(entry)) if !entry.file_type().is_file() => {
                        return Some(IngestEvent::SkippedFile {
                            path: entry.into_path(),
                            reason: "not a regular file".into(),
                        });
                    }
                    Some(Ok(entry)) => {
                        let relative = entry
                            .path()
                            .strip_prefix(&walk.root)
                            .map(Path::to_path_buf)
                            .unwrap_or_else(|_| entry.file_name().into());
                        (entry.into_path(), relative)
                    }
                };
                match self.open_file(path, &relative) {
                    Some(event) => return Some(event),
                    None => continue,
                }
            }
            let path = self.paths.pop_front()?;
            if let Some(event) = self.open_path(path) {
                return Some(event);
            }
        }
    }
}

impl std::iter::FusedIterator for Ingest {}

impl Ingest {
    /// Makes an opened JSONL stream the one to drain, or reports why it could not be opened.
    fn start_jsonl(
        &mut self,
        opened: io::Result<JsonlReader<Box<dyn BufRead + Send>>>,
        path: PathBuf,
    ) -> Option<IngestEvent> {
        match opened {
            Ok(reader) => {
                self.current = Some(reader);
                None
            }
            Err(e) => Some(IngestEvent::Unreadable {
                path,
                reason: io_reason(&e),
            }),
        }
    }

    /// Starts on a path given by the caller. Returns an event to emit, or
    /// `None` after setting up a walk or a JSONL reader to drain.
    fn open_path(&mut self, path: PathBuf) -> Option<IngestEvent> {
        if is_stdin(&path) {
            let opened = open_jsonl_stream(io::stdin(), "<stdin>".into(), &self.options);
            return self.start_jsonl(opened, path);
        }
        match fs::metadata(&path) {
            Err(e) => Some(IngestEvent::Unreadable {
                path,
                reason: io_reason(&e),
            }),
            Ok(meta) if meta.is_dir() => {
                let entries = WalkDir::new(&path)
                    .follow_links(true)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_entry(is_visible as fn(&DirEntry) -> bool);
                self.walk = Some(Walk {
                    root: path,
                    entries,
                });
                None
            }
            Ok(_) => {
                let relative = path.file_name().map_or_else(|| path.clone(), PathBuf::from);
                self.open_file(path, &relative)
            }
        }
    }

    /// Dispatches one file by extension. `relative` is its path below the
    /// walked root, from which scraped pages get their id.
    fn open_file(&mut self, path: PathBuf, relative: &Path) -> Option<IngestEvent> {
        match Format::of(&path) {
            None => Some(IngestEvent::SkippedFile {
                reason: unsupported_reason(&path),
                path,
            }),
            Some(Format::Scraped) => Some(scraped::read_file(
                path,
                scraped_id(relative),
                self.options.max_record_bytes,
            )),
            Some(Format::Jsonl) => {
                let opened = File::open(&path)
                    .and_then(|file| open_jsonl_stream(file, path.clone(), &self.options));
                self.start_jsonl(opened, path)
            }
        }
    }
}

/// Input formats, chosen by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Jsonl,
    Scraped,
}

impl Format {
    fn of(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_string_lossy().to_lowercase();
        let jsonl = [".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"];
        if jsonl.iter().any(|ext| name.ends_with(ext)) {
            Some(Format::Jsonl)
        } else if name.ends_with(".txt") {
            Some(Format::Scraped)
        } else {
            None
        }
    }
}

fn unsupported_reason(path: &Path) -> String {
    match path.extension() {
        Some(ext) => format!("unsupported file type `.{}`", ext.to_string_lossy()),
        None => "unsupported file type (no extension)".into(),
    }
}

fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Hidden entries (dot files, `.git`) are skipped; the root itself is always
/// walked, even when it is `.` or a hidden directory named explicitly.
fn is_visible(entry: &DirEntry) -> bool {
    entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
}

/// The id of a scraped page: its relative path without the extension, with
/// `/` separators whatever the platform.
fn scraped_id(relative: &Path) -> String {
    let stem = relative.with_extension("");
    let parts: Vec<_> = stem
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(part) => Some(part.to_string_lossy()),
            _ => None,
        })
        .collect();
    parts.join("/")
}

fn walk_error(e: &walkdir::Error, root: &Path) -> IngestEvent {
    let path = e.path().unwrap_or(root).to_path_buf();
    let reason = match (e.loop_ancestor(), e.io_error()) {
        (Some(ancestor), _) => format!("symlink loop: leads back to {}", ancestor.display()),
        (None, Some(io)) => io_reason(io),
        (None, None) => e.to_string(),
    };
    IngestEvent::Unreadable { path, reason }
}

/// A short, lowercase reason for an I/O error, without the OS error number
/// for the common cases.
pub(crate) fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Counts the bytes read from the underlying file, so progress can be
/// reported in on-disk bytes even when the stream is decompressed.
struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Wraps a raw byte stream for [`JsonlReader`], decompressing it when it
/// starts with the gzip magic bytes.
fn open_jsonl_stream<R: Read + Send + 'static>(
    raw: R,
    name: PathBuf,
    options: &IngestOptions,
) -> io::Result<JsonlReader<Box<dyn BufRead + Send>>> {
    const BUF_SIZE: usize = 64 * 1024;
    let count = Arc::new(AtomicU64::new(0));
    let mut input = BufReader::with_capacity(
        BUF_SIZE,
        CountingReader {
            inner: raw,
            count: Arc::clone(&count),
        },
    );
    let is_gzip = loop {
        match input.fill_buf() {
            Ok(buf) => break buf.starts_with(&[0x1f, 0x8b]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    };
    Ok(if is_gzip {
        let decoded = flate2::bufread::MultiGzDecoder::new(input);
        let reader: Box<dyn BufRead + Send> = Box::new(BufReader::with_capacity(BUF_SIZE, decoded));
        JsonlReader::new(reader, name, options).with_raw_byte_counter(count)
    } else {
        JsonlReader::new(Box::new(input), name, options)
    })
}

/// Cuts `bytes` to a short, printable excerpt for [`Rejected::raw`].
pub(crate) fn raw_excerpt(bytes: &[u8]) -> String {
    const MAX_CHARS: usize = 1000;
    // A char is at most 4 bytes; decode no more than needed.
    let head = &bytes[..bytes.len().min(MAX_CHARS * 4 + 4)];
    let text = String::from_utf8_lossy(head);
    match text.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None if head.len() < bytes.len() => format!("{text}…"),
        None => text.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use tempfile::TempDir;

    fn write(dir: &Path, rel: &str, content: &[u8]) -> PathBuf {
        let path = dir.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, content).unwrap();
        path
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    fn collect(paths: &[PathBuf]) -> Vec<IngestEvent> {
        ingest(paths, &IngestOptions::default()).collect()
    }

    fn article(event: &IngestEvent) -> &Ingested {
        match event {
            IngestEvent::Article(a) => a,
            other => panic!("expected an article, got {other:?}"),
        }
    }

    const PAGE: &str = "عنوان الخبر\n● سياسة ٢٣ أكتوبر ٢٠٢٤\n\nفقرة أولى.\n";

    #[test]
    fn walks_directories_in_sorted_order_and_dispatches_by_extension() {
        let dir = TempDir::new().unwrap();
        let root = dir.path();
        write(
            root,
            "b.jsonl",
            b"{\"id\":\"j1\",\"title\":\"t1\"}\n{\"id\":\"j2\",\"body\":\"b2\"}\n",
        );
        write(root, "2021/0001_madina.txt", PAGE.as_bytes());
        write(root, "a.png", b"\x89PNG");
        write(
            root,
            "c.ndjson.gz",
            &gzip(b"{\"id\":\"g1\",\"title\":\"t\"}\n"),
        );
        write(root, ".hidden.jsonl", b"{\"id\":\"h\",\"title\":\"t\"}\n");
        write(root, ".git/x.jsonl", b"{\"id\":\"h\",\"title\":\"t\"}\n");
        write(root, "d.NDJSON", b"{\"id\":\"u1\",\"title\":\"t\"}\n");

        let events = collect(&[root.to_path_buf()]);
        let summary: Vec<String> = events
            .iter()
            .map(|e| match e {
                IngestEvent::Article(a) => format!("article {}", a.article.id),
                IngestEvent::SkippedFile { path, .. } => {
                    format!("skipped {}", path.file_name().unwrap().to_string_lossy())
                }
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            summary,
            [
                "article 2021/0001_madina",
                "skipped a.png",
                "article j1",
                "article j2",
                "article g1",
                "article u1",
            ]
        );
        let page = article(&events[0]);
        assert_eq!(page.location.file, root.join("2021/0001_madina.txt"));
        assert_eq!(page.location.line, None);
        assert_eq!(page.article.category.as_deref(), Some("سياسة"));
        assert_eq!(article(&events[3]).location.line, Some(2));
    }

    #[test]
    fn explicit_files() {
        let dir = TempDir::new().unwrap();
        let txt = write(dir.path(), "sub/0007_page.TXT", PAGE.as_bytes());
        let pdf = write(dir.path(), "report.pdf", b"%PDF");
        let none = write(dir.path(), "README", b"hello");
        let events = collect(&[txt, pdf.clone(), none.clone()]);
        assert_eq!(events.len(), 3);
        assert_eq!(article(&events[0]).article.id, "0007_page");
        assert_eq!(
            events[1],
            IngestEvent::SkippedFile {
                path: pdf,
                reason: "unsupported file type `.pdf`".into()
            }
        );
        assert_eq!(
            events[2],
            IngestEvent::SkippedFile {
                path: none,
                reason: "unsupported file type (no extension)".into()
            }
        );
    }

    #[test]
    fn nonexistent_path_is_unreadable() {
        let dir = TempDir::new().unwrap();
        let missing = dir.path().join("nope.jsonl");
        let events = collect(std::slice::from_ref(&missing));
        assert_eq!(
            events,
            [IngestEvent::Unreadable {
                path: missing,
                reason: "no such file or directory".into()
            }]
        );
    }

    #[test]
    fn carries_on_after_an_unreadable_path() {
        let dir = TempDir::new().unwrap();
        let good = write(dir.path(), "a.jsonl", b"{\"title\":\"t\"}\n");
        let events = collect(&[dir.path().join("missing"), good]);
        assert_eq!(events.len(), 2);
        assert!(matches!(events[0], IngestEvent::Unreadable { .. }));
        assert_eq!(article(&events[1]).article.title, "t");
    }

    #[cfg(unix)]
    #[test]
    fn follows_symlinked_directories() {
        let dir = TempDir::new().unwrap();
        let data = TempDir::new().unwrap();
        write(
            data.path(),
            "x.jsonl",
            b"{\"id\":\"linked\",\"title\":\"t\"}\n",
        );
        std::os::unix::fs::symlink(data.path(), dir.path().join("link")).unwrap();
        let events = collect(&[dir.path().to_path_buf()]);
        assert_eq!(events.len(), 1);
        let a = article(&events[0]);
        assert_eq!(a.article.id, "linked");
        assert_eq!(a.location.file, dir.path().join("link/x.jsonl"));
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_reported_not_followed_forever() {
        let dir = TempDir::new().unwrap();
        write(dir.path(), "sub/a.jsonl", b"{\"title\":\"t\"}\n");
        // A link back to an ancestor, and a link to itself.
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/up")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("self"), dir.path().join("self")).unwrap();
        let events = collect(&[dir.path().to_path_buf()]);
        let articles = events
            .iter()
            .filter(|e| matches!(e, IngestEvent::Article(_)))
            .count();
        let unreadable: Vec<_> = events
            .iter()
            .filter_map(|e| match e {
                IngestEvent::Unreadable { path, reason } => Some((path.clone(), reason.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(articles, 1);
        assert_eq!(unreadable.len(), 2, "{events:?}");
        assert!(unreadable
            .iter()
            .any(|(p, r)| p.ends_with("sub/up") && r.starts_with("symlink loop")));
        assert!(unreadable.iter().any(|(p, _)| p.ends_with("self")));

        // The same loop given directly as a path.
        let events = collect(&[dir.path().join("self")]);
        assert!(matches!(&events[..], [IngestEvent::Unreadable { .. }]));
    }

    #[cfg(unix)]
    #[test]
    fn dangling_symlink_is_unreadable() {
        let dir = TempDir::new().unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone.jsonl"), dir.path().join("a.jsonl"))
            .unwrap();
        let events = collect(&[dir.path().to_path_buf()]);
        assert!(
            matches!(&events[..], [IngestEvent::Unreadable { path, .. }] if path.ends_with("a.jsonl")),
            "{events:?}"
        );
    }

    #[test]
    fn files_are_opened_lazily() {
        let dir = TempDir::new().unwrap();
        write(dir.path(), "a.jsonl", b"{\"title\":\"first\"}\n");
        let second = write(dir.path(), "b.jsonl", b"{\"title\":\"old\"}\n");
        let mut events = ingest(&[dir.path().to_path_buf()], &IngestOptions::default());
        assert_eq!(article(&events.next().unwrap()).article.title, "first");
        // b.jsonl is read only now, so the new content is what comes out.
        fs::write(&second, b"{\"title\":\"new\"}\n").unwrap();
        assert_eq!(article(&events.next().unwrap()).article.title, "new");
        assert_eq!(events.next(), None);
        assert_eq!(events.next(), None);
    }

    #[test]
    fn txt_rejections() {
        let dir = TempDir::new().unwrap();
        let bad_utf8 = write(dir.path(), "a.txt", b"title\n\nbody \xff here\n");
        let nul = write(dir.path(), "b.txt", b"title\nbo\0dy\n");
        let empty = write(dir.path(), "c.txt", b"\n  \n");
        let big = write(dir.path(), "d.txt", &[b'x'; 101]);
        let utf16 = write(dir.path(), "e.txt", b"\xff\xfet\0i\0");
        let options = IngestOptions {
            max_record_bytes: 100,
        };
        let events: Vec<_> = ingest(&[dir.path().to_path_buf()], &options).collect();
        let rejected: Vec<_> = events
            .iter()
            .map(|e| match e {
                IngestEvent::Rejected(r) => (r.location.clone(), r.reason.clone()),
                other => panic!("expected a rejection, got {other:?}"),
            })
            .collect();
        assert_eq!(
            rejected,
            [
                (
                    Location {
                        file: bad_utf8,
                        line: Some(3)
                    },
                    "invalid UTF-8 at byte offset 12".to_string()
                ),
                (
                    Location {
                        file: nul,
                        line: Some(2)
                    },
                    "binary data: NUL byte at byte offset 8".to_string()
                ),
                (
                    Location {
                        file: empty,
                        line: None
                    },
                    "article has no title or body".to_string()
                ),
                (
                    Location {
                        file: big,
                        line: None
                    },
                    "record larger than the limit of 100 bytes".to_string()
                ),
                (
                    Location {
                        file: utf16,
                        line: None
                    },
                    "file is UTF-16; convert it to UTF-8".to_string()
                ),
            ]
        );
    }

    #[test]
    fn scraped_ids_use_forward_slashes_without_extension() {
        assert_eq!(
            scraped_id(Path::new("2021/0001_madina.txt")),
            "2021/0001_madina"
        );
        assert_eq!(scraped_id(Path::new("a.b.txt")), "a.b");
        assert_eq!(scraped_id(Path::new("x.txt")), "x");
    }

    #[test]
    fn bytes_add_up_to_the_input_size() {
        let dir = TempDir::new().unwrap();
        let mut lines = String::new();
        for i in 0..500 {
            lines.push_str(&format!("{{\"id\":{i},\"title\":\"عنوان {i}\"}}\n\n"));
        }
        write(dir.path(), "a.jsonl", lines.as_bytes());
        write(dir.path(), "b.jsonl.gz", &gzip(lines.as_bytes()));
        write(dir.path(), "c.txt", PAGE.as_bytes());
        write(dir.path(), "d.png", b"not counted");
        let paths = [dir.path().to_path_buf()];
        let total = total_input_bytes(&paths).unwrap();
        let expected: u64 = ["a.jsonl", "b.jsonl.gz", "c.txt"]
            .iter()
            .map(|f| fs::metadata(dir.path().join(f)).unwrap().len())
            .sum();
        assert_eq!(total, expected);
        let consumed: u64 = collect(&paths)
            .iter()
            .filter_map(|e| match e {
                IngestEvent::Article(a) => Some(a.bytes),
                _ => None,
            })
            .sum();
        // gzip's trailer may be read after the last record; nothing else is lost.
        assert!(
            consumed <= total && total - consumed < 64,
            "{consumed} vs {total}"
        );
    }

    #[test]
    fn total_input_bytes_of_files_and_stdin() {
        let dir = TempDir::new().unwrap();
        let a = write(dir.path(), "a.jsonl", b"12345");
        let b = write(dir.path(), "b.bin", b"123");
        assert_eq!(total_input_bytes(&[a.clone(), b.clone()]), Some(5));
        assert_eq!(total_input_bytes(&[dir.path().join("missing")]), Some(0));
        assert_eq!(total_input_bytes(&[a, PathBuf::from("-")]), None);
    }

    #[test]
    fn display_impls() {
        let with_line = Location {
            file: PathBuf::from("data/a.jsonl"),
            line: Some(7),
        };
        assert_eq!(with_line.to_string(), "data/a.jsonl:7");
        let without = Location {
            file: PathBuf::from("data/b.txt"),
            line: None,
        };
        assert_eq!(without.to_string(), "data/b.txt");
        assert_eq!(
            Warning::UnknownFields(vec!["lang".into(), "tags".into()]).to_string(),
            "unknown fields ignored: lang, tags"
        );
        assert_eq!(
            Warning::BadDate("أمس".into()).to_string(),
            "unparseable date \"أمس\"; article kept without a date"
        );
    }

    #[test]
    fn raw_excerpt_truncates_long_records() {
        assert_eq!(raw_excerpt(b"short \xff"), "short \u{FFFD}");
        let long = "ب".repeat(5000);
        let excerpt = raw_excerpt(long.as_bytes());
        assert_eq!(excerpt.chars().count(), 1001);
        assert!(excerpt.ends_with('…'));
    }

    #[test]
    fn ingest_can_move_to_another_thread() {
        fn assert_send<T: Send>(_: &T) {}
        let it = ingest(&[], &IngestOptions::default());
        assert_send(&it);
        assert_eq!(it.count(), 0);
    }
}
