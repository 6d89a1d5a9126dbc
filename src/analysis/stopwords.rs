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

use std::collections::HashSet;
use std::sync::OnceLock;

use tantivy::tokenizer::StopWordFilter;

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

/// The stopwords as a set, built once.
fn set() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| ARABIC_STOPWORDS.iter().copied().collect())
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
    set().contains(term)
}

/// A tantivy token filter that removes Arabic stopwords; place it right after
/// [`super::ArabicTokenizer`], whose tokens are already normalized. Removed tokens leave a gap
/// in positions, as Lucene's filter does, so a phrase never matches across a removed word.
pub fn stopword_filter() -> StopWordFilter {
    StopWordFilter::remove(ARABIC_STOPWORDS.iter().map(|w| w.to_string()))
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
        assert_eq!(set().len(), ARABIC_STOPWORDS.len());
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
