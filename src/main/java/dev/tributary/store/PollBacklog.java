package dev.tributary.store;

import java.time.Duration;

/** Due feeds not yet polled: how many, and how late the oldest is. */
public record PollBacklog(long dueFeeds, Duration oldestLateness, long erroringFeeds) {
}
