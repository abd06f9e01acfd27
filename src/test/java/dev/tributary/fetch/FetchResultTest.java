package dev.tributary.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a poll keeps of a fetch while its document waits for the commit: everything but the bytes. */
class FetchResultTest {

    @Test
    void withoutBodyKeepsEveryFieldButTheBytes() {
        FetchResult full = new FetchResult(200, "https://example.org/feed", "https://example.org/new",
                "<rss/>".getBytes(StandardCharsets.UTF_8), "application/rss+xml", "\"v1\"",
                "Sat, 28 Nov 2026 10:00:00 GMT", Duration.ofMinutes(5), Map.of("hub", "https://hub.example/"), 321,
                Duration.ofMillis(42));
        FetchResult light = full.withoutBody();
        assertEquals(0, light.body().length);
        // Records compare arrays by reference: the expected value takes the light result's (empty) array.
        assertEquals(new FetchResult(full.status(), full.finalUrl(), full.movedTo(), light.body(),
                full.contentType(), full.etag(), full.lastModified(), full.maxAge(), full.links(), full.wireBytes(),
                full.duration()), light);
        FetchResult notModified = new FetchResult(304, "https://example.org/feed", null, new byte[0], null, "\"v1\"",
                null, null, Map.of(), 0, Duration.ZERO);
        assertSame(notModified, notModified.withoutBody(), "nothing to drop: the same result");
    }
}
