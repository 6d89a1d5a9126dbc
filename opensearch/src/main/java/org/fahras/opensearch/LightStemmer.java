/*
 * The light stemmer, ported from src/analysis/stemmer.rs (light10 in spirit): one article or
 * the conjunction و off the front, then the preposition ب or ل, then light10's suffixes in
 * order, with the same guards (a suffix leaves three letters, a further one four; light10
 * two). It runs on NORMALIZED terms, so affixes are in normalized spelling (ه for ة, ي for ى).
 */
package org.fahras.opensearch;

/** fahras's light stemmer. A stem is always a substring of its term. */
public final class LightStemmer {
    /** Article prefixes, longest first (stemmer.rs ARTICLES). */
    private static final String[] ARTICLES = {"وال", "بال", "كال", "فال", "لل", "ال"};
    /** The conjunction و, removed when no article is found. */
    private static final String WAW = "\u0648";
    /**
     * The prepositions ب and ل, removed after the article or و (or at the start of a word
     * without them) when at least MIN_AFTER_PREPOSITION letters remain (stemmer.rs PREPOSITIONS).
     */
    private static final String[] PREPOSITIONS = {"\u0628", "\u0644"};
    /** The fewest letters a preposition's removal leaves (stemmer.rs MIN_AFTER_PREPOSITION). */
    private static final int MIN_AFTER_PREPOSITION = 3;
    /**
     * Suffixes in light10's order; each removed at most once, in this order. The first one
     * removed leaves at least minStemChars letters, each further one a letter more.
     */
    private static final String[] SUFFIXES = {"ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"};

    private final int minStemChars;

    /** fahras's guard: a suffix is removed when at least three letters remain (light10: two). */
    public LightStemmer() {
        this(3);
    }

    /**
     * A stemmer that removes a suffix only when at least minStemChars letters remain (a second
     * or later suffix: minStemChars + 1).
     */
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
            if (length - prefix.length() >= 2 && startsWith(word, 0, prefix)) {
                from = prefix.length();
                article = true;
                break;
            }
        }
        if (!article && length - WAW.length() >= 3 && startsWith(word, 0, WAW)) {
            from = WAW.length();
        }
        for (String preposition : PREPOSITIONS) {
            if (length - from - preposition.length() >= MIN_AFTER_PREPOSITION
                    && startsWith(word, from, preposition)) {
                from += preposition.length();
                break;
            }
        }
        int to = length;
        int min = minStemChars;
        for (String suffix : SUFFIXES) {
            if (to - from >= suffix.length() + min && endsWith(word, to, suffix)) {
                to -= suffix.length();
                min = minStemChars + 1;
            }
        }
        return ((long) from << 32) | to;
    }

    private static boolean startsWith(CharSequence word, int at, String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (word.charAt(at + i) != prefix.charAt(i)) {
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
