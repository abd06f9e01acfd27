package db.migration;

import dev.tributary.store.StoryKeys;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Story keys as one B-tree of fixed-size rows: the key's hash as the primary key, a check and the story
 * ({@code dev.tributary.store.StoryKeys}). The text key took three B-trees (the row, the unique text index, the
 * index on the story for the foreign key) and a foreign-key check per row, written for every new entry's one or two
 * keys. The hashes are computed here in Java, which is why this migration is not SQL: the same SHA-256 as the
 * service's, so the keys stored before it are found after it. Flyway runs it in one transaction.
 */
public class V12__story_keys_hashed extends BaseJavaMigration {

    private static final int BATCH = 1000;

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (Statement st = c.createStatement()) {
            st.execute("create table story_key_hashed (key_hash bigint not null primary key, "
                    + "key_check integer not null, story_id bigint not null)");
        }
        // Two old keys with one hash (a 2^-64 chance a pair) keep the first: the insert skips a taken hash.
        try (PreparedStatement read = c.prepareStatement("select story_key, story_id from story_key");
                PreparedStatement write = c.prepareStatement("insert into story_key_hashed (key_hash, key_check, "
                        + "story_id) select cast(? as bigint), cast(? as integer), cast(? as bigint) where not exists "
                        + "(select 1 from story_key_hashed where key_hash = ?)")) {
            read.setFetchSize(BATCH);
            int pending = 0;
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    StoryKeys.Hashed h = StoryKeys.hash(rs.getString(1));
                    write.setLong(1, h.hash());
                    write.setInt(2, h.check());
                    write.setLong(3, rs.getLong(2));
                    write.setLong(4, h.hash());
                    write.addBatch();
                    if (++pending == BATCH) {
                        write.executeBatch();
                        pending = 0;
                    }
                }
            }
            write.executeBatch();
        }
        try (Statement st = c.createStatement()) {
            st.execute("drop table story_key");
            st.execute("alter table story_key_hashed rename to story_key");
        }
    }
}
