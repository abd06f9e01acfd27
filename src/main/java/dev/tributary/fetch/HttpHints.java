package dev.tributary.fetch;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the timing headers a server sends: Retry-After, Cache-Control max-age, Expires. */
public final class HttpHints {

    private static final Pattern SECONDS = Pattern.compile("\\d{1,10}");
    private static final Pattern MAX_AGE = Pattern.compile("(?:^|[,\\s])max-age\\s*=\\s*\"?(\\d{1,10})");

    private HttpHints() {
    }

    /** Retry-After as seconds or an HTTP date, relative to now; null when absent or unreadable. */
    public static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (SECONDS.matcher(v).matches()) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        Instant at = httpDate(v);
        if (at == null) {
            return null;
        }
        Duration d = Duration.between(now, at);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** Freshness from Cache-Control max-age, else from Expires; null when neither says anything useful. */
    public static Duration freshness(String cacheControl, String expires, Instant now) {
        if (cacheControl != null) {
            Matcher m = MAX_AGE.matcher(cacheControl.toLowerCase());
            if (m.find()) {
                return Duration.ofSeconds(Long.parseLong(m.group(1)));
            }
        }
        Instant at = expires == null ? null : httpDate(expires.trim());
        if (at != null && at.isAfter(now)) {
            return Duration.between(now, at);
        }
        return null;
    }

    private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*((?:;\\s*[^;,]+)*)");
    private static final Pattern REL = Pattern.compile("rel\\s*=\\s*\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);

    /** The Link header as rel to absolute URL (first wins; a rel list names every relation). */
    public static java.util.Map<String, String> links(String header, java.net.URI base) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        if (header == null) {
            return out;
        }
        Matcher m = LINK.matcher(header);
        while (m.find()) {
            Matcher rel = REL.matcher(m.group(2));
            if (!rel.find()) {
                continue;
            }
            String url;
            try {
                url = base.resolve(m.group(1).trim()).toString();
            } catch (IllegalArgumentException e) {
                continue;
            }
            for (String r : rel.group(1).trim().toLowerCase(java.util.Locale.ROOT).split("\\s+")) {
                out.putIfAbsent(r, url);
            }
        }
        return out;
    }

    static Instant httpDate(String v) {
        try {
            return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
