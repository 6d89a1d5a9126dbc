/*
 * The character tables of fahras's analysis, ported from src/analysis/chars.rs.
 *
 * Two questions are asked of every character, as in the Rust crate: its class (how the
 * segmenter treats it) and its fold (what normalization turns it into). The arms below follow
 * chars.rs one for one, with the reason for each rule written there; keep the two in step:
 * the conformance test (FahrasConformanceTest) fails on any difference it meets in 2,000 real
 * articles and the table-driven cases.
 */
package org.fahras.opensearch;

import java.text.Normalizer;
import java.util.Locale;

/** How a character is segmented and normalized: the tables of chars.rs. */
final class CharTables {
    private CharTables() {}

    // Character classes (chars.rs CharClass).
    /** An Arabic-script letter (including presentation forms). */
    static final byte ARABIC_LETTER = 0;
    /** An ASCII letter. */
    static final byte ASCII_LETTER = 1;
    /** A letter or digit of another script: runs with these go through UAX #29. */
    static final byte OTHER_ALPHANUMERIC = 2;
    /** ASCII, Arabic-Indic or extended Arabic-Indic digit. */
    static final byte DIGIT = 3;
    /** . , ٫ ٬ : continues a number between two digits. */
    static final byte NUMBER_SEPARATOR = 4;
    /** Never starts or splits a word: diacritics, tatweel, format characters. */
    static final byte JOINER = 5;
    /** Everything else. */
    static final byte SEPARATOR = 6;

    // Folds (chars.rs Fold); a value >= 0 is the replacement code point.
    static final int KEEP = -1;
    static final int DROP = -2;
    static final int DECOMPOSE = -3;
    static final int HAMZA_ABOVE = -4;
    static final int LOWERCASE = -5;

    private static final byte[] BMP_CLASS = new byte[0x10000];
    private static final int[] BMP_FOLD = new int[0x10000];

    static {
        for (int c = 0; c < 0x10000; c++) {
            BMP_CLASS[c] = computeClass(c);
            BMP_FOLD[c] = computeFold(c);
        }
    }

    /** The class of a code point. */
    static byte charClass(int c) {
        return c < 0x10000 ? BMP_CLASS[c] : computeClass(c);
    }

    /** The fold of a code point. */
    static int fold(int c) {
        return c < 0x10000 ? BMP_FOLD[c] : computeFold(c);
    }

    /** Rust's char::is_alphanumeric: the Alphabetic property or a numeric general category. */
    static boolean isAlphanumeric(int c) {
        if (Character.isAlphabetic(c)) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.DECIMAL_DIGIT_NUMBER
            || type == Character.LETTER_NUMBER
            || type == Character.OTHER_NUMBER;
    }

    /** Rust's char::is_whitespace: the Unicode White_Space property. */
    static boolean isWhitespace(int c) {
        return (c >= 0x0009 && c <= 0x000D)
            || c == 0x0020
            || c == 0x0085
            || c == 0x00A0
            || c == 0x1680
            || (c >= 0x2000 && c <= 0x200A)
            || c == 0x2028
            || c == 0x2029
            || c == 0x202F
            || c == 0x205F
            || c == 0x3000;
    }

    private static byte computeClass(int c) {
        int fromTable = classFromTable(c);
        if (fromTable >= 0) {
            return (byte) fromTable;
        }
        return isAlphanumeric(c) ? OTHER_ALPHANUMERIC : SEPARATOR;
    }

    /** chars.rs class_from_table; -1 for characters classified by their Unicode properties. */
    private static int classFromTable(int c) {
        if (c < 0x80) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                return ASCII_LETTER;
            }
            if (c >= '0' && c <= '9') {
                return DIGIT;
            }
            if (c == '.' || c == ',') {
                return NUMBER_SEPARATOR;
            }
            // `_` and `#` included: a hashtag must yield its words.
            return SEPARATOR;
        }
        // Diacritics and Quranic annotation marks, tatweel, invisible format characters.
        if (in(c, 0x0610, 0x061A) // ARABIC SIGN SALLALLAHOU ALAYHE WASSALLAM .. ARABIC SMALL KASRA
            || in(c, 0x064B, 0x065F) // ARABIC FATHATAN .. ARABIC WAVY HAMZA BELOW
            || c == 0x0670 // ARABIC LETTER SUPERSCRIPT ALEF
            || in(c, 0x06D6, 0x06DC) // ARABIC SMALL HIGH LIGATURE SAD WITH LAM WITH ALEF MAKSURA .. SMALL HIGH SEEN
            || in(c, 0x06DF, 0x06E8) // ARABIC SMALL HIGH ROUNDED ZERO .. ARABIC SMALL HIGH NOON
            || in(c, 0x06EA, 0x06ED) // ARABIC EMPTY CENTRE LOW STOP .. ARABIC SMALL LOW MEEM
            || in(c, 0x08CA, 0x08FF) // ARABIC SMALL HIGH FARSI YEH .. ARABIC MARK SIDEWAYS NOON GHUNNA
            || c == 0x0640 // ARABIC TATWEEL
            || c == 0x061C // ARABIC LETTER MARK
            || c == 0x00AD // SOFT HYPHEN
            || c == 0x200C // ZERO WIDTH NON-JOINER
            || c == 0x200D // ZERO WIDTH JOINER
            || c == 0x200E // LEFT-TO-RIGHT MARK
            || c == 0x200F // RIGHT-TO-LEFT MARK
            || in(c, 0x202A, 0x202E) // LEFT-TO-RIGHT EMBEDDING .. RIGHT-TO-LEFT OVERRIDE
            || in(c, 0x2060, 0x2064) // WORD JOINER .. INVISIBLE PLUS
            || in(c, 0x2066, 0x2069) // LEFT-TO-RIGHT ISOLATE .. POP DIRECTIONAL ISOLATE
            || c == 0xFEFF) { // ZERO WIDTH NO-BREAK SPACE (BOM)
            return JOINER;
        }
        if (in(c, 0x0660, 0x0669) // ARABIC-INDIC DIGIT ZERO .. NINE
            || in(c, 0x06F0, 0x06F9)) { // EXTENDED ARABIC-INDIC DIGIT ZERO .. NINE
            return DIGIT;
        }
        if (c == 0x066B // ARABIC DECIMAL SEPARATOR
            || c == 0x066C) { // ARABIC THOUSANDS SEPARATOR
            return NUMBER_SEPARATOR;
        }
        if (in(c, 0x0620, 0x063F) // ARABIC LETTER KASHMIRI YEH .. FARSI YEH WITH THREE DOTS ABOVE
            || in(c, 0x0641, 0x064A) // ARABIC LETTER FEH .. ARABIC LETTER YEH
            || in(c, 0x066E, 0x066F) // ARABIC LETTER DOTLESS BEH .. ARABIC LETTER DOTLESS QAF
            || in(c, 0x0671, 0x06D3) // ARABIC LETTER ALEF WASLA .. YEH BARREE WITH HAMZA ABOVE
            || c == 0x06D5 // ARABIC LETTER AE
            || in(c, 0x06EE, 0x06EF) // ARABIC LETTER DAL WITH INVERTED V .. REH WITH INVERTED V
            || in(c, 0x06FA, 0x06FC) // ARABIC LETTER SHEEN WITH DOT BELOW .. GHAIN WITH DOT BELOW
            || c == 0x06FF // ARABIC LETTER HEH WITH INVERTED V
            || in(c, 0x0750, 0x077F) // ARABIC SUPPLEMENT letters
            || in(c, 0x08A0, 0x08C9) // ARABIC EXTENDED-A letters
            || in(c, 0xFB50, 0xFD3D) // ARABIC PRESENTATION FORMS-A (letters and ligatures)
            || in(c, 0xFD50, 0xFDFB) // ARABIC PRESENTATION FORMS-A (ligatures)
            || in(c, 0xFE70, 0xFEFC)) { // ARABIC PRESENTATION FORMS-B
            return ARABIC_LETTER;
        }
        // The rest of the Arabic block is punctuation and signs.
        if (in(c, 0x0600, 0x06FF)) {
            return SEPARATOR;
        }
        return -1;
    }

    private static int computeFold(int c) {
        int fromTable = foldFromTable(c);
        if (fromTable != Integer.MIN_VALUE) {
            return fromTable;
        }
        // Any other cased letter is lower-cased.
        if (Character.isUpperCase(c) || Character.toLowerCase(c) != c || c == 0x0130) {
            return LOWERCASE;
        }
        return KEEP;
    }

    /** chars.rs fold_from_table; Integer.MIN_VALUE for characters folded by their case. */
    private static int foldFromTable(int c) {
        if (c < 0x80) {
            // Latin letters are lower-cased.
            return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : KEEP;
        }
        // Diacritics, hamza below, Quranic marks, tatweel, invisible format characters.
        if (in(c, 0x064B, 0x0653) // ARABIC FATHATAN .. ARABIC MADDAH ABOVE
            || in(c, 0x0656, 0x065F) // ARABIC SUBSCRIPT ALEF .. ARABIC WAVY HAMZA BELOW
            || c == 0x0670 // ARABIC LETTER SUPERSCRIPT ALEF
            || c == 0x0655 // ARABIC HAMZA BELOW
            || in(c, 0x0610, 0x061A) // ARABIC SIGN SALLALLAHOU ALAYHE WASSALLAM .. ARABIC SMALL KASRA
            || in(c, 0x06D6, 0x06ED) // ARABIC SMALL HIGH LIGATURE SAD .. ARABIC SMALL LOW MEEM
            || in(c, 0x08CA, 0x08FF) // ARABIC SMALL HIGH FARSI YEH .. ARABIC MARK SIDEWAYS NOON GHUNNA
            || c == 0x0640 // ARABIC TATWEEL
            || c == 0x061C // ARABIC LETTER MARK
            || c == 0x00AD // SOFT HYPHEN
            || c == 0x200B // ZERO WIDTH SPACE
            || c == 0x200C // ZERO WIDTH NON-JOINER
            || c == 0x200D // ZERO WIDTH JOINER
            || c == 0x200E // LEFT-TO-RIGHT MARK
            || c == 0x200F // RIGHT-TO-LEFT MARK
            || in(c, 0x202A, 0x202E) // LEFT-TO-RIGHT EMBEDDING .. RIGHT-TO-LEFT OVERRIDE
            || in(c, 0x2060, 0x2064) // WORD JOINER .. INVISIBLE PLUS
            || in(c, 0x2066, 0x2069) // LEFT-TO-RIGHT ISOLATE .. POP DIRECTIONAL ISOLATE
            || c == 0xFEFF) { // ZERO WIDTH NO-BREAK SPACE (BOM)
            return DROP;
        }
        if (c == 0x0654) { // ARABIC HAMZA ABOVE
            return HAMZA_ABOVE;
        }
        // Every alef form becomes bare alef; hamza on waw and yeh is kept.
        if (c == 0x0622 // ARABIC LETTER ALEF WITH MADDA ABOVE
            || c == 0x0623 // ARABIC LETTER ALEF WITH HAMZA ABOVE
            || c == 0x0625 // ARABIC LETTER ALEF WITH HAMZA BELOW
            || c == 0x0671 // ARABIC LETTER ALEF WASLA
            || c == 0x0672 // ARABIC LETTER ALEF WITH WAVY HAMZA ABOVE
            || c == 0x0673 // ARABIC LETTER ALEF WITH WAVY HAMZA BELOW
            || c == 0x0675) { // ARABIC LETTER HIGH HAMZA ALEF
            return 0x0627; // ARABIC LETTER ALEF
        }
        // Taa marbuta becomes heh.
        if (c == 0x0629 // ARABIC LETTER TEH MARBUTA
            || c == 0x06C3) { // ARABIC LETTER TEH MARBUTA GOAL
            return 0x0647; // ARABIC LETTER HEH
        }
        // Alef maksura and the Persian/Urdu yeh forms become yeh.
        if (c == 0x0649 // ARABIC LETTER ALEF MAKSURA
            || c == 0x06CC // ARABIC LETTER FARSI YEH
            || c == 0x06D0 // ARABIC LETTER E
            || c == 0x06D2) { // ARABIC LETTER YEH BARREE
            return 0x064A; // ARABIC LETTER YEH
        }
        // Persian and Urdu kaf and heh shapes.
        if (c == 0x06A9 // ARABIC LETTER KEHEH
            || c == 0x06AA) { // ARABIC LETTER SWASH KAF
            return 0x0643; // ARABIC LETTER KAF
        }
        if (c == 0x06BE // ARABIC LETTER HEH DOACHASHMEE
            || c == 0x06C0 // ARABIC LETTER HEH WITH YEH ABOVE
            || c == 0x06C1 // ARABIC LETTER HEH GOAL
            || c == 0x06D5) { // ARABIC LETTER AE
            return 0x0647; // ARABIC LETTER HEH
        }
        if (c == 0x0676) { // ARABIC LETTER HIGH HAMZA WAW
            return 0x0624; // ARABIC LETTER WAW WITH HAMZA ABOVE
        }
        if (c == 0x0678) { // ARABIC LETTER HIGH HAMZA YEH
            return 0x0626; // ARABIC LETTER YEH WITH HAMZA ABOVE
        }
        // Arabic-Indic and extended Arabic-Indic digits are ASCII digits.
        if (in(c, 0x0660, 0x0669)) { // ARABIC-INDIC DIGIT ZERO .. NINE
            return '0' + (c - 0x0660);
        }
        if (in(c, 0x06F0, 0x06F9)) { // EXTENDED ARABIC-INDIC DIGIT ZERO .. NINE
            return '0' + (c - 0x06F0);
        }
        if (c == 0x066B) { // ARABIC DECIMAL SEPARATOR
            return '.';
        }
        if (c == 0x066C) { // ARABIC THOUSANDS SEPARATOR
            return ',';
        }
        // Presentation forms: their compatibility decomposition.
        if (in(c, 0xFB50, 0xFDFF) // ARABIC PRESENTATION FORMS-A
            || in(c, 0xFE70, 0xFEFC)) { // ARABIC PRESENTATION FORMS-B
            return DECOMPOSE;
        }
        // The rest of the Arabic block is kept as it is.
        if (in(c, 0x0600, 0x06FF)) {
            return KEEP;
        }
        return Integer.MIN_VALUE;
    }

    private static boolean in(int c, int first, int last) {
        return c >= first && c <= last;
    }

    /** The compatibility decomposition (NFKD) of one code point, as Rust's decompose_compatible. */
    static String decompose(int c) {
        return Normalizer.normalize(new String(Character.toChars(c)), Normalizer.Form.NFKD);
    }

    /** Appends the lower case of a code point (Rust's char::to_lowercase, one character). */
    static void appendLowercase(int c, StringBuilder out) {
        int lower = Character.toLowerCase(c);
        if (c == 0x0130) {
            // LATIN CAPITAL LETTER I WITH DOT ABOVE lower-cases to two characters.
            out.append(new String(Character.toChars(c)).toLowerCase(Locale.ROOT));
        } else {
            out.appendCodePoint(lower);
        }
    }
}
