package dev.tributary.store;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;

/**
 * Where the near-duplicate index's rows ({@link IndexLayout}: one BIGINT per index key and entry) are kept.
 *
 * <ul>
 * <li>{@link Rows} (PostgreSQL): a table row per index row, {@code story_fingerprint (fp)}.</li>
 * <li>{@link Packs} (H2, migration V14): rows in <em>packs</em>, {@code story_fingerprint_pack (slot, rows_packed)}.
 * A pack holds the rows one batch wrote that share their bits above the lowest {@link Packs#SEQ_BITS}: with epochs
 * first ({@link IndexLayout#EPOCHS}), the entry's epoch and the top 8 bits of the key's high half, so a batch of any
 * size writes at most 256 table rows an epoch. H2 copies a B-tree leaf for every row a transaction writes and again
 * when it commits: a batch of 370 entries wrote about 4,400 index rows, nearly all of what clustering added to the
 * benchmark's 10,000-entry cycle (10.3 s with them, 8.35 s with the rows left unwritten, 8.27 s without clustering;
 * BENCHMARKS.md, "29 November, fourth session"). A pack's
 * slot is those shared bits and then a number from a sequence, one per batch; a probe reads every pack of its
 * bucket's slot range (one range scan) and keeps the rows of the bucket.</li>
 * </ul>
 *
 * Both run in the caller's transaction on the caller's connection.
 */
public abstract sealed class IndexTable permits IndexTable.Rows, IndexTable.Packs {

    /** Rows per statement where rows go in as an array (an H2 array holds at most 65,536). */
    static final int ROWS_PER_STATEMENT = 16_384;
    /** Bucket starts (or slot ranges) per probe statement. */
    static final int BUCKETS_PER_PROBE = 2048;
    /** Rows per page of a full scan. */
    static final int SCAN_PAGE = 50_000;

    final IndexLayout layout;

    private IndexTable(IndexLayout layout) {
        this.layout = layout;
    }

    /** How this database keeps the index: packs with epochs (H2), else a row per row. */
    public static IndexTable of(IndexLayout layout) {
        return layout.hasEpochs() ? new Packs(layout) : new Rows(layout);
    }

    /** Adds rows (sorted, distinct). */
    public abstract void insert(Connection c, long[] rows) throws SQLException;

    /**
     * Every row in these buckets ({@link IndexLayout#bucket}; sorted, distinct), each once: a range scan per bucket
     * or per pack range.
     */
    public abstract void probe(Connection c, long[] buckets, LongConsumer row) throws SQLException;

    /** Every row (the probe filter's build), a page at a time. */
    public abstract void scan(Connection c, LongConsumer row) throws SQLException;

    /** How many rows there are (the probe filter's size). */
    public abstract long count(Connection c) throws SQLException;

    /** The epochs that have rows, first to last (none for an empty index); the key-first layout's one epoch. */
    public abstract long[] epochs(Connection c) throws SQLException;

    /** Deletes the rows of entries below this id; returns how many went. */
    public abstract int deleteEntriesBelow(Connection c, long entryId) throws SQLException;

    /** Deletes the rows of a feed's entries (before the entries go). */
    public abstract void deleteEntriesOfFeed(Connection c, long feedId) throws SQLException;

    /** Deletes the rows of these entries (sorted, distinct): one pass over the index. */
    public abstract void deleteEntries(Connection c, long[] entryIds) throws SQLException;

    /** Merges what batches left in pieces (packs of one range); returns how many table rows that saved. */
    public abstract int compact(Connection c) throws SQLException;

    /**
     * One table row per index row, in the key-first layout (PostgreSQL); {@link #scanTable} also reads H2's rows
     * before V14.
     */
    public static final class Rows extends IndexTable {

        Rows(IndexLayout layout) {
            super(layout);
        }

        @Override
        public void insert(Connection c, long[] rows) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into story_fingerprint (fp) select r.fp from unnest(?) r(fp)")) {
                for (int from = 0; from < rows.length; from += ROWS_PER_STATEMENT) {
                    ps.setArray(1, c.createArrayOf("bigint", boxed(rows, from, Math.min(rows.length, from + ROWS_PER_STATEMENT))));
                    ps.executeUpdate();
                }
            }
        }

        @Override
        public void probe(Connection c, long[] buckets, LongConsumer row) throws SQLException {
            InList.array(c, "select f.fp from unnest(?) r(lo) join story_fingerprint f on f.fp between r.lo "
                    + "and r.lo + cast(" + layout.bucketSpan() + " as bigint)", "bigint",
                    Arrays.stream(buckets).boxed().toList(), BUCKETS_PER_PROBE, rs -> row.accept(rs.getLong(1)));
        }

        @Override
        public void scan(Connection c, LongConsumer row) throws SQLException {
            scanTable(c, row);
        }

        /** Every row of {@code story_fingerprint} in row order (also migration V13's re-packing, V14's packing). */
        public static void scanTable(Connection c, LongConsumer row) throws SQLException {
            scanPaged(c, "select fp from story_fingerprint where fp >= ? order by fp limit " + SCAN_PAGE, SCAN_PAGE,
                    rs -> row.accept(rs.getLong(1)));
        }

        @Override
        public long count(Connection c) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from story_fingerprint")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        @Override
        public long[] epochs(Connection c) throws SQLException {
            return new long[] {0}; // the key-first layout's one (IndexTable.of gives the epoch layout packs)
        }

        @Override
        public int deleteEntriesBelow(Connection c, long entryId) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(
                    "delete from story_fingerprint where " + layout.entryOfRowSql() + " < ?")) {
                ps.setLong(1, entryId);
                return ps.executeUpdate();
            }
        }

        /**
         * The feed's entry ids once, each row's entry id checked against them in one scan of the index table. A
         * lookup of each row's entry instead read every indexed entry's whole row: 130 s on H2 at 1,000,000 stored
         * entries, against 0.9 s (BENCHMARKS.md, "29 November, second session").
         */
        @Override
        public void deleteEntriesOfFeed(Connection c, long feedId) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("delete from story_fingerprint where " + layout.entryOfRowSql()
                    + " in (select e.id from entry e where e.feed_id = ?)")) {
                ps.setLong(1, feedId);
                ps.executeUpdate();
            }
        }

        @Override
        public void deleteEntries(Connection c, long[] entryIds) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("delete from story_fingerprint where " + layout.entryOfRowSql()
                    + " in (select r.id from unnest(?) r(id))")) {
                ps.setArray(1, c.createArrayOf("bigint", boxed(entryIds, 0, entryIds.length)));
                ps.executeUpdate();
            }
        }

        /** Nothing to merge: a row per row. */
        @Override
        public int compact(Connection c) {
            return 0;
        }
    }

    /** Rows in packs, one table row per batch and slot range (H2, from V14). */
    public static final class Packs extends IndexTable {

        /** The bits of a slot below the rows' shared bits: the pack's number. */
        public static final int SEQ_BITS = 37;
        private static final long SEQ_MASK = (1L << SEQ_BITS) - 1;
        /** Rows per pack at most (a pack of one key that every entry of an epoch has, say: a shared opener). */
        static final int MAX_PACK = 4096;

        Packs(IndexLayout layout) {
            super(layout);
        }

        /** The first slot of the range a row's pack is in. */
        public static long range(long row) {
            return row & ~SEQ_MASK;
        }

        /** A pack's value: its rows, eight bytes each, in order. */
        public static byte[] encode(long[] rows, int from, int to) {
            ByteBuffer b = ByteBuffer.allocate((to - from) * Long.BYTES);
            for (int i = from; i < to; i++) {
                b.putLong(rows[i]);
            }
            return b.array();
        }

        /** The rows of a pack's value. */
        public static long[] decode(byte[] packed) {
            long[] rows = new long[packed.length / Long.BYTES];
            ByteBuffer.wrap(packed).asLongBuffer().get(rows);
            return rows;
        }

        /**
         * One pack per slot range the rows fall in (split every {@link #MAX_PACK} rows), numbered from the sequence:
         * a batch's packs never share a slot, nor with another batch's. A batch takes one number, or one more for
         * each further pack of its largest range.
         */
        @Override
        public void insert(Connection c, long[] rows) throws SQLException {
            insertCounting(c, rows);
        }

        /** {@link #insert}, returning how many packs it wrote. */
        private int insertCounting(Connection c, long[] rows) throws SQLException {
            List<Long> numbers = new ArrayList<>();
            return writePacks(c, rows, (r, part) -> {
                while (numbers.size() <= part) {
                    numbers.add(nextNumber(c));
                }
                return range(r) | (numbers.get(part) & SEQ_MASK);
            });
        }

        private static long nextNumber(Connection c) throws SQLException {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select next value for story_fingerprint_pack_seq")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        /** A pack's slot: its range's first slot and a number. */
        public interface Slots {
            long slot(long row, int part) throws SQLException;
        }

        /**
         * Writes sorted, distinct rows as packs: one per range, split every {@link #MAX_PACK} rows. Returns how many
         * packs it wrote.
         */
        public static int writePacks(Connection c, long[] rows, Slots slots) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into story_fingerprint_pack (slot, rows_packed) values (?, ?)")) {
                int written = 0;
                int pending = 0;
                int from = 0;
                while (from < rows.length) {
                    long range = range(rows[from]);
                    int end = from;
                    while (end < rows.length && range(rows[end]) == range) {
                        end++;
                    }
                    for (int at = from, part = 0; at < end; at += MAX_PACK, part++) {
                        ps.setLong(1, slots.slot(rows[at], part));
                        ps.setBytes(2, encode(rows, at, Math.min(end, at + MAX_PACK)));
                        ps.addBatch();
                        written++;
                        if (++pending == 256) {
                            ps.executeBatch();
                            pending = 0;
                        }
                    }
                    from = end;
                }
                if (pending > 0) {
                    ps.executeBatch();
                }
                return written;
            }
        }

        /** One range scan per slot range the buckets are in; a bucket's rows may be in several packs (batches). */
        @Override
        public void probe(Connection c, long[] buckets, LongConsumer row) throws SQLException {
            long[] ranges = Arrays.stream(buckets).map(Packs::range).distinct().toArray();
            long span = layout.bucketSpan();
            java.util.stream.LongStream.Builder found = java.util.stream.LongStream.builder();
            InList.array(c, "select p.rows_packed from unnest(?) r(lo) join story_fingerprint_pack p on p.slot between "
                    + "r.lo and r.lo + cast(" + SEQ_MASK + " as bigint)", "bigint", Arrays.stream(ranges).boxed().toList(),
                    BUCKETS_PER_PROBE, rs -> {
                        for (long r : decode(rs.getBytes(1))) {
                            if (Arrays.binarySearch(buckets, r & ~span) >= 0) {
                                found.add(r);
                            }
                        }
                    });
            // An entry placed again (its story went with a deleted feed) has its rows in two packs: reported once.
            found.build().sorted().distinct().forEach(row);
        }

        /** Packs per page of a full scan (about as many rows as a page of {@link Rows#scanTable}). */
        private static final int PACK_PAGE = SCAN_PAGE / 16;

        @Override
        public void scan(Connection c, LongConsumer row) throws SQLException {
            scanPaged(c, "select slot, rows_packed from story_fingerprint_pack where slot >= ? order by slot limit "
                    + PACK_PAGE, PACK_PAGE, rs -> {
                        for (long r : decode(rs.getBytes(2))) {
                            row.accept(r);
                        }
                    });
        }

        @Override
        public long count(Connection c) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "select coalesce(sum(octet_length(rows_packed)), 0) / 8 from story_fingerprint_pack")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        @Override
        public long[] epochs(Connection c) throws SQLException {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select min(slot), max(slot) from story_fingerprint_pack")) {
                rs.next();
                long first = rs.getLong(1);
                if (rs.wasNull()) {
                    return new long[0];
                }
                return java.util.stream.LongStream.rangeClosed(layout.epochOfRow(first), layout.epochOfRow(rs.getLong(2)))
                        .toArray();
            }
        }

        /**
         * Whole epochs below the entry's go in one statement; the packs of the entry's own epoch are rewritten
         * without the rows of entries below it.
         */
        @Override
        public int deleteEntriesBelow(Connection c, long entryId) throws SQLException {
            long epochStart = layout.bucket(0, layout.epoch(entryId)); // the epoch's first row
            long rows;
            try (PreparedStatement count = c.prepareStatement("select coalesce(sum(octet_length(rows_packed)), 0) / 8 "
                    + "from story_fingerprint_pack where slot < ?");
                    PreparedStatement delete = c.prepareStatement("delete from story_fingerprint_pack where slot < ?")) {
                count.setLong(1, epochStart);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    rows = rs.getLong(1);
                }
                delete.setLong(1, epochStart);
                delete.executeUpdate();
            }
            long epochEnd = layout.bucket(0, layout.epoch(entryId) + 1);
            return (int) (rows + rewrite(c, epochStart, epochEnd - 1, r -> layout.entry(r) >= entryId));
        }

        @Override
        public void deleteEntriesOfFeed(Connection c, long feedId) throws SQLException {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select id from entry where feed_id = ? order by id")) {
                ps.setLong(1, feedId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            deleteEntries(c, ids.stream().mapToLong(Long::longValue).toArray());
        }

        /** Rewrites the packs of the epochs from the first entry's to the last one's. */
        @Override
        public void deleteEntries(Connection c, long[] entryIds) throws SQLException {
            long[] sorted = Arrays.stream(entryIds).filter(layout::indexable).toArray();
            if (sorted.length == 0) {
                return;
            }
            long from = layout.bucket(0, layout.epoch(sorted[0]));
            long to = layout.bucket(0, layout.epoch(sorted[sorted.length - 1]) + 1) - 1;
            rewrite(c, from, to, r -> Arrays.binarySearch(sorted, layout.entry(r)) < 0);
        }

        /**
         * Merges the packs of each slot range that several batches wrote to into one (split every {@link #MAX_PACK}
         * rows), epoch by epoch; an epoch whose ranges each have one pack is left alone (one count query). Batches
         * of a few entries each, as a running service writes them, leave a range in hundreds of small packs over an
         * epoch, all of which a probe of that range reads; the hourly prune calls this. Packs written meanwhile (by
         * the committer, which only adds packs) are not touched.
         */
        @Override
        public int compact(Connection c) throws SQLException {
            int saved = 0;
            for (long epoch : epochs(c)) {
                long from = layout.bucket(0, epoch);
                long to = layout.bucket(0, epoch + 1) - 1;
                try (PreparedStatement ps = c.prepareStatement("select count(*), count(distinct slot / "
                        + (SEQ_MASK + 1) + ") from story_fingerprint_pack where slot between ? and ?")) {
                    ps.setLong(1, from);
                    ps.setLong(2, to);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) == rs.getLong(2)) {
                            continue;
                        }
                    }
                }
                List<Long> gone = new ArrayList<>();
                java.util.stream.LongStream.Builder merged = java.util.stream.LongStream.builder();
                try (PreparedStatement ps = c.prepareStatement("select slot, rows_packed from story_fingerprint_pack "
                        + "where slot between ? and ? order by slot")) {
                    ps.setLong(1, from);
                    ps.setLong(2, to);
                    try (ResultSet rs = ps.executeQuery()) {
                        long range = -1;
                        List<long[]> packs = new ArrayList<>();
                        List<Long> slots = new ArrayList<>();
                        boolean more = rs.next();
                        while (true) {
                            long slot = more ? rs.getLong(1) : -1;
                            if (!more || range(slot) != range) {
                                if (packs.size() > 1) { // the range just read is in pieces: merged
                                    gone.addAll(slots);
                                    packs.stream().flatMapToLong(Arrays::stream).sorted().distinct().forEach(merged::add);
                                }
                                if (!more) {
                                    break;
                                }
                                range = range(slot);
                                packs.clear();
                                slots.clear();
                            }
                            packs.add(decode(rs.getBytes(2)));
                            slots.add(slot);
                            more = rs.next();
                        }
                    }
                }
                try (PreparedStatement delete = c.prepareStatement("delete from story_fingerprint_pack where slot = ?")) {
                    for (long slot : gone) {
                        delete.setLong(1, slot);
                        delete.addBatch();
                    }
                    delete.executeBatch();
                }
                saved += gone.size() - insertCounting(c, merged.build().toArray());
            }
            return saved;
        }

        /**
         * Rewrites the packs of slots {@code [from, to]} with only the rows {@code keep} keeps: a pack left empty is
         * deleted, one that loses nothing is not written. Returns the rows dropped.
         */
        int rewrite(Connection c, long from, long to, LongPredicate keep) throws SQLException {
            int dropped = 0;
            try (PreparedStatement read = c.prepareStatement(
                    "select slot, rows_packed from story_fingerprint_pack where slot between ? and ?");
                    PreparedStatement update = c.prepareStatement(
                            "update story_fingerprint_pack set rows_packed = ? where slot = ?");
                    PreparedStatement delete = c.prepareStatement("delete from story_fingerprint_pack where slot = ?")) {
                read.setLong(1, from);
                read.setLong(2, to);
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        long[] rows = decode(rs.getBytes(2));
                        long[] kept = Arrays.stream(rows).filter(keep).toArray();
                        if (kept.length == rows.length) {
                            continue;
                        }
                        dropped += rows.length - kept.length;
                        if (kept.length == 0) {
                            delete.setLong(1, rs.getLong(1));
                            delete.addBatch();
                        } else {
                            update.setBytes(1, encode(kept, 0, kept.length));
                            update.setLong(2, rs.getLong(1));
                            update.addBatch();
                        }
                    }
                }
                update.executeBatch();
                delete.executeBatch();
            }
            return dropped;
        }
    }

    /**
     * A whole table page after page off its primary key: {@code sql} selects that key first, takes it as its one
     * parameter ({@code key >= ?}), orders by it and returns at most {@code page} rows.
     */
    static void scanPaged(Connection c, String sql, int page, InList.Row reader) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            long from = Long.MIN_VALUE;
            int read;
            do {
                ps.setLong(1, from);
                read = 0;
                long last = from;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        last = rs.getLong(1);
                        reader.read(rs);
                        read++;
                    }
                }
                from = last + 1;
            } while (read == page && from != Long.MIN_VALUE);
        }
    }

    static Long[] boxed(long[] values, int from, int to) {
        Long[] out = new Long[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = values[i];
        }
        return out;
    }
}
