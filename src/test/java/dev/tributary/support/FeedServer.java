package dev.tributary.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 that serves feed documents, honours If-None-Match like a well-behaved publisher,
 * and counts what it sent: requests and full bodies per path.
 */
public final class FeedServer implements AutoCloseable {

    /** A programmable response: status, headers and body; null body for none. */
    public record Reply(int status, Map<String, String> headers, byte[] body) {
    }

    private final HttpServer server;
    private final String host;
    private final Map<String, Object> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> fullBodies = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile boolean validators = true;
    private volatile long delayMillis;

    public FeedServer() {
        this("127.0.0.1");
    }

    /** A server on another loopback address (127.0.0.2 plays a "public" host in the address-guard tests). */
    public FeedServer(String bindAddress) {
        this.host = bindAddress;
        try {
            server = HttpServer.create(new InetSocketAddress(bindAddress, 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://" + host + ":" + server.getAddress().getPort() + path;
    }

    /** Serves a classpath resource (under /feeds/) at a path. */
    public FeedServer serveResource(String path, String resource, String contentType) {
        return serve(path, read(resource), contentType);
    }

    public FeedServer serve(String path, String body, String contentType) {
        return serve(path, body.getBytes(StandardCharsets.UTF_8), contentType);
    }

    public FeedServer serve(String path, byte[] body, String contentType) {
        routes.put(path, new Reply(200, Map.of("Content-Type", contentType), body));
        return this;
    }

    public FeedServer reply(String path, Reply reply) {
        routes.put(path, reply);
        return this;
    }

    /** Makes the server ignore If-None-Match and send no ETag, like many real publishers. */
    public FeedServer withoutValidators() {
        validators = false;
        return this;
    }

    /** Makes every response wait this long before it is sent. */
    public FeedServer withDelay(long millis) {
        delayMillis = millis;
        return this;
    }

    /** The most requests this server had received and not yet begun to answer at the same time. */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    public int requests(String path) {
        return requests.getOrDefault(path, new AtomicInteger()).get();
    }

    public int fullBodies(String path) {
        return fullBodies.getOrDefault(path, new AtomicInteger()).get();
    }

    public int totalFullBodies() {
        return fullBodies.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public static byte[] read(String resource) {
        try (InputStream in = FeedServer.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        boolean counted = true;
        try (ex) {
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            // A request stops counting before any of its answer is sent: once the client has the answer it may start
            // its next request while this thread is still closing the exchange, which counted one request too many.
            inFlight.decrementAndGet();
            counted = false;
            Object route = routes.get(path);
            if (route == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            Reply reply = (Reply) route;
            reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            if (reply.status() == 200 && reply.body() != null && !validators) {
                fullBodies.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            } else if (reply.status() == 200 && reply.body() != null) {
                String etag = "\"" + HexFormat.of().formatHex(sha(reply.body())).substring(0, 16) + "\"";
                ex.getResponseHeaders().set("ETag", etag);
                if (etag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
                    ex.sendResponseHeaders(304, -1);
                    return;
                }
                fullBodies.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            }
            if (reply.body() == null || reply.body().length == 0) {
                ex.sendResponseHeaders(reply.status(), -1);
                return;
            }
            ex.sendResponseHeaders(reply.status(), reply.body().length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(reply.body());
            }
        } catch (IOException e) {
            // the client went away; nothing to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (counted) {
                inFlight.decrementAndGet();
            }
        }
    }

    private static byte[] sha(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
