package dev.tributary.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The ids a JDBC insert batch generated, read in row order. */
final class GeneratedIds {

    private GeneratedIds() {
    }

    /**
     * Runs the batch prepared on {@code ps} (created with the generated id column) and puts the ids of its rows into
     * {@code ids[from, to)}; fails unless the database returned exactly that many.
     */
    static void execute(PreparedStatement ps, long[] ids, int from, int to, String what) throws SQLException {
        ps.executeBatch();
        int i = from;
        try (ResultSet keys = ps.getGeneratedKeys()) {
            while (keys.next() && i < to) {
                ids[i++] = keys.getLong(1);
            }
        }
        if (i != to) {
            throw new SQLException("expected " + (to - from) + " generated " + what + " ids, got " + (i - from));
        }
    }
}
