package dev.tributary.store;

import dev.tributary.parse.Hashes;

/**
 * A Bloom filter over the near-duplicate index's buckets (a row's bits above the lowest, {@link IndexLayout}), or
 * over story keys' hashes ({@link #forKeys}, every bit counts): whether a bucket may hold rows, or a key may be
 * stored. "No" is certain, so a probe for that bucket or key can be left unsent; "maybe" is wrong for about one in a
 * hundred while the filter holds no more than its capacity. Values can be added, never removed (rows or keys deleted
 * since the filter was built only make it answer "maybe" more often).
 *
 * <p>Ten bits per bucket of capacity and seven probes from one 64-bit mix of the bucket (double hashing on its two
 * halves): at capacity, 0.8% false positives.
 */
final class IndexFilter {

    private static final int HASHES = 7;
    private static final int BITS_PER_BUCKET = 10;

    private final long[] words;
    private final int lowBits;
    private final long size;
    private final long capacity;
    private long added;

    /** An empty filter for up to {@code capacity} buckets of rows in this layout. */
    IndexFilter(long capacity, IndexLayout layout) {
        this(capacity, layout.lowBits());
    }

    /** An empty filter for up to {@code capacity} story key hashes. */
    static IndexFilter forKeys(long capacity) {
        return new IndexFilter(capacity, 0);
    }

    private IndexFilter(long capacity, int lowBits) {
        this.lowBits = lowBits;
        long bits = Math.max(64, capacity * BITS_PER_BUCKET);
        if (bits > (1L << 32) - 64) {
            throw new IllegalArgumentException("capacity too large: " + capacity);
        }
        this.words = new long[(int) ((bits + 63) >>> 6)];
        this.size = words.length * 64L;
        this.capacity = capacity;
    }

    /** Records that a row of this bucket (an index row, or its high half) may be in the index, or this key hash. */
    void add(long row) {
        visit(row, true);
        added++;
    }

    /** False when no row of this bucket (or this key) was added; true when one was (or, rarely, when none was). */
    boolean mightContain(long row) {
        return visit(row, false);
    }

    /** The bucket's seven bits: sets them, or tells whether all are set (stopping at the first that is not). */
    private boolean visit(long row, boolean set) {
        long h = Hashes.mix64(row >>> lowBits);
        int first = (int) h;
        int step = (int) (h >>> 32) | 1;
        for (int i = 0; i < HASHES; i++) {
            long bit = bit(first + i * step);
            int word = (int) (bit >>> 6);
            if (set) {
                words[word] |= 1L << bit;
            } else if ((words[word] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether more rows were added than the filter was sized for (its false positives grow past 0.8%). */
    boolean full() {
        return added > capacity;
    }

    /** The filter's size in bytes. */
    long bytes() {
        return words.length * 8L;
    }

    /** A 32-bit hash's bit in [0, size): the hash scaled to the size (no modulo, any size). */
    private long bit(int hash) {
        return ((hash & 0xFFFF_FFFFL) * size) >>> 32; // both factors at most 2^32: the product fits, read unsigned
    }
}
