package dev.tributary.api;

import dev.tributary.TributaryConfig;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Who may do what: with a token configured, writes (and, if protected, reads) need {@code Authorization: Bearer};
 * without one, writes are accepted from loopback callers only. Also turns away oversized JSON bodies early.
 */
@ApplicationScoped
public class AccessFilter {

    private static final Logger LOG = Logger.getLogger(AccessFilter.class);

    private final Optional<byte[]> token;
    private final boolean protectReads;
    private final int maxJsonBytes;
    private final int maxOpmlBytes;

    public AccessFilter(TributaryConfig config) {
        this.token = config.auth().token().filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.protectReads = config.auth().protectReads();
        this.maxJsonBytes = config.api().maxBodyBytes();
        this.maxOpmlBytes = config.api().maxOpmlBytes();
    }

    void announce(@Observes StartupEvent event) {
        if (token.isEmpty()) {
            LOG.warn("tributary.auth.token is not set: write endpoints answer only to loopback callers");
        } else {
            LOG.infof("write endpoints require a bearer token%s", protectReads ? "; reads too" : "");
        }
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> check(ContainerRequestContext ctx, HttpServerRequest request) {
        String path = ctx.getUriInfo().getPath();
        boolean api = path.startsWith("/api/") || path.equals("/api");
        boolean output = path.startsWith("/feed.");
        if (!api && !output) {
            return Optional.empty();
        }
        String method = ctx.getMethod();
        boolean write = !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
        if (write || protectReads) {
            Optional<Response> denied = authorize(ctx, request, write, output);
            if (denied.isPresent()) {
                return denied;
            }
        }
        if (write) {
            int cap = path.startsWith("/api/opml") ? maxOpmlBytes : maxJsonBytes;
            if (ctx.getLength() > cap) {
                return Optional.of(new ProblemMapper().problem(new ApiProblem(413, "Payload too large",
                        "request body larger than " + cap + " bytes", "body")));
            }
        }
        return Optional.empty();
    }

    private Optional<Response> authorize(ContainerRequestContext ctx, HttpServerRequest request, boolean write,
            boolean output) {
        if (token.isPresent()) {
            String header = ctx.getHeaderString("Authorization");
            String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
                    : output && !write ? ctx.getUriInfo().getQueryParameters().getFirst("token") : null;
            if (presented != null && MessageDigest.isEqual(token.get(), presented.getBytes(StandardCharsets.UTF_8))) {
                return Optional.empty();
            }
            return Optional.of(new ProblemMapper().problem(new ApiProblem(401, "Unauthorized",
                    "a valid 'Authorization: Bearer <token>' header is required", "Authorization")))
                    .map(r -> Response.fromResponse(r).header("WWW-Authenticate", "Bearer").build());
        }
        if (write && !isLoopback(request)) {
            return Optional.of(new ProblemMapper().problem(new ApiProblem(403, "Forbidden",
                    "no tributary.auth.token is configured, so changes are accepted from this machine only", null)));
        }
        return Optional.empty();
    }

    private static boolean isLoopback(HttpServerRequest request) {
        return request.remoteAddress() != null && isLoopbackAddress(request.remoteAddress().host());
    }

    /** Whether a peer address (an IP literal, as the server reports it) is this machine's loopback. */
    static boolean isLoopbackAddress(String host) {
        if (host == null || !(host.matches("[0-9.]+") || host.contains(":"))) {
            return false; // never resolve names here
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
