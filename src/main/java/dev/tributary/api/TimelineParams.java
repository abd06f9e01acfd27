package dev.tributary.api;

import dev.tributary.timeline.Cursor;
import dev.tributary.timeline.TimelineFilter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Checks and converts the query parameters shared by the timeline and the output feeds. */
final class TimelineParams {

    static final int MAX_LIMIT = 200;

    private TimelineParams() {
    }

    static int limit(String raw, int fallback) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(raw.trim());
            if (v >= 1 && v <= MAX_LIMIT) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw ApiProblem.badRequest("limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
    }

    static Cursor cursor(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Cursor.decode(raw.trim());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("cursor", "cursor is not one this service issued");
        }
    }

    static TimelineFilter filter(String feed, String tag, String since, String until, String q) {
        Long feedId = feed == null || feed.isBlank() ? null : parseFeed(feed);
        String t = tag == null || tag.isBlank() ? null : checkLength("tag", tag.strip(), 64);
        String query = q == null || q.isBlank() ? null : checkLength("q", q.strip(), 200);
        return new TimelineFilter(feedId, t, time("since", since), time("until", until), query);
    }

    private static long parseFeed(String feed) {
        try {
            return Long.parseLong(feed.trim());
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("feed", "feed must be a feed id");
        }
    }

    private static String checkLength(String field, String value, int max) {
        if (value.length() > max) {
            throw ApiProblem.badRequest(field, field + " longer than " + max + " characters");
        }
        return value;
    }

    private static Instant time(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(raw.trim()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(raw.trim());
            } catch (DateTimeParseException e2) {
                throw ApiProblem.badRequest(field, field + " must be an ISO-8601 time such as 2026-11-27T10:00:00Z");
            }
        }
    }
}
