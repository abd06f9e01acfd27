package dev.tributary.store;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Which near-duplicate index probes cannot hit, and whether that is known. Nearly every new entry is the first copy of
 * its story, so nearly every one of its dozen probes finds nothing; they were the story stage's largest cost on both
 * databases (BENCHMARKS.md, section 5). An {@link IndexFilter} of the buckets in the index lets those probes go
 * unsent, while candidates are still read from the index in the database.
 *
 * <p>The filter is only used while it is complete. It is built from the table under the assignment lock, and every
 * batch that writes index rows takes that lock and leaves a token of its own in {@code story_lock.writer}. Finding
 * its own last token there (or the one before, when its last batch rolled back), this instance knows that nobody
 * else wrote rows since, and its filter, which has every bucket it wrote, is still complete. Another instance's token
 * turns the filter off (every probe is sent, as without it) until no other writer has been seen for {@link #QUIET},
 * when it is built again. So a single instance skips the probes that cannot hit; several instances writing to one
 * database in turn probe every key.
 */
final class ProbeFilter {

    private static final Logger LOG = Logger.getLogger(ProbeFilter.class);

    /** How long without another writer before the filter is built again (and after a failed build). */
    static final Duration QUIET = Duration.ofMinutes(10);
    /** The smallest capacity a filter is built with (buckets; 160 KB). */
    static final long MIN_CAPACITY = 1 << 17;

    private IndexFilter filter;
    private long lastToken;
    private long previousToken;
    private Instant otherWriterSeen;
    private Instant buildFailed;

    /**
     * Called under the assignment lock with the token found in {@code story_lock}: keeps, drops or builds the filter
     * ({@code build} reads the index table in the locked transaction; null when it will not), and returns the token
     * this batch leaves.
     */
    synchronized long locked(long token, Instant now, Supplier<IndexFilter> build) {
        boolean ours = lastToken != 0 && (token == lastToken || token == previousToken);
        if (!ours) {
            if (lastToken != 0) {
                otherWriterSeen = now; // another instance wrote rows this filter does not have
                if (filter != null) {
                    LOG.info("another instance writes the near-duplicate index: every probe is sent to the database");
                }
            }
            filter = null;
        }
        if (filter != null && filter.full()) {
            filter = null; // built again below, larger
        }
        if (filter == null && quietSince(otherWriterSeen, now) && quietSince(buildFailed, now)) {
            try {
                filter = build.get();
            } catch (RuntimeException e) {
                buildFailed = now;
                throw e;
            }
            if (filter == null) {
                buildFailed = now; // not built (too large): every probe is sent, and it is tried again later
            }
        }
        previousToken = token;
        long next;
        do {
            next = ThreadLocalRandom.current().nextLong();
        } while (next == 0 || next == token);
        lastToken = next;
        return next;
    }

    private static boolean quietSince(Instant event, Instant now) {
        return event == null || !now.isBefore(event.plus(QUIET));
    }

    /** The buckets (index rows' high halves) to probe: those the filter may hold, or all when it is off. */
    synchronized long[] toProbe(long[] buckets) {
        if (filter == null) {
            return buckets;
        }
        long[] out = new long[buckets.length];
        int n = 0;
        for (long b : buckets) {
            if (filter.mightContain(b)) {
                out[n++] = b;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Records rows this instance writes to the index (in the batch that holds the lock). */
    synchronized void added(long[] rows) {
        if (filter != null) {
            for (long row : rows) {
                filter.add(row);
            }
        }
    }

    /** The filter's size in bytes; 0 while it is off. */
    synchronized long bytes() {
        return filter == null ? 0 : filter.bytes();
    }

    /** Forgets the filter and the tokens (tests start from an instance that has not written yet). */
    synchronized void reset() {
        filter = null;
        lastToken = 0;
        previousToken = 0;
        otherWriterSeen = null;
        buildFailed = null;
    }
}
