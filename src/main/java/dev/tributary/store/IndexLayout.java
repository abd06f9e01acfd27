package dev.tributary.store;

/**
 * How a row of the near-duplicate index packs an index key and an entry id into its one BIGINT, the table's primary
 * key. A probe for a key reads the rows of one <em>bucket</em>: a range of {@code 2^lowBits} rows that share
 * everything but their lowest bits.
 *
 * <ul>
 * <li>{@link #KEY_FIRST} (PostgreSQL, migration V10): the key's high 32 bits, then the entry id (below 2^32). One
 * bucket per key, so a key is one range probe, whether or not this instance's probe filter is on (several instances
 * sharing a database turn it off). A batch's rows land all over the B-tree, which PostgreSQL updates in place.</li>
 * <li>{@link #EPOCHS} (H2, migration V13): the entry id's <em>epoch</em> (its bits above the lowest 13: 8,192
 * entries an epoch) first, then the key's high 32 bits, then the id's lowest 13 bits. Entries get their ids as they
 * arrive, so a batch writes into the few newest epochs, a small end of the tree, however large the index has grown.
 * H2 copies a leaf for every row it writes and keeps the copies until its store and the collector are through with
 * them, so rows written all over a 460,000-row tree cost three times what the same rows cost in a small one
 * (BENCHMARKS.md, "29 November, second session"). A key is then one bucket per epoch that still has rows (the index
 * keeps two windows' entries: 25 epochs at 200,000 of them); the probe filter tells which of those buckets can hold
 * rows (an embedded H2 database has one writer, so its filter stays on unless the index outgrows it), and only those
 * are read.</li>
 * </ul>
 */
public record IndexLayout(int lowBits) {

    /** The key's high half, then the entry id. */
    public static final IndexLayout KEY_FIRST = new IndexLayout(32);
    /** The entry's epoch, the key's high half, the entry id's low 13 bits. */
    public static final IndexLayout EPOCHS = new IndexLayout(13);

    /** The layout the service uses on a database of this kind ({@code quarkus.datasource.db-kind}). */
    public static IndexLayout forDbKind(String dbKind) {
        return "h2".equalsIgnoreCase(dbKind) ? EPOCHS : KEY_FIRST;
    }

    /** The layout for a JDBC URL (tools outside the service: the benchmark's bulk loader). */
    public static IndexLayout forJdbcUrl(String url) {
        return url.startsWith("jdbc:h2:") ? EPOCHS : KEY_FIRST;
    }

    /** Whether rows are ordered by epoch first (a key is then one bucket per epoch). */
    public boolean hasEpochs() {
        return lowBits < 32;
    }

    /** The bits of an entry id above {@link #lowBits}: zero in the key-first layout. */
    private int epochBits() {
        return 32 - lowBits;
    }

    private long lowMask() {
        return (1L << lowBits) - 1;
    }

    /**
     * Whether an entry's rows can be written: ids below 2^32 in the key-first layout, below 2^31 with epochs (rows
     * stay positive, so SQL reads the entry back with plain division). Later entries join stories by links and
     * guids only.
     */
    public boolean indexable(long entryId) {
        return entryId >= 0 && entryId < (lowBits == 32 ? 1L << 32 : 1L << 31);
    }

    /** The epoch of an entry id (0 for every id in the key-first layout). */
    public long epoch(long entryId) {
        return lowBits == 32 ? 0 : entryId >>> lowBits;
    }

    /** The row of an entry (indexable) under a key. */
    public long row(long key, long entryId) {
        return bucket(key, epoch(entryId)) | (entryId & lowMask());
    }

    /** The first row of a key's bucket in an epoch: a probe reads this row and the {@code 2^lowBits - 1} after it. */
    public long bucket(long key, long epoch) {
        long half = key >>> 32;
        return lowBits == 32 ? half << 32 : (epoch << (64 - epochBits())) | (half << lowBits);
    }

    /** The key's high half that a bucket (or a row) is for. */
    public long keyHalf(long bucketOrRow) {
        return (bucketOrRow >>> lowBits) & 0xFFFF_FFFFL;
    }

    /** The last row of a bucket, less its first. */
    public long bucketSpan() {
        return lowMask();
    }

    /** The entry id of a row. */
    public long entry(long row) {
        return lowBits == 32 ? row & lowMask() : ((row >>> (64 - epochBits())) << lowBits) | (row & lowMask());
    }

    /** The epoch a row is in. */
    public long epochOfRow(long row) {
        return epoch(entry(row));
    }

    /**
     * The entry id of a row of {@code story_fingerprint} in SQL. Key first: the low 32 bits (MOD keeps the
     * dividend's sign on both databases, hence twice). Epochs: the epoch times 2^13 plus the low 13 bits (rows are
     * positive).
     */
    public String entryOfRowSql() {
        if (lowBits == 32) {
            return "mod(mod(story_fingerprint.fp, 4294967296) + 4294967296, 4294967296)";
        }
        long epochUnit = 1L << (64 - epochBits());
        long low = 1L << lowBits;
        return "(story_fingerprint.fp / " + epochUnit + " * " + low + " + mod(story_fingerprint.fp, " + low + "))";
    }
}
