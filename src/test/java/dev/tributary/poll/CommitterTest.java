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
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        long batchesBefore = batches();

        Future<Committer.Saved> first = pool.submit(() -> committer.commit(job(a, run + "-a", s -> {
            entered.countDown();
            await(release);
        })));
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the first commit is running");
        List<Thread> waiting = new ArrayList<>();
        List<Future<Committer.Saved>> queued = new ArrayList<>();
        for (long id : others) {
            String name = run + "-" + "bcd".charAt(others.indexOf(id));
            queued.add(pool.submit(() -> {
                synchronized (waiting) {
                    waiting.add(Thread.currentThread());
                }
                return committer.commit(job(id, name, s -> { }));
            }));
        }
        waitUntil(() -> {
            synchronized (waiting) {
                return waiting.size() == 3 && waiting.stream().allMatch(t -> t.getState() == Thread.State.WAITING);
            }
        }, "three documents wait behind the first commit");
        release.countDown();

        assertEquals(5, first.get(10, TimeUnit.SECONDS).inserted());
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
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Committer.Saved> first = pool.submit(() -> committer.commit(job(a, run + "-a", s -> {
            entered.countDown();
            await(release);
        })));
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the first commit is running");
        Future<Committer.Saved> failing = pool.submit(() -> committer.commit(job(bad, run + "-bad", s -> {
            throw new IllegalStateException("injected failure while recording this document");
        })));
        Future<Committer.Saved> fine = pool.submit(() -> committer.commit(job(c, run + "-c", s -> { })));
        Thread.sleep(200); // usually both are queued by now; the outcome below holds either way
        release.countDown();

        assertEquals(5, first.get(10, TimeUnit.SECONDS).inserted());
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
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        long before = batches("tributary.commit.quiet");

        // The first 304 takes the turn and holds it while it records.
        Future<Committer.Saved> first = pool.submit(() -> committer.commit(new Committer.Job(a, List.of(), List.of(),
                Instant.now(), s -> {
                    entered.countDown();
                    await(release);
                    return notModified(a);
                })));
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the first commit is running");
        List<Thread> waiting = new ArrayList<>();
        List<Future<Committer.Saved>> queued = new ArrayList<>();
        List<Long> behind = new ArrayList<>(others);
        behind.add(bad);
        for (long id : behind) {
            queued.add(pool.submit(() -> {
                synchronized (waiting) {
                    waiting.add(Thread.currentThread());
                }
                return committer.commit(new Committer.Job(id, List.of(), List.of(), Instant.now(), s -> {
                    if (id == bad) {
                        throw new IllegalStateException("injected failure while recording this poll");
                    }
                    return notModified(id);
                }));
            }));
        }
        waitUntil(() -> {
            synchronized (waiting) {
                return waiting.size() == 4
                        && waiting.stream().allMatch(t -> t.getState() == Thread.State.TIMED_WAITING);
            }
        }, "four documents wait for the turn");
        release.countDown();

        assertEquals(0, first.get(10, TimeUnit.SECONDS).inserted());
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

        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        long batchesBefore = batches();
        Future<Committer.Saved> first = pool.submit(() -> committer.commit(job(holder, run + "-holder", s -> {
            entered.countDown();
            await(release);
        })));
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the first commit is running");
        // Feed a again: item 0 edited, item 5 new. Feed b: the very same keys as a's entries, none stored for b.
        String edited = document(run + "-shared").replace("<description>body 0</description>", "<description>body 0, "
                + "corrected</description>").replace("</channel>", "<item><title>late</title><link>https://" + run
                + "-shared.example/5</link><pubDate>Sat, 06 Jun 2026 10:00:00 GMT</pubDate><description>body 5"
                + "</description></item></channel>");
        List<Thread> waiting = new ArrayList<>();
        Future<Committer.Saved> again = pool.submit(() -> {
            synchronized (waiting) {
                waiting.add(Thread.currentThread());
            }
            return committer.commit(job(a, edited, run + "-shared", s -> { }));
        });
        Future<Committer.Saved> sameKeys = pool.submit(() -> {
            synchronized (waiting) {
                waiting.add(Thread.currentThread());
            }
            return committer.commit(job(b, run + "-shared", s -> { }));
        });
        waitUntil(() -> {
            synchronized (waiting) {
                return waiting.size() == 2 && waiting.stream().allMatch(t -> t.getState() == Thread.State.WAITING);
            }
        }, "two documents wait behind the first commit");
        release.countDown();

        assertEquals(5, first.get(10, TimeUnit.SECONDS).inserted());
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

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), "released");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
