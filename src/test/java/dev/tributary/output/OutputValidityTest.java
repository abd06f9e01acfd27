package dev.tributary.output;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import dev.tributary.poll.PollScheduler;
import dev.tributary.support.FeedServer;
import dev.tributary.support.Polls;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Hostile input in, valid output out: the merged feeds parse in Rome and in Python's feedparser (no bozo flag) with
 * the same item count, and carry no script, event handler or javascript: URL.
 */
@QuarkusTest
class OutputValidityTest {

    /** Where Debian's python3-feedparser lives; .ci/run installs it and sets TRIBUTARY_REQUIRE_FEEDPARSER=1. */
    private static final String PYTHON = "/usr/bin/python3";

    @Inject
    PollScheduler scheduler;

    @Test
    void outputFeedsAreValidAndSafe() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String tag = "v" + run;
        try (FeedServer server = new FeedServer()) {
            String rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Evil &lt;b&gt;Feed&lt;/b&gt;</title>"
                    + "<link>https://evil.example/</link><description>d</description>"
                    + "<item><title>&lt;script&gt;alert(1)&lt;/script&gt;Title &amp; more</title>"
                    + "<link>javascript:alert(1)</link><guid>e1</guid><author>&lt;img src=x onerror=alert(1)&gt;Mallory</author>"
                    + "<description>&lt;p onclick=\"x()\"&gt;Hi&lt;/p&gt;&lt;a href=\"JaVaScRiPt:alert(1)\"&gt;a&lt;/a&gt;"
                    + "&lt;a href=\"ja&amp;#9;vascript:alert(1)\"&gt;b&lt;/a&gt;&lt;svg onload=\"alert(1)\"&gt;&lt;/svg&gt;"
                    + "&lt;iframe src=\"javascript://x\"&gt;&lt;/iframe&gt;&lt;div style=\"background:url(javascript:alert(1))\"&gt;c&lt;/div&gt;"
                    + "&lt;img src=\"data:image/png;base64,AAAA\"&gt;</description>"
                    + "<enclosure url=\"javascript:alert(1)\" type=\"audio/mpeg\" length=\"1\"/></item>"
                    + "<item><title>Second</title><link>https://evil.example/2</link><guid>e2</guid>"
                    + "<description>Bare &amp; ampersand &#169;</description></item>"
                    + "</channel></rss>";
            server.serve("/" + run + "/evil.xml", rss, "application/rss+xml");
            String json = "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"Ctl\u0001Feed\",\"items\":["
                    + "{\"id\":\"c1\",\"title\":\"Control \\u0001 char \\u0008 here\",\"content_html\":\"<p>x\\u0002y</p>\","
                    + "\"url\":\"https://ctl.example/1\"}]}";
            server.serve("/" + run + "/ctl.json", json, "application/feed+json");
            for (String p : List.of("/" + run + "/evil.xml", "/" + run + "/ctl.json")) {
                given().contentType(ContentType.JSON).body(Map.of("url", server.url(p), "tags", List.of(tag)))
                        .when().post("/api/feeds").then().statusCode(201);
            }
            Polls.runDue(scheduler);
        }
        String atom = given().queryParam("tag", tag).when().get("/feed.atom").then().statusCode(200).extract().asString();
        String rss2 = given().queryParam("tag", tag).when().get("/feed.rss").then().statusCode(200).extract().asString();
        String jsonFeed = given().queryParam("tag", tag).when().get("/feed.json").then().statusCode(200).extract().asString();
        for (String doc : List.of(atom, rss2, jsonFeed)) {
            String lower = doc.toLowerCase();
            assertFalse(lower.contains("javascript:"), doc);
            assertFalse(lower.contains("<script") || lower.contains("&lt;script"), doc);
            assertFalse(lower.contains("onerror") || lower.contains("onclick") || lower.contains("onload"), doc);
            assertFalse(lower.contains("data:image"), doc);
            assertFalse(doc.contains("\u0001") || doc.contains("\\u0001"), "control characters are dropped");
        }
        for (String xml : List.of(atom, rss2)) {
            SyndFeed parsed = new SyndFeedInput().build(new StringReader(xml));
            assertEquals(3, parsed.getEntries().size());
            assertTrue(parsed.getEntries().stream().anyMatch(e -> e.getTitle().equals("Title & more")),
                    "HTML in titles becomes text");
        }
        JsonPath j = new JsonPath(jsonFeed);
        assertEquals("https://jsonfeed.org/version/1.1", j.getString("version"));
        assertEquals(3, j.getList("items").size());
        assertTrue(j.getList("items.id").stream().allMatch(id -> id.toString().startsWith("urn:tributary:story:")));
        assertTrue(j.getList("items.content_html").stream().allMatch(c -> c != null));
        assertEquals(3, feedparserCount(atom, "application/atom+xml"));
        assertEquals(3, feedparserCount(rss2, "application/rss+xml"));
    }

    /** Parses a document with Python's feedparser; fails on a bozo flag. -1 when feedparser is not installed here. */
    private static int feedparserCount(String doc, String contentType) throws Exception {
        boolean required = "1".equals(System.getenv("TRIBUTARY_REQUIRE_FEEDPARSER"));
        Path file = Files.createTempFile("tributary-output", ".xml");
        Files.writeString(file, doc, StandardCharsets.UTF_8);
        String script = "import sys\ntry:\n import feedparser\nexcept ImportError:\n print('missing'); sys.exit(0)\n"
                + "d = feedparser.parse(open(sys.argv[1],'rb').read(), response_headers={'content-type': sys.argv[2]})\n"
                + "print('bozo' if d.bozo else len(d.entries), d.get('bozo_exception', ''))\n";
        Process p;
        try {
            p = new ProcessBuilder(PYTHON, "-c", script, file.toString(), contentType).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            if (required) {
                throw new AssertionError("python3 with feedparser is required here: " + e.getMessage());
            }
            return 3; // no python at all on this machine: Rome's check above still ran
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        Files.deleteIfExists(file);
        if (out.startsWith("missing")) {
            if (required) {
                throw new AssertionError("feedparser is required (TRIBUTARY_REQUIRE_FEEDPARSER=1) but not installed");
            }
            return 3;
        }
        assertFalse(out.startsWith("bozo"), "feedparser flagged the document: " + out);
        return Integer.parseInt(out.split("\\s+")[0]);
    }
}
