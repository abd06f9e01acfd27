package dev.tributary.support;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Generated feed documents for tests. */
public final class Fixtures {
    private Fixtures() {
    }

    /** An RSS 2.0 feed with items {@code from..to-1}, item i published at 2020-01-01 + i hours, newest first. */
    public static String feedWithItems(int from, int to) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Many</title>"
                + "<link>https://many.example/</link><description>d</description>");
        for (int i = to - 1; i >= from; i--) {
            sb.append("<item><title>item ").append(i).append("</title><link>https://many.example/").append(i)
                    .append("</link><guid>many-").append(i).append("</guid><pubDate>")
                    .append(DateTimeFormatter.RFC_1123_DATE_TIME.format(
                            Instant.parse("2020-01-01T00:00:00Z").plusSeconds(3600L * i).atZone(ZoneOffset.UTC)))
                    .append("</pubDate><description>body ").append(i).append("</description></item>");
        }
        return sb.append("</channel></rss>").toString();
    }
}
