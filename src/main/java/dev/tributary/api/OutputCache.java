package dev.tributary.api;

import dev.tributary.TributaryConfig;
import dev.tributary.timeline.TimelineChanges;
import dev.tributary.timeline.TimelineQuery;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The output feeds' last answers, per format, filter, limit and base URL: the page version with its ETag, and the
 * rendered body once one was asked for. An answer stands while {@link TimelineChanges} stands still and for at most
 * {@code tributary.output.cache-ttl}, so conditional requests (most of an output feed's traffic: every reader polls
 * with If-None-Match) are answered without a query, and full bodies without rendering again.
 */
@ApplicationScoped
public class OutputCache {

    /** Distinct variants kept; beyond this the cache starts over (variants differ only by tag and limit). */
    static final int MAX_VARIANTS = 512;

    /** What an answer depends on besides the data. */
    public record Key(String format, String tag, int limit, String base) {
    }

    /**
     * An answer: its version and validators, and the body when it was rendered, kept as the UTF-8 bytes sent (a kept
     * String was encoded again for every request, character by character: 90% of the time of a cached answer).
     */
    public record Answer(long generation, long madeAtNanos, TimelineQuery.PageVersion version, String etag,
            String lastModified, byte[] body) {
        Answer withBody(byte[] rendered) {
            return new Answer(generation, madeAtNanos, version, etag, lastModified, rendered);
        }
    }

    private final ConcurrentHashMap<Key, Answer> answers = new ConcurrentHashMap<>();
    private final TimelineChanges changes;
    private final long ttlNanos;

    public OutputCache(TimelineChanges changes, TributaryConfig config) {
        this.changes = changes;
        this.ttlNanos = config.output().cacheTtl().toNanos();
    }

    /**
     * The current answer for a key: the cached one while it is fresh, else {@code fresh} asked with the generation
     * read before it runs (a change committed while it runs makes the next request ask again).
     */
    public Answer answer(Key key, java.util.function.LongFunction<Answer> fresh) {
        long generation = changes.current();
        Answer a = answers.get(key);
        if (a != null && a.generation() == generation && System.nanoTime() - a.madeAtNanos() < ttlNanos) {
            return a;
        }
        a = fresh.apply(generation);
        if (ttlNanos > 0) {
            if (answers.size() >= MAX_VARIANTS) {
                answers.clear();
            }
            answers.put(key, a);
        }
        return a;
    }

    /** The body of an answer, rendered once per answer. */
    public byte[] body(Key key, Answer answer, Supplier<byte[]> render) {
        if (answer.body() != null) {
            return answer.body();
        }
        byte[] body = render.get();
        if (ttlNanos > 0) {
            answers.replace(key, answer, answer.withBody(body));
        }
        return body;
    }
}
