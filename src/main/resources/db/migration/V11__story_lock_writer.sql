-- Each batch that writes the near-duplicate index leaves a token of its own here, under the assignment lock it
-- already takes. An instance that finds its own token there knows that nobody else wrote index rows since its last
-- batch, so its in-memory filter of the index's buckets (which probes cannot hit: StoryStore) is still complete.
alter table story_lock add column writer bigint not null default 0;
