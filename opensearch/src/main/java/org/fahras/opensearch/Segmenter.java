/*
 * Finds the words of a text, ported from the scanner of src/analysis/tokenizer.rs.
 *
 * The scanner walks the ORIGINAL text and yields each word's span (UTF-16 offsets here, where
 * the Rust side counts UTF-8 bytes): Arabic words with their diacritics, tatweel and format
 * characters inside; numbers with . , ٫ ٬ between digits; ASCII words with their digits. A
 * whitespace-delimited run holding a letter of another script is segmented by UAX #29 word
 * boundaries (Lucene's StandardTokenizer here, the unicode-segmentation crate there) and its
 * words refined by the same rules.
 */
package org.fahras.opensearch;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;

import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/** Iterates the word spans of one text. Not thread-safe; reusable through reset. */
final class Segmenter {
    private static final int ARABIC = 0;
    private static final int ALPHANUMERIC = 1;
    private static final int NUMBER = 2;

    private static final int WORD = 0;
    private static final int FALLBACK = 1;
    private static final int END = 2;

    private CharSequence text = "";
    private int cursor;
    /** Words found by the UAX #29 fallback, waiting: pairs of (from, to). */
    private final ArrayDeque<int[]> pending = new ArrayDeque<>();
    private StandardTokenizer uax29;
    private OffsetAttribute uax29Offsets;

    // The last scan's result.
    private int scanFrom;
    private int scanTo;

    /** The current word's span. */
    int from;
    int to;

    void reset(CharSequence text) {
        this.text = text;
        this.cursor = 0;
        this.pending.clear();
    }

    /** Moves to the next word; false at the end. */
    boolean next() {
        while (true) {
            int[] span = pending.pollFirst();
            if (span != null) {
                from = span[0];
                to = span[1];
                return true;
            }
            switch (nextWord(text.length(), false)) {
                case WORD:
                    from = scanFrom;
                    to = scanTo;
                    return true;
                case FALLBACK:
                    segmentWithUax29(scanFrom);
                    break;
                default:
                    return false;
            }
        }
    }

    /** tokenizer.rs next_word over text[cursor, end). */
    private int nextWord(int end, boolean otherScripts) {
        int kind;
        while (true) {
            if (cursor >= end) {
                return END;
            }
            int c = Character.codePointAt(text, cursor);
            byte cls = CharTables.charClass(c);
            if (cls == CharTables.ARABIC_LETTER) {
                kind = ARABIC;
                break;
            } else if (cls == CharTables.ASCII_LETTER) {
                kind = ALPHANUMERIC;
                break;
            } else if (cls == CharTables.DIGIT) {
                kind = NUMBER;
                break;
            } else if (cls == CharTables.OTHER_ALPHANUMERIC) {
                if (otherScripts) {
                    kind = ALPHANUMERIC;
                    break;
                }
                scanFrom = cursor;
                return FALLBACK;
            }
            cursor += Character.charCount(c);
        }
        int start = cursor;
        cursor += Character.charCount(Character.codePointAt(text, start));
        while (cursor < end) {
            int c = Character.codePointAt(text, cursor);
            byte cls = CharTables.charClass(c);
            boolean continues;
            if (cls == CharTables.JOINER) {
                continues = true;
            } else if (kind == ARABIC) {
                if (cls == CharTables.OTHER_ALPHANUMERIC && !otherScripts) {
                    cursor = start;
                    scanFrom = start;
                    return FALLBACK;
                }
                continues = cls == CharTables.ARABIC_LETTER;
            } else if (cls == CharTables.OTHER_ALPHANUMERIC) {
                if (!otherScripts) {
                    cursor = start;
                    scanFrom = start;
                    return FALLBACK;
                }
                kind = ALPHANUMERIC;
                continues = true;
            } else if (kind == ALPHANUMERIC) {
                continues = cls == CharTables.ASCII_LETTER || cls == CharTables.DIGIT;
            } else { // NUMBER
                if (cls == CharTables.DIGIT) {
                    continues = true;
                } else if (cls == CharTables.ASCII_LETTER) {
                    kind = ALPHANUMERIC;
                    continues = true;
                } else if (cls == CharTables.NUMBER_SEPARATOR) {
                    // A separator continues the number only when a digit follows it.
                    int after = cursor + Character.charCount(c);
                    if (after < end) {
                        int next = Character.codePointAt(text, after);
                        if (CharTables.charClass(next) == CharTables.DIGIT) {
                            cursor = after + Character.charCount(next);
                            continue;
                        }
                    }
                    continues = false;
                } else {
                    continues = false;
                }
            }
            if (!continues) {
                break;
            }
            cursor += Character.charCount(c);
        }
        scanFrom = start;
        scanTo = cursor;
        return WORD;
    }

    /**
     * Segments the whitespace-delimited run starting at from with UAX #29 and queues its words,
     * each refined by the scanner's rules (tokenizer.rs segment_with_uax29).
     */
    private void segmentWithUax29(int runFrom) {
        int runEnd = runFrom;
        while (runEnd < text.length()) {
            int c = Character.codePointAt(text, runEnd);
            if (CharTables.isWhitespace(c)) {
                break;
            }
            runEnd += Character.charCount(c);
        }
        String run = text.subSequence(runFrom, runEnd).toString();
        if (uax29 == null) {
            uax29 = new StandardTokenizer();
            // No splitting of long words: over-long tokens are dropped later, as in Rust.
            uax29.setMaxTokenLength(StandardTokenizer.MAX_TOKEN_LENGTH_LIMIT);
            uax29Offsets = uax29.addAttribute(OffsetAttribute.class);
        }
        int covered = runFrom;
        try {
            uax29.setReader(new StringReader(run));
            uax29.reset();
            while (uax29.incrementToken()) {
                int wordFrom = runFrom + uax29Offsets.startOffset();
                int wordTo = runFrom + uax29Offsets.endOffset();
                queueUncovered(covered, wordFrom);
                refine(wordFrom, wordTo);
                covered = wordTo;
            }
            uax29.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                uax29.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        queueUncovered(covered, runEnd);
        cursor = runEnd;
    }

    /**
     * Between StandardTokenizer's words: a character that UAX #29 leaves a segment of its own
     * yet Rust counts as alphanumeric (superscript digits, vulgar fractions: general category
     * No) is a word for unicode-segmentation's unicode_words, which StandardTokenizer does not
     * emit.
     */
    private void queueUncovered(int gapFrom, int gapTo) {
        int i = gapFrom;
        while (i < gapTo) {
            int c = Character.codePointAt(text, i);
            int n = Character.charCount(c);
            if (CharTables.isAlphanumeric(c)) {
                refine(i, i + n);
            }
            i += n;
        }
    }

    private void refine(int wordFrom, int wordTo) {
        int saved = cursor;
        cursor = wordFrom;
        while (nextWord(wordTo, true) == WORD) {
            pending.addLast(new int[] {scanFrom, scanTo});
        }
        cursor = saved;
    }
}
