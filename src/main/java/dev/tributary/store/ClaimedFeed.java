package dev.tributary.store;

/** A feed reserved for one poll by this instance, with what the poll needs to know about its last response. */
public record ClaimedFeed(long id, String url, String etag, String lastModified, String bodyHash, int errorCount) {
}
