package dev.tributary.parse;

import java.time.Duration;
import java.util.List;

/**
 * A feed document as Tributary understands it, whatever its format.
 *
 * @param title        feed title as plain text, may be null
 * @param siteUrl      the site the feed belongs to, may be null
 * @param publishHint  the publisher's own refresh hint (RSS ttl, sy:updatePeriod), may be null
 * @param hubUrl       the WebSub hub the document names (link rel="hub"), may be null
 * @param selfUrl      the document's own address (link rel="self"), may be null
 * @param skip         RSS skipHours/skipDays: when the publisher asks not to be polled
 * @param entries      entries, newest first, capped
 */
public record ParsedFeed(String title, String siteUrl, Duration publishHint, String hubUrl, String selfUrl,
        SkipTimes skip, List<ParsedEntry> entries) {

    /** Hours (0-23, GMT) and days (MONDAY..SUNDAY) in which the publisher asks readers not to poll. */
    public record SkipTimes(java.util.Set<Integer> hours, java.util.Set<java.time.DayOfWeek> days) {
        public static final SkipTimes NONE = new SkipTimes(java.util.Set.of(), java.util.Set.of());

        /** Whether a time falls in a skipped hour or day. */
        public boolean skips(java.time.Instant at) {
            java.time.ZonedDateTime t = at.atZone(java.time.ZoneOffset.UTC);
            return hours.contains(t.getHour()) || days.contains(t.getDayOfWeek());
        }
    }
}
