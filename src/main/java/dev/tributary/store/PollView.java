package dev.tributary.store;

import java.time.Instant;

/** One entry of a feed's poll history. */
public record PollView(Instant polledAt, String outcome, Integer httpStatus, Long bytes, Long durationMs,
        Integer newEntries, String error, Instant nextPollAt, String nextPollReason) {
}
