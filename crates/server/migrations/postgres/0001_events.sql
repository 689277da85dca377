-- 0001 (PostgreSQL twin of ../0001_events.sql): the append-only event log.
--
-- seq is an identity column. A sequence alone would not keep pull cursors
-- gap-free across several server instances: a transaction that drew seq 10
-- could commit after one that drew seq 11, and a reader that already saw 11
-- would skip 10 for good. Every push transaction therefore takes one
-- transaction-scoped advisory lock before drawing any seq (see
-- src/postgres.rs), so seqs are drawn and committed in the same order.
-- UNIQUE(id) stays the last word on idempotency: a second insert of the
-- same id is a no-op (ON CONFLICT DO NOTHING), never an error.
-- body is kept as the exact text the server wrote (not jsonb, which would
-- reorder keys), and must parse as JSON.
CREATE TABLE events (
    seq            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id             TEXT   NOT NULL UNIQUE,
    case_id        TEXT   NOT NULL,
    store          TEXT   NOT NULL,
    touchpoint     TEXT   NOT NULL,
    device         TEXT   NOT NULL,
    kind           TEXT   NOT NULL,
    at_ms          BIGINT NOT NULL, -- device clock, untrusted, for display
    received_at_ms BIGINT NOT NULL, -- server clock, when the push arrived
    body           TEXT   NOT NULL CHECK (body::jsonb IS NOT NULL)
);

CREATE INDEX events_store_seq ON events (store, seq);
CREATE INDEX events_case_id ON events (case_id);
