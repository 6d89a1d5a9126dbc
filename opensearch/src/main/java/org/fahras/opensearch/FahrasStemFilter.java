package org.fahras.opensearch;

import java.io.IOException;

import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.KeywordAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * fahras's light stemmer on each (normalized) term; a stem is a substring of the term, cut in
 * place. Tokens marked as keywords (keyword_marker) are left whole.
 *
 * <p>With {@code keepExact}, a term that the stemmer changes is emitted twice at one position:
 * first as written (normalized), then its stem (as Lucene's keyword_repeat, stemmer and
 * remove_duplicates do together). One field then holds what a fahras archive splits into an
 * exact-form and a stemmed field: a query word matches every form of its stem, and a passage
 * that writes it as typed matches it twice (the match query turns the stacked pair into one
 * SynonymQuery: the frequencies add up, the document frequency is the stem's).
 */
public final class FahrasStemFilter extends TokenFilter {
    /** Which second token, if any, is stacked before a stem that differs from its word. */
    public enum Stack {
        /** None: the stem alone. */
        NONE,
        /** The word as it came, whenever the stem differs (keep_exact). */
        EXACT,
        /** The word as it came, only when the stemmer removed a suffix. */
        SUFFIXED,
        /** The word as it came, only when the stemmer removed a prefix. */
        PREFIXED,
        /** The word as it came, only when the stemmer removed a suffix and no prefix. */
        SUFFIX_ONLY,
        /** The word as it came, only when the stemmer removed a prefix and a suffix. */
        BOTH,
        /** The word with its prefixes removed and its suffixes kept, when a suffix was removed. */
        PREFIXLESS;

        static Stack parse(String name) {
            return Stack.valueOf(name.toUpperCase(java.util.Locale.ROOT));
        }
    }

    private final CharTermAttribute termAtt = addAttribute(CharTermAttribute.class);
    private final KeywordAttribute keywordAtt = addAttribute(KeywordAttribute.class);
    private final PositionIncrementAttribute posIncAtt = addAttribute(PositionIncrementAttribute.class);
    private final LightStemmer stemmer;
    private final Stack stack;
    /** The stem still to emit after its exact form (keepExact), or null. */
    private State pendingStem;
    private int pendingFrom;
    private int pendingTo;

    public FahrasStemFilter(TokenStream input) {
        this(input, new LightStemmer());
    }

    public FahrasStemFilter(TokenStream input, LightStemmer stemmer) {
        this(input, stemmer, false);
    }

    public FahrasStemFilter(TokenStream input, LightStemmer stemmer, boolean keepExact) {
        this(input, stemmer, keepExact ? Stack.EXACT : Stack.NONE);
    }

    public FahrasStemFilter(TokenStream input, LightStemmer stemmer, Stack stack) {
        super(input);
        this.stemmer = stemmer;
        this.stack = stack;
    }

    @Override
    public boolean incrementToken() throws IOException {
        if (pendingStem != null) {
            restoreState(pendingStem);
            pendingStem = null;
            cut(pendingFrom, pendingTo);
            posIncAtt.setPositionIncrement(0);
            return true;
        }
        if (!input.incrementToken()) {
            return false;
        }
        if (!keywordAtt.isKeyword()) {
            int length = termAtt.length();
            long range = stemmer.stemRange(termAtt, length);
            int from = (int) (range >>> 32);
            int to = (int) range;
            boolean prefix = from != 0;
            boolean suffix = to != length;
            if (prefix || suffix) {
                boolean second = switch (stack) {
                    case NONE -> false;
                    case EXACT -> true;
                    case SUFFIXED, PREFIXLESS -> suffix;
                    case PREFIXED -> prefix;
                    case SUFFIX_ONLY -> suffix && !prefix;
                    case BOTH -> suffix && prefix;
                };
                if (second) {
                    // This call emits the second form; the next one the stem.
                    if (stack == Stack.PREFIXLESS) {
                        cut(from, length);
                        to -= from;
                        from = 0;
                    }
                    pendingStem = captureState();
                    pendingFrom = from;
                    pendingTo = to;
                } else {
                    cut(from, to);
                }
            }
        }
        return true;
    }

    private void cut(int from, int to) {
        char[] buffer = termAtt.buffer();
        System.arraycopy(buffer, from, buffer, 0, to - from);
        termAtt.setLength(to - from);
    }

    @Override
    public void reset() throws IOException {
        super.reset();
        pendingStem = null;
    }
}
