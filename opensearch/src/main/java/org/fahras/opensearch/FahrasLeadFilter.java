package org.fahras.opensearch;

import java.io.IOException;

import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * The lead of a text counted twice: every token of the first {@code positions} positions of a
 * value is emitted again right after itself, at the same position, so its frequency in the
 * document counts double. A title written before the text ("title, line break, text") and an
 * article's first sentence name what it is about; this is what a fahras archive's title and
 * lead fields do with their weights, inside one field. Positions are those of the stream, gaps
 * included (a removed stopword uses one). No new term is indexed (the same postings, larger
 * frequencies), and stacked tokens do not lengthen the field for BM25 (Lucene discounts
 * overlaps). For indexing only: a search analyzer without it keeps query words counted once.
 */
public final class FahrasLeadFilter extends TokenFilter {
    private final PositionIncrementAttribute posIncAtt = addAttribute(PositionIncrementAttribute.class);
    private final int positions;
    /** The position of the last token read, from 1. */
    private int position;
    /** The token to emit again, or null. */
    private State pending;

    public FahrasLeadFilter(TokenStream input, int positions) {
        super(input);
        this.positions = positions;
    }

    @Override
    public boolean incrementToken() throws IOException {
        if (pending != null) {
            restoreState(pending);
            pending = null;
            posIncAtt.setPositionIncrement(0);
            return true;
        }
        if (!input.incrementToken()) {
            return false;
        }
        position += posIncAtt.getPositionIncrement();
        if (position <= positions) {
            pending = captureState();
        }
        return true;
    }

    @Override
    public void reset() throws IOException {
        super.reset();
        pending = null;
        position = 0;
    }
}
