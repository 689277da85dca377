-- 0014: which cases wait in a queue, and what reports read of each case.
--
-- case_states gains a column, so it is made again (the server writes every case's state again
-- when it starts, as it filled them in after 0013): queued, whether the case is in a store's
-- queue (not closed, or closed with a follow-up to make: `queue::in_queue`), so a tablet
-- signing in reads those first and shows its queue before the store's history
-- (GET /api/v1/stores/{store}/cases?part=queue).
--
-- case_facts: what the insights report reads of each case (the core's `Brief` and `Digest` as
-- JSON: where and when it was filed, the salted fingerprint of its contact, its times, rating,
-- remedy and cause, who took its steps when), written with its state, with the same seq. A
-- table of its own: a report over a store reads these few hundred bytes a case, packed on
-- few pages, not the pages of every case's state and events.
DROP TABLE case_states;
CREATE TABLE case_states (
    case_id     TEXT NOT NULL PRIMARY KEY,
    store       TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    queued      INTEGER NOT NULL CHECK (queued IN (0, 1)),
    body        TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX case_states_store_seq ON case_states (store, seq);
CREATE TABLE case_facts (
    case_id     TEXT NOT NULL PRIMARY KEY,
    store       TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    facts       TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX case_facts_store_seq ON case_facts (store, seq);
