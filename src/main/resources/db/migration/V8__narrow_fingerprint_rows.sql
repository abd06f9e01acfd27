-- The near-duplicate index keeps only what a probe cannot read elsewhere: the key and the entry. Story, feed and
-- publication time come from the entry row when a probe hits (a primary-key lookup per hit; hits are few, since
-- only copies of a story share keys), instead of being written again with each of an entry's dozen keys: the
-- index rows were the largest single write of an ingest (BENCHMARKS.md, section 2).
alter table story_fingerprint drop column story_id;
alter table story_fingerprint drop column feed_id;
alter table story_fingerprint drop column published_at;
