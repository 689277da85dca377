-- 0002: what the sync API needs beside the event log.
--
-- tickets: one row per filed case whose customer device sent a ticket
-- secret. Only the secret's SHA-256 is kept, so a copy of the file never
-- lets anyone read a customer's case; secret_hash is UNIQUE because it is
-- the lookup key of GET /api/v1/tickets/{code}. ticket is the case's
-- customer-facing code (derived from case_id, kept to compare cheaply).
CREATE TABLE tickets (
    case_id        TEXT NOT NULL PRIMARY KEY,
    store          TEXT NOT NULL,
    ticket         TEXT NOT NULL,
    secret_hash    TEXT NOT NULL UNIQUE,
    filed_event_id TEXT NOT NULL REFERENCES events (id)
) STRICT;

-- staff_tokens: bearer tokens of staff devices, one store each. Only the
-- token's SHA-256 is kept, so the file never holds a usable credential.
CREATE TABLE staff_tokens (
    token_hash    TEXT NOT NULL PRIMARY KEY,
    store         TEXT NOT NULL,
    label         TEXT,
    created_at_ms INTEGER NOT NULL
) STRICT;
