//! A light Arabic stemmer in the spirit of Larkey, Ballesteros and Connell's *light10*.
//!
//! Light stemming strips the most frequent clitic prefixes (the conjunction و, the article ال
//! and its combinations with و ب ك ف ل) and suffixes (pronoun, dual and plural endings) without
//! trying to find the root. In retrieval it beats both no stemming and root extraction: root
//! extraction merges too many unrelated words (كاتب, مكتب, كتاب).
//!
//! It runs on NORMALIZED terms (see [`super::normalizer`]), so the affixes are listed in
//! normalized spelling only: ة is already ه and ى is already ي, which makes light10's ية and ة
//! the same as يه and ه.
//!
//! Stemming only ever removes a prefix and suffixes, so a stem is a substring of its term: the
//! token filter cuts the token's text in place and never allocates.
//!
//! The length guards keep short words whole: و is only removed when at least three letters
//! remain (ولد stays ولد, never لد), the article when at least two remain, and each suffix when
//! at least [`LightStemmer::min_stem_chars`] remain.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Article prefixes, longest first so وال is removed whole rather than leaving ال behind.
const ARTICLES: [&str; 6] = ["وال", "بال", "كال", "فال", "لل", "ال"];

/// The conjunction و ("and"), removed when no article is found.
const WAW: &str = "\u{0648}";

/// Suffixes in light10's order; each is removed at most once, in this order.
const SUFFIXES: [&str; 8] = ["ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"];

/// The light stemmer. Use [`LightStemmer::stem`] on a normalized word, or add it to a tantivy
/// analyzer as a [`TokenFilter`] after [`super::ArabicTokenizer`].
///
/// ```
/// use fahras::analysis::{normalize, LightStemmer};
///
/// let stemmer = LightStemmer::default();
/// assert_eq!(stemmer.stem(&normalize("والمعلمون")), "معلم");
/// assert_eq!(stemmer.stem(&normalize("بالمدينة")), "مدين");
/// assert_eq!(stemmer.stem("ولد"), "ولد");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LightStemmer {
    min_stem_chars: usize,
}

impl Default for LightStemmer {
    /// light10's guard: a suffix is removed when at least two letters remain.
    fn default() -> Self {
        LightStemmer { min_stem_chars: 2 }
    }
}

impl LightStemmer {
    /// A stemmer that removes a suffix only when at least `min_stem_chars` letters remain
    /// (light10 uses 2; 3 keeps more short nouns such as سنه whole).
    pub fn with_min_stem_chars(min_stem_chars: usize) -> Self {
        LightStemmer {
            min_stem_chars: min_stem_chars.max(1),
        }
    }

    /// The minimum number of letters a suffix removal leaves.
    pub fn min_stem_chars(&self) -> usize {
        self.min_stem_chars
    }

    /// The stem of a normalized word: a substring of it. Words that are not Arabic (numbers,
    /// Latin) are returned unchanged.
    pub fn stem<'a>(&self, word: &'a str) -> &'a str {
        let (from, to) = self.stem_range(word);
        &word[from..to]
    }

    /// The byte range of the stem within `word`.
    fn stem_range(&self, word: &str) -> (usize, usize) {
        if !word.chars().all(is_arabic_letter) {
            return (0, word.len());
        }
        // Every Arabic letter is two bytes in UTF-8, so letters are bytes / 2.
        let letters = |range: &str| range.len() / 2;
        let mut rest = word;
        if let Some(stripped) = ARTICLES
            .iter()
            .find_map(|article| rest.strip_prefix(article).filter(|r| letters(r) >= 2))
        {
            rest = stripped;
        } else if let Some(stripped) = rest.strip_prefix(WAW).filter(|r| letters(r) >= 3) {
            rest = stripped;
        }
        for suffix in SUFFIXES {
            if let Some(stripped) = rest.strip_suffix(suffix) {
                if letters(stripped) >= self.min_stem_chars {
                    rest = stripped;
                }
            }
        }
        // `rest` is a subslice of `word`.
        let from = rest.as_ptr() as usize - word.as_ptr() as usize;
        (from, from + rest.len())
    }
}

/// Letters of the basic Arabic block, the only ones the affix tables are made of.
#[inline]
fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{064A}' | '\u{0671}'..='\u{06D3}')
}

impl TokenFilter for LightStemmer {
    type Tokenizer<T: Tokenizer> = LightStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> LightStemmerFilter<T> {
        LightStemmerFilter {
            stemmer: self,
            inner: tokenizer,
        }
    }
}

/// [`LightStemmer`] wrapped around a tokenizer.
#[derive(Clone)]
pub struct LightStemmerFilter<T> {
    stemmer: LightStemmer,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for LightStemmerFilter<T> {
    type TokenStream<'a> = LightStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        LightStemmerStream {
            stemmer: self.stemmer,
            tail: self.inner.token_stream(text),
        }
    }
}

/// The token stream of [`LightStemmerFilter`].
pub struct LightStemmerStream<S> {
    stemmer: LightStemmer,
    tail: S,
}

impl<S: TokenStream> TokenStream for LightStemmerStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let text = &mut self.tail.token_mut().text;
        let (from, to) = self.stemmer.stem_range(text);
        text.truncate(to);
        text.drain(..from);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::super::normalize;
    use super::*;

    fn stem(word: &str) -> String {
        LightStemmer::default().stem(&normalize(word)).to_string()
    }

    #[test]
    fn stems_at_least_fifty_words() {
        // (word as written, expected stem of its normalized form)
        let cases = [
            // The article and its combinations.
            ("الكتاب", "كتاب"),
            ("والكتاب", "كتاب"),
            ("بالكتاب", "كتاب"),
            ("كالكتاب", "كتاب"),
            ("فالكتاب", "كتاب"),
            ("للكتاب", "كتاب"),
            ("الحكومة", "حكوم"),
            ("بالمدينة", "مدين"),
            ("والمسؤول", "مسؤول"),
            ("الرياضة", "رياض"),
            ("الاقتصاد", "اقتصاد"),
            ("الأمريكية", "امريك"),
            ("الإيرانية", "ايران"),
            ("للشركة", "شرك"),
            // The conjunction و.
            ("وقال", "قال"),
            ("وأكد", "اكد"),
            ("وزارة", "زار"),
            ("وذكرت", "ذكرت"),
            // Suffixes.
            ("كتابها", "كتاب"),
            ("مدرستان", "مدرست"),
            ("المعلمات", "معلم"),
            ("المعلمون", "معلم"),
            ("المعلمين", "معلم"),
            ("والمعلمون", "معلم"),
            ("الدولية", "دول"),
            ("سورية", "سور"),
            ("كتابه", "كتاب"),
            ("كتابي", "كتاب"),
            ("صواريخ", "صواريخ"),
            ("انتخابات", "انتخاب"),
            ("الانتخابات", "انتخاب"),
            ("مشاريعها", "مشاريع"),
            ("العسكري", "عسكر"),
            ("العسكرية", "عسكر"),
            ("مسلحون", "مسلح"),
            ("لاعبين", "لاعب"),
            ("قواتها", "قو"), // ها then ات: light10 removes both
            ("الإعلامية", "اعلام"),
            // Several suffixes in sequence.
            ("معلوماتها", "معلوم"),
            // Short words survive.
            ("ولد", "ولد"),
            ("وصل", "وصل"),
            ("بين", "بين"),
            ("فيه", "في"),
            ("هو", "هو"),
            ("ال", "ال"),
            ("الى", "ال"), // light10 takes the final ي; a stopword anyway
            ("لها", "لها"),
            ("من", "من"),
            ("يد", "يد"),
            // Not Arabic: unchanged.
            ("2024", "2024"),
            ("gps", "gps"),
            ("covid19", "covid19"),
            ("", ""),
            // Hamza on carriers is an ordinary letter.
            ("رئيس", "رئيس"),
            ("الرئيس", "رئيس"),
            ("مؤتمرات", "مؤتمر"),
        ];
        assert!(cases.len() >= 50);
        for (word, expected) in cases {
            assert_eq!(stem(word), expected, "stem({word})");
        }
    }

    #[test]
    fn only_one_prefix_is_removed() {
        // و + ال: وال is one prefix; و is not removed again from what remains.
        assert_eq!(stem("والولد"), "ولد");
        assert_eq!(stem("ووصل"), "وصل");
    }

    #[test]
    fn a_longer_minimum_keeps_short_nouns() {
        let strict = LightStemmer::with_min_stem_chars(3);
        assert_eq!(strict.stem(&normalize("سنة")), "سنه");
        assert_eq!(LightStemmer::default().stem(&normalize("سنة")), "سن");
        assert_eq!(strict.stem(&normalize("كتابه")), "كتاب");
        assert_eq!(strict.min_stem_chars(), 3);
    }

    #[test]
    fn stem_is_a_substring() {
        for word in ["والمعلمون", "بالمدينة", "كتابها", "ولد"] {
            let n = normalize(word);
            let s = LightStemmer::default().stem(&n);
            assert!(n.contains(s));
        }
    }

    #[test]
    fn filter_stems_tokens_in_place() {
        use crate::analysis::ArabicTokenizer;
        use tantivy::tokenizer::TextAnalyzer;
        let mut analyzer = TextAnalyzer::builder(ArabicTokenizer::default())
            .filter(LightStemmer::default())
            .build();
        let text = "والمعلمون في المدارس";
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.offset_from, t.position));
        }
        assert_eq!(
            out,
            [
                ("معلم".to_string(), 0, 0),
                ("في".to_string(), 19, 1),
                ("مدارس".to_string(), 24, 2)
            ]
        );
    }
}
