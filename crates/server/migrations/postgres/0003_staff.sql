-- 0003 (PostgreSQL twin of ../0003_staff.sql): stores, touchpoints, staff
-- (PIN hashes only, never PINs) and staff sessions.
CREATE TABLE stores (
    slug           TEXT   NOT NULL PRIMARY KEY,
    name           TEXT   NOT NULL,
    currency       TEXT   NOT NULL DEFAULT 'EUR',
    ack_minutes    BIGINT NOT NULL DEFAULT 10 CHECK (ack_minutes >= 0),
    resolve_hours  BIGINT NOT NULL DEFAULT 24 CHECK (resolve_hours >= 0),
    follow_up_days BIGINT NOT NULL DEFAULT 3 CHECK (follow_up_days >= 0),
    contact_salt   TEXT   NOT NULL,
    created_at_ms  BIGINT NOT NULL
);

CREATE TABLE touchpoints (
    store    TEXT   NOT NULL REFERENCES stores (slug),
    slug     TEXT   NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (store, slug)
);

CREATE TABLE staff (
    store           TEXT    NOT NULL REFERENCES stores (slug),
    id              TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('staff', 'manager')),
    limit_minor     BIGINT  NOT NULL CHECK (limit_minor >= 0),
    pin_salt        TEXT    NOT NULL,
    pin_rounds      BIGINT  NOT NULL CHECK (pin_rounds > 0),
    pin_hash        TEXT    NOT NULL,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    failures        BIGINT  NOT NULL DEFAULT 0,
    last_failure_ms BIGINT,
    PRIMARY KEY (store, id)
);

ALTER TABLE staff_tokens ADD COLUMN staff TEXT;
ALTER TABLE staff_tokens ADD COLUMN expires_at_ms BIGINT;
