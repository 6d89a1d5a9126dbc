package org.fahras.opensearch;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;

/**
 * The two analyzers of a fahras archive (src/index.rs): {@link #stemmed()} is what its stemmed
 * fields (title, body) do, the fahras tokenizer and the light stemmer, stopwords kept;
 * {@link #exact()} is what its exact-form fields do, the fahras tokenizer without stopwords
 * (a removed stopword leaves a gap in positions, so a phrase never matches across it);
 * {@link #blended()} holds both in one field: stopwords removed, each word's exact form and,
 * when it differs, its stem at the same position (docs/opensearch.md: the analyzer to use when
 * a mapping has one field per text and a plain match query); {@link #lean()} is the cheaper
 * one-field analyzer: stopwords removed, longer stems, and the exact form stacked only on the
 * words whose stem is the word with a suffix removed (docs/opensearch.md, "fahras_lean").
 */
public final class FahrasAnalyzer extends Analyzer {
    /**
     * How many positions of a value fahras_blended_lead counts twice: the best of 5, 10, 15,
     * 30, 60 and 120 on the dev collections (docs/opensearch.md, "The lead counted twice").
     */
    public static final int LEAD_POSITIONS = 15;

    /**
     * The fewest letters fahras_lean's stemmer leaves after a suffix (a further suffix one
     * more): 4, where fahras's own stemmer leaves 3 (docs/opensearch.md, "fahras_lean").
     */
    public static final int LEAN_MIN_STEM_CHARS = 4;

    private final boolean stem;
    private final boolean stopwords;
    private final FahrasStemFilter.Stack stack;
    private final LightStemmer stemmer;
    /** Positions counted twice (fahras_lead), 0 for none. */
    private final int lead;

    private FahrasAnalyzer(boolean stem, boolean stopwords, boolean keepExact, LightStemmer stemmer) {
        this(stem, stopwords, keepExact ? FahrasStemFilter.Stack.EXACT : FahrasStemFilter.Stack.NONE, stemmer, 0);
    }

    private FahrasAnalyzer(boolean stem, boolean stopwords, FahrasStemFilter.Stack stack, LightStemmer stemmer, int lead) {
        this.lead = lead;
        this.stem = stem;
        this.stopwords = stopwords;
        this.stack = stack;
        this.stemmer = stemmer;
    }

    /** The analyzer named fahras: normalize, segment, light-stem. */
    public static FahrasAnalyzer stemmed() {
        return new FahrasAnalyzer(true, false, false, new LightStemmer());
    }

    /** The analyzer named fahras_exact: normalize, segment, remove stopwords. */
    public static FahrasAnalyzer exact() {
        return new FahrasAnalyzer(false, true, false, null);
    }

    /**
     * The analyzer named fahras_blended: normalize, segment, remove stopwords, then each word
     * as written and its stem at one position (the stem only once when they are the same).
     */
    public static FahrasAnalyzer blended() {
        return new FahrasAnalyzer(true, true, true, new LightStemmer());
    }

    /**
     * The analyzer named fahras_blended_lead, for indexing: fahras_blended, then every token of
     * the first {@link #LEAD_POSITIONS} positions of a value emitted twice (fahras_lead). Search
     * its fields with fahras_blended.
     */
    public static FahrasAnalyzer blendedLead() {
        return new FahrasAnalyzer(true, true, FahrasStemFilter.Stack.EXACT, new LightStemmer(), LEAD_POSITIONS);
    }

    /**
     * The analyzer named fahras_lean: normalize, segment, remove stopwords, stem leaving at
     * least {@link #LEAN_MIN_STEM_CHARS} letters, and stack the word as written before its stem
     * only when the stem is the word with a suffix removed and no prefix (كتابه: كتابه, كتاب;
     * والكتاب and والكتابه: their stem alone). fahras_blended's exact-form gain with a sixth of its
     * stacked tokens (docs/opensearch.md, "fahras_lean").
     */
    public static FahrasAnalyzer lean() {
        return new FahrasAnalyzer(true, true, FahrasStemFilter.Stack.SUFFIX_ONLY,
            new LightStemmer(LEAN_MIN_STEM_CHARS), 0);
    }

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer tokenizer = new FahrasTokenizer();
        TokenStream stream = tokenizer;
        if (stopwords) {
            stream = new StopFilter(stream, Stopwords.SET);
        }
        if (stem) {
            stream = new FahrasStemFilter(stream, stemmer, stack);
        }
        if (lead > 0) {
            stream = new FahrasLeadFilter(stream, lead);
        }
        return new TokenStreamComponents(tokenizer, stream);
    }

    /** Wildcard, prefix and fuzzy query terms are normalized (not segmented or stemmed). */
    @Override
    protected TokenStream normalize(String fieldName, TokenStream in) {
        return new FahrasNormalizeFilter(in, true);
    }
}
