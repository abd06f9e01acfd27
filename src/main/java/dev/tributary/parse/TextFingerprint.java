package dev.tributary.parse;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What near-duplicate detection knows of an entry: its text normalised (markup, case, punctuation, quotes and
 * cloaked e-mail artefacts gone), the set of its 5-word shingles, a MinHash signature over them for the LSH index
 * (finds copies of similar length), the opening words of each paragraph (finds a summary inside a full text: an RSS
 * description is one or more of the article's paragraphs, often cut short), and the words of its title.
 */
public record TextFingerprint(long[] shingles, int[] minHash, long[] openers, Set<String> titleWords) {

    /** Words per shingle. */
    static final int K = 5;
    /**
     * MinHash values; {@link #BANDS} bands of {@link #ROWS} rows. Eight bands of two find a pair of Jaccard 0.6 with
     * probability 0.97 (0.84 at 0.45, the confirming threshold); copies below that are summaries, which the openers
     * find. Each key is a row in the database index, written once per entry and probed once per new entry: 8 bands
     * and 4 openers (12 keys) instead of 16 and up to 48 (22 on the benchmark's texts) found every positive pair of
     * the labelled set just the same, at about half the index cost. The first bands and openers are computed as
     * before the cut, so index rows written by earlier versions still match.
     */
    public static final int HASHES = 16;
    public static final int ROWS = 2;
    public static final int BANDS = HASHES / ROWS;
    /**
     * Words that make a paragraph's opener; shorter paragraphs have none. Openers of the first {@code MAX_OPENERS}
     * paragraphs only: a summary is the article's first paragraph or two.
     */
    static final int OPENER_WORDS = 8;
    static final int MAX_OPENERS = 4;

    private static final Pattern EMAILS = Pattern.compile("\\[email\\s*protected\\]|[\\w.+-]+@[\\w-]+\\.[\\w.]+");
    private static final Set<String> STOP = Set.of("a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "at",
            "by", "with", "as", "is", "are", "after", "over", "new", "its", "from");
    private static final long[] SEEDS = new long[HASHES];
    /** Keeps opener keys apart from band keys in the one index. */
    private static final long OPENER_KEY = 0x2545F4914F6CDD1DL;

    static {
        long s = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < HASHES; i++) {
            s = mix(s + i * 0xBF58476D1CE4E5B9L);
            SEEDS[i] = s;
        }
    }

    /** Fingerprint of a title and an HTML (or plain) body. */
    public static TextFingerprint of(String title, String html) {
        List<String> words = new ArrayList<>();
        List<Integer> paragraphStarts = new ArrayList<>();
        tokenize(html == null ? "" : html, words, paragraphStarts);
        long[] all = new long[Math.max(0, words.size() - K + 1)];
        for (int i = 0; i + K <= words.size(); i++) {
            all[i] = hashWords(words, i, K);
        }
        long[] set = Arrays.stream(all).distinct().sorted().toArray();
        List<Long> openerList = new ArrayList<>();
        for (int p = 0; p < paragraphStarts.size() && openerList.size() < MAX_OPENERS; p++) {
            int from = paragraphStarts.get(p);
            int to = p + 1 < paragraphStarts.size() ? paragraphStarts.get(p + 1) : words.size();
            if (to - from >= OPENER_WORDS) {
                long h = hashWords(words, from, OPENER_WORDS);
                if (!openerList.contains(h)) {
                    openerList.add(h);
                }
            }
        }
        long[] openers = openerList.stream().mapToLong(Long::longValue).toArray();
        int[] minHash = new int[HASHES];
        Arrays.fill(minHash, Integer.MAX_VALUE);
        for (long sh : set) {
            for (int i = 0; i < HASHES; i++) {
                int v = (int) (mix(sh ^ SEEDS[i]) >>> 33);
                if (v < minHash[i]) {
                    minHash[i] = v;
                }
            }
        }
        Set<String> titleWords = new HashSet<>();
        for (String w : words(title == null ? "" : title)) {
            if (!STOP.contains(w)) {
                titleWords.add(w);
            }
        }
        return new TextFingerprint(set, minHash, openers, titleWords);
    }

    /** The normalised words of a plain text (titles). */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        tokenize(text, out, new ArrayList<>());
        return out;
    }

    private static final Set<String> BLOCKS = Set.of("p", "li", "br", "div", "h1", "h2", "h3", "h4", "h5", "h6",
            "blockquote", "tr", "td", "th", "dd", "dt", "pre", "ul", "ol", "table", "section", "article", "figure",
            "figcaption", "hr", "header", "footer", "aside");

    /**
     * One pass over HTML or text: tags dropped (block tags start a paragraph), entities decoded, e-mail addresses
     * and their cloaked form removed, words lower-cased (NFKC for non-ASCII), apostrophes joined. Replaces a jsoup
     * parse, regex splitting and whole-text normalisation that made fingerprints cost three parse stages.
     */
    static void tokenize(String s, List<String> words, List<Integer> paragraphStarts) {
        if (s.indexOf('@') >= 0 || s.contains("[email")) {
            s = EMAILS.matcher(s).replaceAll(" ");
        }
        StringBuilder word = new StringBuilder(16);
        boolean newParagraph = true;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '<') {
                int end = s.indexOf('>', i);
                if (end < 0) {
                    end = n - 1;
                }
                int j = i + 1;
                if (j < n && s.charAt(j) == '/') {
                    j++;
                }
                int k = j;
                while (k < end && Character.isLetterOrDigit(s.charAt(k))) {
                    k++;
                }
                if (flush(word, words, paragraphStarts, newParagraph)) {
                    newParagraph = false;
                }
                if (BLOCKS.contains(s.substring(j, k).toLowerCase(Locale.ROOT))) {
                    newParagraph = true;
                }
                i = end;
                continue;
            }
            if (c == '&') {
                int semi = s.indexOf(';', i);
                if (semi > i + 1 && semi - i <= 12) {
                    String ref = s.substring(i + 1, semi);
                    String decoded = ref.startsWith("#") ? numeric(ref) : org.jsoup.nodes.Entities.getByName(ref);
                    if (!decoded.isEmpty()) {
                        i = semi;
                        c = decoded.charAt(0);
                    }
                }
            }
            if (c == '\'' || c == '\u2019' || c == '\u2018') {
                continue; // "it's" and "its" are one word
            }
            if (Character.isLetterOrDigit(c)) {
                word.append(c);
                continue;
            }
            if (c == '\n' && i + 1 < n && s.charAt(i + 1) == '\n') {
                if (flush(word, words, paragraphStarts, newParagraph)) {
                    newParagraph = false;
                }
                newParagraph = true;
                continue;
            }
            if (flush(word, words, paragraphStarts, newParagraph)) {
                newParagraph = false;
            }
        }
        flush(word, words, paragraphStarts, newParagraph);
    }

    /** Ends the current word; returns true when a word was added. */
    private static boolean flush(StringBuilder word, List<String> words, List<Integer> paragraphStarts, boolean newParagraph) {
        if (word.isEmpty()) {
            return false;
        }
        String w = word.toString();
        word.setLength(0);
        boolean ascii = true;
        for (int i = 0; i < w.length() && ascii; i++) {
            ascii = w.charAt(i) < 128;
        }
        if (!ascii) {
            w = Normalizer.normalize(w, Normalizer.Form.NFKC);
        }
        if (newParagraph) {
            paragraphStarts.add(words.size());
        }
        words.add(w.toLowerCase(Locale.ROOT));
        return true;
    }

    private static String numeric(String ref) {
        try {
            int cp = ref.startsWith("#x") || ref.startsWith("#X") ? Integer.parseInt(ref.substring(2), 16)
                    : Integer.parseInt(ref.substring(1));
            return Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : "";
        } catch (NumberFormatException e) {
            return "";
        }
    }

    private static long hashWords(List<String> words, int from, int count) {
        long h = 0x84222325CBF29CE4L;
        for (int j = from; j < from + count; j++) {
            h = mix(h ^ words.get(j).hashCode() * 0x100000001B3L);
        }
        return h;
    }

    /** The index keys: one per band of the MinHash signature, one per paragraph opener. */
    public List<Long> indexKeys() {
        List<Long> keys = new ArrayList<>(BANDS + openers.length);
        if (shingles.length == 0) {
            return keys;
        }
        for (int b = 0; b < BANDS; b++) {
            long h = b;
            for (int r = 0; r < ROWS; r++) {
                h = mix(h * 31 + minHash[b * ROWS + r]);
            }
            keys.add(h);
        }
        for (long h : openers) {
            keys.add(mix(h ^ OPENER_KEY));
        }
        return keys;
    }

    /** |A ∩ B| of two sorted shingle sets. */
    static int overlap(long[] a, long[] b) {
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                n++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return n;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
