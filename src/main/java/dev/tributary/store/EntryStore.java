package dev.tributary.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.parse.ParsedEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.hibernate.Session;

/**
 * Stores a feed's entries: a known key with the same content is a no-op, an edited entry is updated in place, a new
 * one is inserted together with its story (decided in the same transaction, see {@code poll.Committer}).
 */
@ApplicationScoped
public class EntryStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EntityManager em;

    public EntryStore(EntityManager em) {
        this.em = em;
    }

    /**
     * A document's entries sorted against what the feed already has: edited ones were updated in place, {@code fresh}
     * ones are new and still to be inserted (with their story, by {@link #insert}).
     */
    public record Prepared(long feedId, List<ParsedEntry> fresh, int updated, int unchanged) {
    }

    /**
     * Locks the rows of these feeds for the current transaction, in one statement and in id order (so two
     * transactions locking overlapping sets cannot deadlock), and returns the locked ones (a deleted feed is absent)
     * with their publication times as the row keeps them (null values when not known yet). Two saves for one feed
     * (a poll and a WebSub push, say) take turns on the row, so the known-key query of {@link #prepare} is the whole
     * truth.
     */
    @Transactional
    public Map<Long, List<Instant>> lockFeeds(Collection<Long> feedIds) {
        Map<Long, List<Instant>> locked = new HashMap<>();
        if (feedIds.isEmpty()) {
            return locked;
        }
        em.unwrap(Session.class).doWork(c -> InList.query(c,
                "select id, recent_published from feed where id in (%s) order by id for update", null,
                new TreeSet<>(feedIds).stream().toList(),
                rs -> locked.put(rs.getLong(1), RecentPublished.decode(rs.getString(2)))));
        return locked;
    }

    /** One document's entries for a feed whose row this transaction locked ({@link #lockFeeds}), fetched then. */
    public record Document(long feedId, List<ParsedEntry> entries, Instant seen) {
    }

    /** (feed, key) pairs per known-key query. */
    private static final int PAIRS_PER_QUERY = 1000;

    /**
     * First half of saving a batch of documents: each document's entries sorted against what its feed already has
     * (one query for the whole batch, by (feed, key) pairs through the unique key on (feed_id, entry_key), which
     * still stands behind it); edited entries are updated in place, new ones returned for {@link #insert} in the
     * same transaction. Results in the documents' order.
     */
    @Transactional
    public List<Prepared> prepare(List<Document> documents) {
        List<Map<String, ParsedEntry>> byKeys = new ArrayList<>(documents.size());
        int[] repeats = new int[documents.size()];
        List<Long> feedIds = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int d = 0; d < documents.size(); d++) {
            Map<String, ParsedEntry> byKey = new LinkedHashMap<>();
            for (ParsedEntry e : documents.get(d).entries()) {
                if (byKey.putIfAbsent(e.key(), e) != null) {
                    repeats[d]++; // the document repeats an entry: the first copy counts
                } else {
                    feedIds.add(documents.get(d).feedId());
                    keys.add(e.key());
                }
            }
            byKeys.add(byKey);
        }
        Map<Long, Map<String, Object[]>> known = known(feedIds, keys);
        List<Prepared> out = new ArrayList<>(documents.size());
        for (int d = 0; d < documents.size(); d++) {
            Document doc = documents.get(d);
            Map<String, Object[]> feedKnown = known.getOrDefault(doc.feedId(), Map.of());
            Instant seen = doc.seen().truncatedTo(ChronoUnit.MILLIS);
            List<ParsedEntry> fresh = new ArrayList<>();
            int updated = 0;
            int unchanged = repeats[d];
            for (ParsedEntry e : byKeys.get(d).values()) {
                Object[] row = feedKnown.get(e.key());
                if (row == null) {
                    fresh.add(e);
                } else if (!e.contentHash().equals(row[1])) {
                    updated += updateInPlace((Long) row[0], e, seen);
                } else {
                    unchanged++;
                }
            }
            out.add(new Prepared(doc.feedId(), fresh, updated, unchanged));
        }
        return out;
    }

    /** The stored entries (id, content hash) under these (feed, key) pairs, by feed and key. */
    private Map<Long, Map<String, Object[]>> known(List<Long> feedIds, List<String> keys) {
        Map<Long, Map<String, Object[]>> known = new HashMap<>();
        if (keys.isEmpty()) {
            return known;
        }
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("select r.f, r.k, e.id, e.content_hash from unnest(?, ?) r(f, k) "
                    + "join entry e on e.feed_id = r.f and e.entry_key = r.k")) {
                for (int from = 0; from < keys.size(); from += PAIRS_PER_QUERY) {
                    int to = Math.min(keys.size(), from + PAIRS_PER_QUERY);
                    ps.setArray(1, c.createArrayOf("bigint", feedIds.subList(from, to).toArray()));
                    ps.setArray(2, c.createArrayOf("varchar", keys.subList(from, to).toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            known.computeIfAbsent(rs.getLong(1), f -> new HashMap<>())
                                    .put(rs.getString(2), new Object[] {rs.getLong(3), rs.getString(4)});
                        }
                    }
                }
            }
        });
        return known;
    }

    /** A new entry of a feed, first seen then, with the story it goes into and why. */
    public record NewEntry(long feedId, ParsedEntry entry, Instant seen, long storyId, String joinReason) {
    }

    /**
     * Second half: inserts new entries (of any number of feeds, each prepared in this transaction) with their
     * stories, in JDBC batches; returns their ids in the same order.
     */
    @Transactional
    public long[] insert(List<NewEntry> rows) {
        long[] ids = new long[rows.size()];
        if (rows.isEmpty()) {
            return ids;
        }
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into entry (feed_id, entry_key, guid, title, link, "
                    + "canonical_link, author, published_at, updated_at, first_seen_at, modified_at, summary, content, "
                    + "categories, enclosures, content_hash, story_id, join_reason) "
                    + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"})) {
                for (int from = 0; from < rows.size(); from += 100) {
                    int to = Math.min(rows.size(), from + 100);
                    for (NewEntry row : rows.subList(from, to)) {
                        ParsedEntry e = row.entry();
                        ps.setLong(1, row.feedId());
                        ps.setString(2, e.key());
                        ps.setString(3, e.guid());
                        ps.setString(4, e.title());
                        ps.setString(5, e.link());
                        ps.setString(6, e.canonicalLink());
                        ps.setString(7, e.author());
                        ps.setObject(8, e.published().truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC));
                        ps.setObject(9, e.updated() == null ? null
                                : e.updated().truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC),
                                Types.TIMESTAMP_WITH_TIMEZONE);
                        OffsetDateTime seen = row.seen().truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC);
                        ps.setObject(10, seen);
                        ps.setObject(11, seen);
                        ps.setString(12, e.summary());
                        ps.setString(13, e.content());
                        ps.setString(14, json(e.categories()));
                        ps.setString(15, json(e.enclosures()));
                        ps.setString(16, e.contentHash());
                        ps.setLong(17, row.storyId());
                        ps.setString(18, row.joinReason());
                        ps.addBatch();
                    }
                    GeneratedIds.execute(ps, ids, from, to, "entry");
                }
            }
        });
        return ids;
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
