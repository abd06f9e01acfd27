package dev.tributary.parse;

import java.time.Duration;
import java.util.List;

/**
 * A feed document as Tributary understands it, whatever its format.
 *
 * @param title        feed title as plain text, may be null
 * @param siteUrl      the site the feed belongs to, may be null
 * @param publishHint  the publisher's own refresh hint (RSS ttl, sy:updatePeriod), may be null
 * @param entries      entries, newest first, capped
 */
public record ParsedFeed(String title, String siteUrl, Duration publishHint, List<ParsedEntry> entries) {
}
