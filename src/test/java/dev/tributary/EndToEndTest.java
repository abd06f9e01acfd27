package dev.tributary;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import dev.tributary.poll.PollScheduler;
import dev.tributary.support.FeedServer;
import dev.tributary.support.Fixtures;
import dev.tributary.support.Polls;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Subscribe, poll a real local HTTP server, read the timeline and the output feeds, change the fixtures, poll again.
 * Runs on H2 here and on embedded PostgreSQL in {@code EndToEndPostgresTest}.
 */
@QuarkusTest
class EndToEndTest {

    @Inject
    PollScheduler scheduler;

    FeedServer server;
    String run;

    @BeforeEach
    void start() {
        server = new FeedServer();
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    long subscribe(String path, String tag) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("url", server.url(path), "tags", List.of(tag)))
                .when().post("/api/feeds")
                .then().statusCode(201).body("id", notNullValue()).body("status", equalTo("new"))
                .extract().jsonPath().getLong("id");
    }

    @Test
    void subscribePollReadChangePollAgain() throws Exception {
        String a = "/" + run + "/outlet-a.xml";
        String wire = "/" + run + "/wire.atom";
        String rdf = "/" + run + "/weekly.rdf";
        String json = "/" + run + "/notes.json";
        server.serveResource(a, "/feeds/rss2/outlet-a.xml", "application/rss+xml")
                .serveResource(wire, "/feeds/atom/wire.xml", "application/atom+xml; charset=utf-8")
                .serveResource(rdf, "/feeds/rdf/weekly.rdf", "application/rdf+xml")
                .serveResource(json, "/feeds/json/notes.json", "application/feed+json");
        String tag = "t" + run;
        long idA = subscribe(a, tag);
        long idWire = subscribe(wire, tag);
        long idRdf = subscribe(rdf, tag);
        long idJson = subscribe(json, tag);

        // The same URL spelled differently is the same subscription.
        given().contentType(ContentType.JSON)
                .body(Map.of("url", server.url(a).replace("http://", "HTTP://") + "/"))
                .when().post("/api/feeds")
                .then().statusCode(409).contentType("application/problem+json")
                .body("existingId", equalTo((int) idA)).body("field", equalTo("url"));

        assertEquals(4, Polls.runDue(scheduler) >= 4 ? 4 : -1, "every new subscription is due at once");
        for (long id : List.of(idA, idWire, idRdf, idJson)) {
            given().when().get("/api/feeds/" + id).then().statusCode(200)
                    .body("status", equalTo("ok")).body("entryCount", equalTo(2))
                    .body("lastHttpStatus", equalTo(200)).body("errorCount", equalTo(0))
                    .body("nextPollAt", notNullValue()).body("nextPollReason", notNullValue());
        }

        JsonPath timeline = given().queryParam("tag", tag).queryParam("limit", 50).when().get("/api/timeline")
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> items = timeline.getList("items");
        assertEquals(7, items.size(), "8 entries, the syndicated article once");
        // Other tests in this class subscribe to copies of the same article; look only at this test's feeds.
        Map<String, Object> article = items.stream()
                .filter(i -> feedIds(i).containsAll(List.of(idA, idWire))).findFirst().orElseThrow();
        List<Map<String, Object>> sources = ((List<Map<String, Object>>) article.get("sources")).stream()
                .filter(s -> List.of(idA, idWire).contains(((Number) s.get("feedId")).longValue())).toList();
        assertEquals(List.of("Wire Foundation", "Outlet A News"), sources.stream().map(s -> s.get("feedTitle")).toList(),
                "the earliest copy first");
        assertEquals("ICE issues subpoenas to Connecticut over released criminal aliens", article.get("title"));
        long storyId = ((Number) article.get("id")).longValue();

        // Newest first, by first publication.
        List<String> published = items.stream().map(i -> (String) i.get("published")).toList();
        assertEquals(published.stream().sorted(java.util.Comparator.reverseOrder()).toList(), published);

        // Output feeds: valid, same count, attributed, cacheable.
        assertOutputFeed("/feed.atom", tag, "application/atom+xml", 7);
        assertOutputFeed("/feed.rss", tag, "application/rss+xml", 7);
        given().queryParam("tag", tag).when().get("/feed.json").then().statusCode(200)
                .contentType("application/feed+json").body("version", equalTo("https://jsonfeed.org/version/1.1"))
                .body("items", hasSize(7))
                .body("items.find { it._tributary.story_id == " + storyId + " }._tributary.sources.feed_id",
                        hasItems((int) idA, (int) idWire));
        String atom = given().queryParam("tag", tag).when().get("/feed.atom").then().extract().asString();
        assertTrue(atom.contains("<source>"), "Atom entries carry their source");
        assertTrue(atom.contains("rel=\"related\""), "other outlets are related links");
        String rss = given().queryParam("tag", tag).when().get("/feed.rss").then().extract().asString();
        assertTrue(rss.contains("<source url=\"" + server.url(wire) + "\">Wire Foundation</source>"), rss);

        // Conditional GET on the output feed.
        Response first = given().queryParam("tag", tag).when().get("/feed.atom");
        String etag = first.getHeader("ETag");
        given().queryParam("tag", tag).header("If-None-Match", etag).when().get("/feed.atom").then().statusCode(304);
        given().queryParam("tag", tag).header("If-Modified-Since", first.getHeader("Last-Modified"))
                .when().get("/feed.atom").then().statusCode(304);

        // The publisher adds one entry; the other feeds answer 304.
        String changed = new String(FeedServer.read("/feeds/rss2/outlet-a.xml"), StandardCharsets.UTF_8)
                .replace("<item>", "<item><title>Brand new item</title><link>https://outlet-a.example/new</link>"
                        + "<guid isPermaLink=\"false\">outlet-a-1002</guid><pubDate>Sat, 08 Feb 2020 10:00:00 GMT</pubDate>"
                        + "<description>new</description></item><item>");
        server.serve(a, changed, "application/rss+xml");
        refresh(idA).body("lastNewEntries", equalTo(1)).body("entryCount", equalTo(3));
        refresh(idWire).body("lastHttpStatus", equalTo(304)).body("lastNewEntries", equalTo(0));
        assertEquals(1, server.fullBodies(wire), "the unchanged feed was not sent again");
        refresh(idA).body("lastNewEntries", equalTo(0)).body("entryCount", equalTo(3));

        given().queryParam("tag", tag).when().get("/api/timeline").then().body("items", hasSize(8))
                .body("items[0].title", equalTo("Brand new item"));
        given().queryParam("tag", tag).header("If-None-Match", etag).when().get("/feed.atom").then().statusCode(200);

        // Renaming a feed shows in the output feed at once, although the feed was answered from memory just before.
        String before = given().queryParam("tag", tag).when().get("/feed.atom").then().extract().asString();
        assertFalse(before.contains("Outlet A, renamed"));
        given().contentType("application/json").body("{\"title\": \"Outlet A, renamed\"}").when()
                .patch("/api/feeds/" + idA).then().statusCode(200);
        assertTrue(given().queryParam("tag", tag).when().get("/feed.atom").then().extract().asString()
                .contains("Outlet A, renamed"), "the cached answer was dropped when the feed changed");

        // A third outlet picks the article up: it joins the story, which neither moves nor gets a new id.
        String c = "/" + run + "/outlet-c.xml";
        server.serve(c, "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Outlet C</title>"
                + "<link>https://outlet-c.example/</link><description>d</description><item>"
                + "<title>Connecticut gets ICE subpoenas</title>"
                + "<link>https://wire.example/2020/02/ice-subpoenas-connecticut?fbclid=abc</link>"
                + "<guid>c-1</guid><pubDate>Mon, 10 Feb 2020 10:00:00 GMT</pubDate><description>Copy</description>"
                + "</item></channel></rss>", "application/rss+xml");
        long idC = subscribe(c, tag);
        refresh(idC).body("lastNewEntries", equalTo(1));
        JsonPath after = given().queryParam("tag", tag).when().get("/api/timeline").then().extract().jsonPath();
        assertEquals(8, after.getList("items").size(), "the third copy is not a new item");
        assertEquals(timeline.getList("items.id").indexOf((int) storyId) + 1, after.getList("items.id").indexOf((int) storyId),
                "the story keeps its place (one new item above it)");
        given().when().get("/api/stories/" + storyId).then().statusCode(200)
                .body("sources.feedId", hasItems((int) idA, (int) idWire, (int) idC))
                .body("sources.joinReason", hasItems("same canonical link"));

        // Deleting a feed takes its entries; the story keeps its other sources.
        given().when().delete("/api/feeds/" + idA).then().statusCode(204);
        given().when().get("/api/feeds/" + idA).then().statusCode(404).contentType("application/problem+json");
        given().when().get("/api/stories/" + storyId).then().statusCode(200)
                .body("sources.feedId", hasItems((int) idWire, (int) idC))
                .body("sources.feedId", not(hasItem((int) idA)));
        given().queryParam("tag", tag).when().get("/api/timeline").then().body("items", hasSize(6));
    }

    @Test
    void theSyndicatedArticleFromThreeOutletsWithDifferentLinksIsOneStory() throws Exception {
        String article = new String(FeedServer.read("/articles/syndicated-article.txt"), StandardCharsets.UTF_8);
        List<String> paragraphs = java.util.Arrays.stream(article.split("\n\n")).map(String::strip)
                .filter(p -> !p.isEmpty()).toList();
        String fullWithBoilerplate = paragraphs.subList(2, paragraphs.size()).stream()
                .map(p -> "<p>" + escape(p) + "</p>").collect(java.util.stream.Collectors.joining());
        String fullClean = paragraphs.subList(2, paragraphs.indexOf(paragraphs.stream()
                .filter(p -> p.startsWith("For licensing")).findFirst().orElseThrow())).stream()
                .map(p -> "<p>" + escape(p) + "</p>").collect(java.util.stream.Collectors.joining());
        String lede = "<p>" + escape(paragraphs.get(5)) + "</p>";
        String tag = "s" + run;
        String[][] outlets = {
            {"bpr", "BizPac Review", escape(paragraphs.get(0)), "https://bizpac.example/2020/02/07/ice-slaps-sanctuary-state/", fullWithBoilerplate, "Fri, 07 Feb 2020 16:00:00 GMT"},
            {"dcnf", "Wire Foundation", "ICE issues subpoenas to Connecticut over released criminal aliens", "https://wire.example/2020/02/07/ice-connecticut-subpoenas", fullClean, "Fri, 07 Feb 2020 14:00:00 GMT"},
            {"local", "Local Ledger", escape(paragraphs.get(0)), "https://ledger.example/news/ice-connecticut", lede, "Fri, 07 Feb 2020 18:30:00 GMT"},
        };
        List<Long> ids = new java.util.ArrayList<>();
        for (String[] o : outlets) {
            String path = "/" + run + "/" + o[0] + ".xml";
            server.serve(path, rss(o[1], o[2], o[3], o[4], o[5], o[0] + "-1"), "application/rss+xml");
            ids.add(subscribe(path, tag));
        }
        // A follow-up on the same topic a month later must stay a story of its own.
        String follow = "/" + run + "/followup.xml";
        server.serve(follow, rss("Wire Foundation Two", "ICE subpoenas New York City over released immigrants",
                "https://wire.example/2020/03/10/ice-nyc-subpoenas",
                "<p>Immigration and Customs Enforcement issued four subpoenas to New York City on Tuesday, seeking records on "
                        + "immigrants released from city jails despite federal detainer requests.</p><p>City officials said "
                        + "they would review the subpoenas but defended local laws that limit cooperation with federal "
                        + "immigration authorities.</p><p>The agency sent similar requests to Connecticut last month.</p>",
                "Tue, 10 Mar 2020 12:00:00 GMT", "f-1"), "application/rss+xml");
        subscribe(follow, tag);
        Polls.runDue(scheduler);
        JsonPath timeline = given().queryParam("tag", tag).when().get("/api/timeline").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(2, timeline.getList("items").size(), timeline.prettify());
        Map<String, Object> story = timeline.<Map<String, Object>>getList("items").stream()
                .filter(i -> feedIds(i).containsAll(ids)).findFirst().orElseThrow();
        assertEquals("ICE issues subpoenas to Connecticut over released criminal aliens", story.get("title"),
                "the earliest copy represents the story");
        long storyId = ((Number) story.get("id")).longValue();
        given().when().get("/api/stories/" + storyId).then()
                .body("sources.joinReason", hasItem(org.hamcrest.Matchers.startsWith("near-duplicate text")));
        // A fourth outlet picks it up later: no new item, same id, same place.
        String late = "/" + run + "/late.xml";
        server.serve(late, rss("Late Gazette", "Connecticut faces ICE subpoenas", "https://gazette.example/ice",
                fullClean, "Sat, 08 Feb 2020 09:00:00 GMT", "late-1"), "application/rss+xml");
        long lateId = subscribe(late, tag);
        Polls.runDue(scheduler);
        JsonPath after = given().queryParam("tag", tag).when().get("/api/timeline").then().extract().jsonPath();
        assertEquals(timeline.getList("items.id"), after.getList("items.id"));
        given().when().get("/api/stories/" + storyId).then().body("sources.feedId", hasItems(ids.get(0).intValue(),
                ids.get(1).intValue(), ids.get(2).intValue(), (int) lateId));
        String atom = given().queryParam("tag", tag).when().get("/feed.atom").then().statusCode(200).extract().asString();
        assertEquals(2, new SyndFeedInput().build(new StringReader(atom)).getEntries().size());
    }

    @Test
    void aCopyThatMatchesTwoStoriesMergesThemIntoTheOlderOne() throws Exception {
        // The order in which the outlets' copies arrive must not change the outcome. Here the one-paragraph summary
        // comes first: it shares its headline with the republished copy but not with the agency's, so the agency's
        // copy, second, starts a story of its own; the republished copy, third, matches both, which merges them.
        String article = new String(FeedServer.read("/articles/syndicated-article.txt"), StandardCharsets.UTF_8);
        List<String> paragraphs = java.util.Arrays.stream(article.split("\n\n")).map(String::strip)
                .filter(p -> !p.isEmpty()).toList();
        String full = paragraphs.subList(2, paragraphs.size()).stream().map(p -> "<p>" + escape(p) + "</p>")
                .collect(java.util.stream.Collectors.joining());
        String tag = "m" + run;
        String[][] outlets = {
            {"local", "Local Ledger", escape(paragraphs.get(0)), "https://ledger.example/news/ice-ct",
                "<p>" + escape(paragraphs.get(5)) + "</p>", "Fri, 07 Feb 2020 18:30:00 GMT"},
            {"wire", "Wire Foundation", "ICE issues subpoenas to Connecticut over released criminal aliens",
                "https://wire.example/2020/02/07/ice-ct", full, "Fri, 07 Feb 2020 14:00:00 GMT"},
            {"bpr", "BizPac Review", escape(paragraphs.get(0)), "https://bizpac.example/2020/02/07/ice-ct/", full,
                "Fri, 07 Feb 2020 16:00:00 GMT"},
        };
        List<Long> ids = new java.util.ArrayList<>();
        List<Long> storyOf = new java.util.ArrayList<>();
        for (String[] o : outlets) {
            String path = "/" + run + "/m-" + o[0] + ".xml";
            server.serve(path, rss(o[1], o[2], o[3], o[4], o[5], o[0] + "-m"), "application/rss+xml");
            ids.add(subscribe(path, tag));
            Polls.runDue(scheduler); // one outlet at a time, in this order
            JsonPath t = given().queryParam("tag", tag).when().get("/api/timeline").then().statusCode(200)
                    .extract().jsonPath();
            storyOf.add(t.<Map<String, Object>>getList("items").stream().filter(i -> feedIds(i).contains(ids.get(ids.size() - 1)))
                    .map(i -> ((Number) i.get("id")).longValue()).findFirst().orElseThrow());
        }
        assertTrue(!storyOf.get(0).equals(storyOf.get(1)), "the agency's copy does not match the summary alone");
        JsonPath timeline = given().queryParam("tag", tag).when().get("/api/timeline").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(1, timeline.getList("items").size(), timeline.prettify());
        Map<String, Object> story = timeline.<Map<String, Object>>getList("items").get(0);
        assertEquals(storyOf.get(0), ((Number) story.get("id")).longValue(), "the older story is kept, with its id");
        assertTrue(feedIds(story).containsAll(ids), "every outlet is a source: " + feedIds(story));
        given().when().get("/api/stories/" + storyOf.get(1)).then().statusCode(404);
        given().when().get("/api/stories/" + storyOf.get(0)).then().statusCode(200)
                .body("sources.joinReason", hasItem("merged with this story through a later copy"));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String rss(String feedTitle, String title, String link, String html, String date, String guid) {
        return "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>" + feedTitle + "</title><link>https://"
                + guid.replaceAll("[^a-z]", "") + ".example/</link><description>d</description><item><title>" + title
                + "</title><link>" + link + "</link><guid isPermaLink=\"false\">" + guid + "</guid><pubDate>" + date
                + "</pubDate><description><![CDATA[" + html + "]]></description></item></channel></rss>";
    }

    @Test
    void cursorPaginationStaysCorrectWhileEntriesArrive() throws Exception {
        String path = "/" + run + "/many.xml";
        server.serve(path, Fixtures.feedWithItems(0, 12), "application/rss+xml");
        String tag = "p" + run;
        long id = subscribe(path, tag);
        Polls.runDue(scheduler);
        JsonPath page1 = given().queryParam("tag", tag).queryParam("limit", 5).when().get("/api/timeline")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("item 11", "item 10", "item 9", "item 8", "item 7"), page1.getList("items.title"));
        // Newer entries arrive between page 1 and page 2.
        server.serve(path, Fixtures.feedWithItems(0, 15), "application/rss+xml");
        refresh(id).body("lastNewEntries", equalTo(3));
        JsonPath page2 = given().queryParam("tag", tag).queryParam("limit", 5).queryParam("cursor", page1.getString("next"))
                .when().get("/api/timeline").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("item 6", "item 5", "item 4", "item 3", "item 2"), page2.getList("items.title"));
        JsonPath page3 = given().queryParam("tag", tag).queryParam("limit", 5).queryParam("cursor", page2.getString("next"))
                .when().get("/api/timeline").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("item 1", "item 0"), page3.getList("items.title"));
        assertEquals(null, page3.getString("next"));
        given().queryParam("tag", tag).queryParam("q", "ITEM 1").when().get("/api/timeline").then()
                .body("items.title", hasItems("item 1", "item 10", "item 11", "item 12", "item 13", "item 14"))
                .body("items", hasSize(6));
        given().queryParam("feed", id).queryParam("since", "2020-01-01T05:00:00Z").queryParam("until", "2020-01-01T07:00:00Z")
                .when().get("/api/timeline").then().body("items.title", equalTo(List.of("item 6", "item 5")));
    }

    @Test
    void brokenFeedRecordsAnErrorAndKeepsItsEntries() throws Exception {
        String path = "/" + run + "/turns-bad.xml";
        server.serve(path, Fixtures.feedWithItems(0, 3), "application/rss+xml");
        long id = subscribe(path, "b" + run);
        Polls.runDue(scheduler);
        server.serveResource(path, "/feeds/broken/page.html", "text/html");
        refresh(id).body("status", equalTo("erroring")).body("errorCount", equalTo(1))
                .body("lastError", containsString("not a feed")).body("entryCount", equalTo(3))
                .body("nextPollReason", containsString("backoff after 1 error"));
        server.reply(path, new FeedServer.Reply(500, Map.of(), "oops".getBytes(StandardCharsets.UTF_8)));
        refresh(id).body("errorCount", equalTo(2)).body("lastError", equalTo("HTTP 500")).body("entryCount", equalTo(3));
        given().when().get("/api/feeds/" + id + "/polls").then().statusCode(200).body("outcome",
                equalTo(List.of("http_error", "not_a_feed", "ok")));
        given().queryParam("status", "erroring").when().get("/api/feeds").then().body("id", hasItems((int) id));
        server.serve(path, Fixtures.feedWithItems(0, 4), "application/rss+xml");
        refresh(id).body("status", equalTo("ok")).body("errorCount", equalTo(0)).body("entryCount", equalTo(4));
    }

    @Test
    void goneFeedIsPausedWithTheReasonVisible() throws Exception {
        String path = "/" + run + "/gone.xml";
        server.reply(path, new FeedServer.Reply(410, Map.of(), null));
        long id = subscribe(path, "g" + run);
        Polls.runDue(scheduler);
        given().when().get("/api/feeds/" + id).then().body("status", equalTo("gone")).body("paused", equalTo(true))
                .body("nextPollReason", containsString("gone"));
    }

    @SuppressWarnings("unchecked")
    static List<Long> feedIds(Map<String, Object> item) {
        return ((List<Map<String, Object>>) item.get("sources")).stream()
                .map(s -> ((Number) s.get("feedId")).longValue()).toList();
    }

    io.restassured.response.ValidatableResponse refresh(long id) {
        return given().when().post("/api/feeds/" + id + "/refresh").then().statusCode(200);
    }

    private void assertOutputFeed(String path, String tag, String contentType, int items) throws Exception {
        String body = given().queryParam("tag", tag).when().get(path).then().statusCode(200)
                .contentType(contentType).header("ETag", notNullValue()).header("Last-Modified", notNullValue())
                .extract().asString();
        SyndFeed parsed = new SyndFeedInput().build(new StringReader(body));
        assertEquals(items, parsed.getEntries().size());
        assertTrue(parsed.getEntries().stream().allMatch(e -> e.getUri() != null && e.getUri().startsWith("urn:tributary:story:")));
    }
}
