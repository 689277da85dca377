-- 0006 (PostgreSQL twin of ../0006_store_alerts.sql): alerts for a store's staff, once per
-- store, UTC day and kind.
CREATE TABLE store_alerts (
    store TEXT NOT NULL,
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    PRIMARY KEY (store, day, kind)
);
