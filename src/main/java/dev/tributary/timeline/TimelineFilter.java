package dev.tributary.timeline;

import java.time.Instant;

/** What to show: every field is optional (null). */
public record TimelineFilter(Long feedId, String tag, Instant since, Instant until, String query) {
}
