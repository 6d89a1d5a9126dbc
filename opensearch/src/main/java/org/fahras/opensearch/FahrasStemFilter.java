package org.fahras.opensearch;

import java.io.IOException;

import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.KeywordAttribute;

/**
 * fahras's light stemmer on each (normalized) term; a stem is a substring of the term, cut in
 * place. Tokens marked as keywords (keyword_marker) are left whole.
 */
public final class FahrasStemFilter extends TokenFilter {
    private final CharTermAttribute termAtt = addAttribute(CharTermAttribute.class);
    private final KeywordAttribute keywordAtt = addAttribute(KeywordAttribute.class);
    private final LightStemmer stemmer;

    public FahrasStemFilter(TokenStream input) {
        this(input, new LightStemmer());
    }

    public FahrasStemFilter(TokenStream input, LightStemmer stemmer) {
        super(input);
        this.stemmer = stemmer;
    }

    @Override
    public boolean incrementToken() throws IOException {
        if (!input.incrementToken()) {
            return false;
        }
        if (!keywordAtt.isKeyword()) {
            int length = termAtt.length();
            long range = stemmer.stemRange(termAtt, length);
            int from = (int) (range >>> 32);
            int to = (int) range;
            if (from != 0 || to != length) {
                char[] buffer = termAtt.buffer();
                System.arraycopy(buffer, from, buffer, 0, to - from);
                termAtt.setLength(to - from);
            }
        }
        return true;
    }
}
