package dev.tributary.story;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.parse.NearDuplicate;
import dev.tributary.parse.TextFingerprint;
import dev.tributary.support.FeedServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Precision and recall of near-duplicate matching on the labelled set in src/test/resources/stories/pairs.jsonl
 * (made by tools/make-story-pairs.py), as the service matches: candidates found through the index keys, confirmed
 * with the thresholds the service uses by default.
 */
class NearDuplicateQualityTest {

    @Test
    void precisionAndRecallOnTheLabelledSet() throws Exception {
        ObjectMapper json = new ObjectMapper();
        NearDuplicate matcher = StoryMatcher.defaultMatcher();
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int tn = 0;
        List<String> wrong = new ArrayList<>();
        java.util.Map<String, double[]> margins = new java.util.TreeMap<>();
        for (String line : new String(FeedServer.read("/stories/pairs.jsonl"), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode p = json.readTree(line);
            TextFingerprint a = TextFingerprint.of(p.at("/a/title").asText(), p.at("/a/html").asText());
            TextFingerprint b = TextFingerprint.of(p.at("/b/title").asText(), p.at("/b/html").asText());
            NearDuplicate.Similarity s = matcher.compare(a, b);
            // The service only compares candidates that share an index key (a MinHash band or a paragraph opener):
            // a pair the index cannot find is not matched, however similar.
            boolean candidate = java.util.Arrays.stream(a.indexKeys()).anyMatch(
                    k -> java.util.Arrays.stream(b.indexKeys()).anyMatch(o -> o == k));
            boolean same = candidate && s.same();
            boolean expected = p.get("same").asBoolean();
            double[] m = margins.computeIfAbsent((expected ? "+ " : "- ") + p.get("kind").asText(),
                    k -> new double[] {9, -9, 9, -9});
            m[0] = Math.min(m[0], s.jaccard());
            m[1] = Math.max(m[1], s.jaccard());
            m[2] = Math.min(m[2], s.containment());
            m[3] = Math.max(m[3], s.containment());
            if (same && expected) {
                tp++;
            } else if (same) {
                fp++;
                wrong.add("false positive #" + p.get("id") + " " + p.get("kind").asText() + " " + s);
            } else if (expected) {
                fn++;
                wrong.add("false negative #" + p.get("id") + " " + p.get("kind").asText() + " " + s
                        + (candidate ? "" : " (no shared index key)"));
            } else {
                tn++;
            }
        }
        double precision = tp / (double) (tp + fp);
        double recall = tp / (double) (tp + fn);
        String report = String.format("pairs=%d tp=%d fp=%d fn=%d tn=%d precision=%.3f recall=%.3f%n%s", tp + fp + fn + tn,
                tp, fp, fn, tn, precision, recall, String.join("\n", wrong));
        System.out.println(report);
        margins.forEach((k, m) -> System.out.printf("%-36s jaccard %.2f..%.2f containment %.2f..%.2f%n", k, m[0], m[1], m[2], m[3]));
        assertTrue(tp + fp + fn + tn >= 200 && tp + fn >= 60, "the labelled set is large enough");
        assertTrue(precision >= 0.98, report);
        assertTrue(recall >= 0.90, report);
    }
}
