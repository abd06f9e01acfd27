package dev.tributary.fetch;

import dev.tributary.TributaryConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * Fetches a feed over HTTP: conditional GET, gzip/deflate, manual redirects with the address guard on every hop,
 * a cap on decompressed bytes enforced while streaming, and a total deadline no trickling server can stretch.
 */
@ApplicationScoped
public class FeedFetcher {

    public static final String USER_AGENT = "Tributary/0.1.0 (feed aggregator; +https://github.com/tributary)";

    private final TributaryConfig.Fetch config;
    private final AddressGuard guard;
    private final GuardedDnsResolver resolver;
    private final CloseableHttpClient client;
    private final ScheduledExecutorService deadlines;

    @Inject
    public FeedFetcher(TributaryConfig config) {
        this(config.fetch());
    }

    /** A fetcher with its own settings (tests and tools). */
    public FeedFetcher(TributaryConfig.Fetch config) {
        this.config = config;
        this.guard = new AddressGuard(this.config.guardEnabled(),
                this.config.allowedNetworks().orElse(List.of()).stream().map(Cidr::parse).toList());
        this.resolver = new GuardedDnsResolver(guard);
        Timeout connect = Timeout.of(this.config.connectTimeout());
        Timeout read = Timeout.of(this.config.totalTimeout());
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(resolver)
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(connect).setSocketTimeout(read).build())
                .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(read).build())
                .setMaxConnTotal(128)
                .setMaxConnPerRoute(8)
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(read).build())
                .disableRedirectHandling()
                .disableContentCompression()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent(USER_AGENT)
                .build();
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fetch-deadline");
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    public void close() throws IOException {
        deadlines.shutdownNow();
        client.close();
    }

    /**
     * Checks a URL before it is stored or fetched: http/https only, and a host the guard lets through.
     *
     * @return the URL as a parsed URI
     */
    public URI checkUrl(String url) throws FetchException {
        URI uri = parseHttpUrl(url);
        try {
            resolver.allowed(uri.getHost());
        } catch (GuardedDnsResolver.BlockedAddressException e) {
            throw new FetchException(FetchFailure.BLOCKED_ADDRESS, e.getMessage());
        } catch (UnknownHostException e) {
            // A host that does not resolve today may tomorrow; the poll will record the error.
        }
        return uri;
    }

    public FetchResult fetch(FetchRequest request) throws FetchException {
        long started = System.nanoTime();
        Instant deadline = Instant.now().plus(config.totalTimeout());
        URI uri = checkUrl(request.url());
        boolean permanent = true;
        Set<String> seen = new HashSet<>();
        for (int hop = 0; ; hop++) {
            if (!seen.add(uri.toString())) {
                throw new FetchException(FetchFailure.TOO_MANY_REDIRECTS, "redirect loop at " + uri);
            }
            HttpGet get = new HttpGet(uri);
            get.setHeader("Accept", "application/atom+xml, application/rss+xml, application/feed+json, "
                    + "application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8");
            get.setHeader("Accept-Encoding", "gzip, deflate");
            if (hop == 0 && request.etag() != null) {
                get.setHeader("If-None-Match", request.etag());
            }
            if (hop == 0 && request.lastModified() != null) {
                get.setHeader("If-Modified-Since", request.lastModified());
            }
            long remaining = Duration.between(Instant.now(), deadline).toMillis();
            if (remaining <= 0) {
                throw new FetchException(FetchFailure.TIMEOUT, "fetch exceeded " + config.totalTimeout().toSeconds() + " s");
            }
            URI target = uri;
            Hop result = execute(get, remaining, response -> readHop(get, target, response));
            if (result.location == null) {
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                String movedTo = hop > 0 && permanent ? uri.toString() : null;
                return new FetchResult(result.status, uri.toString(), movedTo, result.body, result.contentType,
                        result.etag, result.lastModified, result.maxAge, HttpHints.links(result.link, uri), result.wireBytes,
                        took);
            }
            if (hop >= config.maxRedirects()) {
                throw new FetchException(FetchFailure.TOO_MANY_REDIRECTS,
                        "more than " + config.maxRedirects() + " redirects", result.status, null);
            }
            permanent &= result.status == 301 || result.status == 308;
            uri = checkUrl(result.location);
        }
    }

    /** One HTTP exchange: a body, a 304, or a redirect target. */
    private record Hop(int status, String location, byte[] body, String contentType, String etag, String lastModified,
            Duration maxAge, String link, long wireBytes) {
    }

    private Hop readHop(HttpGet get, URI uri, ClassicHttpResponse response) throws IOException {
        int status = response.getCode();
        Instant now = Instant.now();
        try {
            return readHop(uri, response, status, now);
        } catch (IOException e) {
            get.cancel(); // drop the connection rather than drain a body we refused
            throw e;
        }
    }

    private Hop readHop(URI uri, ClassicHttpResponse response, int status, Instant now) throws IOException {
        if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
            String location = header(response, "Location");
            if (location == null) {
                throw new IOException(new FetchException(FetchFailure.HTTP_ERROR, "redirect without Location", status, null));
            }
            String target;
            try {
                target = uri.resolve(location.trim()).toString();
            } catch (IllegalArgumentException e) {
                throw new IOException(new FetchException(FetchFailure.BAD_URL, "bad redirect Location: " + location));
            }
            drain(response.getEntity());
            return new Hop(status, target, null, null, null, null, null, null, 0);
        }
        if (status == 304) {
            drain(response.getEntity());
            return new Hop(status, null, new byte[0], null, header(response, "ETag"), header(response, "Last-Modified"),
                    HttpHints.freshness(header(response, "Cache-Control"), header(response, "Expires"), now),
                    allHeaders(response, "Link"), 0);
        }
        if (status == 410) {
            throw new IOException(new FetchException(FetchFailure.GONE, "410 Gone", status, null));
        }
        if (status == 429 || status == 503) {
            Duration retry = HttpHints.retryAfter(header(response, "Retry-After"), now);
            throw new IOException(new FetchException(FetchFailure.RATE_LIMITED, status + " from server", status, retry));
        }
        if (status < 200 || status > 299) {
            throw new IOException(new FetchException(FetchFailure.HTTP_ERROR, "HTTP " + status, status, null));
        }
        HttpEntity entity = response.getEntity();
        byte[] body = new byte[0];
        long[] wire = {0};
        if (entity != null) {
            // Not closed here on purpose: closing would drain the rest of a refused body. On success the stream is at
            // its end; on failure the caller aborts the connection first.
            InputStream raw = new CountingInputStream(entity.getContent(), wire);
            body = readCapped(decode(raw, header(response, "Content-Encoding")));
        }
        return new Hop(status, null, body, header(response, "Content-Type"), header(response, "ETag"),
                header(response, "Last-Modified"),
                HttpHints.freshness(header(response, "Cache-Control"), header(response, "Expires"), now),
                allHeaders(response, "Link"), wire[0]);
    }

    /** Reads and discards a body we do not need, under the same cap, so the connection can be reused. */
    private void drain(HttpEntity entity) throws IOException {
        if (entity != null) {
            readCapped(entity.getContent());
        }
    }

    private static InputStream decode(InputStream raw, String encoding) throws IOException {
        if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
            return raw;
        }
        String e = encoding.trim().toLowerCase(Locale.ROOT);
        return switch (e) {
            case "gzip", "x-gzip" -> new GZIPInputStream(raw, 8192);
            case "deflate" -> new InflaterInputStream(raw);
            default -> throw new IOException(new FetchException(FetchFailure.HTTP_ERROR, "unsupported Content-Encoding " + e));
        };
    }

    /** A host's last label that makes it numeric, and the one numeric form accepted (compiled once: per fetch). */
    private static final java.util.regex.Pattern NUMERIC_LABEL = java.util.regex.Pattern.compile("\\d+|0x[0-9a-f]*");
    private static final java.util.regex.Pattern DOTTED_IPV4 = java.util.regex.Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    /**
     * The whole body, under the size cap. Read into chunks that grow with the body and copied once into an array of
     * its exact size: a doubling buffer copied each body six times over (a seventh of the poll workers' allocation
     * in a profile of the first cycle).
     */
    private byte[] readCapped(InputStream in) throws IOException {
        long cap = config.maxBodyBytes();
        List<byte[]> chunks = new ArrayList<>();
        byte[] chunk = new byte[16384];
        int filled = 0;
        long total = 0;
        for (int n; (n = in.read(chunk, filled, chunk.length - filled)) != -1; ) {
            total += n;
            if (total > cap) {
                throw new IOException(new FetchException(FetchFailure.TOO_LARGE, "body larger than " + cap + " bytes"));
            }
            filled += n;
            if (filled == chunk.length) {
                chunks.add(chunk);
                chunk = new byte[Math.min(1 << 20, chunk.length * 2)];
                filled = 0;
            }
        }
        byte[] body = new byte[(int) total];
        int at = 0;
        for (byte[] full : chunks) {
            System.arraycopy(full, 0, body, at, full.length);
            at += full.length;
        }
        System.arraycopy(chunk, 0, body, at, filled);
        return body;
    }

    private static String allHeaders(ClassicHttpResponse response, String name) {
        Header[] all = response.getHeaders(name);
        if (all.length == 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (Header h : all) {
            sb.append(sb.length() == 0 ? "" : ", ").append(h.getValue());
        }
        return sb.toString();
    }

    /**
     * POSTs a form (a WebSub hub request) through the same guarded client: http(s) only, the address guard on the
     * connection, the same deadline. Returns the HTTP status.
     */
    public int postForm(String url, java.util.Map<String, String> form) throws FetchException {
        URI uri = checkUrl(url);
        org.apache.hc.client5.http.classic.methods.HttpPost post = new org.apache.hc.client5.http.classic.methods.HttpPost(uri);
        post.setEntity(new org.apache.hc.client5.http.entity.UrlEncodedFormEntity(form.entrySet().stream()
                .map(e -> (org.apache.hc.core5.http.NameValuePair) new org.apache.hc.core5.http.message.BasicNameValuePair(
                        e.getKey(), e.getValue())).toList(), java.nio.charset.StandardCharsets.UTF_8));
        return execute(post, config.totalTimeout().toMillis(), response -> {
            if (response.getEntity() != null) {
                readCapped(response.getEntity().getContent());
            }
            return response.getCode();
        });
    }

    /**
     * Runs one exchange under a deadline: when it passes, the request is aborted (closing the connection, so a
     * trickling server cannot hold the fetch). Failures come back as named {@link FetchException}s.
     */
    private <T> T execute(org.apache.hc.client5.http.classic.methods.HttpUriRequestBase request, long deadlineMillis,
            org.apache.hc.core5.http.io.HttpClientResponseHandler<T> handler) throws FetchException {
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> cancel = deadlines.schedule(() -> {
            timedOut.set(true);
            request.cancel();
        }, deadlineMillis, TimeUnit.MILLISECONDS);
        try {
            return client.execute(request, handler);
        } catch (GuardedDnsResolver.BlockedAddressException e) {
            throw new FetchException(FetchFailure.BLOCKED_ADDRESS, e.getMessage());
        } catch (IOException e) {
            throw classify(e, timedOut.get());
        } finally {
            cancel.cancel(false);
        }
    }

    private static String header(ClassicHttpResponse response, String name) {
        Header h = response.getFirstHeader(name);
        return h == null ? null : h.getValue();
    }

    private FetchException classify(IOException e, boolean timedOut) {
        if (e.getCause() instanceof FetchException fe) {
            return fe;
        }
        if (timedOut) {
            return new FetchException(FetchFailure.TIMEOUT, "fetch exceeded " + config.totalTimeout().toSeconds() + " s");
        }
        if (e instanceof ConnectTimeoutException) {
            return new FetchException(FetchFailure.TIMEOUT, "timed out: " + e.getMessage());
        }
        if (e instanceof SocketTimeoutException) {
            // A read waits at most the whole deadline: when it gives up, the deadline has passed too, even if the
            // deadline's own timer has not fired yet (on a busy machine either can be first).
            return new FetchException(FetchFailure.TIMEOUT, "fetch exceeded " + config.totalTimeout().toSeconds()
                    + " s (" + e.getMessage() + ")");
        }
        if (e instanceof InterruptedIOException) {
            return new FetchException(FetchFailure.TIMEOUT, "timed out: " + e.getMessage());
        }
        if (e instanceof UnknownHostException) {
            return new FetchException(FetchFailure.NETWORK, "unknown host: " + e.getMessage());
        }
        return new FetchException(FetchFailure.NETWORK, e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    /** Parses and checks a subscription URL: absolute http(s) with a host, no user info. */
    public static URI parseHttpUrl(String url) throws FetchException {
        if (url == null || url.isBlank()) {
            throw new FetchException(FetchFailure.BAD_URL, "URL is empty");
        }
        if (url.length() > 2048) {
            throw new FetchException(FetchFailure.BAD_URL, "URL longer than 2048 characters");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new FetchException(FetchFailure.BAD_URL, "not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new FetchException(FetchFailure.BAD_URL, "only http and https URLs can be fetched");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new FetchException(FetchFailure.BAD_URL, "URL has no host");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        String lastLabel = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        lastLabel = lastLabel.substring(lastLabel.lastIndexOf('.') + 1);
        if (NUMERIC_LABEL.matcher(lastLabel).matches() && !DOTTED_IPV4.matcher(host).matches()) {
            // 2130706433, 0177.0.0.1, 0x7f.1: resolvers disagree on what these mean, so none is accepted.
            throw new FetchException(FetchFailure.BAD_URL, "numeric host '" + host + "' is not a plain dotted IPv4 address");
        }
        if (uri.getPort() > 65535) {
            throw new FetchException(FetchFailure.BAD_URL, "port out of range");
        }
        if (uri.getRawUserInfo() != null) {
            throw new FetchException(FetchFailure.BAD_URL, "URLs with user info are not accepted");
        }
        return uri;
    }

    /** Counts bytes as they come off the wire, before decompression. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private final long[] count;

        CountingInputStream(InputStream in, long[] count) {
            super(in);
            this.count = count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count[0]++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count[0] += n;
            }
            return n;
        }
    }

}
