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
        return s.id;
    }

    /** Attaches a key to a story; false when the key already belongs to a story (maybe another one). */
    @Transactional
    public boolean addKey(String key, long storyId) {
        return em.createQuery("insert into StoryKeyEntity (storyKey, storyId) values (:k, :s) on conflict do nothing")
                .setParameter("k", key).setParameter("s", storyId).executeUpdate() == 1;
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

    /** Removes a story that lost a race for its key and has nothing attached. */
    @Transactional
    public void deleteIfEmpty(long storyId) {
        em.createQuery("delete from StoryKeyEntity where storyId = :s and not exists "
                + "(select 1 from EntryEntity e where e.storyId = :s)").setParameter("s", storyId).executeUpdate();
        em.createQuery("delete from StoryEntity s where s.id = :s and not exists "
                + "(select 1 from EntryEntity e where e.storyId = :s)").setParameter("s", storyId).executeUpdate();
    }
}
