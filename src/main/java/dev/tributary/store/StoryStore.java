package dev.tributary.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stories and the keys that identify them; the primary key on story_key keeps each key on one story. */
@ApplicationScoped
public class StoryStore {

    private final EntityManager em;

    public StoryStore(EntityManager em) {
        this.em = em;
    }

    /** The story one of these keys already belongs to, with the key that matched. */
    @Transactional
    public Optional<StoryKeyEntityView> findByKeys(List<String> keys) {
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        return em.createQuery("from StoryKeyEntity where storyKey in :keys order by storyId", StoryKeyEntity.class)
                .setParameter("keys", keys).setMaxResults(1).getResultStream()
                .map(k -> new StoryKeyEntityView(k.storyKey, k.storyId)).findFirst();
    }

    /** A key and its story. */
    public record StoryKeyEntityView(String key, long storyId) {
    }

    @Transactional
    public long create(Instant publishedAt, Instant now) {
        StoryEntity s = new StoryEntity();
        s.publishedAt = publishedAt;
        s.createdAt = now;
        em.persist(s);
        em.flush();
        em.detach(s); // keeps the session small: a batch creates up to a hundred stories
        return s.id;
    }

    /** Attaches a key to a story; false when the key already belongs to a story (maybe another one). */
    @Transactional
    public boolean addKey(String key, long storyId) {
        return em.createQuery("insert into StoryKeyEntity (storyKey, storyId) values (:k, :s) on conflict do nothing")
                .setParameter("k", key).setParameter("s", storyId).executeUpdate() == 1;
    }

    /** Attaches the keys a story does not have yet (one query to find which). */
    @Transactional
    public void addKeys(List<String> keys, long storyId) {
        if (keys.isEmpty()) {
            return;
        }
        List<String> existing = em.createQuery("select storyKey from StoryKeyEntity where storyKey in :keys", String.class)
                .setParameter("keys", keys).getResultList();
        keys.stream().filter(k -> !existing.contains(k)).forEach(k -> addKey(k, storyId));
    }

    @Transactional
    public void assign(long entryId, long storyId, String reason) {
        em.createQuery("update EntryEntity set storyId = :s, joinReason = :r where id = :id")
                .setParameter("s", storyId).setParameter("r", reason).setParameter("id", entryId).executeUpdate();
    }

    /** Whether the story already holds another entry of this feed (a feed repeating a link is not syndication). */
    @Transactional
    public boolean hasOtherEntryOfFeed(long storyId, long feedId, long entryId) {
        return !em.createQuery("select 1 from EntryEntity where storyId = :s and feedId = :f and id <> :e", Integer.class)
                .setParameter("s", storyId).setParameter("f", feedId).setParameter("e", entryId).setMaxResults(1)
                .getResultList().isEmpty();
    }

    /**
     * Takes the story-assignment lock for the current transaction: one batch at a time across all instances, so
     * each batch sees every story the previous ones made.
     */
    @Transactional
    public void lockAssignment() {
        em.createNativeQuery("select id from story_lock where id = 1 for update").getResultList();
    }

    /** Stored entries that have no story yet, oldest first. */
    @Transactional
    public List<PendingEntry> pending(int limit) {
        // Ids first, straight off the (story_id, id) index; a single query with the wide columns made H2 sort every
        // pending row in a temporary table before taking the first hundred.
        List<Long> ids = em.createQuery("select id from EntryEntity where storyId is null order by id", Long.class)
                .setMaxResults(limit).getResultList();
        if (ids.isEmpty()) {
            return List.of();
        }
        return em.createQuery("select id, feedId, publishedAt, canonicalLink, guid, title, content, summary "
                        + "from EntryEntity where id in :ids order by id", Object[].class)
                .setParameter("ids", ids).getResultList().stream()
                .map(r -> new PendingEntry((Long) r[0], (Long) r[1], (Instant) r[2], (String) r[3], (String) r[4],
                        (String) r[5], r[6] != null ? (String) r[6] : (String) r[7]))
                .toList();
    }

    /** How many stored entries wait for the story stage. */
    @Transactional
    public long pendingCount() {
        return em.createQuery("select count(*) from EntryEntity where storyId is null", Long.class).getSingleResult();
    }

    /**
     * Indexes an entry's near-duplicate keys under its story, in one multi-row INSERT: the rows never become managed
     * entities, so later queries in the batch do not pay for dirty-checking thousands of them.
     */
    @Transactional
    public void addFingerprints(PendingEntry e, long storyId, List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("insert into story_fingerprint (fp_key, entry_id, story_id, feed_id, published_at) values ");
        for (int i = 0; i < keys.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?)");
        }
        jakarta.persistence.Query q = em.createNativeQuery(sql.toString());
        int p = 1;
        java.time.OffsetDateTime published = e.published().atOffset(java.time.ZoneOffset.UTC);
        for (String key : keys) {
            q.setParameter(p++, key).setParameter(p++, e.id()).setParameter(p++, storyId).setParameter(p++, e.feedId())
                    .setParameter(p++, published);
        }
        q.executeUpdate();
    }

    /**
     * Drops the index keys of entries first seen before {@code before}: copies of a story arrive within days, so the
     * index only needs recent entries, and its size stays bounded however many entries are stored.
     */
    @Transactional
    public int pruneFingerprints(Instant before) {
        return em.createQuery("delete from StoryFingerprintEntity f where f.entryId in "
                + "(select e.id from EntryEntity e where e.firstSeenAt < :before)").setParameter("before", before)
                .executeUpdate();
    }

    /** An entry found through the near-duplicate index, with what is needed to confirm it. */
    public record Candidate(long entryId, long storyId, long feedId, String title, String body, int sharedKeys) {
    }

    /**
     * Entries published within [from, to] sharing at least one index key, most shared keys first, at most
     * {@code limit}. One index probe per key.
     */
    @Transactional
    public List<Candidate> candidates(List<String> keys, Instant from, Instant to, long excludeEntry, int limit) {
        if (keys.isEmpty()) {
            return List.of();
        }
        // Plain index probes (one per key); counting and the time window are done here, which keeps every database
        // on the index whatever its planner makes of IN lists combined with ranges.
        java.util.Map<Long, Object[]> byEntry = new java.util.HashMap<>();
        for (Object[] r : em.createQuery("select f.entryId, f.storyId, f.feedId, f.publishedAt from StoryFingerprintEntity f "
                + "where f.fpKey in :keys", Object[].class).setParameter("keys", keys).getResultList()) {
            Instant published = (Instant) r[3];
            long entry = (Long) r[0];
            if (entry == excludeEntry || published.isBefore(from) || published.isAfter(to)) {
                continue;
            }
            Object[] hit = byEntry.computeIfAbsent(entry, k -> new Object[] {r[0], r[1], r[2], 0L});
            hit[3] = (Long) hit[3] + 1;
        }
        List<Object[]> hits = byEntry.values().stream()
                .sorted(java.util.Comparator.comparing((Object[] h) -> -(Long) h[3]).thenComparing(h -> (Long) h[0]))
                .limit(limit).toList();
        if (hits.isEmpty()) {
            return List.of();
        }
        java.util.Map<Long, Object[]> texts = new java.util.HashMap<>();
        for (Object[] r : em.createQuery("select id, title, content, summary from EntryEntity where id in :ids", Object[].class)
                .setParameter("ids", hits.stream().map(h -> (Long) h[0]).toList()).getResultList()) {
            texts.put((Long) r[0], r);
        }
        List<Candidate> out = new java.util.ArrayList<>(hits.size());
        for (Object[] h : hits) {
            Object[] t = texts.get((Long) h[0]);
            if (t != null) {
                out.add(new Candidate((Long) h[0], (Long) h[1], (Long) h[2], (String) t[1],
                        t[2] != null ? (String) t[2] : (String) t[3], ((Long) h[3]).intValue()));
            }
        }
        return out;
    }
}
