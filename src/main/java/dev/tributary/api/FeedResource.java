package dev.tributary.api;

import dev.tributary.TributaryConfig;
import dev.tributary.feed.SubscriptionException;
import dev.tributary.feed.Subscriptions;
import dev.tributary.poll.PollScheduler;
import dev.tributary.push.WebSubscriber;
import dev.tributary.store.AlreadySubscribedException;
import dev.tributary.store.ClaimedFeed;
import dev.tributary.store.FeedStore;
import dev.tributary.store.FeedView;
import dev.tributary.store.PollView;
import dev.tributary.story.StoryAssigner;
import dev.tributary.timeline.TimelineChanges;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Subscriptions: add, list, show with health, change, delete, refresh now, poll history. */
@Path("/api/feeds")
@Produces(MediaType.APPLICATION_JSON)
public class FeedResource {

    private static final Set<String> STATUSES = Set.of("new", "ok", "erroring", "gone", "duplicate");

    private final Subscriptions subscriptions;
    private final FeedStore feeds;
    private final PollScheduler scheduler;
    private final TributaryConfig.Poll poll;
    private final TimelineChanges changes;

    private final StoryAssigner stories;
    private final WebSubscriber pushes;
    private final java.util.concurrent.atomic.AtomicReference<Instant> lastRefreshAll =
            new java.util.concurrent.atomic.AtomicReference<>();

    public FeedResource(Subscriptions subscriptions, FeedStore feeds, PollScheduler scheduler, StoryAssigner stories,
            WebSubscriber pushes, TimelineChanges changes, TributaryConfig config) {
        this.changes = changes;
        this.pushes = pushes;
        this.stories = stories;
        this.subscriptions = subscriptions;
        this.feeds = feeds;
        this.scheduler = scheduler;
        this.poll = config.poll();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(FeedRequests.Create body) {
        if (body == null) {
            throw ApiProblem.badRequest("body", "a JSON body with 'url' is required");
        }
        try {
            FeedView feed = subscriptions.subscribe(body.url(), body.title(), body.tags());
            return Response.created(URI.create("/api/feeds/" + feed.id())).entity(feed).build();
        } catch (SubscriptionException e) {
            throw ApiProblem.badRequest(e.field(), e.getMessage());
        } catch (AlreadySubscribedException e) {
            throw new ApiProblem(409, "Already subscribed", "this URL is already subscribed as feed " + e.existingId(),
                    "url", e.existingId(), null);
        }
    }

    /** Every feed with its status; {@code ?status=} filters. */
    @GET
    public List<FeedView> list(@QueryParam("status") String status) {
        if (status != null && !STATUSES.contains(status)) {
            throw ApiProblem.badRequest("status", "status must be one of " + STATUSES);
        }
        return feeds.list(status);
    }

    /** How many feeds are in each status. */
    @GET
    @Path("/summary")
    public Map<String, Long> summary() {
        return feeds.countByStatus();
    }

    @GET
    @Path("/{id}")
    public FeedView get(@PathParam("id") String id) {
        return feeds.find(feedId(id)).orElseThrow(() -> ApiProblem.notFound("id", "no feed with id " + id));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public FeedView patch(@PathParam("id") String id, FeedRequests.Patch body) {
        if (body == null) {
            throw ApiProblem.badRequest("body", "a JSON body is required");
        }
        try {
            FeedView updated = subscriptions.update(feedId(id), body.title(), body.tags(), body.paused());
            changes.changed(); // titles, tags and pauses show in the timeline and the output feeds
            return updated;
        } catch (SubscriptionException e) {
            if (e.field().equals("id")) {
                throw ApiProblem.notFound("id", e.getMessage());
            }
            throw ApiProblem.badRequest(e.field(), e.getMessage());
        }
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        long feedId = feedId(id);
        if (feeds.find(feedId).isPresent()) {
            pushes.unsubscribe(feedId);
        }
        if (!feeds.delete(feedId)) {
            throw ApiProblem.notFound("id", "no feed with id " + id);
        }
        changes.changed();
        return Response.noContent().build();
    }

    /** Polls the feed now and answers with its new state; rate-limited per feed. */
    @POST
    @Path("/{id}/refresh")
    public FeedView refresh(@PathParam("id") String id) {
        long feedId = feedId(id);
        ClaimedFeed claimed;
        try {
            claimed = feeds.claimNow(feedId, scheduler.instance(), poll.lease(), poll.manualRefreshMinGap(), Instant.now())
                    .orElseThrow(() -> ApiProblem.notFound("id", "no feed with id " + id));
        } catch (FeedStore.RefreshTooSoon e) {
            throw new ApiProblem(429, "Too many requests", "this feed was refreshed or polled moments ago; try later",
                    "id", null, e.retryAfter());
        }
        scheduler.pollPolitely(claimed);
        stories.assignPending();
        return get(id);
    }

    /** Makes every unpaused feed due now; the poll job takes them in its next ticks (at most once per 30 s). */
    @POST
    @Path("/refresh")
    public Map<String, Integer> refreshAll() {
        Instant now = Instant.now();
        Instant last = lastRefreshAll.get();
        if (last != null && last.plus(poll.manualRefreshMinGap()).isAfter(now)) {
            throw new ApiProblem(429, "Too many requests", "all feeds were refreshed moments ago; try later", null, null,
                    java.time.Duration.between(now, last.plus(poll.manualRefreshMinGap())));
        }
        if (!lastRefreshAll.compareAndSet(last, now)) {
            throw new ApiProblem(429, "Too many requests", "all feeds are being refreshed; try later", null, null,
                    poll.manualRefreshMinGap());
        }
        return Map.of("due", feeds.makeAllDue(now));
    }

    @GET
    @Path("/{id}/polls")
    public List<PollView> polls(@PathParam("id") String id) {
        long feedId = feedId(id);
        if (feeds.find(feedId).isEmpty()) {
            throw ApiProblem.notFound("id", "no feed with id " + id);
        }
        return feeds.history(feedId, poll.historySize());
    }

    static long feedId(String id) {
        try {
            long v = Long.parseLong(id);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw ApiProblem.badRequest("id", "feed id must be a positive whole number");
    }
}
