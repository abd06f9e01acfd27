package dev.tributary.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;

/**
 * What the story stage's writes cost H2 as its tables grow, without the service around them: a file database with
 * an index table (one BIGINT primary key, as {@code story_fingerprint}) and a key table ({@code story_key}'s three
 * columns), preloaded, then 26 transactions that each write what a committer batch of 385 entries writes: 4,620
 * index rows in row order and 500 story keys, with the keys' lookup first. Reports the seconds and the collector's
 * milliseconds of those 26 transactions. Run it in a JVM sized as the service (README, "Sizing the JVM").
 *
 * <p>Usage: {@code H2IndexWrites dir indexRows keyRows random|epochs}. With {@code random} the index rows are
 * random 64-bit numbers, as the key-first layout makes them; with {@code epochs} the preloaded rows are spread over 14
 * epochs (the top bits) and the new ones go into a newer epoch above them, as {@code IndexLayout.EPOCHS} writes
 * them; with {@code indexRows} 0 the new rows' epoch advances every eleven transactions (8,192 entries' worth, about
 * 50,000 rows), as while a first cycle fills an empty database.
 */
public final class H2IndexWrites {

    private static final int TRANSACTIONS = 26;
    private static final int ROWS_PER_TRANSACTION = 4_620;
    private static final int KEYS_PER_TRANSACTION = 500;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int indexRows = Integer.parseInt(args[1]);
        int keyRows = Integer.parseInt(args[2]);
        boolean epochs = args[3].equals("epochs");
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Random r = new Random(7);
        String url = "jdbc:h2:file:" + dir.resolve("db") + ";QUERY_CACHE_SIZE=64";
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            try (Statement s = c.createStatement()) {
                s.execute("create table idx (fp bigint primary key)");
                s.execute("create table k (h bigint primary key, c int, s bigint)");
            }
            c.setAutoCommit(false);
            long[] pre = new long[indexRows];
            for (int i = 0; i < indexRows; i++) {
                pre[i] = epochs ? ((long) (1 + r.nextInt(14)) << 59) | (r.nextLong() >>> 5) : r.nextLong();
            }
            Arrays.sort(pre);
            insert(c, "insert into idx select x from unnest(?) t(x)", pre);
            long[] keys = new long[keyRows];
            for (int i = 0; i < keyRows; i++) {
                keys[i] = r.nextLong();
            }
            Arrays.sort(keys);
            insert(c, "insert into k select x, 1, 2 from unnest(?) t(x)", keys);
            c.commit();
        } // the last connection closed: the database is closed, its page cache gone, as after a restart
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.setAutoCommit(false);
            System.gc();
            long t0 = System.nanoTime();
            long gc0 = collectorMillis();
            for (int t = 0; t < TRANSACTIONS; t++) {
                long[] rows = new long[ROWS_PER_TRANSACTION];
                for (int i = 0; i < rows.length; i++) {
                    // the newest epoch, above the preloaded 1..14; from empty, a new one every 11 transactions
                    long epoch = indexRows == 0 ? t / 11 : 15;
                    rows[i] = epochs ? (epoch << 59) | (r.nextLong() >>> 5) : r.nextLong();
                }
                Arrays.sort(rows);
                insert(c, "insert into idx select x from unnest(?) t(x)", rows);
                long[] fresh = new long[KEYS_PER_TRANSACTION];
                for (int i = 0; i < fresh.length; i++) {
                    fresh[i] = r.nextLong();
                }
                try (PreparedStatement p = c.prepareStatement("select count(*) from unnest(?) r(h) join k on k.h = r.h")) {
                    p.setArray(1, c.createArrayOf("bigint", Arrays.stream(fresh).boxed().toArray()));
                    p.executeQuery().close();
                }
                insert(c, "insert into k select x, 1, 2 from unnest(?) t(x) "
                        + "where not exists (select 1 from k q where q.h = x)", fresh);
                c.commit();
            }
            System.out.printf("index %,d rows, keys %,d, %s: %d transactions in %.2f s, collector %d ms%n", indexRows,
                    keyRows, epochs ? "epochs" : "random", TRANSACTIONS, (System.nanoTime() - t0) / 1e9,
                    collectorMillis() - gc0);
        }
    }

    private static void insert(Connection c, String sql, long[] values) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int from = 0; from < values.length; from += 50_000) { // H2 arrays hold at most 65,536 elements
                Long[] chunk = Arrays.stream(values, from, Math.min(values.length, from + 50_000)).boxed()
                        .toArray(Long[]::new);
                p.setArray(1, c.createArrayOf("bigint", chunk));
                p.executeUpdate();
            }
        }
    }

    private static long collectorMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += b.getCollectionTime();
        }
        return ms;
    }
}
