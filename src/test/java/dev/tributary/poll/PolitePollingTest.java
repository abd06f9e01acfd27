package dev.tributary.poll;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.support.FeedServer;
import dev.tributary.support.Fixtures;
import dev.tributary.support.Polls;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Polling that publishers would call polite, end to end against a real local server. */
@QuarkusTest
@TestProfile(PolitePollingTest.Polite.class)
class PolitePollingTest {

    /** The production rate limit on manual refresh (the other tests switch it off). */
    public static class Polite implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tributary.poll.manual-refresh-min-gap", "30s");
        }
    }

    @Inject
    PollScheduler scheduler;

    private static long subscribe(FeedServer server, String path) {
        return given().contentType(ContentType.JSON).body(Map.of("url", server.url(path))).when().post("/api/feeds")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** Pausing and resuming makes a feed due at once: a user-visible way to start a new cycle. */
    private static void makeDue(long id) {
        given().contentType(ContentType.JSON).body("{\"paused\":true}").when().patch("/api/feeds/" + id).then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"paused\":false}").when().patch("/api/feeds/" + id).then()
                .statusCode(200).body("nextPollReason", equalTo("resumed"));
    }

    @Test
    void aSecondCycleOverUnchangedFeedsFetchesNoBodyAndTheHostIsNeverHitMoreThanTwiceAtOnce() throws Exception {
        try (FeedServer server = new FeedServer().withDelay(150)) {
            List<Long> ids = new ArrayList<>();
            String run = UUID.randomUUID().toString().substring(0, 8);
            for (int i = 0; i < 10; i++) {
                String path = "/" + run + "/f" + i + ".xml";
                server.serve(path, Fixtures.feedWithItems(i * 3, i * 3 + 3), "application/rss+xml");
                ids.add(subscribe(server, path));
            }
            Polls.runDue(scheduler);
            assertEquals(10, server.totalFullBodies());
            given().when().post("/api/feeds/refresh").then().statusCode(200)
                    .body("due", org.hamcrest.Matchers.greaterThanOrEqualTo(10));
            given().when().post("/api/feeds/refresh").then().statusCode(429);
            Polls.runDue(scheduler);
            assertEquals(10, server.totalFullBodies(), "the second cycle fetched no full body");
            for (long id : ids) {
                given().when().get("/api/feeds/" + id).then().body("lastHttpStatus", equalTo(304))
                        .body("lastNewEntries", equalTo(0));
            }
            assertTrue(server.maxConcurrentRequests() <= 2, "per-host limit: " + server.maxConcurrentRequests());
        }
    }

    @Test
    void aBodyIdenticalToTheLastOneIsNotParsedAgain() throws Exception {
        try (FeedServer server = new FeedServer().withoutValidators()) {
            String path = "/" + UUID.randomUUID() + "/novalidators.xml";
            server.serve(path, Fixtures.feedWithItems(0, 3), "application/rss+xml");
            long id = subscribe(server, path);
            Polls.runDue(scheduler);
            makeDue(id);
            Polls.runDue(scheduler);
            given().when().get("/api/feeds/" + id + "/polls").then().body("outcome", equalTo(List.of("unchanged", "ok")));
        }
    }

    @Test
    void permanentRedirectsMoveTheFeedTemporaryOnesDoNot() throws Exception {
        try (FeedServer server = new FeedServer()) {
            String run = "/" + UUID.randomUUID();
            server.serve(run + "/new.xml", Fixtures.feedWithItems(0, 2), "application/rss+xml");
            server.reply(run + "/old.xml", new FeedServer.Reply(301, Map.of("Location", run + "/new.xml"), null));
            server.reply(run + "/tmp.xml", new FeedServer.Reply(302, Map.of("Location", run + "/new.xml"), null));
            long moved = subscribe(server, run + "/old.xml");
            long temporary = subscribe(server, run + "/tmp.xml");
            Polls.runDue(scheduler);
            given().when().get("/api/feeds/" + moved).then().body("url", equalTo(server.url(run + "/new.xml")));
            given().when().get("/api/feeds/" + temporary).then().body("url", equalTo(server.url(run + "/tmp.xml")));
            // A second feed redirected permanently to an address already subscribed becomes its duplicate.
            server.reply(run + "/alias.xml", new FeedServer.Reply(308, Map.of("Location", run + "/new.xml"), null));
            long alias = subscribe(server, run + "/alias.xml");
            Polls.runDue(scheduler);
            given().when().get("/api/feeds/" + alias).then().body("status", equalTo("duplicate"))
                    .body("duplicateOf", equalTo((int) moved)).body("paused", equalTo(true))
                    .body("entryCount", equalTo(0)); // its entries are the other subscription's
        }
    }

    @Test
    void manualRefreshIsRateLimited() throws Exception {
        try (FeedServer server = new FeedServer()) {
            String path = "/" + UUID.randomUUID() + "/r.xml";
            server.serve(path, Fixtures.feedWithItems(0, 2), "application/rss+xml");
            long id = subscribe(server, path);
            given().when().post("/api/feeds/" + id + "/refresh").then().statusCode(200);
            given().when().post("/api/feeds/" + id + "/refresh").then().statusCode(429)
                    .contentType("application/problem+json").header("Retry-After", notNullValue())
                    .body("detail", containsString("refreshed"));
        }
    }

    @Test
    void retryAfterAndBackoffAreVisibleOnTheFeed() throws Exception {
        try (FeedServer server = new FeedServer()) {
            String path = "/" + UUID.randomUUID() + "/busy.xml";
            server.reply(path, new FeedServer.Reply(429, Map.of("Retry-After", "7200"), null));
            long id = subscribe(server, path);
            Polls.runDue(scheduler);
            given().when().get("/api/feeds/" + id).then().body("status", equalTo("erroring"))
                    .body("nextPollReason", equalTo("Retry-After 2 h")).body("errorCount", equalTo(1));
        }
    }
}
