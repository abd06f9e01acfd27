-- The poll job claims due feeds in (next_poll_at, id) order. After "refresh all" every feed has the same
-- next_poll_at, and an index on next_poll_at alone left the database sorting all of them for each claim (the
-- 10,000-feed unchanged cycle in BENCHMARKS.md). With id in the index the first rows are read off it directly.
drop index ix_feed_due;
create index ix_feed_due on feed (next_poll_at, id);
