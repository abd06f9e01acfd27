package dev.tributary.api;

import java.time.Duration;

/** An API error to be answered as RFC 7807 problem JSON, naming the field at fault when there is one. */
public final class ApiProblem extends RuntimeException {
    private final int status;
    private final String title;
    private final String field;
    private final Long existingId;
    private final Duration retryAfter;

    public ApiProblem(int status, String title, String detail, String field) {
        this(status, title, detail, field, null, null);
    }

    public ApiProblem(int status, String title, String detail, String field, Long existingId, Duration retryAfter) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.field = field;
        this.existingId = existingId;
        this.retryAfter = retryAfter;
    }

    public static ApiProblem badRequest(String field, String detail) {
        return new ApiProblem(400, "Bad request", detail, field);
    }

    public static ApiProblem notFound(String field, String detail) {
        return new ApiProblem(404, "Not found", detail, field);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String field() {
        return field;
    }

    public Long existingId() {
        return existingId;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
