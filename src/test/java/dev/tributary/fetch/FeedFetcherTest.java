package dev.tributary.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tributary.TributaryConfig;
import dev.tributary.support.FeedServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fetch stage against real hostile servers on loopback. 127.0.0.2 plays the public internet (the only allowed
 * network); 127.0.0.1 plays the private network the guard must protect.
 */
class FeedFetcherTest {

    record Settings(Duration connectTimeout, Duration totalTimeout, long maxBodyBytes, int maxRedirects,
            Optional<List<String>> allowedNetworks, boolean guardEnabled) implements TributaryConfig.Fetch {
    }

    static final Settings SETTINGS = new Settings(Duration.ofSeconds(2), Duration.ofSeconds(3), 1024 * 1024, 5,
            Optional.of(List.of("127.0.0.2/32")), true);

    FeedFetcher fetcher;
    FeedServer publicServer;

    @BeforeEach
    void start() {
        fetcher = new FeedFetcher(SETTINGS);
        publicServer = new FeedServer("127.0.0.2");
    }

    @AfterEach
    void stop() throws IOException {
        publicServer.close();
        fetcher.close();
    }

    private FetchException fails(String url) {
        return assertThrows(FetchException.class, () -> fetcher.fetch(new FetchRequest(url, null, null)));
    }

    @Test
    void fetchesAndSendsValidators() throws Exception {
        publicServer.serve("/f", "<rss/>", "application/rss+xml");
        FetchResult first = fetcher.fetch(new FetchRequest(publicServer.url("/f"), null, null));
        assertEquals(200, first.status());
        assertArrayEquals("<rss/>".getBytes(StandardCharsets.UTF_8), first.body());
        FetchResult second = fetcher.fetch(new FetchRequest(publicServer.url("/f"), first.etag(), null));
        assertTrue(second.notModified());
        assertEquals(1, publicServer.fullBodies("/f"));
    }

    @Test
    void loopbackAndPrivateTargetsAreRefusedWithoutAConnection() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            AtomicInteger accepted = acceptCounter(listener);
            int port = listener.getLocalPort();
            assertEquals(FetchFailure.BLOCKED_ADDRESS, fails("http://127.0.0.1:" + port + "/").failure());
            assertEquals(FetchFailure.BLOCKED_ADDRESS, fails("http://localhost:" + port + "/").failure());
            assertEquals(FetchFailure.BLOCKED_ADDRESS, fails("http://[::ffff:127.0.0.1]:" + port + "/").failure());
            assertEquals(FetchFailure.BAD_URL, fails("http://2130706433:" + port + "/").failure());
            assertEquals(FetchFailure.BAD_URL, fails("http://0177.0.0.1:" + port + "/").failure());
            // A public-looking feed redirecting to the private listener, or to the cloud metadata address.
            publicServer.reply("/to-private", new FeedServer.Reply(302,
                    Map.of("Location", "http://127.0.0.1:" + port + "/admin"), null));
            publicServer.reply("/to-metadata", new FeedServer.Reply(301,
                    Map.of("Location", "http://169.254.169.254/latest/meta-data/"), null));
            publicServer.reply("/to-file", new FeedServer.Reply(302, Map.of("Location", "file:///etc/passwd"), null));
            assertEquals(FetchFailure.BLOCKED_ADDRESS, fails(publicServer.url("/to-private")).failure());
            assertEquals(FetchFailure.BLOCKED_ADDRESS, fails(publicServer.url("/to-metadata")).failure());
            assertEquals(FetchFailure.BAD_URL, fails(publicServer.url("/to-file")).failure());
            Thread.sleep(200);
            assertEquals(0, accepted.get(), "no connection may reach the private listener");
        }
    }

    @Test
    void redirectLoopsAndLongChainsStop() {
        publicServer.reply("/a", new FeedServer.Reply(302, Map.of("Location", "/b"), null));
        publicServer.reply("/b", new FeedServer.Reply(302, Map.of("Location", "/a"), null));
        assertEquals(FetchFailure.TOO_MANY_REDIRECTS, fails(publicServer.url("/a")).failure());
        for (int i = 0; i < 30; i++) {
            publicServer.reply("/hop" + i, new FeedServer.Reply(301, Map.of("Location", "/hop" + (i + 1)), null));
        }
        assertEquals(FetchFailure.TOO_MANY_REDIRECTS, fails(publicServer.url("/hop0")).failure());
        assertTrue(publicServer.requests("/hop6") == 0, "stopped after 5 redirects");
    }

    @Test
    void permanentRedirectReportsTheNewAddressTemporaryDoesNot() throws Exception {
        publicServer.serve("/new", "<rss/>", "application/rss+xml");
        publicServer.reply("/old", new FeedServer.Reply(301, Map.of("Location", "/new"), null));
        publicServer.reply("/tmp", new FeedServer.Reply(302, Map.of("Location", "/new"), null));
        assertEquals(publicServer.url("/new"), fetcher.fetch(new FetchRequest(publicServer.url("/old"), null, null)).movedTo());
        assertNull(fetcher.fetch(new FetchRequest(publicServer.url("/tmp"), null, null)).movedTo());
    }

    @Test
    void statusesBecomeNamedFailures() {
        publicServer.reply("/gone", new FeedServer.Reply(410, Map.of(), null));
        publicServer.reply("/busy", new FeedServer.Reply(429, Map.of("Retry-After", "120"), null));
        publicServer.reply("/down", new FeedServer.Reply(503, Map.of("Retry-After", "31536000"), null));
        publicServer.reply("/err", new FeedServer.Reply(500, Map.of(), "x".getBytes(StandardCharsets.UTF_8)));
        assertEquals(FetchFailure.GONE, fails(publicServer.url("/gone")).failure());
        FetchException busy = fails(publicServer.url("/busy"));
        assertEquals(FetchFailure.RATE_LIMITED, busy.failure());
        assertEquals(Duration.ofSeconds(120), busy.retryAfter());
        assertEquals(Duration.ofSeconds(31536000), fails(publicServer.url("/down")).retryAfter());
        FetchException err = fails(publicServer.url("/err"));
        assertEquals(FetchFailure.HTTP_ERROR, err.failure());
        assertEquals(500, err.httpStatus());
    }

    @Test
    void gzipIsDecodedAndAGzipBombIsCutAtTheCap() throws Exception {
        publicServer.reply("/gz", new FeedServer.Reply(200, Map.of("Content-Encoding", "gzip",
                "Content-Type", "application/rss+xml"), gzip(new byte[1000])));
        assertEquals(1000, fetcher.fetch(new FetchRequest(publicServer.url("/gz"), null, null)).body().length);
        publicServer.reply("/bomb", new FeedServer.Reply(200, Map.of("Content-Encoding", "gzip"), gzip(new byte[64 << 20])));
        assertEquals(FetchFailure.TOO_LARGE, fails(publicServer.url("/bomb")).failure());
    }

    @Test
    void aHugeChunkedBodyIsCutWhileStreaming() throws Exception {
        AtomicLong written = new AtomicLong();
        HttpServer endless = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 8);
        endless.createContext("/", ex -> {
            ex.sendResponseHeaders(200, 0); // chunked
            byte[] chunk = new byte[64 * 1024];
            try (OutputStream out = ex.getResponseBody()) {
                for (long n = 0; n < 200L << 20; n += chunk.length) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                // the client hung up: that is the point
            }
        });
        endless.start();
        try {
            FetchException e = fails("http://127.0.0.2:" + endless.getAddress().getPort() + "/big");
            assertEquals(FetchFailure.TOO_LARGE, e.failure());
            Thread.sleep(300);
            assertTrue(written.get() < 50L << 20, "the fetch stopped reading early: " + written.get());
        } finally {
            endless.stop(0);
        }
    }

    @Test
    void aTricklingServerCannotStretchTheDeadline() throws Exception {
        try (ServerSocket trickle = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.2"))) {
            Thread t = new Thread(() -> {
                try (Socket s = trickle.accept(); OutputStream out = s.getOutputStream()) {
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 100; i++) {
                        out.write('<');
                        out.flush();
                        Thread.sleep(1000);
                    }
                } catch (Exception e) {
                    // closed by the client
                }
            });
            t.setDaemon(true);
            t.start();
            long t0 = System.nanoTime();
            FetchException e = fails("http://127.0.0.2:" + trickle.getLocalPort() + "/slow");
            long seconds = (System.nanoTime() - t0) / 1_000_000_000;
            assertEquals(FetchFailure.TIMEOUT, e.failure());
            assertTrue(seconds < 8, "deadline of 3 s held: took " + seconds + " s");
        }
    }

    @Test
    void aLyingContentLengthIsANetworkError() throws Exception {
        try (ServerSocket liar = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.2"))) {
            Thread t = new Thread(() -> {
                try (Socket s = liar.accept(); OutputStream out = s.getOutputStream()) {
                    s.getInputStream().read(new byte[4096]);
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n<rss>".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // done
                }
            });
            t.setDaemon(true);
            t.start();
            assertEquals(FetchFailure.NETWORK, fails("http://127.0.0.2:" + liar.getLocalPort() + "/").failure());
        }
    }

    private static AtomicInteger acceptCounter(ServerSocket listener) {
        AtomicInteger accepted = new AtomicInteger();
        Thread t = new Thread(() -> {
            while (!listener.isClosed()) {
                try (Socket s = listener.accept()) {
                    accepted.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return accepted;
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        }
        return bytes.toByteArray();
    }
}
