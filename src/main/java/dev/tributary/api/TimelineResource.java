package dev.tributary.api;

import dev.tributary.timeline.TimelineItem;
import dev.tributary.timeline.TimelinePage;
import dev.tributary.timeline.TimelineQuery;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The merged timeline as JSON, and single stories with all their copies. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class TimelineResource {

    private final TimelineQuery timeline;

    public TimelineResource(TimelineQuery timeline) {
        this.timeline = timeline;
    }

    /** Stories newest first; {@code next} is the cursor of the following page (absent on the last). */
    @GET
    @Path("/timeline")
    public TimelinePage timeline(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
            @QueryParam("feed") String feed, @QueryParam("tag") String tag, @QueryParam("since") String since,
            @QueryParam("until") String until, @QueryParam("q") String q) {
        return timeline.page(TimelineParams.filter(feed, tag, since, until, q), TimelineParams.cursor(cursor),
                TimelineParams.limit(limit, 50));
    }

    /** One story with every outlet's copy and why each joined. */
    @GET
    @Path("/stories/{id}")
    public TimelineItem story(@PathParam("id") String id) {
        long storyId;
        try {
            storyId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("id", "story id must be a whole number");
        }
        TimelineItem item = timeline.story(storyId);
        if (item == null) {
            throw ApiProblem.notFound("id", "no story with id " + id);
        }
        return item;
    }
}
