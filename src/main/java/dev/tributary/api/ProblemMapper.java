package dev.tributary.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place where API errors become problem JSON; no stack trace ever reaches a client. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(ApiProblem p) {
        Response.ResponseBuilder r = Response.status(p.status()).type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", p.title(), p.status(), p.getMessage(), p.field(), p.existingId()));
        if (p.retryAfter() != null) {
            r.header("Retry-After", Math.max(1, p.retryAfter().toSeconds()));
        }
        return r.build();
    }

    @ServerExceptionMapper(priority = 1)
    public Response unknownField(UnrecognizedPropertyException e) {
        return problem(ApiProblem.badRequest(path(e), "unknown field '" + e.getPropertyName() + "'"));
    }

    @ServerExceptionMapper(priority = 1)
    public Response wrongType(MismatchedInputException e) {
        String field = path(e);
        String expected = e.getTargetType() == null ? "another type" : e.getTargetType().getSimpleName();
        return problem(ApiProblem.badRequest(field, field == null ? "request body has the wrong shape"
                : "field '" + field + "' must be of type " + expected));
    }

    @ServerExceptionMapper(priority = 1)
    public Response malformed(JsonParseException e) {
        return problem(ApiProblem.badRequest("body", "malformed JSON: " + e.getOriginalMessage()));
    }

    @ServerExceptionMapper(priority = 2)
    public Response json(JsonProcessingException e) {
        return problem(ApiProblem.badRequest(e instanceof JsonMappingException m ? path(m) : "body",
                "unreadable JSON: " + e.getOriginalMessage()));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        String title = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        String detail = status == 404 ? "no such resource" : status == 415 ? "unsupported media type"
                : status == 405 ? "method not allowed" : status == 406 ? "not acceptable" : title;
        return problem(new ApiProblem(status, title, detail, status == 415 ? "Content-Type" : null));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected error answering a request", e);
        return problem(new ApiProblem(500, "Internal error", "the request could not be completed", null));
    }

    private static String path(JsonMappingException e) {
        if (e.getPath() == null || e.getPath().isEmpty()) {
            return null;
        }
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
