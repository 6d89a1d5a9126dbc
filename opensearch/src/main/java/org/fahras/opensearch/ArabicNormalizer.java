/*
 * Arabic orthographic normalization, ported from src/analysis/normalizer.rs: the rules are the
 * folds of CharTables, applied to a string.
 */
package org.fahras.opensearch;

/** Normalizes text the way fahras does (normalizer.rs). Idempotent. */
public final class ArabicNormalizer {
    private ArabicNormalizer() {}

    /** The normalized form of a string. */
    public static String normalize(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length());
        normalizeInto(text, 0, text.length(), out);
        return out.toString();
    }

    /** Appends the normalized form of text[from, to) to out. */
    public static void normalizeInto(CharSequence text, int from, int to, StringBuilder out) {
        // A combining mark only combines with what this call wrote.
        int start = out.length();
        int i = from;
        while (i < to) {
            int c = Character.codePointAt(text, i);
            i += Character.charCount(c);
            foldChar(c, out, start);
        }
    }

    private static void foldChar(int c, StringBuilder out, int start) {
        int fold = CharTables.fold(c);
        if (fold >= 0) {
            out.appendCodePoint(fold);
            return;
        }
        switch (fold) {
            case CharTables.KEEP:
                out.appendCodePoint(c);
                break;
            case CharTables.DROP:
                break;
            case CharTables.HAMZA_ABOVE:
                combineHamzaAbove(out, start);
                break;
            case CharTables.LOWERCASE:
                CharTables.appendLowercase(c, out);
                break;
            case CharTables.DECOMPOSE: {
                String pieces = CharTables.decompose(c);
                int j = 0;
                while (j < pieces.length()) {
                    int d = pieces.codePointAt(j);
                    j += Character.charCount(d);
                    // Some ligatures decompose with a space before their marks (U+FC5E).
                    if (d != ' ' && CharTables.fold(d) != CharTables.DECOMPOSE) {
                        foldChar(d, out, start);
                    }
                }
                break;
            }
            default:
                throw new AssertionError("unknown fold " + fold);
        }
    }

    /** و + ٔ is ؤ and ي + ٔ is ئ; after anything else the combining hamza disappears. */
    private static void combineHamzaAbove(StringBuilder out, int start) {
        if (out.length() <= start) {
            return;
        }
        int last = out.codePointBefore(out.length());
        int replacement;
        if (last == 0x0648) { // ARABIC LETTER WAW
            replacement = 0x0624; // ARABIC LETTER WAW WITH HAMZA ABOVE
        } else if (last == 0x064A) { // ARABIC LETTER YEH
            replacement = 0x0626; // ARABIC LETTER YEH WITH HAMZA ABOVE
        } else {
            return;
        }
        out.setLength(out.length() - Character.charCount(last));
        out.appendCodePoint(replacement);
    }
}
