package dev.tributary.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The probe filter: the Bloom filter's answers, and when the filter may be trusted (tokens in story_lock). */
class ProbeFilterTest {

    private static final Instant T0 = Instant.parse("2026-11-28T20:00:00Z");

    @Test
    void withEpochsABucketIsItsEpochAndKeyHalfAndNotTheEntrysLowBits() {
        IndexLayout l = IndexLayout.EPOCHS;
        IndexFilter f = new IndexFilter(1000, l);
        SplittableRandom r = new SplittableRandom(11);
        int otherEpochHits = 0;
        for (int i = 0; i < 1000; i++) {
            long key = r.nextLong();
            long entry = r.nextLong(1L << 31);
            f.add(l.row(key, entry));
            assertTrue(f.mightContain(l.bucket(key, l.epoch(entry))), "the probe's bucket start finds the row");
            assertTrue(f.mightContain(l.row(key, entry ^ 0x1FFF)), "another entry of the epoch shares the bucket");
            otherEpochHits += f.mightContain(l.bucket(key, l.epoch(entry) + 1)) ? 1 : 0;
        }
        assertTrue(otherEpochHits < 50, "the same key in another epoch is another bucket: " + otherEpochHits);
    }

    @Test
    void aBucketAddedIsAlwaysFoundAndFewOthersAre() {
        int n = 100_000;
        IndexFilter f = new IndexFilter(n, IndexLayout.KEY_FIRST);
        SplittableRandom r = new SplittableRandom(7);
        long[] in = new long[n];
        for (int i = 0; i < n; i++) {
            in[i] = r.nextLong();
            f.add(in[i]);
        }
        for (long row : in) {
            assertTrue(f.mightContain(row), "no false negatives");
            assertTrue(f.mightContain(row ^ 0xFFFF_FFFFL), "the low half (the entry id) plays no part");
        }
        int falsePositives = 0;
        for (int i = 0; i < n; i++) {
            falsePositives += f.mightContain(r.nextLong()) ? 1 : 0;
        }
        assertTrue(falsePositives < n / 50, "at capacity, under 2% false positives: " + falsePositives);
        assertFalse(f.full());
        f.add(1L << 32);
        assertTrue(f.full(), "one more than its capacity");
    }

    @Test
    void aKeyFilterTellsKeysApartByEveryBit() {
        int n = 50_000;
        IndexFilter f = IndexFilter.forKeys(n);
        SplittableRandom r = new SplittableRandom(13);
        int lowBitNeighbours = 0;
        for (int i = 0; i < n; i++) {
            long hash = r.nextLong();
            f.add(hash);
            assertTrue(f.mightContain(hash), "no false negatives");
            lowBitNeighbours += f.mightContain(hash ^ 1) ? 1 : 0;
        }
        assertTrue(lowBitNeighbours < n / 50, "a hash one bit away is another key: " + lowBitNeighbours);
    }

    @Test
    void keyLookupsFollowTheSameTokensAsProbes() {
        ProbeFilter p = new ProbeFilter();
        long[] hashes = {11, -22, 33};
        assertArrayEquals(hashes, p.keysToLookUp(hashes), "before the first lock every key is looked up");
        long mine = p.locked(0, T0, new Builds());
        assertArrayEquals(new long[0], p.keysToLookUp(hashes), "nothing stored: nothing to look up");
        p.addedKeys(java.util.List.of(-22L));
        assertArrayEquals(new long[] {-22}, p.keysToLookUp(hashes), "only the key written is looked up");
        p.locked(424242, T0.plusSeconds(1), new Builds());
        assertArrayEquals(hashes, p.keysToLookUp(hashes), "another instance wrote: every key is looked up");
    }

    @Test
    void aFullKeyFilterIsBuiltAgainToo() {
        ProbeFilter p = new ProbeFilter();
        AtomicInteger calls = new AtomicInteger();
        Supplier<ProbeFilter.Filters> build = () -> {
            calls.incrementAndGet();
            return new ProbeFilter.Filters(new IndexFilter(ProbeFilter.MIN_CAPACITY, IndexLayout.KEY_FIRST),
                    IndexFilter.forKeys(2));
        };
        long token = p.locked(0, T0, build);
        p.addedKeys(java.util.List.of(1L, 2L));
        token = p.locked(token, T0.plusSeconds(1), build);
        assertEquals(1, calls.get(), "at capacity: kept");
        p.addedKeys(java.util.List.of(3L));
        p.locked(token, T0.plusSeconds(2), build);
        assertEquals(2, calls.get(), "past its capacity: built again");
    }

    @Test
    void theFilterIsUsedOnlyWhileNoOtherInstanceWrote() {
        ProbeFilter p = new ProbeFilter();
        long[] buckets = {1L << 32, 2L << 32, 3L << 32};
        assertArrayEquals(buckets, p.toProbe(buckets), "before the first lock every probe is sent");

        Builds builds = new Builds();
        long mine = p.locked(0, T0, builds);
        assertEquals(1, builds.count.get(), "the first batch builds it from the table");
        assertNotEquals(0, mine);
        p.added(new long[] {(2L << 32) | 17});
        assertArrayEquals(new long[] {2L << 32}, p.toProbe(buckets), "only the bucket written is probed");

        long next = p.locked(mine, T0.plusSeconds(1), builds);
        assertEquals(1, builds.count.get(), "its own token: the filter stays");
        // That batch rolled back: the row still holds the token before it, still this instance's.
        long afterRollback = p.locked(mine, T0.plusSeconds(2), builds);
        assertNotEquals(next, afterRollback);
        assertEquals(1, builds.count.get());
        assertArrayEquals(new long[] {2L << 32}, p.toProbe(buckets));

        // Another instance wrote rows since: every probe is sent, and no rebuild while it keeps writing.
        p.locked(424242, T0.plusSeconds(3), builds);
        assertArrayEquals(buckets, p.toProbe(buckets));
        assertEquals(1, builds.count.get());
        long quietFrom = p.locked(535353, T0.plus(ProbeFilter.QUIET), builds);
        assertEquals(1, builds.count.get(), "seen again just now");
        long later = p.locked(quietFrom, T0.plus(ProbeFilter.QUIET).plusSeconds(4), builds);
        assertEquals(1, builds.count.get(), "quiet, but not for long enough yet");
        p.locked(later, T0.plus(ProbeFilter.QUIET.multipliedBy(2)), builds);
        assertEquals(2, builds.count.get(), "no other writer for the quiet period: built again");
        assertArrayEquals(new long[0], p.toProbe(buckets));
    }

    @Test
    void aFullFilterIsBuiltAgainAndAFailedBuildWaits() {
        ProbeFilter p = new ProbeFilter();
        AtomicInteger calls = new AtomicInteger();
        IndexFilter small = new IndexFilter(2, IndexLayout.KEY_FIRST);
        long token = p.locked(0, T0, () -> {
            calls.incrementAndGet();
            return new ProbeFilter.Filters(small, IndexFilter.forKeys(ProbeFilter.MIN_CAPACITY));
        });
        p.added(new long[] {1L << 32, 2L << 32, 3L << 32});
        assertTrue(small.full());
        Supplier<ProbeFilter.Filters> failing = () -> {
            calls.incrementAndGet();
            throw new IllegalStateException("scan failed");
        };
        assertThrows(IllegalStateException.class, () -> p.locked(token, T0.plusSeconds(1), failing));
        assertEquals(2, calls.get(), "full: built again (and that failed)");
        long[] buckets = {1L << 32, 9L << 32};
        assertArrayEquals(buckets, p.toProbe(buckets), "no filter: every probe is sent");
        p.locked(token, T0.plusSeconds(2), failing);
        assertEquals(2, calls.get(), "a failed build is not retried at once: the batch goes on probing everything");
    }

    /** Counts builds; each returns empty filters, as from empty tables. */
    private static final class Builds implements Supplier<ProbeFilter.Filters> {
        final AtomicInteger count = new AtomicInteger();

        @Override
        public ProbeFilter.Filters get() {
            count.incrementAndGet();
            return new ProbeFilter.Filters(new IndexFilter(ProbeFilter.MIN_CAPACITY, IndexLayout.KEY_FIRST),
                    IndexFilter.forKeys(ProbeFilter.MIN_CAPACITY));
        }
    }
}
