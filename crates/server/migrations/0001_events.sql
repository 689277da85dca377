-- 0001: the append-only log of recovery events that kiosks push.
--
-- seq is the INTEGER PRIMARY KEY (an alias of SQLite's rowid) with
-- AUTOINCREMENT, and the event uuid `id` is UNIQUE:
--   * pulls read "events of a store after cursor N" in seq order, which is a
--     range scan on the (store, seq) index with no extra lookup;
--   * AUTOINCREMENT guarantees a seq is never handed out twice, even if the
--     newest rows were ever deleted, so a client cursor can never skip or
--     re-read a different event under an old number;
--   * UNIQUE(id) makes a re-pushed event a no-op (INSERT ... ON CONFLICT (id)
--     DO NOTHING), which is what makes offline retries safe.
-- STRICT makes SQLite reject values of the wrong type instead of storing them.
CREATE TABLE events (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    id             TEXT    NOT NULL UNIQUE,
    case_id        TEXT    NOT NULL,
    store          TEXT    NOT NULL,
    touchpoint     TEXT    NOT NULL,
    device         TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    at_ms          INTEGER NOT NULL, -- device clock, untrusted, for display
    received_at_ms INTEGER NOT NULL, -- server clock, when the push arrived
    body           TEXT    NOT NULL CHECK (json_valid(body))
) STRICT;

CREATE INDEX events_store_seq ON events (store, seq);
CREATE INDEX events_case_id ON events (case_id);
