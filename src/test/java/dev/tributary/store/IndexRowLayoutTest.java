package dev.tributary.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * The near-duplicate index's packed rows (migration V10, {@link StoryStore#indexRow}): the migration turns rows of
 * the old layout into exactly the rows the service writes, and the SQL that reads an entry id back out of a row
 * ({@link StoryStore#ENTRY_OF_ROW}, used to prune and to delete a feed) inverts it, for negative keys too: on H2
 * and on PostgreSQL, whose MOD both keep the dividend's sign.
 */
class IndexRowLayoutTest {

    private static final long[] KEYS = {Long.MIN_VALUE, -4294967296L, -4294967295L, -1L, 0L, 1L, 4294967295L,
        4294967296L, 0x7123_4567_89AB_CDEFL, Long.MAX_VALUE, -0x0FED_CBA9_8765_4321L};
    private static final long[] ENTRIES = {1L, 77L, 4294967295L};

    @Test
    void onH2() throws Exception {
        Databases.onH2("index-layout", IndexRowLayoutTest::check);
    }

    @Test
    void onPostgres() throws Exception {
        Databases.onPostgres(IndexRowLayoutTest::check);
    }

    private static void check(DataSource db) throws SQLException {
        Flyway.configure().dataSource(db).locations("classpath:db/migration").target("9").load().migrate();
        TreeSet<Long> expected = new TreeSet<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into story_fingerprint (fp_key, entry_id) values (?, ?)")) {
            for (long key : KEYS) {
                for (long entry : ENTRIES) {
                    ps.setLong(1, key);
                    ps.setLong(2, entry);
                    ps.addBatch();
                    expected.add(StoryStore.indexRow(key, entry));
                }
            }
            ps.setLong(1, 42L);
            ps.setLong(2, 4294967296L); // past the packed layout's entry ids: dropped
            ps.addBatch();
            ps.executeBatch();
        }
        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();

        List<Long> rows = new ArrayList<>();
        List<Long> entries = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select fp, " + StoryStore.ENTRY_OF_ROW + " from story_fingerprint order by fp")) {
            while (rs.next()) {
                rows.add(rs.getLong(1));
                entries.add(rs.getLong(2));
            }
        }
        assertEquals(new ArrayList<>(expected), rows, "the migrated rows are the service's rows");
        for (int i = 0; i < rows.size(); i++) {
            long row = rows.get(i);
            assertEquals(row & 0xFFFF_FFFFL, (long) entries.get(i), "entry id of row " + row);
        }
        for (long key : KEYS) {
            for (long entry : ENTRIES) {
                long row = StoryStore.indexRow(key, entry);
                assertEquals(key >>> 32, row >>> 32, "the row keeps the key's high half");
                assertEquals(entry, row & 0xFFFF_FFFFL, "and the entry in the low half");
            }
        }
    }
}
