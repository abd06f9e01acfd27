package dev.tributary.store;

import java.time.Instant;

/** An entry the store has just inserted, as the story stage needs it. */
public record NewEntry(long id, long feedId, Instant published, String canonicalLink, String guidUrl) {
}
