package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigCheckTest {

    private static TributaryConfig config(Map<String, String> values) {
        SmallRyeConfig c = new SmallRyeConfigBuilder().withMapping(TributaryConfig.class)
                .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValues(values).build();
        return c.getConfigMapping(TributaryConfig.class);
    }

    @Test
    void defaultsAreValid() {
        assertEquals(List.of(), ConfigCheck.problems(config(Map.of())));
    }

    @Test
    void badValuesAreNamed() {
        List<String> problems = ConfigCheck.problems(config(Map.of(
                "tributary.poll.default-interval", "-5m",
                "tributary.poll.min-interval", "2h",
                "tributary.poll.max-interval", "1h",
                "tributary.poll.concurrency", "0",
                "tributary.fetch.allowed-networks", "10.0.0.0/33")));
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("tributary.poll.default-interval must be a positive")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("tributary.poll.min-interval (PT2H) is longer")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("tributary.poll.concurrency must be at least 1")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("tributary.fetch.allowed-networks: prefix out of range")), problems.toString());
    }
}
