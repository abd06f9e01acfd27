package dev.tributary.api;

import dev.tributary.push.WebSubscriber;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The WebSub callback: the hub's verification of intent (GET) and its content distribution (POST). */
@Path("/websub/{feedId}/{token}")
public class WebSubResource {

    private final WebSubscriber subscriber;

    public WebSubResource(WebSubscriber subscriber) {
        this.subscriber = subscriber;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public Response verify(@PathParam("feedId") long feedId, @PathParam("token") String token,
            @QueryParam("hub.mode") String mode, @QueryParam("hub.topic") String topic,
            @QueryParam("hub.challenge") String challenge, @QueryParam("hub.lease_seconds") String leaseSeconds) {
        return subscriber.verify(feedId, token, mode, topic, challenge, leaseSeconds)
                .map(c -> Response.ok(c, MediaType.TEXT_PLAIN).build())
                .orElseThrow(() -> ApiProblem.notFound("hub.topic", "no such subscription request"));
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response distribute(@PathParam("feedId") long feedId, @PathParam("token") String token, byte[] body,
            @HeaderParam("Content-Type") String contentType, @HeaderParam("X-Hub-Signature") String signature,
            @HeaderParam("X-Hub-Signature-256") String signature256) {
        String sig = signature256 != null ? "sha256=" + signature256.replaceFirst("(?i)^sha256=", "") : signature;
        return switch (subscriber.deliver(feedId, token, body == null ? new byte[0] : body, contentType, sig)) {
            case STORED -> Response.noContent().build();
            case NOT_A_FEED -> Response.accepted().build();
            case BAD_SIGNATURE -> throw new ApiProblem(403, "Forbidden", "signature does not match", "X-Hub-Signature");
            case UNKNOWN_SUBSCRIPTION -> throw ApiProblem.notFound("feedId", "no such subscription");
        };
    }
}
