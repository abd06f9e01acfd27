package dev.tributary.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Which near-duplicate index probes and story-key lookups cannot hit, and whether that is known. Nearly every new
 * entry is the first copy of its story, so nearly every one of its dozen probes finds nothing, and neither do its
 * link and guid; the probes were the story stage's largest cost on both databases (BENCHMARKS.md, section 5), and the
 * key lookups, which nearly always miss as well, took about a third of the stage's reads on H2 ("29 November, fifth
 * session"). Two {@link IndexFilter}s, of the buckets in the index and of the hashes in {@code story_key}, let those
 * reads go unsent, while candidates and stories are still read from the database.
 *
 * <p>The filters are only used while they are complete. They are built from the tables under the assignment lock,
 * and every batch that writes index rows or story keys takes that lock and leaves a token of its own in
 * {@code story_lock.writer}. Finding its own last token there (or the one before, when its last batch rolled back),
 * this instance knows that nobody else wrote since, and its filters, which have everything it wrote, are still
 * complete. Another instance's token turns them off (every read is sent, as without them) until no other writer has
 * been seen for {@link #QUIET}, when they are built again. So a single instance skips the reads that cannot hit;
 * several instances writing to one database in turn send every one.
 */
final class ProbeFilter {

    private static final Logger LOG = Logger.getLogger(ProbeFilter.class);

    /** How long without another writer before the filters are built again (and after a failed build). */
    static final Duration QUIET = Duration.ofMinutes(10);
    /** The smallest capacity a filter is built with (buckets, or keys; 160 KB). */
    static final long MIN_CAPACITY = 1 << 17;

    /** The index's buckets and story_key's hashes, as one table scan each builds them. */
    record Filters(IndexFilter buckets, IndexFilter keys) {
        boolean full() {
            return buckets.full() || keys.full();
        }
    }

    private Filters filters;
    private long lastToken;
    private long previousToken;
    private Instant otherWriterSeen;
    private Instant buildFailed;

    /**
     * Called under the assignment lock with the token found in {@code story_lock}: keeps, drops or builds the filters
     * ({@code build} reads the tables in the locked transaction; null when it will not), and returns the token this
     * batch leaves.
     */
    synchronized long locked(long token, Instant now, Supplier<Filters> build) {
        boolean ours = lastToken != 0 && (token == lastToken || token == previousToken);
        if (!ours) {
            if (lastToken != 0) {
                otherWriterSeen = now; // another instance wrote rows or keys these filters do not have
                if (filters != null) {
                    LOG.info("another instance writes the near-duplicate index and story keys: every probe and key "
                            + "lookup is sent to the database");
                }
            }
            filters = null;
        }
        if (filters != null && filters.full()) {
            filters = null; // built again below, larger
        }
        if (filters == null && quietSince(otherWriterSeen, now) && quietSince(buildFailed, now)) {
            try {
                filters = build.get();
            } catch (RuntimeException e) {
                buildFailed = now;
                throw e;
            }
            if (filters == null) {
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
        return filters == null ? buckets : kept(filters.buckets(), buckets);
    }

    /** The story key hashes to look up: those the filter may hold, or all when it is off. */
    synchronized long[] keysToLookUp(long[] hashes) {
        return filters == null ? hashes : kept(filters.keys(), hashes);
    }

    private static long[] kept(IndexFilter f, long[] values) {
        long[] out = new long[values.length];
        int n = 0;
        for (long v : values) {
            if (f.mightContain(v)) {
                out[n++] = v;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Records rows this instance writes to the index (in the batch that holds the lock). */
    synchronized void added(long[] rows) {
        if (filters != null) {
            for (long row : rows) {
                filters.buckets().add(row);
            }
        }
    }

    /** Records story key hashes this instance writes (in the batch that holds the lock). */
    synchronized void addedKeys(Collection<Long> hashes) {
        if (filters != null) {
            for (long h : hashes) {
                filters.keys().add(h);
            }
        }
    }

    /** The filters' size in bytes; 0 while they are off. */
    synchronized long bytes() {
        return filters == null ? 0 : filters.buckets().bytes() + filters.keys().bytes();
    }

    /** Forgets the filters and the tokens (tests start from an instance that has not written yet). */
    synchronized void reset() {
        filters = null;
        lastToken = 0;
        previousToken = 0;
        otherWriterSeen = null;
        buildFailed = null;
    }
}
