package dev.tributary.feed;

/** A subscription request that cannot be carried out, naming the field at fault. */
public final class SubscriptionException extends Exception {
    private final String field;

    public SubscriptionException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
