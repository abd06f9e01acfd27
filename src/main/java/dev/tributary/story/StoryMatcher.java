package dev.tributary.story;

import dev.tributary.TributaryConfig;
import dev.tributary.parse.NearDuplicate;
import dev.tributary.parse.TextFingerprint;
import dev.tributary.parse.CanonicalLink;
import dev.tributary.store.PendingEntry;
import dev.tributary.store.StoryStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Puts each new entry into a story. Exact first: the story of an entry elsewhere with the same canonical link or
 * URL-shaped guid (keys in story_key, whose primary key makes racing polls agree). Then, in {@code near} mode, a
 * near-duplicate: candidates sharing a MinHash band or an opening shingle in the database index, within the time
 * window, confirmed by {@link NearDuplicate}. Else a new story. Two entries of one feed never share a story.
 */
@ApplicationScoped
public class StoryMatcher {

    static final String SAME_LINK = "same canonical link";
    static final String SAME_GUID = "same guid URL";
    static final String FIRST = "first copy";
    /** Candidates confirmed at most per entry (those sharing the most index keys). */
    static final int MAX_CANDIDATES = 20;

    private final StoryStore stories;
    private final TributaryConfig.StoryMode mode;
    private final Duration window;
    private final NearDuplicate near;

    public StoryMatcher(StoryStore stories, TributaryConfig config) {
        this.stories = stories;
        this.mode = config.stories().mode();
        this.window = config.stories().window();
        this.near = new NearDuplicate(config.stories().jaccardThreshold(), config.stories().containmentThreshold(),
                config.stories().titleThreshold());
    }

    /** The matcher with the default thresholds (the ones the labelled-set test measures). */
    static NearDuplicate defaultMatcher() {
        return new NearDuplicate(0.45, 0.75, 0.2);
    }

    /**
     * Assigns every entry to a story; runs inside the caller's transaction, which holds the assignment lock.
     * Returns how many joined an existing story.
     */
    public int assign(List<PendingEntry> entries, Instant now) {
        int merged = 0;
        for (PendingEntry e : entries) {
            if (assign(e, now)) {
                merged++;
            }
        }
        return merged;
    }

    private boolean assign(PendingEntry e, Instant now) {
        List<String> keys = mode == TributaryConfig.StoryMode.off ? List.of() : keys(e);
        TextFingerprint fingerprint = mode == TributaryConfig.StoryMode.near ? TextFingerprint.of(e.title(), e.body()) : null;
        List<String> nearKeys = fingerprint == null ? List.of() : fingerprint.indexKeys();

        Optional<StoryStore.StoryKeyEntityView> exact = stories.findByKeys(keys);
        if (exact.isPresent() && !stories.hasOtherEntryOfFeed(exact.get().storyId(), e.feedId(), e.id())) {
            return join(e, exact.get().storyId(), reason(exact.get().key(), e), keys, nearKeys);
        }
        boolean feedRepeatsLink = exact.isPresent();
        if (fingerprint != null && !feedRepeatsLink) {
            Optional<Match> match = nearDuplicate(e, fingerprint, nearKeys);
            if (match.isPresent()) {
                return join(e, match.get().storyId(), match.get().reason(), keys, nearKeys);
            }
        }
        long storyId = stories.create(e.published(), now);
        stories.assign(e.id(), storyId, FIRST);
        stories.addFingerprints(e, storyId, nearKeys);
        if (feedRepeatsLink) {
            // The feed itself repeats this link on several entries (a home-page link, say): keep them apart.
            return false;
        }
        keys.forEach(k -> stories.addKey(k, storyId)); // no race: batches hold the assignment lock
        return false;
    }

    private boolean join(PendingEntry e, long storyId, String reason, List<String> keys, List<String> nearKeys) {
        stories.assign(e.id(), storyId, reason);
        stories.addKeys(keys, storyId);
        stories.addFingerprints(e, storyId, nearKeys);
        return true;
    }

    private record Match(long storyId, String reason, double score) {
    }

    /** The best confirmed near-duplicate among the index candidates, skipping stories this feed is already in. */
    private Optional<Match> nearDuplicate(PendingEntry e, TextFingerprint fingerprint, List<String> nearKeys) {
        if (fingerprint.shingles().length < NearDuplicate.MIN_SHINGLES) {
            return Optional.empty();
        }
        Match best = null;
        List<Long> checkedStories = new ArrayList<>();
        for (StoryStore.Candidate c : stories.candidates(nearKeys, e.published().minus(window), e.published().plus(window),
                e.id(), MAX_CANDIDATES)) {
            if (c.feedId() == e.feedId() || checkedStories.contains(c.storyId())
                    || stories.hasOtherEntryOfFeed(c.storyId(), e.feedId(), e.id())) {
                continue;
            }
            NearDuplicate.Similarity s = near.compare(fingerprint, TextFingerprint.of(c.title(), c.body()));
            if (s.same()) {
                double score = Math.max(s.jaccard(), s.containment());
                if (best == null || score > best.score()) {
                    best = new Match(c.storyId(), s.reason(), score);
                }
                checkedStories.add(c.storyId());
            }
        }
        return Optional.ofNullable(best);
    }

    /** The keys under which an entry can be found: its canonical link and its guid when that is a URL. */
    static List<String> keys(PendingEntry e) {
        List<String> keys = new ArrayList<>(2);
        if (e.canonicalLink() != null) {
            keys.add("u:" + e.canonicalLink());
        }
        String guidUrl = guidUrl(e);
        if (guidUrl != null && !keys.contains("u:" + guidUrl)) {
            keys.add("u:" + guidUrl);
        }
        return keys;
    }

    /** The guid in canonical form when it is a URL (many feeds use the article's address as its guid). */
    static String guidUrl(PendingEntry e) {
        if (e.guid() == null || !e.guid().regionMatches(true, 0, "http", 0, 4)) {
            return null;
        }
        String url = CanonicalLink.of(e.guid());
        return url == null || url.length() > 290 ? null : url;
    }

    private static String reason(String key, PendingEntry e) {
        return e.canonicalLink() != null && key.equals("u:" + e.canonicalLink()) ? SAME_LINK : SAME_GUID;
    }
}
