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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The poll job: every tick, claims as many due feeds as there are free workers (in the database, with a lease, so
 * several instances can share one PostgreSQL) and polls them with bounded concurrency, at most N at a time per host.
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
     * Claims due feeds for the free workers and starts their polls; returns how many were started. When a claim
     * fills every free worker, more feeds may be due: each worker that finishes claims again at once instead of
     * leaving its slot idle until the next tick.
     */
    public synchronized int pollDue() {
        int free = config.concurrency() - inFlight.get();
        List<ClaimedFeed> claimed = feeds.claimDue(instance, free, config.lease(), Instant.now());
        boolean full = free > 0 && claimed.size() == free;
        for (ClaimedFeed feed : claimed) {
            inFlight.incrementAndGet();
            workers.execute(() -> {
                try {
                    pollPolitely(feed);
                } finally {
                    inFlight.decrementAndGet();
                }
                if (full && !stopping && config.enabled()) {
                    try {
                        pollDue();
                    } catch (RuntimeException e) {
                        LOG.debugf("claiming more due feeds failed; the next tick tries again: %s", e.getMessage());
                    }
                }
            });
        }
        return claimed.size();
    }

    /** Feeds being polled right now by this instance. */
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
        try {
            int released = feeds.releaseLeases(instance);
            LOG.infof("poller stopped; released %d lease(s)", released);
        } catch (RuntimeException e) {
            LOG.warnf("could not release leases at shutdown: %s", e.getMessage());
        }
    }
}
