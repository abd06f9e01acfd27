package dev.tributary.parse;

import com.rometools.rome.io.impl.DateParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the dates feeds carry: RFC 822 (RSS) and W3C/ISO 8601 (Atom, Dublin Core), with the usual publisher
 * sloppiness, using java.time. Rome's date parser builds a SimpleDateFormat per attempt and dominated parse
 * profiles; it remains the fallback for the odd format this does not know.
 */
public final class FeedDates {

    private static final Pattern RFC822 = Pattern.compile(
            "(?:[A-Za-z]{2,9},?\\s+)?(\\d{1,2})\\s+([A-Za-z]{3,9})\\.?\\s+(\\d{2,4})\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?"
                    + "(?:\\.\\d+)?\\s*([A-Za-z]{1,5}|[+-]\\d{2}:?\\d{2})?\\s*");
    private static final Pattern W3C = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})(?:[Tt ](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?\\s*(Z|z|[+-]\\d{2}(?::?\\d{2})?)?)?\\s*");
    private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2),
            Map.entry("mar", 3), Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7),
            Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12));
    private static final Map<String, Integer> ZONES = Map.ofEntries(Map.entry("ut", 0), Map.entry("utc", 0),
            Map.entry("gmt", 0), Map.entry("z", 0), Map.entry("est", -5), Map.entry("edt", -4), Map.entry("cst", -6),
            Map.entry("cdt", -5), Map.entry("mst", -7), Map.entry("mdt", -6), Map.entry("pst", -8), Map.entry("pdt", -7),
            Map.entry("cet", 1), Map.entry("cest", 2), Map.entry("bst", 1), Map.entry("ist", 5), Map.entry("jst", 9),
            Map.entry("aest", 10), Map.entry("msk", 3));

    private FeedDates() {
    }

    /** The instant a feed date names, or null when it cannot be read. */
    public static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = text.strip();
        try {
            Matcher m = W3C.matcher(s);
            if (m.matches()) {
                return w3c(m);
            }
            m = RFC822.matcher(s);
            if (m.matches()) {
                return rfc822(m);
            }
        } catch (DateTimeException | NumberFormatException e) {
            // fall back below
        }
        Date d = DateParser.parseDate(s, Locale.US);
        return d == null ? null : d.toInstant();
    }

    private static Instant w3c(Matcher m) {
        LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        if (m.group(4) == null) {
            return date.atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        int nanos = 0;
        if (m.group(7) != null) {
            String f = (m.group(7) + "000000000").substring(0, 9);
            nanos = Integer.parseInt(f);
        }
        LocalTime time = LocalTime.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                m.group(6) == null ? 0 : Integer.parseInt(m.group(6)), nanos);
        return LocalDateTime.of(date, time).toInstant(offset(m.group(8)));
    }

    private static Instant rfc822(Matcher m) {
        Integer month = MONTHS.get(m.group(2).substring(0, 3).toLowerCase(Locale.ROOT));
        if (month == null) {
            throw new DateTimeException("month");
        }
        int year = Integer.parseInt(m.group(3));
        if (m.group(3).length() == 2) {
            year += year < 50 ? 2000 : 1900;
        }
        LocalDateTime local = LocalDateTime.of(year, month, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(4)),
                Integer.parseInt(m.group(5)), m.group(6) == null ? 0 : Integer.parseInt(m.group(6)));
        return local.toInstant(offset(m.group(7)));
    }

    private static ZoneOffset offset(String zone) {
        if (zone == null) {
            return ZoneOffset.UTC;
        }
        if (zone.startsWith("+") || zone.startsWith("-")) {
            String digits = zone.substring(1).replace(":", "");
            int hours = Integer.parseInt(digits.substring(0, 2));
            int minutes = digits.length() >= 4 ? Integer.parseInt(digits.substring(2, 4)) : 0;
            int sign = zone.startsWith("-") ? -1 : 1;
            return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
        }
        Integer hours = ZONES.get(zone.toLowerCase(Locale.ROOT));
        if (hours == null) {
            throw new DateTimeException("zone " + zone);
        }
        return ZoneOffset.ofHours(hours);
    }
}
