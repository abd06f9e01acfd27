package dev.tributary.timeline;

import java.time.Instant;

/** What to show: every field is optional (null). */
public record TimelineFilter(Long feedId, String tag, Instant since, Instant until, String query) {

    public static TimelineFilter none() {
        return new TimelineFilter(null, null, null, null, null);
    }

    public static TimelineFilter tag(String tag) {
        return new TimelineFilter(null, tag, null, null, null);
    }
}
