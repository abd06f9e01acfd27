package dev.tributary.store;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tributary.poll.FeedPoller;
import dev.tributary.poll.PollScheduler;
import dev.tributary.support.FeedServer;
import dev.tributary.support.Fixtures;
import dev.tributary.support.Polls;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The publication times the poll schedule reads from the feed's row ({@code feed.recent_published}) stay what the
 * feed's entries say, through first polls, polls with new entries, pushes and rows written before the column
 * existed; and a 304 schedules from the row alone. Runs on H2 here and on PostgreSQL in the subclass.
 */
@QuarkusTest
class RecentPublishedTest {

    @Inject
    PollScheduler scheduler;
    @Inject
    FeedPoller poller;
    @Inject
    EntityManager em;

    @Test
    void theRowKeepsTheLatestPublicationTimesAndA304SchedulesFromIt() throws Exception {
        try (FeedServer server = new FeedServer()) {
            String path = "/" + UUID.randomUUID() + "/rhythm.xml";
            long id = serveAndSubscribe(server, path, Fixtures.feedWithItems(0, 5));
            Polls.runDue(scheduler);
            assertEquals(5, stored(id).size());
            assertEquals(fromEntries(id), stored(id), "first poll");

            server.serve(path, Fixtures.feedWithItems(0, 26), "application/rss+xml");
            makeDue(id);
            Polls.runDue(scheduler);
            assertEquals(RecentPublished.KEPT, stored(id).size());
            assertEquals(fromEntries(id), stored(id), "a poll with 21 new entries keeps the latest 20");

            poller.ingestPushed(id, server.url(path), Fixtures.feedWithItems(24, 28).getBytes(StandardCharsets.UTF_8),
                    "application/rss+xml");
            assertEquals(fromEntries(id), stored(id), "a push adds its entries' times");

            // A 304 reads nothing but the row: a row saying "every ten minutes" gives that rhythm, whatever the
            // (hourly) entries say, and is left as it was.
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            List<Instant> tenMinutes = new ArrayList<>();
            for (int i = 0; i < RecentPublished.KEPT; i++) {
                tenMinutes.add(now.minus(Duration.ofMinutes(5 + 10L * i)));
            }
            setColumn(id, RecentPublished.encode(tenMinutes));
            makeDue(id);
            Polls.runDue(scheduler);
            given().when().get("/api/feeds/" + id).then().body("lastHttpStatus", equalTo(304))
                    .body("nextPollReason", equalTo("adaptive: about 144 entries/day"));
            assertEquals(tenMinutes, stored(id));

            // A row from before the column existed: the next poll, a 304 too, works it out from the entries.
            setColumn(id, null);
            makeDue(id);
            Polls.runDue(scheduler);
            given().when().get("/api/feeds/" + id).then().body("lastHttpStatus", equalTo(304))
                    .body("nextPollReason", equalTo("adaptive: about 24 entries/day (capped at max 24 h)"));
            assertEquals(fromEntries(id), stored(id), "filled in from the entries");
        }
    }

    @Test
    void aFeedWithoutEntriesIsKnownToHaveNone() throws Exception {
        try (FeedServer server = new FeedServer()) {
            long id = serveAndSubscribe(server, "/" + UUID.randomUUID() + "/empty.xml", Fixtures.feedWithItems(0, 0));
            assertNull(stored(id), "not known before the first poll");
            Polls.runDue(scheduler);
            assertEquals(List.of(), stored(id));
        }
    }

    private static long serveAndSubscribe(FeedServer server, String path, String feed) {
        server.serve(path, feed, "application/rss+xml");
        return given().contentType(ContentType.JSON).body(Map.of("url", server.url(path))).when().post("/api/feeds")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static void makeDue(long id) {
        given().contentType(ContentType.JSON).body("{\"paused\":true}").when().patch("/api/feeds/" + id).then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"paused\":false}").when().patch("/api/feeds/" + id).then().statusCode(200);
    }

    private List<Instant> stored(long id) {
        return QuarkusTransaction.requiringNew().call(() -> RecentPublished.decode(em.createQuery(
                "select recentPublished from FeedEntity where id = :id", String.class).setParameter("id", id).getSingleResult()));
    }

    private List<Instant> fromEntries(long id) {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select publishedAt from EntryEntity where feedId = :id order by publishedAt desc", Instant.class)
                .setParameter("id", id).setMaxResults(RecentPublished.KEPT).getResultList());
    }

    private void setColumn(long id, String value) {
        QuarkusTransaction.requiringNew().run(() -> em.createQuery("update FeedEntity set recentPublished = :v where id = :id")
                .setParameter("v", value).setParameter("id", id).executeUpdate());
    }
}
