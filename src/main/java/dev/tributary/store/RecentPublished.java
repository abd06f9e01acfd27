package dev.tributary.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The publication times of a feed's latest entries as the feed row keeps them ({@code feed.recent_published}): epoch
 * milliseconds, newest first, comma-separated, at most {@link #KEPT}; empty for a feed without entries, null when
 * not known yet. The poll policy reads them to fit the interval to the feed's rhythm.
 */
public final class RecentPublished {

    /** How many publication times the poll policy looks at. */
    public static final int KEPT = 20;

    private RecentPublished() {
    }

    /** The stored times, newest first; null for null (not known). */
    static List<Instant> decode(String column) {
        if (column == null) {
            return null;
        }
        List<Instant> out = new ArrayList<>(KEPT);
        int from = 0;
        while (from < column.length()) {
            int comma = column.indexOf(',', from);
            int to = comma < 0 ? column.length() : comma;
            out.add(Instant.ofEpochMilli(Long.parseLong(column, from, to, 10)));
            from = to + 1;
        }
        return out;
    }

    static String encode(List<Instant> times) {
        StringBuilder out = new StringBuilder(times.size() * 14);
        for (Instant t : times) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(t.toEpochMilli());
        }
        return out.toString();
    }

    /** {@code known} with {@code added}, newest first, the latest {@link #KEPT}; times are kept to the millisecond. */
    public static List<Instant> merge(List<Instant> known, List<Instant> added) {
        List<Instant> all = new ArrayList<>(known.size() + added.size());
        all.addAll(known);
        for (Instant t : added) {
            all.add(Instant.ofEpochMilli(t.toEpochMilli()));
        }
        all.sort(Comparator.reverseOrder());
        return all.size() > KEPT ? List.copyOf(all.subList(0, KEPT)) : List.copyOf(all);
    }
}
