package db.migration;

import dev.tributary.store.IndexLayout;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
        try (PreparedStatement read = c.prepareStatement(
                    "select fp from story_fingerprint where fp >= ? order by fp limit " + PAGE);
                PreparedStatement write = c.prepareStatement(
                    "insert into story_fingerprint_epochs (fp) select r.fp from unnest(?) r(fp)")) {
            long next = Long.MIN_VALUE;
            int read0;
            do {
                read.setLong(1, next);
                long[] rows = new long[PAGE];
                int n = 0;
                read0 = 0;
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        long row = rs.getLong(1);
                        next = row + 1;
                        read0++;
                        long entry = from.entry(row);
                        if (to.indexable(entry)) {
                            rows[n++] = to.row(row, entry); // the key's high half is the old row's
                        }
                    }
                }
                if (n > 0) {
                    long[] page = Arrays.copyOf(rows, n);
                    Arrays.sort(page);
                    Long[] boxed = Arrays.stream(page).boxed().toArray(Long[]::new);
                    write.setArray(1, c.createArrayOf("bigint", boxed));
                    write.executeUpdate();
                }
            } while (read0 == PAGE && next != Long.MIN_VALUE);
        }
        try (Statement st = c.createStatement()) {
            st.execute("drop table story_fingerprint");
            st.execute("alter table story_fingerprint_epochs rename to story_fingerprint");
        }
    }
}
