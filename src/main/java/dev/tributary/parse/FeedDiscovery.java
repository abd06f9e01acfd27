package dev.tributary.parse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Feed autodiscovery: the feed a web page names in its head, {@code <link rel="alternate" type="application/rss+xml"
 * href="...">} (or Atom, or JSON Feed), so that a subscription to a site's address reads the site's feed. The first
 * such link in document order wins (a page lists its main feed first; comment feeds follow), before any link of a
 * generic type ({@code application/json}, {@code application/xml}); its address is made absolute against the page
 * (and its {@code <base href>}) and must be http(s).
 */
public final class FeedDiscovery {

    /** The link types that name a feed. */
    private static final List<String> FEED_TYPES = List.of("application/rss+xml", "application/atom+xml",
            "application/feed+json", "application/rdf+xml");
    /**
     * Types some pages give their feed too, but also other documents (WordPress links every page's REST API record as
     * {@code application/json}): taken only when the page names no feed by a feed type.
     */
    private static final List<String> GENERIC_TYPES = List.of("application/json", "text/xml", "application/xml");

    /** How much of a page is read for its links: the head comes first, and a feed link in the body is rare. */
    private static final int MAX_BYTES = 512 * 1024;

    private FeedDiscovery() {
    }

    /**
     * Whether a body that failed to parse as a feed is a web page: served as HTML, or opening like one (a doctype or
     * an {@code <html>} tag among its first bytes).
     */
    public static boolean looksLikeHtml(byte[] body, String contentType) {
        if (contentType != null) {
            String type = contentType.toLowerCase(Locale.ROOT);
            if (type.startsWith("text/html") || type.startsWith("application/xhtml+xml")) {
                return true;
            }
        }
        if (body == null) {
            return false;
        }
        String start = new String(body, 0, Math.min(body.length, 1024), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        return start.contains("<!doctype html") || start.contains("<html");
    }

    /** The feed this page names, absolute; empty when it names none (or only ones that are not http(s)). */
    public static Optional<String> find(byte[] body, String contentType, String pageUrl) {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        Document page;
        try {
            byte[] head = body.length > MAX_BYTES ? java.util.Arrays.copyOf(body, MAX_BYTES) : body;
            page = Jsoup.parse(new ByteArrayInputStream(head), charset(contentType), pageUrl);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array cannot fail to read
        }
        Optional<String> generic = Optional.empty();
        for (Element link : page.select("link[rel][href][type]")) {
            boolean alternate = List.of(link.attr("rel").toLowerCase(Locale.ROOT).split("\\s+")).contains("alternate");
            String type = link.attr("type").toLowerCase(Locale.ROOT).split(";")[0].trim();
            if (!alternate) {
                continue;
            }
            if (FEED_TYPES.contains(type)) {
                Optional<String> url = httpUrl(link);
                if (url.isPresent()) {
                    return url;
                }
            } else if (generic.isEmpty() && GENERIC_TYPES.contains(type)) {
                generic = httpUrl(link);
            }
        }
        return generic;
    }

    /** The charset a Content-Type names, or null (jsoup then reads the page's meta tag, else UTF-8). */
    private static String charset(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String part : contentType.split(";")) {
            String p = part.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                String name = p.substring(8).replace("\"", "").trim();
                try {
                    return java.nio.charset.Charset.isSupported(name) ? name : null;
                } catch (IllegalArgumentException e) {
                    return null; // an illegal name: as if none were given
                }
            }
        }
        return null;
    }

    /** The link's address, absolute (jsoup resolves it against the page and its base), when it is http(s). */
    private static Optional<String> httpUrl(Element link) {
        return Optional.ofNullable(HtmlSanitizer.safeUrl(link.absUrl("href"), null, false));
    }
}
