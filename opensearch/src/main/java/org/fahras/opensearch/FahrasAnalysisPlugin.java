/*
 * The OpenSearch plugin: registers fahras's analysis under these names (docs/opensearch.md):
 *
 *   analyzers     fahras         what a fahras archive's stemmed fields do (title, body)
 *                 fahras_exact   what its exact-form fields do (title_exact, body_exact)
 *                 fahras_blended both in one field: stopwords out, exact form and stem stacked
 *                 fahras_blended_lead  fahras_blended, the first 15 positions counted twice
 *                                (for indexing; search with fahras_blended)
 *                 fahras_lean    one field at fahras's indexing cost: stopwords out, stems of
 *                                at least 4 letters, the exact form stacked only on words
 *                                whose stem removed a suffix and no prefix
 *   tokenizer     fahras         words of the original text, normalized; UTF-16 offsets
 *   token filters fahras_normalize  fahras's orthographic normalization of each term
 *                 fahras_stem       the light stemmer (settings: min_stem_chars, default 3,
 *                                   a further suffix one more; keep_exact, default false:
 *                                   the word as written too; stack: which words get it)
 *                 fahras_stop       fahras's stopwords removed, leaving gaps in positions
 *                 fahras_lead       the tokens of the first positions emitted twice (setting:
 *                                   positions, default 15)
 *
 * The analysis is a Java port of src/analysis/, held to the Rust analyzer token for token by
 * FahrasConformanceTest (vectors that `fahras analyze --json` makes in CI).
 */
package org.fahras.opensearch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.IndexSettings;
import org.opensearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.opensearch.index.analysis.AbstractTokenFilterFactory;
import org.opensearch.index.analysis.AbstractTokenizerFactory;
import org.opensearch.index.analysis.AnalyzerProvider;
import org.opensearch.index.analysis.NormalizingTokenFilterFactory;
import org.opensearch.index.analysis.TokenFilterFactory;
import org.opensearch.index.analysis.TokenizerFactory;
import org.opensearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.opensearch.plugins.AnalysisPlugin;
import org.opensearch.plugins.Plugin;

/** fahras's Arabic analysis for OpenSearch. */
public class FahrasAnalysisPlugin extends Plugin implements AnalysisPlugin {
    /**
     * fahras's ANALYZER_VERSION (src/analysis/mod.rs) that this plugin implements. A different
     * version means different terms for the same text: an index built with one must be
     * reindexed to be searched with the other.
     */
    public static final int ANALYZER_VERSION = readAnalyzerVersion();

    private static int readAnalyzerVersion() {
        Properties properties = new Properties();
        try (InputStream in = FahrasAnalysisPlugin.class.getResourceAsStream("analysis.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Integer.parseInt(properties.getProperty("analyzer.version").trim());
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of("fahras", FahrasTokenizerFactory::new);
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "fahras_normalize", NormalizeFactory::new,
            "fahras_stem", StemFactory::new,
            "fahras_stop", StopFactory::new,
            "fahras_lead", LeadFactory::new);
    }

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        return Map.of(
            "fahras", (indexSettings, env, name, settings) ->
                new Provider(indexSettings, name, settings, FahrasAnalyzer.stemmed()),
            "fahras_exact", (indexSettings, env, name, settings) ->
                new Provider(indexSettings, name, settings, FahrasAnalyzer.exact()),
            "fahras_blended", (indexSettings, env, name, settings) ->
                new Provider(indexSettings, name, settings, FahrasAnalyzer.blended()),
            "fahras_blended_lead", (indexSettings, env, name, settings) ->
                new Provider(indexSettings, name, settings, FahrasAnalyzer.blendedLead()),
            "fahras_lean", (indexSettings, env, name, settings) ->
                new Provider(indexSettings, name, settings, FahrasAnalyzer.lean()));
    }

    static final class Provider extends AbstractIndexAnalyzerProvider<FahrasAnalyzer> {
        private final FahrasAnalyzer analyzer;

        Provider(IndexSettings indexSettings, String name, Settings settings, FahrasAnalyzer analyzer) {
            super(indexSettings, name, settings);
            this.analyzer = analyzer;
        }

        @Override
        public FahrasAnalyzer get() {
            return analyzer;
        }
    }

    static final class FahrasTokenizerFactory extends AbstractTokenizerFactory {
        FahrasTokenizerFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, settings, name);
        }

        @Override
        public Tokenizer create() {
            return new FahrasTokenizer();
        }
    }

    static final class NormalizeFactory extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        NormalizeFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, name, settings);
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return new FahrasNormalizeFilter(tokenStream);
        }
    }

    static final class StemFactory extends AbstractTokenFilterFactory {
        private final LightStemmer stemmer;
        private final FahrasStemFilter.Stack stack;

        StemFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, name, settings);
            int min = settings.getAsInt("min_stem_chars", 3);
            if (min < 1) {
                throw new IllegalArgumentException(
                    "[min_stem_chars] of token filter [" + name + "] must be at least 1, got " + min);
            }
            this.stemmer = new LightStemmer(min);
            boolean keepExact = settings.getAsBoolean("keep_exact", false);
            String stackSetting = settings.get("stack");
            this.stack = stackSetting != null ? FahrasStemFilter.Stack.parse(stackSetting)
                : keepExact ? FahrasStemFilter.Stack.EXACT : FahrasStemFilter.Stack.NONE;
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return new FahrasStemFilter(tokenStream, stemmer, stack);
        }

        /**
         * A synonym_graph filter after this one parses its rules with the chain before it:
         * the rules of `fahras variants --export` are stems already, and stemming a stem
         * again would cut it further (مدين to مد), so the stemmer is left out of that parse.
         */
        @Override
        public TokenFilterFactory getSynonymFilter() {
            return IDENTITY_FILTER;
        }
    }

    static final class LeadFactory extends AbstractTokenFilterFactory {
        private final int positions;

        LeadFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, name, settings);
            this.positions = settings.getAsInt("positions", FahrasAnalyzer.LEAD_POSITIONS);
            if (positions < 1) {
                throw new IllegalArgumentException(
                    "[positions] of token filter [" + name + "] must be at least 1, got " + positions);
            }
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return new FahrasLeadFilter(tokenStream, positions);
        }
    }

    static final class StopFactory extends AbstractTokenFilterFactory {
        StopFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, name, settings);
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return new StopFilter(tokenStream, Stopwords.SET);
        }

        /**
         * A synonym_graph filter after this one parses its rules with the chain before it. The
         * rules of `fahras variants --export` are stems, and a stem can be spelled as a
         * stopword is (الآلي, "automatic", stems to الي, the spelling of إلى after
         * normalization): the stopword list is about words as written, so it is left out of
         * that parse, as the stemmer is, and such a rule is kept instead of failing to parse.
         */
        @Override
        public TokenFilterFactory getSynonymFilter() {
            return IDENTITY_FILTER;
        }
    }
}
