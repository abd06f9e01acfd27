package dev.tributary.story;

import dev.tributary.TributaryConfig;
import dev.tributary.store.PendingEntry;
import dev.tributary.store.StoryStore;
import dev.tributary.timeline.TimelineChanges;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * The story stage: puts stored entries that have no story yet into stories, in batches, one batch at a time (a JVM
 * lock here, a row lock in the database across instances). Running after the poll's commit, every batch sees all
 * earlier assignments, so two outlets' copies polled at the same moment still end up in one story.
 */
@ApplicationScoped
public class StoryAssigner {

    private static final Logger LOG = Logger.getLogger(StoryAssigner.class);
    static final int BATCH = 500;

    private final StoryStore stories;
    private final StoryMatcher matcher;
    private final MeterRegistry metrics;
    private final ReentrantLock running = new ReentrantLock();
    private final AtomicBoolean requested = new AtomicBoolean();

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
     * Asks for a run without waiting: if another thread is assigning, it picks these entries up before it stops.
     */
    public void request() {
        requested.set(true);
        while (requested.get() && running.tryLock()) {
            try {
                runWhileRequested();
            } finally {
                running.unlock();
            }
        }
    }

    /** Assigns every pending entry before returning (manual refresh, tests). */
    public void assignPending() {
        requested.set(true);
        running.lock();
        try {
            runWhileRequested();
        } finally {
            running.unlock();
        }
    }

    private void runWhileRequested() {
        while (requested.getAndSet(false)) {
            try {
                while (assignBatch() == BATCH) {
                    // a full batch: there may be more
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "story assignment failed; the entries stay pending and are retried");
                return;
            }
        }
        Instant now = Instant.now();
        if (lastPrune.plus(Duration.ofHours(1)).isBefore(now)) {
            lastPrune = now;
            // The near-duplicate index only needs the matching window (twice, for late-dated copies).
            int pruned = stories.pruneFingerprints(now.minus(window.multipliedBy(2)));
            LOG.debugf("pruned %d near-duplicate index keys", pruned);
        }
    }

    /** One batch in one transaction; returns how many entries it took. */
    int assignBatch() {
        int[] counts = QuarkusTransaction.requiringNew().call(() -> {
            stories.lockAssignment();
            List<PendingEntry> batch = stories.pending(BATCH);
            int merged = matcher.assign(batch, Instant.now());
            return new int[] {batch.size(), merged};
        });
        metrics.counter("tributary.stories.merged").increment(counts[1]);
        if (counts[0] > 0) {
            changes.changed();
        }
        return counts[0];
    }
}
