package dev.tributary.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.support.FeedServer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeedParserTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private final FeedParser parser = new FeedParser(1000);

    private ParsedFeed parse(String resource, String url) throws FeedParseException {
        return parser.parse(FeedServer.read(resource), "application/xml", url, NOW);
    }

    @Test
    void rss2WithSyndicatedArticle() throws Exception {
        ParsedFeed feed = parse("/feeds/rss2/outlet-a.xml", "https://outlet-a.example/feed");
        assertEquals("Outlet A News", feed.title());
        assertEquals(java.time.Duration.ofMinutes(30), feed.publishHint());
        assertEquals(2, feed.entries().size());
        ParsedEntry article = feed.entries().get(0);
        assertEquals("g:outlet-a-1001", article.key());
        assertTrue(article.title().startsWith("ICE slaps another"));
        assertEquals("Jason Hopkins, DCNF", article.author());
        assertEquals(Instant.parse("2020-02-07T15:00:00Z"), article.published());
        assertTrue(article.content().contains("Court Support Services Division"));
        assertTrue(article.content().contains("DONATE TO BIZPAC REVIEW"), "boilerplate is content too, as published");
        assertEquals("wire.example/2020/02/ice-subpoenas-connecticut", article.canonicalLink());
        assertEquals(List.of("Immigration"), article.categories());
    }

    @Test
    void htmlIsSanitizedAndLinksMadeAbsolute() throws Exception {
        ParsedEntry council = parse("/feeds/rss2/outlet-a.xml", "https://outlet-a.example/feed").entries().get(1);
        assertEquals("Local council approves budget for 2020", council.title(), "titles are plain text");
        assertEquals("https://outlet-a.example/2020/02/council-budget", council.link());
        assertFalse(council.summary().contains("script"));
        assertFalse(council.summary().toLowerCase().contains("javascript:"));
        assertFalse(council.summary().contains("onerror"));
        assertTrue(council.summary().contains("src=\"https://outlet-a.example/img/council.jpg\""), council.summary());
        assertEquals(1, council.enclosures().size());
        assertEquals(12345L, council.enclosures().get(0).length());
    }

    @Test
    void atomEntriesUseIdAndCanonicaliseAmpLinks() throws Exception {
        ParsedFeed feed = parse("/feeds/atom/wire.xml", "https://wire.example/feed.atom");
        ParsedEntry e = feed.entries().get(0);
        assertEquals("g:https://wire.example/2020/02/ice-subpoenas-connecticut/", e.key());
        assertEquals("wire.example/2020/02/ice-subpoenas-connecticut", e.canonicalLink());
        assertNotNull(e.summary());
        assertEquals("https://wire.example/", feed.siteUrl(), "the alternate link, not self");
    }

    @Test
    void rdfAndJsonFeed() throws Exception {
        ParsedFeed rdf = parse("/feeds/rdf/weekly.rdf", "https://rdf.example/rss");
        assertEquals(2, rdf.entries().size());
        assertEquals("First RDF item", rdf.entries().get(0).title());
        ParsedFeed json = parser.parse(FeedServer.read("/feeds/json/notes.json"), "application/feed+json",
                "https://json.example/feed.json", NOW);
        assertEquals("JSON Notes", json.title());
        assertEquals(2, json.entries().size());
        assertEquals("g:note-2", json.entries().get(0).key());
        assertEquals("Ann", json.entries().get(0).author());
        assertEquals(List.of("notes"), json.entries().get(0).categories());
        assertEquals(42L, json.entries().get(1).enclosures().get(0).length());
        assertTrue(json.entries().get(1).content().contains("Plain text body"));
    }

    @Test
    void repeatedGuidsFallBackToGuidPlusLinkAndMissingIdsToHash() throws Exception {
        String xml = "<rss version=\"2.0\"><channel><title>t</title><link>https://s.example/</link><description>d</description>"
                + "<item><guid>same</guid><link>https://s.example/1</link><title>one</title></item>"
                + "<item><guid>same</guid><link>https://s.example/2</link><title>two</title></item>"
                + "<item><title>no id</title><description>body</description></item>"
                + "</channel></rss>";
        List<ParsedEntry> entries = parser.parse(xml.getBytes(StandardCharsets.UTF_8), null, "https://s.example/f", NOW).entries();
        assertEquals(3, entries.size());
        assertTrue(entries.stream().anyMatch(e -> e.key().equals("gl:same|https://s.example/1")));
        assertTrue(entries.stream().anyMatch(e -> e.key().equals("gl:same|https://s.example/2")));
        assertTrue(entries.stream().anyMatch(e -> e.key().startsWith("h:")));
        // stable across parses
        List<ParsedEntry> again = parser.parse(xml.getBytes(StandardCharsets.UTF_8), null, "https://s.example/f", NOW).entries();
        assertEquals(entries.stream().map(ParsedEntry::key).toList(), again.stream().map(ParsedEntry::key).toList());
    }

    @Test
    void futureDatesAreClampedAndMissingDatesAreFirstSeen() throws Exception {
        String xml = "<rss version=\"2.0\"><channel><title>t</title><link>https://s.example/</link><description>d</description>"
                + "<item><guid>a</guid><title>future</title><pubDate>Fri, 31 Dec 9999 23:59:59 GMT</pubDate></item>"
                + "<item><guid>b</guid><title>none</title></item></channel></rss>";
        List<ParsedEntry> entries = parser.parse(xml.getBytes(StandardCharsets.UTF_8), null, "https://s.example/f", NOW).entries();
        assertTrue(entries.stream().allMatch(e -> e.published().equals(NOW)));
    }

    @Test
    void windows1251DeclaredInPrologAndIllegalCharacters() throws Exception {
        ParsedFeed feed = parse("/feeds/encoding/windows-1251.xml", "https://ru.example/rss");
        assertEquals("Новости", feed.title());
        ParsedEntry e = feed.entries().get(0);
        assertTrue(e.title().startsWith("Привет &"), e.title());
        assertTrue(e.title().endsWith("мир"), e.title());
        assertFalse(e.summary().contains("\u0001"));
    }

    @Test
    void skipHoursAndDaysAreRead() throws Exception {
        String xml = "<rss version=\"2.0\"><channel><title>t</title><link>https://s.example/</link><description>d</description>"
                + "<skipHours><hour>0</hour><hour>1</hour></skipHours><skipDays><day>Sunday</day></skipDays>"
                + "<item><guid>a</guid><title>x</title></item></channel></rss>";
        ParsedFeed feed = parser.parse(xml.getBytes(StandardCharsets.UTF_8), null, "https://s.example/f", NOW);
        assertEquals(java.util.Set.of(0, 1), feed.skip().hours());
        assertEquals(java.util.Set.of(java.time.DayOfWeek.SUNDAY), feed.skip().days());
    }

    @Test
    void utf16WithBomAndJunkBeforeThePrologAndAHeaderThatLies() throws Exception {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss version=\"2.0\"><channel><title>Ünïcödé</title>"
                + "<link>https://u.example/</link><description>d</description><item><guid>1</guid><title>Grüße</title>"
                + "</item></channel></rss>";
        byte[] utf16 = ("\uFEFF" + xml).getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        assertEquals("Grüße", parser.parse(utf16, null, "https://u.example/f", NOW).entries().get(0).title());
        // junk (a PHP warning, whitespace) before the prolog
        byte[] junk = ("\n\nWarning: something happened\n" + xml.replace("UTF-16", "UTF-8")).getBytes(StandardCharsets.UTF_8);
        assertEquals("Grüße", parser.parse(junk, "text/xml", "https://u.example/f", NOW).entries().get(0).title());
        // a UTF-8 header over an ISO-8859-1 body: decoded, the bad bytes replaced, never a failed feed
        byte[] latin1 = xml.replace("UTF-16", "ISO-8859-1").getBytes(StandardCharsets.ISO_8859_1);
        ParsedFeed lying = parser.parse(latin1, "application/rss+xml; charset=utf-8", "https://u.example/f", NOW);
        assertEquals(1, lying.entries().size());
        assertTrue(lying.entries().get(0).title().startsWith("Gr"));
    }

    @Test
    void longGuidIsHashedIntoTheKey() throws Exception {
        String guid = "x".repeat(10_000);
        String xml = "<rss version=\"2.0\"><channel><title>t</title><link>https://s.example/</link><description>d</description>"
                + "<item><guid>" + guid + "</guid><title>long</title></item></channel></rss>";
        ParsedEntry e = parser.parse(xml.getBytes(StandardCharsets.UTF_8), null, "https://s.example/f", NOW).entries().get(0);
        assertTrue(e.key().length() <= 300);
        assertTrue(e.guid().length() <= 2048);
    }

    @ParameterizedTest
    @CsvSource({
        "/feeds/broken/page.html, not a feed",
        "/feeds/broken/truncated.xml, invalid feed",
        "/feeds/hostile/xxe.xml, invalid feed",
        "/feeds/hostile/billion-laughs.xml, invalid feed",
    })
    void brokenAndHostileDocumentsAreRefusedWithAClearMessage(String resource, String prefix) {
        FeedParseException e = assertThrows(FeedParseException.class, () -> parse(resource, "https://x.example/"));
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }

    @Test
    void emptyBodyAndUnknownJsonAreNotFeeds() {
        assertThrows(FeedParseException.class, () -> parser.parse(new byte[0], null, "https://x.example/", NOW));
        FeedParseException e = assertThrows(FeedParseException.class,
                () -> parser.parse("{\"a\":1}".getBytes(StandardCharsets.UTF_8), null, "https://x.example/", NOW));
        assertTrue(e.getMessage().startsWith("not a feed"));
    }

    @Test
    void entryCapKeepsTheNewest() throws Exception {
        StringBuilder sb = new StringBuilder("<rss version=\"2.0\"><channel><title>t</title><link>https://s.example/</link>"
                + "<description>d</description>");
        for (int i = 0; i < 30; i++) {
            sb.append("<item><guid>").append(i).append("</guid><title>e").append(i).append("</title><pubDate>")
                    .append(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                            NOW.minusSeconds(3600L * (30 - i)).atZone(java.time.ZoneOffset.UTC)))
                    .append("</pubDate></item>");
        }
        sb.append("</channel></rss>");
        List<ParsedEntry> entries = new FeedParser(10).parse(sb.toString().getBytes(StandardCharsets.UTF_8), null,
                "https://s.example/f", NOW).entries();
        assertEquals(10, entries.size());
        assertEquals("e29", entries.get(0).title());
        assertNull(entries.stream().filter(e -> e.title().equals("e0")).findFirst().orElse(null));
    }
}
