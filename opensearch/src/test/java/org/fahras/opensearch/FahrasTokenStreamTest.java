package org.fahras.opensearch;

import java.io.IOException;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.tests.analysis.BaseTokenStreamTestCase;

/**
 * The Lucene contract of the plugin's tokenizer and filters (reset/end/close, offsets that
 * never go backwards and stay inside the text, also behind char filters that shift them), with
 * Lucene's own checker on random text, and the UTF-16 offsets on a few worked examples.
 */
public class FahrasTokenStreamTest extends BaseTokenStreamTestCase {

    public void testOffsetsAreUtf16UnitsOfTheOriginalText() throws IOException {
        // 😀 is two UTF-16 units: the word after it starts at 7, not 6.
        assertAnalyzesTo(new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                return new TokenStreamComponents(new FahrasTokenizer());
            }
        }, "أعلنَت😀 الحكومةُ",
            new String[] {"اعلنت", "الحكومه"},
            new int[] {0, 9},
            new int[] {6, 17},
            new int[] {1, 1});
    }

    public void testFahrasAnalyzerStems() throws IOException {
        assertAnalyzesTo(FahrasAnalyzer.stemmed(), "وصلَ الوزيرُ إلى المدينة",
            new String[] {"وصل", "وزير", "ال", "مدين"});
    }

    public void testFahrasExactDropsStopwordsAndKeepsTheirPositions() throws IOException {
        assertAnalyzesTo(FahrasAnalyzer.exact(), "وصلَ الوزيرُ إلى المدينة",
            new String[] {"وصل", "الوزير", "المدينه"},
            new int[] {0, 5, 17},
            new int[] {4, 12, 24},
            new int[] {1, 1, 2});
    }

    public void testFahrasBlendedStacksTheExactFormAndItsStem() throws IOException {
        // وصل is its own stem: one token. الوزير and المدينه are followed by their stems at the
        // same position (increment 0, same offsets); the stopword إلى leaves a gap.
        assertAnalyzesTo(FahrasAnalyzer.blended(), "وصلَ الوزيرُ إلى المدينة",
            new String[] {"وصل", "الوزير", "وزير", "المدينه", "مدين"},
            new int[] {0, 5, 5, 17, 17},
            new int[] {4, 12, 12, 24, 24},
            new int[] {1, 1, 0, 2, 0});
    }

    public void testStemFilterKeepExactAfterAnotherTokenizer() throws IOException {
        Analyzer analyzer = new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                Tokenizer tokenizer = new WhitespaceTokenizer();
                return new TokenStreamComponents(tokenizer,
                    new FahrasStemFilter(new FahrasNormalizeFilter(tokenizer), new LightStemmer(), true));
            }
        };
        assertAnalyzesTo(analyzer, "بالمدينةِ كتاب",
            new String[] {"بالمدينه", "مدين", "كتاب"},
            new int[] {1, 0, 1});
    }

    public void testNormalizeFilterAfterAnotherTokenizer() throws IOException {
        Analyzer analyzer = new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                Tokenizer tokenizer = new WhitespaceTokenizer();
                return new TokenStreamComponents(tokenizer, new FahrasStemFilter(new FahrasNormalizeFilter(tokenizer)));
            }
        };
        // A token of diacritics alone disappears without using up a position.
        assertAnalyzesTo(analyzer, "بالمدينةِ \u064e\u0651 أعلنت",
            new String[] {"مدين", "اعلنت"},
            new int[] {1, 1});
    }

    public void testRandomText() throws IOException {
        checkRandomData(random(), FahrasAnalyzer.stemmed(), 300 * RANDOM_MULTIPLIER);
        checkRandomData(random(), FahrasAnalyzer.exact(), 300 * RANDOM_MULTIPLIER);
        checkRandomData(random(), FahrasAnalyzer.blended(), 300 * RANDOM_MULTIPLIER);
    }

    public void testRandomLongText() throws IOException {
        checkRandomData(random(), FahrasAnalyzer.stemmed(), 20 * RANDOM_MULTIPLIER, 8192);
    }
}
