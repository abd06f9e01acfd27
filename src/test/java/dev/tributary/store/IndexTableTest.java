package dev.tributary.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.support.Databases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Both ways of keeping the index's rows ({@link IndexTable}), each on its database: rows written by several batches
 * (on H2, several packs of one slot range) are all found by a probe, once each, and only those of the buckets
 * probed; merging a range's pieces keeps every row; pruning drops exactly the rows of entries below the cut-off,
 * inside an epoch too; deleting entries takes their rows and no others.
 */
class IndexTableTest {

    @Test
    void packsOnH2() throws Exception {
        Databases.onH2("index-table", db -> check(db, IndexLayout.EPOCHS, IndexTable.Packs.class));
    }

    @Test
    void rowsOnPostgres() throws Exception {
        Databases.onPostgres(db -> check(db, IndexLayout.KEY_FIRST, IndexTable.Rows.class));
    }

    private static void check(DataSource db, IndexLayout layout, Class<?> kind) throws SQLException {
        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
        IndexTable table = IndexTable.of(layout);
        assertEquals(kind, table.getClass());
        // Keys whose high halves share their top bits (one slot range on H2) and one far from them; entries in
        // three epochs, written in three batches, one entry in two of them (placed again after its story went).
        long[] keys = {0x1234_5678_0000_0001L, 0x1234_5679_0000_0002L, 0x12FF_FFFF_0000_0003L, -0x7000_0000_0000_0000L};
        long[][] batches = {{8190, 8191, 8192}, {8193, 8194, 8191}, {3 * 8192 + 5}};
        TreeSet<Long> all = new TreeSet<>();
        List<Long> written = new ArrayList<>(); // what was stored: on H2 the entry placed again has its rows twice
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            for (long[] batch : batches) {
                TreeSet<Long> rows = new TreeSet<>();
                for (long e : batch) {
                    for (long k : keys) {
                        rows.add(layout.row(k, e));
                    }
                }
                if (kind == IndexTable.Rows.class) {
                    rows.removeAll(all); // one table row per index row: an entry placed again had its rows deleted
                }
                table.insert(c, rows.stream().mapToLong(Long::longValue).toArray());
                all.addAll(rows);
                written.addAll(rows);
            }
            c.commit();
            written.sort(null);
            assertEquals(written.size(), table.count(c), "every row stored counted");
            if (kind == IndexTable.Packs.class) {
                assertTrue(count(c, "select count(*) from story_fingerprint_pack") < all.size(),
                        "fewer packs than rows: " + all.size());
            }
            assertEquals(written, scan(table, c), "a scan reads every row stored");
            long[] epochs = layout.hasEpochs() ? new long[] {0, 1, 2, 3} : new long[] {0};
            assertArrayEquals(epochs, table.epochs(c), "the epochs from the first row's to the last one's");

            // A probe for the first two keys' buckets in every epoch.
            long[] buckets = LongStream.of(epochs).flatMap(ep -> LongStream.of(layout.bucket(keys[0], ep),
                    layout.bucket(keys[1], ep))).sorted().toArray();
            List<Long> probed = new ArrayList<>();
            table.probe(c, buckets, probed::add);
            probed.sort(null);
            List<Long> expected = all.stream().filter(r -> Arrays.binarySearch(buckets, r & ~layout.bucketSpan()) >= 0)
                    .toList();
            assertEquals(2 * 6, expected.size(), "two keys of six entries");
            assertEquals(expected, probed, "every row of the buckets probed, once, and no other");

            // Merging the pieces: on H2 epoch 1's ranges have a pack from each of the first two batches.
            int saved = table.compact(c);
            c.commit();
            if (kind == IndexTable.Packs.class) {
                assertTrue(saved > 0, "packs merged: " + saved);
                written.clear();
                written.addAll(all); // and the entry's repeated rows with them
                assertEquals(count(c, "select count(*) from story_fingerprint_pack"),
                        count(c, "select count(distinct slot / " + (1L << IndexTable.Packs.SEQ_BITS) + ") from story_fingerprint_pack"),
                        "one pack per range");
                assertEquals(0, table.compact(c), "nothing left to merge");
            } else {
                assertEquals(0, saved);
            }
            assertEquals(written, scan(table, c), "merging keeps every row");
            List<Long> probedAgain = new ArrayList<>();
            table.probe(c, buckets, probedAgain::add);
            probedAgain.sort(null);
            assertEquals(expected, probedAgain, "and the probe finds the same rows");

            // Pruning below 8192 on H2 cuts inside epoch 1's packs; then deleting two entries.
            int pruned = table.deleteEntriesBelow(c, 8192);
            assertEquals(written.stream().filter(r -> layout.entry(r) < 8192).count(), pruned, "the rows of 8190 and 8191");
            table.deleteEntries(c, new long[] {8193, 3 * 8192 + 5});
            c.commit();
            List<Long> left = scan(table, c);
            List<Long> want = written.stream().filter(r -> layout.entry(r) == 8192 || layout.entry(r) == 8194).toList();
            assertEquals(want, left, "only the rows of 8192 and 8194 are left");
            assertEquals(want.size(), table.count(c));
        }
    }

    private static List<Long> scan(IndexTable table, Connection c) throws SQLException {
        List<Long> rows = new ArrayList<>();
        table.scan(c, rows::add);
        rows.sort(null);
        return rows;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
