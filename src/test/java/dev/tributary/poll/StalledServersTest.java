package dev.tributary.poll;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.support.FeedServer;
import dev.tributary.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * More stalled servers than fetch workers: each stalled fetch ends at the total deadline, so the good feeds behind
 * them are polled within a couple of deadlines, and the stalled ones back off instead of blocking the next cycle.
 */
@QuarkusTest
@TestProfile(StalledServersTest.ShortDeadline.class)
class StalledServersTest {

    /** A 2 s fetch deadline and 4 workers, so the test is quick. */
    public static class ShortDeadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tributary.fetch.total-timeout", "2s", "tributary.poll.concurrency", "4");
        }
    }

    @Inject
    PollScheduler scheduler;

    @Test
    void goodFeedsAreStillPolledPromptly() throws Exception {
        List<ServerSocket> stalled = new ArrayList<>();
        List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (FeedServer good = new FeedServer()) {
            List<Long> stalledIds = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                // Each on its own loopback address, so the per-host limit does not hide the problem.
                ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0." + (20 + i)));
                stalled.add(s);
                Thread t = new Thread(() -> {
                    while (!s.isClosed()) {
                        try {
                            held.add(s.accept()); // accept, then never answer
                        } catch (Exception e) {
                            return;
                        }
                    }
                });
                t.setDaemon(true);
                t.start();
                stalledIds.add(subscribe("http://127.0.0." + (20 + i) + ":" + s.getLocalPort() + "/feed.xml"));
            }
            List<Long> goodIds = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String path = "/" + UUID.randomUUID() + "/good.xml";
                good.serve(path, Fixtures.feedWithItems(0, 2), "application/rss+xml");
                goodIds.add(subscribe(good.url(path)));
            }
            long t0 = System.nanoTime();
            while (!goodIds.stream().allMatch(this::polled)) {
                assertTrue((System.nanoTime() - t0) / 1_000_000_000 < 12, "good feeds waited too long behind stalled ones");
                scheduler.pollDue();
                Thread.sleep(100);
            }
            long seconds = (System.nanoTime() - t0) / 1_000_000_000;
            assertTrue(seconds <= 6, "good feeds polled within about two deadlines, took " + seconds + " s");
            for (long id : goodIds) {
                given().when().get("/api/feeds/" + id).then().body("status", equalTo("ok"));
            }
            long t1 = System.nanoTime();
            while (!stalledIds.stream().allMatch(this::polled) && (System.nanoTime() - t1) / 1_000_000_000 < 12) {
                scheduler.pollDue();
                Thread.sleep(100);
            }
            for (long id : stalledIds) {
                given().when().get("/api/feeds/" + id).then().body("status", equalTo("erroring"))
                        .body("lastError", containsString("2 s")).body("nextPollReason", containsString("backoff"));
            }
        } finally {
            for (ServerSocket s : stalled) {
                s.close();
            }
            for (Socket s : held) {
                s.close();
            }
        }
    }

    private boolean polled(long id) {
        return given().when().get("/api/feeds/" + id).then().extract().jsonPath().get("lastPolledAt") != null;
    }

    private static long subscribe(String url) {
        return given().contentType(ContentType.JSON).body(Map.of("url", url)).when().post("/api/feeds").then()
                .statusCode(201).extract().jsonPath().getLong("id");
    }
}
