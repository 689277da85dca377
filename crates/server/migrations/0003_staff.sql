-- 0003: stores, their touchpoints and staff, and staff sessions.
--
-- stores: the settings staff devices need (StoreProfile in recovery-core).
-- contact_salt is random hex made when the store is created and never
-- changed afterwards: every device fingerprints contact details with it to
-- find repeat failures, so changing it would forget them.
CREATE TABLE stores (
    slug           TEXT    NOT NULL PRIMARY KEY,
    name           TEXT    NOT NULL,
    currency       TEXT    NOT NULL DEFAULT 'EUR',
    ack_minutes    INTEGER NOT NULL DEFAULT 10 CHECK (ack_minutes >= 0),
    resolve_hours  INTEGER NOT NULL DEFAULT 24 CHECK (resolve_hours >= 0),
    follow_up_days INTEGER NOT NULL DEFAULT 3 CHECK (follow_up_days >= 0),
    contact_salt   TEXT    NOT NULL,
    created_at_ms  INTEGER NOT NULL
) STRICT;

-- touchpoints: QR stickers and tablets of a store, in display order.
CREATE TABLE touchpoints (
    store    TEXT    NOT NULL REFERENCES stores (slug),
    slug     TEXT    NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (store, slug)
) STRICT;

-- staff: the roster. Only a slow salted hash of each PIN is kept
-- (PBKDF2-HMAC-SHA256, recovery-core's PinHash), never the PIN. failures and
-- last_failure_ms are the server's PinThrottle for this person.
CREATE TABLE staff (
    store           TEXT    NOT NULL REFERENCES stores (slug),
    id              TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('staff', 'manager')),
    limit_minor     INTEGER NOT NULL CHECK (limit_minor >= 0),
    pin_salt        TEXT    NOT NULL,
    pin_rounds      INTEGER NOT NULL CHECK (pin_rounds > 0),
    pin_hash        TEXT    NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    failures        INTEGER NOT NULL DEFAULT 0,
    last_failure_ms INTEGER,
    PRIMARY KEY (store, id)
) STRICT;

-- A token made by a staff login names its staff member and expires; device
-- tokens from issue-token have neither.
ALTER TABLE staff_tokens ADD COLUMN staff TEXT;
ALTER TABLE staff_tokens ADD COLUMN expires_at_ms INTEGER;
