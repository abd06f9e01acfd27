package dev.tributary.poll;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.parse.FeedParser;
import dev.tributary.parse.ParsedEntry;
import dev.tributary.store.PollRecord;
import dev.tributary.support.FeedServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The group commit: documents queued while a commit runs go into the next one together, each entry lands in its
 * story in the same transaction, and a document whose commit fails fails alone; the same for documents without
 * entries (304s, failures), which their pollers commit in turns.
 */
@QuarkusTest
class CommitterTest {

    @Inject
    Committer committer;
    @Inject
    MeterRegistry metrics;

    FeedServer server;
    ExecutorService pool;

    @BeforeEach
    void start() {
        server = new FeedServer();
        pool = Executors.newFixedThreadPool(6);
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        server.close();
    }

    @Test
    void documentsQueuedDuringACommitGoTogetherAndTheirEntriesAreInStoriesAtOnce() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        long a = subscribe(run + "-a");
        List<Long> others = List.of(subscribe(run + "-b"), subscribe(run + "-c"), subscribe(run + "-d"));
        long batchesBefore = batches();

        Held first = hold(a, run + "-a");
        Waiters waiting = new Waiters();
        List<Future<Committer.Saved>> queued = new ArrayList<>();
        for (long id : others) {
            String name = run + "-" + "bcd".charAt(others.indexOf(id));
            queued.add(waiting.submit(() -> committer.commit(job(id, name, s -> { }))));
        }
        waiting.untilAll(3, Thread.State.WAITING, "three documents wait behind the first commit");
        first.release();

        assertEquals(5, first.saved().inserted());
        for (Future<Committer.Saved> f : queued) {
            assertEquals(5, f.get(10, TimeUnit.SECONDS).inserted());
        }
        assertEquals(2, batches() - batchesBefore, "the first document alone, then the three queued behind it together");
        for (long id : others) {
            // In the timeline as soon as the commit returned: no story stage runs afterwards.
            given().queryParam("feed", id).when().get("/api/timeline").then()
                    .body("items.size()", equalTo(5))
                    .body("items.sources.flatten().feedId", hasItem((int) id));
        }
    }

    @Test
    void aDocumentThatFailsToCommitFailsAloneAndItsBatchCommitsWithoutIt() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        long a = subscribe(run + "-a");
        long bad = subscribe(run + "-bad");
        long c = subscribe(run + "-c");
        Held first = hold(a, run + "-a");
        Future<Committer.Saved> failing = pool.submit(() -> committer.commit(job(bad, run + "-bad", s -> {
            throw new IllegalStateException("injected failure while recording this document");
        })));
        Future<Committer.Saved> fine = pool.submit(() -> committer.commit(job(c, run + "-c", s -> { })));
        Thread.sleep(200); // usually both are queued by now; the outcome below holds either way
        first.release();

        assertEquals(5, first.saved().inserted());
        assertEquals(5, fine.get(10, TimeUnit.SECONDS).inserted());
        Throwable failure = null;
        try {
            failing.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            failure = e.getCause();
        }
        assertInstanceOf(IllegalStateException.class, failure, "the failing document's own error reaches its poller");
        given().when().get("/api/feeds/" + bad).then().body("entryCount", equalTo(0));
        given().when().get("/api/feeds/" + c).then().body("entryCount", equalTo(5));
    }

    @Test
    void documentsWithoutEntriesQueuedMeanwhileAreRecordedTogetherAndAFailingOneAlone() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        long a = subscribe(run + "-a");
        List<Long> others = List.of(subscribe(run + "-b"), subscribe(run + "-c"), subscribe(run + "-d"));
        long bad = subscribe(run + "-bad");
        long before = batches("tributary.commit.quiet");

        // The first 304 takes the turn and holds it while it records.
        Held first = new Held(pause -> committer.commit(new Committer.Job(a, List.of(), List.of(), Instant.now(),
                s -> {
                    pause.run();
                    return notModified(a);
                })));
        Waiters waiting = new Waiters();
        List<Future<Committer.Saved>> queued = new ArrayList<>();
        List<Long> behind = new ArrayList<>(others);
        behind.add(bad);
        for (long id : behind) {
            queued.add(waiting.submit(() -> committer.commit(new Committer.Job(id, List.of(), List.of(), Instant.now(),
                    s -> {
                        if (id == bad) {
                            throw new IllegalStateException("injected failure while recording this poll");
                        }
                        return notModified(id);
                    }))));
        }
        waiting.untilAll(4, Thread.State.TIMED_WAITING, "four documents wait for the turn");
        first.release();

        assertEquals(0, first.saved().inserted());
        for (int i = 0; i < others.size(); i++) {
            assertEquals(0, queued.get(i).get(10, TimeUnit.SECONDS).inserted());
        }
        Throwable failure = null;
        try {
            queued.get(3).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            failure = e.getCause();
        }
        assertInstanceOf(IllegalStateException.class, failure, "the failing poll's own error reaches its poller");
        // The first alone; the four behind it in one transaction, which failed; then each of them alone.
        assertEquals(1 + 3, batches("tributary.commit.quiet") - before, "committed transactions");
        for (long id : List.of(a, others.get(0), others.get(1), others.get(2))) {
            given().when().get("/api/feeds/" + id).then().body("lastHttpStatus", equalTo(304))
                    .body("status", equalTo("ok"));
            given().when().get("/api/feeds/" + id + "/polls").then().body("outcome", equalTo(List.of("not_modified")));
        }
        given().when().get("/api/feeds/" + bad).then().body("lastHttpStatus", equalTo(null));
    }

    @Test
    void aDocumentOfAFeedDeletedMeanwhileStoresNothingAndFailsNothing() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        long gone = subscribe(run + "-gone");
        long kept = subscribe(run + "-kept");
        Committer.Job late = job(gone, run + "-gone", s -> { });
        given().when().delete("/api/feeds/" + gone).then().statusCode(204);
        Committer.Saved saved = committer.commit(late);
        assertEquals(0, saved.inserted(), "nothing stored for a feed that is gone");
        assertEquals(5, committer.commit(job(kept, run + "-kept", s -> { })).inserted());
        given().when().get("/api/feeds/" + gone).then().statusCode(404);
    }

    @Test
    void eachDocumentOfABatchIsSortedAgainstItsOwnFeedsEntries() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        long a = subscribe(run + "-a");
        long b = subscribe(run + "-b");
        long holder = subscribe(run + "-holder");
        assertEquals(5, committer.commit(job(a, run + "-shared", s -> { })).inserted());

        long batchesBefore = batches();
        Held first = hold(holder, run + "-holder");
        // Feed a again: item 0 edited, item 5 new. Feed b: the very same keys as a's entries, none stored for b.
        String edited = document(run + "-shared").replace("<description>body 0</description>", "<description>body 0, "
                + "corrected</description>").replace("</channel>", "<item><title>late</title><link>https://" + run
                + "-shared.example/5</link><pubDate>Sat, 06 Jun 2026 10:00:00 GMT</pubDate><description>body 5"
                + "</description></item></channel>");
        Waiters waiting = new Waiters();
        Future<Committer.Saved> again = waiting.submit(() -> committer.commit(job(a, edited, run + "-shared", s -> { })));
        Future<Committer.Saved> sameKeys = waiting.submit(() -> committer.commit(job(b, run + "-shared", s -> { })));
        waiting.untilAll(2, Thread.State.WAITING, "two documents wait behind the first commit");
        first.release();

        assertEquals(5, first.saved().inserted());
        Committer.Saved savedA = again.get(10, TimeUnit.SECONDS);
        Committer.Saved savedB = sameKeys.get(10, TimeUnit.SECONDS);
        assertEquals(2, batches() - batchesBefore, "the first document alone, then the two queued behind it together");
        assertEquals(List.of(1, 1, 4), List.of(savedA.inserted(), savedA.updated(), savedA.unchanged()),
                "feed a: one new entry, one edited in place, four as they were");
        assertEquals(List.of(5, 0, 0), List.of(savedB.inserted(), savedB.updated(), savedB.unchanged()),
                "feed b: a's keys are not b's entries");
        given().queryParam("feed", a).queryParam("q", "corrected").when().get("/api/timeline").then()
                .body("items.size()", equalTo(1));
        given().when().get("/api/feeds/" + a).then().body("entryCount", equalTo(6));
        given().when().get("/api/feeds/" + b).then().body("entryCount", equalTo(5));
    }

    private static PollRecord notModified(long feedId) {
        Instant now = Instant.now();
        return new PollRecord(feedId, now, "not_modified", 304, 0L, 3L, 0, null, 0, now.plusSeconds(900), "test", null,
                null, null, null, null, null, false, null);
    }

    private long batches() {
        return batches("tributary.commit.batch");
    }

    private long batches(String name) {
        var timer = metrics.find(name).timer();
        return timer == null ? 0 : timer.count();
    }

    private long subscribe(String name) {
        String path = "/" + name + "/feed.xml";
        server.serve(path, document(name), "application/rss+xml");
        return given().contentType(ContentType.JSON).body(Map.of("url", server.url(path)))
                .when().post("/api/feeds").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private Committer.Job job(long feedId, String name, Consumer<Committer.Saved> record) throws Exception {
        return job(feedId, document(name), name, record);
    }

    private Committer.Job job(long feedId, String xml, String name, Consumer<Committer.Saved> record) throws Exception {
        List<ParsedEntry> entries = new FeedParser(100).parse(xml.getBytes(StandardCharsets.UTF_8),
                "application/rss+xml", "https://" + name + ".example/feed.xml", Instant.now()).entries();
        return new Committer.Job(feedId, entries, entries.stream().map(committer::fingerprint).toList(), Instant.now(),
                s -> {
                    record.accept(s);
                    return null;
                });
    }

    /** Five entries with links of their own (no story shared with another feed). */
    private static String document(String name) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>" + name
                + "</title><link>https://" + name + ".example/</link><description>d</description>");
        for (int i = 0; i < 5; i++) {
            sb.append("<item><title>").append(name).append(" item ").append(i).append("</title><link>https://")
                    .append(name).append(".example/").append(i).append("</link><pubDate>Mon, 0").append(i + 1)
                    .append(" Jun 2026 10:00:00 GMT</pubDate><description>body ").append(i).append("</description></item>");
        }
        return sb.append("</channel></rss>").toString();
    }

    /** A commit of a feed's document that holds its transaction open until released. */
    private Held hold(long feedId, String name) throws Exception {
        return new Held(pause -> committer.commit(job(feedId, name, s -> pause.run())));
    }

    /** A commit that calls {@code pause} inside its transaction. */
    private interface Pausing {
        Committer.Saved commit(Runnable pause) throws Exception;
    }

    /**
     * A commit running on the pool that stops inside its transaction (where it calls {@code pause}) until
     * {@link #release()}: what other threads commit meanwhile queues behind it.
     */
    private final class Held {
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final Future<Committer.Saved> commit;

        Held(Pausing pausing) throws InterruptedException {
            commit = pool.submit(() -> pausing.commit(() -> {
                entered.countDown();
                try {
                    assertTrue(released.await(10, TimeUnit.SECONDS), "released");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }));
            assertTrue(entered.await(10, TimeUnit.SECONDS), "the first commit is running");
        }

        void release() {
            released.countDown();
        }

        Committer.Saved saved() throws Exception {
            return commit.get(10, TimeUnit.SECONDS);
        }
    }

    /** Commits submitted to the pool whose threads can be waited for until they are all parked. */
    private final class Waiters {
        private final List<Thread> threads = new ArrayList<>();

        Future<Committer.Saved> submit(java.util.concurrent.Callable<Committer.Saved> commit) {
            return pool.submit(() -> {
                synchronized (threads) {
                    threads.add(Thread.currentThread());
                }
                return commit.call();
            });
        }

        void untilAll(int count, Thread.State state, String what) throws InterruptedException {
            waitUntil(() -> {
                synchronized (threads) {
                    return threads.size() == count && threads.stream().allMatch(t -> t.getState() == state);
                }
            }, what);
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(10);
        }
    }
}
