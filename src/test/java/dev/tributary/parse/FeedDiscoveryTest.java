package dev.tributary.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Feed autodiscovery from a web page's head. */
class FeedDiscoveryTest {

    private static Optional<String> find(String html, String pageUrl) {
        return FeedDiscovery.find(html.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8", pageUrl);
    }

    @Test
    void theFirstFeedLinkWinsMadeAbsoluteAgainstThePage() {
        String page = "<!DOCTYPE html><html><head><title>Harbour News</title>"
                + "<link rel=\"stylesheet\" type=\"text/css\" href=\"/style.css\">"
                + "<link rel=\"alternate\" type=\"text/html\" hreflang=\"fr\" href=\"/fr/\">"
                + "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"All stories\" href=\"feed.xml\">"
                + "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Comments\" href=\"/comments.atom\">"
                + "</head><body><p>Hello</p></body></html>";
        assertEquals(Optional.of("https://harbour.example/news/feed.xml"), find(page, "https://harbour.example/news/"));
    }

    @Test
    void atomJsonFeedBaseHrefAndRelListsAreRead() {
        assertEquals(Optional.of("https://cdn.example/feeds/site.atom"), find("<html><head><base href=\"https://cdn.example/feeds/\">"
                + "<link rel=\"Alternate feed\" type=\"application/atom+xml; charset=utf-8\" href=\"site.atom\"></head></html>",
                "https://site.example/"));
        assertEquals(Optional.of("https://site.example/feed.json"), find("<html><head><link rel=\"alternate\" "
                + "type=\"application/feed+json\" href=\"/feed.json\"></head></html>", "https://site.example/about"));
    }

    @Test
    void aFeedTypeWinsOverAGenericOneWhereverItStands() {
        String wordpress = "<html><head><link rel=\"alternate\" type=\"application/json\" "
                + "href=\"https://blog.example/wp-json/wp/v2/pages/2\"><link rel=\"alternate\" "
                + "type=\"application/json+oembed\" href=\"https://blog.example/oembed\"><link rel=\"alternate\" "
                + "type=\"application/rss+xml\" href=\"https://blog.example/feed/\"></head></html>";
        assertEquals(Optional.of("https://blog.example/feed/"), find(wordpress, "https://blog.example/about/"));
        assertEquals(Optional.of("https://json.example/feed.json"), find("<html><head><link rel=\"alternate\" "
                + "type=\"application/json\" href=\"/feed.json\"></head></html>", "https://json.example/"),
                "a generic type when the page names no other");
    }

    @Test
    void pagesWithoutAnHttpFeedLinkNameNone() {
        assertEquals(Optional.empty(), find("<html><head><title>t</title></head><body><a href=\"/feed.xml\">RSS</a>"
                + "</body></html>", "https://site.example/"));
        assertEquals(Optional.empty(), find("<html><head><link rel=\"alternate\" type=\"application/rss+xml\" "
                + "href=\"javascript:alert(1)\"><link rel=\"alternate\" type=\"application/rss+xml\" "
                + "href=\"file:///etc/passwd\"></head></html>", "https://site.example/"));
        assertEquals(Optional.empty(), FeedDiscovery.find(new byte[0], "text/html", "https://site.example/"));
    }

    @Test
    void anIllegalCharsetNameIsIgnored() {
        byte[] page = "<html><head><link rel=alternate type=application/rss+xml href=/rss></head></html>"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(Optional.of("https://site.example/rss"), FeedDiscovery.find(page, "text/html; charset=\"no such;",
                "https://site.example/"));
    }

    @Test
    void webPagesAreToldFromOtherBodies() {
        assertTrue(FeedDiscovery.looksLikeHtml(new byte[0], "text/html; charset=utf-8"));
        assertTrue(FeedDiscovery.looksLikeHtml("\n<!DOCTYPE html><html>".getBytes(StandardCharsets.UTF_8), "application/xml"));
        assertTrue(FeedDiscovery.looksLikeHtml("<HTML><HEAD>".getBytes(StandardCharsets.UTF_8), null));
        assertFalse(FeedDiscovery.looksLikeHtml("<rss version=\"2.0\"><channel>".getBytes(StandardCharsets.UTF_8),
                "application/rss+xml"));
        assertFalse(FeedDiscovery.looksLikeHtml("{\"version\":1}".getBytes(StandardCharsets.UTF_8), "application/json"));
    }
}
