package dev.tributary.story;

import dev.tributary.TributaryConfig;
import dev.tributary.parse.NearDuplicate;
import dev.tributary.parse.TextFingerprint;
import dev.tributary.store.PendingEntry;
import dev.tributary.store.StoryKeys;
import dev.tributary.store.StoryStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts each new entry into a story. Exact first: the story of an entry elsewhere with the same canonical link or
 * URL-shaped guid (keys in story_key, whose primary key makes racing polls agree; kept for two windows after the
 * story was first seen, {@code StoryStore.pruneKeys}). Then, in {@code near} mode, a
 * near-duplicate: candidates sharing a MinHash band or an opening shingle in the database index, within the time
 * window, confirmed by {@link NearDuplicate}. Else a new story. Two entries of one feed never share a story.
 */
@ApplicationScoped
public class StoryMatcher {

    static final String SAME_LINK = "same canonical link";
    static final String SAME_GUID = "same guid URL";
    static final String FIRST = "first copy";
    /** The first copy of a story that a later copy found to be the same as an older story: merged into that one. */
    static final String MERGED = "merged with this story through a later copy";
    /** The similarity (Jaccard or containment) a copy must have with each of two stories to merge them. */
    static final double MERGE_SCORE = 0.9;
    /** Candidates confirmed at most per entry (those sharing the most index keys). */
    static final int MAX_CANDIDATES = 20;

    private final StoryStore stories;
    private final TributaryConfig.StoryMode mode;
    private final Duration window;
    private final NearDuplicate near;

    private final Timer lookups;

    public StoryMatcher(StoryStore stories, TributaryConfig config, MeterRegistry metrics) {
        this.stories = stories;
        // The reads of a batch (keys, index hits, candidates' stories and texts): the cost the index keeps flat.
        this.lookups = metrics.timer("tributary.stories.lookup");
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
     * An entry to place: a stored one without a story ({@code ref} is its id) or one about to be stored with its
     * story ({@code ref} negative, unique in the batch). The fingerprint may be computed ahead (by a poll worker);
     * null means "compute it here if the mode needs it".
     */
    public record Incoming(long ref, long feedId, Instant published, String canonicalLink, String guid, String title,
            String body, TextFingerprint fingerprint) {
    }

    /** Where an entry goes: its story, why, the story keys it brings, and its near-duplicate index keys. */
    public record Placed(Incoming entry, long storyId, String reason, List<String> newKeys, long[] indexKeys) {
        public boolean merged() {
            return !FIRST.equals(reason);
        }
    }

    /** The near-duplicate fingerprint of an entry's title and body when the mode matches on text, else null. */
    public TextFingerprint fingerprint(String title, String body) {
        return mode == TributaryConfig.StoryMode.near ? TextFingerprint.of(title, body) : null;
    }

    /**
     * Places stored entries that have no story yet (entries from before stories were assigned at insert): decides
     * and writes the entry updates, keys and index rows. Runs in the caller's transaction, which holds the
     * assignment lock. Returns how many joined an existing story.
     */
    public int assign(List<PendingEntry> entries, Instant now) {
        List<Incoming> in = new ArrayList<>(entries.size());
        for (PendingEntry e : entries) {
            in.add(new Incoming(e.id(), e.feedId(), e.published(), e.canonicalLink(), e.guid(), e.title(), e.body(), null));
        }
        List<Placed> placed = place(in, now);
        List<StoryStore.Placement> placements = new ArrayList<>(placed.size());
        int merged = 0;
        for (Placed p : placed) {
            Incoming e = p.entry();
            placements.add(new StoryStore.Placement(e.ref(), p.storyId(), p.reason(), p.newKeys(), p.indexKeys()));
            merged += p.merged() ? 1 : 0;
        }
        stories.place(placements);
        return merged;
    }

    /**
     * Decides the story of every entry of a batch and creates the new stories; the caller writes the entries (or
     * their updates), keys and index rows. Runs inside the caller's transaction, which holds the assignment lock.
     * Set-based: a handful of reads for the whole batch (keys, index hits, the feeds of the stories they name,
     * candidate texts), the decisions in memory in entry order (so later entries of the batch see the stories
     * earlier ones made), then one JDBC batch for the new stories.
     */
    public List<Placed> place(List<Incoming> entries, Instant now) {
        if (entries.isEmpty()) {
            return List.of();
        }
        List<Work> work = new ArrayList<>(entries.size());
        Set<String> allKeys = new HashSet<>();
        for (Incoming e : entries) {
            List<String> keys = mode == TributaryConfig.StoryMode.off ? List.of() : keys(e);
            TextFingerprint fp = e.fingerprint() != null ? e.fingerprint() : fingerprint(e.title(), e.body());
            // A text too short to ever match (NearDuplicate.MIN_SHINGLES) is neither probed for nor indexed: a
            // title-only or one-sentence entry, common in link blogs, would write a dozen rows nobody can match.
            long[] indexKeys = fp == null || !fp.matchable() ? NO_KEYS : fp.indexKeys();
            work.add(new Work(e, keys, fp, indexKeys));
            allKeys.addAll(keys);
        }
        long t0 = System.nanoTime();
        Batch batch = new Batch(work.stream().flatMapToLong(w -> java.util.Arrays.stream(w.indexKeys())).toArray());
        batch.keyStory.putAll(stories.storiesByKeys(allKeys));
        for (StoryStore.FingerprintHit h : stories.fingerprintHits(batch.indexKeys)) {
            batch.stored.computeIfAbsent(h.key(), k -> new ArrayList<>()).add(h);
        }
        // Only the stored candidates that can rank among an entry's best need their text; entries of this batch
        // bring their fingerprints with them.
        Set<Long> storiesToCheck = new HashSet<>(batch.keyStory.values());
        Set<Long> textsNeeded = new HashSet<>();
        for (Work w : work) {
            if (w.nearEligible()) {
                for (Ranked r : rank(w, batch, false)) {
                    textsNeeded.add(r.entryId());
                    storiesToCheck.add(r.storyRef());
                }
            }
        }
        batch.storyFeeds.putAll(stories.feedsOfStories(storiesToCheck));
        Map<Long, String[]> texts = stories.texts(textsNeeded);
        for (Map.Entry<Long, String[]> t : texts.entrySet()) {
            batch.storedFingerprints.put(t.getKey(), TextFingerprint.of(t.getValue()[0], t.getValue()[1]));
        }
        lookups.record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);

        List<Decision> decisions = new ArrayList<>(work.size());
        for (Work w : work) {
            decisions.add(decide(w, batch));
        }
        // Stories this batch made and then merged into older ones are never written.
        List<Instant> toCreate = new ArrayList<>(batch.newStories.size());
        int[] slot = new int[batch.newStories.size()];
        for (int i = 0; i < slot.length; i++) {
            slot[i] = batch.mergedInto.containsKey(-(i + 1L)) ? -1 : toCreate.size();
            if (slot[i] >= 0) {
                toCreate.add(batch.newStories.get(i));
            }
        }
        long[] created = stories.createStories(toCreate, now);
        Map<Long, Long> storedMerges = new HashMap<>();
        for (Map.Entry<Long, Long> m : batch.mergedInto.entrySet()) {
            if (m.getKey() > 0) {
                storedMerges.put(m.getKey(), batch.resolve(m.getKey())); // stored into stored: the older one is kept
            }
        }
        stories.mergeStories(storedMerges, FIRST, MERGED);
        List<Placed> placed = new ArrayList<>(decisions.size());
        for (Decision d : decisions) {
            long ref = batch.resolve(d.storyRef());
            long storyId = ref > 0 ? ref : created[slot[(int) (-ref - 1)]];
            String reason = ref != d.storyRef() && FIRST.equals(d.reason()) ? MERGED : d.reason();
            placed.add(new Placed(d.work().entry(), storyId, reason, d.newKeys(), d.work().indexKeys()));
        }
        return placed;
    }

    /** One entry of the batch with what matching needs. */
    private record Work(Incoming entry, List<String> keys, TextFingerprint fingerprint, long[] indexKeys) {
        /** Long enough to be matched on its text (a title and a sentence never are). */
        boolean nearEligible() {
            return fingerprint != null && fingerprint.matchable();
        }
    }

    /** An entry's story (positive: stored; negative: the n-th story this batch creates) and why. */
    private record Decision(Work work, long storyRef, String reason, List<String> newKeys) {
    }

    /** An entry of this batch, as later entries of the batch find it through the index. */
    private record Indexed(long entryId, long storyRef, long feedId, Instant published, TextFingerprint fingerprint) {
    }

    /** A candidate and how many index keys it shares with the entry. */
    private record Ranked(long entryId, long storyRef, long feedId, int shared, TextFingerprint batchFingerprint) {
    }

    private static final long[] NO_KEYS = {};

    /** What a batch knows as it goes: stored state read up front plus the decisions made so far. */
    private static final class Batch {
        /** Every index key of the batch's entries, sorted (repeats kept: a key twice is shared by two entries). */
        final long[] indexKeys;
        final Map<String, Long> keyStory = new HashMap<>();
        final Map<Long, List<StoryStore.FingerprintHit>> stored = new HashMap<>();
        final Map<Long, List<Indexed>> added = new HashMap<>();
        final Map<Long, Set<Long>> storyFeeds = new HashMap<>();
        final Map<Long, TextFingerprint> storedFingerprints = new HashMap<>();
        final List<Instant> newStories = new ArrayList<>();
        /** Stories merged into another (the older) one by this batch: stored ids and this batch's refs alike. */
        final Map<Long, Long> mergedInto = new HashMap<>();

        Batch(long[] indexKeys) {
            java.util.Arrays.sort(indexKeys);
            this.indexKeys = indexKeys;
        }

        /**
         * Whether more than one entry of the batch has this key: only those keys can lead an entry to one before it
         * in the batch, so only they go into {@link #added}, not the dozen of every entry.
         */
        boolean shared(long key) {
            int i = java.util.Arrays.binarySearch(indexKeys, key);
            return i >= 0 && (i > 0 && indexKeys[i - 1] == key || i + 1 < indexKeys.length && indexKeys[i + 1] == key);
        }

        /** The story a reference stands for now: itself, or the one it was merged into. */
        long resolve(long storyRef) {
            Long to;
            while ((to = mergedInto.get(storyRef)) != null) {
                storyRef = to;
            }
            return storyRef;
        }

        /** Merges {@code gone} into {@code kept}: their feeds, and the keys that named {@code gone}. */
        void merge(long gone, long kept) {
            mergedInto.put(gone, kept);
            storyFeeds.computeIfAbsent(kept, k -> new HashSet<>()).addAll(storyFeeds.getOrDefault(gone, Set.of()));
            keyStory.replaceAll((k, s) -> s == gone ? kept : s);
        }

        boolean feedIn(long storyRef, long feedId) {
            Set<Long> feeds = storyFeeds.get(storyRef);
            return feeds != null && feeds.contains(feedId);
        }
    }

    private Decision decide(Work w, Batch batch) {
        Incoming e = w.entry();
        String exactKey = null;
        Long exact = null;
        for (String k : w.keys()) {
            Long s = batch.keyStory.get(k);
            s = s == null ? null : batch.resolve(s);
            if (s != null && (exact == null || older(s, exact))) {
                exact = s;
                exactKey = k;
            }
        }
        if (exact != null && !batch.feedIn(exact, e.feedId())) {
            return join(w, batch, exact, reason(exactKey, e));
        }
        boolean feedRepeatsLink = exact != null;
        if (w.nearEligible() && !feedRepeatsLink) {
            List<Match> matches = nearDuplicates(w, batch);
            if (!matches.isEmpty()) {
                // A copy that is the same as several stories shows they are one story, reached through different
                // copies (a one-paragraph summary matches the copy that shares its headline, not the one with
                // another): they merge into the oldest, which keeps its id and its place, when no feed is in two
                // and the copy is all but identical to both (a looser match, a roundup quoting two ledes say, only
                // joins its best).
                Match best = matches.get(0);
                long target = best.storyRef();
                for (Match m : best.score() < MERGE_SCORE ? List.<Match>of() : matches.subList(1, matches.size())) {
                    long other = batch.resolve(m.storyRef());
                    if (other == target || m.score() < MERGE_SCORE || feedsOverlap(batch, other, target)) {
                        continue;
                    }
                    long kept = older(other, target) ? other : target;
                    batch.merge(kept == other ? target : other, kept);
                    target = kept;
                }
                return join(w, batch, target, best.reason());
            }
        }
        batch.newStories.add(e.published());
        long ref = -batch.newStories.size();
        batch.storyFeeds.computeIfAbsent(ref, k -> new HashSet<>()).add(e.feedId());
        index(w, batch, ref);
        if (feedRepeatsLink) {
            // The feed itself repeats this link on several entries (a home-page link, say): keep them apart.
            return new Decision(w, ref, FIRST, List.of());
        }
        w.keys().forEach(k -> batch.keyStory.put(k, ref));
        return new Decision(w, ref, FIRST, w.keys());
    }

    /**
     * Whether story {@code a} is older than {@code b}: stored stories (positive ids, in creation order) before the
     * ones this batch creates (-1, -2, … in creation order).
     */
    private static boolean older(long a, long b) {
        return a > 0 ? b < 0 || a < b : b < 0 && a > b;
    }

    private Decision join(Work w, Batch batch, long storyRef, String reason) {
        List<String> newKeys = new ArrayList<>(w.keys().size());
        for (String k : w.keys()) {
            if (!batch.keyStory.containsKey(k)) {
                batch.keyStory.put(k, storyRef);
                newKeys.add(k);
            }
        }
        batch.storyFeeds.computeIfAbsent(storyRef, k -> new HashSet<>()).add(w.entry().feedId());
        index(w, batch, storyRef);
        return new Decision(w, storyRef, reason, newKeys);
    }

    private static void index(Work w, Batch batch, long storyRef) {
        if (w.fingerprint() == null) {
            return;
        }
        Indexed me = new Indexed(w.entry().ref(), storyRef, w.entry().feedId(), w.entry().published(), w.fingerprint());
        for (long k : w.indexKeys()) {
            if (batch.shared(k)) {
                batch.added.computeIfAbsent(k, x -> new ArrayList<>(2)).add(me);
            }
        }
    }

    private record Match(long storyRef, String reason, double score) {
    }

    /**
     * Candidates sharing index keys with the entry within the time window, most shared keys first, at most
     * {@link #MAX_CANDIDATES}: stored rows only, or stored rows and this batch's entries.
     */
    private List<Ranked> rank(Work w, Batch batch, boolean withBatch) {
        if (!anyCandidate(w, batch, withBatch)) {
            return List.of(); // the common case, a first copy: nothing to count or sort
        }
        Incoming e = w.entry();
        Instant from = e.published().minus(window);
        Instant to = e.published().plus(window);
        Map<Long, int[]> shared = new HashMap<>();
        Map<Long, Ranked> found = new HashMap<>();
        for (long k : w.indexKeys()) {
            for (StoryStore.FingerprintHit h : batch.stored.getOrDefault(k, List.of())) {
                if (h.entryId() != e.ref() && !h.published().isBefore(from) && !h.published().isAfter(to)) {
                    shared.computeIfAbsent(h.entryId(), x -> new int[1])[0]++;
                    found.putIfAbsent(h.entryId(), new Ranked(h.entryId(), batch.resolve(h.storyId()), h.feedId(), 0, null));
                }
            }
            if (withBatch) {
                for (Indexed i : batch.added.getOrDefault(k, List.of())) {
                    if (!i.published().isBefore(from) && !i.published().isAfter(to)) {
                        shared.computeIfAbsent(i.entryId(), x -> new int[1])[0]++;
                        found.putIfAbsent(i.entryId(), new Ranked(i.entryId(), batch.resolve(i.storyRef()), i.feedId(), 0,
                                i.fingerprint()));
                    }
                }
            }
        }
        return found.values().stream()
                .map(r -> new Ranked(r.entryId(), r.storyRef(), r.feedId(), shared.get(r.entryId())[0], r.batchFingerprint()))
                .sorted(Comparator.comparingInt((Ranked r) -> -r.shared()).thenComparingLong(Ranked::entryId))
                .limit(MAX_CANDIDATES).toList();
    }

    /** Whether any of the entry's keys has an index hit (or an entry of this batch, when asked). */
    private static boolean anyCandidate(Work w, Batch batch, boolean withBatch) {
        if (batch.stored.isEmpty() && (!withBatch || batch.added.isEmpty())) {
            return false; // the usual case: no key of the batch has a stored row, nor a repeat
        }
        for (long k : w.indexKeys()) {
            if (batch.stored.containsKey(k) || withBatch && batch.added.containsKey(k)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The stories of the confirmed near-duplicates among the candidates, the best first (highest score; the first
     * candidate ranked of equals), skipping stories this feed is already in.
     */
    private List<Match> nearDuplicates(Work w, Batch batch) {
        List<Match> found = new ArrayList<>();
        Set<Long> confirmed = new HashSet<>();
        for (Ranked c : rank(w, batch, true)) {
            if (c.feedId() == w.entry().feedId() || confirmed.contains(c.storyRef())
                    || batch.feedIn(c.storyRef(), w.entry().feedId())) {
                continue;
            }
            TextFingerprint other = c.batchFingerprint() != null ? c.batchFingerprint()
                    : batch.storedFingerprints.get(c.entryId());
            if (other == null) {
                continue; // deleted since the index row was read
            }
            NearDuplicate.Similarity s = near.compare(w.fingerprint(), other);
            if (s.same()) {
                found.add(new Match(c.storyRef(), s.reason(), Math.max(s.jaccard(), s.containment())));
                confirmed.add(c.storyRef());
            }
        }
        found.sort(Comparator.comparingDouble((Match m) -> -m.score())); // stable: ties keep the ranking's order
        return found;
    }

    /** Whether a feed has an entry in both stories (they must then stay apart). */
    private static boolean feedsOverlap(Batch batch, long a, long b) {
        Set<Long> fa = batch.storyFeeds.getOrDefault(a, Set.of());
        for (long f : batch.storyFeeds.getOrDefault(b, Set.of())) {
            if (fa.contains(f)) {
                return true;
            }
        }
        return false;
    }

    /** The keys under which an entry can be found: its canonical link and its guid when that is a URL. */
    static List<String> keys(Incoming e) {
        return StoryKeys.of(e.canonicalLink(), e.guid());
    }

    private static String reason(String key, Incoming e) {
        return e.canonicalLink() != null && key.equals("u:" + e.canonicalLink()) ? SAME_LINK : SAME_GUID;
    }
}
