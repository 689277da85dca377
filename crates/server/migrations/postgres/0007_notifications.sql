-- 0007 (PostgreSQL twin of ../0007_notifications.sql): reaching people outside the tablet.
--
-- stores.chime: whether a store's tablets sound a chime for a new complaint.
--
-- recipients: who hears of a store's cases, and of what: an email address or a webhook URL
-- (with the key its requests are signed with), the rules they follow (comma-separated names,
-- see rules/notify.rs) and their quiet hours ('HH:MM-HH:MM' in the local time of the store's
-- devices, '' for none).
--
-- notifications: the durable outbox. One row per rule, case and recipient, written in the
-- transaction of the event that calls for it; its key makes a second call a no-op, so each
-- is sent once whoever pushes the event again. A worker claims due rows for a while
-- (claimed_until_ms) so that two instances never send one row at the same time, then marks it
-- sent, or dropped (nothing to say any more, or given up), or due again later.
--
-- events_filings: the filings of a touchpoint by arrival, for the spike rule's counts.
ALTER TABLE stores ADD COLUMN chime BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE recipients (
    store   TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    address TEXT NOT NULL,
    rules   TEXT NOT NULL,
    quiet   TEXT NOT NULL DEFAULT '',
    secret  TEXT,
    PRIMARY KEY (store, channel, address)
);

CREATE TABLE notifications (
    key              TEXT    NOT NULL PRIMARY KEY,
    store            TEXT    NOT NULL,
    rule             TEXT    NOT NULL,
    case_id          TEXT    NOT NULL,
    channel          TEXT    NOT NULL,
    address          TEXT    NOT NULL,
    due_at_ms        BIGINT NOT NULL,
    next_at_ms       BIGINT NOT NULL,
    attempts         BIGINT NOT NULL DEFAULT 0,
    state            TEXT    NOT NULL DEFAULT 'due' CHECK (state IN ('due', 'sent', 'dropped')),
    claimed_until_ms BIGINT NOT NULL DEFAULT 0,
    done_at_ms       BIGINT,
    last_error       TEXT,
    created_at_ms    BIGINT NOT NULL
);
CREATE INDEX notifications_next ON notifications (state, next_at_ms);
CREATE INDEX events_filings ON events (store, touchpoint, received_at_ms) WHERE kind = 'filed';
