//! The character tables behind normalization and segmentation.
//!
//! Two questions are asked of every character of the input, and both are answered here as
//! `match` tables, one character or range per arm, with the code point and Unicode name in a
//! comment (RTL letters and combining marks are hard to review as bare glyphs):
//!
//! * [`class`]: how the tokenizer treats the character when finding word boundaries
//!   (a letter that builds words, a mark that rides along inside a word, a digit, a separator).
//! * [`fold`]: what normalization turns the character into (itself, nothing, another
//!   character, or a compatibility decomposition for presentation forms).
//!
//! The reason for each rule is written above the arms that implement it.

/// How the tokenizer treats a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CharClass {
    /// An Arabic-script letter (including presentation forms): builds Arabic words.
    ArabicLetter,
    /// An ASCII letter: builds Latin/alphanumeric words.
    AsciiLetter,
    /// A letter or digit of another script (é, ß, Cyrillic, CJK …). Runs containing these are
    /// segmented with the full UAX #29 algorithm from `unicode-segmentation`.
    OtherAlphanumeric,
    /// A digit: ASCII `0-9`, Arabic-Indic `٠-٩` or extended Arabic-Indic `۰-۹`.
    Digit,
    /// A character that separates digit groups inside one number (`.` `,` `٫` `٬`). Between two
    /// digits it continues the number; anywhere else it separates words.
    NumberSeparator,
    /// A character that never starts a word but never splits one either: diacritics, tatweel,
    /// Quranic marks and invisible format characters (ZWNJ, ZWJ, bidi marks, soft hyphen).
    /// Normalization removes all of them.
    Joiner,
    /// Whitespace, punctuation, symbols, emoji, the hashtag `#` and underscore `_`.
    Separator,
}

/// Classifies one character for the tokenizer.
#[inline]
pub(crate) fn class(c: char) -> CharClass {
    match class_from_table(c) {
        Some(class) => class,
        None if c.is_alphanumeric() => CharClass::OtherAlphanumeric,
        None => CharClass::Separator,
    }
}

/// The table part of [`class`]: `None` for characters outside the tables, which are classified
/// by their Unicode properties.
const fn class_from_table(c: char) -> Option<CharClass> {
    use CharClass::*;
    Some(if c.is_ascii() {
        match c {
            'a'..='z' | 'A'..='Z' => AsciiLetter,
            '0'..='9' => Digit,
            '.' | ',' => NumberSeparator,
            // Everything else in ASCII separates words, `_` and `#` included: a hashtag such as
            // `#word_word` must yield its words, which UAX #29 alone would keep as one token.
            _ => Separator,
        }
    } else {
        match c {
        // Diacritics and Quranic annotation marks sit on letters: they never split a word.
        '\u{0610}'..='\u{061A}' // ARABIC SIGN SALLALLAHOU ALAYHE WASSALLAM .. ARABIC SMALL KASRA
        | '\u{064B}'..='\u{065F}' // ARABIC FATHATAN .. ARABIC WAVY HAMZA BELOW
        | '\u{0670}' // ARABIC LETTER SUPERSCRIPT ALEF
        | '\u{06D6}'..='\u{06DC}' // ARABIC SMALL HIGH LIGATURE SAD WITH LAM WITH ALEF MAKSURA .. SMALL HIGH SEEN
        | '\u{06DF}'..='\u{06E8}' // ARABIC SMALL HIGH ROUNDED ZERO .. ARABIC SMALL HIGH NOON
        | '\u{06EA}'..='\u{06ED}' // ARABIC EMPTY CENTRE LOW STOP .. ARABIC SMALL LOW MEEM
        | '\u{08CA}'..='\u{08FF}' // ARABIC SMALL HIGH FARSI YEH .. ARABIC MARK SIDEWAYS NOON GHUNNA
        // Tatweel only stretches a word for layout.
        | '\u{0640}' // ARABIC TATWEEL
        // Invisible format characters: they control joining and direction, not words.
        | '\u{061C}' // ARABIC LETTER MARK
        | '\u{00AD}' // SOFT HYPHEN
        | '\u{200C}' // ZERO WIDTH NON-JOINER
        | '\u{200D}' // ZERO WIDTH JOINER
        | '\u{200E}' // LEFT-TO-RIGHT MARK
        | '\u{200F}' // RIGHT-TO-LEFT MARK
        | '\u{202A}'..='\u{202E}' // LEFT-TO-RIGHT EMBEDDING .. RIGHT-TO-LEFT OVERRIDE
        | '\u{2060}'..='\u{2064}' // WORD JOINER .. INVISIBLE PLUS
        | '\u{2066}'..='\u{2069}' // LEFT-TO-RIGHT ISOLATE .. POP DIRECTIONAL ISOLATE
        | '\u{FEFF}' // ZERO WIDTH NO-BREAK SPACE (BOM)
        => Joiner,

        '\u{0660}'..='\u{0669}' // ARABIC-INDIC DIGIT ZERO .. NINE
        | '\u{06F0}'..='\u{06F9}' // EXTENDED ARABIC-INDIC DIGIT ZERO .. NINE
        => Digit,

        '\u{066B}' // ARABIC DECIMAL SEPARATOR
        | '\u{066C}' // ARABIC THOUSANDS SEPARATOR
        => NumberSeparator,

        '\u{0620}'..='\u{063F}' // ARABIC LETTER KASHMIRI YEH .. ARABIC LETTER FARSI YEH WITH THREE DOTS ABOVE
        | '\u{0641}'..='\u{064A}' // ARABIC LETTER FEH .. ARABIC LETTER YEH
        | '\u{066E}'..='\u{066F}' // ARABIC LETTER DOTLESS BEH .. ARABIC LETTER DOTLESS QAF
        | '\u{0671}'..='\u{06D3}' // ARABIC LETTER ALEF WASLA .. ARABIC LETTER YEH BARREE WITH HAMZA ABOVE
        | '\u{06D5}' // ARABIC LETTER AE
        | '\u{06EE}'..='\u{06EF}' // ARABIC LETTER DAL WITH INVERTED V .. ARABIC LETTER REH WITH INVERTED V
        | '\u{06FA}'..='\u{06FC}' // ARABIC LETTER SHEEN WITH DOT BELOW .. ARABIC LETTER GHAIN WITH DOT BELOW
        | '\u{06FF}' // ARABIC LETTER HEH WITH INVERTED V
        | '\u{0750}'..='\u{077F}' // ARABIC SUPPLEMENT letters
        | '\u{08A0}'..='\u{08C9}' // ARABIC EXTENDED-A letters
        | '\u{FB50}'..='\u{FD3D}' // ARABIC PRESENTATION FORMS-A (letters and ligatures)
        | '\u{FD50}'..='\u{FDFB}' // ARABIC PRESENTATION FORMS-A (ligatures)
        | '\u{FE70}'..='\u{FEFC}' // ARABIC PRESENTATION FORMS-B
        => ArabicLetter,

        // The rest of the Arabic block is punctuation and signs: ، ؛ ؟ ٪ ۔ and the like.
        '\u{0600}'..='\u{06FF}' => Separator,
        _ => return None,
        }
    })
}

/// What normalization does with one character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fold {
    /// Keep the character as it is.
    Keep,
    /// Remove the character.
    Drop,
    /// Replace it with another character.
    Char(char),
    /// A presentation form: replace it with its compatibility decomposition, itself normalized.
    Decompose,
    /// COMBINING HAMZA ABOVE: joins the previous letter (و → ؤ, ي → ئ) or disappears.
    HamzaAbove,
    /// A cased letter outside ASCII: replace it with its lower case.
    Lowercase,
}

/// Tells what normalization does with one character.
///
/// This is the single table of normalization rules. Each group of arms says why.
#[inline]
pub(crate) fn fold(c: char) -> Fold {
    let cp = c as u32;
    if (0x0600..0x0700).contains(&cp) {
        // The Arabic block, nearly every character normalized, from a precomputed table (the
        // `match` below compiles to a chain of range tests).
        return ARABIC_FOLD[(cp - 0x0600) as usize];
    }
    match fold_from_table(c) {
        Some(fold) => fold,
        // Any other cased letter (É, Ω, Я, and title-case letters) is lower-cased.
        None if c.is_uppercase() || c.to_lowercase().ne(std::iter::once(c)) => Fold::Lowercase,
        None => Fold::Keep,
    }
}

/// The table part of [`fold`]: `None` for characters outside the tables, which are folded by
/// their case.
const fn fold_from_table(c: char) -> Option<Fold> {
    use Fold::*;
    if c.is_ascii() {
        // Latin letters are lower-cased: brand and place names in Latin script appear in any
        // case in Arabic text (GPS, Gps, gps).
        return Some(if c.is_ascii_uppercase() {
            Char(c.to_ascii_lowercase())
        } else {
            Keep
        });
    }
    Some(match c {
        // Diacritics (harakat, tanween, shadda, sukun, maddah and the other combining marks) are
        // optional in Arabic: most text omits them, some writes a few. A word must match
        // however many of them the writer chose to write.
        '\u{064B}'..='\u{0653}' // ARABIC FATHATAN .. ARABIC MADDAH ABOVE
        | '\u{0656}'..='\u{065F}' // ARABIC SUBSCRIPT ALEF .. ARABIC WAVY HAMZA BELOW
        | '\u{0670}' // ARABIC LETTER SUPERSCRIPT ALEF
        // COMBINING HAMZA BELOW only ever makes إ out of ا, and every alef form becomes bare
        // alef (below), so it simply disappears.
        | '\u{0655}' // ARABIC HAMZA BELOW
        // Quranic annotation marks: recitation signs, never part of a word's spelling.
        | '\u{0610}'..='\u{061A}' // ARABIC SIGN SALLALLAHOU ALAYHE WASSALLAM .. ARABIC SMALL KASRA
        | '\u{06D6}'..='\u{06ED}' // ARABIC SMALL HIGH LIGATURE SAD .. ARABIC SMALL LOW MEEM
        | '\u{08CA}'..='\u{08FF}' // ARABIC SMALL HIGH FARSI YEH .. ARABIC MARK SIDEWAYS NOON GHUNNA
        // Tatweel (kashida) stretches a word for justification or emphasis: الـــرياضة is الرياضة.
        | '\u{0640}' // ARABIC TATWEEL
        // Invisible format characters control joining and text direction; scraped text is full
        // of them and they must never make two spellings of a word differ.
        | '\u{061C}' // ARABIC LETTER MARK
        | '\u{00AD}' // SOFT HYPHEN
        | '\u{200B}' // ZERO WIDTH SPACE
        | '\u{200C}' // ZERO WIDTH NON-JOINER
        | '\u{200D}' // ZERO WIDTH JOINER
        | '\u{200E}' // LEFT-TO-RIGHT MARK
        | '\u{200F}' // RIGHT-TO-LEFT MARK
        | '\u{202A}'..='\u{202E}' // LEFT-TO-RIGHT EMBEDDING .. RIGHT-TO-LEFT OVERRIDE
        | '\u{2060}'..='\u{2064}' // WORD JOINER .. INVISIBLE PLUS
        | '\u{2066}'..='\u{2069}' // LEFT-TO-RIGHT ISOLATE .. POP DIRECTIONAL ISOLATE
        | '\u{FEFF}' // ZERO WIDTH NO-BREAK SPACE (BOM)
        => Drop,

        // A combining hamza above written after its carrier is the same letter as the
        // precomposed one; the normalizer recomposes it with the previous character.
        '\u{0654}' => HamzaAbove, // ARABIC HAMZA ABOVE

        // Alef with hamza or madda: writers drop the hamza on alef all the time (اعلن for
        // أعلن, اسلامية for إسلامية). Every alef form becomes bare alef. Hamza on waw and
        // yeh (ؤ ئ) and the lone hamza (ء) are kept: they are not dropped in careful or
        // careless writing alike, and folding them would merge distinct words (سؤال, سوال).
        '\u{0622}' // ARABIC LETTER ALEF WITH MADDA ABOVE
        | '\u{0623}' // ARABIC LETTER ALEF WITH HAMZA ABOVE
        | '\u{0625}' // ARABIC LETTER ALEF WITH HAMZA BELOW
        | '\u{0671}' // ARABIC LETTER ALEF WASLA
        | '\u{0672}' // ARABIC LETTER ALEF WITH WAVY HAMZA ABOVE
        | '\u{0673}' // ARABIC LETTER ALEF WITH WAVY HAMZA BELOW
        | '\u{0675}' // ARABIC LETTER HIGH HAMZA ALEF
        => Char('\u{0627}'), // ARABIC LETTER ALEF

        // Taa marbuta is written as heh by many writers and keyboards (المدينه for المدينة), and
        // the two are pronounced alike at a pause. Both become heh.
        '\u{0629}' // ARABIC LETTER TEH MARBUTA
        | '\u{06C3}' // ARABIC LETTER TEH MARBUTA GOAL
        => Char('\u{0647}'), // ARABIC LETTER HEH

        // Alef maksura and yeh are confused in final position, above all in Egyptian writing
        // (علي for على, مستشفي for مستشفى). Both become yeh. Persian/Urdu yeh forms are the same
        // letter from another keyboard layout.
        '\u{0649}' // ARABIC LETTER ALEF MAKSURA
        | '\u{06CC}' // ARABIC LETTER FARSI YEH
        | '\u{06D0}' // ARABIC LETTER E
        | '\u{06D2}' // ARABIC LETTER YEH BARREE
        => Char('\u{064A}'), // ARABIC LETTER YEH

        // Persian and Urdu keyboards produce their own kaf and heh shapes in Arabic text.
        '\u{06A9}' // ARABIC LETTER KEHEH
        | '\u{06AA}' // ARABIC LETTER SWASH KAF
        => Char('\u{0643}'), // ARABIC LETTER KAF
        '\u{06BE}' // ARABIC LETTER HEH DOACHASHMEE
        | '\u{06C0}' // ARABIC LETTER HEH WITH YEH ABOVE
        | '\u{06C1}' // ARABIC LETTER HEH GOAL
        | '\u{06D5}' // ARABIC LETTER AE
        => Char('\u{0647}'), // ARABIC LETTER HEH

        // High-hamza forms are the same letters as hamza on waw and yeh.
        '\u{0676}' => Char('\u{0624}'), // ARABIC LETTER HIGH HAMZA WAW -> WAW WITH HAMZA ABOVE
        '\u{0678}' => Char('\u{0626}'), // ARABIC LETTER HIGH HAMZA YEH -> YEH WITH HAMZA ABOVE

        // Arabic-Indic and extended Arabic-Indic digits are the same numbers as ASCII digits:
        // ٢٠٢٤ and 2024 must match.
        '\u{0660}'..='\u{0669}' => Char(ascii_digit(c as u32 - 0x0660)), // ARABIC-INDIC DIGIT ZERO .. NINE
        '\u{06F0}'..='\u{06F9}' => Char(ascii_digit(c as u32 - 0x06F0)), // EXTENDED ARABIC-INDIC DIGIT ZERO .. NINE
        // The Arabic decimal and thousands separators: ٣٫٥ is 3.5.
        '\u{066B}' => Char('.'), // ARABIC DECIMAL SEPARATOR
        '\u{066C}' => Char(','), // ARABIC THOUSANDS SEPARATOR

        // Presentation forms are glyph shapes (initial, medial, final, isolated, ligatures such
        // as lam-alef ﻻ) that old encoders and PDF extractors put into text. Their compatibility
        // decomposition is the letters they show.
        '\u{FB50}'..='\u{FDFF}' // ARABIC PRESENTATION FORMS-A
        | '\u{FE70}'..='\u{FEFC}' // ARABIC PRESENTATION FORMS-B
        => Decompose,

        // The rest of the Arabic block is kept as it is (it has no case).
        '\u{0600}'..='\u{06FF}' => Keep,
        _ => return None,
    })
}

const fn ascii_digit(n: u32) -> char {
    (b'0' + n as u8) as char
}

/// A character's class and whether normalization keeps it unchanged, the two answers the
/// tokenizer needs for every character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CharInfo {
    pub class: CharClass,
    pub unchanged: bool,
}

const fn table_info(c: char) -> CharInfo {
    let class = match class_from_table(c) {
        Some(class) => class,
        None => CharClass::Separator,
    };
    let unchanged = matches!(fold_from_table(c), Some(Fold::Keep));
    CharInfo { class, unchanged }
}

const fn build_table<const N: usize>(first: u32) -> [CharInfo; N] {
    let mut table = [CharInfo {
        class: CharClass::Separator,
        unchanged: true,
    }; N];
    let mut i = 0;
    while i < N {
        table[i] = match char::from_u32(first + i as u32) {
            Some(c) => table_info(c),
            None => table[i],
        };
        i += 1;
    }
    table
}

/// [`fold`] of the Arabic block U+0600..U+06FF, precomputed from [`fold_from_table`], which
/// covers the whole block.
static ARABIC_FOLD: [Fold; 256] = {
    let mut table = [Fold::Keep; 256];
    let mut i = 0;
    while i < 256 {
        if let Some(c) = char::from_u32(0x0600 + i as u32) {
            table[i] = match fold_from_table(c) {
                Some(fold) => fold,
                None => panic!("fold_from_table covers the Arabic block"),
            };
        }
        i += 1;
    }
    table
};

/// [`CharInfo`] of ASCII, precomputed from the tables above.
static ASCII_INFO: [CharInfo; 128] = build_table::<128>(0);
/// [`CharInfo`] of the Arabic block U+0600..U+06FF, precomputed from the tables above.
static ARABIC_INFO: [CharInfo; 256] = build_table::<256>(0x0600);

/// [`CharInfo`] of U+0600 + `offset`, `offset` < 256.
#[inline]
pub(crate) fn arabic_info(offset: usize) -> CharInfo {
    ARABIC_INFO[offset]
}

/// The offset in the Arabic block U+0600..U+06FF of the character whose UTF-8 encoding begins
/// with the bytes `lead`, `next`, or `None` when `lead` does not begin one (the block is lead
/// bytes D8..DB, each followed by one continuation byte). Lets hot loops classify Arabic text
/// straight from its bytes.
#[inline]
pub(crate) fn arabic_block_offset(lead: u8, next: u8) -> Option<usize> {
    (lead & 0xFC == 0xD8).then(|| usize::from(lead & 0x03) << 6 | usize::from(next & 0x3F))
}

/// Class and normalization of one character, from precomputed tables for ASCII and the Arabic
/// block (nearly every character of an Arabic archive) and from [`class`] and [`fold`] otherwise.
#[inline]
pub(crate) fn info(c: char) -> CharInfo {
    let cp = c as u32;
    if cp < 0x80 {
        ASCII_INFO[cp as usize]
    } else if (0x0600..0x0700).contains(&cp) {
        ARABIC_INFO[(cp - 0x0600) as usize]
    } else {
        CharInfo {
            class: class(c),
            unchanged: fold(c) == Fold::Keep,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_of_arabic_letters_marks_and_digits() {
        assert_eq!(class('\u{0627}'), CharClass::ArabicLetter); // ALEF
        assert_eq!(class('\u{06A9}'), CharClass::ArabicLetter); // KEHEH
        assert_eq!(class('\u{FEFB}'), CharClass::ArabicLetter); // LAM-ALEF ISOLATED
        assert_eq!(class('\u{064E}'), CharClass::Joiner); // FATHA
        assert_eq!(class('\u{0640}'), CharClass::Joiner); // TATWEEL
        assert_eq!(class('\u{200C}'), CharClass::Joiner); // ZWNJ
        assert_eq!(class('\u{0663}'), CharClass::Digit); // ARABIC-INDIC THREE
        assert_eq!(class('\u{06F3}'), CharClass::Digit); // EXTENDED THREE
        assert_eq!(class('\u{066B}'), CharClass::NumberSeparator);
        assert_eq!(class('\u{060C}'), CharClass::Separator); // ARABIC COMMA
        assert_eq!(class('\u{061F}'), CharClass::Separator); // ARABIC QUESTION MARK
        assert_eq!(class('_'), CharClass::Separator);
        assert_eq!(class('#'), CharClass::Separator);
        assert_eq!(class('é'), CharClass::OtherAlphanumeric);
        assert_eq!(class('😀'), CharClass::Separator);
        assert_eq!(class('\u{200B}'), CharClass::Separator); // ZERO WIDTH SPACE
    }

    #[test]
    fn precomputed_tables_agree_with_the_rules() {
        for cp in (0..0x80).chain(0x0600..0x0700).chain(0xFB50..0xFF00) {
            if let Some(c) = char::from_u32(cp) {
                assert_eq!(info(c).class, class(c), "{:04X}", cp);
                assert_eq!(info(c).unchanged, fold(c) == Fold::Keep, "{:04X}", cp);
            }
        }
    }

    #[test]
    fn folds() {
        assert_eq!(fold('A'), Fold::Char('a'));
        assert_eq!(fold('a'), Fold::Keep);
        assert_eq!(fold('\u{0623}'), Fold::Char('\u{0627}'));
        assert_eq!(fold('\u{0629}'), Fold::Char('\u{0647}'));
        assert_eq!(fold('\u{0649}'), Fold::Char('\u{064A}'));
        assert_eq!(fold('\u{0669}'), Fold::Char('9'));
        assert_eq!(fold('\u{06F0}'), Fold::Char('0'));
        assert_eq!(fold('\u{0654}'), Fold::HamzaAbove);
        assert_eq!(fold('\u{FEFB}'), Fold::Decompose);
        assert_eq!(fold('\u{0624}'), Fold::Keep); // WAW WITH HAMZA ABOVE stays
        assert_eq!(fold('É'), Fold::Lowercase);
        assert_eq!(fold('é'), Fold::Keep);
        assert_eq!(fold('ß'), Fold::Keep);
    }
}
