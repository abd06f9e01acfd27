package dev.tributary.poll;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.support.FeedServer;
import dev.tributary.support.Fixtures;
import dev.tributary.support.Polls;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Hostile and broken feeds in the running application: each records a clear error on its own feed, keeps what it
 * had, and the other feeds of the same poll cycle are stored as usual.
 */
@QuarkusTest
class HostileFeedsTest {

    @Inject
    PollScheduler scheduler;

    @Test
    void hostileDocumentsFailAloneAndLoudly() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (FeedServer server = new FeedServer(); ServerSocket listener = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            AtomicInteger dtdFetches = new AtomicInteger();
            Thread t = new Thread(() -> {
                while (!listener.isClosed()) {
                    try (Socket s = listener.accept()) {
                        dtdFetches.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            String externalDtd = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY % ext SYSTEM \"http://127.0.0.1:"
                    + listener.getLocalPort() + "/evil.dtd\"> %ext;]><rss version=\"2.0\"><channel><title>t</title></channel></rss>";
            String xxeToListener = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x SYSTEM \"http://127.0.0.1:"
                    + listener.getLocalPort() + "/x\">]><rss version=\"2.0\"><channel><title>&x;</title></channel></rss>";
            Map<String, String> cases = Map.of(
                    "xxe-file", new String(FeedServer.read("/feeds/hostile/xxe.xml"), StandardCharsets.UTF_8),
                    "laughs", new String(FeedServer.read("/feeds/hostile/billion-laughs.xml"), StandardCharsets.UTF_8),
                    "dtd", externalDtd,
                    "xxe-listener", xxeToListener,
                    "html", new String(FeedServer.read("/feeds/broken/page.html"), StandardCharsets.UTF_8),
                    "truncated", new String(FeedServer.read("/feeds/broken/truncated.xml"), StandardCharsets.UTF_8),
                    "rss22", "<?xml version=\"1.0\"?><rss version=\"2.2\"><channel><title>t</title><link>https://x.example/</link>"
                            + "<description>d</description><item><title>i</title><guid>1</guid></item></channel></rss>",
                    "empty", "");
            String good = "/" + run + "/good.xml";
            server.serve(good, Fixtures.feedWithItems(0, 5), "application/rss+xml");
            long goodId = subscribe(server, good, run);
            Map<String, Long> ids = new java.util.HashMap<>();
            for (Map.Entry<String, String> c : cases.entrySet()) {
                String path = "/" + run + "/" + c.getKey();
                server.serve(path, c.getValue(), "application/xml");
                ids.put(c.getKey(), subscribe(server, path, run));
            }
            Polls.runDue(scheduler);
            given().when().get("/api/feeds/" + goodId).then().body("status", equalTo("ok")).body("entryCount", equalTo(5));
            for (String kind : List.of("xxe-file", "laughs", "dtd", "xxe-listener", "truncated")) {
                given().when().get("/api/feeds/" + ids.get(kind)).then().body("status", equalTo("erroring"))
                        .body("lastError", containsString("invalid feed")).body("entryCount", equalTo(0));
            }
            for (String kind : List.of("html", "empty")) {
                given().when().get("/api/feeds/" + ids.get(kind)).then().body("status", equalTo("erroring"))
                        .body("lastError", containsString("not a feed"));
            }
            // An unknown RSS version is still read as RSS: the entries matter more than the number.
            given().when().get("/api/feeds/" + ids.get("rss22")).then().body("status", equalTo("ok"));
            assertEquals(0, dtdFetches.get(), "no external entity or DTD was fetched");
        }
    }

    @Test
    void aHundredThousandItemFeedUnderTheByteCapKeepsTheNewest() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (FeedServer server = new FeedServer()) {
            String path = "/" + run + "/huge.xml";
            StringBuilder huge = new StringBuilder("<rss version=\"2.0\"><channel><title>h</title><link>https://h.example/</link>"
                    + "<description>d</description>");
            java.time.Instant base = java.time.Instant.parse("2020-01-01T00:00:00Z");
            for (int i = 0; i < 100_000; i++) {
                huge.append("<item><title>").append(i).append("</title><guid>").append(i).append("</guid><pubDate>")
                        .append(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                                base.plusSeconds(60L * i).atZone(java.time.ZoneOffset.UTC))).append("</pubDate></item>");
            }
            huge.append("</channel></rss>");
            server.serve(path, huge.toString(), "application/rss+xml");
            long id = subscribe(server, path, run);
            Polls.runDue(scheduler);
            given().when().get("/api/feeds/" + id).then().body("status", equalTo("ok")).body("entryCount", equalTo(1000));
            given().queryParam("feed", id).queryParam("limit", 1).when().get("/api/timeline").then()
                    .body("items[0].title", equalTo("99999"));
        }
    }

    @Test
    void sameGuidEverywhereAndNoIdentityAtAll() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (FeedServer server = new FeedServer()) {
            String sameGuid = "/" + run + "/same.xml";
            server.serve(sameGuid, "<rss version=\"2.0\"><channel><title>s</title><link>https://s.example/</link><description>d</description>"
                    + "<item><guid>x</guid><link>https://s.example/1</link><title>1</title></item>"
                    + "<item><guid>x</guid><link>https://s.example/2</link><title>2</title></item>"
                    + "<item><guid>x</guid><link>https://s.example/3</link><title>3</title></item></channel></rss>", "application/rss+xml");
            String bare = "/" + run + "/bare.xml";
            server.serve(bare, "<rss version=\"2.0\"><channel><title>b</title><link>https://b.example/</link><description>d</description>"
                    + "<item><title>only a title</title></item><item><description>only a body</description></item>"
                    + "</channel></rss>", "application/rss+xml");
            long a = subscribe(server, sameGuid, run);
            long b = subscribe(server, bare, run);
            Polls.runDue(scheduler);
            given().when().get("/api/feeds/" + a).then().body("entryCount", equalTo(3));
            given().when().get("/api/feeds/" + b).then().body("entryCount", equalTo(2));
            given().when().post("/api/feeds/" + a + "/refresh").then().body("entryCount", equalTo(3));
            given().when().post("/api/feeds/" + b + "/refresh").then().body("entryCount", equalTo(2));
        }
    }

    private static long subscribe(FeedServer server, String path, String tag) {
        return given().contentType(ContentType.JSON).body(Map.of("url", server.url(path), "tags", List.of(tag)))
                .when().post("/api/feeds").then().statusCode(201).extract().jsonPath().getLong("id");
    }
}
