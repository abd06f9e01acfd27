package dev.tributary.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hibernate.Session;

/** Subscriptions and their poll state: create, change, delete, claim for polling, record poll outcomes. */
@ApplicationScoped
public class FeedStore {

    /** Lock-timeout hint value that Hibernate renders as SKIP LOCKED. */
    private static final int SKIP_LOCKED = -2;
    /** History rows are pruned when a new row's id is a multiple of this. */
    private static final int PRUNE_EVERY = 8;

    private final EntityManager em;

    private final StoryStore stories;

    public FeedStore(EntityManager em, StoryStore stories) {
        this.em = em;
        this.stories = stories;
    }

    /** Creates a subscription, due at once; the unique url_key settles races between two identical requests. */
    @Transactional
    public FeedView subscribe(String url, String urlKey, String title, Set<String> tags, Instant now)
            throws AlreadySubscribedException {
        int inserted = em.createQuery("insert into FeedEntity (url, urlKey, userTitle, paused, status, createdAt, "
                        + "errorCount, nextPollAt, nextPollReason) values (:url, :key, :title, false, 'new', :now, 0, :now, "
                        + "'new subscription') on conflict do nothing")
                .setParameter("url", url).setParameter("key", urlKey).setParameter("title", title)
                .setParameter("now", now).executeUpdate();
        FeedEntity feed = em.createQuery("from FeedEntity where urlKey = :key", FeedEntity.class)
                .setParameter("key", urlKey).getSingleResult();
        if (inserted == 0) {
            throw new AlreadySubscribedException(feed.id);
        }
        feed.tags.addAll(tags);
        return FeedView.of(feed, 0);
    }

    /** A checked subscription for {@link #subscribeMany}. */
    public record NewFeed(String url, String urlKey, String title, Set<String> tags) {
    }

    /**
     * Creates many subscriptions at once (an OPML import): one query for the keys already subscribed, one JDBC
     * batch for the feeds, one for their tags. Returns, per feed in order, whether it was added (false: already
     * subscribed, or a repeat of an earlier one in the list). A concurrent subscription to the same URL fails the
     * whole call on the unique url_key; the caller then subscribes one by one.
     */
    @Transactional
    public boolean[] subscribeMany(List<NewFeed> feeds, Instant now) {
        boolean[] added = new boolean[feeds.size()];
        Set<String> taken = new HashSet<>();
        em.unwrap(Session.class).doWork(c -> InList.query(c, "select url_key from feed where url_key in (%s)",
                null, feeds.stream().map(NewFeed::urlKey).toList(), rs -> taken.add(rs.getString(1))));
        List<NewFeed> fresh = new ArrayList<>();
        for (int i = 0; i < feeds.size(); i++) {
            added[i] = taken.add(feeds.get(i).urlKey());
            if (added[i]) {
                fresh.add(feeds.get(i));
            }
        }
        if (fresh.isEmpty()) {
            return added;
        }
        em.unwrap(Session.class).doWork(c -> {
            long[] ids = new long[fresh.size()];
            try (PreparedStatement ps = c.prepareStatement("insert into feed (url, url_key, user_title, paused, "
                    + "status, created_at, error_count, next_poll_at, next_poll_reason) values (?, ?, ?, false, 'new', ?, 0, ?, "
                    + "'new subscription')", new String[] {"id"})) {
                for (NewFeed f : fresh) {
                    ps.setString(1, f.url());
                    ps.setString(2, f.urlKey());
                    ps.setString(3, f.title());
                    ps.setObject(4, now.atOffset(ZoneOffset.UTC));
                    ps.setObject(5, now.atOffset(ZoneOffset.UTC));
                    ps.addBatch();
                }
                GeneratedIds.execute(ps, ids, 0, ids.length, "feed");
            }
            try (PreparedStatement ps = c.prepareStatement("insert into feed_tag (feed_id, tag) values (?, ?)")) {
                for (int i = 0; i < ids.length; i++) {
                    for (String tag : fresh.get(i).tags()) {
                        ps.setLong(1, ids[i]);
                        ps.setString(2, tag);
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
            }
        });
        return added;
    }

    @Transactional
    public Optional<FeedView> find(long id) {
        FeedEntity f = em.find(FeedEntity.class, id);
        return f == null ? Optional.empty() : Optional.of(FeedView.of(f, entryCounts(List.of(id)).getOrDefault(id, 0L)));
    }

    /** All subscriptions, oldest first, optionally only those with the given status. */
    @Transactional
    public List<FeedView> list(String status) {
        List<FeedEntity> feeds = status == null
                ? em.createQuery("from FeedEntity order by id", FeedEntity.class).getResultList()
                : em.createQuery("from FeedEntity where status = :s order by id", FeedEntity.class)
                        .setParameter("s", status).getResultList();
        Map<Long, Long> counts = entryCounts(feeds.stream().map(f -> f.id).toList());
        return feeds.stream().map(f -> FeedView.of(f, counts.getOrDefault(f.id, 0L))).toList();
    }

    /** Number of feeds per status. */
    @Transactional
    public Map<String, Long> countByStatus() {
        Map<String, Long> out = new HashMap<>();
        for (Object[] row : em.createQuery("select status, count(*) from FeedEntity group by status", Object[].class)
                .getResultList()) {
            out.put((String) row[0], (Long) row[1]);
        }
        return out;
    }

    private Map<Long, Long> entryCounts(Collection<Long> ids) {
        Map<Long, Long> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        for (Object[] row : em.createQuery("select feedId, count(*) from EntryEntity where feedId in :ids group by feedId",
                Object[].class).setParameter("ids", ids).getResultList()) {
            out.put((Long) row[0], (Long) row[1]);
        }
        return out;
    }

    /** Changes what the user controls; null arguments leave a field as it is. Empty when the feed does not exist. */
    @Transactional
    public Optional<FeedView> update(long id, String title, Set<String> tags, Boolean paused, Instant now) {
        FeedEntity f = em.find(FeedEntity.class, id);
        if (f == null) {
            return Optional.empty();
        }
        if (title != null) {
            f.userTitle = title.isBlank() ? null : title;
        }
        if (tags != null) {
            f.tags.clear();
            f.tags.addAll(tags);
        }
        if (paused != null && paused != f.paused) {
            f.paused = paused;
            if (!paused) {
                f.nextPollAt = now;
                f.nextPollReason = "resumed";
                if ("gone".equals(f.status)) {
                    f.status = "ok";
                    f.errorCount = 0;
                }
            }
        }
        return find(id);
    }

    /** Deletes a feed, its entries and history, and the stories it leaves without any entry. */
    @Transactional
    public boolean delete(long id) {
        FeedEntity f = em.find(FeedEntity.class, id);
        if (f == null) {
            return false;
        }
        // The feed's entries with their stories and the keys they may have given them: a story this deletion leaves
        // empty had no entry of another feed, so its keys are among these entries' own (story_key has no index on
        // the story: StoryKeys).
        List<Object[]> members = em.createQuery("select storyId, canonicalLink, guid from EntryEntity "
                + "where feedId = :id and storyId is not null", Object[].class).setParameter("id", id).getResultList();
        em.createQuery("delete from PollLogEntity where feedId = :id").setParameter("id", id).executeUpdate();
        stories.deleteIndexRowsOfFeed(id);
        em.createQuery("delete from EntryEntity where feedId = :id").setParameter("id", id).executeUpdate();
        em.remove(f);
        Set<Long> stories = new HashSet<>();
        members.forEach(m -> stories.add((Long) m[0]));
        for (List<Long> chunk : InList.chunks(stories, DELETE_CHUNK)) {
            List<Long> emptied = em.createQuery("select s.id from StoryEntity s where s.id in :ids and not exists "
                    + "(select 1 from EntryEntity e where e.storyId = s.id)", Long.class).setParameter("ids", chunk)
                    .getResultList();
            if (emptied.isEmpty()) {
                continue;
            }
            Set<Long> gone = new HashSet<>(emptied);
            List<Long> keys = new ArrayList<>();
            for (Object[] m : members) {
                if (gone.contains((Long) m[0])) {
                    keys.addAll(StoryKeys.hashesOf((String) m[1], (String) m[2]));
                }
            }
            for (List<Long> keyChunk : InList.chunks(keys, DELETE_CHUNK)) {
                em.createQuery("delete from StoryKeyEntity k where k.keyHash in :keys and k.storyId in :ids")
                        .setParameter("keys", keyChunk).setParameter("ids", emptied).executeUpdate();
            }
            em.createQuery("delete from StoryEntity s where s.id in :ids").setParameter("ids", emptied).executeUpdate();
        }
        return true;
    }

    /** Values per IN list in a deletion. */
    private static final int DELETE_CHUNK = 500;

    /**
     * Claims up to {@code limit} due feeds for this instance: rows another transaction holds are skipped, and the
     * lease keeps other instances off them until it runs out.
     */
    @Transactional
    public List<ClaimedFeed> claimDue(String instance, int limit, Duration lease, Instant now) {
        if (limit <= 0) {
            return List.of();
        }
        // Two steps: find candidate ids off the (next_poll_at, id) index without locking, then lock those rows,
        // skipping any another claimer holds and checking the conditions again. A single locking query made H2 lock
        // every due row before applying the limit: after "refresh all" each claim cost as much as all feeds.
        String due = "f.nextPollAt <= :now and f.paused = false and (f.leaseUntil is null or f.leaseUntil < :now)";
        List<Long> candidates = em.createQuery("select f.id from FeedEntity f where " + due + " order by f.nextPollAt, f.id",
                        Long.class)
                .setParameter("now", now)
                .setMaxResults(limit * 2)
                .getResultList();
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<FeedEntity> claimed = em.createQuery("from FeedEntity f where f.id in :ids and " + due
                        + " order by f.nextPollAt, f.id", FeedEntity.class)
                .setParameter("ids", candidates)
                .setParameter("now", now)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .setMaxResults(limit)
                .getResultList();
        for (FeedEntity f : claimed) {
            f.claimedBy = instance;
            f.leaseUntil = now.plus(lease);
        }
        return claimed(claimed, now);
    }

    /**
     * Claims one feed now, whatever its schedule (manual refresh). Empty when it does not exist, is claimed by a
     * running poll, or was refreshed by hand less than {@code minGap} ago (then {@link RefreshTooSoon}).
     */
    @Transactional
    public Optional<ClaimedFeed> claimNow(long id, String instance, Duration lease, Duration minGap, Instant now)
            throws RefreshTooSoon {
        FeedEntity f = em.find(FeedEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (f == null) {
            return Optional.empty();
        }
        if (f.manualRefreshAt != null && f.manualRefreshAt.plus(minGap).isAfter(now)) {
            throw new RefreshTooSoon(Duration.between(now, f.manualRefreshAt.plus(minGap)));
        }
        if (f.leaseUntil != null && f.leaseUntil.isAfter(now)) {
            throw new RefreshTooSoon(Duration.ofSeconds(1));
        }
        f.manualRefreshAt = now;
        f.claimedBy = instance;
        f.leaseUntil = now.plus(lease);
        return Optional.of(claimed(List.of(f), now).get(0));
    }

    /** A manual refresh came too soon after the last one, or while a poll runs. */
    public static final class RefreshTooSoon extends Exception {
        private final Duration retryAfter;

        public RefreshTooSoon(Duration retryAfter) {
            super("refreshed too recently");
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /**
     * What the polls of claimed feeds need, read with the claim: their rows' poll state and, in one query for all of
     * them, which receive WebSub pushes (so a poll reads nothing more to schedule the next one).
     */
    private List<ClaimedFeed> claimed(List<FeedEntity> claimed, Instant now) {
        Map<Long, Instant> pushUntil = new HashMap<>();
        em.unwrap(Session.class).doWork(c -> InList.query(c, "select feed_id, lease_until from websub_subscription "
                + "where state = 'active' and lease_until > ? and feed_id in (%s)", ps -> {
                    ps.setObject(1, now.atOffset(ZoneOffset.UTC));
                    return 2;
                }, claimed.stream().map(f -> f.id).toList(),
                rs -> pushUntil.put(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant())));
        List<ClaimedFeed> out = new ArrayList<>(claimed.size());
        for (FeedEntity f : claimed) {
            out.add(new ClaimedFeed(f.id, f.url, f.etag, f.lastModified, f.bodyHash, f.errorCount,
                    RecentPublished.decode(f.recentPublished), pushUntil.get(f.id)));
        }
        return out;
    }

    /** One poll's outcome on its feed's row: what every outcome sets, and what only some change (see binds). */
    private static final String RECORD_POLL = "update feed set last_polled_at = ?, last_http_status = ?, last_bytes = ?, "
            + "last_duration_ms = ?, last_new_entries = ?, last_error = ?, error_count = ?, next_poll_at = ?, "
            + "next_poll_reason = ?, claimed_by = null, lease_until = null, last_success_at = coalesce(?, last_success_at), "
            + "status = ?, paused = case when ? then true else paused end, etag = case when ? then ? else etag end, "
            + "last_modified = case when ? then ? else last_modified end, body_hash = coalesce(?, body_hash), "
            + "title = coalesce(?, title), site_url = coalesce(?, site_url), "
            + "recent_published = coalesce(?, recent_published) where id = ?";
    private static final String ADD_HISTORY = "insert into poll_log (feed_id, polled_at, outcome, http_status, bytes, "
            + "duration_ms, new_entries, error, next_poll_at, next_poll_reason) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** Deletes a feed's history beyond its newest {@code historySize} rows (ids grow with time). */
    private static final String PRUNE_HISTORY = "delete from poll_log where feed_id = ? and id < (select min(k.id) from "
            + "(select id from poll_log where feed_id = ? order by id desc limit ?) k)";

    /**
     * Writes polls' outcomes on their feeds and in their history, releases their leases and prunes old history, in
     * the caller's transaction (so a poll's entries and its new validators commit together). Many polls' records
     * take one JDBC batch per statement: the feed rows (one {@code update} each, without reading them first), the
     * history rows, and the pruning of about one feed in eight. A feed deleted while it was polled gets nothing.
     */
    @Transactional
    public void recordPolls(List<PollRecord> unordered, int historySize) {
        if (unordered.isEmpty()) {
            return;
        }
        // In feed id order, as the committer locks feed rows, so two transactions cannot wait for each other's rows
        // (a stable sort: two outcomes of one feed keep their order, the later one written last).
        List<PollRecord> records = new ArrayList<>(unordered);
        records.sort(Comparator.comparingLong(PollRecord::feedId));
        List<PollRecord> found = new ArrayList<>(records.size());
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement(RECORD_POLL)) {
                for (PollRecord r : records) {
                    bindOutcome(ps, r);
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                for (int i = 0; i < records.size(); i++) {
                    if (counts[i] != 0) {
                        found.add(records.get(i));
                    }
                }
            }
            if (found.isEmpty()) {
                return;
            }
            addHistory(c, found, historySize);
        });
        for (PollRecord r : found) {
            if (r.newUrl() != null) {
                moveTo(r.feedId(), r.newUrl());
            }
        }
    }

    /**
     * The parameters of {@link #RECORD_POLL}: after a success the validators are replaced when the poll fetched a
     * body (or got new ones), and the body hash, title and site when the poll found them; a failure leaves them and
     * marks the feed erroring, or gone and paused.
     */
    private static void bindOutcome(PreparedStatement ps, PollRecord r) throws SQLException {
        boolean success = r.success();
        ps.setObject(1, r.polledAt().atOffset(ZoneOffset.UTC));
        ps.setObject(2, r.httpStatus(), Types.INTEGER);
        ps.setObject(3, r.bytes(), Types.BIGINT);
        ps.setObject(4, r.durationMs(), Types.BIGINT);
        ps.setInt(5, r.newEntries());
        ps.setString(6, r.error());
        ps.setInt(7, r.errorCount());
        ps.setObject(8, r.nextPollAt().atOffset(ZoneOffset.UTC));
        ps.setString(9, r.nextPollReason());
        ps.setObject(10, success ? r.polledAt().atOffset(ZoneOffset.UTC) : null, Types.TIMESTAMP_WITH_TIMEZONE);
        ps.setString(11, success ? "ok" : r.gone() ? "gone" : "erroring");
        ps.setBoolean(12, !success && r.gone());
        boolean validators = success && (r.etag() != null || r.lastModified() != null || r.bodyHash() != null);
        ps.setBoolean(13, validators);
        ps.setString(14, r.etag());
        ps.setBoolean(15, validators);
        ps.setString(16, r.lastModified());
        ps.setString(17, success ? r.bodyHash() : null);
        ps.setString(18, success ? r.feedTitle() : null);
        ps.setString(19, success ? r.siteUrl() : null);
        ps.setString(20, r.recentPublished() == null ? null : RecentPublished.encode(r.recentPublished()));
        ps.setLong(21, r.feedId());
    }

    /**
     * Publication times of a feed's latest entries, newest first, for the adaptive interval: the ones its row holds
     * ({@code known}) with those of the entries a poll just stored ({@code added}, in this transaction); from the
     * entries when the row did not have them yet ({@code known} null).
     */
    @Transactional
    public List<Instant> recentPublished(long feedId, List<Instant> known, List<Instant> added) {
        if (known != null) {
            return added.isEmpty() ? known : RecentPublished.merge(known, added);
        }
        return em.createQuery("select publishedAt from EntryEntity where feedId = :f order by publishedAt desc",
                Instant.class).setParameter("f", feedId).setMaxResults(RecentPublished.KEPT).getResultList();
    }

    /**
     * Appends these attempts to their feeds' histories and, now and then, drops what is beyond a feed's last
     * {@code historySize} ({@link #history} never shows more than that).
     */
    private static void addHistory(Connection c, List<PollRecord> found, int historySize) throws SQLException {
        long[] ids = new long[found.size()];
        try (PreparedStatement ps = c.prepareStatement(ADD_HISTORY, new String[] {"id"})) {
            for (PollRecord r : found) {
                ps.setLong(1, r.feedId());
                ps.setObject(2, r.polledAt().atOffset(ZoneOffset.UTC));
                ps.setString(3, r.outcome());
                ps.setObject(4, r.httpStatus(), Types.INTEGER);
                ps.setObject(5, r.bytes(), Types.BIGINT);
                ps.setObject(6, r.durationMs(), Types.BIGINT);
                ps.setInt(7, r.newEntries());
                ps.setString(8, r.error());
                ps.setObject(9, r.nextPollAt() == null ? null : r.nextPollAt().atOffset(ZoneOffset.UTC),
                        Types.TIMESTAMP_WITH_TIMEZONE);
                ps.setString(10, r.nextPollReason());
                ps.addBatch();
            }
            GeneratedIds.execute(ps, ids, 0, ids.length, "poll_log");
        }
        boolean prune = false;
        try (PreparedStatement ps = c.prepareStatement(PRUNE_HISTORY)) {
            for (int i = 0; i < ids.length; i++) {
                // Pruning on about one write in eight keeps the table near its size at an eighth of the cost.
                if (ids[i] % PRUNE_EVERY == 0) {
                    ps.setLong(1, found.get(i).feedId());
                    ps.setLong(2, found.get(i).feedId());
                    ps.setInt(3, historySize);
                    ps.addBatch();
                    prune = true;
                }
            }
            if (prune) {
                ps.executeBatch();
            }
        }
    }

    /**
     * Records a document a WebSub hub pushed: a history entry and the new entries' publication times; the poll
     * schedule stays as it is.
     */
    @Transactional
    public void recordPush(long feedId, Instant at, int newEntries, List<Instant> published, long bytes, int historySize) {
        FeedEntity f = em.find(FeedEntity.class, feedId);
        if (f == null) {
            return;
        }
        f.lastNewEntries = newEntries;
        if (f.recentPublished != null && !published.isEmpty()) {
            f.recentPublished = RecentPublished.encode(
                    RecentPublished.merge(RecentPublished.decode(f.recentPublished), published));
        }
        PollRecord push = new PollRecord(feedId, at, "push", null, bytes, null, newEntries, null, f.errorCount,
                f.nextPollAt, f.nextPollReason, null, null, null, null, null, null, false, null);
        em.unwrap(Session.class).doWork(c -> addHistory(c, List.of(push), historySize));
    }

    /**
     * Whether another subscription reads this address already: a feed that moves there (a permanent redirect, or the
     * feed its page names) becomes that one's duplicate, and its entries are that one's to store.
     */
    @Transactional
    public boolean subscribedElsewhere(String url, long feedId) {
        String key = UrlKey.of(url);
        return key != null && em.createQuery("select id from FeedEntity where urlKey = :k and id <> :id", Long.class)
                .setParameter("k", key).setParameter("id", feedId).setMaxResults(1).getResultStream().findFirst()
                .isPresent();
    }

    /** A permanent redirect: take the new URL, unless another subscription has it (then this one is its duplicate). */
    private void moveTo(long feedId, String newUrl) {
        String key = UrlKey.of(newUrl);
        if (key == null) {
            return;
        }
        Optional<Long> holder = em.createQuery("select id from FeedEntity where urlKey = :k", Long.class)
                .setParameter("k", key).getResultStream().findFirst();
        if (holder.isEmpty()) {
            em.createQuery("update FeedEntity set url = :u, urlKey = :k where id = :id").setParameter("u", newUrl)
                    .setParameter("k", key).setParameter("id", feedId).executeUpdate();
        } else if (holder.get() != feedId) {
            em.createQuery("update FeedEntity set duplicateOf = :o, status = 'duplicate', paused = true, "
                    + "nextPollReason = :r where id = :id").setParameter("o", holder.get())
                    .setParameter("r", "moved to the address of feed " + holder.get()).setParameter("id", feedId)
                    .executeUpdate();
        }
    }

    /** Makes every unpaused feed due now ("refresh all"); returns how many. */
    @Transactional
    public int makeAllDue(Instant now) {
        return em.createQuery("update FeedEntity set nextPollAt = :now, nextPollReason = 'refresh of all feeds requested' "
                + "where paused = false").setParameter("now", now).executeUpdate();
    }

    /** Clears this instance's leases (at shutdown), so the next start polls those feeds without waiting. */
    @Transactional
    public int releaseLeases(String instance) {
        return em.createQuery("update FeedEntity set claimedBy = null, leaseUntil = null where claimedBy = :i")
                .setParameter("i", instance).executeUpdate();
    }

    @Transactional
    public List<PollView> history(long feedId, int historySize) {
        return em.createQuery("from PollLogEntity where feedId = :f order by id desc", PollLogEntity.class)
                .setParameter("f", feedId).setMaxResults(historySize).getResultList().stream()
                .map(l -> new PollView(l.polledAt, l.outcome, l.httpStatus, l.bytes, l.durationMs, l.newEntries, l.error,
                        l.nextPollAt, l.nextPollReason)).toList();
    }

    /** The poll backlog as of {@code now}: due, unpaused feeds and the lateness of the most overdue one. */
    @Transactional
    public PollBacklog backlog(Instant now) {
        Object[] row = em.createQuery("select count(*), min(nextPollAt) from FeedEntity where paused = false "
                + "and nextPollAt <= :now", Object[].class).setParameter("now", now).getSingleResult();
        long erroring = em.createQuery("select count(*) from FeedEntity where status = 'erroring'", Long.class)
                .getSingleResult();
        Instant oldest = (Instant) row[1];
        return new PollBacklog((Long) row[0], oldest == null ? Duration.ZERO : Duration.between(oldest, now), erroring);
    }
}
