package dev.tributary.story;

import dev.tributary.TributaryConfig;
import dev.tributary.store.PendingEntry;
import dev.tributary.store.StoryStore;
import dev.tributary.timeline.TimelineChanges;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * The story sweep: puts stored entries that have no story into stories, in batches, one batch at a time (a JVM lock
 * here, the assignment row lock in the database across instances). New entries get their story when they are stored
 * ({@code poll.Committer}); entries come here only when they have none: stored by a version that assigned stories
 * after the fact, or left without one when a feed's deletion removed the story a copy was joining. The poll job asks
 * for a sweep every tick; it costs one indexed query when nothing is pending.
 */
@ApplicationScoped
public class StoryAssigner {

    private static final Logger LOG = Logger.getLogger(StoryAssigner.class);
    static final int BATCH = 500;

    private final StoryStore stories;
    private final StoryMatcher matcher;
    private final MeterRegistry metrics;
    private final ReentrantLock running = new ReentrantLock();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "story-sweep");
        t.setDaemon(true);
        return t;
    });

    private final Duration window;
    private volatile Instant lastPrune = Instant.EPOCH;

    private final TimelineChanges changes;

    public StoryAssigner(StoryStore stories, StoryMatcher matcher, MeterRegistry metrics, TimelineChanges changes,
            TributaryConfig config) {
        this.changes = changes;
        this.window = config.stories().window();
        this.stories = stories;
        this.matcher = matcher;
        this.metrics = metrics;
    }

    /**
     * Asks for a sweep without waiting (the poll job asks every tick): it runs on the sweep's own thread, so a long
     * one (after an upgrade, say) never holds up the tick's claims. At most one is queued at a time.
     */
    public void request() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                thread.execute(this::runScheduled);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                scheduled.set(false); // shutting down: the next start picks the entries up
            }
        }
    }

    private void runScheduled() {
        scheduled.set(false); // requests from now on schedule another run
        running.lock();
        try {
            drain();
        } finally {
            running.unlock();
        }
    }

    /** Assigns every pending entry before returning (manual refresh, tests). */
    public void assignPending() {
        running.lock();
        try {
            drain();
        } finally {
            running.unlock();
        }
    }

    /**
     * Takes the assignment lock once on the sweep's thread as the service starts, which builds the probe filter
     * from the index table (StoryStore): a large index takes seconds to read, and the first poll's batch should not
     * wait for it. A failure here only means the first batch builds it.
     */
    void onStart(@Observes StartupEvent event) {
        thread.execute(() -> {
            try {
                QuarkusTransaction.requiringNew().run(stories::lockAssignment);
            } catch (RuntimeException e) {
                LOG.debugf(e, "probe filter not built at start; the first batch builds it");
            }
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        thread.shutdownNow();
    }

    private void drain() {
        try {
            while (assignBatch() == BATCH) {
                // a full batch: there may be more
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "story assignment failed; the entries stay pending and are retried");
            return;
        }
        Instant now = Instant.now();
        if (lastPrune.plus(Duration.ofHours(1)).isBefore(now)) {
            lastPrune = now;
            // The near-duplicate index only needs what arrived within the matching window (twice, for late copies).
            // Story keys by the same cut-off: a link that comes back later than that starts a story of its own.
            Instant cut = now.minus(window.multipliedBy(2));
            long t0 = System.nanoTime();
            int pruned = stories.pruneFingerprints(cut);
            int keys = stories.pruneKeys(cut);
            int compacted = stories.compactIndex();
            double seconds = (System.nanoTime() - t0) / 1e9;
            // Worth an operator's notice only when it took long: the first prune after an upgrade, say.
            LOG.logf(seconds >= 1 ? Logger.Level.INFO : Logger.Level.DEBUG,
                    "pruned %d near-duplicate index rows and %d story keys, merged packs into %d fewer, in %.1f s",
                    pruned, keys, compacted, seconds);
        }
    }

    /** One batch in one transaction; returns how many entries it took. */
    int assignBatch() {
        if (!QuarkusTransaction.requiringNew().call(stories::anyPending)) {
            return 0; // the usual case: entries are stored with their stories; no need to take the lock
        }
        long t0 = System.nanoTime();
        int[] counts = QuarkusTransaction.requiringNew().call(() -> {
            stories.lockAssignment();
            List<PendingEntry> batch = stories.pending(BATCH);
            int merged = matcher.assign(batch, Instant.now());
            return new int[] {batch.size(), merged};
        });
        metrics.counter("tributary.stories.merged").increment(counts[1]);
        if (counts[0] > 0) {
            // Time per placed entry (sum / assigned) is the story stage's cost, benchmarked against database size.
            metrics.timer("tributary.stories.batch").record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            metrics.counter("tributary.stories.assigned").increment(counts[0]);
            changes.changed();
        }
        return counts[0];
    }
}
