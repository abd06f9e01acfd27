package dev.tributary.poll;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Decides when a feed is polled next: from its own publishing rhythm after a success, publisher hints as lower
 * bounds, Retry-After when the server asks, exponential backoff with jitter after errors; always within [min, max].
 */
public final class PollPolicy {

    private final Duration min;
    private final Duration max;
    private final Duration fallback;
    private final RandomGenerator random;

    public PollPolicy(Duration min, Duration defaultInterval, Duration max, RandomGenerator random) {
        this.min = min;
        this.max = max.compareTo(min) < 0 ? min : max;
        this.fallback = clamp(defaultInterval);
        this.random = random;
    }

    /**
     * After a successful poll.
     *
     * @param recentPublished publication times of the feed's latest entries, newest first (may be empty)
     * @param publisherHint   RSS ttl / sy:updatePeriod / Cache-Control max-age / Expires (the largest), or null
     */
    public NextPoll afterSuccess(Instant now, List<Instant> recentPublished, Duration publisherHint) {
        Duration interval = fallback;
        String reason = "default interval " + describe(fallback);
        if (recentPublished.size() >= 3) {
            List<Long> gaps = new ArrayList<>();
            for (int i = 0; i + 1 < recentPublished.size(); i++) {
                gaps.add(Math.abs(Duration.between(recentPublished.get(i + 1), recentPublished.get(i)).toSeconds()));
            }
            gaps.sort(null);
            long median = gaps.get(gaps.size() / 2);
            long sinceNewest = Math.max(0, Duration.between(recentPublished.get(0), now).toSeconds());
            // A feed silent for longer than its usual gap drifts toward max.
            long seconds = Math.max(median, sinceNewest / 4);
            interval = clamp(Duration.ofSeconds(Math.max(1, seconds)));
            double perDay = 86400.0 / Math.max(1, median);
            reason = "adaptive: " + (perDay >= 1 ? "about " + Math.round(perDay) + " entries/day"
                    : "about one entry every " + Math.round(1 / perDay) + " days");
            if (seconds > max.toSeconds()) {
                reason += " (capped at max " + describe(max) + ")";
            } else if (seconds < min.toSeconds()) {
                reason += " (raised to min " + describe(min) + ")";
            }
        }
        if (publisherHint != null && publisherHint.compareTo(interval) > 0) {
            interval = clamp(publisherHint);
            reason = "publisher hint " + describe(publisherHint) + (publisherHint.compareTo(max) > 0 ? " (capped)" : "");
        }
        return new NextPoll(now.plus(interval), reason);
    }

    /**
     * Moves a planned poll out of the hours and days the publisher asked to skip (RSS skipHours/skipDays), to the
     * start of the next allowed hour, never beyond {@code max} from now.
     */
    public NextPoll respecting(dev.tributary.parse.ParsedFeed.SkipTimes skip, Instant now, NextPoll planned) {
        if (skip == null || !skip.skips(planned.at())) {
            return planned;
        }
        Instant at = planned.at().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        for (int i = 0; i < 24 * 8 && skip.skips(at); i++) {
            at = at.plus(Duration.ofHours(1));
        }
        Instant cap = now.plus(max);
        return new NextPoll(at.isAfter(cap) ? cap : at, planned.reason() + "; skipHours/skipDays respected");
    }

    /** After a failed poll; {@code errors} counts this failure too. */
    public NextPoll afterError(Instant now, int errors, Duration retryAfter) {
        Duration backoff = fallback.multipliedBy(1L << Math.min(errors - 1, 20));
        if (backoff.compareTo(max) > 0 || backoff.isNegative()) {
            backoff = max;
        }
        double jitter = 0.8 + 0.4 * random.nextDouble();
        Duration interval = clamp(Duration.ofMillis((long) (backoff.toMillis() * jitter)));
        String reason = "backoff after " + errors + (errors == 1 ? " error" : " errors");
        if (retryAfter != null && retryAfter.compareTo(interval) > 0) {
            interval = clamp(retryAfter);
            reason = "Retry-After " + describe(retryAfter) + (retryAfter.compareTo(max) > 0 ? " (capped at max)" : "");
        }
        return new NextPoll(now.plus(interval), reason);
    }

    private Duration clamp(Duration d) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }

    static String describe(Duration d) {
        long s = d.toSeconds();
        if (s % 86400 == 0 && s >= 2 * 86400) {
            return s / 86400 + " d";
        }
        if (s % 3600 == 0 && s >= 3600) {
            return s / 3600 + " h";
        }
        if (s >= 60) {
            return s / 60 + " min";
        }
        return s + " s";
    }
}
