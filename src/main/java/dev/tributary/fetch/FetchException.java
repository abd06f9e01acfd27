package dev.tributary.fetch;

import java.time.Duration;

/** A fetch that did not produce a body: carries its named failure, the HTTP status if any and a Retry-After hint. */
public final class FetchException extends Exception {
    private final FetchFailure failure;
    private final Integer httpStatus;
    private final Duration retryAfter;

    public FetchException(FetchFailure failure, String message) {
        this(failure, message, null, null);
    }

    public FetchException(FetchFailure failure, String message, Integer httpStatus, Duration retryAfter) {
        super(message);
        this.failure = failure;
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
    }

    public FetchFailure failure() {
        return failure;
    }

    public Integer httpStatus() {
        return httpStatus;
    }

    /** The server's Retry-After, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
