-- 0006: what staff should know about their store that no event tells, one row per store,
-- day (UTC, YYYY-MM-DD) and kind; for now the public going over the store's daily budget
-- of events or bytes ('store_events', 'store_bytes'), recorded once a day.
CREATE TABLE store_alerts (
    store TEXT NOT NULL,
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    PRIMARY KEY (store, day, kind)
);
