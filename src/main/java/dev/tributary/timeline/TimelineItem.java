package dev.tributary.timeline;

import java.time.Instant;
import java.util.List;

/**
 * One story in the merged timeline: its representative entry (the earliest published copy) and every source.
 *
 * @param id          story id: stable, also when the story gains sources
 * @param published   the story's place in the timeline: its first publication
 * @param modified    last time any copy of the story changed (for caching)
 */
public record TimelineItem(long id, String title, String link, Instant published, Instant updated, String summary,
        String content, String author, List<String> categories, List<Enclosure> enclosures, List<Source> sources,
        Instant modified) {

    /** One outlet's copy of the story. */
    public record Source(long feedId, String feedTitle, String feedUrl, String feedSiteUrl, long entryId, String link,
            String title, Instant published, String joinReason) {
    }

    /** A media attachment. */
    public record Enclosure(String url, String type, Long length) {
    }
}
