package dev.tributary.poll;

import dev.tributary.TributaryConfig;
import dev.tributary.store.ClaimedFeed;
import dev.tributary.store.FeedStore;
import dev.tributary.story.StoryAssigner;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * The poll job: every tick, claims due feeds (in the database, with a lease, so several instances can share one
 * PostgreSQL) into a local queue and polls them with bounded concurrency, at most N at a time per host.
 */
@ApplicationScoped
public class PollScheduler {

    private static final Logger LOG = Logger.getLogger(PollScheduler.class);

    private final FeedStore feeds;
    private final FeedPoller poller;
    private final TributaryConfig.Poll config;
    private final String instance = "tributary-" + UUID.randomUUID();
    private final ExecutorService workers;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ConcurrentHashMap<String, Semaphore> hosts = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<ClaimedFeed> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger workersRunning = new AtomicInteger();
    private final ReentrantLock claiming = new ReentrantLock();
    /** The last claim took as many feeds as it asked for: more may be due before the next tick. */
    private volatile boolean moreDue;
    private volatile boolean stopping;
    private volatile Instant lastTick;

    private final StoryAssigner stories;

    public PollScheduler(FeedStore feeds, FeedPoller poller, StoryAssigner stories, TributaryConfig config) {
        this.stories = stories;
        this.feeds = feeds;
        this.poller = poller;
        this.config = config.poll();
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(this.config.concurrency(), r -> {
            Thread t = new Thread(r, "poll-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The name this instance claims feeds under. */
    public String instance() {
        return instance;
    }

    /** When the job last looked for due feeds (null before the first tick). */
    public Instant lastTick() {
        return lastTick;
    }

    @Scheduled(every = "${tributary.poll.tick:2s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!config.enabled() || stopping) {
            return;
        }
        lastTick = Instant.now();
        try {
            pollDue();
            stories.request(); // picks up entries a crash or a failed batch left without a story
        } catch (RuntimeException e) {
            LOG.warnf(e, "poll tick failed; the next tick tries again");
        }
    }

    /**
     * Claims due feeds and starts workers for them; returns how many feeds it claimed. Feeds are claimed ahead, up
     * to four times the worker count, into a local queue that the workers drain; a worker that finds the queue
     * running low claims the next lot itself (one claimer at a time), so the database sees one claim per several
     * polls instead of one per poll, and no worker waits for the next tick while feeds are due. A queued feed waits
     * at most four fetch deadlines (2 minutes by default), inside its lease (5 minutes).
     */
    public int pollDue() {
        return claimAndStart(true);
    }

    /**
     * Claims (waiting for the claim lock, or only if it is free) and starts workers for what was claimed: workers
     * that found the queue empty meanwhile have left, and the feeds just claimed must not wait for the next tick.
     */
    private int claimAndStart(boolean wait) {
        if (wait) {
            claiming.lock();
        } else if (!claiming.tryLock()) {
            return 0;
        }
        int n;
        try {
            n = claimLocked();
        } finally {
            claiming.unlock();
        }
        startWorkers();
        return n;
    }

    /** Tops the queue up to the claim-ahead target; the caller holds {@code claiming}. */
    private int claimLocked() {
        int ahead = config.concurrency() * 4;
        int limit = ahead - inFlight.get();
        if (limit <= 0 || stopping) {
            return 0;
        }
        List<ClaimedFeed> claimed = feeds.claimDue(instance, limit, config.lease(), Instant.now());
        moreDue = claimed.size() == limit;
        inFlight.addAndGet(claimed.size());
        queue.addAll(claimed);
        return claimed.size();
    }

    private void startWorkers() {
        while (!stopping) {
            int r = workersRunning.get();
            if (r >= config.concurrency() || queue.isEmpty()) {
                return;
            }
            if (workersRunning.compareAndSet(r, r + 1)) {
                try {
                    workers.execute(this::work);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    workersRunning.decrementAndGet();
                    return; // shutting down
                }
            }
        }
    }

    /** A worker: polls queued feeds until the queue is empty, topping it up when it runs low and more are due. */
    private void work() {
        try {
            while (!stopping) {
                if (moreDue && queue.size() <= config.concurrency() / 2 && config.enabled()) {
                    try {
                        claimAndStart(false);
                    } catch (RuntimeException e) {
                        moreDue = false;
                        LOG.debugf("claiming more due feeds failed; the next tick tries again: %s", e.getMessage());
                    }
                }
                ClaimedFeed feed = queue.poll();
                if (feed == null) {
                    return;
                }
                try {
                    pollPolitely(feed);
                } finally {
                    inFlight.decrementAndGet();
                }
            }
        } finally {
            workersRunning.decrementAndGet();
            if (!queue.isEmpty()) {
                startWorkers(); // a feed queued while this worker was leaving
            }
        }
    }

    /** Feeds claimed by this instance and not yet polled to the end (queued or running). */
    public int inFlight() {
        return inFlight.get();
    }

    /** Polls one feed, waiting for a free slot on its host first. */
    public FeedPoller.Outcome pollPolitely(ClaimedFeed feed) {
        Semaphore host = hosts.computeIfAbsent(hostOf(feed.url()), h -> new Semaphore(config.perHostConcurrency()));
        try {
            host.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new FeedPoller.Outcome("interrupted", 0, "interrupted");
        }
        try {
            return poller.poll(feed);
        } finally {
            host.release();
        }
    }

    private static String hostOf(String url) {
        try {
            String h = URI.create(url).getHost();
            return h == null ? "" : h.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop(config.shutdownGrace());
    }

    /**
     * Graceful shutdown: claim nothing more, give running polls {@code grace} to finish (each commits its feed's
     * state in one transaction, so none is left half-written), then release this instance's leases so the next
     * start (or another instance) polls those feeds at once instead of waiting for the leases to run out.
     */
    public void stop(java.time.Duration grace) {
        stopping = true;
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        while (queue.poll() != null) {
            inFlight.decrementAndGet(); // claimed but never started: its lease is released below
        }
        try {
            int released = feeds.releaseLeases(instance);
            LOG.infof("poller stopped; released %d lease(s)", released);
        } catch (RuntimeException e) {
            LOG.warnf("could not release leases at shutdown: %s", e.getMessage());
        }
    }
}
