package dev.tributary.store;

import java.time.Instant;
import java.util.List;

/**
 * What one poll found out, to be written on the feed and in its history.
 *
 * @param outcome       ok, not_modified, unchanged, or an error kind (network, timeout, not_a_feed, gone, ...)
 * @param newUrl        a permanent redirect's target, or null
 * @param etag          validators to send next time (kept as they were when null and the poll did not fetch a body)
 * @param feedTitle     title from the document, or null
 * @param gone          the publisher retired the feed: pause it
 * @param recentPublished the feed's latest publication times to keep on its row, newest first, or null to leave
 *                        them as they are
 */
public record PollRecord(long feedId, Instant polledAt, String outcome, Integer httpStatus, Long bytes, Long durationMs,
        int newEntries, String error, int errorCount, Instant nextPollAt, String nextPollReason, String etag,
        String lastModified, String bodyHash, String newUrl, String feedTitle, String siteUrl, boolean gone,
        List<Instant> recentPublished) {

    public boolean success() {
        return error == null;
    }
}
