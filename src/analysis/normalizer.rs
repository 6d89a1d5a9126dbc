//! Arabic orthographic normalization: one spelling for the many ways a word is written.
//!
//! The rules themselves live in [`super::chars::fold`], one table with the reason for each
//! rule. This module applies them to strings:
//!
//! * [`normalize`] returns the input unchanged, without copying, when no rule applies (most
//!   already-clean words), and a new string otherwise.
//! * [`normalize_into`] appends the normalized form to a caller's buffer, so the tokenizer can
//!   reuse one buffer for every token.
//!
//! Normalization runs on every token before stopword matching and stemming, so a stopword or an
//! affix written with a hamza, a diacritic or a tatweel is recognised like the plain one.
//! It is idempotent: `normalize(normalize(s)) == normalize(s)`.

use std::borrow::Cow;

use unicode_normalization::char::decompose_compatible;

use super::chars::{fold, Fold};

/// Normalizes Arabic (and Latin) text for matching.
///
/// Removes diacritics, tatweel and invisible format characters; unifies alef forms, taa
/// marbuta/heh, alef maksura/yeh and Persian letter shapes; maps Arabic-Indic digits to ASCII;
/// decomposes presentation forms; lower-cases other scripts. Text that needs no change is
/// returned borrowed.
///
/// ```
/// use fahras::analysis::normalize;
///
/// assert_eq!(normalize("أَعْلَنَتْ"), "اعلنت");        // diacritics and hamza on alef
/// assert_eq!(normalize("المدينة"), "المدينه");        // taa marbuta
/// assert_eq!(normalize("الـــرياضة"), "الرياضه");     // tatweel
/// assert_eq!(normalize("٢٠٢٤"), "2024");               // Arabic-Indic digits
/// assert_eq!(normalize("\u{FEFB}"), "لا");             // lam-alef ligature
/// assert_eq!(normalize("GPS"), "gps");
/// assert!(matches!(normalize("كتاب"), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn normalize(text: &str) -> Cow<'_, str> {
    match first_change(text) {
        None => Cow::Borrowed(text),
        Some(at) => {
            let mut out = String::with_capacity(text.len());
            fold_into(text, at, &mut out);
            Cow::Owned(out)
        }
    }
}

/// Appends the normalized form of `text` to `out`.
///
/// ```
/// let mut buffer = String::new();
/// fahras::analysis::normalize_into("إلى", &mut buffer);
/// assert_eq!(buffer, "الي");
/// ```
pub fn normalize_into(text: &str, out: &mut String) {
    match first_change(text) {
        None => out.push_str(text),
        Some(at) => fold_into(text, at, out),
    }
}

/// Whether `text` is already in normalized form.
pub fn is_normalized(text: &str) -> bool {
    first_change(text).is_none()
}

/// Byte offset of the first character that normalization changes, if any.
#[inline]
fn first_change(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    // Lower-case ASCII is the only ASCII that never changes: skip it a byte at a time.
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if b.is_ascii_uppercase() {
                return Some(i);
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().expect("i is a char boundary");
        if fold(c) != Fold::Keep {
            return Some(i);
        }
        i += c.len_utf8();
    }
    None
}

/// Appends `text[..unchanged]` as it is and the rest folded.
fn fold_into(text: &str, unchanged: usize, out: &mut String) {
    // A combining mark only combines with what this call wrote, never with earlier text in
    // the caller's buffer.
    let start = out.len();
    out.push_str(&text[..unchanged]);
    for c in text[unchanged..].chars() {
        fold_char(c, out, start);
    }
}

#[inline]
fn fold_char(c: char, out: &mut String, start: usize) {
    match fold(c) {
        Fold::Keep => out.push(c),
        Fold::Drop => {}
        Fold::Char(d) => out.push(d),
        Fold::HamzaAbove => combine_hamza_above(out, start),
        Fold::Lowercase => out.extend(c.to_lowercase()),
        Fold::Decompose => decompose_compatible(c, |d| {
            // Some ligatures decompose with a space before their marks (U+FC5E → " ٌّ").
            if d != ' ' {
                // The pieces are base letters and marks, never presentation forms themselves.
                match fold(d) {
                    Fold::Decompose => {}
                    _ => fold_char(d, out, start),
                }
            }
        }),
    }
}

/// A combining hamza above after its carrier spells the same letter as the precomposed one:
/// و + ٔ is ؤ and ي + ٔ is ئ. After alef it is dropped like the precomposed أ's hamza.
fn combine_hamza_above(out: &mut String, start: usize) {
    let replacement = match out[start..].chars().next_back() {
        Some('\u{0648}') => '\u{0624}', // ARABIC LETTER WAW -> WAW WITH HAMZA ABOVE
        Some('\u{064A}') => '\u{0626}', // ARABIC LETTER YEH -> YEH WITH HAMZA ABOVE
        _ => return,
    };
    out.pop();
    out.push(replacement);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(cases: &[(&str, &str)]) {
        for (input, expected) in cases {
            assert_eq!(
                normalize(input),
                *expected,
                "normalize({input:?}) [{}]",
                input.escape_unicode()
            );
        }
    }

    #[test]
    fn diacritics_are_removed() {
        check(&[
            ("كَتَبَ", "كتب"),
            ("مُؤتَمَر", "مؤتمر"),
            ("عَاجِلٌ", "عاجل"),
            ("شدّة", "شده"),
            ("كتابًا", "كتابا"),
            // A word made of diacritics only normalizes to nothing.
            ("\u{064E}\u{0651}\u{064B}", ""),
            // Superscript alef and Quranic marks.
            ("هٰذا", "هذا"),
            ("الرَّحْمٰنِ\u{06DA}", "الرحمن"),
            ("\u{0610}محمد", "محمد"),
        ]);
    }

    #[test]
    fn tatweel_is_removed() {
        check(&[
            ("الـــرياضة", "الرياضه"),
            ("جـديد", "جديد"),
            ("ـــــ", ""),
            ("كبيـــر", "كبير"),
        ]);
    }

    #[test]
    fn alef_forms_become_bare_alef() {
        check(&[
            ("أعلن", "اعلن"),
            ("إسلامية", "اسلاميه"),
            ("آخر", "اخر"),
            ("ٱلله", "الله"),
            ("\u{0672}\u{0673}", "اا"),
            // Combining hamza above/below after alef is the same as precomposed أ/إ.
            ("\u{0627}\u{0654}علن", "اعلن"),
            ("\u{0627}\u{0655}سلام", "اسلام"),
            // Madda as a combining mark after alef (decomposed آ).
            ("\u{0627}\u{0653}خر", "اخر"),
        ]);
    }

    #[test]
    fn hamza_on_carriers_is_kept_and_recomposed() {
        check(&[
            ("مسؤول", "مسؤول"),
            ("مسئول", "مسئول"),
            ("سماء", "سماء"),
            // Decomposed sequences give the precomposed letters.
            ("مس\u{0648}\u{0654}ول", "مسؤول"),
            ("مس\u{064A}\u{0654}ول", "مسئول"),
            ("رئ\u{064E}يس", "رئيس"),
            // Alef maksura + combining hamza is yeh with hamza.
            ("\u{0649}\u{0654}", "\u{0626}"),
            // A lone combining hamza has nothing to combine with.
            ("\u{0654}", ""),
        ]);
    }

    #[test]
    fn taa_marbuta_and_alef_maksura() {
        check(&[
            ("المدينة", "المدينه"),
            ("المدينه", "المدينه"),
            ("مستشفى", "مستشفي"),
            ("على", "علي"),
            ("إلى", "الي"),
            ("مدرسةٌ", "مدرسه"),
        ]);
    }

    #[test]
    fn persian_and_urdu_letter_shapes() {
        check(&[
            ("کتاب", "كتاب"),      // KEHEH
            ("علی", "علي"),        // FARSI YEH
            ("ہذا", "هذا"),        // HEH GOAL
            ("مدرسە", "مدرسه"),    // AE
            ("\u{06AA}لب", "كلب"), // SWASH KAF
            ("ٶ", "ؤ"),
        ]);
    }

    #[test]
    fn presentation_forms_become_letters() {
        check(&[
            ("\u{FEFB}", "لا"), // LAM WITH ALEF ISOLATED FORM
            ("\u{FEF7}", "لا"), // LAM WITH ALEF WITH HAMZA ABOVE
            ("\u{FE8D}\u{FEDF}\u{FEE4}\u{FEAE}\u{FE8E}", "المرا"), // shaped letters
            ("\u{FDF2}", "الله"), // ARABIC LIGATURE ALLAH ISOLATED FORM
            ("\u{FE89}", "ئ"), // YEH WITH HAMZA ABOVE ISOLATED FORM
            ("\u{FE85}", "ؤ"), // WAW WITH HAMZA ABOVE ISOLATED FORM
            ("\u{FE93}", "ه"), // TEH MARBUTA ISOLATED FORM
            ("\u{FC5E}", ""),  // LIGATURE SHADDA WITH DAMMATAN
        ]);
    }

    #[test]
    fn digits_become_ascii() {
        check(&[
            ("٢٠٢٤", "2024"),
            ("۱۹۹۸", "1998"),
            ("٣٫٥", "3.5"),
            ("١٬٠٠٠", "1,000"),
            ("2024", "2024"),
        ]);
    }

    #[test]
    fn invisible_format_characters_are_removed() {
        check(&[
            ("می\u{200C}خواهم", "ميخواهم"),     // ZWNJ
            ("\u{200F}كلمة\u{200E}", "كلمه"),   // RLM, LRM
            ("\u{061C}نص", "نص"),               // ALM
            ("\u{202B}نص\u{202C}", "نص"),       // RLE, PDF
            ("\u{2067}نص\u{2069}", "نص"),       // RLI, PDI
            ("\u{FEFF}نص", "نص"),               // BOM
            ("co\u{00AD}operate", "cooperate"), // SOFT HYPHEN
        ]);
    }

    #[test]
    fn latin_is_lower_cased() {
        check(&[
            ("GPS", "gps"),
            ("iPhone", "iphone"),
            ("Élysée", "élysée"),
            ("ΑΘΗΝΑ", "αθηνα"),
            ("شركة Nibras", "شركه nibras"),
        ]);
    }

    #[test]
    fn emoji_and_other_symbols_pass_through() {
        check(&[("😀", "😀"), ("قال😀", "قال😀"), ("٪", "٪")]);
    }

    #[test]
    fn unchanged_text_is_borrowed() {
        for s in ["كتاب", "hello", "", "2024", "مسؤول", "😀"] {
            assert!(matches!(normalize(s), Cow::Borrowed(_)), "{s}");
            assert!(is_normalized(s));
        }
        assert!(!is_normalized("أ"));
        assert!(!is_normalized("A"));
    }

    #[test]
    fn normalize_into_appends() {
        let mut out = String::from("x");
        normalize_into("أ", &mut out);
        normalize_into("b", &mut out);
        assert_eq!(out, "xاb");
    }
}
