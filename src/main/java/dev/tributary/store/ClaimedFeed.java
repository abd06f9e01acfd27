package dev.tributary.store;

import java.time.Instant;
import java.util.List;

/**
 * A feed reserved for one poll by this instance, with what the poll needs to know about its last response and to
 * schedule the next one: the publication times of its latest entries (newest first; null when not known yet) and,
 * when it receives WebSub pushes, until when the hub's lease runs (null otherwise).
 */
public record ClaimedFeed(long id, String url, String etag, String lastModified, String bodyHash, int errorCount,
        List<Instant> recentPublished, Instant pushUntil) {
}
