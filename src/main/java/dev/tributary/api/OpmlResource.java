package dev.tributary.api;

import dev.tributary.TributaryConfig;
import dev.tributary.feed.Opml;
import dev.tributary.feed.OpmlImport;
import dev.tributary.store.FeedStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** OPML import and export of the subscription list. */
@Path("/api/opml")
public class OpmlResource {

    private final OpmlImport importer;
    private final FeedStore feeds;
    private final TributaryConfig config;

    public OpmlResource(OpmlImport importer, FeedStore feeds, TributaryConfig config) {
        this.importer = importer;
        this.feeds = feeds;
        this.config = config;
    }

    @GET
    @Produces("text/x-opml")
    public Response export() {
        return Response.ok(Opml.write(feeds.list(null), config.output().title() + " subscriptions"), "text/x-opml; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"tributary.opml\"").build();
    }

    /** Imports an OPML document (body as XML); feeds already subscribed are left as they are. */
    @POST
    @Consumes({"text/x-opml", "application/xml", "text/xml", "application/octet-stream", "text/plain"})
    @Produces(MediaType.APPLICATION_JSON)
    public OpmlImport.Report importOpml(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiProblem.badRequest("body", "an OPML document is required");
        }
        if (body.length > config.api().maxOpmlBytes()) {
            throw new ApiProblem(413, "Payload too large", "OPML larger than " + config.api().maxOpmlBytes() + " bytes",
                    "body");
        }
        try {
            return importer.importOpml(body);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("body", e.getMessage());
        }
    }
}
