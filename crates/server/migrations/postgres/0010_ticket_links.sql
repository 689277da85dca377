-- 0010: ticket links the server makes.
--
-- ticket_links: more secrets that open a customer's ticket, made by the server for the links in
-- the messages it sends the customer ("how did we do?", "did the fix hold?"): the server never
-- knows the secret the customer's device made, only its hash. Like tickets.secret_hash, only
-- each secret's SHA-256 is kept; the secret itself lives only in the message sent.
CREATE TABLE ticket_links (
    secret_hash   TEXT NOT NULL PRIMARY KEY,
    case_id       TEXT NOT NULL,
    store         TEXT NOT NULL,
    ticket        TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX ticket_links_case ON ticket_links (case_id);
