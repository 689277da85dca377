-- 0005 (PostgreSQL twin of ../0005_keys.sql): personal signing keys of
-- staff, and fast revocation.
CREATE TABLE staff_keys (
    id            TEXT   NOT NULL PRIMARY KEY,
    store         TEXT   NOT NULL,
    staff         TEXT   NOT NULL,
    public_key    TEXT   NOT NULL,
    created_at_ms BIGINT NOT NULL,
    revoked_at_ms BIGINT
);
CREATE INDEX staff_keys_person ON staff_keys (store, staff);
CREATE INDEX staff_tokens_person ON staff_tokens (store, staff);
