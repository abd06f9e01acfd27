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
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Subscribing to a site's address: the first poll finds the feed the page names, stores its entries, and moves the
 * subscription to the feed; a page whose feed link leads nowhere records why on the subscription.
 */
@QuarkusTest
class SiteAddressTest {

    @Inject
    PollScheduler scheduler;

    private static String page(String feedHref) {
        return "<!DOCTYPE html><html><head><title>Harbour News</title><link rel=\"alternate\" "
                + "type=\"application/rss+xml\" title=\"Harbour News\" href=\"" + feedHref + "\"></head>"
                + "<body><h1>Harbour News</h1><p>Ferries, piers and the people who use them.</p></body></html>";
    }

    @Test
    void aSitesAddressReadsTheFeedItNamesAndTheSubscriptionMovesToIt() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (FeedServer server = new FeedServer()) {
            String site = "/" + run + "/";
            String feed = "/" + run + "/feed.xml";
            serveSite(server, site, "feed.xml", feed, 5);
            long id = subscribe(server.url(site));
            Polls.runDue(scheduler);
            given().when().get("/api/feeds/" + id).then().body("status", equalTo("ok"))
                    .body("url", equalTo(server.url(feed))).body("entryCount", equalTo(5));

            given().when().post("/api/feeds/" + id + "/refresh").then().statusCode(200);
            Polls.runDue(scheduler);
            assertEquals(1, server.requests(site), "the next poll asks for the feed, not the page");
            assertEquals(2, server.requests(feed));
        }
    }

    @Test
    void aSiteWhoseFeedIsSubscribedAlreadyBecomesItsDuplicateWithoutEntries() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (FeedServer server = new FeedServer()) {
            String site = "/" + run + "/home";
            String feed = "/" + run + "/rss";
            serveSite(server, site, server.url(feed), feed, 4);
            long first = subscribe(server.url(feed));
            Polls.runDue(scheduler);
            long again = subscribe(server.url(site));
            Polls.runDue(scheduler);
            given().when().get("/api/feeds/" + again).then().body("status", equalTo("duplicate"))
                    .body("duplicateOf", equalTo((int) first)).body("paused", equalTo(true)).body("entryCount", equalTo(0));
            given().when().get("/api/feeds/" + first).then().body("status", equalTo("ok")).body("entryCount", equalTo(4));
        }
    }

    @Test
    void aPageWhoseFeedLinkIsNoFeedRecordsBothAddresses() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (FeedServer server = new FeedServer()) {
            String notFeed = "/" + run + "/other/";
            String missing = "/" + run + "/missing/";
            server.serve(notFeed, page("/" + run + "/also-a-page.html"), "text/html");
            server.serve("/" + run + "/also-a-page.html", "<!DOCTYPE html><html><body>hi</body></html>", "text/html");
            server.serve(missing, page("/" + run + "/gone.xml"), "text/html");
            long a = subscribe(server.url(notFeed));
            long b = subscribe(server.url(missing));
            Polls.runDue(scheduler);
            given().when().get("/api/feeds/" + a).then().body("status", equalTo("erroring"))
                    .body("url", equalTo(server.url(notFeed))).body("lastError", containsString("not a feed"))
                    .body("lastError", containsString("also-a-page.html"));
            given().when().get("/api/feeds/" + b).then().body("status", equalTo("erroring"))
                    .body("url", equalTo(server.url(missing))).body("lastError", containsString("gone.xml"));
        }
    }

    /** A site's page at {@code site} whose head names {@code href} as its feed, and that feed at {@code feed}. */
    private static void serveSite(FeedServer server, String site, String href, String feed, int items) {
        server.serve(site, page(href), "text/html; charset=utf-8");
        server.serve(feed, Fixtures.feedWithItems(0, items), "application/rss+xml");
    }

    private static long subscribe(String url) {
        return given().contentType(ContentType.JSON).body(Map.of("url", url)).when().post("/api/feeds").then()
                .statusCode(201).extract().jsonPath().getLong("id");
    }
}
