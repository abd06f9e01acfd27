package dev.tributary.store;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.poll.PollScheduler;
import dev.tributary.support.FeedServer;
import dev.tributary.support.Polls;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.Session;
import org.junit.jupiter.api.Test;

/**
 * The near-duplicate index's upkeep: rows written with each stored entry, pruned once their entry is older than the
 * matching window needs, gone with their feed. Runs on H2 here and on PostgreSQL in the subclass.
 */
@QuarkusTest
class NearDuplicateIndexTest {

    @Inject
    PollScheduler scheduler;
    @Inject
    StoryStore stories;
    @Inject
    EntityManager em;
    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @Test
    void rowsArePrunedWithOldEntriesAndDeletedWithTheirFeed() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String body = "<p>The harbour authority said on Monday that the northern ferry route will close for repairs "
                + "from next month, with buses replacing the crossing until the new pier opens in the spring.</p>";
        String oldItem = item("old-" + run, "Ferry route closed in 2001", body.replace("Monday", "Friday " + run),
                "Mon, 01 Jan 2001 10:00:00 GMT");
        String newItem = item("new-" + run, "Ferry route closes", body.replace("Monday", "Tuesday " + run), daysAgo(1));
        String head = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Harbour " + run + "</title>"
                + "<link>https://harbour.example/</link><description>d</description>";
        try (FeedServer server = new FeedServer()) {
            // The old item first, the new one in a later poll: entries are stored in the order they arrive.
            server.serve("/" + run + ".xml", head + oldItem + "</channel></rss>", "application/rss+xml");
            long feedId = subscribe(server.url("/" + run + ".xml"));
            Polls.runDue(scheduler);
            server.serve("/" + run + ".xml", head + newItem + oldItem + "</channel></rss>", "application/rss+xml");
            given().when().post("/api/feeds/" + feedId + "/refresh").then().statusCode(200);
            Polls.runDue(scheduler);
            // Both just arrived: an entry published in 2001 keeps its rows too (pruning goes by arrival), and the story
            // sweep's own pruning, which may run at any moment, leaves both.
            long oldId = entryId(feedId, "old-" + run);
            long newId = entryId(feedId, "new-" + run);
            long oldRows = rows(oldId);
            long newRows = rows(newId);
            assertTrue(oldRows > 0 && newRows > 0, "each entry has index rows: " + oldRows + ", " + newRows);
            assertTrue(oldId < newId, "stored in arrival order: " + oldId + ", " + newId);

            // The old one, and every entry stored before it, as if they had arrived three weeks ago: outside twice the
            // 7-day window. Pruning finds the first entry seen since the cut-off by a binary search over ids.
            seenDaysAgo("entry", "first_seen_at", "id <= " + oldId, 21);
            Instant cut = Instant.now().minus(Duration.ofDays(14));
            assertEquals(oldId + 1, (long) QuarkusTransaction.requiringNew().call(() -> stories.firstEntrySeenFrom(cut)));
            QuarkusTransaction.requiringNew().run(() -> stories.pruneFingerprints(cut));
            assertEquals(0, rows(oldId), "rows of an entry that arrived before the cut-off are gone");
            assertEquals(newRows, rows(newId), "entries inside the window keep their rows");

            arrivedNow(oldId);

            given().when().delete("/api/feeds/" + feedId).then().statusCode(204);
            assertEquals(0, rows(newId), "and the rows of a deleted feed's entries");
        }
    }

    @Test
    void theCutOffIsFoundAcrossGapsInTheIds() throws Exception {
        // Entries deleted with their feeds leave gaps in the ids; the search steps over them.
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (FeedServer server = new FeedServer()) {
            long[] feeds = new long[3];
            for (int f = 0; f < 3; f++) {
                StringBuilder items = new StringBuilder();
                for (int i = 0; i < 5; i++) {
                    items.append(item("g" + f + i + "-" + run, "Item " + i, "<p>Text " + f + i + " " + run + "</p>", daysAgo(1)));
                }
                server.serve("/" + f + run + ".xml", outlet("Gaps " + f + run, items.toString()), "application/rss+xml");
                feeds[f] = subscribe(server.url("/" + f + run + ".xml"));
                Polls.runDue(scheduler);
            }
            long lastOfFirst = idOf("select max(id) from entry where feed_id = " + feeds[0]);
            long firstOfLast = idOf("select min(id) from entry where feed_id = " + feeds[2]);
            given().when().delete("/api/feeds/" + feeds[1]).then().statusCode(204);
            seenDaysAgo("entry", "first_seen_at", "id <= " + lastOfFirst, 21);
            Instant cut = Instant.now().minus(Duration.ofDays(14));
            long boundary = QuarkusTransaction.requiringNew().call(() -> stories.firstEntrySeenFrom(cut));
            assertTrue(boundary > lastOfFirst && boundary <= firstOfLast,
                    "between the last old entry " + lastOfFirst + " and the first new one " + firstOfLast + ": " + boundary);
            assertEquals(firstOfLast, idOf("select min(id) from entry where id >= " + boundary),
                    "no stored entry between the boundary and the first new entry");
            // Everything old: the boundary is past the last entry; nothing old: it is the first.
            seenDaysAgo("entry", "first_seen_at", "id >= " + firstOfLast, 21);
            long max = idOf("select max(id) from entry");
            assertEquals(max + 1, (long) QuarkusTransaction.requiringNew().call(() -> stories.firstEntrySeenFrom(cut)));
            long min = idOf("select min(id) from entry");
            assertEquals(min, (long) QuarkusTransaction.requiringNew().call(() ->
                    stories.firstEntrySeenFrom(Instant.now().minus(Duration.ofDays(30)))));
            arrivedNow(max);
        }
    }

    @Test
    void probesFindRowsUnderEveryKeyTheyWereWrittenWith() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String feed = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Probe " + run + "</title>"
                + "<link>https://probe.example/</link><description>d</description>"
                + item("p-" + run, "Probe " + run, "<p>Short.</p>", daysAgo(1)) + "</channel></rss>";
        try (FeedServer server = new FeedServer()) {
            server.serve("/" + run + ".xml", feed, "application/rss+xml");
            long feedId = subscribe(server.url("/" + run + ".xml"));
            Polls.runDue(scheduler);
            long entryId = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                    "select id from entry where feed_id = ?1").setParameter(1, feedId).getSingleResult()).longValue());
            // Keys of this test only (high halves no text produces here), negative ones included, written as another
            // instance sharing the database writes them: under the assignment lock, leaving its token there.
            long[] keys = {Long.MIN_VALUE + (entryId << 32), -((entryId + 7) << 32) - 5, ((entryId + 0x5EED) << 32) | 9};
            // And a copy of the entry three epochs later (on H2, whose index rows are ordered by epoch first, it is
            // found only if every epoch that has rows is probed), under a key of its own.
            long farId = entryId + 3 * 8192;
            long farKey = ((entryId + 0xFA4) << 32) | 3;
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into entry (id, feed_id, entry_key, "
                    + "guid, title, link, canonical_link, author, published_at, updated_at, first_seen_at, modified_at, "
                    + "summary, content, categories, enclosures, content_hash, story_id, join_reason) select ?1, feed_id, "
                    + "entry_key || '-far', guid, title, link, canonical_link, author, published_at, updated_at, "
                    + "first_seen_at, modified_at, summary, content, categories, enclosures, content_hash, story_id, "
                    + "join_reason from entry where id = ?2").setParameter(1, farId).setParameter(2, entryId).executeUpdate());
            QuarkusTransaction.requiringNew().run(() -> {
                em.createNativeQuery("select writer from story_lock where id = 1 for update").getResultList();
                long[] written = new long[keys.length + 1];
                for (int i = 0; i < keys.length; i++) {
                    written[i] = stories.indexLayout().row(keys[i], entryId);
                }
                written[keys.length] = stories.indexLayout().row(farKey, farId);
                java.util.Arrays.sort(written);
                em.unwrap(Session.class).doWork(c -> stories.indexTable().insert(c, written));
                em.createNativeQuery("update story_lock set writer = ?1 where id = 1").setParameter(1, entryId * 31 + 7)
                        .executeUpdate();
            });
            long sameHalf = keys[2] ^ 1;
            long otherHalf = keys[2] + (1L << 32);
            // This instance's probe filter does not have those rows: the token tells it, and the probes go out.
            List<StoryStore.FingerprintHit> hits = QuarkusTransaction.requiringNew().call(() -> {
                stories.lockAssignment();
                return stories.fingerprintHits(new long[] {keys[0], keys[1], keys[2], sameHalf, otherHalf, farKey});
            });
            assertTrue(hits.stream().anyMatch(h -> h.key() == farKey && h.entryId() == farId), "hit in a later epoch: " + hits);
            assertTrue(hits.stream().noneMatch(h -> h.key() == farKey && h.entryId() != farId), "only there: " + hits);
            // The copy goes again: its id lies far past the others'.
            QuarkusTransaction.requiringNew().run(() -> {
                em.unwrap(Session.class).doWork(c -> stories.indexTable().deleteEntries(c, new long[] {farId}));
                em.createNativeQuery("delete from entry where id = ?1").setParameter(1, farId).executeUpdate();
            });
            for (long k : keys) {
                assertTrue(hits.stream().anyMatch(h -> h.key() == k && h.entryId() == entryId), "hit under " + k + ": " + hits);
            }
            assertTrue(hits.stream().anyMatch(h -> h.key() == sameHalf && h.entryId() == entryId),
                    "a key sharing the high half is a candidate (confirmed or turned away on its text)");
            assertTrue(hits.stream().noneMatch(h -> h.key() == otherHalf), "another high half finds nothing: " + hits);
            Instant published = Instant.now().minus(Duration.ofDays(1));
            assertTrue(hits.stream().allMatch(h -> h.feedId() == feedId
                    && Duration.between(h.published(), published).abs().compareTo(Duration.ofMinutes(5)) < 0), "hits: " + hits);
        }
    }

    @Test
    void probesThatCannotHitAreNotSentAndACopyStillFindsItsStory() throws Exception {
        stories.resetProbeFilter(); // as a freshly started instance: the first batch builds it from the table
        String run = UUID.randomUUID().toString().substring(0, 8);
        java.util.Random words = new java.util.Random(run.hashCode());
        StringBuilder article = new StringBuilder();
        for (int p = 0; p < 5; p++) {
            article.append("<p>");
            for (int w = 0; w < 30; w++) {
                article.append(w == 0 ? "" : " ").append(Long.toString(words.nextLong() & 0xFFFFFFFL, 36));
            }
            article.append(".</p>");
        }
        String copy = article + "<p>Support independent journalism: donate today to keep this outlet free.</p>";
        try (FeedServer server = new FeedServer()) {
            server.serve("/" + run + "/a.xml", outlet("Wire " + run, item("a-" + run, "Council approves the " + run + " plan",
                    article.toString(), daysAgo(1))), "application/rss+xml");
            server.serve("/" + run + "/b.xml", outlet("Ledger " + run, item("b-" + run, "Plan " + run + " passes after debate",
                    copy, daysAgo(1))), "application/rss+xml");
            double skipped = probes(false);
            double sent = probes(true);
            long a = subscribe(server.url("/" + run + "/a.xml"));
            Polls.runDue(scheduler);
            double skippedFirst = probes(false) - skipped;
            double sentFirst = probes(true) - sent;
            assertTrue(skippedFirst >= 8 && sentFirst <= 2, "a first copy's probes cannot hit and are not sent: "
                    + skippedFirst + " skipped, " + sentFirst + " sent");

            sent = probes(true);
            long b = subscribe(server.url("/" + run + "/b.xml"));
            Polls.runDue(scheduler);
            assertTrue(probes(true) - sent >= 1, "the copy's keys are in the filter: probed");
            List<?> storiesOf = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                    "select distinct story_id from entry where feed_id in (?1, ?2)").setParameter(1, a).setParameter(2, b)
                    .getResultList());
            assertEquals(1, storiesOf.size(), "the copy joined the first one's story through the index");
        }
    }

    @Test
    void keyLookupsThatCannotHitAreNotSentAndACopyStillJoinsByItsLink() throws Exception {
        stories.resetProbeFilter(); // as a freshly started instance: the first batch builds it from story_key
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (FeedServer server = new FeedServer()) {
            server.serve("/" + run + "/a.xml", outlet("Port " + run, item("ferry-" + run, "Ferry timetable changes",
                    "<p>Ferries run hourly.</p>", daysAgo(1)) + item("pier-" + run, "Pier reopens", "<p>Open.</p>",
                    daysAgo(1)) + item("bus-" + run, "Buses replace trams", "<p>Buses.</p>", daysAgo(1))),
                    "application/rss+xml");
            server.serve("/" + run + "/b.xml", outlet("Coast " + run, item("ferry-" + run, "New sailing times",
                    "<p>The crossing moves to a new schedule.</p>", daysAgo(1))), "application/rss+xml");
            double skipped = keyLookups(false);
            double sent = keyLookups(true);
            long a = subscribe(server.url("/" + run + "/a.xml"));
            Polls.runDue(scheduler);
            assertTrue(keyLookups(false) - skipped >= 3 && keyLookups(true) - sent <= 1, "three new links, none stored: "
                    + (keyLookups(false) - skipped) + " skipped, " + (keyLookups(true) - sent) + " sent");

            sent = keyLookups(true);
            long b = subscribe(server.url("/" + run + "/b.xml"));
            Polls.runDue(scheduler);
            assertTrue(keyLookups(true) - sent >= 1, "the copy's link is in the filter: looked up");
            assertEquals(keyStory(a, "ferry-" + run), keyStory(b, "ferry-" + run), "the copy joined through its link");
        }
    }

    @Test
    void anEntryTooShortToMatchWritesNoIndexRows() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String longText = "<p>The harbour authority said on Monday that the northern ferry route will close for repairs "
                + "from next month, with buses replacing the crossing until the new pier opens " + run + ".</p>";
        try (FeedServer server = new FeedServer()) {
            server.serve("/" + run + ".xml", outlet("Brief " + run, item("short-" + run, "Ferry closes", "<p>Ferry closes "
                    + run + ".</p>", daysAgo(1)) + item("long-" + run, "Ferry route closes", longText, daysAgo(1))),
                    "application/rss+xml");
            long feedId = subscribe(server.url("/" + run + ".xml"));
            Polls.runDue(scheduler);
            assertEquals(0, rows(entryId(feedId, "short-" + run)), "a title and a sentence can never match: no rows");
            assertTrue(rows(entryId(feedId, "long-" + run)) > 0, "a paragraph is indexed");
        }
    }

    @Test
    void deletingAFeedTakesTheKeysOfTheStoriesItEmptiesAndKeepsTheOthers() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (FeedServer server = new FeedServer()) {
            server.serve("/" + run + "/a.xml", outlet("A " + run, item("only-" + run, "Only here", "<p>Only.</p>",
                    daysAgo(1)) + item("shared-" + run, "Shared", "<p>Shared.</p>", daysAgo(1))), "application/rss+xml");
            server.serve("/" + run + "/b.xml", outlet("B " + run, item("shared-" + run, "Shared too", "<p>Copy.</p>",
                    daysAgo(1))), "application/rss+xml");
            long a = subscribe(server.url("/" + run + "/a.xml"));
            long b = subscribe(server.url("/" + run + "/b.xml"));
            Polls.runDue(scheduler);
            long only = keyStory(a, "only-" + run);
            long shared = keyStory(a, "shared-" + run);
            assertEquals(shared, keyStory(b, "shared-" + run), "the copy joined the story through its link");
            String onlyKey = key(a, "only-" + run);

            given().when().delete("/api/feeds/" + a).then().statusCode(204);
            assertEquals(-1, storyOfKey(onlyKey), "the emptied story's key is gone with it");
            assertEquals(0L, ((Number) QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                    "select count(*) from story where id = ?1").setParameter(1, only).getSingleResult())).longValue());
            assertEquals(shared, keyStory(b, "shared-" + run), "the story that keeps a source keeps its key");

            // The link comes back from another outlet: a new story, found under the key again.
            server.serve("/" + run + "/c.xml", outlet("C " + run, item("only-" + run, "Only here, again", "<p>Again.</p>",
                    daysAgo(1))), "application/rss+xml");
            long c = subscribe(server.url("/" + run + "/c.xml"));
            Polls.runDue(scheduler);
            long again = keyStory(c, "only-" + run);
            assertTrue(again != only && again > 0, "a new story under the old key: " + again);
        }
    }

    @Test
    void keysOfStoriesFirstSeenBeforeTheCutOffArePrunedAndTheirLinkThenStartsANewStory() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (FeedServer server = new FeedServer()) {
            // Two stories, the older one stored first: story ids grow with creation time.
            server.serve("/" + run + "/a.xml", outlet("A " + run, item("old-" + run, "Old", "<p>Old.</p>", daysAgo(1))),
                    "application/rss+xml");
            long a = subscribe(server.url("/" + run + "/a.xml"));
            Polls.runDue(scheduler);
            server.serve("/" + run + "/a.xml", outlet("A " + run, item("new-" + run, "New", "<p>New.</p>", daysAgo(1))
                    + item("old-" + run, "Old", "<p>Old.</p>", daysAgo(1))), "application/rss+xml");
            given().when().post("/api/feeds/" + a + "/refresh").then().statusCode(200);
            Polls.runDue(scheduler);
            long old = keyStory(a, "old-" + run);
            long recent = keyStory(a, "new-" + run);
            assertTrue(old < recent, "stored in arrival order: " + old + ", " + recent);

            // The older story, and every story made before it, as if first seen three weeks ago.
            seenDaysAgo("story", "created_at", "id <= " + old, 21);
            Instant cut = Instant.now().minus(Duration.ofDays(14));
            assertEquals(old + 1, (long) QuarkusTransaction.requiringNew().call(() -> stories.firstStoryCreatedFrom(cut)));
            String oldKey = key(a, "old-" + run);
            int pruned = stories.pruneKeys(cut);
            assertTrue(pruned >= 1, "at least the old story's key: " + pruned);
            assertEquals(-1, storyOfKey(oldKey), "the key of a story first seen before the cut-off is gone");
            assertEquals(recent, keyStory(a, "new-" + run), "a story inside the window keeps its key");
            seenDaysAgo("story", "created_at", "id <= " + old, 0);

            // Another outlet carries the old link now: it starts a story of its own, found under the key from now on.
            server.serve("/" + run + "/b.xml", outlet("B " + run, item("old-" + run, "Old, again", "<p>Again.</p>",
                    daysAgo(1))), "application/rss+xml");
            long b = subscribe(server.url("/" + run + "/b.xml"));
            Polls.runDue(scheduler);
            long again = keyStory(b, "old-" + run);
            assertTrue(again != old && again > recent, "a new story: " + again);
            assertEquals(old, idOf("select min(story_id) from entry where feed_id = " + a), "the old story keeps its entry");
        }
    }

    /** The story key (canonical link) of the entry of this feed whose guid is given. */
    private String key(long feedId, String guid) {
        Object[] e = (Object[]) QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select canonical_link, guid from entry where feed_id = ?1 and guid = ?2").setParameter(1, feedId)
                .setParameter(2, guid).getSingleResult());
        return StoryKeys.of((String) e[0], (String) e[1]).get(0);
    }

    /** The story that this entry's key names in story_key, which must be the entry's own story. */
    private long keyStory(long feedId, String guid) {
        long byKey = storyOfKey(key(feedId, guid));
        long own = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select story_id from entry where feed_id = ?1 and guid = ?2").setParameter(1, feedId)
                .setParameter(2, guid).getSingleResult()).longValue());
        assertEquals(own, byKey, "story_key names the entry's story");
        return own;
    }

    /** The story stored under a key, -1 for none. */
    private long storyOfKey(String key) {
        StoryKeys.Hashed h = StoryKeys.hash(key);
        List<?> found = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select story_id from story_key where key_hash = ?1 and key_check = ?2").setParameter(1, h.hash())
                .setParameter(2, h.check()).getResultList());
        return found.isEmpty() ? -1 : ((Number) found.get(0)).longValue();
    }

    private double keyLookups(boolean sent) {
        return registry.counter("tributary.stories.key.lookups", "sent", Boolean.toString(sent)).count();
    }

    private double probes(boolean sent) {
        return registry.counter("tributary.stories.index.probes", "sent", Boolean.toString(sent)).count();
    }

    /** Subscribes a feed through the API; its id. */
    private static long subscribe(String url) {
        return given().contentType(ContentType.JSON).body(Map.of("url", url)).when().post("/api/feeds").then()
                .statusCode(201).extract().jsonPath().getLong("id");
    }

    private static String outlet(String title, String items) {
        return "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>" + title + "</title>"
                + "<link>https://outlet.example/</link><description>d</description>" + items + "</channel></rss>";
    }

    /** Entries up to this id as just arrived again (other tests' entries among them). */
    private void arrivedNow(long upTo) {
        seenDaysAgo("entry", "first_seen_at", "id <= " + upTo, 0);
    }

    /** Sets a time column of the rows of a table that match a condition to this many days ago. */
    private void seenDaysAgo(String table, String column, String where, int days) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update " + table + " set " + column
                + " = ?1 where " + where).setParameter(1, OffsetDateTime.now(ZoneOffset.UTC).minusDays(days))
                .executeUpdate());
    }

    /** A query's one number. */
    private long idOf(String sql) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(sql).getSingleResult()).longValue());
    }

    /** The id of the entry of this feed whose guid is given. */
    private long entryId(long feedId, String guid) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select id from entry where feed_id = ?1 and guid = ?2").setParameter(1, feedId).setParameter(2, guid)
                .getSingleResult()).longValue());
    }

    /** Index rows of an entry (on H2, read out of their packs). */
    private long rows(long entryId) {
        return QuarkusTransaction.requiringNew().call(() -> em.unwrap(Session.class).doReturningWork(c -> {
            long[] n = {0};
            stories.indexTable().scan(c, row -> n[0] += stories.indexLayout().entry(row) == entryId ? 1 : 0);
            return n[0];
        }));
    }

    private static String daysAgo(int days) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusDays(days));
    }

    private static String item(String guid, String title, String html, String date) {
        return "<item><title>" + title + "</title><link>https://harbour.example/" + guid + "</link><guid isPermaLink=\"false\">"
                + guid + "</guid><pubDate>" + date + "</pubDate><description><![CDATA[" + html + "]]></description></item>";
    }
}
