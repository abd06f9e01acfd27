package dev.tributary.parse;

import java.util.HashSet;
import java.util.Set;

/**
 * Decides whether two texts are copies of one story, with an exact measure: Jaccard similarity of their shingle
 * sets, or containment of the smaller in the larger (a summary inside the full text) when the headlines agree at
 * least a little (otherwise a roundup quoting a lede would swallow the story). Very short texts never match.
 */
public final class NearDuplicate {

    /** Shingles the smaller text needs before it can match at all (a title and one sentence is too little). */
    public static final int MIN_SHINGLES = 12;

    private final double jaccardThreshold;
    private final double containmentThreshold;
    private final double titleThreshold;

    public NearDuplicate(double jaccardThreshold, double containmentThreshold, double titleThreshold) {
        this.jaccardThreshold = jaccardThreshold;
        this.containmentThreshold = containmentThreshold;
        this.titleThreshold = titleThreshold;
    }

    /** The measures of one comparison and the verdict. */
    public record Similarity(double jaccard, double containment, double title, boolean same) {
        /** Why two entries were merged, for the story's member list. */
        public String reason() {
            return jaccard >= containment ? String.format("near-duplicate text (jaccard %.2f)", jaccard)
                    : String.format("near-duplicate text (containment %.2f)", containment);
        }
    }

    public Similarity compare(TextFingerprint a, TextFingerprint b) {
        int small = Math.min(a.shingles().length, b.shingles().length);
        if (small < MIN_SHINGLES) {
            return new Similarity(0, 0, titleSimilarity(a, b), false);
        }
        int common = TextFingerprint.overlap(a.shingles(), b.shingles());
        double jaccard = common / (double) (a.shingles().length + b.shingles().length - common);
        double containment = common / (double) small;
        double title = titleSimilarity(a, b);
        boolean same = jaccard >= jaccardThreshold || containment >= containmentThreshold && title >= titleThreshold;
        return new Similarity(jaccard, containment, title, same);
    }

    static double titleSimilarity(TextFingerprint a, TextFingerprint b) {
        if (a.titleWords().isEmpty() || b.titleWords().isEmpty()) {
            return 0;
        }
        Set<String> inter = new HashSet<>(a.titleWords());
        inter.retainAll(b.titleWords());
        Set<String> union = new HashSet<>(a.titleWords());
        union.addAll(b.titleWords());
        return inter.size() / (double) union.size();
    }
}
