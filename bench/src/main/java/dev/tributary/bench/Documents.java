package dev.tributary.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;

/** Generates realistic feed documents: RSS 2.0 or Atom, entries with 1-2 KB HTML bodies, deterministic per seed. */
public final class Documents {

    private static final String[] WORDS = ("the council voted on tuesday to approve a budget that sets aside money for "
            + "new transit routes residents said they had waited years for evening service while officials warned "
            + "that reserves were low after last winter flooding the mayor praised the plan and critics asked how it "
            + "would be paid for hospital workers union drought lake water district fire crews evacuation shelter "
            + "university tuition regents students police chief retirement study trees heat ferry island battery plant "
            + "jobs incentives governor court ruling map districts election").split(" ");
    private static final Instant BASE = Instant.parse("2026-11-01T00:00:00Z");

    private Documents() {
    }

    /** One feed: {@code entries} items, item i published at base + feed offset + i hours, newest first. */
    public static String feed(String format, int feed, int entries, int extra) {
        StringBuilder sb = new StringBuilder(entries * 1800 + 512);
        boolean atom = format.equals("atom");
        if (atom) {
            sb.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">")
                    .append("<title>Outlet ").append(feed).append("</title><id>urn:outlet:").append(feed).append("</id>")
                    .append("<updated>2026-11-20T00:00:00Z</updated><link rel=\"alternate\" href=\"https://outlet")
                    .append(feed).append(".example/\"/>\n");
        } else {
            sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" ")
                    .append("xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>Outlet ").append(feed)
                    .append("</title><link>https://outlet").append(feed).append(".example/</link>")
                    .append("<description>Generated outlet</description>\n");
        }
        for (int i = entries + extra - 1; i >= 0; i--) {
            // Each entry from its own seed: a feed that gains an entry keeps the others as they were (one seed for
            // the whole feed rewrote every entry's text, so the 10% cycle measured 50 edits per changed feed).
            Random r = new Random(feed * 7919L + i * 104_729L + 17);
            Instant published = BASE.plusSeconds(feed * 60L + i * 3600L);
            String title = sentence(r, 6 + r.nextInt(6));
            String link = "https://outlet" + feed + ".example/" + published.toString().substring(0, 10) + "/story-" + i;
            String body = body(r);
            if (atom) {
                sb.append("<entry><title>").append(title).append("</title><id>").append(link).append("</id>")
                        .append("<link href=\"").append(link).append("\"/><published>").append(published)
                        .append("</published><updated>").append(published).append("</updated><author><name>Reporter ")
                        .append(r.nextInt(40)).append("</name></author><content type=\"html\"><![CDATA[").append(body)
                        .append("]]></content></entry>\n");
            } else {
                sb.append("<item><title>").append(title).append("</title><link>").append(link).append("</link><guid>")
                        .append(link).append("</guid><pubDate>")
                        .append(DateTimeFormatter.RFC_1123_DATE_TIME.format(published.atZone(ZoneOffset.UTC)))
                        .append("</pubDate><description><![CDATA[").append(body, 0, Math.min(300, body.length()))
                        .append("]]></description><content:encoded><![CDATA[").append(body)
                        .append("]]></content:encoded></item>\n");
            }
        }
        sb.append(atom ? "</feed>\n" : "</channel></rss>\n");
        return sb.toString();
    }

    static String body(Random r) {
        StringBuilder b = new StringBuilder(2048);
        int target = 1000 + r.nextInt(1000);
        while (b.length() < target) {
            b.append("<p>").append(sentence(r, 12 + r.nextInt(14))).append(" <a href=\"/related/").append(r.nextInt(1000))
                    .append("\">").append(sentence(r, 3)).append("</a> ").append(sentence(r, 10 + r.nextInt(10)))
                    .append("</p>");
        }
        return b.toString();
    }

    /** A sentence of {@code words} words from the generator's vocabulary (also used by {@link BulkLoad}). */
    static String sentence(Random r, int words) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < words; i++) {
            String w = WORDS[r.nextInt(WORDS.length)];
            s.append(i == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : " " + w);
        }
        return s.append('.').toString();
    }
}
