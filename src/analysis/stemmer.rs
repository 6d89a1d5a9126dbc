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
//! Two departures from light10 (and from Lucene's `arabic_stem`, which is light10), each
//! measured on both dev collections (docs/evaluation.md, "Issue 17: the stemmer"):
//!
//! * The prepositions ب ("with, by") and ل ("for, to") are removed from the front of what the
//!   article or و leave (or of the word, without them) when at least three letters remain:
//!   بمدينة and لمدينة meet مدينة, as بالمدينة and للمدينة already did, and ولمدينة too.
//!   light10 leaves them, so a query's word never met the same word with a preposition fused to
//!   it (with the next rule: arcd +0.007 nDCG@10, news-titles +0.014). A word that merely
//!   begins with the letter loses it too (بريطانيا → ريطانيا), in the index and in the query
//!   alike, so it still matches itself; and it loses it after the article as well (البلاد,
//!   بلاد and بلاده all → لاد), or the word with the article would no longer meet the word
//!   without it. The exact-form fields still rank the word as written first. ف and ك were
//!   measured too: ف costs news-titles, ك (the preposition "like") is rare.
//! * A suffix is removed only when at least three letters remain (light10: two), and a second
//!   or later one only when at least four remain: سنة stays سنه instead of سن, فيه stays فيه,
//!   قواتها stops at قوات instead of قو, and a name keeps four letters where light10 took an
//!   ending twice (ترليون → ترلي, not ترل; مدرستها → مدرست, as مدرسته and مدرستي).
//!
//! The length guards keep short words whole: و is only removed when at least three letters
//! remain (ولد stays ولد, never لد), the article when at least two remain, ب and ل when at
//! least three remain (بين, لها stay whole), the first suffix when at least
//! [`LightStemmer::min_stem_chars`] remain and each further one when one more remains.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::chars::arabic_block_offset;

/// Article prefixes, longest first so وال is removed whole rather than leaving ال behind.
const ARTICLES: [&str; 6] = ["وال", "بال", "كال", "فال", "لل", "ال"];

/// The conjunction و ("and"), removed when no article is found.
const WAW: &str = "\u{0648}";

/// The prepositions fused to the word they govern, removed after the article or و (or at the
/// start of a word without them) when at least [`MIN_AFTER_PREPOSITION`] letters remain.
const PREPOSITIONS: [&str; 2] = [
    "\u{0628}", // ARABIC LETTER BEH: ب "with, by, in"
    "\u{0644}", // ARABIC LETTER LAM: ل "for, to"
];

/// The fewest letters a preposition's removal leaves: بين, بعد, لها, لدي stay whole.
const MIN_AFTER_PREPOSITION: usize = 3;

/// Suffixes in light10's order; each is removed at most once, in this order. The first one
/// removed leaves at least [`LightStemmer::min_stem_chars`] letters, each further one a letter
/// more.
const SUFFIXES: [&str; 8] = ["ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"];

/// An affix as the stemmer compares it: its letters, each the two bytes of its UTF-8 encoding
/// read as one number (every letter of the tables above is two bytes).
#[derive(Clone, Copy)]
struct Affix {
    len: usize,
    letters: [u16; 3],
}

const fn affix(text: &str) -> Affix {
    let bytes = text.as_bytes();
    assert!(bytes.len().is_multiple_of(2) && bytes.len() <= 6);
    let mut letters = [0u16; 3];
    let mut i = 0;
    while i < bytes.len() / 2 {
        letters[i] = (bytes[2 * i] as u16) << 8 | bytes[2 * i + 1] as u16;
        i += 1;
    }
    Affix {
        len: bytes.len() / 2,
        letters,
    }
}

const fn affixes<const N: usize>(table: [&str; N]) -> [Affix; N] {
    let mut out = [Affix {
        len: 0,
        letters: [0; 3],
    }; N];
    let mut i = 0;
    while i < N {
        out[i] = affix(table[i]);
        i += 1;
    }
    out
}

const ARTICLE_AFFIXES: [Affix; 6] = affixes(ARTICLES);
const WAW_AFFIX: Affix = affix(WAW);
const PREPOSITION_AFFIXES: [Affix; 2] = affixes(PREPOSITIONS);
const SUFFIX_AFFIXES: [Affix; 8] = affixes(SUFFIXES);

/// The light stemmer. Use [`LightStemmer::stem`] on a normalized word, or add it to a tantivy
/// analyzer as a [`TokenFilter`] after [`super::ArabicTokenizer`].
///
/// ```
/// use fahras::analysis::{normalize, LightStemmer};
///
/// let stemmer = LightStemmer::default();
/// assert_eq!(stemmer.stem(&normalize("والمعلمون")), "معلم");
/// assert_eq!(stemmer.stem(&normalize("بالمدينة")), "مدين");
/// assert_eq!(stemmer.stem(&normalize("بمدينة")), "مدين");
/// assert_eq!(stemmer.stem("ولد"), "ولد");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LightStemmer {
    min_stem_chars: usize,
}

impl Default for LightStemmer {
    /// A suffix is removed when at least three letters remain (light10: two).
    fn default() -> Self {
        LightStemmer { min_stem_chars: 3 }
    }
}

impl LightStemmer {
    /// A stemmer that removes a suffix only when at least `min_stem_chars` letters remain
    /// (the default is 3; light10 uses 2, which cuts short nouns such as سنه to سن).
    pub fn with_min_stem_chars(min_stem_chars: usize) -> Self {
        LightStemmer {
            min_stem_chars: min_stem_chars.max(1),
        }
    }

    /// The minimum number of letters a suffix removal leaves (a second or later one leaves one
    /// more).
    pub fn min_stem_chars(&self) -> usize {
        self.min_stem_chars
    }

    /// The stem of a normalized word: a substring of it. Words that are not Arabic (numbers,
    /// Latin) are returned unchanged.
    pub fn stem<'a>(&self, word: &'a str) -> &'a str {
        let (from, to) = self.stem_range(word);
        &word[from..to]
    }

    /// The byte range of the stem within `word`. Every token of the stemmed fields comes
    /// through here, so it works on bytes: every letter the affixes are made of is two bytes
    /// in UTF-8, so letters are bytes / 2.
    fn stem_range(&self, word: &str) -> (usize, usize) {
        let bytes = word.as_bytes();
        // In letters, as if every character were one of the two-byte letters; checked below.
        let n = bytes.len() / 2;
        let letter = |i: usize| u16::from_be_bytes([bytes[2 * i], bytes[2 * i + 1]]);
        let at = |start: usize, affix: &Affix| {
            (0..affix.len).all(|i| letter(start + i) == affix.letters[i])
        };
        let from = match ARTICLE_AFFIXES
            .iter()
            .find(|article| article.len + 2 <= n && at(0, article))
        {
            Some(article) => article.len,
            None if WAW_AFFIX.len + 3 <= n && at(0, &WAW_AFFIX) => WAW_AFFIX.len,
            None => 0,
        };
        let from = match PREPOSITION_AFFIXES.iter().find(|preposition| {
            from + preposition.len + MIN_AFTER_PREPOSITION <= n && at(from, preposition)
        }) {
            Some(preposition) => from + preposition.len,
            None => from,
        };
        let mut to = n;
        let mut min = self.min_stem_chars;
        for suffix in &SUFFIX_AFFIXES {
            if to - from >= suffix.len + min && at(to - suffix.len, suffix) {
                to -= suffix.len;
                min = self.min_stem_chars + 1;
            }
        }
        // Only a word of Arabic letters has affixes removed; the check, a loop over the word,
        // is left for the words where an affix was found.
        if (from, to) == (0, n) || !is_arabic_word(bytes) {
            return (0, bytes.len());
        }
        (2 * from, 2 * to)
    }
}

/// The letters of the basic Arabic block (U+0621..U+064A and U+0671..U+06D3) as a bit set over
/// U+0600..U+06FF.
const ARABIC_LETTERS: [u64; 4] = {
    let mut bits = [0u64; 4];
    let mut offset = 0;
    while offset < 256 {
        if matches!(offset, 0x21..=0x4A | 0x71..=0xD3) {
            bits[offset / 64] |= 1 << (offset % 64);
        }
        offset += 1;
    }
    bits
};

/// Whether every character of a word is a letter of [`ARABIC_LETTERS`], read from its UTF-8
/// bytes two at a time: in valid UTF-8, a lead byte D8..DB at every even offset means every
/// character is a two-byte one of U+0600..U+06FF.
#[inline]
fn is_arabic_word(bytes: &[u8]) -> bool {
    bytes.len().is_multiple_of(2)
        && bytes.chunks_exact(2).all(|pair| {
            arabic_block_offset(pair[0], pair[1])
                .is_some_and(|offset| ARABIC_LETTERS[offset / 64] & (1 << (offset % 64)) != 0)
        })
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
    use proptest::prelude::*;

    /// Letters of the basic Arabic block, the only ones the affix tables are made of.
    #[inline]
    fn is_arabic_letter(c: char) -> bool {
        matches!(c, '\u{0621}'..='\u{064A}' | '\u{0671}'..='\u{06D3}')
    }

    /// The stemmer as first written, on chars and `str` patterns: the reference the byte-level
    /// [`LightStemmer::stem_range`] is checked against.
    fn reference_stem_range(stemmer: &LightStemmer, word: &str) -> (usize, usize) {
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
        if let Some(stripped) = PREPOSITIONS.iter().find_map(|preposition| {
            rest.strip_prefix(preposition)
                .filter(|r| letters(r) >= MIN_AFTER_PREPOSITION)
        }) {
            rest = stripped;
        }
        let mut min = stemmer.min_stem_chars;
        for suffix in SUFFIXES {
            if let Some(stripped) = rest.strip_suffix(suffix) {
                if letters(stripped) >= min {
                    rest = stripped;
                    min = stemmer.min_stem_chars + 1;
                }
            }
        }
        // `rest` is a subslice of `word`.
        let from = rest.as_ptr() as usize - word.as_ptr() as usize;
        (from, from + rest.len())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5_000))]

        /// The byte-level stemmer cuts every word where the reference cuts it: words made of
        /// the affix letters and their neighbours (so that affixes are found), and anything.
        #[test]
        fn stems_as_the_reference_does(
            letters in prop::collection::vec(prop::sample::select(vec![
                '\u{0627}', '\u{0644}', '\u{0648}', '\u{0628}', '\u{0643}', '\u{0641}',
                '\u{0647}', '\u{0646}', '\u{062A}', '\u{064A}', '\u{0645}', '\u{0631}',
                '\u{0621}', '\u{064A}', '\u{0671}', '\u{06D3}', '\u{0620}', '\u{064B}',
                '\u{06D4}', '\u{0660}', 'a', '\u{00E9}', '\u{0670}', '\u{067F}', '\u{0680}',
                '\u{06BF}', '\u{06C0}', '\u{06FF}', '\u{0700}', '\u{05FF}',
            ]), 0..9),
            any_word in any::<String>(),
            min in 1usize..4,
        ) {
            let stemmer = LightStemmer::with_min_stem_chars(min);
            let word: String = letters.into_iter().collect();
            for word in [word.as_str(), any_word.as_str()] {
                prop_assert_eq!(stemmer.stem_range(word), reference_stem_range(&stemmer, word), "{}", word.escape_unicode());
            }
        }
    }

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
            ("لاعبين", "اعب"),   // ل as if a preposition, as in اللاعب and لاعب
            ("قواتها", "قوات"), // ها, then ات would leave two letters (light10: قو)
            ("ترليون", "ترلي"), // ون, then ي would leave three (light10: ترل)
            ("مدرستها", "مدرست"),
            ("الإعلامية", "اعلام"),
            // Several suffixes in sequence.
            ("معلوماتها", "معلوم"),
            // Short words survive.
            ("ولد", "ولد"),
            ("وصل", "وصل"),
            ("بين", "بين"),
            ("فيه", "فيه"), // ه would leave two letters (light10: في)
            ("هو", "هو"),
            ("ال", "ال"),
            ("الى", "الي"), // ي would leave two letters (light10: ال); a stopword anyway
            ("لها", "لها"),
            ("من", "من"),
            ("يد", "يد"),
            // Not Arabic: unchanged.
            ("2024", "2024"),
            ("gps", "gps"),
            ("covid19", "covid19"),
            ("", ""),
            // The prepositions ب and ل fused to a word without the article.
            ("بمدينة", "مدين"),
            ("لمدينة", "مدين"),
            ("بريطانيا", "ريطانيا"), // cut, but so is the query's بريطانيا
            ("لبنان", "بنان"),
            ("لبناني", "بنان"),
            ("بلاده", "لاد"),
            ("بعد", "بعد"), // two letters would remain
            ("ليس", "ليس"),
            ("لها", "لها"),
            ("ولبنان", "بنان"), // و, then ل
            ("البلاد", "لاد"),    // the article, then ب: as بلاد
            ("بلاد", "لاد"),
            ("بالبرلمان", "رلم"),
            ("البنك", "بنك"),    // two letters would remain after ب
            ("فلسطين", "فلسط"),  // ف stays a letter
            ("كمدينة", "كمدين"), // so does ك
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
        // Nor a preposition twice.
        assert_eq!(stem("لبلدان"), "بلد");
    }

    #[test]
    fn the_minimum_keeps_short_nouns() {
        let default = LightStemmer::default();
        assert_eq!(default.min_stem_chars(), 3);
        assert_eq!(default.stem(&normalize("سنة")), "سنه");
        assert_eq!(default.stem(&normalize("كتابه")), "كتاب");
        // light10's guard of two letters cuts them.
        let light10 = LightStemmer::with_min_stem_chars(2);
        assert_eq!(light10.stem(&normalize("سنة")), "سن");
        // A second suffix leaves a letter more: three here, four by default.
        assert_eq!(light10.stem(&normalize("قواتها")), "قوات");
        assert_eq!(light10.stem(&normalize("سنواتها")), "سنو");
        assert_eq!(default.stem(&normalize("سنواتها")), "سنوات");
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
