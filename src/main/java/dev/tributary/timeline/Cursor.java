package dev.tributary.timeline;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** An opaque position in the timeline: the (published, id) of the last story seen. */
public record Cursor(Instant published, long id) {

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("v1:" + published.toEpochMilli() + ":" + id).getBytes(StandardCharsets.US_ASCII));
    }

    /** Decodes a cursor; IllegalArgumentException when it is not one this service made. */
    public static Cursor decode(String text) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
            String[] parts = s.split(":");
            if (parts.length != 3 || !parts[0].equals("v1")) {
                throw new IllegalArgumentException("malformed cursor");
            }
            return new Cursor(Instant.ofEpochMilli(Long.parseLong(parts[1])), Long.parseLong(parts[2]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed cursor");
        }
    }
}
