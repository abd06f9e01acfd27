package dev.tributary.ops;

import dev.tributary.store.FeedStore;
import dev.tributary.store.PollBacklog;
import dev.tributary.store.StoryStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** Gauges of the poll backlog (read at most every few seconds) and of entries waiting for the story stage. */
@ApplicationScoped
public class PollMetrics {

    private static final Duration CACHE = Duration.ofSeconds(5);

    private final FeedStore feeds;
    private final MeterRegistry registry;
    private final AtomicReference<Cached> cached = new AtomicReference<>();

    private record Cached(Instant at, PollBacklog backlog) {
    }

    private final StoryStore stories;

    public PollMetrics(FeedStore feeds, StoryStore stories, MeterRegistry registry) {
        this.stories = stories;
        this.feeds = feeds;
        this.registry = registry;
    }

    void register(@Observes StartupEvent event) {
        registry.gauge("tributary.due.feeds", this, m -> m.backlog().dueFeeds());
        registry.gauge("tributary.due.oldest.age.seconds", this, m -> m.backlog().oldestLateness().toSeconds());
        registry.gauge("tributary.erroring.feeds", this, m -> m.backlog().erroringFeeds());
        registry.gauge("tributary.stories.pending", stories, StoryStore::pendingCount);
    }

    private PollBacklog backlog() {
        Cached c = cached.get();
        Instant now = Instant.now();
        if (c == null || c.at().plus(CACHE).isBefore(now)) {
            c = new Cached(now, feeds.backlog(now));
            cached.set(c);
        }
        return c.backlog();
    }
}
