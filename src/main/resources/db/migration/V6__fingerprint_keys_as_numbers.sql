-- The near-duplicate index, made cheaper to write (the ingest profile in BENCHMARKS.md showed its rows as the
-- largest cost of the story stage): keys are 64-bit numbers instead of their hex spelling (half the bytes, a numeric
-- comparison in every probe), and the table keeps one index, on fp_key, which serves the probes (the time window is
-- applied to the rows found). No foreign key to entry and no index on entry_id: deleting a feed deletes its rows by
-- feed_id, pruning deletes by published_at, both rare scans of a table that holds two matching windows of entries.
-- Rows of the old spelling cannot be converted in SQL; the index fills again from new entries, so copies of entries
-- stored before this migration join their stories through links and guids only.
drop table story_fingerprint;
create table story_fingerprint (
    fp_key        bigint not null,
    entry_id      bigint not null,
    story_id      bigint not null,
    feed_id       bigint not null,
    published_at  timestamp with time zone not null
);
create index ix_story_fingerprint_key on story_fingerprint (fp_key);
