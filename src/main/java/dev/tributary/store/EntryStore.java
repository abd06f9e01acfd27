package dev.tributary.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.parse.ParsedEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Inserts a feed's entries: a known key is a no-op ({@code on conflict do nothing}, so racing polls never make a
 * second row or an error), an edited entry is updated in place, a new one is inserted without a story (the story
 * stage picks it up after commit).
 */
@ApplicationScoped
public class EntryStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EntityManager em;

    public EntryStore(EntityManager em) {
        this.em = em;
    }

    /** What a save did: entries inserted, edited in place, and already known unchanged (skipped). */
    public record SaveResult(int inserted, int updated, int unchanged) {
    }

    @Transactional
    public SaveResult save(long feedId, List<ParsedEntry> entries, Instant now) {
        if (entries.isEmpty()) {
            return new SaveResult(0, 0, 0);
        }
        Map<String, Object[]> known = new HashMap<>();
        List<String> keys = entries.stream().map(ParsedEntry::key).toList();
        for (int i = 0; i < keys.size(); i += 500) {
            for (Object[] row : em.createQuery("select entryKey, id, contentHash from EntryEntity "
                    + "where feedId = :f and entryKey in :keys", Object[].class).setParameter("f", feedId)
                    .setParameter("keys", keys.subList(i, Math.min(keys.size(), i + 500))).getResultList()) {
                known.put((String) row[0], row);
            }
        }
        Instant seen = now.truncatedTo(ChronoUnit.MILLIS);
        List<ParsedEntry> fresh = new ArrayList<>();
        int updated = 0;
        int unchanged = 0;
        for (ParsedEntry e : entries) {
            Object[] row = known.get(e.key());
            if (row == null) {
                if (insert(feedId, e, seen) == 1) {
                    fresh.add(e);
                }
            } else if (!e.contentHash().equals(row[2])) {
                updated += updateInPlace((Long) row[1], e, seen);
            } else {
                unchanged++;
            }
        }
        return new SaveResult(fresh.size(), updated, unchanged);
    }

    private int insert(long feedId, ParsedEntry e, Instant now) {
        return em.createQuery("insert into EntryEntity (feedId, entryKey, guid, title, link, canonicalLink, author, "
                        + "publishedAt, updatedAt, firstSeenAt, modifiedAt, summary, content, categories, enclosures, contentHash) "
                        + "values (:feedId, :key, :guid, :title, :link, :canonical, :author, :published, :updated, :now, :now, "
                        + ":summary, :content, :categories, :enclosures, :hash) on conflict do nothing")
                .setParameter("feedId", feedId)
                .setParameter("key", e.key())
                .setParameter("guid", e.guid())
                .setParameter("title", e.title())
                .setParameter("link", e.link())
                .setParameter("canonical", e.canonicalLink())
                .setParameter("author", e.author())
                .setParameter("published", e.published().truncatedTo(ChronoUnit.MILLIS))
                .setParameter("updated", e.updated() == null ? null : e.updated().truncatedTo(ChronoUnit.MILLIS))
                .setParameter("now", now)
                .setParameter("summary", e.summary())
                .setParameter("content", e.content())
                .setParameter("categories", json(e.categories()))
                .setParameter("enclosures", json(e.enclosures()))
                .setParameter("hash", e.contentHash())
                .executeUpdate();
    }

    private int updateInPlace(long id, ParsedEntry e, Instant now) {
        return em.createQuery("update EntryEntity set title = :title, link = :link, author = :author, summary = :summary, "
                        + "content = :content, categories = :categories, enclosures = :enclosures, contentHash = :hash, "
                        + "updatedAt = :updated, modifiedAt = :now where id = :id")
                .setParameter("title", e.title())
                .setParameter("link", e.link())
                .setParameter("author", e.author())
                .setParameter("summary", e.summary())
                .setParameter("content", e.content())
                .setParameter("categories", json(e.categories()))
                .setParameter("enclosures", json(e.enclosures()))
                .setParameter("hash", e.contentHash())
                .setParameter("updated", e.updated() == null ? now : e.updated().truncatedTo(ChronoUnit.MILLIS))
                .setParameter("now", now)
                .setParameter("id", id)
                .executeUpdate();
    }

    private static String json(Object value) {
        try {
            String s = JSON.writeValueAsString(value);
            return s.length() > 16000 ? "[]" : s;
        } catch (JsonProcessingException ex) {
            return "[]";
        }
    }
}
