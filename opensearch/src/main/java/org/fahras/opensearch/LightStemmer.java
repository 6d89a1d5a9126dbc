/*
 * The light stemmer, ported from src/analysis/stemmer.rs (light10 in spirit): one article or
 * the conjunction و off the front, then light10's suffixes in order, with the same guards.
 * It runs on NORMALIZED terms, so affixes are in normalized spelling (ه for ة, ي for ى).
 */
package org.fahras.opensearch;

/** fahras's light stemmer. A stem is always a substring of its term. */
public final class LightStemmer {
    /** Article prefixes, longest first (stemmer.rs ARTICLES). */
    private static final String[] ARTICLES = {"وال", "بال", "كال", "فال", "لل", "ال"};
    /** The conjunction و, removed when no article is found. */
    private static final String WAW = "\u0648";
    /** Suffixes in light10's order; each removed at most once, in this order. */
    private static final String[] SUFFIXES = {"ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"};

    private final int minStemChars;

    /** light10's guard: a suffix is removed when at least two letters remain. */
    public LightStemmer() {
        this(2);
    }

    /** A stemmer that removes a suffix only when at least minStemChars letters remain. */
    public LightStemmer(int minStemChars) {
        this.minStemChars = Math.max(1, minStemChars);
    }

    /** The stem of a normalized word. */
    public String stem(String word) {
        long range = stemRange(word, word.length());
        return word.substring((int) (range >>> 32), (int) range);
    }

    /**
     * The stem's range within word[0, length) as (from << 32 | to). Words that are not all
     * letters of the basic Arabic block (numbers, Latin) are left whole.
     */
    long stemRange(CharSequence word, int length) {
        for (int i = 0; i < length; i++) {
            char c = word.charAt(i);
            if (!((c >= 0x0621 && c <= 0x064A) || (c >= 0x0671 && c <= 0x06D3))) {
                return length;
            }
        }
        int from = 0;
        boolean article = false;
        for (String prefix : ARTICLES) {
            if (length - prefix.length() >= 2 && startsWith(word, prefix)) {
                from = prefix.length();
                article = true;
                break;
            }
        }
        if (!article && length - WAW.length() >= 3 && startsWith(word, WAW)) {
            from = WAW.length();
        }
        int to = length;
        for (String suffix : SUFFIXES) {
            if (to - from >= suffix.length() + minStemChars && endsWith(word, to, suffix)) {
                to -= suffix.length();
            }
        }
        return ((long) from << 32) | to;
    }

    private static boolean startsWith(CharSequence word, String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (word.charAt(i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean endsWith(CharSequence word, int to, String suffix) {
        int at = to - suffix.length();
        for (int i = 0; i < suffix.length(); i++) {
            if (word.charAt(at + i) != suffix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
