//! The Arabic tokenizer: finds words in the original text and emits them normalized.
//!
//! Data flow for one text: the scanner walks the ORIGINAL text and finds the byte span of each
//! word; the span's text is normalized (see [`super::normalizer`]) into the token's text; the
//! token keeps the span as its offsets. Offsets therefore always slice the text exactly as the
//! article wrote it, diacritics, tatweel and all, which is what snippets highlight.
//!
//! Word boundaries follow Unicode's word-boundary rules (UAX #29) with the refinements an Arabic
//! archive needs:
//!
//! * Diacritics, tatweel, ZWNJ/ZWJ and bidi marks never split a word (they are `Extend`/`Format`
//!   in UAX #29 too), and never start one.
//! * A number is one token, with `.` `,` `٫` `٬` between digits: `3.5`, `1,000`, `٣٫٥`.
//! * `_` splits words, so the hashtag `#عاصي_الحلاني` gives `عاصي` and `الحلاني`.
//! * Arabic letters and digits written together (`ديرالزور24`) are two words; Latin letters and
//!   digits stay together (`5G`, `covid19`), as in UAX #29.
//!
//! Text made of Arabic, ASCII, digits, punctuation and format characters (nearly all of an Arabic
//! news archive) is scanned by a fast table-driven loop that implements exactly these rules. A
//! whitespace-delimited run that contains a letter of any other script (é, Cyrillic, CJK …) is
//! segmented by `unicode-segmentation`'s full UAX #29 implementation instead, and its words are
//! then refined by the same rules.
//!
//! Positions are consecutive over the tokens actually emitted, so phrase queries work. Tokens
//! whose original span is longer than [`MAX_TOKEN_BYTES`] (URL-like garbage, runs of letters with
//! no spaces) are dropped without using up a position.

use std::cell::RefCell;
use std::collections::VecDeque;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_segmentation::UnicodeSegmentation;

use super::chars::{arabic_block_offset, arabic_info, info, CharClass};
use super::normalizer::normalize_into;

/// Tokens whose original text is longer than this many bytes are dropped. The longest Arabic
/// words are about 15 letters (30 bytes); 120 bytes leaves room for diacritics and long Latin
/// words while keeping garbage out of the term dictionary.
pub const MAX_TOKEN_BYTES: usize = 120;

/// A tantivy [`Tokenizer`] for Arabic text: UAX #29 word boundaries, normalized terms, offsets
/// into the original text.
///
/// ```
/// use fahras::analysis::ArabicTokenizer;
/// use tantivy::tokenizer::{TokenStream, Tokenizer};
///
/// let text = "أعلنَت الـحكومة";
/// let mut tokenizer = ArabicTokenizer::default();
/// let mut stream = tokenizer.token_stream(text);
/// let mut terms = Vec::new();
/// while let Some(token) = stream.next() {
///     terms.push((token.text.clone(), &text[token.offset_from..token.offset_to]));
/// }
/// assert_eq!(terms, [("اعلنت".to_string(), "أعلنَت"), ("الحكومه".to_string(), "الـحكومة")]);
/// ```
#[derive(Clone, Default)]
pub struct ArabicTokenizer {
    token: Token,
    pending: VecDeque<(usize, usize)>,
    sharing: Sharing,
    /// The tokens of the text being tokenized (remembering) or replayed (reusing).
    memo: Memo,
}

/// How a tokenizer shares its work with the next one on the same thread.
///
/// An archive indexes each text twice: stemmed (`title`, `body`) and in its exact form
/// (`title_exact`, `body_exact`), and its lead (the start of the body) once more, stemmed.
/// tantivy's indexing thread analyzes a document's fields one after the other, in field
/// order, and every analyzer starts with the same tokenizer: the second analysis of a text,
/// and the analysis of a part of it, can replay the tokens the first found instead of scanning
/// and normalizing the text again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sharing {
    /// Tokenizes every text itself.
    #[default]
    Alone,
    /// Leaves the tokens of each text it tokenized on the thread for the next
    /// [`Sharing::Reuse`] tokenizer. A text that is a line-started part of the text left on
    /// the thread (see [`part_of`]) is replayed from it instead, and the tokens left stay.
    Remember,
    /// Replays the tokens left by a [`Sharing::Remember`] tokenizer when its text is the same
    /// (compared in full), else tokenizes.
    Reuse,
}

/// Where `part` occurs in `whole` so that tokenizing it alone gives exactly the tokens of
/// `whole` inside it: right after a line break, and followed by whitespace or the end. The
/// scanner never carries anything across whitespace (a word, a number, a UAX #29 run all stop
/// there), so those tokens are the same, shifted by the returned offset. A proptest checks it.
pub(super) fn part_of(whole: &str, part: &str) -> Option<usize> {
    if part.is_empty() || part.len() >= whole.len() {
        return None;
    }
    whole.match_indices('\n').map(|(at, _)| at + 1).find(|&at| {
        whole.as_bytes()[at..].starts_with(part.as_bytes())
            && whole[at + part.len()..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace)
    })
}

/// Tokens found in a text: (offset from, offset to, end of the term in `terms`).
#[derive(Clone, Default)]
pub(super) struct Memo {
    text: String,
    pub(super) tokens: Vec<(usize, usize, usize)>,
    terms: String,
    /// Replaying: the next token, the token to stop before, and how far the text replayed
    /// starts into the remembered text.
    next: usize,
    stop: usize,
    shift: usize,
}

impl Memo {
    fn clear(&mut self) {
        self.text.clear();
        self.tokens.clear();
        self.terms.clear();
        self.next = 0;
        self.stop = 0;
        self.shift = 0;
    }
}

thread_local! {
    /// The tokens a [`Sharing::Remember`] tokenizer left on this thread.
    pub(super) static REMEMBERED: RefCell<Memo> = RefCell::new(Memo::default());
}

impl ArabicTokenizer {
    /// A tokenizer that shares its work (see [`Sharing`]).
    pub fn sharing(sharing: Sharing) -> ArabicTokenizer {
        ArabicTokenizer {
            sharing,
            ..ArabicTokenizer::default()
        }
    }
}

impl Tokenizer for ArabicTokenizer {
    type TokenStream<'a> = ArabicTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ArabicTokenStream<'a> {
        self.token.reset();
        self.pending.clear();
        self.memo.clear();
        let mut replaying = false;
        if self.sharing != Sharing::Alone {
            REMEMBERED.with(|remembered| {
                let mut remembered = remembered.borrow_mut();
                let (first, stop, shift) = match self.sharing {
                    Sharing::Reuse if remembered.text == text => (0, remembered.tokens.len(), 0),
                    Sharing::Remember => match part_of(&remembered.text, text) {
                        Some(at) => {
                            let tokens = &remembered.tokens;
                            let first = tokens.partition_point(|&(from, _, _)| from < at);
                            let stop =
                                tokens.partition_point(|&(from, _, _)| from < at + text.len());
                            (first, stop, at)
                        }
                        None => return,
                    },
                    _ => return,
                };
                // Taken while replaying, and given back at the end (see `replay`).
                std::mem::swap(&mut *remembered, &mut self.memo);
                self.memo.next = first;
                self.memo.stop = stop;
                self.memo.shift = shift;
                replaying = true;
            });
        }
        ArabicTokenStream {
            text,
            cursor: 0,
            next_position: 0,
            token: &mut self.token,
            pending: &mut self.pending,
            memo: (replaying || self.sharing == Sharing::Remember).then_some(&mut self.memo),
            replaying,
        }
    }
}

/// The token stream of [`ArabicTokenizer`].
pub struct ArabicTokenStream<'a> {
    text: &'a str,
    cursor: usize,
    next_position: usize,
    token: &'a mut Token,
    /// Words already found by the UAX #29 fallback, waiting to be emitted.
    pending: &'a mut VecDeque<(usize, usize)>,
    /// Where the tokens are remembered, or replayed from.
    memo: Option<&'a mut Memo>,
    replaying: bool,
}

impl TokenStream for ArabicTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.replaying {
            return self.replay();
        }
        loop {
            let (from, to) = match self.pending.pop_front() {
                Some(span) => span,
                None => match next_word(self.text, &mut self.cursor, self.text.len(), false) {
                    Scan::Word(from, to, true) if to - from <= MAX_TOKEN_BYTES => {
                        // Fast path: the word is already in normalized form.
                        self.token.text.clear();
                        self.token.text.push_str(&self.text[from..to]);
                        self.emit(from, to);
                        return true;
                    }
                    Scan::Word(from, to, _) => (from, to),
                    Scan::Fallback(from) => {
                        self.segment_with_uax29(from);
                        continue;
                    }
                    Scan::End => {
                        self.leave_memo();
                        return false;
                    }
                },
            };
            if to - from > MAX_TOKEN_BYTES {
                continue;
            }
            self.token.text.clear();
            normalize_into(&self.text[from..to], &mut self.token.text);
            if self.token.text.is_empty() {
                // Only marks or format characters: nothing to index.
                continue;
            }
            self.emit(from, to);
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

impl ArabicTokenStream<'_> {
    /// Completes the token whose text has been written.
    #[inline]
    fn emit(&mut self, from: usize, to: usize) {
        self.place(from, to);
        if let Some(memo) = self.memo.as_deref_mut() {
            memo.terms.push_str(&self.token.text);
            memo.tokens.push((from, to, memo.terms.len()));
        }
    }

    /// The next remembered token; at the end, the tokens go back on the thread for the next
    /// tokenizer that can use them (the lead after the body's exact form).
    fn replay(&mut self) -> bool {
        let Some(memo) = self.memo.as_deref_mut() else {
            return false;
        };
        if memo.next >= memo.stop {
            REMEMBERED.with(|remembered| {
                let mut remembered = remembered.borrow_mut();
                if remembered.text.is_empty() {
                    std::mem::swap(&mut *remembered, memo);
                }
            });
            self.memo = None;
            return false;
        }
        let (from, to, end) = memo.tokens[memo.next];
        let start = match memo.next {
            0 => 0,
            i => memo.tokens[i - 1].2,
        };
        memo.next += 1;
        self.token.text.clear();
        self.token.text.push_str(&memo.terms[start..end]);
        let shift = memo.shift;
        self.place(from - shift, to - shift);
        true
    }

    /// Gives the token whose text has been written its offsets and the next position.
    #[inline]
    fn place(&mut self, from: usize, to: usize) {
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = self.next_position;
        self.token.position_length = 1;
        self.next_position += 1;
    }

    /// At the end of a remembering tokenizer's text: leaves its tokens on the thread.
    fn leave_memo(&mut self) {
        if let Some(memo) = self.memo.take() {
            memo.text.push_str(self.text);
            REMEMBERED.with(|remembered| std::mem::swap(&mut *remembered.borrow_mut(), memo));
        }
    }

    /// Segments the whitespace-delimited run starting at `from` with the full UAX #29 rules and
    /// queues its words, each refined by the scanner's rules.
    fn segment_with_uax29(&mut self, from: usize) {
        let rest = &self.text[from..];
        let run_end = rest
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
            .map_or(self.text.len(), |(i, _)| from + i);
        for (offset, word) in self.text[from..run_end].unicode_word_indices() {
            let word_start = from + offset;
            let word_end = word_start + word.len();
            let mut cursor = word_start;
            while let Scan::Word(a, b, _) = next_word(self.text, &mut cursor, word_end, true) {
                self.pending.push_back((a, b));
            }
        }
        self.cursor = run_end;
    }
}

/// What the scanner found.
#[derive(Debug, PartialEq, Eq)]
enum Scan {
    /// A word spanning these byte offsets, and whether normalization leaves it unchanged.
    Word(usize, usize, bool),
    /// A letter of another script at or after this offset: segment from here with UAX #29.
    Fallback(usize),
    /// No more words before the end.
    End,
}

/// Which kind of word the scanner is in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Arabic,
    Alphanumeric,
    Number,
}

/// The character at byte offset `at`, which must be a char boundary.
#[inline]
fn char_at(text: &str, at: usize) -> char {
    let bytes = text.as_bytes();
    let b = bytes[at];
    if b < 0x80 {
        b as char
    } else if b & 0xE0 == 0xC0 {
        // Two-byte sequences cover all of Arabic; `text` is valid UTF-8, so the continuation
        // byte exists and the code point is valid.
        let cp = (u32::from(b & 0x1F) << 6) | u32::from(bytes[at + 1] & 0x3F);
        char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER)
    } else {
        text[at..]
            .chars()
            .next()
            .unwrap_or(char::REPLACEMENT_CHARACTER)
    }
}

/// Finds the next word in `text[*cursor..end]` and moves the cursor past it. With
/// `other_scripts`, letters of other scripts are accepted as alphanumeric word characters (the
/// caller has already applied UAX #29); without, they ask for the fallback.
#[inline]
fn next_word(text: &str, cursor: &mut usize, end: usize, other_scripts: bool) -> Scan {
    // Skip to the first character that can start a word.
    let (mut kind, mut unchanged) = loop {
        if *cursor >= end {
            return Scan::End;
        }
        let c = char_at(text, *cursor);
        let info = info(c);
        match info.class {
            CharClass::ArabicLetter => break (Kind::Arabic, info.unchanged),
            CharClass::AsciiLetter => break (Kind::Alphanumeric, info.unchanged),
            CharClass::Digit => break (Kind::Number, info.unchanged),
            CharClass::OtherAlphanumeric if other_scripts => {
                break (Kind::Alphanumeric, info.unchanged)
            }
            CharClass::OtherAlphanumeric => return Scan::Fallback(*cursor),
            CharClass::NumberSeparator | CharClass::Joiner | CharClass::Separator => {
                *cursor += c.len_utf8();
            }
        }
    };
    let start = *cursor;
    *cursor += char_at(text, start).len_utf8();
    if kind == Kind::Arabic {
        // The letters and marks of an Arabic word are two bytes each (U+0600..U+06FF is
        // D8..DB followed by one byte): classified straight from the bytes until something
        // else comes, which the loop below takes as it would have anyway.
        let bytes = text.as_bytes();
        while *cursor + 1 < end {
            let Some(offset) = arabic_block_offset(bytes[*cursor], bytes[*cursor + 1]) else {
                break;
            };
            let info = arabic_info(offset);
            if !matches!(info.class, CharClass::ArabicLetter | CharClass::Joiner) {
                break;
            }
            unchanged &= info.unchanged;
            *cursor += 2;
        }
    }
    while *cursor < end {
        let c = char_at(text, *cursor);
        let info = info(c);
        let continues = match (kind, info.class) {
            (_, CharClass::Joiner) => true,
            (Kind::Arabic, CharClass::ArabicLetter) => true,
            (Kind::Alphanumeric, CharClass::AsciiLetter | CharClass::Digit) => true,
            (Kind::Number, CharClass::Digit) => true,
            (Kind::Number, CharClass::AsciiLetter) => {
                kind = Kind::Alphanumeric;
                true
            }
            (_, CharClass::OtherAlphanumeric) if !other_scripts => {
                *cursor = start;
                return Scan::Fallback(start);
            }
            (Kind::Alphanumeric | Kind::Number, CharClass::OtherAlphanumeric) => {
                kind = Kind::Alphanumeric;
                true
            }
            (Kind::Number, CharClass::NumberSeparator) => {
                // A separator continues the number only when a digit follows it.
                let after = *cursor + c.len_utf8();
                if after < end {
                    let next = info_at(text, after);
                    if next.class == CharClass::Digit {
                        unchanged &= info.unchanged && next.unchanged;
                        *cursor = after;
                        // The digit itself is consumed below.
                        let digit_len = char_at(text, after).len_utf8();
                        *cursor += digit_len;
                        continue;
                    }
                }
                false
            }
            _ => false,
        };
        if !continues {
            break;
        }
        unchanged &= info.unchanged;
        *cursor += c.len_utf8();
    }
    Scan::Word(start, *cursor, unchanged)
}

#[inline]
fn info_at(text: &str, at: usize) -> super::chars::CharInfo {
    info(char_at(text, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (original slice, normalized term, position) of every token.
    fn tokens(text: &str) -> Vec<(String, String, usize)> {
        let mut tokenizer = ArabicTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((
                text[t.offset_from..t.offset_to].to_string(),
                t.text.clone(),
                t.position,
            ));
        }
        out
    }

    fn terms(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|(_, term, _)| term).collect()
    }

    fn slices(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|(s, _, _)| s).collect()
    }

    #[test]
    fn splits_on_spaces_and_arabic_punctuation() {
        assert_eq!(
            terms("قال الوزير، إن الحكومة؟"),
            ["قال", "الوزير", "ان", "الحكومه"]
        );
        assert_eq!(
            terms("«الخابور»: تقرير؛ جديد"),
            ["الخابور", "تقرير", "جديد"]
        );
        assert_eq!(terms("السورية-العراقية"), ["السوريه", "العراقيه"]);
    }

    #[test]
    fn marks_never_split_a_word() {
        // Diacritics, tatweel, ZWNJ and bidi marks inside a word.
        assert_eq!(slices("الحُكومَة"), ["الحُكومَة"]);
        assert_eq!(slices("الـــرياضة اليوم"), ["الـــرياضة", "اليوم"]);
        assert_eq!(slices("می\u{200C}خواهم"), ["می\u{200C}خواهم"]);
        assert_eq!(terms("كل\u{200F}مة"), ["كلمه"]);
    }

    #[test]
    fn marks_alone_make_no_token() {
        assert!(tokens("\u{064E}\u{0651}").is_empty());
        assert!(tokens("ـــــ ــ").is_empty());
        assert!(tokens("\u{200F}\u{200E}").is_empty());
        // ... and do not use up a position.
        assert_eq!(tokens("ـــ كتاب")[0].2, 0);
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "\u{200F}أَعْلَنَتْ  الشركةُ ٢٠٢٤";
        let toks = tokens(text);
        assert_eq!(
            toks,
            [
                ("أَعْلَنَتْ".to_string(), "اعلنت".to_string(), 0),
                ("الشركةُ".to_string(), "الشركه".to_string(), 1),
                ("٢٠٢٤".to_string(), "2024".to_string(), 2),
            ]
        );
    }

    #[test]
    fn numbers_stay_one_token() {
        assert_eq!(terms("3.5 مليون"), ["3.5", "مليون"]);
        assert_eq!(terms("٣٫٥ مليار"), ["3.5", "مليار"]);
        assert_eq!(terms("1,000,000 دولار"), ["1,000,000", "دولار"]);
        assert_eq!(terms("١٬٢٠٠"), ["1,200"]);
        // A separator with no digit after it ends the number.
        assert_eq!(terms("عام 2024."), ["عام", "2024"]);
        assert_eq!(terms("2024, 2025"), ["2024", "2025"]);
    }

    #[test]
    fn arabic_and_digits_split_latin_and_digits_join() {
        assert_eq!(terms("ديرالزور24"), ["ديرالزور", "24"]);
        assert_eq!(terms("24ساعة"), ["24", "ساعه"]);
        assert_eq!(terms("شبكات 5G وcovid19"), ["شبكات", "5g", "و", "covid19"]);
        assert_eq!(terms("GPSالجديد"), ["gps", "الجديد"]);
    }

    #[test]
    fn hashtags_yield_their_words() {
        assert_eq!(terms("#عاصي_الحلاني"), ["عاصي", "الحلاني"]);
        assert_eq!(terms("#الشروق_بطلا #2024"), ["الشروق", "بطلا", "2024"]);
        assert_eq!(terms("snake_case"), ["snake", "case"]);
    }

    #[test]
    fn mixed_latin_and_arabic() {
        assert_eq!(
            terms("أطلقت Nibras Cloud خدمة"),
            ["اطلقت", "nibras", "cloud", "خدمه"]
        );
        assert_eq!(
            terms("https://example.org/news"),
            ["https", "example", "org", "news"]
        );
    }

    #[test]
    fn lam_alef_ligature_is_a_word() {
        assert_eq!(terms("\u{FEFB} \u{FEF7}"), ["لا", "لا"]);
    }

    #[test]
    fn emoji_are_separators() {
        assert_eq!(terms("مبروك😀الفوز 🎉"), ["مبروك", "الفوز"]);
    }

    #[test]
    fn other_scripts_use_uax29() {
        assert_eq!(terms("زار Élysée مع"), ["زار", "élysée", "مع"]);
        assert_eq!(terms("déjà-vu"), ["déjà", "vu"]);
        assert_eq!(terms("Москва"), ["москва"]);
        // Ideographs are one word each under UAX #29.
        assert_eq!(terms("北京"), ["北", "京"]);
        // Words before the foreign run are not lost or repeated.
        assert_eq!(terms("قال abc-déf ثم"), ["قال", "abc", "déf", "ثم"]);
    }

    #[test]
    fn positions_are_consecutive() {
        let toks = tokens("في، عام ٢٠٢٤ — أعلنت 😀 الوزارة");
        let positions: Vec<usize> = toks.iter().map(|t| t.2).collect();
        assert_eq!(positions, (0..toks.len()).collect::<Vec<_>>());
    }

    #[test]
    fn over_long_tokens_are_dropped() {
        let garbage = "ب".repeat(200);
        let text = format!("قبل {garbage} بعد");
        let toks = tokens(&text);
        assert_eq!(toks.len(), 2);
        assert_eq!(toks[1], ("بعد".to_string(), "بعد".to_string(), 1));
        let url = "a".repeat(MAX_TOKEN_BYTES + 1);
        assert!(tokens(&url).is_empty());
    }

    #[test]
    fn empty_and_blank_text() {
        assert!(tokens("").is_empty());
        assert!(tokens("   \n\t ").is_empty());
        assert!(tokens("،.؟!").is_empty());
    }

    #[test]
    fn tokenizer_is_reusable() {
        let mut tokenizer = ArabicTokenizer::default();
        for text in ["كتاب جديد", "Élysée x", "قلم"] {
            let mut n = 0;
            let mut stream = tokenizer.token_stream(text);
            while stream.advance() {
                n += 1;
            }
            assert!(n >= 1);
        }
        let mut stream = tokenizer.token_stream("قلم");
        assert!(stream.advance());
        assert_eq!(stream.token().position, 0);
        assert_eq!(stream.token().text, "قلم");
        assert!(!stream.advance());
    }
}
