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
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
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

    @Test
    void rowsArePrunedWithOldEntriesAndDeletedWithTheirFeed() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String body = "<p>The harbour authority said on Monday that the northern ferry route will close for repairs "
                + "from next month, with buses replacing the crossing until the new pier opens in the spring.</p>";
        String feed = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Harbour " + run + "</title>"
                + "<link>https://harbour.example/</link><description>d</description>"
                + item("old-" + run, "Ferry route closes in 2001", body.replace("Monday", "Friday " + run), "Mon, 01 Jan 2001 10:00:00 GMT")
                + item("new-" + run, "Ferry route closes", body.replace("Monday", "Tuesday " + run), "Mon, 01 Jan 2024 10:00:00 GMT")
                + "</channel></rss>";
        try (FeedServer server = new FeedServer()) {
            server.serve("/" + run + ".xml", feed, "application/rss+xml");
            long feedId = given().contentType(ContentType.JSON).body(Map.of("url", server.url("/" + run + ".xml")))
                    .when().post("/api/feeds").then().statusCode(201).extract().jsonPath().getLong("id");
            Polls.runDue(scheduler);
            long oldRows = rows(feedId, "old-" + run);
            long newRows = rows(feedId, "new-" + run);
            assertTrue(oldRows > 0 && newRows > 0, "each entry has index rows: " + oldRows + ", " + newRows);

            int pruned = QuarkusTransaction.requiringNew().call(() -> stories.pruneFingerprints(Instant.parse("2010-01-01T00:00:00Z")));
            assertTrue(pruned >= oldRows, "pruned " + pruned);
            assertEquals(0, rows(feedId, "old-" + run));
            assertEquals(newRows, rows(feedId, "new-" + run), "entries inside the window keep their rows");

            given().when().delete("/api/feeds/" + feedId).then().statusCode(204);
            assertEquals(0, rows(feedId, "new-" + run));
        }
    }

    /** Index rows of the entry of this feed whose guid is given. */
    private long rows(long feedId, String guid) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from story_fingerprint f join entry e on e.id = f.entry_id where e.feed_id = ?1 and e.guid = ?2")
                .setParameter(1, feedId).setParameter(2, guid).getSingleResult()).longValue());
    }

    private static String item(String guid, String title, String html, String date) {
        return "<item><title>" + title + "</title><link>https://harbour.example/" + guid + "</link><guid isPermaLink=\"false\">"
                + guid + "</guid><pubDate>" + date + "</pubDate><description><![CDATA[" + html + "]]></description></item>";
    }
}
