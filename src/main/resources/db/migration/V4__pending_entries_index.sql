-- The story stage reads entries without a story in id order; without this index it walked past every assigned
-- entry first, so each batch cost more as the table grew (seen in the 2,000-feed benchmark).
create index ix_entry_pending on entry (story_id, id);
