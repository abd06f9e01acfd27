package dev.tributary.store;

import java.time.Instant;
import java.util.List;

/** A subscription with its health, as shown to users. */
public record FeedView(long id, String url, String title, String siteUrl, List<String> tags, boolean paused,
        String status, Long duplicateOf, Instant createdAt, Instant lastPolledAt, Instant lastSuccessAt,
        Integer lastHttpStatus, String lastError, int errorCount, Long lastBytes, Long lastDurationMs,
        Integer lastNewEntries, Instant nextPollAt, String nextPollReason, long entryCount) {

    static FeedView of(FeedEntity f, long entryCount) {
        return new FeedView(f.id, f.url, f.userTitle != null ? f.userTitle : f.title, f.siteUrl, f.tags.stream().sorted().toList(),
                f.paused, f.status, f.duplicateOf, f.createdAt, f.lastPolledAt, f.lastSuccessAt, f.lastHttpStatus,
                f.lastError, f.errorCount, f.lastBytes, f.lastDurationMs, f.lastNewEntries, f.nextPollAt,
                f.nextPollReason, entryCount);
    }
}
