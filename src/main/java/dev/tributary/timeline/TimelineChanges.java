package dev.tributary.timeline;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A counter that moves whenever this instance commits something the timeline shows: entries placed in stories,
 * entries edited in place, feeds renamed, retagged, paused or deleted. Readers that cache what they derived from the
 * timeline (the output feeds) keep it while the counter stands still. Changes committed by another instance sharing
 * the database are not seen here; readers bound their caches in time for those.
 */
@ApplicationScoped
public class TimelineChanges {

    private final AtomicLong generation = new AtomicLong();

    /** Called after a commit that changed what the timeline shows. */
    public void changed() {
        generation.incrementAndGet();
    }

    public long current() {
        return generation.get();
    }
}
