//! Arabic text analysis: normalize → segment → (stopwords) → light-stem, as tantivy analyzers.
//!
//! This module is pure text processing; it knows nothing of articles, files or indexes, and
//! another tantivy user can take it alone. Data flows through it like this:
//!
//! ```text
//! original text ──► ArabicTokenizer ──────────────► [stopword filter] ──► [stemmer] ──► terms
//!                   (UAX #29 words, each normalized;    (normalized list)    (LightStemmer or
//!                    offsets into the original text)                          Snowball Arabic)
//! ```
//!
//! * [`chars`] holds the tables: what each character is for segmentation and normalization.
//! * [`normalizer`] applies the normalization rules to a string ([`normalize`]).
//! * [`tokenizer`] finds words and emits them normalized ([`ArabicTokenizer`]).
//! * [`stemmer`] is the light stemmer ([`LightStemmer`]); tantivy's Snowball Arabic stemmer is
//!   the alternative.
//! * [`stopwords`] is our stopword list and filter.
//!
//! The named analyzers ([`AnalyzerSpec`]) are registered on every index open with
//! [`register_analyzers`]. [`ANALYZER_VERSION`] changes whenever any of them would produce
//! different terms for the same text, so an index built by another version can be refused.
//!
//! ```
//! use fahras::analysis::{register_analyzers, AnalyzerSpec};
//! use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED};
//! use tantivy::{doc, Index};
//!
//! let mut schema = Schema::builder();
//! let indexing = TextFieldIndexing::default()
//!     .set_tokenizer(AnalyzerSpec::LIGHT.name())
//!     .set_index_option(IndexRecordOption::WithFreqsAndPositions);
//! let body = schema.add_text_field("body", TextOptions::default().set_indexing_options(indexing) | STORED);
//! let index = Index::create_in_ram(schema.build());
//! register_analyzers(&index);
//!
//! let mut writer = index.writer(15_000_000).unwrap();
//! writer.add_document(doc!(body => "أعلنت الحكومةُ عن خطتها")).unwrap();
//! writer.commit().unwrap();
//!
//! // The query is analyzed by the same analyzer: no hamza, ه for ة, another suffix.
//! let parser = tantivy::query::QueryParser::for_index(&index, vec![body]);
//! let query = parser.parse_query("اعلنت الحكومه").unwrap();
//! let searcher = index.reader().unwrap().searcher();
//! assert_eq!(searcher.search(&query, &tantivy::collector::Count).unwrap(), 1);
//! ```

pub(crate) mod chars;
pub mod hamza;
pub mod normalizer;
pub mod stemmer;
pub mod stopwords;
pub mod tokenizer;

#[cfg(test)]
mod proptests;

use serde::Serialize;
use tantivy::tokenizer::{Language, Stemmer, TextAnalyzer, TokenStream, TokenizerManager};
use tantivy::Index;

pub use normalizer::{is_normalized, normalize, normalize_into};
pub use stemmer::LightStemmer;
pub use stopwords::{is_stopword, stopword_filter, ARABIC_STOPWORDS};
pub use tokenizer::{ArabicTokenizer, Sharing, MAX_TOKEN_BYTES};

/// The version of the analysis chain. Bump it whenever any named analyzer would turn the same
/// text into different terms; indexes record the version they were built with.
///
/// 1: normalization, segmentation and light10's stemmer. 2: the stemmer also removes the
/// prepositions ب and ل and keeps three letters where light10 kept two (issue 17).
pub const ANALYZER_VERSION: u32 = 2;

/// Which stemmer an analyzer applies after normalization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stemming {
    /// No stemming: normalized surface forms (exact word matching).
    None,
    /// [`LightStemmer`], light10-style prefix and suffix removal.
    Light,
    /// tantivy's Snowball Arabic stemmer.
    Snowball,
}

/// A named analyzer: a stemming choice, with or without stopword removal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AnalyzerSpec {
    /// The stemmer applied after normalization.
    pub stemming: Stemming,
    /// Whether [`ARABIC_STOPWORDS`] are removed (before stemming).
    pub stopwords: bool,
    /// Whether hamza on carriers is folded ([`hamza::HamzaFolder`]); for evaluation only.
    pub fold_hamza: bool,
}

impl AnalyzerSpec {
    /// Normalization only: every token is its normalized surface form.
    pub const EXACT: AnalyzerSpec = AnalyzerSpec {
        stemming: Stemming::None,
        stopwords: false,
        fold_hamza: false,
    };
    /// Normalization and the light stemmer.
    pub const LIGHT: AnalyzerSpec = AnalyzerSpec {
        stemming: Stemming::Light,
        stopwords: false,
        fold_hamza: false,
    };
    /// Normalization and tantivy's Snowball Arabic stemmer.
    pub const SNOWBALL: AnalyzerSpec = AnalyzerSpec {
        stemming: Stemming::Snowball,
        stopwords: false,
        fold_hamza: false,
    };

    /// Every named analyzer, as registered by [`register_analyzers`].
    pub const ALL: [AnalyzerSpec; 8] = [
        AnalyzerSpec::EXACT,
        AnalyzerSpec::LIGHT,
        AnalyzerSpec::SNOWBALL,
        AnalyzerSpec::EXACT.with_stopwords(),
        AnalyzerSpec::LIGHT.with_stopwords(),
        AnalyzerSpec::SNOWBALL.with_stopwords(),
        AnalyzerSpec::EXACT.with_hamza_folding(),
        AnalyzerSpec::LIGHT.with_hamza_folding(),
    ];

    /// The same analyzer with hamza on carriers folded (for evaluation).
    pub const fn with_hamza_folding(self) -> AnalyzerSpec {
        AnalyzerSpec {
            fold_hamza: true,
            ..self
        }
    }

    /// The same analyzer with stopword removal.
    pub const fn with_stopwords(self) -> AnalyzerSpec {
        AnalyzerSpec {
            stopwords: true,
            ..self
        }
    }

    /// The name under which the analyzer is registered, e.g. `fahras_light` or
    /// `fahras_light_stop`.
    pub fn name(&self) -> &'static str {
        if self.fold_hamza {
            return match (self.stemming, self.stopwords) {
                (Stemming::None, false) => "fahras_exact_hamza",
                (Stemming::Light, false) => "fahras_light_hamza",
                (Stemming::Snowball, false) => "fahras_snowball_hamza",
                (Stemming::None, true) => "fahras_exact_stop_hamza",
                (Stemming::Light, true) => "fahras_light_stop_hamza",
                (Stemming::Snowball, true) => "fahras_snowball_stop_hamza",
            };
        }
        match (self.stemming, self.stopwords) {
            (Stemming::None, false) => "fahras_exact",
            (Stemming::Light, false) => "fahras_light",
            (Stemming::Snowball, false) => "fahras_snowball",
            (Stemming::None, true) => "fahras_exact_stop",
            (Stemming::Light, true) => "fahras_light_stop",
            (Stemming::Snowball, true) => "fahras_snowball_stop",
        }
    }

    /// Builds the analyzer.
    ///
    /// ```
    /// use fahras::analysis::AnalyzerSpec;
    ///
    /// let mut analyzer = AnalyzerSpec::LIGHT.build();
    /// let mut stream = analyzer.token_stream("بالمدينة");
    /// assert_eq!(stream.next().unwrap().text, "مدين");
    /// ```
    pub fn build(&self) -> TextAnalyzer {
        // Each chain is built with static types: a filter chained with `filter_dynamic` costs
        // a virtual call per token per filter.
        if self.fold_hamza {
            // Evaluation only: a dynamic chain is fast enough.
            let builder = TextAnalyzer::builder(ArabicTokenizer::default())
                .filter_dynamic(hamza::HamzaFolder);
            let builder = if self.stopwords {
                builder.filter_dynamic(stopword_filter())
            } else {
                builder
            };
            return match self.stemming {
                Stemming::None => builder.build(),
                Stemming::Light => builder.filter_dynamic(LightStemmer::default()).build(),
                Stemming::Snowball => builder
                    .filter_dynamic(Stemmer::new(Language::Arabic))
                    .build(),
            };
        }
        // A stemming analyzer leaves its tokens for the exact analyzer of the next field,
        // which indexes the same text (see `Sharing`): every ArabicTokenizer turns a text into
        // the same tokens, so a replay is exactly what tokenizing again would give.
        let tokenizer = ArabicTokenizer::sharing(match self.stemming {
            Stemming::None => Sharing::Reuse,
            Stemming::Light | Stemming::Snowball => Sharing::Remember,
        });
        let stop = stopword_filter;
        let snowball = || Stemmer::new(Language::Arabic);
        let light = LightStemmer::default();
        match (self.stemming, self.stopwords) {
            (Stemming::None, false) => TextAnalyzer::builder(tokenizer).build(),
            (Stemming::None, true) => TextAnalyzer::builder(tokenizer).filter(stop()).build(),
            (Stemming::Light, false) => TextAnalyzer::builder(tokenizer).filter(light).build(),
            (Stemming::Light, true) => TextAnalyzer::builder(tokenizer)
                .filter(stop())
                .filter(light)
                .build(),
            (Stemming::Snowball, false) => {
                TextAnalyzer::builder(tokenizer).filter(snowball()).build()
            }
            (Stemming::Snowball, true) => TextAnalyzer::builder(tokenizer)
                .filter(stop())
                .filter(snowball())
                .build(),
        }
    }
}

/// Registers every named analyzer ([`AnalyzerSpec::ALL`]) on a tokenizer manager.
pub fn register_analyzers_on(manager: &TokenizerManager) {
    for spec in AnalyzerSpec::ALL {
        manager.register(spec.name(), spec.build());
    }
}

/// Registers every named analyzer on an index, for both indexing and query parsing. Call it
/// after every `Index::open`/`create`: tantivy does not persist tokenizers.
pub fn register_analyzers(index: &Index) {
    register_analyzers_on(index.tokenizers());
}

/// One token as `fahras analyze` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnalyzedToken {
    /// The original slice of the input.
    pub text: String,
    /// Byte offset of the slice's start in the input.
    pub start: usize,
    /// Byte offset of the slice's end in the input.
    pub end: usize,
    /// Token position (consecutive).
    pub position: usize,
    /// The normalized term.
    pub term: String,
    /// The light stem of the normalized term.
    pub stem: String,
    /// Whether the normalized term is a stopword.
    pub stopword: bool,
}

/// What `fahras analyze --json` prints (and `GET /api/analyze` returns):
/// `{"tokens":[{"text","start","end","position","term","stem"}]}`.
#[derive(Debug, Serialize)]
pub struct AnalyzeOutput<'a> {
    pub tokens: Vec<AnalyzeTokenJson<'a>>,
}

/// One token of [`AnalyzeOutput`].
#[derive(Debug, Serialize)]
pub struct AnalyzeTokenJson<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    pub position: usize,
    pub term: &'a str,
    pub stem: &'a str,
}

impl<'a> AnalyzeOutput<'a> {
    /// The JSON form of tokens from [`analyze`].
    pub fn new(tokens: &'a [AnalyzedToken]) -> AnalyzeOutput<'a> {
        AnalyzeOutput {
            tokens: tokens
                .iter()
                .map(|t| AnalyzeTokenJson {
                    text: &t.text,
                    start: t.start,
                    end: t.end,
                    position: t.position,
                    term: &t.term,
                    stem: &t.stem,
                })
                .collect(),
        }
    }
}

/// Analyzes a text the way the index does and returns every token with its original slice,
/// offsets, position, normalized term and light stem.
///
/// ```
/// let tokens = fahras::analysis::analyze("وقالَ المسؤولون");
/// assert_eq!(tokens[0].text, "وقالَ");
/// assert_eq!(tokens[0].term, "وقال");
/// assert_eq!(tokens[0].stem, "قال");
/// assert_eq!((tokens[1].start, tokens[1].end, tokens[1].position), (11, 29, 1));
/// ```
pub fn analyze(text: &str) -> Vec<AnalyzedToken> {
    use tantivy::tokenizer::Tokenizer;
    let stemmer = LightStemmer::default();
    let mut tokenizer = ArabicTokenizer::default();
    let mut stream = tokenizer.token_stream(text);
    let mut tokens = Vec::new();
    while let Some(token) = stream.next() {
        tokens.push(AnalyzedToken {
            text: text[token.offset_from..token.offset_to].to_string(),
            start: token.offset_from,
            end: token.offset_to,
            position: token.position,
            term: token.text.clone(),
            stem: stemmer.stem(&token.text).to_string(),
            stopword: is_stopword(&token.text),
        });
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(spec: AnalyzerSpec, text: &str) -> Vec<String> {
        let mut analyzer = spec.build();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push(t.text.clone());
        }
        out
    }

    #[test]
    fn names_are_distinct() {
        let names: std::collections::HashSet<_> =
            AnalyzerSpec::ALL.iter().map(|s| s.name()).collect();
        assert_eq!(names.len(), AnalyzerSpec::ALL.len());
    }

    #[test]
    fn each_analyzer_does_what_its_name_says() {
        let text = "وصلَ الوزيرُ إلى المدينة";
        assert_eq!(
            terms(AnalyzerSpec::EXACT, text),
            ["وصل", "الوزير", "الي", "المدينه"]
        );
        assert_eq!(
            terms(AnalyzerSpec::LIGHT, text),
            ["وصل", "وزير", "الي", "مدين"]
        );
        assert_eq!(
            terms(AnalyzerSpec::LIGHT.with_stopwords(), text),
            ["وصل", "وزير", "مدين"]
        );
        assert_eq!(
            terms(AnalyzerSpec::EXACT.with_stopwords(), text),
            ["وصل", "الوزير", "المدينه"]
        );
        // Snowball stems differently but removes the article too.
        let snowball = terms(AnalyzerSpec::SNOWBALL, text);
        assert_eq!(snowball.len(), 4);
        assert!(!snowball[1].starts_with("ال"), "{snowball:?}");
    }

    #[test]
    fn registration_makes_every_analyzer_available() {
        let manager = TokenizerManager::default();
        register_analyzers_on(&manager);
        for spec in AnalyzerSpec::ALL {
            let mut analyzer = manager.get(spec.name()).unwrap();
            let mut stream = analyzer.token_stream("الكتاب");
            assert!(stream.advance(), "{}", spec.name());
        }
    }

    #[test]
    fn analyze_reports_original_slices() {
        let text = "قصفٌ على «دير الزور»";
        let tokens = analyze(text);
        let slices: Vec<&str> = tokens.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(slices, ["قصفٌ", "على", "دير", "الزور"]);
        assert!(tokens[1].stopword);
        assert_eq!(tokens[3].stem, "زور");
    }
}
