package dev.tributary.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpHintsTest {

    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "120                            | PT2M",
        "0                              | PT0S",
        "Fri, 27 Nov 2026 14:00:00 GMT  | PT2H",
        "Fri, 27 Nov 2026 10:00:00 GMT  | PT0S",
        "soon                           | ",
    })
    void retryAfter(String header, String expected) {
        assertEquals(expected == null ? null : Duration.parse(expected), HttpHints.retryAfter(header, NOW));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "public, max-age=3600 |                                | PT1H",
        "no-cache             | Fri, 27 Nov 2026 12:30:00 GMT  | PT30M",
        "                     | Fri, 27 Nov 2026 11:00:00 GMT  | ",
        "                     |                                | ",
    })
    void freshness(String cacheControl, String expires, String expected) {
        assertEquals(expected == null ? null : Duration.parse(expected), HttpHints.freshness(cacheControl, expires, NOW));
    }

    @Test
    void linkHeaderGivesHubAndSelf() {
        Map<String, String> links = HttpHints.links("<https://hub.example/>; rel=\"hub\", </feed.xml>; rel=\"self alternate\"",
                URI.create("https://site.example/x/feed"));
        assertEquals("https://hub.example/", links.get("hub"));
        assertEquals("https://site.example/feed.xml", links.get("self"));
        assertEquals("https://site.example/feed.xml", links.get("alternate"));
    }
}
