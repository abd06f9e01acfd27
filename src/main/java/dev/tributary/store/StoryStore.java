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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Stories, the keys that identify them and the near-duplicate index. The story stage works set-based: it reads
 * what a whole batch of entries needs in a few queries ({@link #storiesByKeys}, {@link #fingerprintHits},
 * {@link #feedsOfStories}, {@link #texts}) and writes the batch's decisions back in JDBC batches
 * ({@link #createStories}, {@link #place}). The primary key on story_key keeps each key on one story.
 */
@ApplicationScoped
public class StoryStore {

    private static final Logger LOG = Logger.getLogger(StoryStore.class);

    /** Values per IN list: well under every driver's parameter limit. */
    private static final int CHUNK = 1000;

    private final EntityManager em;
    private final IndexLayout layout;
    private final IndexTable table;
    private final ProbeFilter probeFilter = new ProbeFilter();
    private final Counter probesSent;
    private final Counter probesSkipped;
    private final Counter keysSent;
    private final Counter keysSkipped;

    public StoryStore(EntityManager em, MeterRegistry metrics,
            @ConfigProperty(name = "quarkus.datasource.db-kind") String dbKind) {
        this.em = em;
        this.layout = IndexLayout.forDbKind(dbKind);
        this.table = IndexTable.of(layout);
        this.probesSent = metrics.counter("tributary.stories.index.probes", "sent", "true");
        this.probesSkipped = metrics.counter("tributary.stories.index.probes", "sent", "false");
        this.keysSent = metrics.counter("tributary.stories.key.lookups", "sent", "true");
        this.keysSkipped = metrics.counter("tributary.stories.key.lookups", "sent", "false");
        metrics.gauge("tributary.stories.index.filter.bytes", probeFilter, ProbeFilter::bytes);
    }

    /**
     * Takes the story-assignment lock for the current transaction: one batch at a time across all instances, so
     * each batch sees every story the previous ones made. The batch leaves its token in the locked row, which tells
     * the next one whether the probe filter is still complete ({@link ProbeFilter}); the filter is built here when due.
     */
    @Transactional
    public void lockAssignment() {
        Number found = (Number) em.createNativeQuery("select writer from story_lock where id = 1 for update")
                .getSingleResult();
        long token = probeFilter.locked(found.longValue(), Instant.now(), this::buildProbeFilter);
        em.createNativeQuery("update story_lock set writer = ?1 where id = 1").setParameter(1, token).executeUpdate();
    }

    /**
     * The most index rows and story keys together that probe filters are built for: filters (2 x 10 bits a row or
     * key) that take at most a sixteenth of the heap (6.7 million in a 256 MB heap: 16 MB).
     */
    private static final long MAX_FILTERED_ROWS = Runtime.getRuntime().maxMemory() / 16 * 8 / 20;

    /**
     * Filters of every bucket in the index table and every hash in story_key, each sized for twice what it holds
     * (inside the locked transaction); null for tables too large to filter in memory.
     */
    private ProbeFilter.Filters buildProbeFilter() {
        long t0 = System.nanoTime();
        long rows = em.unwrap(Session.class).doReturningWork(table::count);
        long keys = ((Number) em.createNativeQuery("select count(*) from story_key").getSingleResult()).longValue();
        if (rows + keys > MAX_FILTERED_ROWS) {
            LOG.infof("near-duplicate index of %d rows and %d story keys: too large for probe filters, every probe "
                    + "and key lookup is sent", rows, keys);
            return null;
        }
        ProbeFilter.Filters filters = new ProbeFilter.Filters(
                new IndexFilter(Math.max(ProbeFilter.MIN_CAPACITY, rows * 2), layout),
                IndexFilter.forKeys(Math.max(ProbeFilter.MIN_CAPACITY, keys * 2)));
        em.unwrap(Session.class).doWork(c -> {
            table.scan(c, filters.buckets()::add);
            IndexTable.scanPaged(c, "select key_hash from story_key where key_hash >= ? order by key_hash limit "
                    + IndexTable.SCAN_PAGE, IndexTable.SCAN_PAGE, rs -> filters.keys().add(rs.getLong(1)));
        });
        LOG.infof("probe filters built from %d index rows and %d story keys in %d ms (%d KB)", rows, keys,
                (System.nanoTime() - t0) / 1_000_000, (filters.buckets().bytes() + filters.keys().bytes()) / 1024);
        return filters;
    }

    /** Forgets the probe filter, as a freshly started instance (tests). */
    void resetProbeFilter() {
        probeFilter.reset();
    }

    /** Stored entries that have no story yet, oldest first. */
    @Transactional
    public List<PendingEntry> pending(int limit) {
        // Ids first, straight off the (story_id, id) index; a single query with the wide columns made H2 sort every
        // pending row in a temporary table before taking the first batch.
        List<Long> ids = em.createQuery("select id from EntryEntity where storyId is null order by id", Long.class)
                .setMaxResults(limit).getResultList();
        List<PendingEntry> out = new ArrayList<>(ids.size());
        for (List<Long> chunk : InList.chunks(ids, CHUNK)) {
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

    /**
     * The story each of these keys (canonical link, guid URL) belongs to; keys without a story are absent, and so is
     * a key whose hash another key's row holds (its check differs: {@link StoryKeys}). Hashes the probe filter knows
     * to be absent from story_key are not looked up; call it in the transaction that took {@link #lockAssignment}.
     */
    @Transactional
    public Map<String, Long> storiesByKeys(Collection<String> keys) {
        Map<String, Long> out = new HashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        Map<Long, StoryKeys.Hashed> byHash = new HashMap<>();
        for (String k : keys) {
            StoryKeys.Hashed h = StoryKeys.hash(k);
            byHash.put(h.hash(), h);
        }
        long[] all = byHash.keySet().stream().mapToLong(Long::longValue).toArray();
        long[] sent = probeFilter.keysToLookUp(all);
        keysSent.increment(sent.length);
        keysSkipped.increment(all.length - sent.length);
        if (sent.length == 0) {
            return out;
        }
        // The hashes as one array joined to the primary key: on PostgreSQL at 200,000 entries an IN list (padded to
        // 512 parameters) took a fifth of the committer's waits; this form took the story stage from 0.50 to 0.38
        // ms per entry (BENCHMARKS.md, section 2, step 23). The join to story skips a key left behind by a story
        // deleted without it: a feed's deletion derives the keys to delete from its entries' stored links (which
        // edits do not change), so only a key an earlier version wrote in another canonical form can stay behind.
        em.unwrap(Session.class).doWork(c -> InList.array(c, "select s.key_hash, s.key_check, s.story_id from unnest(?) "
                + "r(h) join story_key s on s.key_hash = r.h join story st on st.id = s.story_id", "bigint",
                java.util.Arrays.stream(sent).boxed().toList(), CHUNK, rs -> {
                    StoryKeys.Hashed h = byHash.get(rs.getLong(1));
                    if (h != null && h.check() == rs.getInt(2)) {
                        out.put(h.key(), rs.getLong(3));
                    }
                }));
        return out;
    }

    /** One row of the near-duplicate index: an entry (in a story, of a feed, published then) has this key. */
    public record FingerprintHit(long key, long entryId, long storyId, long feedId, Instant published) {
    }

    /** How index rows pack a key and an entry on this database. */
    public IndexLayout indexLayout() {
        return layout;
    }

    /**
     * Every index row under one of these keys, with its entry's story, feed and publication time: one range probe
     * per bucket ({@link IndexLayout}: a key's high half in each epoch that has rows), in row order (leaf after
     * leaf), and a primary-key lookup per hit; filtered and ranked by the caller. A key sharing its high half with
     * another key is reported under both: a false candidate that the caller's text comparison turns away. Buckets the
     * probe filter knows to be empty are not probed; call it in the transaction that took {@link #lockAssignment},
     * which is what keeps the filter current.
     */
    @Transactional
    public List<FingerprintHit> fingerprintHits(long[] keys) {
        long[] sorted = sortedDistinct(keys.clone());
        // Sorted keys have their high halves in order too, the keys of each half side by side.
        int[] firstKey = new int[sorted.length + 1];
        int halves = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (halves == 0 || sorted[firstKey[halves - 1]] >>> 32 != sorted[i] >>> 32) {
                firstKey[halves++] = i;
            }
        }
        firstKey[halves] = sorted.length;
        List<FingerprintHit> out = new ArrayList<>();
        long[] epochs = halves == 0 ? new long[0] : em.unwrap(Session.class).doReturningWork(table::epochs);
        long[] all = new long[halves * epochs.length];
        Map<Long, Integer> halfIndex = new HashMap<>();
        int n = 0;
        for (int h = 0; h < halves; h++) {
            halfIndex.put(sorted[firstKey[h]] >>> 32, h);
            for (long epoch : epochs) {
                all[n++] = layout.bucket(sorted[firstKey[h]], epoch);
            }
        }
        java.util.Arrays.sort(all);
        long[] buckets = probeFilter.toProbe(all);
        probesSent.increment(buckets.length);
        probesSkipped.increment(all.length - buckets.length);
        if (buckets.length == 0) {
            return out;
        }
        // First the rows in the buckets (IndexTable: a range scan each), then their entries by primary key. One join
        // of the three had PostgreSQL, which estimates each range at tens of thousands of rows, hash the whole entry
        // table (0.7 s a batch at 1,000,000 entries); hits are few, since only copies share keys.
        List<long[]> rows = new ArrayList<>(); // {key half index, entry id}
        Map<Long, Object[]> entries = new HashMap<>();
        em.unwrap(Session.class).doWork(c -> {
            table.probe(c, buckets, row -> rows.add(new long[] {halfIndex.get(layout.keyHalf(row)), layout.entry(row)}));
            List<Long> ids = rows.stream().map(r -> r[1]).distinct().toList();
            if (!ids.isEmpty()) {
                InList.query(c, "select id, story_id, feed_id, published_at from entry where id in (%s) "
                        + "and story_id is not null", null, ids, rs -> entries.put(rs.getLong(1), new Object[] {
                            rs.getLong(2), rs.getLong(3), rs.getObject(4, OffsetDateTime.class).toInstant()}));
            }
        });
        for (long[] row : rows) {
            Object[] e = entries.get(row[1]);
            if (e != null) {
                int h = (int) row[0];
                for (int k = firstKey[h]; k < firstKey[h + 1]; k++) {
                    out.add(new FingerprintHit(sorted[k], row[1], (Long) e[0], (Long) e[1], (Instant) e[2]));
                }
            }
        }
        return out;
    }

    /** Deletes the index rows of a feed's entries (in the caller's transaction, before the entries go). */
    @Transactional
    public void deleteIndexRowsOfFeed(long feedId) {
        em.unwrap(Session.class).doWork(c -> table.deleteEntriesOfFeed(c, feedId));
    }

    /** Where this database keeps the index's rows (tests). */
    IndexTable indexTable() {
        return table;
    }

    /** Sorted in place, repeats dropped. */
    private static long[] sortedDistinct(long[] values) {
        java.util.Arrays.sort(values);
        int n = 0;
        for (int i = 0; i < values.length; i++) {
            if (n == 0 || values[i] != values[n - 1]) {
                values[n++] = values[i];
            }
        }
        return java.util.Arrays.copyOf(values, n);
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

    /**
     * Merges stored stories into older ones (each key into its value), in the caller's transaction: the entries move
     * (the reason {@code firstReason}, a first copy's, becomes {@code mergedReason}), the story keys move (found from the entries' links, as a
     * feed's deletion finds them: story_key has no index on the story), and the merged story is deleted. The kept
     * story keeps its id and its place in the timeline.
     */
    @Transactional
    public void mergeStories(Map<Long, Long> into, String firstReason, String mergedReason) {
        for (Map.Entry<Long, Long> m : into.entrySet()) {
            long gone = m.getKey();
            long kept = m.getValue();
            List<Long> keys = new ArrayList<>();
            for (Object[] e : em.createQuery("select canonicalLink, guid from EntryEntity where storyId = :s",
                    Object[].class).setParameter("s", gone).getResultList()) {
                keys.addAll(StoryKeys.hashesOf((String) e[0], (String) e[1]));
            }
            for (List<Long> chunk : InList.chunks(keys, CHUNK)) {
                em.createQuery("update StoryKeyEntity k set k.storyId = :kept where k.keyHash in :keys and k.storyId = :gone")
                        .setParameter("kept", kept).setParameter("keys", chunk).setParameter("gone", gone).executeUpdate();
            }
            em.createNativeQuery("update entry set story_id = ?1, join_reason = case when join_reason = ?3 then ?4 "
                    + "else join_reason end where story_id = ?2").setParameter(1, kept).setParameter(2, gone)
                    .setParameter(3, firstReason).setParameter(4, mergedReason).executeUpdate();
            em.createNativeQuery("delete from story where id = ?1").setParameter(1, gone).executeUpdate();
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
    public record Placement(long entryId, long storyId, String reason, List<String> newStoryKeys, long[] indexKeys) {
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

    /**
     * Story keys' rows (hash, check, story) from three arrays, except those whose hash is taken: by a colliding key
     * stored before. The first holder keeps it; the new key is then not stored, and its entries still join their
     * copies through their other key or their text. Repeats within the arrays are the caller's to drop.
     */
    static final String INSERT_KEYS = "insert into story_key (key_hash, key_check, story_id) select r.h, r.c, r.s "
            + "from unnest(?, ?, ?) r(h, c, s) where not exists (select 1 from story_key k where k.key_hash = r.h)";

    /** Writes the story keys and index rows of entries stored with their stories: one statement per table. */
    @Transactional
    public void attach(List<Placement> placements) {
        if (placements.isEmpty()) {
            return;
        }
        Map<Long, long[]> keys = new LinkedHashMap<>(); // hash -> {check, story}; the first of a hash wins
        for (Placement p : placements) {
            for (String key : p.newStoryKeys()) {
                StoryKeys.Hashed h = StoryKeys.hash(key);
                keys.putIfAbsent(h.hash(), new long[] {h.check(), p.storyId()});
            }
        }
        probeFilter.addedKeys(keys.keySet());
        em.unwrap(Session.class).doWork(c -> {
            if (!keys.isEmpty()) {
                insertKeys(c, keys);
            }
            insertIndexRows(c, placements);
        });
    }

    /** Story keys (hash to {check, story}, hashes distinct) in one statement. */
    static void insertKeys(Connection c, Map<Long, long[]> keys) throws SQLException {
        Long[] hashes = new Long[keys.size()];
        Integer[] checks = new Integer[keys.size()];
        Long[] storyIds = new Long[keys.size()];
        int i = 0;
        for (Map.Entry<Long, long[]> k : keys.entrySet()) {
            hashes[i] = k.getKey();
            checks[i] = (int) k.getValue()[0];
            storyIds[i++] = k.getValue()[1];
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_KEYS)) {
            ps.setArray(1, c.createArrayOf("bigint", hashes));
            ps.setArray(2, c.createArrayOf("integer", checks));
            ps.setArray(3, c.createArrayOf("bigint", storyIds));
            ps.executeUpdate();
        }
    }

    /**
     * The index rows of these placements ({@link IndexLayout#row}), distinct and in row order, so that neighbouring rows
     * land on the same B-tree leaf one after the other, or in the same pack ({@link IndexTable}): on PostgreSQL one
     * array parameter per 16,384 rows, where multi-row inserts of 64 values took 375 statements for a batch of 2,000
     * entries, each parsed and bound parameter by parameter (BENCHMARKS.md, "29 November").
     */
    private void insertIndexRows(Connection c, List<Placement> placements) throws SQLException {
        int count = 0;
        for (Placement p : placements) {
            count += layout.indexable(p.entryId()) ? p.indexKeys().length : 0;
        }
        long[] rows = new long[count];
        int at = 0;
        for (Placement p : placements) {
            if (layout.indexable(p.entryId())) {
                for (long key : p.indexKeys()) {
                    rows[at++] = layout.row(key, p.entryId());
                }
            }
        }
        rows = sortedDistinct(rows);
        probeFilter.added(rows);
        table.insert(c, rows);
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
     * Drops the index rows of entries first seen before {@code before}: copies of a story reach the service within
     * days of each other, so the index only needs the entries of the last days, and its size follows the ingest
     * rate however many are stored. By when they were seen, not by their publication time: the copies of an old
     * article that arrive now (a new subscription's backlog, an outlet republishing it) still find each other.
     *
     * <p>An entry's id and its first-seen time grow together (both are taken as it is stored), so the entries first
     * seen before the cut-off are those below one id, found by a binary search over the primary key; the rows go in
     * one scan of the index table, comparing each row's entry id with it. Before, each row looked its entry up: on
     * H2 at 1,000,000 stored entries that read every indexed entry's whole row (13 s for 570,000 index rows, against
     * 0.5 s now; BENCHMARKS.md, "29 November, second session").
     */
    @Transactional
    public int pruneFingerprints(Instant before) {
        long boundary = firstEntrySeenFrom(before);
        return em.unwrap(Session.class).doReturningWork(c -> table.deleteEntriesBelow(c, boundary));
    }

    /**
     * Merges the index's rows where batches left them in pieces (on H2, packs of one slot range: {@link IndexTable});
     * returns how many table rows that saved. Hourly, after the prune.
     */
    @Transactional
    public int compactIndex() {
        return em.unwrap(Session.class).doReturningWork(table::compact);
    }

    /**
     * The lowest id from which every stored entry was first seen at or after {@code at}: the first id, when all
     * were; one past the last, when none were. A binary search over ids, one primary-key lookup a step (gaps left by
     * deleted entries are stepped over). Ids and first-seen times grow together; where instances' clocks differ by
     * seconds, an entry stored by one of them may land on the other side of the cut-off, which for a cut-off two
     * matching windows back changes nothing.
     */
    long firstEntrySeenFrom(Instant at) {
        return firstIdFrom("entry", "first_seen_at", at);
    }

    /** {@link #pruneKeys} deletes from 2^KEY_PRUNE_BITS ranges of the key hashes, one transaction each. */
    static final int KEY_PRUNE_BITS = 4;

    /**
     * Drops the exact keys (links, guid URLs) of stories first seen before {@code before}: an entry with such a link
     * that arrives later starts a story of its own, as a near-duplicate copy that late does (its index rows are pruned
     * by the same cut-off). Without this, {@code story_key} grew with every story ever made, and on H2, where each key
     * written lands in a random leaf of that tree (its order is the hash's), the story stage cost more the more
     * stories were stored: 0.64-0.72 ms per entry into 1,000,000 stored entries with every key kept, 0.44-0.54 with
     * the last two weeks' keys, 0.42-0.50 at 10,000 (BENCHMARKS.md, "29 November, third session"). Stories' ids grow
     * with their creation time, so those before the cut-off are the ones below one id (a binary search); the keys go
     * in 2^{@link #KEY_PRUNE_BITS} ranges of their hashes, each its own transaction, so the first prune after an
     * upgrade (every key ever stored: 874,230 keys in 19 s there) is never one huge transaction. Returns the keys
     * deleted.
     */
    public int pruneKeys(Instant before) {
        long boundary = QuarkusTransaction.requiringNew().call(() -> firstStoryCreatedFrom(before));
        long step = 1L << (64 - KEY_PRUNE_BITS); // ranges in wrapping arithmetic
        int deleted = 0;
        for (int part = 0; part < 1 << KEY_PRUNE_BITS; part++) {
            long from = Long.MIN_VALUE + part * step;
            long to = from + (step - 1);
            deleted += QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                    "delete from story_key where key_hash between ?1 and ?2 and story_id < ?3")
                    .setParameter(1, from).setParameter(2, to).setParameter(3, boundary).executeUpdate());
        }
        return deleted;
    }

    /** The first story id created at or after {@code at} (see {@link #firstEntrySeenFrom}). */
    long firstStoryCreatedFrom(Instant at) {
        return firstIdFrom("story", "created_at", at);
    }

    /**
     * The lowest id of {@code table} from which every row's {@code time} is at or after {@code at}: the first id when
     * all are, one past the last when none are, for tables whose ids and times grow together.
     */
    private long firstIdFrom(String table, String time, Instant at) {
        Object[] ends = (Object[]) em.createNativeQuery("select min(id), max(id) from " + table).getSingleResult();
        if (ends[0] == null) {
            return 0;
        }
        long lo = ((Number) ends[0]).longValue();
        long hi = ((Number) ends[1]).longValue() + 1; // seenFrom(hi) holds: no entry there
        OffsetDateTime cut = at.atOffset(ZoneOffset.UTC);
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            List<?> next = em.createNativeQuery("select id, case when " + time + " < ?3 then 1 else 0 end from " + table
                    + " where id >= ?1 and id < ?2 order by id").setParameter(1, mid).setParameter(2, hi)
                    .setParameter(3, cut).setMaxResults(1).getResultList();
            if (next.isEmpty()) {
                hi = mid; // no entry in [mid, hi): the answer is at most mid
                continue;
            }
            Object[] row = (Object[]) next.get(0);
            long id = ((Number) row[0]).longValue();
            boolean seenFrom = ((Number) row[1]).intValue() == 0;
            if (seenFrom) {
                hi = mid; // the first entry at or after mid was seen from the cut-off on: so were all after it
            } else {
                lo = id + 1; // seen before: so were all up to it
            }
        }
        return lo;
    }
}
