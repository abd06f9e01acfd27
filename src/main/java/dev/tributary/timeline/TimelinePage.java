package dev.tributary.timeline;

import java.util.List;

/** A page of the timeline and the cursor of the next one (null on the last page). */
public record TimelinePage(List<TimelineItem> items, String next) {
}
