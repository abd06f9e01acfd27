package dev.tributary;

import dev.tributary.fetch.Cidr;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/** Checks the settings at start and stops with one clear line per bad value instead of misbehaving later. */
@ApplicationScoped
public class ConfigCheck {

    private static final Logger LOG = Logger.getLogger(ConfigCheck.class);

    void onStart(@Observes @Priority(1) StartupEvent event, TributaryConfig config) {
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            problems.forEach(p -> LOG.error("configuration error: " + p));
            Quarkus.asyncExit(2);
            throw new IllegalStateException("invalid configuration: " + String.join("; ", problems));
        }
    }

    /** Every problem with the configuration, empty when it is usable. */
    public static List<String> problems(TributaryConfig c) {
        List<String> p = new ArrayList<>();
        positive(p, "tributary.poll.tick", c.poll().tick());
        positive(p, "tributary.poll.default-interval", c.poll().defaultInterval());
        positive(p, "tributary.poll.min-interval", c.poll().minInterval());
        positive(p, "tributary.poll.max-interval", c.poll().maxInterval());
        positive(p, "tributary.poll.lease", c.poll().lease());
        positive(p, "tributary.fetch.connect-timeout", c.fetch().connectTimeout());
        positive(p, "tributary.fetch.total-timeout", c.fetch().totalTimeout());
        notNegative(p, "tributary.poll.manual-refresh-min-gap", c.poll().manualRefreshMinGap());
        notNegative(p, "tributary.poll.shutdown-grace", c.poll().shutdownGrace());
        if (c.poll().minInterval().compareTo(c.poll().maxInterval()) > 0) {
            p.add("tributary.poll.min-interval (" + c.poll().minInterval() + ") is longer than tributary.poll.max-interval ("
                    + c.poll().maxInterval() + ")");
        }
        atLeast(p, "tributary.poll.concurrency", c.poll().concurrency(), 1);
        atLeast(p, "tributary.poll.per-host-concurrency", c.poll().perHostConcurrency(), 1);
        atLeast(p, "tributary.poll.history-size", c.poll().historySize(), 1);
        atLeast(p, "tributary.fetch.max-redirects", c.fetch().maxRedirects(), 0);
        atLeast(p, "tributary.fetch.max-body-bytes", c.fetch().maxBodyBytes(), 1024);
        atLeast(p, "tributary.feeds.max-entries-per-document", c.feeds().maxEntriesPerDocument(), 1);
        atLeast(p, "tributary.output.default-limit", c.output().defaultLimit(), 1);
        if (c.output().defaultLimit() > 200) {
            p.add("tributary.output.default-limit must be at most 200");
        }
        for (String cidr : c.fetch().allowedNetworks().orElse(List.of())) {
            try {
                Cidr.parse(cidr);
            } catch (IllegalArgumentException e) {
                p.add("tributary.fetch.allowed-networks: " + e.getMessage());
            }
        }
        return p;
    }

    private static void positive(List<String> p, String name, Duration d) {
        if (d.isNegative() || d.isZero()) {
            p.add(name + " must be a positive duration, not " + d);
        }
    }

    private static void notNegative(List<String> p, String name, Duration d) {
        if (d.isNegative()) {
            p.add(name + " must not be negative, not " + d);
        }
    }

    private static void atLeast(List<String> p, String name, long value, long min) {
        if (value < min) {
            p.add(name + " must be at least " + min + ", not " + value);
        }
    }
}
