package dev.tributary.push;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tributary.poll.PollScheduler;
import dev.tributary.support.FeedServer;
import dev.tributary.support.Polls;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * WebSub against a hub written here as a protocol peer: it takes the subscription request, verifies intent with a
 * GET to the callback, then distributes content signed with the subscriber's secret.
 */
@QuarkusTest
@TestProfile(WebSubTest.Reachable.class)
class WebSubTest {

    static final int PORT = freePort();

    /** The service knows the address at which the hub can reach it. */
    public static class Reachable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.test-port", Integer.toString(PORT),
                    "tributary.public-url", "http://127.0.0.1:" + PORT);
        }
    }

    /** A minimal WebSub hub: the subscriber-facing half of the spec. */
    static final class Hub implements AutoCloseable {
        final HttpServer server;
        final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
        final List<String> verified = new CopyOnWriteArrayList<>();
        final HttpClient http = HttpClient.newHttpClient();

        Hub() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
            server.createContext("/hub", ex -> {
                Map<String, String> form = parseForm(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                requests.add(form);
                ex.sendResponseHeaders(202, -1);
                ex.close();
                new Thread(() -> verifyIntent(form)).start();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hub";
        }

        private void verifyIntent(Map<String, String> form) {
            String challenge = UUID.randomUUID().toString();
            String uri = form.get("hub.callback") + "?hub.mode=" + form.get("hub.mode") + "&hub.topic="
                    + URLEncoder.encode(form.get("hub.topic"), StandardCharsets.UTF_8) + "&hub.challenge=" + challenge
                    + "&hub.lease_seconds=86400";
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().equals(challenge)) {
                    verified.add(form.get("hub.mode"));
                }
            } catch (IOException | InterruptedException e) {
                // not verified
            }
        }

        int distribute(String callback, String secret, String body) throws Exception {
            String signature = secret == null ? "sha256=" + "00".repeat(32) : "sha256=" + hmac(secret, body);
            return http.send(HttpRequest.newBuilder(URI.create(callback)).header("Content-Type", "application/atom+xml")
                    .header("X-Hub-Signature-256", signature).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Inject
    PollScheduler scheduler;

    @Test
    void subscribeVerifyReceiveRefuseForgeriesAndUnsubscribe() throws Exception {
        try (FeedServer publisher = new FeedServer(); Hub hub = new Hub()) {
            String path = "/" + UUID.randomUUID() + "/pushed.atom";
            String self = publisher.url(path);
            publisher.serve(path, atom(hub.url(), self, 1), "application/atom+xml");
            long id = given().contentType(ContentType.JSON).body(Map.of("url", self)).when().post("/api/feeds")
                    .then().statusCode(201).extract().jsonPath().getLong("id");
            Polls.runDue(scheduler);
            waitFor(() -> hub.verified.contains("subscribe"), "the hub verified the subscription");
            Map<String, String> sub = hub.requests.get(0);
            assertEquals("subscribe", sub.get("hub.mode"));
            assertEquals(self, sub.get("hub.topic"));
            assertTrue(sub.get("hub.callback").startsWith("http://127.0.0.1:" + PORT + "/websub/" + id + "/"));

            // The next poll is a slow safety poll while pushes arrive.
            given().when().post("/api/feeds/" + id + "/refresh").then().statusCode(200)
                    .body("nextPollReason", startsWith("push active"));

            // A forged distribution is refused and stores nothing.
            assertEquals(403, hub.distribute(sub.get("hub.callback"), null, atom(hub.url(), self, 3)));
            assertEquals(403, hub.distribute(sub.get("hub.callback"), "wrong-secret", atom(hub.url(), self, 3)));
            given().when().get("/api/feeds/" + id).then().body("entryCount", equalTo(1));

            // A signed one goes through the parse and store path.
            assertEquals(204, hub.distribute(sub.get("hub.callback"), sub.get("hub.secret"), atom(hub.url(), self, 3)));
            given().when().get("/api/feeds/" + id).then().body("entryCount", equalTo(3));
            given().when().get("/api/feeds/" + id + "/polls").then().body("outcome[0]", equalTo("push"));
            // The story stage places pushed entries on its own thread, a moment later.
            waitFor(() -> given().queryParam("feed", id).when().get("/api/timeline").then().extract()
                    .jsonPath().getList("items").size() == 3, "the pushed entries reached the timeline");

            // Verification for a topic we never asked for is refused.
            given().queryParam("hub.mode", "subscribe").queryParam("hub.topic", "http://evil.example/")
                    .queryParam("hub.challenge", "x").when().get(URI.create(sub.get("hub.callback")).getPath())
                    .then().statusCode(404);

            // Deleting the feed unsubscribes.
            given().when().delete("/api/feeds/" + id).then().statusCode(204);
            waitFor(() -> hub.verified.contains("unsubscribe"), "the hub verified the unsubscription");
            assertEquals(404, hub.distribute(sub.get("hub.callback"), sub.get("hub.secret"), atom(hub.url(), self, 4)));
        }
    }

    private static String atom(String hub, String self, int entries) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">"
                + "<title>Pushed</title><id>urn:pushed</id><updated>2020-02-01T00:00:00Z</updated>"
                + "<link rel=\"hub\" href=\"" + hub + "\"/><link rel=\"self\" href=\"" + self + "\"/>");
        for (int i = 0; i < entries; i++) {
            sb.append("<entry><id>urn:pushed:").append(i).append("</id><title>Pushed entry ").append(i)
                    .append("</title><link href=\"https://push.example/").append(i).append("\"/><updated>2020-02-0")
                    .append(i + 1).append("T00:00:00Z</updated><summary>Entry number ").append(i).append("</summary></entry>");
        }
        return sb.append("</feed>").toString();
    }

    static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    static Map<String, String> parseForm(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(50);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
