package dev.tributary.timeline;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.poll.PollScheduler;
import dev.tributary.support.FeedServer;
import dev.tributary.support.Polls;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A filter naming feeds (a feed, a tag) is answered either from those feeds' entries or by walking stories newest
 * first, whichever is cheaper for its size. Both plans must give the same pages: here each filter is paged through
 * with a cursor under both, and checked against the order worked out from the feeds themselves (a story's place is
 * the publication of its first stored copy, not the date of the copy the filter matched). Runs on H2 here and on PostgreSQL in the subclass.
 */
@QuarkusTest
class TimelinePlansTest {

    private static final Pattern STORY = Pattern.compile("/story-(\\d+)");
    private static final Instant T0 = Instant.parse("2020-01-01T00:00:00Z");

    @Inject
    PollScheduler scheduler;
    @Inject
    TimelineQuery query;

    @Test
    void bothPlansPageThroughEveryFilterInStoryOrder() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // Outlet A carries stories 0-9 and is stored first; B carries 3 (at 07:30: by entry date B's 3 comes before
        // its 7, by story place after it), 7, 10 and 11; C carries 7 and 12. A copy joins its story by the shared link
        // (B's with a tracking parameter), and the story keeps the place its first stored copy gave it.
        StringBuilder a = new StringBuilder();
        for (int i = 0; i <= 9; i++) {
            a.append(item(run, "a", i, T0.plusSeconds(3600L * i), i == 3 ? "The ferry timetable changes." : ""));
        }
        String b = item(run, "b", 3, T0.plusSeconds(3600L * 7 + 1800), "The ferry timetable changes.")
                + item(run, "b", 7, T0.plusSeconds(3600L * 7 + 600), "")
                + item(run, "b", 10, T0.plusSeconds(36000), "A ferry strike is called off.")
                + item(run, "b", 11, T0.plusSeconds(39600), "");
        String c = item(run, "c", 7, T0.plusSeconds(3600L * 7 + 1200), "") + item(run, "c", 12, T0.plusSeconds(43200), "");
        try (FeedServer server = new FeedServer()) {
            long fa = subscribe(server, run, "a", a.toString(), "x" + run);
            Polls.runDue(scheduler);
            long fb = subscribe(server, run, "b", b, "x" + run);
            long fc = subscribe(server, run, "c", c, "y" + run);
            Polls.runDue(scheduler);

            String x = "x" + run;
            String y = "y" + run;
            check(new TimelineFilter(fa, null, null, null, null), List.of(9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
            check(new TimelineFilter(fb, null, null, null, null), List.of(11, 10, 7, 3));
            check(new TimelineFilter(fc, null, null, null, null), List.of(12, 7));
            check(new TimelineFilter(null, x, null, null, null), List.of(11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
            check(new TimelineFilter(null, y, null, null, null), List.of(12, 7));
            check(new TimelineFilter(fc, x, null, null, null), List.of());
            check(new TimelineFilter(fb, x, null, null, null), List.of(11, 10, 7, 3));
            check(new TimelineFilter(null, x, null, null, "FERRY"), List.of(10, 3));
            check(new TimelineFilter(fb, null, T0.plusSeconds(3600), T0.plusSeconds(8 * 3600), null), List.of(7, 3));
            check(new TimelineFilter(null, "no-such-tag-" + run, null, null, null), List.of());
        }
    }

    /** Pages of two under each plan, through to the end: the stories, by number, in the expected order. */
    private void check(TimelineFilter filter, List<Integer> expected) {
        assertEquals(expected, pages(filter, -1), "walking stories: " + filter);
        assertEquals(expected, pages(filter, 1_000_000), "from the feeds' entries: " + filter);
    }

    private List<Integer> pages(TimelineFilter filter, int fromEntriesMax) {
        List<Integer> seen = new ArrayList<>();
        Cursor after = null;
        for (int page = 0; page < 20; page++) {
            Cursor cursor = after;
            List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> query.storyRows(filter, cursor, 2, fromEntriesMax));
            for (Object[] r : rows) {
                String link = QuarkusTransaction.requiringNew().call(() -> query.story((Long) r[0])).link();
                Matcher m = STORY.matcher(link);
                seen.add(m.find() ? Integer.parseInt(m.group(1)) : -1);
            }
            if (rows.size() < 2) {
                return seen;
            }
            Object[] last = rows.get(rows.size() - 1);
            after = new Cursor((Instant) last[1], (Long) last[0]);
        }
        throw new AssertionError("more than 20 pages for " + filter + ": " + seen);
    }

    private static long subscribe(FeedServer server, String run, String outlet, String items, String tag) {
        String path = "/" + run + "/" + outlet + ".xml";
        server.serve(path, "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Outlet " + outlet + "</title>"
                + "<link>https://" + outlet + ".example/</link><description>d</description>" + items + "</channel></rss>",
                "application/rss+xml");
        return given().contentType(ContentType.JSON).body(Map.of("url", server.url(path), "tags", List.of(tag)))
                .when().post("/api/feeds").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** Story n as outlet o prints it: the wire's link (B adds a tracking parameter), its own words around the news. */
    private static String item(String run, String outlet, int n, Instant published, String news) {
        String link = "https://wire.example/" + run + "/story-" + n + (outlet.equals("b") ? "?utm_source=b" : "");
        return "<item><title>Report " + n + " from " + outlet + "</title><link>" + link + "</link><guid>" + link
                + "</guid><pubDate>" + java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        published.atOffset(java.time.ZoneOffset.UTC)) + "</pubDate><description>Outlet " + outlet
                + " number " + n + ". " + news + "</description></item>";
    }
}
