package dev.tributary.output;

import dev.tributary.timeline.TimelineItem;
import java.time.Instant;
import java.util.List;

/**
 * Everything a merged output document says.
 *
 * @param selfUrl  the absolute URL this document is served at
 * @param siteUrl  the absolute URL of the service (HTML alternate / home page)
 * @param updated  newest change among the items (or now when empty)
 */
public record OutputFeed(String title, String selfUrl, String siteUrl, Instant updated, List<TimelineItem> items) {

    /** The stable id of a story in every output format. */
    static String itemId(TimelineItem item) {
        return "urn:tributary:story:" + item.id();
    }
}
