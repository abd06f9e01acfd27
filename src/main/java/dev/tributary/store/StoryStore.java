package dev.tributary.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hibernate.Session;

/**
 * Stories, the keys that identify them and the near-duplicate index. The story stage works set-based: it reads
 * what a whole batch of entries needs in a few queries ({@link #storiesByKeys}, {@link #fingerprintHits},
 * {@link #feedsOfStories}, {@link #texts}) and writes the batch's decisions back in JDBC batches
 * ({@link #createStories}, {@link #place}). The primary key on story_key keeps each key on one story.
 */
@ApplicationScoped
public class StoryStore {

    /** Values per IN list: well under every driver's parameter limit. */
    private static final int CHUNK = 1000;

    private final EntityManager em;

    public StoryStore(EntityManager em) {
        this.em = em;
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
        // pending row in a temporary table before taking the first batch.
        List<Long> ids = em.createQuery("select id from EntryEntity where storyId is null order by id", Long.class)
                .setMaxResults(limit).getResultList();
        List<PendingEntry> out = new ArrayList<>(ids.size());
        for (List<Long> chunk : chunks(ids)) {
            em.createQuery("select id, feedId, publishedAt, canonicalLink, guid, title, content, summary "
                            + "from EntryEntity where id in :ids", Object[].class)
                    .setParameter("ids", chunk).getResultList().stream()
                    .map(r -> new PendingEntry((Long) r[0], (Long) r[1], (Instant) r[2], (String) r[3], (String) r[4],
                            (String) r[5], r[6] != null ? (String) r[6] : (String) r[7]))
                    .forEach(out::add);
        }
        out.sort((a, b) -> Long.compare(a.id(), b.id()));
        return out;
    }

    /** Whether any stored entry has no story (one row off the (story_id, id) index). */
    @Transactional
    public boolean anyPending() {
        return !em.createQuery("select id from EntryEntity where storyId is null", Long.class).setMaxResults(1)
                .getResultList().isEmpty();
    }

    /** How many stored entries wait for the story stage. */
    @Transactional
    public long pendingCount() {
        return em.createQuery("select count(*) from EntryEntity where storyId is null", Long.class).getSingleResult();
    }

    /** The story each of these keys (canonical link, guid URL) belongs to; keys without a story are absent. */
    @Transactional
    public Map<String, Long> storiesByKeys(Collection<String> keys) {
        Map<String, Long> out = new HashMap<>();
        query("select story_key, story_id from story_key where story_key in (%s)", keys,
                rs -> out.put(rs.getString(1), rs.getLong(2)));
        return out;
    }

    /** One row of the near-duplicate index: an entry (in a story, of a feed, published then) has this key. */
    public record FingerprintHit(long key, long entryId, long storyId, long feedId, Instant published) {
    }

    /**
     * Every index row under one of these keys, with its entry's story, feed and publication time: index probes and a
     * primary-key lookup per hit, filtered and ranked by the caller.
     */
    @Transactional
    public List<FingerprintHit> fingerprintHits(Collection<Long> keys) {
        List<FingerprintHit> out = new ArrayList<>();
        query("select f.fp_key, e.id, e.story_id, e.feed_id, e.published_at from story_fingerprint f "
                + "join entry e on e.id = f.entry_id where f.fp_key in (%s) and e.story_id is not null",
                new TreeSet<>(keys), // probed in key order, leaf after leaf
                rs -> out.add(new FingerprintHit(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getObject(5, OffsetDateTime.class).toInstant())));
        return out;
    }

    /** The feeds that already have an entry in each of these stories. */
    @Transactional
    public Map<Long, Set<Long>> feedsOfStories(Collection<Long> storyIds) {
        Map<Long, Set<Long>> out = new HashMap<>();
        query("select distinct story_id, feed_id from entry where story_id in (%s)", storyIds,
                rs -> out.computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(rs.getLong(2)));
        return out;
    }

    /** Title and body (content, else summary) of these entries, by id. */
    @Transactional
    public Map<Long, String[]> texts(Collection<Long> entryIds) {
        Map<Long, String[]> out = new HashMap<>();
        query("select id, title, content, summary from entry where id in (%s)", entryIds, rs -> {
            String content = rs.getString(3);
            out.put(rs.getLong(1), new String[] {rs.getString(2), content != null ? content : rs.getString(4)});
        });
        return out;
    }

    /** A query over a list of values, in plain JDBC on the transaction's connection (see {@link InList}). */
    private void query(String sql, Collection<?> values, InList.Row row) {
        if (!values.isEmpty()) {
            em.unwrap(Session.class).doWork(c -> InList.query(c, sql, null, values, row));
        }
    }

    /** Creates one story per publication time, in one JDBC batch; returns their ids in the same order. */
    @Transactional
    public long[] createStories(List<Instant> published, Instant now) {
        long[] ids = new long[published.size()];
        if (published.isEmpty()) {
            return ids;
        }
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into story (published_at, created_at) values (?, ?)",
                    new String[] {"id"})) {
                for (Instant p : published) {
                    ps.setObject(1, p.atOffset(ZoneOffset.UTC));
                    ps.setObject(2, now.atOffset(ZoneOffset.UTC));
                    ps.addBatch();
                }
                GeneratedIds.execute(ps, ids, 0, ids.length, "story");
            }
        });
        return ids;
    }

    /**
     * Where the story stage put one entry: its story and why, the story keys to attach to that story (not yet
     * attached to any), and the entry's near-duplicate index keys.
     */
    public record Placement(long entryId, long storyId, String reason, List<String> newStoryKeys, List<Long> indexKeys) {
    }

    /**
     * Writes a batch's placements of stored entries: entry updates, then {@link #attach}: one JDBC batch per table.
     */
    @Transactional
    public void place(List<Placement> placements) {
        if (placements.isEmpty()) {
            return;
        }
        em.unwrap(Session.class).doWork(c ->
            batch(c, "update entry set story_id = ?, join_reason = ? where id = ?", placements, (ps, p) -> {
                ps.setLong(1, p.storyId());
                ps.setString(2, p.reason());
                ps.setLong(3, p.entryId());
                ps.addBatch();
            }));
        attach(placements);
    }

    /** Writes the story keys and index rows of entries stored with their stories, one JDBC batch per table. */
    @Transactional
    public void attach(List<Placement> placements) {
        if (placements.isEmpty()) {
            return;
        }
        em.unwrap(Session.class).doWork(c -> {
            batch(c, "insert into story_key (story_key, story_id) values (?, ?)", placements, (ps, p) -> {
                for (String key : p.newStoryKeys()) {
                    ps.setString(1, key);
                    ps.setLong(2, p.storyId());
                    ps.addBatch();
                }
            });
            insertIndexRows(c, placements);
        });
    }

    /** Index rows per statement: one multi-row insert costs H2 a fraction of as many single-row ones. */
    private static final int ROWS_PER_INSERT = 64;

    /** The index rows of these placements: multi-row inserts of {@link #ROWS_PER_INSERT}, then the rest one by one. */
    private static void insertIndexRows(Connection c, List<Placement> placements) throws SQLException {
        List<long[]> rows = new ArrayList<>();
        for (Placement p : placements) {
            for (long key : p.indexKeys()) {
                rows.add(new long[] {key, p.entryId()});
            }
        }
        // In key order: neighbouring keys land on the same B-tree leaf, written (and committed) one after the other.
        rows.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int full = rows.size() / ROWS_PER_INSERT * ROWS_PER_INSERT;
        if (full > 0) {
            String values = String.join(", ", java.util.Collections.nCopies(ROWS_PER_INSERT, "(?, ?)"));
            try (PreparedStatement ps = c.prepareStatement("insert into story_fingerprint (fp_key, entry_id) values " + values)) {
                for (int from = 0; from < full; from += ROWS_PER_INSERT) {
                    for (int i = 0; i < ROWS_PER_INSERT; i++) {
                        ps.setLong(2 * i + 1, rows.get(from + i)[0]);
                        ps.setLong(2 * i + 2, rows.get(from + i)[1]);
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (full < rows.size()) {
            try (PreparedStatement ps = c.prepareStatement("insert into story_fingerprint (fp_key, entry_id) values (?, ?)")) {
                for (long[] row : rows.subList(full, rows.size())) {
                    ps.setLong(1, row[0]);
                    ps.setLong(2, row[1]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps, Placement p) throws SQLException;
    }

    private static void batch(Connection c, String sql, List<Placement> placements, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int pending = 0;
            for (Placement p : placements) {
                binder.bind(ps, p);
                pending++;
                if (pending >= 200) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            ps.executeBatch();
        }
    }

    /**
     * Drops the index rows of entries published before {@code before}: copies of a story are published within days
     * of each other, so the index only needs recent entries, and its size stays bounded however many are stored.
     */
    @Transactional
    public int pruneFingerprints(Instant before) {
        return em.createQuery("delete from StoryFingerprintEntity f where exists (select 1 from EntryEntity e "
                + "where e.id = f.entryId and e.publishedAt < :before)").setParameter("before", before).executeUpdate();
    }

    private static <T> List<List<T>> chunks(Collection<T> values) {
        List<T> all = values instanceof List<T> l ? l : new ArrayList<>(values);
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += CHUNK) {
            out.add(all.subList(i, Math.min(all.size(), i + CHUNK)));
        }
        return out;
    }
}
