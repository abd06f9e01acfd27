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
 * @param entries      entries, newest first, capped
 */
public record ParsedFeed(String title, String siteUrl, Duration publishHint, String hubUrl, String selfUrl,
        List<ParsedEntry> entries) {
}
