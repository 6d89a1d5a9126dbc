package org.fahras.opensearch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
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
        // الي keeps its ي: a suffix leaves three letters (light10 and analyzer version 1: ال).
        assertAnalyzesTo(FahrasAnalyzer.stemmed(), "وصلَ الوزيرُ إلى المدينة",
            new String[] {"وصل", "وزير", "الي", "مدين"});
        // The prepositions ب and ل, after the article or و too; never leaving fewer than three.
        assertAnalyzesTo(FahrasAnalyzer.stemmed(), "بمدينة ولمدينة البلاد بعد لها",
            new String[] {"مدين", "مدين", "لاد", "بعد", "لها"});
    }

    public void testLight10GuardOnRequest() {
        assertEquals("سن", new LightStemmer(2).stem("سنه"));
        assertEquals("سنه", new LightStemmer().stem("سنه"));
        // A second suffix leaves a letter more: three here, four by default.
        assertEquals("سنو", new LightStemmer(2).stem("سنواتها"));
        assertEquals("سنوات", new LightStemmer().stem("سنواتها"));
        assertEquals("ترلي", new LightStemmer().stem("ترليون"));
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

    public void testFahrasLeanStacksOnlyTheWordsWithASuffixAndNoPrefix() throws IOException {
        // كتابه loses a suffix and no prefix: the word, then its stem at the same position.
        // والكتابه and المدينه lose a prefix: their stem alone. كتبه keeps its suffix (كتب would
        // leave three letters, fewer than fahras_lean's four), مدينتهم has no light10 suffix;
        // the stopword في leaves a gap.
        assertAnalyzesTo(FahrasAnalyzer.lean(), "كتابه والكتابه في كتبه المدينة مدينتهم",
            new String[] {"كتابه", "كتاب", "كتاب", "كتبه", "مدين", "مدينتهم"},
            new int[] {0, 0, 6, 18, 23, 31},
            new int[] {5, 5, 14, 22, 30, 38},
            new int[] {1, 0, 1, 2, 1, 1});
    }

    public void testLeadFilterCountsTheFirstPositionsTwice() throws IOException {
        // Three positions: وصل (1) and الوزير/وزير (2) are doubled; إلى (3) was removed, so
        // المدينه at position 4 is past the lead and emitted once, as its stem.
        Analyzer analyzer = new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                Tokenizer tokenizer = new FahrasTokenizer();
                return new TokenStreamComponents(tokenizer, new FahrasLeadFilter(
                    new FahrasStemFilter(new StopFilter(tokenizer, Stopwords.SET),
                        new LightStemmer(), true), 3));
            }
        };
        assertAnalyzesTo(analyzer, "وصلَ الوزيرُ إلى المدينة",
            new String[] {"وصل", "وصل", "الوزير", "الوزير", "وزير", "وزير", "المدينه", "مدين"},
            new int[] {0, 0, 5, 5, 5, 5, 17, 17},
            new int[] {4, 4, 12, 12, 12, 12, 24, 24},
            new int[] {1, 0, 1, 0, 0, 0, 2, 0});
        // The count starts again with every value (reset).
        assertAnalyzesTo(analyzer, "وصلَ", new String[] {"وصل", "وصل"}, new int[] {1, 0});
    }

    public void testFahrasBlendedLeadIsBlendedWithItsLeadTwice() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < FahrasAnalyzer.LEAD_POSITIONS + 5; i++) {
            text.append("كتاب").append(i).append(' ');
        }
        // كتاب and its number split: two positions a word (كتاب is its own stem).
        TokenStream blended = FahrasAnalyzer.blended().tokenStream("f", text.toString());
        TokenStream lead = FahrasAnalyzer.blendedLead().tokenStream("f", text.toString());
        List<String> want = new ArrayList<>();
        CharTermAttribute term =
            blended.addAttribute(CharTermAttribute.class);
        blended.reset();
        int position = 0;
        while (blended.incrementToken()) {
            position += blended.getAttribute(PositionIncrementAttribute.class)
                .getPositionIncrement();
            want.add(term.toString());
            if (position <= FahrasAnalyzer.LEAD_POSITIONS) {
                want.add(term.toString());
            }
        }
        blended.end();
        blended.close();
        List<String> got = new ArrayList<>();
        CharTermAttribute leadTerm =
            lead.addAttribute(CharTermAttribute.class);
        lead.reset();
        while (lead.incrementToken()) {
            got.add(leadTerm.toString());
        }
        lead.end();
        lead.close();
        assertEquals(want, got);
        assertEquals(2 * (FahrasAnalyzer.LEAD_POSITIONS + 5) + FahrasAnalyzer.LEAD_POSITIONS, got.size());
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
        checkRandomData(random(), FahrasAnalyzer.blendedLead(), 300 * RANDOM_MULTIPLIER);
        checkRandomData(random(), FahrasAnalyzer.lean(), 300 * RANDOM_MULTIPLIER);
    }

    public void testRandomLongText() throws IOException {
        checkRandomData(random(), FahrasAnalyzer.stemmed(), 20 * RANDOM_MULTIPLIER, 8192);
    }
}
