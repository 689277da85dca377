-- 0013: the cases' read model.
--
-- case_states: each case as the core's `api::CaseState` JSON in `body` (its state folded from
-- its events, and the events), written in the same transaction as the event that changed it
-- (src/rules/cases.rs); `seq` is the seq of the case's latest event, unique within its store,
-- so tablets page through a store's cases by it and then follow its events from the last one
-- (GET /api/v1/stores/{store}/cases). Reports read it instead of folding every event again.
-- Cases stored before this migration are filled in by the server when it starts.
CREATE TABLE case_states (
    case_id     TEXT NOT NULL PRIMARY KEY,
    store       TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    body        TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX case_states_store_seq ON case_states (store, seq);
