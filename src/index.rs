//! The archive: a tantivy index of articles with fahras's schema and analyzers.
//!
//! [`Archive`] owns the index (in a directory or in memory), registers the Arabic analyzers on
//! every open, and checks the stamp that records which analyzer version built the index, so an
//! index is never searched with analyzers that would produce other terms. [`ArchiveWriter`]
//! adds articles (upsert by id), deletes them and commits atomically.
//!
//! Each of title and body is indexed twice from the same text: once with the light-stemming
//! analyzer (recall: any inflection matches) and once with the exact analyzer (normalized
//! surface forms), so that an article with the exact word form can rank above one that only
//! shares the stem.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tantivy::collector::Count;
use tantivy::directory::error::LockError;
use tantivy::query::TermQuery;
use tantivy::schema::document::{DeserializeError, DocumentDeserialize, DocumentDeserializer};
use tantivy::schema::{
    Field, IndexRecordOption, OwnedValue, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED,
    STORED, STRING,
};
use tantivy::tokenizer::TokenStream as _;
use tantivy::{DateTime, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, Term};

use crate::analysis::stemmer::LightStemmer;
use crate::analysis::{register_analyzers, AnalyzerSpec, ANALYZER_VERSION};
use crate::article::Article;
use crate::error::{Error, Result};
use crate::variants::{FormPairs, VariantMap, VariantMapBuilder, VARIANTS_FILE};

mod document;
use document::ArticleDocument;

/// The file in an index directory that records who built it.
pub const STAMP_FILE: &str = "fahras.json";

/// The schema version; bump when fields change.
pub const SCHEMA_VERSION: u32 = 4;

/// The analyzer for stemmed text fields.
pub const STEMMED: AnalyzerSpec = AnalyzerSpec::LIGHT;
/// The analyzer for exact-form text fields: normalized words without the stopwords. A
/// stopword has no other form for its exact form to tell apart, so its exact-form postings
/// only counted it a second time (the stemmed fields keep it), and they were the longest
/// lists of those fields. Without them: arcd nDCG@10 0.826 → 0.830, news-titles 0.871 →
/// 0.869, and less to index (docs/evaluation.md).
pub const EXACT: AnalyzerSpec = AnalyzerSpec::EXACT.with_stopwords();

/// What is written to [`STAMP_FILE`].
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct IndexStamp {
    pub schema_version: u32,
    pub analyzer_version: u32,
    pub created_by: String,
}

impl IndexStamp {
    fn current() -> IndexStamp {
        IndexStamp {
            schema_version: SCHEMA_VERSION,
            analyzer_version: ANALYZER_VERSION,
            created_by: format!("fahras {}", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// The fields of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    /// The title as written (stored only).
    pub title_text: Field,
    /// The body as written (stored only).
    pub body_text: Field,
    pub title: Field,
    pub title_exact: Field,
    pub body: Field,
    pub body_exact: Field,
    /// The lead: the first [`LEAD_CHARS`] characters of the body, stemmed. News writing puts
    /// the key words of a story in its first sentences (the inverted pyramid).
    pub lead: Field,
    pub date: Field,
    pub source: Field,
    pub category: Field,
    pub author: Field,
    pub url: Field,
}

impl Fields {
    fn from_schema(schema: &Schema) -> Result<Fields, String> {
        let get = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| format!("the schema has no field {name:?}"))
        };
        Ok(Fields {
            id: get("id")?,
            title_text: get("title_text")?,
            body_text: get("body_text")?,
            title: get("title")?,
            title_exact: get("title_exact")?,
            body: get("body")?,
            body_exact: get("body_exact")?,
            lead: get("lead")?,
            date: get("date")?,
            source: get("source")?,
            category: get("category")?,
            author: get("author")?,
            url: get("url")?,
        })
    }
}

/// Analysis choices of an archive's schema. The defaults are what `fahras index` builds; the
/// others exist so that `fahras eval` can measure them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaOptions {
    /// The analyzer of the stemmed `title` and `body` fields.
    pub stemmed: AnalyzerSpec,
    /// The analyzer of the exact-form fields.
    pub exact: AnalyzerSpec,
}

impl Default for SchemaOptions {
    fn default() -> Self {
        SchemaOptions {
            stemmed: STEMMED,
            exact: EXACT,
        }
    }
}

/// The schema of an archive.
pub fn schema() -> Schema {
    schema_with(SchemaOptions::default())
}

/// The schema of an archive with other analysis choices.
pub fn schema_with(options: SchemaOptions) -> Schema {
    // Exact-form fields keep no positions: phrases are matched on the stemmed fields, and the
    // exact form only adds to the score of single words. This keeps the index small.
    let text = |spec: AnalyzerSpec, positions: bool| {
        let record = if positions {
            IndexRecordOption::WithFreqsAndPositions
        } else {
            IndexRecordOption::WithFreqs
        };
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(spec.name())
            .set_index_option(record);
        TextOptions::default().set_indexing_options(indexing)
    };
    let mut builder = Schema::builder();
    builder.add_text_field("id", STRING | STORED);
    // The texts are stored apart from their indexed fields, which are fed pre-tokenized
    // (tantivy would otherwise store every token with them).
    builder.add_text_field("title_text", STORED);
    builder.add_text_field("body_text", STORED);
    builder.add_text_field("title", text(options.stemmed, true));
    builder.add_text_field("title_exact", text(options.exact, false));
    builder.add_text_field("body", text(options.stemmed, true));
    builder.add_text_field("body_exact", text(options.exact, false));
    let lead_indexing = TextFieldIndexing::default()
        .set_tokenizer(options.stemmed.name())
        .set_index_option(IndexRecordOption::WithFreqs);
    builder.add_text_field(
        "lead",
        TextOptions::default().set_indexing_options(lead_indexing),
    );
    builder.add_date_field("date", INDEXED | FAST | STORED);
    builder.add_text_field("source", STRING | FAST | STORED);
    builder.add_text_field("category", STRING | FAST | STORED);
    builder.add_text_field("author", STRING | STORED);
    builder.add_text_field("url", STORED);
    builder.build()
}

/// Bytes of text per compressed block of the document store. A search reads the ten articles
/// of its page, and reading one decompresses its whole block: with tantivy's 16 KB blocks
/// (five articles of a news archive) that was most of the cost of fetching them. 4 KB blocks
/// hold one or two articles; they make the index about 4% larger (measured on the 31.5k
/// articles of `ant_multisource`: 89.0 → 93.1 MB) and a search 0.05 ms faster.
const DOCSTORE_BLOCK_BYTES: usize = 4096;

/// An index with fahras's settings (saved with the index: an index keeps the settings it was
/// created with).
fn index_builder(schema: Schema) -> tantivy::IndexBuilder {
    Index::builder()
        .schema(schema)
        .settings(tantivy::IndexSettings {
            docstore_blocksize: DOCSTORE_BLOCK_BYTES,
            // Each block is compressed by the indexing thread that filled it. tantivy's
            // default hands every block to a compressor thread of its own: with our small
            // blocks that is a wake-up and a context switch every 4 KB, and on a machine whose
            // cores the indexing threads already keep busy the extra thread only competes with
            // them (measured on 2 cores: indexing about 10% faster, a third less system time).
            docstore_compress_dedicated_thread: false,
            ..tantivy::IndexSettings::default()
        })
}

/// The stored values of a document as they come out of the store, each moved into the
/// [`Article`] (a `TantivyDocument` would be one more copy of every text).
struct StoredFields(Vec<(Field, OwnedValue)>);

impl DocumentDeserialize for StoredFields {
    fn deserialize<'de, D>(mut deserializer: D) -> std::result::Result<Self, DeserializeError>
    where
        D: DocumentDeserializer<'de>,
    {
        let mut values = Vec::with_capacity(deserializer.size_hint());
        while let Some(value) = deserializer.next_field::<OwnedValue>()? {
            values.push(value);
        }
        Ok(StoredFields(values))
    }
}

/// An archive of articles: a tantivy index with fahras's schema and analyzers.
///
/// ```
/// use fahras::{Archive, Article};
///
/// let archive = Archive::in_memory().unwrap();
/// let mut writer = archive.writer(50_000_000, 1).unwrap();
/// writer.upsert(&Article {
///     id: "a1".into(),
///     title: "افتتاح معرض الكتاب".into(),
///     body: "افتُتح اليوم معرض الكتاب في المدينة.".into(),
///     ..Article::default()
/// }).unwrap();
/// writer.commit().unwrap();
/// assert_eq!(archive.num_articles(), 1);
/// ```
pub struct Archive {
    index: Index,
    options: SchemaOptions,
    reader: IndexReader,
    fields: Fields,
    location: Option<PathBuf>,
    /// The spelling variants of the indexed terms, once loaded or built.
    variants: Mutex<Option<Arc<VariantMap>>>,
}

/// Streams the terms of `field` in one segment that are made of Arabic letters, with their
/// document frequencies: only those (U+0621..U+064A, two bytes each in UTF-8) can have a
/// skeleton or a count in the variant map, so numbers and Latin words are skipped unread.
fn arabic_terms(
    segment: &tantivy::SegmentReader,
    field: Field,
    mut each: impl FnMut(&[u8], u32),
) -> Result<()> {
    let inverted = segment.inverted_index(field)?;
    let mut stream = inverted
        .terms()
        .range()
        .ge([0xD8u8, 0xA1])
        .lt([0xD9u8, 0x8B])
        .into_stream()
        .map_err(tantivy::TantivyError::from)?;
    while stream.advance() {
        each(stream.key(), stream.value().doc_freq);
    }
    Ok(())
}

impl Archive {
    /// Opens the archive at `dir`, creating an empty one if the directory does not hold an
    /// index yet.
    pub fn open_or_create(dir: &Path) -> Result<Archive> {
        if dir.join("meta.json").exists() || dir.join(STAMP_FILE).exists() {
            return Archive::open(dir);
        }
        std::fs::create_dir_all(dir).map_err(Error::io(dir))?;
        if let Some(entry) = std::fs::read_dir(dir)
            .map_err(Error::io(dir))?
            .flatten()
            .find(|e| !e.file_name().to_string_lossy().starts_with('.'))
        {
            return Err(Error::NotAnIndex {
                path: dir.to_path_buf(),
                reason: format!(
                    "the directory is not empty: it contains {:?}",
                    entry.file_name()
                ),
            });
        }
        let index = index_builder(schema()).create_in_dir(dir)?;
        write_stamp(dir, &IndexStamp::current())?;
        Archive::from_index(index, Some(dir.to_path_buf()))
    }

    /// Opens an existing archive. Refuses an index built by another analyzer or schema version.
    pub fn open(dir: &Path) -> Result<Archive> {
        if !dir.join("meta.json").exists() {
            return Err(Error::NoIndex {
                path: dir.to_path_buf(),
            });
        }
        let stamp_path = dir.join(STAMP_FILE);
        let stamp: IndexStamp = match std::fs::read(&stamp_path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| Error::NotAnIndex {
                path: dir.to_path_buf(),
                reason: format!("{STAMP_FILE} is unreadable: {e}"),
            })?,
            Err(_) => {
                return Err(Error::NotAnIndex {
                    path: dir.to_path_buf(),
                    reason: format!("a tantivy index without {STAMP_FILE}"),
                })
            }
        };
        if stamp.analyzer_version != ANALYZER_VERSION || stamp.schema_version != SCHEMA_VERSION {
            return Err(Error::IncompatibleIndex {
                path: dir.to_path_buf(),
                found: stamp.analyzer_version,
                expected: ANALYZER_VERSION,
            });
        }
        // Another process may commit while we open: its garbage collection can delete the
        // files of segments that the meta.json we read still lists. Reading the new meta.json
        // and opening again then succeeds.
        let mut attempt = 0;
        loop {
            let opened = Index::open_in_dir(dir)
                .map_err(Error::from)
                .and_then(|index| Archive::from_index(index, Some(dir.to_path_buf())));
            match opened {
                Err(Error::Tantivy(tantivy::TantivyError::OpenReadError(_))) if attempt < 20 => {
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(5 * attempt));
                }
                other => return other,
            }
        }
    }

    /// An empty archive in memory.
    pub fn in_memory() -> Result<Archive> {
        Archive::from_index(index_builder(schema()).create_in_ram()?, None)
    }

    /// An empty archive in memory with other analysis choices (for evaluation).
    pub fn in_memory_with(options: SchemaOptions) -> Result<Archive> {
        let mut archive =
            Archive::from_index(index_builder(schema_with(options)).create_in_ram()?, None)?;
        archive.options = options;
        Ok(archive)
    }

    fn from_index(index: Index, location: Option<PathBuf>) -> Result<Archive> {
        register_analyzers(&index);
        let fields = Fields::from_schema(&index.schema()).map_err(|reason| Error::NotAnIndex {
            path: location.clone().unwrap_or_default(),
            reason,
        })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Archive {
            index,
            options: SchemaOptions::default(),
            reader,
            fields,
            location,
            variants: Mutex::new(None),
        })
    }

    /// The underlying tantivy index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The analyzer of a field, as registered on the index.
    pub(crate) fn analyzer(&self, field: Field) -> Result<tantivy::tokenizer::TextAnalyzer> {
        Ok(self.index.tokenizer_for_field(field)?)
    }

    /// The schema fields.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The directory of the archive, or `None` in memory.
    pub fn location(&self) -> Option<&Path> {
        self.location.as_deref()
    }

    /// The spelling variants of the archive's terms (see [`crate::variants`]): read from the
    /// file saved beside the index at its last commit, or built from the term dictionary.
    pub fn variant_map(&self) -> Result<Arc<VariantMap>> {
        let mut cached = self.variants.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(map) = cached.as_ref() {
            return Ok(Arc::clone(map));
        }
        let saved = self.location.as_ref().map(|dir| dir.join(VARIANTS_FILE));
        let map = match saved {
            Some(path) if path.exists() => VariantMap::load(&path)?,
            Some(path) => {
                // An index written before variant maps existed: build it once and save it
                // for the next process, if the directory can be written (searching a
                // read-only archive must still work).
                let map = self.build_variant_map()?;
                let _ = map.save(&path);
                map
            }
            None => self.build_variant_map()?,
        };
        let map = Arc::new(map);
        *cached = Some(Arc::clone(&map));
        Ok(map)
    }

    /// Builds the variant map from the stemmed body terms of the last committed state (the
    /// body field holds the title too), with their document frequencies, and relates the
    /// exact-form body's word forms one long vowel apart whose stems its groups cannot
    /// relate ([`VariantMap::with_form_partners`]).
    pub fn build_variant_map(&self) -> Result<VariantMap> {
        let searcher = self.searcher();
        let terms_of = |field: Field| {
            searcher
                .segment_readers()
                .iter()
                .map(|segment| {
                    segment
                        .inverted_index(field)
                        .map(|inverted| inverted.terms().num_terms())
                })
                .sum::<tantivy::Result<usize>>()
        };
        // The two fields' dictionaries are streamed at once, on two threads: the map is built
        // at every commit, serially after tantivy's indexing threads have finished, and each
        // half (streaming a dictionary, then grouping its terms or pairing its forms) costs
        // about as much as the other. The same map, whichever half ends first; a system that
        // refuses the thread gets it built on this one.
        let segments = searcher.segment_readers();
        let (body_exact, forms_capacity) =
            (self.fields.body_exact, terms_of(self.fields.body_exact)?);
        let pair_forms = move || -> Result<Vec<(String, String)>> {
            let mut forms = FormPairs::with_capacity(forms_capacity);
            for segment in segments {
                arabic_terms(segment, body_exact, |form, _| forms.add(form))?;
            }
            Ok(forms
                .pairs()
                .map(|(shorter, longer)| (shorter.to_owned(), longer.to_owned()))
                .collect())
        };
        let (map, pairs) = std::thread::scope(|scope| -> Result<_> {
            let pairing = std::thread::Builder::new()
                .name("fahras-variants".into())
                .spawn_scoped(scope, pair_forms)
                .ok();
            let mut builder = VariantMapBuilder::with_capacity(terms_of(self.fields.body)?);
            for segment in segments {
                arabic_terms(segment, self.fields.body, |term, doc_freq| {
                    if let Ok(term) = std::str::from_utf8(term) {
                        builder.add_counted(term, u64::from(doc_freq));
                    }
                })?;
            }
            let map = builder.build();
            let pairs = match pairing {
                Some(pairing) => pairing
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?,
                None => pair_forms()?,
            };
            Ok((map, pairs))
        })?;
        let pairs = pairs
            .iter()
            .map(|(shorter, longer)| (shorter.as_str(), longer.as_str()));
        // An exact-form term is one normalized word: the light stemmer alone gives its stem
        // as the stemmed field's analyzer does. Other analyzers (evaluation only) are run.
        if self.options.stemmed == AnalyzerSpec::LIGHT {
            let stemmer = LightStemmer::default();
            return Ok(
                map.with_form_partners(pairs, |form| Some(Cow::Borrowed(stemmer.stem(form))))
            );
        }
        let mut analyzer = self.analyzer(self.fields.body)?;
        Ok(map.with_form_partners(pairs, |form| {
            let mut stream = analyzer.token_stream(form);
            let stem = stream.next().map(|token| Cow::Owned(token.text.clone()));
            stem.filter(|_| stream.next().is_none())
        }))
    }

    /// The variant map the archive would have if its stemmed fields were stemmed by
    /// `stemmer` (say, with stems of at least four letters, as the OpenSearch plugin's
    /// `fahras_lean`): the exact-form body's word forms, each stemmed with it, and its forms
    /// one long vowel apart related as [`Archive::build_variant_map`] relates them. A stem is
    /// counted in the articles of its forms added up (an article writing two of them counts
    /// twice): the archive holds no postings of these stems, and the counts only decide which
    /// variants are too rare to add.
    pub fn build_variant_map_with(&self, stemmer: LightStemmer) -> Result<VariantMap> {
        let searcher = self.searcher();
        let mut builder = VariantMapBuilder::default();
        let mut forms = FormPairs::default();
        for segment in searcher.segment_readers() {
            arabic_terms(segment, self.fields.body_exact, |form, doc_freq| {
                if let Ok(word) = std::str::from_utf8(form) {
                    builder.add_counted(stemmer.stem(word), u64::from(doc_freq));
                }
                forms.add(form);
            })?;
        }
        Ok(builder.build().with_form_partners(forms.pairs(), |form| {
            Some(Cow::Borrowed(stemmer.stem(form)))
        }))
    }

    /// Rebuilds the variant map after a commit, and saves it beside a directory index.
    fn refresh_variant_map(&self) -> Result<()> {
        let map = self.build_variant_map()?;
        if let Some(dir) = &self.location {
            map.save(&dir.join(VARIANTS_FILE))?;
        }
        *self.variants.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(map));
        Ok(())
    }

    /// A searcher on the last committed state.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Sees the latest commit (made by this or another process).
    pub fn reload(&self) -> Result<()> {
        self.reader.reload()?;
        // The variant map is read again on next use: the commit may have saved a new one.
        *self.variants.lock().unwrap_or_else(|e| e.into_inner()) = None;
        Ok(())
    }

    /// The number of articles in the last committed state.
    pub fn num_articles(&self) -> u64 {
        self.searcher().num_docs()
    }

    /// Opens the writer. `memory_bytes` is the total indexing memory budget, split across
    /// `threads` (each thread needs at least 15 MB). Fails with [`Error::Locked`] when another
    /// process is writing.
    pub fn writer(&self, memory_bytes: usize, threads: usize) -> Result<ArchiveWriter<'_>> {
        let threads = threads.max(1);
        // tantivy's budget bounds its in-memory segments; serializing a segment with our five
        // text fields, and the documents queued for the indexing threads, take more beyond it.
        // Handing tantivy 80% of the budget keeps the whole process near the budget the user
        // gave (a million articles with --memory 256 peaked at 325 MB of heap; with 60%, 271 MB
        // and about 8% slower, having more segments to merge).
        let memory_bytes = (memory_bytes / 10 * 8).max(threads * 15_000_000);
        let writer = self
            .index
            .writer_with_num_threads(threads, memory_bytes)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(LockError::LockBusy, _) => Error::Locked {
                    path: self.location.clone().unwrap_or_default(),
                },
                other => Error::Tantivy(other),
            })?;
        Ok(ArchiveWriter {
            archive: self,
            writer,
            searcher: self.searcher(),
            batch_ids: HashSet::new(),
            variants_built: None,
            variants_stale: false,
        })
    }

    /// The stored article with this id, if the archive has one.
    ///
    /// ```
    /// let archive = fahras::sample::sample_archive().unwrap();
    /// assert!(archive.article_by_id("no such id").unwrap().is_none());
    /// ```
    pub fn article_by_id(&self, id: &str) -> Result<Option<Article>> {
        let searcher = self.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(
            &query,
            &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
        )?;
        match top.first() {
            Some(&(_, address)) => Ok(Some(self.article(&searcher, address)?)),
            None => Ok(None),
        }
    }

    /// Reads the stored article of a document.
    pub fn article(&self, searcher: &Searcher, address: tantivy::DocAddress) -> Result<Article> {
        let StoredFields(mut values) = searcher.doc(address)?;
        let f = &self.fields;
        // The first value of a field, moved out.
        let mut take = |field: Field| {
            let at = values.iter().position(|(f, _)| *f == field)?;
            Some(values.remove(at).1)
        };
        let mut text = |field: Field| match take(field)? {
            OwnedValue::Str(text) => Some(text),
            _ => None,
        };
        Ok(Article {
            id: text(f.id).unwrap_or_default(),
            title: text(f.title_text).unwrap_or_default(),
            body: text(f.body_text).unwrap_or_default(),
            source: text(f.source),
            category: text(f.category),
            author: text(f.author),
            url: text(f.url),
            date: match take(f.date) {
                Some(OwnedValue::Date(date)) => Some(date.into_utc().date()),
                _ => None,
            },
        })
    }
}

fn write_stamp(dir: &Path, stamp: &IndexStamp) -> Result<()> {
    let path = dir.join(STAMP_FILE);
    let json = serde_json::to_vec_pretty(stamp).expect("stamp serializes");
    std::fs::write(&path, json).map_err(Error::io(&path))
}

fn id_hash(id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish()
}

/// How much of the body makes the lead, in characters.
pub const LEAD_CHARS: usize = 300;

/// The first [`LEAD_CHARS`] characters of a body, cut after a whole word.
fn lead(body: &str) -> &str {
    match body.char_indices().nth(LEAD_CHARS) {
        None => body,
        Some((cut, _)) => {
            let head = &body[..cut];
            match head.rfind(char::is_whitespace) {
                Some(space) => &head[..space],
                None => head,
            }
        }
    }
}

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    /// The id was new.
    Added,
    /// An article with the same id (committed, or earlier in this batch) was replaced.
    Replaced,
}

/// Writes to an [`Archive`]: upserts and deletes by id, made visible atomically by
/// [`ArchiveWriter::commit`].
pub struct ArchiveWriter<'a> {
    archive: &'a Archive,
    writer: IndexWriter<ArticleDocument>,
    /// The committed state when this batch began, to tell added from replaced.
    searcher: Searcher,
    /// Hashes of the ids written in this batch (8 bytes an article, whatever the id's
    /// length: a million-article job must not hold a million strings).
    batch_ids: HashSet<u64>,
    /// When the variant map was last rebuilt by this writer, and how long that took.
    variants_built: Option<(Instant, Duration)>,
    /// Commits since then that did not rebuild it.
    variants_stale: bool,
}

impl ArchiveWriter<'_> {
    fn id_term(&self, id: &str) -> Term {
        Term::from_field_text(self.archive.fields.id, id)
    }

    fn exists_committed(&self, id: &str) -> Result<bool> {
        let query = TermQuery::new(self.id_term(id), IndexRecordOption::Basic);
        Ok(self.searcher.search(&query, &Count)? > 0)
    }

    /// Adds an article, replacing any article with the same id.
    pub fn upsert(&mut self, article: &Article) -> Result<Upsert> {
        let key = id_hash(&article.id);
        // A hash collision only costs a needless delete of an id that is not there.
        let replaced = self.batch_ids.contains(&key) || self.exists_committed(&article.id)?;
        if replaced {
            self.writer.delete_term(self.id_term(&article.id));
        }
        self.batch_ids.insert(key);
        // tantivy's indexing threads run the analyzers, in parallel with the caller.
        self.writer
            .add_document(ArticleDocument::new(self.archive.fields, article))?;
        Ok(if replaced {
            Upsert::Replaced
        } else {
            Upsert::Added
        })
    }

    /// Deletes the article with this id; returns whether it existed.
    pub fn delete(&mut self, id: &str) -> Result<bool> {
        let existed = self.batch_ids.remove(&id_hash(id)) || self.exists_committed(id)?;
        self.writer.delete_term(self.id_term(id));
        Ok(existed)
    }

    /// Makes everything written so far visible, atomically.
    pub fn commit(&mut self) -> Result<()> {
        self.writer.commit()?;
        self.archive.reload()?;
        // The variant map is rebuilt from the whole term dictionary. With frequent commits
        // (`--commit-every`) that would grow with the square of the job, so it is rebuilt at
        // most once per ten times its own cost; meanwhile the saved map lacks only the
        // variants of the newest terms. `finish` brings it up to date.
        let due = self
            .variants_built
            .is_none_or(|(at, took)| at.elapsed() >= took * 10);
        if due {
            self.refresh_variant_map()?;
        } else {
            self.variants_stale = true;
        }
        self.searcher = self.archive.searcher();
        self.batch_ids.clear();
        Ok(())
    }

    /// Discards everything written since the last commit.
    pub fn rollback(&mut self) -> Result<()> {
        self.writer.rollback()?;
        self.batch_ids.clear();
        Ok(())
    }

    /// Waits for the indexing threads to finish, and brings the variant map up to date.
    pub fn finish(mut self) -> Result<()> {
        if self.variants_stale {
            self.refresh_variant_map()?;
        }
        self.writer.wait_merging_threads()?;
        Ok(())
    }

    fn refresh_variant_map(&mut self) -> Result<()> {
        let started = Instant::now();
        self.archive.refresh_variant_map()?;
        self.variants_built = Some((Instant::now(), started.elapsed()));
        self.variants_stale = false;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, title: &str) -> Article {
        Article {
            id: id.into(),
            title: title.into(),
            body: format!("{title} نص المقال"),
            ..Article::default()
        }
    }

    #[test]
    fn upsert_replaces_by_id() {
        let archive = Archive::in_memory().unwrap();
        let mut writer = archive.writer(20_000_000, 1).unwrap();
        assert_eq!(writer.upsert(&article("a", "أول")).unwrap(), Upsert::Added);
        assert_eq!(writer.upsert(&article("b", "ثان")).unwrap(), Upsert::Added);
        // A duplicate within the batch: last wins.
        assert_eq!(
            writer.upsert(&article("a", "ثالث")).unwrap(),
            Upsert::Replaced
        );
        writer.commit().unwrap();
        assert_eq!(archive.num_articles(), 2);
        // Against the committed state.
        assert_eq!(
            writer.upsert(&article("b", "رابع")).unwrap(),
            Upsert::Replaced
        );
        writer.commit().unwrap();
        assert_eq!(archive.num_articles(), 2);
        assert!(writer.delete("a").unwrap());
        assert!(!writer.delete("zzz").unwrap());
        writer.commit().unwrap();
        assert_eq!(archive.num_articles(), 1);
    }

    #[test]
    fn stopwords_are_in_the_stemmed_fields_only() {
        let archive = Archive::in_memory().unwrap();
        let mut writer = archive.writer(20_000_000, 1).unwrap();
        writer.upsert(&article("a", "في المدينة")).unwrap();
        writer.commit().unwrap();
        let searcher = archive.searcher();
        let f = archive.fields();
        let df = |field, text| {
            searcher
                .doc_freq(&Term::from_field_text(field, text))
                .unwrap()
        };
        assert_eq!((df(f.title, "في"), df(f.body, "في")), (1, 1));
        assert_eq!((df(f.title_exact, "في"), df(f.body_exact, "في")), (0, 0));
        assert_eq!(df(f.body_exact, "المدينه"), 1);
    }

    #[test]
    fn stored_articles_round_trip() {
        let archive = Archive::in_memory().unwrap();
        let mut writer = archive.writer(20_000_000, 1).unwrap();
        let original = Article {
            id: "x".into(),
            title: "عنوان".into(),
            body: "نص".into(),
            date: Some(time::macros::date!(2024 - 10 - 23)),
            source: Some("وكالة".into()),
            category: Some("سياسة".into()),
            author: Some("فريق العمل".into()),
            url: Some("https://example.org/x".into()),
        };
        writer.upsert(&original).unwrap();
        writer.commit().unwrap();
        let searcher = archive.searcher();
        let address = tantivy::DocAddress::new(0, 0);
        assert_eq!(archive.article(&searcher, address).unwrap(), original);
    }

    #[test]
    fn directory_index_is_stamped_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("idx");
        {
            let archive = Archive::open_or_create(&path).unwrap();
            let mut writer = archive.writer(20_000_000, 1).unwrap();
            writer.upsert(&article("a", "أول")).unwrap();
            writer.commit().unwrap();
        }
        assert_eq!(Archive::open(&path).unwrap().num_articles(), 1);
        // Another analyzer version is refused with advice to rebuild.
        let mut stamp: IndexStamp =
            serde_json::from_slice(&std::fs::read(path.join(STAMP_FILE)).unwrap()).unwrap();
        stamp.analyzer_version += 1;
        write_stamp(&path, &stamp).unwrap();
        let err = Archive::open(&path).err().unwrap();
        assert!(matches!(err, Error::IncompatibleIndex { .. }));
        assert!(err.to_string().contains("--rebuild"), "{err}");
    }

    #[test]
    fn missing_and_foreign_directories_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            Archive::open(&dir.path().join("none")),
            Err(Error::NoIndex { .. })
        ));
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        assert!(matches!(
            Archive::open_or_create(dir.path()),
            Err(Error::NotAnIndex { .. })
        ));
    }

    #[test]
    fn the_variant_map_follows_commits_and_is_saved_beside_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open_or_create(dir.path()).unwrap();
        let stem = |word: &str| crate::analysis::analyze(word)[0].stem.clone();
        let (a, b) = (stem("الميليشيات"), stem("المليشيات"));
        assert_ne!(a, b);
        let mut writer = archive.writer(20_000_000, 1).unwrap();
        writer
            .upsert(&article("a1", "اشتباكات بين الميليشيات"))
            .unwrap();
        writer.commit().unwrap();
        assert!(archive
            .variant_map()
            .unwrap()
            .variants(&b)
            .contains(&a.as_str()));
        writer.upsert(&article("a2", "انسحاب المليشيات")).unwrap();
        // A second commit right after the first may leave the map as it was; finish brings
        // it up to date in any case.
        writer.commit().unwrap();
        writer.finish().unwrap();
        let map = archive.variant_map().unwrap();
        assert_eq!(map.variants(&a), vec![b.as_str()]);
        // A new process reads the saved map.
        drop(archive);
        let reopened = Archive::open(dir.path()).unwrap();
        assert_eq!(
            reopened.variant_map().unwrap().variants(&a),
            vec![b.as_str()]
        );
        // An index without a saved map (written before maps existed) gets one on first use.
        drop(reopened);
        std::fs::remove_file(dir.path().join(VARIANTS_FILE)).unwrap();
        let old = Archive::open(dir.path()).unwrap();
        assert_eq!(old.variant_map().unwrap().variants(&a), vec![b.as_str()]);
        assert!(dir.path().join(VARIANTS_FILE).exists());
    }

    #[test]
    fn a_second_writer_is_refused_as_locked() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open_or_create(dir.path()).unwrap();
        let _writer = archive.writer(20_000_000, 1).unwrap();
        let other = Archive::open(dir.path()).unwrap();
        assert!(matches!(
            other.writer(20_000_000, 1),
            Err(Error::Locked { .. })
        ));
    }
}

/// What `fahras stats` reports about an archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveStats {
    /// Where the index lives (`null` in memory).
    pub index: Option<String>,
    /// The number of articles.
    pub articles: u64,
    /// The earliest article date, `YYYY-MM-DD`.
    pub first_date: Option<String>,
    /// The latest article date, `YYYY-MM-DD`.
    pub last_date: Option<String>,
    /// Articles without a date.
    pub undated: u64,
    /// Articles per source, most first.
    pub sources: Vec<(String, u64)>,
    /// Articles per category, most first.
    pub categories: Vec<(String, u64)>,
    /// Bytes on disk (0 in memory).
    pub size_bytes: u64,
    /// The analyzer version the index was built with.
    pub analyzer_version: u32,
}

impl Archive {
    /// Counts and ranges over the committed articles.
    pub fn stats(&self) -> Result<ArchiveStats> {
        use std::collections::HashMap;
        let searcher = self.searcher();
        let mut sources: HashMap<String, u64> = HashMap::new();
        let mut categories: HashMap<String, u64> = HashMap::new();
        let (mut first, mut last): (Option<DateTime>, Option<DateTime>) = (None, None);
        let mut undated = 0;
        let mut buffer = String::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let dates = fast.date("date")?;
            let columns = [
                (fast.str("source")?, &mut sources),
                (fast.str("category")?, &mut categories),
            ];
            let alive: Vec<u32> = segment.doc_ids_alive().collect();
            for &doc in &alive {
                match dates.first(doc) {
                    Some(date) => {
                        first = Some(first.map_or(date, |f| f.min(date)));
                        last = Some(last.map_or(date, |l| l.max(date)));
                    }
                    None => undated += 1,
                }
            }
            for (column, counts) in columns {
                let Some(column) = column else { continue };
                for &doc in &alive {
                    for ord in column.term_ords(doc) {
                        if column
                            .ord_to_str(ord, &mut buffer)
                            .map_err(Error::io(self.location.as_deref().unwrap_or(Path::new(""))))?
                        {
                            *counts.entry(buffer.clone()).or_default() += 1;
                        }
                    }
                }
            }
        }
        let sorted = |counts: HashMap<String, u64>| {
            let mut v: Vec<(String, u64)> = counts.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v
        };
        let size_bytes = self.location.as_deref().map_or(0, dir_size);
        let day = |d: DateTime| crate::article::format_date(d.into_utc().date());
        Ok(ArchiveStats {
            index: self.location.as_ref().map(|p| p.display().to_string()),
            articles: searcher.num_docs(),
            first_date: first.map(day),
            last_date: last.map(day),
            undated,
            sources: sorted(sources),
            categories: sorted(categories),
            size_bytes,
            analyzer_version: ANALYZER_VERSION,
        })
    }
}

fn dir_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}
