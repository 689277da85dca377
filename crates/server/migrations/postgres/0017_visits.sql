-- 0017: how many people visited a store each store-local day (from a door counter or the
-- till), when it is told: complaints per 1,000 visits and p-charts need them.
CREATE TABLE visits (
    store  TEXT   NOT NULL,
    day    TEXT   NOT NULL,
    visits BIGINT NOT NULL,
    PRIMARY KEY (store, day)
);
