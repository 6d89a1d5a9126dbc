package org.fahras.opensearch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.junit.Test;

/**
 * The plugin's analysis against the Rust analyzer's: every token of the conformance vectors
 * (opensearch/conformance/generate runs `fahras analyze --json` over 2,000 real articles and
 * the table-driven cases) must come out of the Lucene analyzers with the same term, stem,
 * position and offsets, the Rust byte offsets converted to the UTF-16 offsets Lucene counts.
 * Missing vectors are a failure, never a skip.
 */
public class FahrasConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The floor: at least this many real articles. */
    private static final int MIN_ARTICLES = 2000;

    /** One token as Lucene gives it. */
    record Token(String term, int start, int end, int position) {}

    @Test
    public void newsArticlesAnalyzeAsInRust() throws IOException {
        int checked = checkFile("news.jsonl");
        assertTrue("only " + checked + " articles in news.jsonl, at least " + MIN_ARTICLES + " wanted",
            checked >= MIN_ARTICLES);
    }

    @Test
    public void tableDrivenCasesAnalyzeAsInRust() throws IOException {
        int checked = checkFile("cases.jsonl");
        assertTrue("only " + checked + " table-driven cases", checked >= 200);
    }

    private static Path vectors(String name) {
        String dir = System.getProperty("fahras.conformance.dir");
        Path path = Paths.get(dir == null ? "target/conformance" : dir, name);
        if (!Files.isRegularFile(path)) {
            fail("no conformance vectors at " + path.toAbsolutePath()
                + ": run opensearch/conformance/generate first (scripts/test-all does)");
        }
        return path;
    }

    private static int checkFile(String name) throws IOException {
        Path path = vectors(name);
        int records = 0;
        List<String> failures = new ArrayList<>();
        try (Analyzer stemmed = FahrasAnalyzer.stemmed(); Analyzer exact = FahrasAnalyzer.exact();
             Analyzer blended = FahrasAnalyzer.blended(); Analyzer lean = FahrasAnalyzer.lean();
             BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                JsonNode record = JSON.readTree(line);
                records++;
                String failure = check(record, stemmed, exact, blended, lean);
                if (failure != null && failures.size() < 10) {
                    failures.add(record.path("id").asText() + ": " + failure);
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + "+ of " + records + " texts of " + name + " differ from the Rust analyzer:\n"
                + String.join("\n", failures));
        }
        return records;
    }

    /** A description of the first difference, or null. */
    private static String check(JsonNode record, Analyzer stemmed, Analyzer exact, Analyzer blended,
            Analyzer lean) throws IOException {
        String text = record.get("text").asText();
        int[] utf16At = utf16OffsetsOfBytes(text);
        JsonNode expected = record.get("tokens");
        LightStemmer stemmer = new LightStemmer();
        LightStemmer leanStemmer = new LightStemmer(FahrasAnalyzer.LEAN_MIN_STEM_CHARS);

        // The tokenizer alone: normalized terms with their offsets and positions.
        List<Token> terms = tokens(new FahrasTokenizerAnalyzer(), text);
        // The fahras analyzer: the same tokens, stemmed.
        List<Token> stems = tokens(stemmed, text);
        // The fahras_exact analyzer: the same tokens, stopwords removed (positions kept).
        List<Token> exacts = tokens(exact, text);
        // The fahras_blended analyzer: the fahras_exact tokens, each followed by its stem at the
        // same position when the stem differs.
        List<Token> blends = tokens(blended, text);
        // The fahras_lean analyzer: the fahras_exact tokens stemmed with fahras_lean's stemmer,
        // the word as written before its stem when the stem is the word with a suffix removed
        // and no prefix (the Rust stem of --min-stem-chars 4 starts at the term's first byte).
        List<Token> leans = tokens(lean, text);

        if (terms.size() != expected.size()) {
            return "Rust made " + expected.size() + " tokens, Java " + terms.size() + first(terms, expected, utf16At);
        }
        List<Token> wantedExact = new ArrayList<>();
        List<Token> wantedBlend = new ArrayList<>();
        List<Token> wantedLean = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            JsonNode want = expected.get(i);
            int start = utf16At[want.get("start").asInt()];
            int end = utf16At[want.get("end").asInt()];
            if (start < 0 || end < 0) {
                return "Rust offsets " + want + " are not on character boundaries";
            }
            Token wanted = new Token(want.get("term").asText(), start, end, want.get("position").asInt());
            if (!wanted.equals(terms.get(i))) {
                return "token " + i + ": Rust " + wanted + " (" + want.get("text").asText() + "), Java " + terms.get(i);
            }
            if (!text.substring(start, end).equals(want.get("text").asText())) {
                return "token " + i + ": the original slice differs";
            }
            Token wantedStem = new Token(want.get("stem").asText(), start, end, wanted.position());
            if (!wantedStem.equals(stems.get(i))) {
                return "stem of token " + i + ": Rust " + wantedStem + ", Java " + stems.get(i);
            }
            if (!stemmer.stem(wanted.term()).equals(wantedStem.term())) {
                return "LightStemmer.stem of token " + i + " differs";
            }
            if (!want.has("lean_stem") || !want.has("lean_stem_start")) {
                return "token " + i + " has no lean_stem: vectors of an older generate, run it again";
            }
            Token leanStem = new Token(want.get("lean_stem").asText(), start, end, wanted.position());
            if (!leanStemmer.stem(wanted.term()).equals(leanStem.term())) {
                return "LightStemmer(" + FahrasAnalyzer.LEAN_MIN_STEM_CHARS + ").stem of token " + i + ": Rust "
                    + leanStem.term() + ", Java " + leanStemmer.stem(wanted.term());
            }
            if (!Stopwords.SET.contains(wanted.term())) {
                wantedExact.add(wanted);
                wantedBlend.add(wanted);
                if (!wantedStem.term().equals(wanted.term())) {
                    wantedBlend.add(wantedStem);
                }
                if (!leanStem.term().equals(wanted.term()) && want.get("lean_stem_start").asInt() == 0) {
                    wantedLean.add(wanted);
                }
                wantedLean.add(leanStem);
            }
        }
        if (!wantedExact.equals(exacts)) {
            return "fahras_exact: expected " + wantedExact.size() + " tokens, got " + exacts.size();
        }
        if (!wantedBlend.equals(blends)) {
            return "fahras_blended: expected " + wantedBlend.size() + " tokens, got " + blends.size()
                + first(blends, wantedBlend);
        }
        if (!wantedLean.equals(leans)) {
            return "fahras_lean: expected " + wantedLean.size() + " tokens, got " + leans.size()
                + first(leans, wantedLean);
        }
        return null;
    }

    private static String first(List<Token> got, List<Token> wanted) {
        for (int i = 0; i < Math.min(got.size(), wanted.size()); i++) {
            if (!got.get(i).equals(wanted.get(i))) {
                return "; first difference at token " + i + ": wanted " + wanted.get(i) + ", got " + got.get(i);
            }
        }
        return "; the shorter list is a prefix of the other";
    }

    private static String first(List<Token> got, JsonNode expected, int[] utf16At) {
        for (int i = 0; i < Math.min(got.size(), expected.size()); i++) {
            JsonNode want = expected.get(i);
            if (!got.get(i).term().equals(want.get("term").asText())
                || got.get(i).start() != utf16At[want.get("start").asInt()]) {
                return "; first difference at token " + i + ": Rust " + want + ", Java " + got.get(i);
            }
        }
        return "; the shorter list is a prefix of the other";
    }

    /** The tokens an analyzer makes of a text, positions counted from the increments. */
    static List<Token> tokens(Analyzer analyzer, String text) throws IOException {
        List<Token> out = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream("body", new StringReader(text))) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
            PositionIncrementAttribute increment = stream.addAttribute(PositionIncrementAttribute.class);
            stream.reset();
            int position = -1;
            while (stream.incrementToken()) {
                position += increment.getPositionIncrement();
                out.add(new Token(term.toString(), offset.startOffset(), offset.endOffset(), position));
            }
            stream.end();
        }
        return out;
    }

    /** For each UTF-8 byte offset of text, the UTF-16 offset of the same place (-1 inside a character). */
    static int[] utf16OffsetsOfBytes(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] at = new int[bytes.length + 1];
        java.util.Arrays.fill(at, -1);
        int b = 0;
        int i = 0;
        while (i < text.length()) {
            at[b] = i;
            int c = text.codePointAt(i);
            b += new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8).length;
            i += Character.charCount(c);
        }
        at[b] = i;
        return at;
    }

    /** The fahras tokenizer alone, as an analyzer. */
    static final class FahrasTokenizerAnalyzer extends Analyzer {
        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            return new TokenStreamComponents(new FahrasTokenizer());
        }
    }

    @Test
    public void byteOffsetsConvertToUtf16() {
        // ب is 2 bytes and 1 UTF-16 unit; 😀 is 4 bytes and 2 units.
        int[] at = utf16OffsetsOfBytes("ب😀a");
        assertEquals(0, at[0]);
        assertEquals(-1, at[1]);
        assertEquals(1, at[2]);
        assertEquals(3, at[6]);
        assertEquals(4, at[7]);
    }
}
