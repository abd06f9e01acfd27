package dev.tributary.bench;

import java.nio.charset.StandardCharsets;

/** Prints the byte size of each benchmark document, to turn JMH's documents/s into MB/s and entries/s. */
public final class DocumentSizes {
    public static void main(String[] args) {
        for (String format : new String[] {"rss", "atom"}) {
            for (int entries : new int[] {20, 200, 2000}) {
                System.out.println(format + " " + entries + " " + Documents.feed(format, 1, entries, 0)
                        .getBytes(StandardCharsets.UTF_8).length);
            }
        }
    }
}
