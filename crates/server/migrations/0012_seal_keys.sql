-- 0012: the server's sealing key.
--
-- seal_keys: the key pair with which devices seal customers' names and contacts for the server
-- (P-256; `secret` is the private scalar, base64url; see src/seal.rs). One row, `id` 'current',
-- made by whichever instance needs it first; every instance reads the same. Kept for good: a
-- device may hold a seal made with it for days before it reaches the server.
CREATE TABLE seal_keys (
    id            TEXT NOT NULL PRIMARY KEY,
    secret        TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
) STRICT;
