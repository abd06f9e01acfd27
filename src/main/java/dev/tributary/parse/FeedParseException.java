package dev.tributary.parse;

/** The body is not a feed, or a feed too broken to read; the message says which, for the feed's status. */
public final class FeedParseException extends Exception {
    public FeedParseException(String message) {
        super(message);
    }

    public FeedParseException(String message, Throwable cause) {
        super(message, cause);
    }
}
