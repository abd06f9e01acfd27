package db.migration;

import dev.tributary.store.IndexLayout;
import dev.tributary.store.IndexTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On H2, the near-duplicate index's rows in the epoch layout ({@link IndexLayout#EPOCHS}: the entry's epoch first,
 * so that new rows are written at one end of the tree); rows of entries past the layout's ids (2^31 on) are dropped,
 * and those entries join stories by links and guids. On PostgreSQL nothing changes: it keeps the key-first layout of
 * migration V10. The rows are re-packed here in Java with the service's own layout. Flyway runs it in one
 * transaction.
 */
public class V13__index_rows_by_epoch_on_h2 extends BaseJavaMigration {

    /** Rows per insert (an H2 array holds at most 65,536). */
    private static final int PAGE = 50_000;

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        if (IndexLayout.forJdbcUrl(c.getMetaData().getURL()) != IndexLayout.EPOCHS) {
            return;
        }
        try (Statement st = c.createStatement()) {
            st.execute("create table story_fingerprint_epochs (fp bigint not null primary key)");
        }
        IndexLayout from = IndexLayout.KEY_FIRST;
        IndexLayout to = IndexLayout.EPOCHS;
        try (PreparedStatement write = c.prepareStatement(
                "insert into story_fingerprint_epochs (fp) select r.fp from unnest(?) r(fp)")) {
            long[] page = new long[PAGE];
            int[] n = {0};
            IndexTable.Rows.scanTable(c, row -> {
                long entry = from.entry(row);
                if (to.indexable(entry)) {
                    page[n[0]++] = to.row(row, entry); // the key's high half is the old row's
                }
                if (n[0] == PAGE) {
                    insert(c, write, page, n[0]);
                    n[0] = 0;
                }
            });
            insert(c, write, page, n[0]);
        }
        try (Statement st = c.createStatement()) {
            st.execute("drop table story_fingerprint");
            st.execute("alter table story_fingerprint_epochs rename to story_fingerprint");
        }
    }

    /** The first {@code n} rows of the page, sorted, in one insert. */
    private static void insert(Connection c, PreparedStatement write, long[] page, int n) {
        if (n == 0) {
            return;
        }
        try {
            Long[] rows = Arrays.stream(page, 0, n).sorted().boxed().toArray(Long[]::new);
            write.setArray(1, c.createArrayOf("bigint", rows));
            write.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("re-packing the near-duplicate index", e);
        }
    }
}
