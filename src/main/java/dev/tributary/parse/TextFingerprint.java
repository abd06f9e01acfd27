package dev.tributary.parse;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * What near-duplicate detection knows of an entry: its text normalised (markup, case, punctuation, quotes and
 * cloaked e-mail artefacts gone), the set of its 5-word shingles, a MinHash signature over them for the LSH index
 * (finds copies of similar length), the opening words of each paragraph (finds a summary inside a full text: an RSS
 * description is one or more of the article's paragraphs, often cut short), and the words of its title.
 */
public record TextFingerprint(long[] shingles, int[] minHash, long[] openers, Set<String> titleWords) {

    /** Words per shingle. */
    static final int K = 5;
    /** MinHash values; {@link #BANDS} bands of {@link #ROWS} rows. */
    public static final int HASHES = 32;
    public static final int ROWS = 2;
    public static final int BANDS = HASHES / ROWS;
    /** Words that make a paragraph's opener; shorter paragraphs have none. At most {@code MAX_OPENERS} per text. */
    static final int OPENER_WORDS = 8;
    static final int MAX_OPENERS = 48;

    private static final Pattern EMAILS = Pattern.compile("\\[email\\s*protected\\]|[\\w.+-]+@[\\w-]+\\.[\\w.]+");
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Set<String> STOP = Set.of("a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "at",
            "by", "with", "as", "is", "are", "after", "over", "new", "its", "from");
    private static final long[] SEEDS = new long[HASHES];

    static {
        long s = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < HASHES; i++) {
            s = mix(s + i * 0xBF58476D1CE4E5B9L);
            SEEDS[i] = s;
        }
    }

    /** Fingerprint of a title and an HTML (or plain) body. */
    public static TextFingerprint of(String title, String html) {
        List<String> paragraphs = new ArrayList<>();
        String text;
        if (html == null) {
            text = "";
        } else if (html.indexOf('<') >= 0 || html.indexOf('&') >= 0) {
            Document doc = Jsoup.parse(html);
            text = doc.text();
            for (Element block : doc.select("p, li, blockquote, h1, h2, h3, h4, h5, h6, pre, td, dd")) {
                paragraphs.add(block.text());
            }
        } else {
            text = html;
        }
        if (paragraphs.isEmpty()) {
            paragraphs.addAll(Arrays.asList(text.split("\\n\\s*\\n")));
        }
        List<String> words = words(text);
        long[] all = new long[Math.max(0, words.size() - K + 1)];
        for (int i = 0; i + K <= words.size(); i++) {
            all[i] = hashWords(words, i, K);
        }
        long[] set = Arrays.stream(all).distinct().sorted().toArray();
        long[] openers = paragraphs.stream().map(TextFingerprint::words).filter(w -> w.size() >= OPENER_WORDS)
                .mapToLong(w -> hashWords(w, 0, OPENER_WORDS)).distinct().limit(MAX_OPENERS).toArray();
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

    private static long hashWords(List<String> words, int from, int count) {
        long h = 0x84222325CBF29CE4L;
        for (int j = from; j < from + count; j++) {
            h = mix(h ^ words.get(j).hashCode() * 0x100000001B3L);
        }
        return h;
    }

    static List<String> words(String text) {
        String t = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)
                .replace('\u2019', '\'').replace('\u2018', '\'');
        t = EMAILS.matcher(t).replaceAll(" ");
        t = t.replace("'", "");
        List<String> out = new ArrayList<>();
        for (String w : NON_WORD.split(t)) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    /** The index keys: one per band of the MinHash signature, one per paragraph opener. */
    public List<String> indexKeys() {
        List<String> keys = new ArrayList<>(BANDS + openers.length);
        if (shingles.length == 0) {
            return keys;
        }
        for (int b = 0; b < BANDS; b++) {
            long h = b;
            for (int r = 0; r < ROWS; r++) {
                h = mix(h * 31 + minHash[b * ROWS + r]);
            }
            keys.add("b" + b + ":" + Long.toHexString(h));
        }
        for (long h : openers) {
            keys.add("p:" + Long.toHexString(h));
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
