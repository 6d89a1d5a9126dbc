package org.fahras.opensearch;

import java.io.IOException;

import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Normalizes each token's term the way fahras does, for chains that start with another
 * tokenizer (after the fahras tokenizer it changes nothing: normalization is idempotent). A
 * token that normalizes to nothing (diacritics alone) is dropped without using up a position,
 * as the fahras tokenizer drops it.
 */
public final class FahrasNormalizeFilter extends TokenFilter {
    private final CharTermAttribute termAtt = addAttribute(CharTermAttribute.class);
    private final StringBuilder term = new StringBuilder();

    private final boolean keepEmpty;

    public FahrasNormalizeFilter(TokenStream input) {
        this(input, false);
    }

    /**
     * With keepEmpty, a token that normalizes to nothing stays (empty): query-term
     * normalization (Analyzer.normalize) must give back exactly one token.
     */
    FahrasNormalizeFilter(TokenStream input, boolean keepEmpty) {
        super(input);
        this.keepEmpty = keepEmpty;
    }

    @Override
    public boolean incrementToken() throws IOException {
        while (input.incrementToken()) {
            term.setLength(0);
            ArabicNormalizer.normalizeInto(termAtt, 0, termAtt.length(), term);
            if (term.length() > 0 || keepEmpty) {
                termAtt.setEmpty().append(term);
                return true;
            }
        }
        return false;
    }
}
