package dev.tributary.support;

import dev.tributary.poll.PollScheduler;
import dev.tributary.story.StoryAssigner;
import jakarta.enterprise.inject.spi.CDI;

/**
 * Drives the real poll job from tests: claim every due feed, poll it, wait until all polls are done and every new
 * entry is in a story.
 */
public final class Polls {
    private Polls() {
    }

    public static int runDue(PollScheduler scheduler) throws InterruptedException {
        int started = 0;
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            int n = scheduler.pollDue();
            started += n;
            while (scheduler.inFlight() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            if (n == 0) {
                CDI.current().select(StoryAssigner.class).get().assignPending();
                return started;
            }
        }
        throw new AssertionError("polls did not finish within 60 s");
    }
}
