package dev.tributary.bench;

import dev.tributary.parse.TextFingerprint;
import dev.tributary.store.StoryKeys;
import dev.tributary.store.IndexLayout;
import dev.tributary.store.IndexTable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Random;

/**
 * Fills a migrated Tributary database (the service ran once against it, so Flyway made the schema) with the rows the
 * real store path makes, in bulk: feeds (every 10th tagged "bulk", the second "rare"), stories, entries (one story in ten carried by two
 * feeds), and for the stories and entries inside the window the service keeps (14 days) the stories' link keys and
 * the near-duplicate index rows, computed with Tributary's own fingerprinting. Feeds are scheduled a year ahead, so the
 * service does not poll them.
 *
 * <p>Usage: {@code BulkLoad jdbc-url user password entries feeds [all-keys] [per-day=N]}; {@code all-keys} writes
 * every story's key, as versions before keys were pruned left them (the first prune after such an upgrade deletes the
 * old ones). The entries are spread over a year, newest now, unless {@code per-day=N} gives the rate they arrived at:
 * then databases of different sizes have the same last two weeks (what the index and story keys hold) and differ only
 * in their history.
 */
public final class BulkLoad {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int entries = Integer.parseInt(args[3]);
        int feeds = Integer.parseInt(args[4]);
        Instant now = Instant.now();
        java.util.List<String> options = java.util.Arrays.asList(args).subList(5, args.length);
        boolean allKeys = options.contains("all-keys"); // as versions before key pruning left them
        long perDay = options.stream().filter(o -> o.startsWith("per-day=")).mapToLong(o -> Long.parseLong(o.substring(8)))
                .findFirst().orElse(0);
        // Entries spread over a year, newest now; or arriving at perDay a day, however long that takes.
        Duration span = perDay > 0 ? Duration.ofMillis(entries * 86_400_000L / perDay) : Duration.ofDays(365);
        Instant indexFrom = now.minus(Duration.ofDays(14)); // what the service keeps in the index and story_key
        long t0 = System.nanoTime();
        IndexLayout layout = IndexLayout.forJdbcUrl(url); // the service's index layout on this database
        try (Connection c = DriverManager.getConnection(url, args[1], args[2])) {
            c.setAutoCommit(false);
            long feedBase = nextId(c, "feed");
            long storyBase = nextId(c, "story");
            long entryBase = nextId(c, "entry");
            try (PreparedStatement f = c.prepareStatement("insert into feed (id, url, url_key, title, paused, status, "
                    + "created_at, error_count, next_poll_at, next_poll_reason) values (?, ?, ?, ?, false, 'ok', ?, 0, ?, 'bulk')");
                    PreparedStatement tag = c.prepareStatement("insert into feed_tag (feed_id, tag) values (?, ?)")) {
                for (int i = 0; i < feeds; i++) {
                    long id = feedBase + i;
                    String u = "http://127.0.0.1:9/bulk/" + id + ".xml";
                    f.setLong(1, id);
                    f.setString(2, u);
                    f.setString(3, u.substring(7));
                    f.setString(4, "Bulk outlet " + id);
                    f.setObject(5, now.atOffset(ZoneOffset.UTC));
                    f.setObject(6, now.plus(span).atOffset(ZoneOffset.UTC));
                    f.addBatch();
                    if (i % 10 == 0 || i == 1) { // every 10th "bulk"; one feed alone "rare"
                        tag.setLong(1, id);
                        tag.setString(2, i == 1 ? "rare" : "bulk");
                        tag.addBatch();
                    }
                }
                f.executeBatch();
                tag.executeBatch();
            }
            c.commit();
            Random r = new Random(42);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long storyId = storyBase;
            long entryId = entryBase;
            int made = 0;
            long indexRows = 0;
            try (PreparedStatement story = c.prepareStatement("insert into story (id, published_at, created_at) values (?, ?, ?)");
                    PreparedStatement key = c.prepareStatement("insert into story_key (key_hash, key_check, story_id) values (?, ?, ?)");
                    PreparedStatement entry = c.prepareStatement("insert into entry (id, feed_id, entry_key, story_id, "
                            + "join_reason, guid, title, link, canonical_link, author, published_at, first_seen_at, "
                            + "modified_at, summary, content, categories, enclosures, content_hash) values "
                            + "(?, ?, ?, ?, ?, ?, ?, ?, ?, null, ?, ?, ?, ?, ?, '[]', '[]', ?)")) {
                IndexTable index = IndexTable.of(layout); // as the service writes them: packs on H2, rows on PostgreSQL
                java.util.TreeSet<Long> rows = new java.util.TreeSet<>();
                int pending = 0;
                while (made < entries) {
                    // Oldest first, as a database fills: ids and first-seen times grow together (StoryStore.pruneFingerprints).
                    Instant published = now.minusMillis((long) ((double) (entries - 1 - made) / entries * span.toMillis()));
                    String title = Documents.sentence(r, 6 + r.nextInt(6));
                    String body = body(r);
                    String summary = body.substring(0, Math.min(300, body.length()));
                    int copies = storyId % 10 == 0 ? 2 : 1;
                    long firstFeed = feedBase + r.nextInt(feeds);
                    String canonical = "https://outlet" + firstFeed + ".example/" + published.toString().substring(0, 10)
                            + "/bulk-" + storyId;
                    story.setLong(1, storyId);
                    story.setObject(2, published.atOffset(ZoneOffset.UTC));
                    story.setObject(3, published.atOffset(ZoneOffset.UTC));
                    story.addBatch();
                    if (allKeys || published.isAfter(indexFrom)) {
                        StoryKeys.Hashed hashed = StoryKeys.hash("u:" + canonical);
                        key.setLong(1, hashed.hash());
                        key.setInt(2, hashed.check());
                        key.setLong(3, storyId);
                        key.addBatch();
                    }
                    TextFingerprint fingerprint = published.isAfter(indexFrom) ? TextFingerprint.of(title, body) : null;
                    for (int copy = 0; copy < copies && made < entries; copy++) {
                        long feedId = copy == 0 ? firstFeed : feedBase + (firstFeed - feedBase + 1 + r.nextInt(feeds - 1)) % feeds;
                        String link = copy == 0 ? canonical : "https://outlet" + feedId + ".example/copy/" + storyId;
                        entry.setLong(1, entryId);
                        entry.setLong(2, feedId);
                        entry.setString(3, link);
                        entry.setLong(4, storyId);
                        entry.setString(5, copy == 0 ? "first copy" : "same canonical link");
                        entry.setString(6, link);
                        entry.setString(7, title);
                        entry.setString(8, link);
                        entry.setString(9, canonical);
                        entry.setObject(10, published.atOffset(ZoneOffset.UTC));
                        entry.setObject(11, published.atOffset(ZoneOffset.UTC));
                        entry.setObject(12, published.atOffset(ZoneOffset.UTC));
                        entry.setString(13, summary);
                        entry.setString(14, body);
                        entry.setString(15, HexFormat.of().formatHex(sha.digest((title + body + copy).getBytes(StandardCharsets.UTF_8))));
                        entry.addBatch();
                        if (fingerprint != null) {
                            long id = entryId;
                            for (long k : fingerprint.indexKeys()) {
                                indexRows += rows.add(layout.row(k, id)) ? 1 : 0;
                            }
                        }
                        entryId++;
                        made++;
                    }
                    storyId++;
                    if (++pending == 1000) {
                        story.executeBatch();
                        key.executeBatch();
                        entry.executeBatch();
                        index.insert(c, rows.stream().mapToLong(Long::longValue).toArray());
                        rows.clear();
                        c.commit();
                        pending = 0;
                        if (made % 100_000 < 1100) {
                            System.out.printf("%,d entries (%.0f s)%n", made, (System.nanoTime() - t0) / 1e9);
                        }
                    }
                }
                story.executeBatch();
                key.executeBatch();
                entry.executeBatch();
                index.insert(c, rows.stream().mapToLong(Long::longValue).toArray());
                c.commit();
            }
            // The rows above carry explicit ids: move each identity past them so the service's inserts do not collide.
            try (Statement s = c.createStatement()) {
                s.execute("alter table feed alter column id restart with " + (feedBase + feeds));
                s.execute("alter table story alter column id restart with " + storyId);
                s.execute("alter table entry alter column id restart with " + entryId);
            }
            c.commit();
            System.out.printf("loaded %d feeds, %d stories, %d entries, %d index rows in %.0f s", feeds,
                    storyId - storyBase, made, indexRows, (System.nanoTime() - t0) / 1e9);
            if (url.startsWith("jdbc:h2:")) {
                // A file written in one go is mostly half-empty chunks, which H2 rewrites in the background for
                // minutes after the next start (the read path's p99 measured that, not the service). A database
                // that grew over months has been compacted as it went; this leaves the loaded file the same way.
                long t1 = System.nanoTime();
                try (Statement s = c.createStatement()) {
                    s.execute("shutdown compact");
                }
                System.out.printf("; H2 file compacted in %.0f s", (System.nanoTime() - t1) / 1e9);
            }
            System.out.println();
        }
    }

    private static long nextId(Connection c, String table) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select coalesce(max(id), 0) + 1 from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String body(Random r) {
        StringBuilder b = new StringBuilder(1024);
        int target = 500 + r.nextInt(700);
        while (b.length() < target) {
            b.append("<p>").append(Documents.sentence(r, 12 + r.nextInt(14))).append(' ')
                    .append(Documents.sentence(r, 10 + r.nextInt(10))).append("</p>");
        }
        return b.toString();
    }
}
