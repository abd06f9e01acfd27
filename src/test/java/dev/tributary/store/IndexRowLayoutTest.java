package dev.tributary.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.support.Databases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The near-duplicate index's packed rows ({@link IndexLayout}): migrations V10 and V13 turn rows of the old layout
 * into exactly the rows the service writes on that database (key first on PostgreSQL; epochs on H2, where entries past
 * 2^31 are dropped), which V14 keeps (in packs on H2: {@link IndexTable}); and the SQL that reads an entry id back out
 * of a row ({@link IndexLayout#entryOfRowSql}, used on PostgreSQL to prune and to delete a feed) inverts it, for negative keys too: on H2 and on PostgreSQL, whose MOD both keep the
 * dividend's sign.
 */
class IndexRowLayoutTest {

    private static final long[] KEYS = {Long.MIN_VALUE, -4294967296L, -4294967295L, -1L, 0L, 1L, 4294967295L,
        4294967296L, 0x7123_4567_89AB_CDEFL, Long.MAX_VALUE, -0x0FED_CBA9_8765_4321L};
    private static final long[] ENTRIES = {1L, 77L, 8191L, 8192L, 123_456_789L, 2147483647L, 2147483648L, 4294967295L};

    @Test
    void onH2() throws Exception {
        Databases.onH2("index-layout", db -> check(db, IndexLayout.EPOCHS));
    }

    @Test
    void onPostgres() throws Exception {
        Databases.onPostgres(db -> check(db, IndexLayout.KEY_FIRST));
    }

    @Test
    void epochsKeepNewerEntriesAfterOlderOnesWhateverTheirKeys() {
        IndexLayout l = IndexLayout.EPOCHS;
        for (long k1 : KEYS) {
            for (long k2 : KEYS) {
                for (long e1 : ENTRIES) {
                    for (long e2 : ENTRIES) {
                        if (l.indexable(e1) && l.indexable(e2) && l.epoch(e1) < l.epoch(e2)) {
                            assertTrue(l.row(k1, e1) < l.row(k2, e2), k1 + "/" + e1 + " before " + k2 + "/" + e2);
                        }
                    }
                }
            }
        }
        assertEquals(0, IndexLayout.KEY_FIRST.epoch(4294967295L), "one epoch in the key-first layout");
        assertTrue(l.indexable(2147483647L) && !l.indexable(2147483648L) && IndexLayout.KEY_FIRST.indexable(4294967295L));
    }

    private static void check(DataSource db, IndexLayout layout) throws SQLException {
        Flyway.configure().dataSource(db).locations("classpath:db/migration").target("9").load().migrate();
        TreeSet<Long> expected = new TreeSet<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into story_fingerprint (fp_key, entry_id) values (?, ?)")) {
            for (long key : KEYS) {
                for (long entry : ENTRIES) {
                    ps.setLong(1, key);
                    ps.setLong(2, entry);
                    ps.addBatch();
                    if (layout.indexable(entry)) {
                        expected.add(layout.row(key, entry));
                    }
                }
            }
            ps.setLong(1, 42L);
            ps.setLong(2, 4294967296L); // past the packed layouts' entry ids: dropped
            ps.addBatch();
            ps.executeBatch();
        }
        Flyway.configure().dataSource(db).locations("classpath:db/migration").target("13").load().migrate();

        List<Long> rows = new ArrayList<>();
        List<Long> entries = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select fp, " + layout.entryOfRowSql() + " from story_fingerprint order by fp")) {
            while (rs.next()) {
                rows.add(rs.getLong(1));
                entries.add(rs.getLong(2));
            }
        }
        assertEquals(new ArrayList<>(expected), rows, "the migrated rows are the service's rows");
        // V14 puts H2's rows in packs, and leaves PostgreSQL's as they are: the same rows, read as the service reads them.
        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
        List<Long> kept = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            IndexTable.of(layout).scan(c, kept::add);
        }
        kept.sort(null);
        assertEquals(rows, kept, "the rows after V14");
        for (int i = 0; i < rows.size(); i++) {
            long row = rows.get(i);
            assertEquals(layout.entry(row), (long) entries.get(i), "entry id of row " + row + " in SQL");
        }
        for (long key : KEYS) {
            for (long entry : ENTRIES) {
                if (!layout.indexable(entry)) {
                    continue;
                }
                long row = layout.row(key, entry);
                assertEquals(entry, layout.entry(row), "the row keeps the entry");
                assertEquals(layout.bucket(key, layout.epoch(entry)), row & ~layout.bucketSpan(), "and the key's bucket");
                assertEquals(key >>> 32, layout.bucket(key, 0) >>> layout.lowBits(), "which holds the key's high half");
            }
        }
    }
}
