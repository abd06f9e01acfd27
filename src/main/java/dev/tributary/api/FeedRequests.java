package dev.tributary.api;

import java.util.List;

/** Request bodies of the feed endpoints. */
public final class FeedRequests {
    private FeedRequests() {
    }

    /** POST /api/feeds. */
    public record Create(String url, String title, List<String> tags) {
    }

    /** PATCH /api/feeds/{id}: absent fields stay as they are. */
    public record Patch(String title, List<String> tags, Boolean paused) {
    }
}
