package dev.tributary.poll;

import dev.tributary.parse.ParsedEntry;
import dev.tributary.parse.TextFingerprint;
import dev.tributary.TributaryConfig;
import dev.tributary.store.EntryStore;
import dev.tributary.store.FeedStore;
import dev.tributary.store.PollRecord;
import dev.tributary.store.StoryStore;
import dev.tributary.story.StoryMatcher;
import dev.tributary.timeline.TimelineChanges;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Commits what polls and pushes produced, many at a time: the store stage (new entries in, edited ones updated) and
 * the story stage (each new entry's story decided and inserted with it) for a whole batch of documents in one
 * transaction, on one thread. Poll workers fetch and parse in parallel, hand their document here and wait for the
 * commit (group commit): when the database is idle a document commits at once, alone; under load every document
 * that arrived during the previous commit goes into the next one. One writer at a time (this thread here, a row
 * lock across instances) means each batch sees every story the previous ones made, so two outlets' copies polled at
 * the same moment end up in one story; and each entry is written once, already in its story. The polls' outcomes
 * (feed rows, history) go in as one JDBC batch per transaction. Documents without entries (a 304, a failure) touch
 * only their feed's row and history: they do not wait for this thread but are committed by their own pollers, in
 * turns, all those queued meanwhile in one transaction.
 */
@ApplicationScoped
public class Committer {

    private static final Logger LOG = Logger.getLogger(Committer.class);
    /** Documents per transaction at most, and new entries (a batch closes when either is reached). */
    static final int MAX_JOBS = 64;
    static final int MAX_ENTRIES = 2000;

    /**
     * One document's work: its entries (none for a 304, an unchanged body or a failure), their near-duplicate
     * fingerprints computed ahead by the worker (same order; null entries allowed), when it was fetched, and what to
     * record on the feed once the entries are in: runs in the same transaction, after them, and returns the poll's
     * outcome, written with the other documents' in one batch (or null when it recorded what it had to itself).
     */
    public record Job(long feedId, List<ParsedEntry> entries, List<TextFingerprint> fingerprints, Instant seen,
            Function<Saved, PollRecord> record) {
    }

    /**
     * What a document's commit did: entries inserted, edited in place, already known; and, for the feed's poll
     * schedule, the publication times of the inserted ones (in the order inserted) and those the feed's row held
     * when this transaction locked it (null when it did not lock it, or the row did not know them yet).
     */
    public record Saved(int inserted, int updated, int unchanged, List<Instant> published, List<Instant> rowPublished) {
    }

    private record Waiting(Job job, CompletableFuture<Saved> done) {
    }

    private final EntryStore entries;
    private final StoryStore stories;
    private final FeedStore feeds;
    private final int historySize;
    private final StoryMatcher matcher;
    private final TimelineChanges changes;
    private final MeterRegistry metrics;
    private final LinkedBlockingDeque<Waiting> queue = new LinkedBlockingDeque<>();
    /** Documents without entries, committed by whichever of their callers holds {@link #quietTurn}. */
    private final ConcurrentLinkedQueue<Waiting> quiet = new ConcurrentLinkedQueue<>();
    private final ReentrantLock quietTurn = new ReentrantLock();

    public Committer(EntryStore entries, StoryStore stories, FeedStore feeds, StoryMatcher matcher,
            TimelineChanges changes, TributaryConfig config, MeterRegistry metrics) {
        this.entries = entries;
        this.stories = stories;
        this.feeds = feeds;
        this.historySize = config.poll().historySize();
        this.matcher = matcher;
        this.changes = changes;
        this.metrics = metrics;
        Thread t = new Thread(this::run, "committer");
        t.setDaemon(true);
        t.start();
    }

    /** The fingerprint a worker computes ahead for an entry (null when the story mode does not match on text). */
    public TextFingerprint fingerprint(ParsedEntry e) {
        return matcher.fingerprint(e.title(), e.body());
    }

    /**
     * Commits one document's work and returns what it did, once committed. Throws what the commit threw when the
     * document failed even alone (other documents of its batch are retried without it and unaffected).
     */
    public Saved commit(Job job) {
        Waiting w = new Waiting(job, new CompletableFuture<>());
        if (job.entries().isEmpty()) {
            commitQuietly(w);
        } else {
            queue.add(w);
        }
        try {
            return w.done().join(); // not interruptible: a shutdown lets the commit it waits for finish
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /**
     * A document without entries (a 304, an unchanged body, a failure) touches only its feed's row and history: no
     * story, nothing to order against other feeds, so it does not queue behind the committer thread (through it, an
     * unchanged cycle over 10,000 feeds took 16 s instead of 10-14). Its caller commits it, together with whatever
     * other callers queued meanwhile: one of them at a time takes the turn and writes all that is queued in one
     * transaction; the others wait for their document to be done, or for the turn if it is still queued.
     */
    private void commitQuietly(Waiting w) {
        quiet.add(w);
        boolean interrupted = false;
        while (!w.done().isDone()) {
            if (quietTurn.tryLock()) {
                try {
                    List<Waiting> batch = new ArrayList<>();
                    Waiting next;
                    while (batch.size() < MAX_JOBS && (next = quiet.poll()) != null) {
                        batch.add(next);
                    }
                    if (!batch.isEmpty()) {
                        commitBatch(batch, true);
                    }
                } finally {
                    quietTurn.unlock();
                }
            } else {
                try {
                    w.done().get(1, TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    // done with an error (join reports it), or not yet: look for the turn again
                } catch (InterruptedException e) {
                    interrupted = true; // a shutdown: see this document committed (it may need this thread's turn)
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Waiting> batch = new ArrayList<>();
        while (true) {
            batch.clear();
            try {
                Waiting first = queue.poll(1, TimeUnit.HOURS);
                if (first == null) {
                    continue;
                }
                gather(first, batch);
                commitBatch(batch, false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable t) {
                LOG.errorf(t, "commit of %d document(s) failed unexpectedly", batch.size());
                batch.forEach(w -> w.done().completeExceptionally(t));
            }
        }
    }

    /**
     * Takes what is queued behind {@code first}, up to the batch limits. A second document of a feed already in the
     * batch waits for the next one: its known-key query must see the first one's entries.
     */
    private void gather(Waiting first, List<Waiting> batch) {
        batch.add(first);
        Set<Long> feeds = new HashSet<>();
        feeds.add(first.job().feedId());
        int newEntries = first.job().entries().size();
        List<Waiting> later = new ArrayList<>();
        Waiting next;
        while (batch.size() < MAX_JOBS && newEntries < MAX_ENTRIES && (next = queue.poll()) != null) {
            if (feeds.add(next.job().feedId())) {
                batch.add(next);
                newEntries += next.job().entries().size();
            } else {
                later.add(next);
            }
        }
        for (int i = later.size() - 1; i >= 0; i--) {
            queue.addFirst(later.get(i));
        }
    }

    /**
     * One transaction for the batch; if it fails, each document alone, so one bad document fails only itself.
     * Counted as the committer's, or as the pollers' own commits of documents without entries ({@code quietly}).
     */
    private void commitBatch(List<Waiting> batch, boolean quietly) {
        long t0 = System.nanoTime();
        Result result;
        try {
            result = QuarkusTransaction.requiringNew().call(() -> write(batch.stream().map(Waiting::job).toList()));
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).done().completeExceptionally(e);
            } else {
                LOG.debugf("a commit of %d documents failed (%s); committing each alone", batch.size(), e);
                for (Waiting w : batch) {
                    commitBatch(List.of(w), quietly);
                }
            }
            return;
        }
        metrics.timer(quietly ? "tributary.commit.quiet" : "tributary.commit.batch")
                .record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        metrics.summary(quietly ? "tributary.commit.quiet.documents" : "tributary.commit.documents").record(batch.size());
        if (result.placed() > 0) {
            // Time per placed entry (sum / assigned) is the story stage's cost, benchmarked against database size.
            metrics.timer("tributary.stories.batch").record(result.storyNanos(), TimeUnit.NANOSECONDS);
            metrics.counter("tributary.stories.assigned").increment(result.placed());
            metrics.counter("tributary.stories.merged").increment(result.merged());
        }
        boolean timelineChanged = false;
        for (int i = 0; i < batch.size(); i++) {
            Saved s = result.saved()[i];
            timelineChanged |= s.inserted() > 0 || s.updated() > 0;
            batch.get(i).done().complete(s);
        }
        if (timelineChanged) {
            changes.changed();
        }
    }

    private record Result(Saved[] saved, int placed, int merged, long storyNanos) {
    }

    /** The batch's writes, inside its transaction. */
    private Result write(List<Job> jobs) {
        boolean anyEntries = jobs.stream().anyMatch(j -> !j.entries().isEmpty());
        if (anyEntries) {
            stories.lockAssignment();
        }
        Instant now = Instant.now();
        Map<Long, List<Instant>> locked = entries.lockFeeds(
                jobs.stream().filter(j -> !j.entries().isEmpty()).map(Job::feedId).toList());
        // A document of a feed deleted meanwhile (its row was not locked) stores nothing.
        List<EntryStore.Prepared> prepared = entries.prepare(jobs.stream().map(j -> new EntryStore.Document(j.feedId(),
                locked.containsKey(j.feedId()) ? j.entries() : List.of(), j.seen())).toList());
        List<StoryMatcher.Incoming> incoming = new ArrayList<>();
        List<ParsedEntry> fresh = new ArrayList<>();
        List<Instant> seen = new ArrayList<>();
        for (int j = 0; j < jobs.size(); j++) {
            Job job = jobs.get(j);
            if (prepared.get(j).fresh().isEmpty()) {
                continue;
            }
            Map<ParsedEntry, TextFingerprint> fingerprints = new IdentityHashMap<>();
            for (int i = 0; i < job.entries().size() && i < job.fingerprints().size(); i++) {
                fingerprints.put(job.entries().get(i), job.fingerprints().get(i));
            }
            for (ParsedEntry e : prepared.get(j).fresh()) {
                incoming.add(new StoryMatcher.Incoming(-(incoming.size() + 1), job.feedId(), e.published(),
                        e.canonicalLink(), e.guid(), e.title(), e.body(), fingerprints.get(e)));
                fresh.add(e);
                seen.add(job.seen());
            }
        }

        long s0 = System.nanoTime();
        List<StoryMatcher.Placed> placed = matcher.place(incoming, now);
        long storyNanos = System.nanoTime() - s0;
        List<EntryStore.NewEntry> rows = new ArrayList<>(placed.size());
        for (int i = 0; i < placed.size(); i++) {
            StoryMatcher.Placed p = placed.get(i);
            rows.add(new EntryStore.NewEntry(p.entry().feedId(), fresh.get(i), seen.get(i), p.storyId(), p.reason()));
        }
        long[] ids = entries.insert(rows);
        s0 = System.nanoTime();
        List<StoryStore.Placement> attached = new ArrayList<>(placed.size());
        int merged = 0;
        for (int i = 0; i < placed.size(); i++) {
            StoryMatcher.Placed p = placed.get(i);
            attached.add(new StoryStore.Placement(ids[i], p.storyId(), p.reason(), p.newKeys(), p.indexKeys()));
            merged += p.merged() ? 1 : 0;
        }
        stories.attach(attached);
        storyNanos += System.nanoTime() - s0;

        Saved[] saved = new Saved[jobs.size()];
        List<PollRecord> polls = new ArrayList<>(jobs.size());
        for (int j = 0; j < jobs.size(); j++) {
            EntryStore.Prepared p = prepared.get(j);
            saved[j] = new Saved(p.fresh().size(), p.updated(), p.unchanged(),
                    p.fresh().stream().map(ParsedEntry::published).toList(), locked.get(p.feedId()));
            PollRecord poll = jobs.get(j).record().apply(saved[j]);
            if (poll != null) {
                polls.add(poll);
            }
        }
        feeds.recordPolls(polls, historySize);
        return new Result(saved, placed.size(), merged, storyNanos);
    }
}
