package dev.tributary.store;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.poll.FeedPoller;
import dev.tributary.support.FeedServer;
import dev.tributary.support.Fixtures;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Racing polls of one feed make no duplicate and no error; a poll that dies before commit loses nothing. */
@QuarkusTest
class ConcurrencyAndCrashTest {

    @Inject
    StoryStore storyStore;
    @Inject
    FeedPoller poller;
    @Inject
    FeedStore feeds;

    FeedServer server;
    String path;

    @BeforeEach
    void start() {
        server = new FeedServer();
        path = "/" + UUID.randomUUID() + "/feed.xml";
        server.serve(path, Fixtures.feedWithItems(0, 20), "application/rss+xml");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private long subscribe() {
        return given().contentType(ContentType.JSON).body(Map.of("url", server.url(path)))
                .when().post("/api/feeds").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void tenConcurrentPollsOfOneFeedStoreEachEntryOnce() throws Exception {
        long id = subscribe();
        int threads = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<FeedPoller.Outcome>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Callable<FeedPoller.Outcome> task = () -> {
                go.await();
                return poller.poll(new ClaimedFeed(id, server.url(path), null, null, null, 0, null, null));
            };
            results.add(pool.submit(task));
        }
        go.countDown();
        int inserted = 0;
        for (Future<FeedPoller.Outcome> f : results) {
            FeedPoller.Outcome o = f.get();
            assertNull(o.error(), "no poll may fail: " + o);
            inserted += o.newEntries();
        }
        pool.shutdown();
        assertEquals(20, inserted, "each entry reported new exactly once");
        stories.assignPending();
        given().when().get("/api/feeds/" + id).then().body("entryCount", equalTo(20));
        given().queryParam("feed", id).queryParam("limit", 200).when().get("/api/timeline").then()
                .body("items.size()", equalTo(20));
    }

    @Test
    void aCrashBeforeCommitLosesNothingAndTheNextPollStoresEverythingOnce() {
        long id = subscribe();
        // The poll's last write (its outcome on the feed) fails: the entries it already wrote must roll back too.
        QuarkusMock.installMockForType(new FeedStore(em, storyStore) {
            @Override
            public void recordPolls(List<PollRecord> records, int historySize) {
                if (records.stream().anyMatch(PollRecord::success)) {
                    throw new IllegalStateException("injected crash after the entries were written");
                }
                super.recordPolls(records, historySize);
            }
        }, FeedStore.class);
        FeedPoller.Outcome failed = poller.poll(new ClaimedFeed(id, server.url(path), null, null, null, 0, null, null));
        assertEquals("internal_error", failed.outcome());
        QuarkusMock.installMockForType(new FeedStore(em, storyStore), FeedStore.class);
        given().when().get("/api/feeds/" + id).then().body("entryCount", equalTo(0)).body("errorCount", equalTo(1))
                .body("lastError", equalTo("internal error: IllegalStateException"));
        assertNull(feeds.find(id).orElseThrow().lastSuccessAt(), "validators and state were not committed either");

        FeedPoller.Outcome ok = poller.poll(new ClaimedFeed(id, server.url(path), null, null, null, 1, null, null));
        assertNull(ok.error());
        assertEquals(20, ok.newEntries());
        given().when().get("/api/feeds/" + id).then().body("entryCount", equalTo(20)).body("errorCount", equalTo(0))
                .body("lastError", nullValue());
        assertTrue(server.fullBodies(path) == 2, "the body was fetched again, not skipped by its hash");
        stories.assignPending();
        given().queryParam("feed", id).queryParam("limit", 200).when().get("/api/timeline").then()
                .body("items.size()", equalTo(20));
    }

    @Inject
    jakarta.persistence.EntityManager em;
    @Inject
    dev.tributary.story.StoryAssigner stories;
}
