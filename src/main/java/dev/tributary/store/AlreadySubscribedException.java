package dev.tributary.store;

/** The URL (normalised) is already a subscription. */
public final class AlreadySubscribedException extends Exception {
    private final long existingId;

    public AlreadySubscribedException(long existingId) {
        super("already subscribed as feed " + existingId);
        this.existingId = existingId;
    }

    public long existingId() {
        return existingId;
    }
}
