package dev.tributary.feed;

import dev.tributary.TributaryConfig;
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

    public Report importOpml(byte[] xml) {
        int added = 0;
        int existing = 0;
        List<String> refused = new ArrayList<>();
        for (Opml.Outline o : Opml.read(xml)) {
            try {
                if (subscriptions.subscribeIfNew(o.url(), o.title(), o.tags())) {
                    added++;
                } else {
                    existing++;
                }
            } catch (SubscriptionException e) {
                refused.add(o.url() + ": " + e.getMessage());
            }
        }
        return new Report(added, existing, refused);
    }
}
