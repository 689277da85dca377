-- 0011: markers for changes.
--
-- markers: a change a manager marked on the store's timeline (a system upgrade, a new product,
-- a new shift plan, a training), when it was made and what it concerns (the whole store, one
-- touchpoint, or one kind of complaint), so that charts can show it and compare the complaints
-- before and after it. Who marked it and when is kept with it; a removed marker keeps its row
-- with who removed it and when, so the store's history of changes stays whole.
CREATE TABLE markers (
    id            TEXT NOT NULL PRIMARY KEY,
    store         TEXT NOT NULL,
    at_ms         INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    label         TEXT NOT NULL,
    touchpoint    TEXT,
    category      TEXT,
    created_by    TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    removed_by    TEXT,
    removed_at_ms INTEGER
) STRICT;
CREATE INDEX markers_store ON markers (store, at_ms);
