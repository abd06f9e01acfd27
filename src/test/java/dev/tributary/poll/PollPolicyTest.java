package dev.tributary.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PollPolicyTest {

    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    final PollPolicy policy = new PollPolicy(Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(24), new Random(7));

    /** Entries published every {@code gapMinutes}, the newest {@code ageMinutes} ago. */
    static List<Instant> rhythm(int count, long gapMinutes, long ageMinutes) {
        List<Instant> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(NOW.minus(Duration.ofMinutes(ageMinutes + i * gapMinutes)));
        }
        return out;
    }

    @ParameterizedTest(name = "{0} entries every {1} min, newest {2} min old -> {3} min ({4})")
    @CsvSource(delimiter = '|', value = {
        "0  | 0    | 0      | 15   | default interval 15 min",
        "2  | 60   | 0      | 15   | default interval 15 min",
        "20 | 360  | 10     | 360  | adaptive: about 4 entries/day",
        "20 | 60   | 5      | 60   | adaptive: about 24 entries/day",
        "20 | 1    | 0      | 5    | adaptive: about 1440 entries/day (raised to min 5 min)",
        "20 | 1440 | 60     | 1440 | adaptive: about 1 entries/day",
        "20 | 2880 | 60     | 1440 | adaptive: about one entry every 2 days (capped at max 24 h)",
        "20 | 60   | 40320  | 1440 | adaptive: about 24 entries/day (capped at max 24 h)",
    })
    void afterSuccess(int count, long gap, long age, long expectedMinutes, String reason) {
        NextPoll next = policy.afterSuccess(NOW, rhythm(count, gap, age), null);
        assertEquals(Duration.ofMinutes(expectedMinutes), Duration.between(NOW, next.at()));
        assertEquals(reason, next.reason());
    }

    @ParameterizedTest(name = "hint {0} min over {1} min rhythm -> {2} min")
    @CsvSource({"60, 15, 60", "10, 60, 60", "100000, 15, 1440"})
    void publisherHintsAreLowerBoundsWithinMax(long hintMinutes, long gap, long expected) {
        NextPoll next = policy.afterSuccess(NOW, rhythm(20, gap, 0), Duration.ofMinutes(hintMinutes));
        assertEquals(Duration.ofMinutes(expected), Duration.between(NOW, next.at()));
    }

    @ParameterizedTest(name = "{0} errors -> about {1} min")
    @CsvSource({"1, 15", "2, 30", "3, 60", "5, 240", "7, 960", "8, 1440", "30, 1440", "1000, 1440"})
    void backoffDoublesWithJitterAndIsCapped(int errors, long expectedMinutes) {
        for (int i = 0; i < 20; i++) {
            Duration d = Duration.between(NOW, policy.afterError(NOW, errors, null).at());
            long cap = 1440;
            long lo = Math.min(cap, (long) (expectedMinutes * 0.8));
            long hi = Math.min(cap, (long) Math.ceil(expectedMinutes * 1.2));
            assertTrue(d.toMinutes() >= lo && d.toMinutes() <= hi, errors + " errors gave " + d);
        }
        assertTrue(policy.afterError(NOW, errors, null).reason().startsWith("backoff after " + errors));
    }

    @Test
    void skipHoursAndDaysMoveThePollToTheNextAllowedHour() {
        // NOW is Friday 12:00 GMT; the default interval lands at 12:15.
        var skip = new dev.tributary.parse.ParsedFeed.SkipTimes(java.util.Set.of(12, 13, 14), java.util.Set.of());
        NextPoll next = policy.respecting(skip, NOW, policy.afterSuccess(NOW, List.of(), null));
        assertEquals(Instant.parse("2026-11-27T15:00:00Z"), next.at());
        assertTrue(next.reason().endsWith("skipHours/skipDays respected"));
        var weekend = new dev.tributary.parse.ParsedFeed.SkipTimes(java.util.Set.of(), java.util.Set.of(java.time.DayOfWeek.FRIDAY));
        assertEquals(Instant.parse("2026-11-28T00:00:00Z"),
                policy.respecting(weekend, NOW, policy.afterSuccess(NOW, List.of(), null)).at());
        var none = dev.tributary.parse.ParsedFeed.SkipTimes.NONE;
        assertEquals(NOW.plus(Duration.ofMinutes(15)), policy.respecting(none, NOW, policy.afterSuccess(NOW, List.of(), null)).at());
    }

    @Test
    void retryAfterIsHonouredAndCapped() {
        NextPoll twoHours = policy.afterError(NOW, 1, Duration.ofHours(2));
        assertEquals(Duration.ofHours(2), Duration.between(NOW, twoHours.at()));
        assertEquals("Retry-After 2 h", twoHours.reason());
        NextPoll year = policy.afterError(NOW, 1, Duration.ofSeconds(31536000));
        assertEquals(Duration.ofHours(24), Duration.between(NOW, year.at()));
        assertTrue(year.reason().endsWith("(capped at max)"));
        NextPoll shortRetry = policy.afterError(NOW, 4, Duration.ofSeconds(10));
        assertTrue(Duration.between(NOW, shortRetry.at()).toMinutes() >= 96, "backoff wins over a shorter Retry-After");
    }
}
