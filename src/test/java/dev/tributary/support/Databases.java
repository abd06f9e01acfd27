package dev.tributary.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** Bare databases for tests of migrations and SQL below the service: a named in-memory H2, an embedded PostgreSQL. */
public final class Databases {

    private Databases() {
    }

    public interface Check {
        void run(DataSource db) throws Exception;
    }

    /** Runs the check on a fresh in-memory H2 database of this name. */
    public static void onH2(String name, Check check) throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        check.run(h2);
    }

    /** Runs the check on a PostgreSQL started for it and stopped after. */
    public static void onPostgres(Check check) throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            check.run(pg.getPostgresDatabase());
        }
    }
}
