package dev.tributary.store;

import java.time.Instant;

/**
 * A stored entry not yet in a story, as the story stage needs it.
 *
 * @param body the entry's content, else its summary (HTML), for near-duplicate matching
 */
public record PendingEntry(long id, long feedId, Instant published, String canonicalLink, String guid, String title,
        String body) {
}
