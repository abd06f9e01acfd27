package dev.tributary.api;

import dev.tributary.TributaryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import dev.tributary.output.FeedWriter;
import dev.tributary.output.OutputFeed;
import dev.tributary.parse.Hashes;
import dev.tributary.timeline.TimelineFilter;
import dev.tributary.timeline.TimelineItem;
import dev.tributary.timeline.TimelineQuery;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;

/**
 * The merged output feeds for RSS readers: Atom, RSS 2.0 and JSON Feed, with ETag and Last-Modified, answering a
 * matching conditional request with 304 before anything is rendered, and repeated requests from {@link OutputCache}.
 */
@Path("/")
public class OutputResource {

    private final TimelineQuery timeline;
    private final TributaryConfig config;

    private final MeterRegistry metrics;

    private final OutputCache cache;

    public OutputResource(TimelineQuery timeline, OutputCache cache, TributaryConfig config, MeterRegistry metrics) {
        this.cache = cache;
        this.timeline = timeline;
        this.config = config;
        this.metrics = metrics;
    }

    @GET
    @Path("feed.atom")
    public Response atom(@QueryParam("tag") String tag, @QueryParam("limit") String limit,
            @HeaderParam("If-None-Match") String inm, @HeaderParam("If-Modified-Since") String ims, @Context UriInfo uri) {
        return render("atom", "application/atom+xml; charset=utf-8", FeedWriter::atom, tag, limit, inm, ims, uri);
    }

    @GET
    @Path("feed.rss")
    public Response rss(@QueryParam("tag") String tag, @QueryParam("limit") String limit,
            @HeaderParam("If-None-Match") String inm, @HeaderParam("If-Modified-Since") String ims, @Context UriInfo uri) {
        return render("rss", "application/rss+xml; charset=utf-8", FeedWriter::rss, tag, limit, inm, ims, uri);
    }

    @GET
    @Path("feed.json")
    public Response json(@QueryParam("tag") String tag, @QueryParam("limit") String limit,
            @HeaderParam("If-None-Match") String inm, @HeaderParam("If-Modified-Since") String ims, @Context UriInfo uri) {
        return render("json", "application/feed+json; charset=utf-8", FeedWriter::json, tag, limit, inm, ims, uri);
    }

    private Response render(String format, String contentType, Function<OutputFeed, String> writer, String tag,
            String limitParam, String ifNoneMatch, String ifModifiedSince, UriInfo uri) {
        int limit = TimelineParams.limit(limitParam, config.output().defaultLimit());
        String t = tag == null || tag.isBlank() ? null : tag.strip();
        String base = config.publicUrl().map(u -> u.replaceAll("/+$", "")).orElse(uri.getBaseUri().toString()
                .replaceAll("/+$", ""));
        OutputCache.Key key = new OutputCache.Key(format, t, limit, base);
        OutputCache.Answer answer = cache.answer(key, generation -> {
            // The version (story ids, newest change, copy counts) decides 304 before any entry text is loaded.
            TimelineQuery.PageVersion version = timeline.version(new TimelineFilter(null, t, null, null, null), limit);
            Instant modified = version.modified().truncatedTo(ChronoUnit.SECONDS);
            String etag = "\"" + Hashes.sha256(format + "|" + t + "|" + limit + "|" + version.digest()).substring(0, 32) + "\"";
            return new OutputCache.Answer(generation, System.nanoTime(), version, etag,
                    DateTimeFormatter.RFC_1123_DATE_TIME.format(modified.atZone(ZoneOffset.UTC)), null);
        });
        Instant modified = answer.version().modified().truncatedTo(ChronoUnit.SECONDS);
        if (matches(ifNoneMatch, answer.etag()) || ifNoneMatch == null && notModifiedSince(ifModifiedSince, modified)) {
            metrics.counter("tributary.output.requests", "format", format, "status", "304").increment();
            return Response.notModified().header("ETag", answer.etag()).header("Last-Modified", answer.lastModified())
                    .header("Cache-Control", "public, max-age=60").build();
        }
        byte[] body = cache.body(key, answer, () -> {
            List<TimelineItem> items = timeline.items(answer.version());
            String self = base + "/feed." + format + (t == null ? "" : "?tag=" + java.net.URLEncoder.encode(t,
                    java.nio.charset.StandardCharsets.UTF_8));
            String title = config.output().title() + (t == null ? "" : " (" + t + ")");
            return writer.apply(new OutputFeed(title, self, base + "/", items.isEmpty() ? Instant.EPOCH : modified, items))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        });
        metrics.counter("tributary.output.requests", "format", format, "status", "200").increment();
        return Response.ok(body, contentType).header("ETag", answer.etag()).header("Last-Modified", answer.lastModified())
                .header("Cache-Control", "public, max-age=60").build();
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals(etag) || c.equals("*")) {
                return true;
            }
        }
        return false;
    }

    private static boolean notModifiedSince(String ifModifiedSince, Instant modified) {
        if (ifModifiedSince == null) {
            return false;
        }
        try {
            Instant since = ZonedDateTime.parse(ifModifiedSince.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return !modified.isAfter(since);
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
