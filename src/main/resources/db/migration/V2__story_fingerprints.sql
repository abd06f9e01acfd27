-- Near-duplicate index: for each entry, its MinHash band keys and opening-shingle keys. A new entry looks its keys
-- up here (an index probe per key), so the cost per entry does not grow with the number of stored entries.
create table story_fingerprint (
    fp_key        varchar(40) not null,
    entry_id      bigint not null references entry (id) on delete cascade,
    story_id      bigint not null,
    feed_id       bigint not null,
    published_at  timestamp with time zone not null
);
create index ix_story_fingerprint_key on story_fingerprint (fp_key, published_at);
create index ix_story_fingerprint_entry on story_fingerprint (entry_id);

-- Story assignment runs one batch at a time across all instances: each batch locks this row.
create table story_lock (
    id  integer not null primary key
);
insert into story_lock (id) values (1);
