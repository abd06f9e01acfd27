package dev.tributary.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.tributary.support.Databases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Story keys stored as hashes (migration V12, a Java migration, and {@link StoryKeys}): keys stored as text before
 * it become exactly the rows the service writes and looks up, on H2 and on PostgreSQL; a key whose hash is taken
 * is skipped, not an error.
 */
class StoryKeyLayoutTest {

    private static final List<String> KEYS = List.of("u:https://example.org/2026/11/story", "u:https://example.org/a?b=1",
            "u:https://news.example.com/very/long/" + "x".repeat(250), "u:https://example.org/caf\u00e9");

    @Test
    void onH2() throws Exception {
        Databases.onH2("story-keys", StoryKeyLayoutTest::check);
    }

    @Test
    void onPostgres() throws Exception {
        Databases.onPostgres(StoryKeyLayoutTest::check);
    }

    @Test
    void hashIsStableAndChecked() {
        StoryKeys.Hashed a = StoryKeys.hash("u:https://example.org/2026/11/story");
        // Pinned: keys stored by one version must be found by the next. The key's SHA-256 (sha256sum) starts
        // b6bfbd4d5d07c339 34768ad5: the first 8 bytes are the hash, the next 4 the check.
        assertEquals(0xB6BFBD4D5D07C339L, a.hash());
        assertEquals(0x34768AD5, a.check());
        assertNotEquals(a.hash(), StoryKeys.hash("u:https://example.org/2026/11/story/").hash());
        // Canonical links as the parser stores them (scheme dropped: http and https are one page); a URL guid in
        // the same form, tracking parameters gone.
        assertEquals(List.of("u:example.org/a", "u:example.org/b"),
                StoryKeys.of("example.org/a", "https://example.org/b?utm_source=x"));
        assertEquals(List.of("u:example.org/a"), StoryKeys.of("example.org/a", "http://example.org/a/"));
        assertEquals(List.of(), StoryKeys.of(null, "tag:example.org,2026:1"));
    }

    private static void check(DataSource db) throws SQLException {
        Flyway.configure().dataSource(db).locations("classpath:db/migration").target("11").load().migrate();
        Map<Long, Long> expected = new TreeMap<>();
        try (Connection c = db.getConnection();
                PreparedStatement story = c.prepareStatement("insert into story (published_at, created_at) values (?, ?)",
                        new String[] {"id"});
                PreparedStatement key = c.prepareStatement("insert into story_key (story_key, story_id) values (?, ?)")) {
            for (String k : KEYS) {
                story.setObject(1, OffsetDateTime.parse("2026-11-20T10:00:00Z"));
                story.setObject(2, OffsetDateTime.parse("2026-11-20T10:00:00Z"));
                story.executeUpdate();
                long id;
                try (ResultSet rs = story.getGeneratedKeys()) {
                    rs.next();
                    id = rs.getLong(1);
                }
                key.setString(1, k);
                key.setLong(2, id);
                key.executeUpdate();
                expected.put(StoryKeys.hash(k).hash(), id);
            }
        }
        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();

        Map<Long, StoryKeys.Hashed> byHash = new TreeMap<>();
        KEYS.forEach(k -> byHash.put(StoryKeys.hash(k).hash(), StoryKeys.hash(k)));
        Map<Long, Long> rows = new TreeMap<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select key_hash, key_check, story_id from story_key")) {
            while (rs.next()) {
                rows.put(rs.getLong(1), rs.getLong(3));
                StoryKeys.Hashed h = byHash.get(rs.getLong(1));
                assertEquals(h == null ? null : h.check(), rs.getInt(2), "the check stored beside a key");
            }
        }
        assertEquals(expected, rows, "every old key is found under its hash, on its story");

        // The service's insert leaves a taken hash to its holder instead of failing the batch.
        long taken = expected.keySet().iterator().next();
        StoryKeys.Hashed fresh = StoryKeys.hash("u:example.org/fresh");
        try (Connection c = db.getConnection()) {
            Map<Long, long[]> keys = new java.util.LinkedHashMap<>();
            keys.put(taken, new long[] {7, 999});
            keys.put(fresh.hash(), new long[] {fresh.check(), expected.get(taken)});
            StoryStore.insertKeys(c, keys);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "select key_hash, key_check, story_id from story_key where key_hash in (" + taken + ", " + fresh.hash() + ")")) {
                Map<Long, String> got = new TreeMap<>();
                while (rs.next()) {
                    got.put(rs.getLong(1), rs.getInt(2) + "/" + rs.getLong(3));
                }
                assertEquals(Map.of(taken, byHash.get(taken).check() + "/" + expected.get(taken),
                        fresh.hash(), fresh.check() + "/" + expected.get(taken)), got,
                        "the taken hash keeps its holder; the new key is written beside it");
            }
        }
    }
}
