package dev.tributary.poll;

import dev.tributary.TributaryConfig;
import dev.tributary.fetch.FeedFetcher;
import dev.tributary.fetch.FetchException;
import dev.tributary.fetch.FetchFailure;
import dev.tributary.fetch.FetchRequest;
import dev.tributary.fetch.FetchResult;
import dev.tributary.parse.FeedDiscovery;
import dev.tributary.parse.FeedParseException;
import dev.tributary.parse.FeedParser;
import dev.tributary.parse.Hashes;
import dev.tributary.parse.ParsedEntry;
import dev.tributary.parse.ParsedFeed;
import dev.tributary.parse.TextFingerprint;
import dev.tributary.store.ClaimedFeed;
import dev.tributary.store.FeedStore;
import dev.tributary.store.PollRecord;
import dev.tributary.store.UrlKey;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.jboss.logging.Logger;

/**
 * Polls one claimed feed: fetch, parse and fingerprint here, on the worker; then the {@link Committer} stores the new
 * entries, each in its story, and records the outcome (new validators included) in one transaction, shared with
 * the other polls finishing at the same time. Every failure becomes a recorded outcome on the feed; nothing escapes
 * to the scheduler.
 */
@ApplicationScoped
public class FeedPoller {

    private static final Logger LOG = Logger.getLogger(FeedPoller.class);

    private final FeedFetcher fetcher;
    private final FeedParser parser;
    private final FeedStore feeds;
    private final Committer committer;
    private final PollPolicy policy;
    private final int historySize;
    private final MeterRegistry metrics;

    private final Event<HubDiscovered> hubs;
    private final Duration pushSafetyInterval;

    public FeedPoller(FeedFetcher fetcher, FeedStore feeds, Committer committer, Event<HubDiscovered> hubs,
            TributaryConfig config, MeterRegistry metrics) {
        this.hubs = hubs;
        this.pushSafetyInterval = config.push().safetyInterval();
        this.metrics = metrics;
        this.fetcher = fetcher;
        this.feeds = feeds;
        this.committer = committer;
        this.parser = new FeedParser(config.feeds().maxEntriesPerDocument());
        TributaryConfig.Poll p = config.poll();
        this.policy = new PollPolicy(p.minInterval(), p.defaultInterval(), p.maxInterval(), new Random());
        this.historySize = p.historySize();
    }

    /** What one poll did, for callers and tests. */
    public record Outcome(String outcome, int newEntries, String error) {
    }

    public Outcome poll(ClaimedFeed feed) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        FetchResult fetched = null;
        try {
            fetched = fetcher.fetch(new FetchRequest(feed.url(), feed.etag(), feed.lastModified()));
            if (fetched.notModified()) {
                return succeed(feed, started, t0, fetched, "not_modified", null, null, List.of());
            }
            String bodyHash = Hashes.sha256(fetched.body());
            if (bodyHash.equals(feed.bodyHash())) {
                return succeed(feed, started, t0, fetched.withoutBody(), "unchanged", bodyHash, null, List.of());
            }
            ParsedFeed parsed;
            try {
                parsed = parser.parse(fetched.body(), fetched.contentType(), fetched.finalUrl(), started);
            } catch (FeedParseException notAFeed) {
                // A web page (a site's address, say) that names its feed: read that feed instead, and move the
                // subscription to it (FetchResult.foundThrough), so the next poll asks for the feed itself.
                String found = discoveredFeed(fetched, feed.url()).orElseThrow(() -> notAFeed);
                String named = " (the feed the page at " + feed.url() + " names, " + found + ")";
                try {
                    fetched = fetcher.fetch(new FetchRequest(found, null, null)).foundThrough(found, fetched);
                } catch (FetchException e) {
                    // GONE would pause the subscription to the page, which may name another feed later.
                    FetchFailure failure = e.failure() == FetchFailure.GONE ? FetchFailure.HTTP_ERROR : e.failure();
                    throw new FetchException(failure, e.getMessage() + named, e.httpStatus(), e.retryAfter());
                }
                bodyHash = Hashes.sha256(fetched.body());
                try {
                    parsed = parser.parse(fetched.body(), fetched.contentType(), fetched.finalUrl(), started);
                } catch (FeedParseException alsoNot) {
                    throw new FeedParseException(alsoNot.getMessage() + named, alsoNot);
                }
                LOG.infof("feed discovered feed_id=%d page=%s feed_url=%s", feed.id(), feed.url(), fetched.movedTo());
            }
            fetched = fetched.withoutBody(); // the bytes are parsed: do not hold them through the commit
            if (fetched.movedTo() != null && feeds.subscribedElsewhere(fetched.movedTo(), feed.id())) {
                // Another subscription reads that address: the move makes this one its duplicate (FeedStore.moveTo),
                // and the entries are that subscription's to store, not this one's too.
                return succeed(feed, started, t0, fetched, "duplicate", bodyHash, null, List.of());
            }
            return succeed(feed, started, t0, fetched, "ok", bodyHash, parsed, fingerprints(parsed.entries()));
        } catch (FetchException e) {
            Duration retryAfter = e.retryAfter();
            return fail(feed, started, t0, fetched, e.failure().name().toLowerCase(Locale.ROOT), e.httpStatus(),
                    e.getMessage(), retryAfter, e.failure() == FetchFailure.GONE);
        } catch (FeedParseException e) {
            String kind = e.getMessage().startsWith("not a feed") ? "not_a_feed" : "invalid_feed";
            return fail(feed, started, t0, fetched, kind, fetched == null ? null : fetched.status(), e.getMessage(), null, false);
        } catch (RuntimeException e) {
            LOG.warnf(e, "poll failed unexpectedly feed_id=%d feed_url=%s", feed.id(), feed.url());
            return fail(feed, started, t0, fetched, "internal_error", fetched == null ? null : fetched.status(),
                    "internal error: " + e.getClass().getSimpleName(), null, false);
        }
    }

    private Outcome succeed(ClaimedFeed feed, Instant started, long t0, FetchResult fetched, String outcome,
            String bodyHash, ParsedFeed parsed, List<TextFingerprint> fingerprints) {
        List<ParsedEntry> found = parsed == null ? List.of() : parsed.entries();
        Committer.Saved saved = committer.commit(new Committer.Job(feed.id(), found, fingerprints, started, s -> {
            // With new entries, the row's times as this transaction locked it (a push may have changed them since
            // the claim); without, the claim's.
            List<Instant> recent = feeds.recentPublished(feed.id(),
                    s.published().isEmpty() ? feed.recentPublished() : s.rowPublished(), s.published());
            Duration hint = longest(fetched.maxAge(), parsed == null ? null : parsed.publishHint());
            NextPoll next = policy.afterSuccess(Instant.now(), recent, hint);
            if (parsed != null) {
                next = policy.respecting(parsed.skip(), Instant.now(), next);
            }
            if (feed.pushUntil() != null && feed.pushUntil().isAfter(Instant.now())) {
                next = new NextPoll(Instant.now().plus(pushSafetyInterval),
                        "push active; safety poll every " + PollPolicy.describe(pushSafetyInterval));
            }
            return new PollRecord(feed.id(), started, outcome, fetched.status(), fetched.wireBytes(),
                    millisSince(t0), s.inserted(), null, 0, next.at(), next.reason(),
                    fetched.notModified() ? feed.etag() : fetched.etag(),
                    fetched.notModified() ? feed.lastModified() : fetched.lastModified(), bodyHash, fetched.movedTo(),
                    parsed == null ? null : parsed.title(), parsed == null ? null : parsed.siteUrl(), false,
                    feed.recentPublished() == null || !s.published().isEmpty() ? recent : null);
        }));
        count(outcome, fetched);
        countEntries(saved);
        if (!outcome.equals("duplicate")) { // a duplicate is paused: the feed it duplicates takes the pushes
            announceHub(feed, fetched, parsed);
        }
        LOG.debugf("poll feed_id=%d feed_url=%s outcome=%s status=%d new_entries=%d duration_ms=%d", feed.id(),
                feed.url(), outcome, fetched.status(), saved.inserted(), millisSince(t0));
        return new Outcome(outcome, saved.inserted(), null);
    }

    /**
     * The feed a web page names in its head ({@link FeedDiscovery}), when the body that failed to parse is one; never
     * the page's own address (or the feed's), which would only fail again.
     */
    private static java.util.Optional<String> discoveredFeed(FetchResult page, String feedUrl) {
        if (!FeedDiscovery.looksLikeHtml(page.body(), page.contentType())) {
            return java.util.Optional.empty();
        }
        return FeedDiscovery.find(page.body(), page.contentType(), page.finalUrl())
                .filter(u -> !java.util.Objects.equals(UrlKey.of(u), UrlKey.of(feedUrl))
                        && !java.util.Objects.equals(UrlKey.of(u), UrlKey.of(page.finalUrl())));
    }

    /** Near-duplicate fingerprints of a document's entries, computed here on the worker, in parallel with others. */
    private List<TextFingerprint> fingerprints(List<ParsedEntry> found) {
        List<TextFingerprint> out = new ArrayList<>(found.size());
        for (ParsedEntry e : found) {
            out.add(committer.fingerprint(e));
        }
        return out;
    }

    private void countEntries(Committer.Saved saved) {
        metrics.counter("tributary.entries.stored").increment(saved.inserted());
        metrics.counter("tributary.entries.updated").increment(saved.updated());
        metrics.counter("tributary.entries.duplicates").increment(saved.unchanged());
    }

    private Outcome fail(ClaimedFeed feed, Instant started, long t0, FetchResult fetched, String outcome,
            Integer httpStatus, String message, Duration retryAfter, boolean gone) {
        int errors = feed.errorCount() + 1;
        NextPoll next = policy.afterError(Instant.now(), errors, retryAfter);
        String reason = gone ? "gone (410): paused until resumed" : next.reason();
        String error = message == null ? outcome : message.length() > 2000 ? message.substring(0, 2000) : message;
        try {
            committer.commit(new Committer.Job(feed.id(), List.of(), List.of(), started, s -> new PollRecord(feed.id(),
                    started, outcome, httpStatus, fetched == null ? null : fetched.wireBytes(), millisSince(t0), 0, error,
                    errors, next.at(), reason, null, null, null, null, null, null, gone, null)));
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not record poll failure feed_id=%d feed_url=%s", feed.id(), feed.url());
        }
        count(outcome, fetched);
        LOG.infof("poll failed feed_id=%d feed_url=%s outcome=%s status=%s errors=%d duration_ms=%d error=\"%s\"",
                feed.id(), feed.url(), outcome, httpStatus, errors, millisSince(t0), error);
        return new Outcome(outcome, 0, error);
    }

    /** Tells the push stage about a WebSub hub: the Link header first, then the document's own links. */
    private void announceHub(ClaimedFeed feed, FetchResult fetched, ParsedFeed parsed) {
        String hub = fetched.links().get("hub");
        String self = fetched.links().get("self");
        if (hub == null && parsed != null) {
            hub = parsed.hubUrl();
        }
        if (self == null && parsed != null) {
            self = parsed.selfUrl();
        }
        if (hub != null) {
            hubs.fireAsync(new HubDiscovered(feed.id(), hub, self != null ? self : fetched.finalUrl()));
        }
    }

    /**
     * Stores the entries of a document a WebSub hub pushed, through the same parse and store path as a poll.
     * Returns how many entries were new.
     */
    public int ingestPushed(long feedId, String feedUrl, byte[] body, String contentType) throws FeedParseException {
        Instant now = Instant.now();
        ParsedFeed parsed = parser.parse(body, contentType, feedUrl, now);
        Committer.Saved saved = committer.commit(new Committer.Job(feedId, parsed.entries(),
                fingerprints(parsed.entries()), now,
                s -> {
                    feeds.recordPush(feedId, now, s.inserted(), s.published(), body.length, historySize);
                    return null;
                }));
        metrics.counter("tributary.polls", "outcome", "push").increment();
        countEntries(saved);
        return saved.inserted();
    }

    private void count(String outcome, FetchResult fetched) {
        metrics.counter("tributary.polls", "outcome", outcome).increment();
        if (fetched != null) {
            metrics.timer("tributary.fetch.duration").record(fetched.duration());
            metrics.counter("tributary.fetch.bytes").increment(fetched.wireBytes());
        }
    }

    private static Duration longest(Duration a, Duration b) {
        return a == null ? b : b == null ? a : a.compareTo(b) >= 0 ? a : b;
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
