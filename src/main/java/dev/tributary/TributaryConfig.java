package dev.tributary;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every {@code tributary.*} setting, typed and documented once. README lists each with its environment variable. */
@ConfigMapping(prefix = "tributary")
public interface TributaryConfig {

    /** Address at which this service is reachable from outside (used for self links in output feeds). */
    Optional<String> publicUrl();

    Poll poll();

    Fetch fetch();

    Feeds feeds();

    Api api();

    Output output();

    Stories stories();

    Auth auth();

    Push push();

    interface Push {
        /** Lease asked of WebSub hubs; renewed before it runs out. */
        @WithDefault("7d")
        Duration lease();

        /** While pushes arrive, the feed is still polled this often, so a dead hub never means a dead feed. */
        @WithDefault("24h")
        Duration safetyInterval();
    }

    interface Poll {
        /** Whether the scheduled poll job runs at all. */
        @WithDefault("true")
        boolean enabled();

        /** How often the scheduler looks for due feeds. */
        @WithDefault("2s")
        Duration tick();

        /** Feeds fetched at the same time, across all hosts. */
        @WithDefault("8")
        int concurrency();

        /** Requests in flight to one host at the same time. */
        @WithDefault("2")
        int perHostConcurrency();

        /** Interval used for a feed until it has enough history. */
        @WithDefault("15m")
        Duration defaultInterval();

        /** Shortest interval between two polls of one feed. */
        @WithDefault("5m")
        Duration minInterval();

        /** Longest interval between two polls of one feed, also the backoff cap. */
        @WithDefault("24h")
        Duration maxInterval();

        /** How long a claimed feed stays reserved for the instance that claimed it. */
        @WithDefault("5m")
        Duration lease();

        /** Shortest time between two manual refreshes of one feed. */
        @WithDefault("30s")
        Duration manualRefreshMinGap();

        /** Poll records kept per feed. */
        @WithDefault("50")
        int historySize();

        /** How long in-flight polls may run on after shutdown is requested. */
        @WithDefault("10s")
        Duration shutdownGrace();
    }

    interface Fetch {
        /** Time allowed to open a connection. */
        @WithDefault("10s")
        Duration connectTimeout();

        /** Total time allowed for one fetch, redirects and body included. */
        @WithDefault("30s")
        Duration totalTimeout();

        /** Largest decompressed body accepted, in bytes. */
        @WithDefault("10485760")
        long maxBodyBytes();

        /** Redirect hops followed before giving up. */
        @WithDefault("5")
        int maxRedirects();

        /** Networks (CIDR) that the address guard lets through although they are private or loopback. */
        Optional<List<String>> allowedNetworks();

        /** Whether the outbound address guard refuses private, loopback and link-local addresses. */
        @WithDefault("true")
        boolean guardEnabled();
    }

    interface Feeds {
        /** OPML file whose subscriptions are imported (idempotently) at start. */
        Optional<String> opml();

        /** Entries taken from one document at most (the newest). */
        @WithDefault("1000")
        int maxEntriesPerDocument();
    }

    interface Api {
        /** Largest JSON request body, in bytes. */
        @WithDefault("1048576")
        int maxBodyBytes();

        /** Largest OPML upload, in bytes. */
        @WithDefault("5242880")
        int maxOpmlBytes();
    }

    interface Output {
        /** Title of the merged output feeds. */
        @WithDefault("Tributary")
        String title();

        /** Items in an output feed unless ?limit= says otherwise. */
        @WithDefault("50")
        int defaultLimit();

        /**
         * How long a rendered output feed (and its ETag) is served without asking the database again, unless this
         * instance committed a change to the timeline meanwhile. Bounds how late changes made by another instance
         * sharing the database appear; 0 turns the cache off.
         */
        @WithDefault("5s")
        Duration cacheTtl();
    }

    interface Stories {
        /** off: every entry its own story; exact: same canonical link or guid URL; near: also near-duplicate text. */
        @WithDefault("near")
        StoryMode mode();

        /** Near-duplicates further apart in publication time than this are never merged. */
        @WithDefault("7d")
        Duration window();

        /** Jaccard similarity of 5-word shingle sets from which two texts are one story. */
        @WithDefault("0.45")
        double jaccardThreshold();

        /** Share of the smaller text's shingles found in the larger one from which a summary matches its article. */
        @WithDefault("0.75")
        double containmentThreshold();

        /** Title word overlap a containment match also needs (keeps roundups quoting a lede apart). */
        @WithDefault("0.2")
        double titleThreshold();
    }

    interface Auth {
        /** Bearer token required by write endpoints; without it writes are accepted from loopback only. */
        Optional<String> token();

        /** Whether reads (timeline, output feeds) need the token too. */
        @WithDefault("false")
        boolean protectReads();
    }

    enum StoryMode { off, exact, near }
}
