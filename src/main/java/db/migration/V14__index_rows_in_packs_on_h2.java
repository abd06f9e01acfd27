package db.migration;

import dev.tributary.store.IndexLayout;
import dev.tributary.store.IndexTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On H2, the near-duplicate index's rows in packs ({@link IndexTable.Packs}): {@code story_fingerprint_pack} and its
 * sequence replace {@code story_fingerprint}, whose rows are packed here, a pack per slot range (split every
 * {@code MAX_PACK} rows), numbered 1, 2, … and the sequence going on from there. On PostgreSQL nothing changes: it
 * keeps a table row per index row. Flyway runs it in one transaction.
 */
public class V14__index_rows_in_packs_on_h2 extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        if (IndexLayout.forJdbcUrl(c.getMetaData().getURL()) != IndexLayout.EPOCHS) {
            return;
        }
        try (Statement st = c.createStatement()) {
            st.execute("create table story_fingerprint_pack (slot bigint not null primary key, "
                    + "rows_packed binary varying(32768) not null)");
        }
        long[] rows = new long[1 << 16];
        int[] n = {0};
        long[] number = {0};
        IndexTable.Rows.scanTable(c, row -> { // in row order: a page's rows are sorted
            if (n[0] == rows.length) {
                write(c, rows, number); // a range cut here has a pack on either side, as batches leave ranges
                n[0] = 0;
            }
            rows[n[0]++] = row;
        });
        write(c, Arrays.copyOf(rows, n[0]), number);
        try (Statement st = c.createStatement()) {
            st.execute("drop table story_fingerprint");
            st.execute("create sequence story_fingerprint_pack_seq start with " + (number[0] + 1));
        }
    }

    private static void write(Connection c, long[] rows, long[] number) {
        try {
            IndexTable.Packs.writePacks(c, rows, (row, part) -> IndexTable.Packs.range(row) | ++number[0]);
        } catch (SQLException e) {
            throw new IllegalStateException("packing the near-duplicate index", e);
        }
    }
}
