-- 0005: personal signing keys of staff, and fast revocation.
--
-- staff_keys: the public half of each key a staff member registered at an
-- online sign-in on a tablet (the private half never leaves the tablet, and
-- is kept there only sealed under their PIN). A step a tablet pushes may
-- carry a signature by one of these keys; the server accepts it as the
-- named person's only while the key is theirs and not revoked. Replacing a
-- PIN or deactivating a person revokes their keys (revoked_at_ms), and
-- deletes their sessions.
CREATE TABLE staff_keys (
    id            TEXT    NOT NULL PRIMARY KEY,
    store         TEXT    NOT NULL,
    staff         TEXT    NOT NULL,
    public_key    TEXT    NOT NULL,
    created_at_ms INTEGER NOT NULL,
    revoked_at_ms INTEGER
) STRICT;
CREATE INDEX staff_keys_person ON staff_keys (store, staff);
CREATE INDEX staff_tokens_person ON staff_tokens (store, staff);
