-- 0002 (PostgreSQL twin of ../0002_sync.sql): tickets and staff tokens.
-- Only SHA-256 hashes of ticket secrets and staff tokens are stored.
CREATE TABLE tickets (
    case_id        TEXT NOT NULL PRIMARY KEY,
    store          TEXT NOT NULL,
    ticket         TEXT NOT NULL,
    secret_hash    TEXT NOT NULL UNIQUE,
    filed_event_id TEXT NOT NULL REFERENCES events (id)
);

CREATE TABLE staff_tokens (
    token_hash    TEXT   NOT NULL PRIMARY KEY,
    store         TEXT   NOT NULL,
    label         TEXT,
    created_at_ms BIGINT NOT NULL
);
