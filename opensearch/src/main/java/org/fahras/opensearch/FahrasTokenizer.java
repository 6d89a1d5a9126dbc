/*
 * The fahras tokenizer for Lucene: words found in the original text (Segmenter), each emitted
 * normalized (ArabicNormalizer), with offsets into the original text, as tokenizer.rs does.
 */
package org.fahras.opensearch;

import java.io.IOException;

import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * Arabic words, normalized, with offsets (UTF-16, as Lucene counts) into the original text.
 * Positions are consecutive over the tokens emitted; a word whose original text is longer than
 * {@link #MAX_TOKEN_BYTES} UTF-8 bytes, or that normalizes to nothing, is dropped without
 * using up a position.
 */
public final class FahrasTokenizer extends Tokenizer {
    /** tokenizer.rs MAX_TOKEN_BYTES: counted in UTF-8 bytes of the original text, as there. */
    public static final int MAX_TOKEN_BYTES = 120;

    private final CharTermAttribute termAtt = addAttribute(CharTermAttribute.class);
    private final OffsetAttribute offsetAtt = addAttribute(OffsetAttribute.class);
    private final Segmenter segmenter = new Segmenter();
    private final StringBuilder term = new StringBuilder();
    private final StringBuilder text = new StringBuilder();
    private final char[] buffer = new char[8192];
    private int finalOffset;

    @Override
    public void reset() throws IOException {
        super.reset();
        // The whole field value is read first: a word's end (and the UAX #29 fallback's run)
        // is only known once what follows it has been seen.
        text.setLength(0);
        int n;
        while ((n = input.read(buffer)) != -1) {
            text.append(buffer, 0, n);
        }
        segmenter.reset(text);
        finalOffset = correctOffset(text.length());
    }

    @Override
    public boolean incrementToken() {
        clearAttributes();
        while (segmenter.next()) {
            int from = segmenter.from;
            int to = segmenter.to;
            if (utf8Length(text, from, to) > MAX_TOKEN_BYTES) {
                continue;
            }
            term.setLength(0);
            ArabicNormalizer.normalizeInto(text, from, to, term);
            if (term.length() == 0) {
                // Only marks or format characters: nothing to index.
                continue;
            }
            termAtt.setEmpty().append(term);
            offsetAtt.setOffset(correctOffset(from), correctOffset(to));
            return true;
        }
        return false;
    }

    @Override
    public void end() throws IOException {
        super.end();
        offsetAtt.setOffset(finalOffset, finalOffset);
    }

    @Override
    public void close() throws IOException {
        super.close();
        text.setLength(0);
        if (text.capacity() > 1 << 20) {
            text.trimToSize();
        }
    }

    /** The UTF-8 length of text[from, to): what MAX_TOKEN_BYTES counts. */
    static int utf8Length(CharSequence text, int from, int to) {
        int bytes = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < to
                && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
