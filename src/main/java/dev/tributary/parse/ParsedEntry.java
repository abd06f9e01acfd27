package dev.tributary.parse;

import java.time.Instant;
import java.util.List;

/**
 * One entry, normalised: text fields are plain text, HTML fields are sanitized, links absolute http(s).
 *
 * @param key            stable identity within its feed (guid, guid+link, link, or a content hash)
 * @param guid           the document's own id for the entry, may be null
 * @param canonicalLink  link normalised for cross-feed matching, may be null
 * @param published      publication time; never in the future
 * @param contentHash    hash of title, link, summary and content: changes when the entry is edited
 */
public record ParsedEntry(String key, String guid, String title, String link, String canonicalLink,
        String author, Instant published, Instant updated, String summary, String content, List<String> categories,
        List<Enclosure> enclosures, String contentHash) {

    /** The entry's text for matching copies: its content, else its summary (HTML; may be null). */
    public String body() {
        return content != null ? content : summary;
    }

    /** A media attachment (podcast episode, image). */
    public record Enclosure(String url, String type, Long length) {
    }
}
