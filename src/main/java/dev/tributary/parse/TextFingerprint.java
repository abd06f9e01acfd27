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
 *
 * <p>A poll worker makes one for every new entry, and nearly every entry is the first copy of its story, compared
 * with nothing: the shingle set is sorted and the title's words read only when a comparison asks for them (sorting
 * was a quarter of a fingerprint's time; BENCHMARKS.md, "29 November, fourth session"). What is computed once is
 * read by one thread at a time (the worker, then the committer it hands the entry to); the lazy parts are guarded.
 */
public final class TextFingerprint {

    private long[] shingles;
    private boolean sorted;
    private final boolean matchable;
    private final int[] minHash;
    private final long[] openers;
    private final String title;
    private Set<String> titleWords;

    private TextFingerprint(long[] shingles, boolean matchable, int[] minHash, long[] openers, String title) {
        this.shingles = shingles;
        this.matchable = matchable;
        this.minHash = minHash;
        this.openers = openers;
        this.title = title;
    }

    /** The distinct shingles, sorted. */
    public synchronized long[] shingles() {
        if (!sorted) {
            shingles = sortedDistinct(shingles);
            sorted = true;
        }
        return shingles;
    }

    /** Whether the text has enough distinct shingles to match another ({@link NearDuplicate#MIN_SHINGLES}). */
    public boolean matchable() {
        return matchable;
    }

    /** The MinHash signature ({@link #HASHES} values). */
    public int[] minHash() {
        return minHash;
    }

    /** The opening shingles of the first paragraphs (hashes). */
    public long[] openers() {
        return openers;
    }

    /** The title's normalised words, less stop words. */
    public synchronized Set<String> titleWords() {
        if (titleWords == null) {
            Set<String> words = new HashSet<>();
            for (String w : words(title == null ? "" : title)) {
                if (!STOP.contains(w)) {
                    words.add(w);
                }
            }
            titleWords = words;
        }
        return titleWords;
    }

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

    /**
     * E-mail addresses, matched only from the start of a run of address characters (the lookbehind) and without
     * backtracking into it (possessive): tried at every character of every word, as before, the local part cost
     * time quadratic in the word's length: 1.5 ms for the 6 KB fixture article against 0.26 now, and 5 s for an
     * entry of one 20,000-letter run (BENCHMARKS.md, "29 November, third session"; bench FingerprintBench).
     */
    private static final Pattern EMAILS = Pattern.compile("(?<![\\w.+-])[\\w.+-]++@[\\w-]++\\.[\\w.]+");
    /** What Cloudflare's e-mail obfuscation leaves in copied text. */
    private static final Pattern CLOAKED_EMAILS = Pattern.compile("\\[email\\s*protected\\]");
    private static final Set<String> STOP = Set.of("a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "at",
            "by", "with", "as", "is", "are", "after", "over", "new", "its", "from");
    private static final long[] SEEDS = new long[HASHES];
    /** Keeps opener keys apart from band keys in the one index. */
    private static final long OPENER_KEY = 0x2545F4914F6CDD1DL;

    static {
        long s = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < HASHES; i++) {
            s = Hashes.mix64(s + i * 0xBF58476D1CE4E5B9L);
            SEEDS[i] = s;
        }
    }

    /** Fingerprint of a title and an HTML (or plain) body. */
    public static TextFingerprint of(String title, String html) {
        Words words = new Words(false);
        tokenize(html == null ? "" : html, words);
        int n = words.count;
        int[] hashes = words.hashes;
        long[] set = new long[Math.max(0, n - K + 1)];
        for (int i = 0; i + K <= n; i++) {
            set[i] = hashWords(hashes, i, K);
        }
        long[] openers = new long[MAX_OPENERS];
        int openerCount = 0;
        for (int p = 0; p < words.paragraphCount && openerCount < MAX_OPENERS; p++) {
            int from = words.paragraphStarts[p];
            int to = p + 1 < words.paragraphCount ? words.paragraphStarts[p + 1] : n;
            if (to - from >= OPENER_WORDS) {
                long h = hashWords(hashes, from, OPENER_WORDS);
                boolean seen = false;
                for (int o = 0; o < openerCount && !seen; o++) {
                    seen = openers[o] == h;
                }
                if (!seen) {
                    openers[openerCount++] = h;
                }
            }
        }
        // Over the shingles as they come, repeats and all: a minimum is the same over a set as over its repeats.
        int[] minHash = new int[HASHES];
        Arrays.fill(minHash, Integer.MAX_VALUE);
        for (long sh : set) {
            for (int i = 0; i < HASHES; i++) {
                int v = (int) (Hashes.mix64(sh ^ SEEDS[i]) >>> 33);
                if (v < minHash[i]) {
                    minHash[i] = v;
                }
            }
        }
        return new TextFingerprint(set, distinctAtLeast(set, NearDuplicate.MIN_SHINGLES), minHash,
                Arrays.copyOf(openers, openerCount), title);
    }

    /** Whether {@code values} holds at least {@code count} distinct values (usually decided by its first ones). */
    private static boolean distinctAtLeast(long[] values, int count) {
        if (values.length < count) {
            return false;
        }
        long[] seen = new long[count];
        int found = 0;
        for (long v : values) {
            boolean repeat = false;
            for (int i = 0; i < found && !repeat; i++) {
                repeat = seen[i] == v;
            }
            if (!repeat) {
                seen[found++] = v;
                if (found == count) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The normalised words of a plain text (titles). */
    static List<String> words(String text) {
        Words words = new Words(true);
        tokenize(text, words);
        return words.strings;
    }

    /** Sorts in place and drops repeats. */
    private static long[] sortedDistinct(long[] values) {
        if (values.length < 2) {
            return values;
        }
        Arrays.sort(values);
        int out = 1;
        for (int i = 1; i < values.length; i++) {
            if (values[i] != values[out - 1]) {
                values[out++] = values[i];
            }
        }
        return out == values.length ? values : Arrays.copyOf(values, out);
    }

    private static final String[] BLOCKS = {"p", "li", "br", "div", "h1", "h2", "h3", "h4", "h5", "h6",
            "blockquote", "tr", "td", "th", "dd", "dt", "pre", "ul", "ol", "table", "section", "article", "figure",
            "figcaption", "hr", "header", "footer", "aside"};

    /** ASCII letters and digits: the common case of {@link Character#isLetterOrDigit}, read off a table. */
    private static final boolean[] LETTER_OR_DIGIT = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            LETTER_OR_DIGIT[c] = Character.isLetterOrDigit(c);
        }
    }

    /** Whether {@code s[from, to)} names a block element (ASCII, any case). */
    private static boolean isBlock(char[] s, int from, int to) {
        int len = to - from;
        for (String name : BLOCKS) {
            if (name.length() != len) {
                continue;
            }
            int i = 0;
            while (i < len) {
                char c = s[from + i];
                if (c >= 'A' && c <= 'Z') {
                    c += 'a' - 'A';
                }
                if (c != name.charAt(i)) {
                    break;
                }
                i++;
            }
            if (i == len) {
                return true;
            }
        }
        return false;
    }

    /**
     * The words of a text as the fingerprint needs them: each word's hash (that of the normalised word as a
     * String, so stored index rows stay valid), where paragraphs start, and for titles the words themselves. ASCII
     * words, nearly all of them, are hashed as they are read, without making a String.
     */
    private static final class Words {
        final boolean keepStrings;
        final List<String> strings = new ArrayList<>();
        int[] hashes = new int[256];
        int count;
        int[] paragraphStarts = new int[16];
        int paragraphCount;
        /** The current word: its characters, its hash so far (lower-cased ASCII), whether it is all ASCII. */
        final StringBuilder word = new StringBuilder(16);
        int hash;
        boolean ascii = true;

        Words(boolean keepStrings) {
            this.keepStrings = keepStrings;
        }

        void append(char c) {
            word.append(c);
            if (c < 128) {
                hash = 31 * hash + (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
            } else {
                ascii = false;
            }
        }

        /** Ends the current word; returns true when a word was added. */
        boolean flush(boolean newParagraph) {
            if (word.isEmpty()) {
                return false;
            }
            String w = null;
            int h = hash;
            if (!ascii || keepStrings) {
                w = word.toString();
                if (!ascii) {
                    w = Normalizer.normalize(w, Normalizer.Form.NFKC);
                }
                w = w.toLowerCase(Locale.ROOT);
                h = w.hashCode();
            }
            word.setLength(0);
            hash = 0;
            ascii = true;
            if (newParagraph) {
                if (paragraphCount == paragraphStarts.length) {
                    paragraphStarts = Arrays.copyOf(paragraphStarts, paragraphCount * 2);
                }
                paragraphStarts[paragraphCount++] = count;
            }
            if (count == hashes.length) {
                hashes = Arrays.copyOf(hashes, count * 2);
            }
            hashes[count++] = h;
            if (keepStrings) {
                strings.add(w);
            }
            return true;
        }
    }

    /**
     * One pass over HTML or text: tags dropped (block tags start a paragraph), entities decoded, e-mail addresses
     * and their cloaked form removed, words lower-cased (NFKC for non-ASCII), apostrophes joined. Replaces a jsoup
     * parse, regex splitting and whole-text normalisation that made fingerprints cost three parse stages.
     */
    private static void tokenize(String s, Words words) {
        if (s.contains("[email")) {
            s = CLOAKED_EMAILS.matcher(s).replaceAll(" ");
        }
        if (s.indexOf('@') >= 0) {
            s = EMAILS.matcher(s).replaceAll(" ");
        }
        boolean newParagraph = true;
        char[] text = s.toCharArray(); // plain array reads: charAt checks bounds and coder on every character
        int n = text.length;
        for (int i = 0; i < n; i++) {
            char c = text[i];
            if (c < 128 && LETTER_OR_DIGIT[c]) {
                words.append(c);
                continue;
            }
            if (c == '<') {
                int end = s.indexOf('>', i);
                if (end < 0) {
                    end = n - 1;
                }
                int j = i + 1;
                if (j < n && text[j] == '/') {
                    j++;
                }
                int k = j;
                while (k < end && Character.isLetterOrDigit(text[k])) {
                    k++;
                }
                if (words.flush(newParagraph)) {
                    newParagraph = false;
                }
                if (isBlock(text, j, k)) {
                    newParagraph = true;
                }
                i = end;
                continue;
            }
            if (c == '&') {
                int semi = i + 1; // the reference's end, looked for within 12 characters (not to the text's end)
                while (semi < n && semi - i <= 12 && text[semi] != ';') {
                    semi++;
                }
                if (semi < n && semi - i <= 12 && semi > i + 1) { // stopped at a ';', with a name before it
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
                words.append(c);
                continue;
            }
            if (c == '\n' && i + 1 < n && text[i + 1] == '\n') {
                words.flush(newParagraph);
                newParagraph = true;
                continue;
            }
            if (words.flush(newParagraph)) {
                newParagraph = false;
            }
        }
        words.flush(newParagraph);
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

    private static long hashWords(int[] wordHashes, int from, int count) {
        long h = 0x84222325CBF29CE4L;
        for (int j = from; j < from + count; j++) {
            h = Hashes.mix64(h ^ wordHashes[j] * 0x100000001B3L);
        }
        return h;
    }

    /** The index keys: one per band of the MinHash signature, one per paragraph opener (none for an empty text). */
    public long[] indexKeys() {
        if (shingles.length == 0) {
            return new long[0];
        }
        long[] keys = new long[BANDS + openers.length];
        for (int b = 0; b < BANDS; b++) {
            long h = b;
            for (int r = 0; r < ROWS; r++) {
                h = Hashes.mix64(h * 31 + minHash[b * ROWS + r]);
            }
            keys[b] = h;
        }
        for (int o = 0; o < openers.length; o++) {
            keys[BANDS + o] = Hashes.mix64(openers[o] ^ OPENER_KEY);
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
}
