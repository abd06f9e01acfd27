package dev.tributary.timeline;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.store.EntryEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hibernate.jpa.HibernateHints;

/**
 * The read side: stories newest first (by first publication, ties by id) with keyset pagination, so a cursor stays
 * correct while new entries arrive, then every member entry of the page's stories in one more query.
 */
@ApplicationScoped
public class TimelineQuery {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<List<TimelineItem.Enclosure>> ENCLOSURES = new TypeReference<>() { };

    private final EntityManager em;

    public TimelineQuery(EntityManager em) {
        this.em = em;
    }

    @Transactional
    public TimelinePage page(TimelineFilter filter, Cursor after, int limit) {
        List<Object[]> rows = storyRows(filter, after, limit + 1);
        boolean more = rows.size() > limit;
        if (more) {
            rows = rows.subList(0, limit);
        }
        Map<Long, Instant> order = new LinkedHashMap<>();
        for (Object[] r : rows) {
            order.put((Long) r[0], (Instant) r[1]);
        }
        List<TimelineItem> items = items(order);
        String next = null;
        if (more && !rows.isEmpty()) {
            Object[] last = rows.get(rows.size() - 1);
            next = new Cursor((Instant) last[1], (Long) last[0]).encode();
        }
        return new TimelinePage(items, next);
    }

    /**
     * Up to this many entries in the feeds a filter names, a page is found from those entries; beyond it, by walking
     * the stories newest first. Walking checks about {@code limit x (all entries / the feeds' entries)} stories, so it
     * is cheap for a filter that matches much and slow for one that matches little (one feed of a thousand: some
     * 50,000 stories checked for a first page at 1,000,000 entries, 100 ms on PostgreSQL); reading the feeds' entries
     * costs their number (1,000 entries: 7 ms), and so does counting them up to this bound first (5,000: 1.5 ms).
     */
    static final int FROM_ENTRIES_MAX = 5_000;

    /** (story id, published) of the stories matching the filter after the cursor, newest first, at most {@code max}. */
    private List<Object[]> storyRows(TimelineFilter filter, Cursor after, int max) {
        return storyRows(filter, after, max, FROM_ENTRIES_MAX);
    }

    List<Object[]> storyRows(TimelineFilter filter, Cursor after, int max, int fromEntriesMax) {
        List<Long> feeds = feedsOf(filter);
        if (feeds != null && feeds.isEmpty()) {
            return List.of();
        }
        boolean fromEntries = feeds != null && entriesAtMost(feeds, fromEntriesMax);
        StringBuilder entryCond = new StringBuilder();
        if (feeds != null) {
            // Walking stories, "feedId + 0" keeps the planner off the (feed_id, published_at) index: H2 used it inside
            // the per-story subquery and read every entry of the feeds for each story (over a minute for a first page
            // at 1,000,000 entries). From the entries, that index is the way in.
            entryCond.append(fromEntries ? " and e.feedId in :feeds" : " and e.feedId + 0 in :feeds");
        }
        if (filter.query() != null) {
            entryCond.append(" and (lower(e.title) like :q escape '!' or lower(e.summary) like :q escape '!'"
                    + " or lower(e.content) like :q escape '!')");
        }
        StringBuilder hql = new StringBuilder("select s.id, s.publishedAt from StoryEntity s where ");
        if (fromEntries) {
            hql.append("s.id in (select e.storyId from EntryEntity e where e.storyId is not null")
                    .append(entryCond).append(")");
        } else {
            hql.append("exists (select 1 from EntryEntity e where e.storyId = s.id").append(entryCond).append(")");
        }
        if (after != null) {
            hql.append(" and (s.publishedAt < :cp or (s.publishedAt = :cp and s.id < :cid))");
        }
        if (filter.since() != null) {
            hql.append(" and s.publishedAt >= :since");
        }
        if (filter.until() != null) {
            hql.append(" and s.publishedAt < :until");
        }
        hql.append(" order by s.publishedAt desc, s.id desc");
        TypedQuery<Object[]> q = em.createQuery(hql.toString(), Object[].class).setMaxResults(max);
        if (feeds != null) {
            q.setParameter("feeds", feeds);
        }
        if (filter.query() != null) {
            String escaped = filter.query().toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_");
            q.setParameter("q", "%" + escaped + "%");
        }
        if (after != null) {
            q.setParameter("cp", after.published()).setParameter("cid", after.id());
        }
        if (filter.since() != null) {
            q.setParameter("since", filter.since());
        }
        if (filter.until() != null) {
            q.setParameter("until", filter.until());
        }
        return q.getResultList();
    }

    /** The feeds the filter names (its feed, the feeds carrying its tag, or both), or null when it names none. */
    private List<Long> feedsOf(TimelineFilter filter) {
        if (filter.tag() == null) {
            return filter.feedId() == null ? null : List.of(filter.feedId());
        }
        List<Long> tagged = em.createQuery("select f.id from FeedEntity f join f.tags t where t = :tag", Long.class)
                .setParameter("tag", filter.tag()).getResultList();
        if (filter.feedId() != null) {
            return tagged.contains(filter.feedId()) ? List.of(filter.feedId()) : List.of();
        }
        return tagged;
    }

    /** Whether the feeds hold at most {@code n} entries, counting no further than n + 1 (off the feed_id index). */
    private boolean entriesAtMost(List<Long> feeds, int n) {
        Number count = (Number) em.createNativeQuery(
                "select count(*) from (select 1 from entry where feed_id in (:feeds) limit :n) t")
                .setParameter("feeds", feeds).setParameter("n", n + 1).getSingleResult();
        return count.longValue() <= n;
    }

    /**
     * What identifies a page's content cheaply: its stories (id to place, in order) and, for each, the newest change
     * and number of copies.
     */
    public record PageVersion(String digest, Instant modified, Map<Long, Instant> stories) {
    }

    /** The items of a page whose version was just read, without finding its stories again. */
    @Transactional
    public List<TimelineItem> items(PageVersion version) {
        return items(version.stories());
    }

    /**
     * The version of the first page for a filter without loading the entries' text: the output feeds answer a
     * matching conditional request from this alone.
     */
    @Transactional
    public PageVersion version(TimelineFilter filter, int limit) {
        Map<Long, Instant> stories = new LinkedHashMap<>();
        for (Object[] r : storyRows(filter, null, limit)) {
            stories.put((Long) r[0], (Instant) r[1]);
        }
        if (stories.isEmpty()) {
            return new PageVersion("empty", Instant.EPOCH, stories);
        }
        List<Long> ids = List.copyOf(stories.keySet());
        Map<Long, Object[]> byStory = new java.util.HashMap<>();
        for (Object[] r : em.createQuery("select e.storyId, max(e.modifiedAt), count(e.id) from EntryEntity e "
                + "where e.storyId in :ids group by e.storyId", Object[].class).setParameter("ids", ids).getResultList()) {
            byStory.put((Long) r[0], r);
        }
        StringBuilder sb = new StringBuilder();
        Instant newest = Instant.EPOCH;
        for (Long id : ids) {
            Object[] v = byStory.get(id);
            if (v == null) {
                continue;
            }
            Instant modified = (Instant) v[1];
            newest = modified.isAfter(newest) ? modified : newest;
            sb.append(id).append(':').append(modified.toEpochMilli()).append(':').append(v[2]).append('|');
        }
        return new PageVersion(sb.toString(), newest, stories);
    }

    /** One story with all its copies, or null. */
    @Transactional
    public TimelineItem story(long id) {
        List<Object[]> rows = em.createQuery("select s.id, s.publishedAt from StoryEntity s where s.id = :id", Object[].class)
                .setParameter("id", id).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        List<TimelineItem> items = items(Map.of(id, (Instant) rows.get(0)[1]));
        return items.isEmpty() ? null : items.get(0);
    }

    private List<TimelineItem> items(Map<Long, Instant> stories) {
        if (stories.isEmpty()) {
            return List.of();
        }
        Map<Long, List<Object[]>> members = new LinkedHashMap<>();
        // Read-only: the entities are only read, so Hibernate keeps no snapshot of them for dirty checking (half the
        // garbage of a timeline request).
        for (Object[] r : em.createQuery("select e, f.title, f.userTitle, f.url, f.siteUrl from EntryEntity e, "
                + "FeedEntity f where f.id = e.feedId and e.storyId in :ids", Object[].class)
                .setParameter("ids", stories.keySet()).setHint(HibernateHints.HINT_READ_ONLY, true).getResultList()) {
            members.computeIfAbsent(((EntryEntity) r[0]).storyId, k -> new ArrayList<>()).add(r);
        }
        List<TimelineItem> out = new ArrayList<>(stories.size());
        for (Map.Entry<Long, Instant> s : stories.entrySet()) {
            List<Object[]> copies = members.get(s.getKey());
            if (copies == null) {
                continue;
            }
            copies.sort(Comparator.comparing((Object[] r) -> ((EntryEntity) r[0]).publishedAt)
                    .thenComparing(r -> ((EntryEntity) r[0]).id));
            EntryEntity rep = (EntryEntity) copies.get(0)[0];
            List<TimelineItem.Source> sources = new ArrayList<>(copies.size());
            Instant modified = rep.modifiedAt;
            for (Object[] r : copies) {
                EntryEntity e = (EntryEntity) r[0];
                String feedTitle = r[2] != null ? (String) r[2] : (String) r[1];
                sources.add(new TimelineItem.Source(e.feedId, feedTitle, (String) r[3], (String) r[4], e.id, e.link,
                        e.title, e.publishedAt, e.joinReason));
                if (e.modifiedAt.isAfter(modified)) {
                    modified = e.modifiedAt;
                }
            }
            out.add(new TimelineItem(s.getKey(), rep.title, rep.link, s.getValue(), rep.updatedAt, rep.summary,
                    rep.content, rep.author, read(rep.categories, STRINGS), read(rep.enclosures, ENCLOSURES), sources,
                    modified));
        }
        return out;
    }

    private static <T> List<T> read(String json, TypeReference<List<T>> type) {
        if (json == null || json.isEmpty()) {
            return List.of();
        }
        try {
            return JSON.readValue(json, type);
        } catch (Exception e) {
            return List.of();
        }
    }
}
