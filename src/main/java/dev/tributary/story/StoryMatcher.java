package dev.tributary.story;

import dev.tributary.TributaryConfig;
import dev.tributary.store.NewEntry;
import dev.tributary.store.StoryStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Puts each new entry into a story: the story of an entry elsewhere with the same canonical link or the same
 * URL-shaped guid, else a new story. Keys live in story_key, whose primary key makes two racing polls agree.
 */
@ApplicationScoped
public class StoryMatcher {

    static final String SAME_LINK = "same canonical link";
    static final String SAME_GUID = "same guid URL";
    static final String FIRST = "first copy";

    private final StoryStore stories;
    private final TributaryConfig.StoryMode mode;

    public StoryMatcher(StoryStore stories, TributaryConfig config) {
        this.stories = stories;
        this.mode = config.stories().mode();
    }

    /** Assigns every entry to a story; runs inside the caller's transaction. Returns how many joined an existing story. */
    public int assign(List<NewEntry> entries, Instant now) {
        int merged = 0;
        for (NewEntry e : entries) {
            if (assign(e, now)) {
                merged++;
            }
        }
        return merged;
    }

    private boolean assign(NewEntry e, Instant now) {
        List<String> keys = mode == TributaryConfig.StoryMode.off ? List.of() : keys(e);
        Optional<StoryStore.StoryKeyEntityView> match = stories.findByKeys(keys);
        if (match.isPresent() && stories.hasOtherEntryOfFeed(match.get().storyId(), e.feedId(), e.id())) {
            // The feed itself repeats this link on several entries (a home-page link, say): keep them apart.
            stories.assign(e.id(), stories.create(e.published(), now), FIRST);
            return false;
        }
        if (match.isPresent()) {
            long storyId = match.get().storyId();
            stories.assign(e.id(), storyId, reason(match.get().key(), e));
            keys.forEach(k -> stories.addKey(k, storyId));
            return true;
        }
        long storyId = stories.create(e.published(), now);
        stories.assign(e.id(), storyId, FIRST);
        for (String k : keys) {
            if (!stories.addKey(k, storyId)) {
                // Another poll took this key for its story in the meantime: join that one instead.
                Optional<StoryStore.StoryKeyEntityView> winner = stories.findByKeys(List.of(k));
                if (winner.isPresent() && winner.get().storyId() != storyId) {
                    stories.assign(e.id(), winner.get().storyId(), reason(k, e));
                    stories.deleteIfEmpty(storyId);
                    keys.forEach(other -> stories.addKey(other, winner.get().storyId()));
                    return true;
                }
            }
        }
        return false;
    }

    /** The keys under which an entry can be found: its canonical link and its guid when that is a URL. */
    static List<String> keys(NewEntry e) {
        List<String> keys = new ArrayList<>(2);
        if (e.canonicalLink() != null) {
            keys.add("u:" + e.canonicalLink());
        }
        if (e.guidUrl() != null && !keys.contains("u:" + e.guidUrl())) {
            keys.add("u:" + e.guidUrl());
        }
        return keys;
    }

    private static String reason(String key, NewEntry e) {
        return e.canonicalLink() != null && key.equals("u:" + e.canonicalLink()) ? SAME_LINK : SAME_GUID;
    }
}
