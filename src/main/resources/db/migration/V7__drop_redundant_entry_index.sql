-- ix_entry_pending (story_id, id) serves every lookup by story_id; a second index on story_id alone only cost a
-- B-tree update each time the story stage placed an entry.
drop index ix_entry_story;
