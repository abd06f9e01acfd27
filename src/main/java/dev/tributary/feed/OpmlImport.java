package dev.tributary.feed;

import dev.tributary.TributaryConfig;
import dev.tributary.store.FeedStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/** Imports subscriptions from OPML: at start from {@code tributary.feeds.opml}, and on request. Idempotent. */
@ApplicationScoped
public class OpmlImport {

    private static final Logger LOG = Logger.getLogger(OpmlImport.class);
    static final int PER_TRANSACTION = 200;

    private final Subscriptions subscriptions;
    private final TributaryConfig config;

    public OpmlImport(Subscriptions subscriptions, TributaryConfig config) {
        this.subscriptions = subscriptions;
        this.config = config;
    }

    /** What an import did: feeds added, already present, and refused (with the reason each). */
    public record Report(int added, int existing, List<String> refused) {
    }

    void onStart(@Observes StartupEvent event) {
        config.feeds().opml().ifPresent(path -> {
            try {
                Report r = importOpml(Files.readAllBytes(Path.of(path)));
                LOG.infof("imported OPML %s: %d added, %d already subscribed, %d refused %s", path, r.added(),
                        r.existing(), r.refused().size(), r.refused());
            } catch (IOException | IllegalArgumentException e) {
                LOG.errorf("could not import OPML %s: %s", path, e.getMessage());
            }
        });
    }

    /**
     * Subscribes to every outline, {@link #PER_TRANSACTION} at a time: each lot is checked, then stored with one
     * query and two JDBC batches (one Hibernate insert and query per feed made importing 10,000 feeds take 15 s on
     * an idle service). If a lot fails (a subscription to the same URL made meanwhile), it is subscribed one feed at
     * a time instead, as the API does.
     */
    public Report importOpml(byte[] xml) {
        List<Opml.Outline> outlines = Opml.read(xml);
        int[] counts = new int[2]; // added, already subscribed
        List<String> refused = new ArrayList<>();
        for (int from = 0; from < outlines.size(); from += PER_TRANSACTION) {
            List<Opml.Outline> lot = outlines.subList(from, Math.min(outlines.size(), from + PER_TRANSACTION));
            List<FeedStore.NewFeed> checked = new ArrayList<>();
            for (Opml.Outline o : lot) {
                try {
                    checked.add(subscriptions.check(o.url(), o.title(), o.tags()));
                } catch (SubscriptionException e) {
                    refused.add(o.url() + ": " + e.getMessage());
                }
            }
            try {
                for (boolean added : QuarkusTransaction.requiringNew().call(() -> subscriptions.subscribeMany(checked))) {
                    counts[added ? 0 : 1]++;
                }
            } catch (RuntimeException e) {
                LOG.debugf("bulk subscription of %d feeds failed (%s); subscribing one by one", checked.size(), e);
                for (FeedStore.NewFeed f : checked) {
                    counts[subscriptions.subscribeIfNew(f) ? 0 : 1]++;
                }
            }
        }
        return new Report(counts[0], counts[1], refused);
    }
}
