package dev.tributary.poll;

import java.time.Instant;

/** When a feed is polled next, and why (shown to users). */
public record NextPoll(Instant at, String reason) {
}
