/*
 * fahras's stopword list (src/analysis/stopwords.rs ARABIC_STOPWORDS), read from the resource
 * stopwords.txt, one normalized word a line. A Rust test (tests/opensearch_plugin.rs) checks
 * that the resource holds exactly ARABIC_STOPWORDS, so the two cannot drift.
 */
package org.fahras.opensearch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.lucene.analysis.CharArraySet;

/** The stopwords, in normalized spelling. */
public final class Stopwords {
    private Stopwords() {}

    /** The list, in the order of stopwords.rs. */
    public static final List<String> WORDS = load();

    /** The list as a Lucene set, for StopFilter. */
    public static final CharArraySet SET = CharArraySet.unmodifiableSet(new CharArraySet(WORDS, false));

    private static List<String> load() {
        try (InputStream in = Stopwords.class.getResourceAsStream("stopwords.txt")) {
            if (in == null) {
                throw new IllegalStateException("stopwords.txt missing from the plugin jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> words = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    words.add(line);
                }
            }
            return Collections.unmodifiableList(words);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
