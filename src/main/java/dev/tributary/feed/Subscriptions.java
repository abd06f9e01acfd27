package dev.tributary.feed;

import dev.tributary.fetch.FeedFetcher;
import dev.tributary.fetch.FetchException;
import dev.tributary.store.AlreadySubscribedException;
import dev.tributary.store.FeedStore;
import dev.tributary.store.FeedView;
import dev.tributary.store.UrlKey;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Adds, changes and removes subscriptions, checking each URL (scheme, address guard) and normalising tags. */
@ApplicationScoped
public class Subscriptions {

    static final int MAX_TAGS = 32;
    static final int MAX_TAG_LENGTH = 64;
    static final int MAX_TITLE_LENGTH = 512;

    private final FeedStore feeds;
    private final FeedFetcher fetcher;

    public Subscriptions(FeedStore feeds, FeedFetcher fetcher) {
        this.feeds = feeds;
        this.fetcher = fetcher;
    }

    /** Subscribes to a URL; the feed is due at once. */
    public FeedView subscribe(String url, String title, List<String> tags)
            throws SubscriptionException, AlreadySubscribedException {
        FeedStore.NewFeed f = check(url, title, tags);
        return feeds.subscribe(f.url(), f.urlKey(), f.title(), f.tags(), Instant.now());
    }

    /** Checks a subscription (scheme, address guard, title, tags) without storing it. */
    public FeedStore.NewFeed check(String url, String title, List<String> tags) throws SubscriptionException {
        String checked = checkUrl(url);
        String key = UrlKey.of(checked);
        if (key == null) {
            throw new SubscriptionException("url", "not an absolute URL");
        }
        return new FeedStore.NewFeed(checked, key, checkTitle(title), checkTags(tags));
    }

    /** Stores checked subscriptions in bulk; per feed, whether it was added. */
    public boolean[] subscribeMany(List<FeedStore.NewFeed> checked) {
        return feeds.subscribeMany(checked, Instant.now());
    }

    /** Stores a checked subscription unless its URL is already subscribed; returns whether it added the feed. */
    public boolean subscribeIfNew(FeedStore.NewFeed f) {
        try {
            feeds.subscribe(f.url(), f.urlKey(), f.title(), f.tags(), Instant.now());
            return true;
        } catch (AlreadySubscribedException e) {
            return false;
        }
    }

    public FeedView update(long id, String title, List<String> tags, Boolean paused) throws SubscriptionException {
        return feeds.update(id, title == null ? null : checkTitle(title), tags == null ? null : checkTags(tags), paused,
                Instant.now()).orElseThrow(() -> new SubscriptionException("id", "no feed with id " + id));
    }

    private String checkUrl(String url) throws SubscriptionException {
        if (url == null || url.isBlank()) {
            throw new SubscriptionException("url", "url is required");
        }
        try {
            return fetcher.checkUrl(url.trim()).toString();
        } catch (FetchException e) {
            throw new SubscriptionException("url", e.getMessage());
        }
    }

    private static String checkTitle(String title) throws SubscriptionException {
        if (title == null || title.isBlank()) {
            return null;
        }
        if (title.length() > MAX_TITLE_LENGTH) {
            throw new SubscriptionException("title", "title longer than " + MAX_TITLE_LENGTH + " characters");
        }
        return title.strip();
    }

    static Set<String> checkTags(List<String> tags) throws SubscriptionException {
        Set<String> out = new LinkedHashSet<>();
        if (tags == null) {
            return out;
        }
        if (tags.size() > MAX_TAGS) {
            throw new SubscriptionException("tags", "at most " + MAX_TAGS + " tags");
        }
        for (String t : tags) {
            if (t == null || t.isBlank()) {
                throw new SubscriptionException("tags", "tags must not be empty");
            }
            String tag = t.strip();
            if (tag.length() > MAX_TAG_LENGTH) {
                throw new SubscriptionException("tags", "tag longer than " + MAX_TAG_LENGTH + " characters");
            }
            out.add(tag);
        }
        return out;
    }
}
