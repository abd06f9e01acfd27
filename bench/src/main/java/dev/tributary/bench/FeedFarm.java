package dev.tributary.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/**
 * A farm of N generated feeds of M entries on 127.0.0.1 for the end-to-end benchmark: honours If-None-Match,
 * gzips on request, counts requests, 304s, full bodies and bytes. Control: /_stats, /_reset, /_bump?every=10
 * (one more entry in every 10th feed), /opml.xml, /huge.xml (200 MB, chunked) and /_huge (bytes of it sent).
 * Usage: FeedFarm PORT FEEDS ENTRIES
 */
public final class FeedFarm {

    private final int feeds;
    private final int entries;
    private final int[] extra;
    private final ConcurrentHashMap<String, byte[]> gzipCache = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong notModified = new AtomicLong();
    private final AtomicLong fullBodies = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong firstNanos = new AtomicLong();
    private final AtomicLong lastNanos = new AtomicLong();

    FeedFarm(int feeds, int entries) {
        this.feeds = feeds;
        this.entries = entries;
        this.extra = new int[feeds];
    }

    public static void main(String[] args) throws Exception {
        // TCP_NODELAY on the farm's sockets, as web servers set it: without it the JDK server sends a response's
        // headers and body as two small writes, the second held back (Nagle) until the client acknowledges the
        // first, which Linux delays by 40 ms. A JFR recording of the 10,000 x 1 cycle had 10,816 body reads of the
        // poll workers waiting 44 ms on average for this: the farm, not the service, set that cycle's pace.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int port = Integer.parseInt(args[0]);
        FeedFarm farm = new FeedFarm(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        // Every document made and compressed before the port opens, as a static server would have them: generating
        // them on first request put the farm's own work inside the measured first cycle.
        java.util.stream.IntStream.range(0, farm.feeds).parallel().forEach(farm::document);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", farm::handle);
        server.start();
        System.out.println("farm ready on " + port + ": " + farm.feeds + " feeds x " + farm.entries + " entries");
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/feed/")) {
                serveFeed(ex, Integer.parseInt(path.substring(6, path.indexOf('.'))));
            } else if (path.equals("/_stats")) {
                reply(ex, String.format("{\"requests\":%d,\"notModified\":%d,\"fullBodies\":%d,\"bytes\":%d,\"spanMillis\":%d}",
                        requests.get(), notModified.get(), fullBodies.get(), bytes.get(),
                        (lastNanos.get() - firstNanos.get()) / 1_000_000), "application/json");
            } else if (path.equals("/_huge")) {
                reply(ex, "{\"sent\":" + hugeSent.get() + "}", "application/json");
            } else if (path.equals("/_reset")) {
                requests.set(0);
                notModified.set(0);
                fullBodies.set(0);
                bytes.set(0);
                firstNanos.set(0);
                lastNanos.set(0);
                reply(ex, "ok", "text/plain");
            } else if (path.equals("/_bump")) {
                int every = Integer.parseInt(ex.getRequestURI().getQuery().replace("every=", ""));
                for (int i = 0; i < feeds; i += every) {
                    extra[i]++;
                }
                reply(ex, "ok", "text/plain");
            } else if (path.equals("/huge.xml")) {
                serveHuge(ex);
            } else if (path.equals("/opml.xml")) {
                StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?><opml version=\"2.0\"><body>");
                String host = "http://127.0.0.1:" + ex.getLocalAddress().getPort();
                for (int i = 0; i < feeds; i++) {
                    sb.append("<outline text=\"Outlet ").append(i).append("\" xmlUrl=\"").append(host).append("/feed/")
                            .append(i).append(".xml\"/>");
                }
                reply(ex, sb.append("</body></opml>").toString(), "text/x-opml");
            } else {
                ex.sendResponseHeaders(404, -1);
            }
        }
    }

    /** Bytes of /huge.xml the client actually read before it hung up (the fetch's size cap at work). */
    private final java.util.concurrent.atomic.AtomicLong hugeSent = new java.util.concurrent.atomic.AtomicLong();

    /**
     * A 200 MB feed, chunked: an RSS prolog, then item after item. A client with a size cap must stop reading long
     * before the end; /_huge reports how many bytes it took.
     */
    private void serveHuge(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/rss+xml");
        ex.sendResponseHeaders(200, 0);
        byte[] item = ("<item><title>Filler</title><description>" + "x".repeat(900) + "</description></item>\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long limit = 200L * 1024 * 1024;
        hugeSent.set(0);
        try (java.io.OutputStream out = ex.getResponseBody()) {
            out.write("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Huge</title>\n".getBytes());
            for (long sent = 0; sent < limit; sent += item.length) {
                out.write(item);
                hugeSent.addAndGet(item.length);
            }
        } catch (IOException e) {
            // the client stopped reading: expected
        }
    }

    private void serveFeed(HttpExchange ex, int feed) throws IOException {
        long now = System.nanoTime();
        requests.incrementAndGet();
        firstNanos.compareAndSet(0, now);
        lastNanos.set(now);
        String etag = "\"" + feed + "-" + extra[feed] + "\"";
        ex.getResponseHeaders().set("ETag", etag);
        if (etag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
            notModified.incrementAndGet();
            ex.sendResponseHeaders(304, -1);
            return;
        }
        byte[] body = document(feed);
        boolean gzip = String.valueOf(ex.getRequestHeaders().getFirst("Accept-Encoding")).contains("gzip");
        byte[] out = gzip ? body : gunzip(body);
        ex.getResponseHeaders().set("Content-Type", feed % 2 == 0 ? "application/rss+xml" : "application/atom+xml");
        if (gzip) {
            ex.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        fullBodies.incrementAndGet();
        bytes.addAndGet(out.length);
        ex.sendResponseHeaders(200, out.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    /** The feed's current document, gzipped (made once per version). */
    private byte[] document(int feed) {
        int version = extra[feed];
        return gzipCache.computeIfAbsent(feed + "-" + version,
                k -> gzip(Documents.feed(feed % 2 == 0 ? "rss" : "atom", feed, entries, version)));
    }

    private static void reply(HttpExchange ex, String body, String type) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(200, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }

    private static byte[] gzip(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] b) {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(b))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
