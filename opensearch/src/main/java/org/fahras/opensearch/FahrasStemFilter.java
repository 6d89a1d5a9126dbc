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
    private final CharTermAttribute termAtt = addAttribute(CharTermAttribute.class);
    private final KeywordAttribute keywordAtt = addAttribute(KeywordAttribute.class);
    private final PositionIncrementAttribute posIncAtt = addAttribute(PositionIncrementAttribute.class);
    private final LightStemmer stemmer;
    private final boolean keepExact;
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
        super(input);
        this.stemmer = stemmer;
        this.keepExact = keepExact;
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
            if (from != 0 || to != length) {
                if (keepExact) {
                    // This call emits the exact form; the next one its stem.
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
