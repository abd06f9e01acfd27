-- The publication times of a feed's latest entries (epoch seconds, newest first, comma-separated; '' for none), kept
-- on the feed row so that scheduling a feed's next poll reads nothing else: before, every poll, a 304 included,
-- queried the feed's entries for them. Null means not known yet: the next poll computes it from the entries.
alter table feed add column recent_published varchar(400);
