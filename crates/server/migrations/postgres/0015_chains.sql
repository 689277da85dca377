-- 0015 (PostgreSQL twin of ../0015_chains.sql): chains over stores, the people who run them, and the history of every change.
--
-- chains: an organisation over its stores. Every store belongs to one; each store that
-- existed before this migration becomes a chain of its own (same id and name), whose contact
-- salt is the store's, so no repeat failure is forgotten. A store created in a chain takes
-- the chain's salt, so a customer who complains in two of its stores is found as a repeat.
-- chain_people: who runs a chain: 'admin' (everything) or 'area' (sees the stores listed,
-- comma-separated). Only a slow salted hash of each password is kept (as for PINs), with the
-- same per-person throttle (failures, last_failure_ms).
-- chain_tokens: their sessions, by the token's SHA-256 only; they expire.
-- changes: the history of every change made to a chain's stores, staff, tokens and people,
-- with who made it and when (never a PIN, password or token).
-- touchpoints.sticker: a line printed under a touchpoint's QR code ('' prints the standard one).
CREATE TABLE chains (
    slug          TEXT    NOT NULL PRIMARY KEY,
    name          TEXT    NOT NULL,
    contact_salt  TEXT    NOT NULL,
    created_at_ms BIGINT  NOT NULL
);
INSERT INTO chains (slug, name, contact_salt, created_at_ms)
    SELECT slug, name, contact_salt, created_at_ms FROM stores;
ALTER TABLE stores ADD COLUMN chain TEXT NOT NULL DEFAULT '';
UPDATE stores SET chain = slug;
CREATE INDEX stores_chain ON stores (chain, slug);
ALTER TABLE touchpoints ADD COLUMN sticker TEXT NOT NULL DEFAULT '';

CREATE TABLE chain_people (
    chain           TEXT    NOT NULL,
    id              TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('admin', 'area')),
    stores          TEXT    NOT NULL DEFAULT '',
    pin_salt        TEXT    NOT NULL,
    pin_rounds      BIGINT  NOT NULL CHECK (pin_rounds > 0),
    pin_hash        TEXT    NOT NULL,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    failures        BIGINT  NOT NULL DEFAULT 0,
    last_failure_ms BIGINT,
    PRIMARY KEY (chain, id)
);

CREATE TABLE chain_tokens (
    token_hash    TEXT    NOT NULL PRIMARY KEY,
    chain         TEXT    NOT NULL,
    person        TEXT    NOT NULL,
    created_at_ms BIGINT  NOT NULL,
    expires_at_ms BIGINT  NOT NULL
);

CREATE TABLE changes (
    id      TEXT    NOT NULL PRIMARY KEY,
    chain   TEXT    NOT NULL,
    store   TEXT,
    at_ms   BIGINT  NOT NULL,
    made_by TEXT    NOT NULL,
    what    TEXT    NOT NULL,
    subject TEXT    NOT NULL,
    fields  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX changes_chain ON changes (chain, at_ms);
