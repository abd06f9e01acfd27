package dev.tributary.parse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.support.FeedServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fingerprint is stored: index rows written by one version are probed by the next, so a change to how words,
 * shingles, bands or openers are computed silently stops old entries from matching new copies. These tests pin it.
 */
class TextFingerprintTest {

    /**
     * A digest of every fingerprint of the labelled set (440 texts: entities, curly quotes, cloaked e-mail, non-ASCII,
     * markup of every kind), taken with the version that wrote the index rows of migration V6 onwards. If this fails,
     * the fingerprint changed: either restore it or write a migration that rebuilds the index.
     */
    @Test
    void fingerprintsOfTheLabelledSetAreThoseStoredIndexRowsWereWrittenWith() throws Exception {
        ObjectMapper json = new ObjectMapper();
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        int texts = 0;
        for (String line : new String(FeedServer.read("/stories/pairs.jsonl"), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode p = json.readTree(line);
            for (String side : List.of("/a", "/b")) {
                TextFingerprint f = TextFingerprint.of(p.at(side + "/title").asText(), p.at(side + "/html").asText());
                StringBuilder s = new StringBuilder();
                for (long v : f.shingles()) {
                    s.append(v).append(',');
                }
                s.append('|');
                for (int v : f.minHash()) {
                    s.append(v).append(',');
                }
                s.append('|').append(java.util.Arrays.toString(f.indexKeys())).append('|').append(new java.util.TreeSet<>(f.titleWords())).append('\n');
                digest.update(s.toString().getBytes(StandardCharsets.UTF_8));
                texts++;
            }
        }
        assertEquals(440, texts);
        assertEquals("f579352125654b93dd2c97056aa958cbb6f9420821b22cd98676d81991fc7007", HexFormat.of().formatHex(digest.digest()));
    }

    @Test
    void wordsAreNormalisedAsTheMatcherExpects() {
        // Markup and entities out, case folded, apostrophes joined, NFKC within a word (the "fi" ligature; a
        // combining accent is not a letter and ends the word), e-mail addresses and their cloaked form dropped.
        assertEquals(List.of("its", "the", "cafe", "news", "e", "mail", "fine", "x"),
                TextFingerprint.words("<p>It&#8217;s THE caf\u0065\u0301 &amp; [email protected] news:</p><br/>"
                        + "e-mail me@example.org, \ufb01ne &lt;x&gt;"));
        TextFingerprint a = TextFingerprint.of("The Café’s “Big” News", "<p>body</p>");
        assertEquals(Set.of("cafés", "big", "news"), a.titleWords());
    }

    @Test
    void addressesAreDroppedWholeAndAnAmpersandWithoutAnEndIsASeparator() {
        // An address goes whole, however it starts; a cloaked one with any spacing; an '&' without a ';' within 12
        // characters is not a reference (nor is one right before a ';'), one with a known name is decoded.
        assertEquals(List.of("write", "to", "or", "today", "fish", "amp", "chips", "r", "d", "x", "tom", "jerry"),
                TextFingerprint.words("write to jane.doe+news@example.co.uk or [email  protected] today: fish &amp "
                        + "chips, R&D &; x Tom &amp; Jerry"));
        // A run of letters far longer than a word, an address after it and a row of '&': the same words as any text
        // (the cost of such input is measured in bench FingerprintBench, "hostile").
        String run = "x".repeat(20_000);
        assertEquals(List.of(run, "a", "z"), TextFingerprint.words(run + "! b@c.example a " + "&".repeat(5_000) + " z"));
    }

    @Test
    void shinglesAreSortedAndDistinctAndOpenersComeFromTheFirstParagraphs() {
        String para = "one two three four five six seven eight nine ten";
        TextFingerprint f = TextFingerprint.of("t", "<p>" + para + "</p><p>" + para + "</p><div>short one</div>"
                + "<p>alpha beta gamma delta epsilon zeta eta theta</p>");
        long[] sorted = f.shingles().clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(sorted, f.shingles());
        assertEquals(java.util.Arrays.stream(sorted).distinct().count(), f.shingles().length);
        // Two distinct openers: the repeated paragraph counts once, the short one has none.
        assertEquals(2, f.openers().length);
        assertEquals(TextFingerprint.BANDS + 2, f.indexKeys().length);
    }
}
