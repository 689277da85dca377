-- 0014: which cases wait in a queue, and what reports read of each case.
--
-- case_states.queued: whether the case is in a store's queue (not closed, or closed with a
-- follow-up to make: `queue::in_queue`), so a tablet signing in reads those first and shows
-- its queue before the store's history (GET /api/v1/stores/{store}/cases?part=queue). The
-- states kept so far are dropped: the server writes them again, with both, when it
-- starts (as it filled them in after 0013).
DELETE FROM case_states;
ALTER TABLE case_states ADD COLUMN queued INTEGER NOT NULL DEFAULT 1 CHECK (queued IN (0, 1));
-- case_states.facts: what the insights report reads of the case (the core's `Brief` and
-- `Digest` as JSON: where and when it was filed, the salted fingerprint of its contact, its
-- times, rating, remedy and cause, who took its steps when), so a report over a store reads
-- these small rows instead of every case's state and events.
ALTER TABLE case_states ADD COLUMN facts TEXT NOT NULL DEFAULT '';
