package dev.tributary.ops;

import dev.tributary.TributaryConfig;
import dev.tributary.poll.PollScheduler;
import dev.tributary.store.FeedStore;
import dev.tributary.store.PollBacklog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the poller: the scheduled job must have looked for due feeds recently (a stuck scheduler makes the
 * service not ready). Reports the backlog and the number of erroring feeds alongside.
 */
@Readiness
@ApplicationScoped
public class PollHealth implements HealthCheck {

    private final PollScheduler scheduler;
    private final FeedStore feeds;
    private final TributaryConfig.Poll config;
    private final Instant started = Instant.now();

    public PollHealth(PollScheduler scheduler, FeedStore feeds, TributaryConfig config) {
        this.scheduler = scheduler;
        this.feeds = feeds;
        this.config = config.poll();
    }

    @Override
    public HealthCheckResponse call() {
        Instant now = Instant.now();
        HealthCheckResponseBuilder r = HealthCheckResponse.named("poller");
        PollBacklog backlog = feeds.backlog(now);
        r.withData("dueFeeds", backlog.dueFeeds())
                .withData("mostOverdueSeconds", backlog.oldestLateness().toSeconds())
                .withData("erroringFeeds", backlog.erroringFeeds());
        if (!config.enabled()) {
            return r.up().withData("job", "disabled by tributary.poll.enabled=false").build();
        }
        Duration allowed = config.tick().multipliedBy(5).plusSeconds(30);
        Instant last = scheduler.lastTick();
        Instant reference = last != null ? last : started;
        boolean recent = Duration.between(reference, now).compareTo(allowed) <= 0;
        r.withData("lastTick", last == null ? "never" : last.toString());
        return (recent ? r.up() : r.down().withData("reason", "the poll job has not run for over " + allowed.toSeconds() + " s"))
                .build();
    }
}
