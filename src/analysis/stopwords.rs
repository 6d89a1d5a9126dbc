//! Arabic stopwords: the function words of Modern Standard Arabic news text.
//!
//! The list is ours, written for news archives: prepositions, conjunctions and particles,
//! personal, demonstrative and relative pronouns, prepositions with attached pronouns, the
//! auxiliary كان, and the commonest of these with the conjunction و attached (which a light
//! stemmer would otherwise leave as و-words). Content words that are merely frequent in news
//! (قال, أكد, الحكومة, اليوم) are deliberately NOT stopwords: they are what people search for.
//!
//! Every entry is written in NORMALIZED form (ا for أ إ آ, ه for ة, ي for ى, no diacritics),
//! because stopwords are matched after normalization: إلى, الى, إلَى and الي are all the same
//! stopword. A test checks that every entry is normalized.
//!
//! Whether stopwords are dropped at all, and where (index, query, both), is a retrieval-quality
//! decision measured by `fahras eval`; this module only provides the list and the filter.

use std::sync::OnceLock;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// The stopword list, in normalized spelling.
pub const ARABIC_STOPWORDS: &[&str] = &[
    // The definite article written apart from its word (a typing slip, or a line broken after
    // it): alone it means nothing.
    "ال",
    // Prepositions.
    "من",
    "الي",
    "عن",
    "علي",
    "في",
    "مع",
    "عند",
    "لدي",
    "حتي",
    "منذ",
    "مذ",
    "خلال",
    "بين",
    "نحو",
    "دون",
    "حول",
    "ضد",
    "عبر",
    "تجاه",
    "لدن",
    "سوي",
    "عدا",
    "خلا",
    // Conjunctions and particles.
    "و",
    "ف",
    "ثم",
    "او",
    "ام",
    "بل",
    "لكن",
    "لكنه",
    "لكنها",
    "لان",
    "لانه",
    "لانها",
    "اذ",
    "اذا",
    "اذن",
    "ان",
    "انه",
    "انها",
    "انهم",
    "بان",
    "بانه",
    "بانها",
    "كي",
    "لكي",
    "حيث",
    "بينما",
    "كما",
    "كلما",
    "لما",
    "مما",
    "ممن",
    "عما",
    "فيما",
    "لو",
    "لولا",
    "الا",
    "اما",
    "انما",
    "ما",
    "لا",
    "لم",
    "لن",
    "ليس",
    "ليست",
    "هل",
    "قد",
    "لقد",
    "سوف",
    "يا",
    "كذلك",
    "ايضا",
    "فقط",
    "حين",
    "عندما",
    "بعدما",
    "قبلما",
    "كيف",
    "متي",
    "اين",
    "ماذا",
    "لماذا",
    "كم",
    "اي",
    "ايه",
    "تلو",
    "حيال",
    "اثر",
    // Personal pronouns.
    "انا",
    "نحن",
    "انت",
    "انتم",
    "انتما",
    "انتن",
    "هو",
    "هي",
    "هم",
    "هن",
    "هما",
    // Demonstratives.
    "هذا",
    "هذه",
    "هذان",
    "هذين",
    "هاتان",
    "هاتين",
    "هؤلاء",
    "ذلك",
    "تلك",
    "ذلكم",
    "اولئك",
    "هنا",
    "هناك",
    "هنالك",
    "ثمه",
    // Relative pronouns.
    "الذي",
    "التي",
    "الذين",
    "اللذان",
    "اللتان",
    "اللذين",
    "اللتين",
    "اللواتي",
    "اللاتي",
    // Prepositions with attached pronouns.
    "فيه",
    "فيها",
    "فيهم",
    "فيهما",
    "منه",
    "منها",
    "منهم",
    "منهما",
    "عليه",
    "عليها",
    "عليهم",
    "عليهما",
    "اليه",
    "اليها",
    "اليهم",
    "عنه",
    "عنها",
    "عنهم",
    "له",
    "لها",
    "لهم",
    "لهما",
    "لنا",
    "لي",
    "لك",
    "به",
    "بها",
    "بهم",
    "معه",
    "معها",
    "معهم",
    "عنده",
    "عندها",
    "لديه",
    "لديها",
    "لديهم",
    "بينهم",
    "بينها",
    "انني",
    "اننا",
    "انك",
    // Auxiliaries and quasi-particles.
    "كان",
    "كانت",
    "كانوا",
    "يكون",
    "تكون",
    "يكن",
    "تكن",
    "ظل",
    "ظلت",
    "ليسوا",
    "عسي",
    "كل",
    "بعض",
    "غير",
    "ذات",
    "ذو",
    "ذي",
    "مثل",
    "تم",
    "يتم",
    // The commonest function words with the conjunction و attached.
    "وفي",
    "ومن",
    "وعلي",
    "والي",
    "وعن",
    "ومع",
    "وان",
    "وانه",
    "وهو",
    "وهي",
    "وهم",
    "وقد",
    "ولا",
    "وما",
    "ولم",
    "ولن",
    "وكان",
    "وكانت",
    "وهذا",
    "وهذه",
    "وذلك",
    "وهناك",
    "والتي",
    "والذي",
    "والذين",
    "وبين",
    "وكل",
    "وغير",
    "وكذلك",
    "واذا",
    "ولكن",
    "وليس",
    "وبعد",
    "وقبل",
    // The same with ف.
    "فان",
    "فانه",
    "فقد",
    "فلا",
    "فهو",
    "فهي",
    "فما",
    "فمن",
];

/// The stopwords packed for lookup: an open-addressing table of keys (see [`key`]).
///
/// Every token of the stemmed fields is looked up here while indexing. tantivy's
/// `StopWordFilter` keeps a `HashSet<String>` hashed with SipHash, which took 5% of indexing
/// time. A stopword is at most 14 bytes, so two overlapping 8-byte loads hold it whole: a
/// lookup is a multiplication and, nearly always, one comparison.
struct StopwordTable {
    /// A 16-bit tag of each slot's key from its hash, 0 for an empty slot: a probe reads this
    /// 2 KB array and the keys only on a tag match, which keeps the lookups of words that are
    /// not stopwords (most words) in the first-level cache beside tantivy's busy hash table.
    tags: Box<[u16]>,
    keys: Box<[Key]>,
}

/// Slots in the table: a power of two, at least four times the list, so that a probe for a
/// word that is not there (most words) rarely goes past its first slot.
const TABLE_SLOTS: usize = 1024;

/// A term as it is looked up: two words that together hold all its bytes, and its length.
/// (An empty slot is marked by its tag, not its key.)
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Key {
    head: u64,
    tail: u64,
    len: usize,
}

/// The key of a term, `None` for a term longer than any stopword could be. Given the length,
/// the first and last 8 bytes (4 bytes below 8, single bytes below 4) determine every byte of a
/// term up to 16 bytes long, so equal keys mean equal terms. Overlapping loads instead of a
/// copy into a buffer: the copy was most of the lookup.
#[inline]
fn key(term: &str) -> Option<Key> {
    let bytes = term.as_bytes();
    let len = bytes.len();
    let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap());
    let u32_at = |at: usize| u64::from(u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()));
    let (head, tail) = match len {
        0 => return None,
        1..=3 => (
            u64::from(bytes[0]) | u64::from(bytes[len / 2]) << 8 | u64::from(bytes[len - 1]) << 16,
            0,
        ),
        4..=7 => (u32_at(0), u32_at(len - 4)),
        8..=16 => (u64_at(0), u64_at(len - 8)),
        _ => return None,
    };
    Some(Key { head, tail, len })
}

/// The first slot to probe for a key and its tag (Fibonacci hashing: the top bits pick the
/// slot, the low bits make the tag, never 0).
#[inline]
fn home(key: &Key) -> (usize, u16) {
    let mixed = key.head ^ key.tail.rotate_left(29) ^ key.len as u64;
    let hash = mixed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let slot = (hash >> (64 - TABLE_SLOTS.trailing_zeros())) as usize;
    (slot, (hash as u16) | 1)
}

impl StopwordTable {
    fn new(words: &[&str]) -> StopwordTable {
        assert!(
            words.len() * 4 <= TABLE_SLOTS,
            "grow TABLE_SLOTS with the list"
        );
        let mut tags = vec![0u16; TABLE_SLOTS].into_boxed_slice();
        let mut keys = vec![Key::default(); TABLE_SLOTS].into_boxed_slice();
        for word in words {
            let key = key(word).expect("a stopword is 1 to 16 bytes long");
            let (mut slot, tag) = home(&key);
            while tags[slot] != 0 && keys[slot] != key {
                slot = (slot + 1) % TABLE_SLOTS;
            }
            tags[slot] = tag;
            keys[slot] = key;
        }
        StopwordTable { tags, keys }
    }

    #[inline]
    fn contains(&self, term: &str) -> bool {
        let Some(key) = key(term) else {
            return false;
        };
        let (mut slot, tag) = home(&key);
        loop {
            match self.tags[slot] {
                0 => return false,
                found if found == tag && self.keys[slot] == key => return true,
                _ => slot = (slot + 1) % TABLE_SLOTS,
            }
        }
    }
}

/// The stopword table, built once.
fn table() -> &'static StopwordTable {
    static TABLE: OnceLock<StopwordTable> = OnceLock::new();
    TABLE.get_or_init(|| StopwordTable::new(ARABIC_STOPWORDS))
}

/// Whether a NORMALIZED term is an Arabic stopword.
///
/// ```
/// use fahras::analysis::{is_stopword, normalize};
///
/// assert!(is_stopword(&normalize("إلى")));
/// assert!(is_stopword(&normalize("الَّتِي")));
/// assert!(!is_stopword(&normalize("الحكومة")));
/// ```
pub fn is_stopword(term: &str) -> bool {
    table().contains(term)
}

/// A tantivy token filter that removes Arabic stopwords; place it right after
/// [`super::ArabicTokenizer`], whose tokens are already normalized. Removed tokens leave a gap
/// in positions, as Lucene's filter does, so a phrase never matches across a removed word.
///
/// ```
/// use fahras::analysis::{stopword_filter, ArabicTokenizer};
/// use tantivy::tokenizer::TextAnalyzer;
///
/// let mut analyzer = TextAnalyzer::builder(ArabicTokenizer::default())
///     .filter(stopword_filter())
///     .build();
/// let mut stream = analyzer.token_stream("ذهب إلى المدينة");
/// assert_eq!(stream.next().map(|t| (t.text.clone(), t.position)), Some(("ذهب".into(), 0)));
/// assert_eq!(stream.next().map(|t| (t.text.clone(), t.position)), Some(("المدينه".into(), 2)));
/// assert!(stream.next().is_none());
/// ```
pub fn stopword_filter() -> StopwordFilter {
    StopwordFilter { table: table() }
}

/// Removes Arabic stopwords from a token stream (see [`stopword_filter`]).
#[derive(Clone, Copy)]
pub struct StopwordFilter {
    table: &'static StopwordTable,
}

impl TokenFilter for StopwordFilter {
    type Tokenizer<T: Tokenizer> = StopwordFilterWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> StopwordFilterWrapper<T> {
        StopwordFilterWrapper {
            table: self.table,
            inner: tokenizer,
        }
    }
}

/// [`StopwordFilter`] wrapped around a tokenizer.
#[derive(Clone)]
pub struct StopwordFilterWrapper<T> {
    table: &'static StopwordTable,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for StopwordFilterWrapper<T> {
    type TokenStream<'a> = StopwordFilterStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StopwordFilterStream {
            table: self.table,
            tail: self.inner.token_stream(text),
        }
    }
}

/// The token stream of [`StopwordFilterWrapper`].
pub struct StopwordFilterStream<S> {
    table: &'static StopwordTable,
    tail: S,
}

impl<S: TokenStream> TokenStream for StopwordFilterStream<S> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            if !self.table.contains(&self.tail.token().text) {
                return true;
            }
        }
        false
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
    use super::super::{normalize, ArabicTokenizer};
    use super::*;
    use tantivy::tokenizer::TextAnalyzer;

    #[test]
    fn every_entry_is_normalized() {
        for word in ARABIC_STOPWORDS {
            assert_eq!(normalize(word), *word, "stopword {word} is not normalized");
            assert!(!word.is_empty());
        }
    }

    #[test]
    fn no_duplicates() {
        let mut words = ARABIC_STOPWORDS.to_vec();
        words.sort_unstable();
        words.dedup();
        assert_eq!(words.len(), ARABIC_STOPWORDS.len());
    }

    #[test]
    fn table_holds_exactly_the_list() {
        for word in ARABIC_STOPWORDS {
            assert!(is_stopword(word), "{word}");
            // A word one letter longer or shorter, or with its last byte changed, is not a
            // stopword unless the list has it too.
            for other in [format!("{word}ا"), word[..word.len() - 2].to_string()] {
                assert_eq!(
                    is_stopword(&other),
                    ARABIC_STOPWORDS.contains(&other.as_str())
                );
            }
        }
        // Every letter of every stopword matters: changed anywhere, the word is another.
        for word in ARABIC_STOPWORDS {
            for (at, c) in word.char_indices() {
                let other_letter = if c == '\u{0628}' {
                    "\u{062A}"
                } else {
                    "\u{0628}"
                }; // BEH, TEH
                let other = format!(
                    "{}{other_letter}{}",
                    &word[..at],
                    &word[at + c.len_utf8()..]
                );
                assert_eq!(
                    is_stopword(&other),
                    ARABIC_STOPWORDS.contains(&other.as_str())
                );
            }
        }
        let filled = table().tags.iter().filter(|&&t| t != 0).count();
        assert_eq!(filled, ARABIC_STOPWORDS.len());
        for term in [
            "",
            "a",
            "abcdefghijklmno",
            "abcdefghijklmnop",
            "الحكومه",
            "\0",
        ] {
            assert!(!is_stopword(term), "{term:?}");
        }
    }

    #[test]
    fn matches_after_normalization() {
        // Written with hamza, diacritics, tatweel, alef maksura: all stopwords.
        for written in [
            "إلى", "الى", "إلَى", "عَلى", "علـى", "أنّ", "إنّ", "هذه", "هذة", "التى",
        ] {
            assert!(is_stopword(&normalize(written)), "{written}");
        }
        for content in ["الحكومة", "قال", "اليوم", "مدينة", "الرئيس"] {
            assert!(!is_stopword(&normalize(content)), "{content}");
        }
    }

    #[test]
    fn filter_removes_noisy_stopwords() {
        let mut analyzer = TextAnalyzer::builder(ArabicTokenizer::default())
            .filter(stopword_filter())
            .build();
        let text = "ذهب إلَـى المدينة مع أخيه";
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.position));
        }
        assert_eq!(
            out,
            [
                ("ذهب".to_string(), 0),
                ("المدينه".to_string(), 2),
                ("اخيه".to_string(), 4)
            ]
        );
    }
}
