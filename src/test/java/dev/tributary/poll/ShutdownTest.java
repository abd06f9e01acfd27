package dev.tributary.poll;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tributary.TributaryConfig;
import dev.tributary.store.ClaimedFeed;
import dev.tributary.store.FeedStore;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A feed claimed when the poller stops is free for the next start at once, not after its lease runs out. */
@QuarkusTest
class ShutdownTest {

    @Inject
    FeedStore feeds;
    @Inject
    FeedPoller poller;
    @Inject
    TributaryConfig config;
    @Inject
    dev.tributary.story.StoryAssigner stories;

    @Test
    void stoppingReleasesLeasesOfPollsThatDidNotFinish() throws Exception {
        CountDownLatch requested = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer stalled = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        stalled.createContext("/", ex -> {
            requested.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        stalled.start();
        try {
            String url = "http://127.0.0.1:" + stalled.getAddress().getPort() + "/slow-" + System.nanoTime();
            long id = given().contentType(ContentType.JSON).body(Map.of("url", url)).when().post("/api/feeds")
                    .then().statusCode(201).extract().jsonPath().getLong("id");
            PollScheduler first = new PollScheduler(feeds, poller, stories, config);
            assertTrue(first.pollDue() >= 1);
            assertTrue(requested.await(10, TimeUnit.SECONDS), "the poll is in flight");
            // Another instance cannot take the feed while the lease is held.
            assertTrue(feeds.claimDue("someone-else", 100, Duration.ofMinutes(5), Instant.now()).stream()
                    .noneMatch(c -> c.id() == id));
            first.stop(Duration.ofMillis(200));
            List<ClaimedFeed> next = feeds.claimDue("next-start", 100, Duration.ofMinutes(5), Instant.now());
            assertEquals(1, next.stream().filter(c -> c.id() == id).count(), "claimable at once after the stop");
            feeds.releaseLeases("next-start");
        } finally {
            release.countDown();
            stalled.stop(0);
        }
    }
}
