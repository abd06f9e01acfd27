-- The near-duplicate index as one B-tree: each row is a single BIGINT primary key holding the index key's high 32
-- bits and the entry id (below 2^32) in the low 32. A probe for a key reads the range of its high half. Before, each
-- row was (fp_key, entry_id) without a primary key plus an index on fp_key: two B-trees per row, and on H2 each
-- written twice per transaction (the row, then its commit), for the dozen rows of every entry (BENCHMARKS.md,
-- section 5). Keys sharing a high half are false candidates at worst: every candidate is confirmed on its text.
create table story_fingerprint_packed (
    fp  bigint not null primary key
);
insert into story_fingerprint_packed (fp)
    select distinct fp_key - mod(mod(fp_key, 4294967296) + 4294967296, 4294967296) + entry_id
    from story_fingerprint where entry_id < 4294967296;
drop table story_fingerprint;
alter table story_fingerprint_packed rename to story_fingerprint;
