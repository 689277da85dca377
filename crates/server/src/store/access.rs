//! The storage contract: [`Access`], the small set of row operations the
//! server's rules are written against, the rows it reads and writes, the
//! transaction [`Mode`] and the server clock rows are stamped with.
//!
//! Backend-neutral: nothing here names SQLite or PostgreSQL, and nothing
//! here decides what to store (that is the rules' job, e.g. [`crate::sync`]).

use std::time::{SystemTime, UNIX_EPOCH};

use super::error::DbError;

/// One stored event row, as [`Access::insert_event`] writes it.
#[derive(Debug)]
pub struct EventRow<'a> {
    /// The event id (idempotency key).
    pub id: &'a str,
    /// The case the event belongs to.
    pub case_id: &'a str,
    /// The store it was recorded in.
    pub store: &'a str,
    /// The touchpoint it was recorded at.
    pub touchpoint: &'a str,
    /// The recording device.
    pub device: &'a str,
    /// The kind's name.
    pub kind: &'a str,
    /// Device clock, milliseconds.
    pub at_ms: i64,
    /// Server clock of the push, milliseconds.
    pub received_at_ms: i64,
    /// The canonical JSON of the event.
    pub body: &'a str,
}

/// One customer ticket, as [`Access::insert_ticket`] writes it.
#[derive(Debug)]
pub struct TicketRow<'a> {
    /// The filed case.
    pub case_id: &'a str,
    /// Its store.
    pub store: &'a str,
    /// Its customer-facing code.
    pub ticket: &'a str,
    /// SHA-256 of the customer's secret.
    pub secret_hash: &'a str,
    /// The event that filed the case.
    pub filed_event_id: &'a str,
}

/// One store's settings, as [`Access::upsert_store`] writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreRow {
    /// The store id.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// ISO 4217 currency of remedies.
    pub currency: String,
    /// Minutes from filing to acknowledging.
    pub ack_minutes: i64,
    /// Hours from filing to resolving.
    pub resolve_hours: i64,
    /// Days after a resolution to follow up.
    pub follow_up_days: i64,
    /// Random hex made at creation; an upsert never changes it.
    pub contact_salt: String,
    /// The languages its customers read: comma-separated tags, most used first.
    pub languages: String,
    /// Whether its tablets chime for a new complaint.
    pub chime: bool,
    /// Days after a close when a customer's name and contact are erased.
    pub retention_days: i64,
    /// The chain it belongs to (set at creation; an upsert never changes it).
    pub chain: String,
    /// Its shift plan: the core's `ShiftPlan` in JSON (`[]` for none).
    pub shifts: String,
}

impl StoreRow {
    /// Its shift plan (none when the kept text does not read as one).
    pub fn shift_plan(&self) -> recovery_core::ShiftPlan {
        serde_json::from_str(&self.shifts).unwrap_or_default()
    }
}

/// One member of a store's staff as stored: the PIN only as its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRow {
    /// The store.
    pub store: String,
    /// Their id within the store.
    pub id: String,
    /// Their name.
    pub name: String,
    /// `staff` or `manager`.
    pub role: String,
    /// The largest remedy they may give alone, in minor units.
    pub limit_minor: i64,
    /// The PIN hash's salt (hex).
    pub pin_salt: String,
    /// The PIN hash's PBKDF2 rounds.
    pub pin_rounds: i64,
    /// The PIN hash (hex).
    pub pin_hash: String,
    /// Whether they may sign in and appear as the actor of a step.
    pub active: bool,
    /// Failed PIN attempts since the last success.
    pub failures: i64,
    /// When the latest failure happened (server clock, milliseconds).
    pub last_failure_ms: Option<i64>,
}

/// A bearer token's hash and what it grants, as [`Access::insert_staff_token`]
/// writes it.
#[derive(Debug)]
pub struct TokenRow<'a> {
    /// SHA-256 of the token.
    pub hash: &'a str,
    /// The store it reads and writes.
    pub store: &'a str,
    /// A note for people.
    pub label: Option<&'a str>,
    /// The staff member a login made it for; `None` for a device token.
    pub staff: Option<&'a str>,
    /// When it was made.
    pub created_at_ms: i64,
    /// When it stops working; `None` for a device token (never).
    pub expires_at_ms: Option<i64>,
}

/// An alert for a store's staff, once per day and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRow {
    /// The store.
    pub store: String,
    /// The UTC day, `YYYY-MM-DD`.
    pub day: String,
    /// What happened, e.g. `store_events`.
    pub kind: String,
    /// When it was first seen that day (server clock, milliseconds).
    pub at_ms: i64,
}

/// A staff member's registered signing key, as [`Access::insert_staff_key`]
/// writes it and [`Access::staff_key`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRow {
    /// The key id the server gave it.
    pub id: String,
    /// The store.
    pub store: String,
    /// Whose key.
    pub staff: String,
    /// The Ed25519 public key, hex.
    pub public_key: String,
    /// When it was registered.
    pub created_at_ms: i64,
    /// When it was revoked; `None` while it counts.
    pub revoked_at_ms: Option<i64>,
}

/// A bearer token as listed to operators: never the token, only its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// SHA-256 of the token, hex (a prefix of it names the token in commands).
    pub hash: String,
    /// The store it reads and writes.
    pub store: String,
    /// A note for people.
    pub label: Option<String>,
    /// The staff member of a login's session; `None` for a device token.
    pub staff: Option<String>,
    /// When it was made.
    pub created_at_ms: i64,
    /// When it stops working; `None` for never.
    pub expires_at_ms: Option<i64>,
}

/// The SQL operations of the server, one small function each, run inside
/// one transaction. Written once for both backends (see
/// [`super::shared`]); they only read and write rows: every decision about
/// what to store lives in [`crate::sync`].
pub trait Access:
    super::notices::Notices
    + super::forget::Forget
    + super::links::Links
    + super::markers::MarkerRows
    + super::seal_keys::SealKeys
    + super::case_states::CaseStates
    + super::chains::ChainRows
{
    /// The stored body of the event `id`, if any.
    fn event_body(&mut self, id: &str) -> Result<Option<String>, DbError>;
    /// `(store, body)` of every event of `case_id`, in seq order.
    fn case_events(&mut self, case_id: &str) -> Result<Vec<(String, String)>, DbError>;
    /// Inserts an event unless its id exists: its seq, or `None` when the id existed.
    fn insert_event(&mut self, row: &EventRow<'_>) -> Result<Option<i64>, DbError>;
    /// Inserts a ticket, doing nothing on any clash (the first ticket of a
    /// case stays its ticket; a reused secret must not fail the batch).
    fn insert_ticket(&mut self, row: &TicketRow<'_>) -> Result<(), DbError>;
    /// `(seq, body)` of at most `limit` events of `store` after `after`.
    fn store_events(
        &mut self,
        store: &str,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String)>, DbError>;
    /// `(case_id, ticket)` of the ticket whose secret hashes to `hash`.
    fn ticket_by_hash(&mut self, hash: &str) -> Result<Option<(String, String)>, DbError>;
    /// Stores a staff token's hash.
    fn insert_staff_token(&mut self, row: &TokenRow<'_>) -> Result<(), DbError>;
    /// `(store, staff member)` of the staff token whose hash is `hash`, if
    /// it has not expired at `now_ms` and, for a login's token, its staff
    /// member is still active; the member is `None` for a device token.
    fn staff_store(
        &mut self,
        hash: &str,
        now_ms: i64,
    ) -> Result<Option<(String, Option<String>)>, DbError>;
    /// Every token of `store` (of every store for `None`), by store and age.
    fn tokens(&mut self, store: Option<&str>) -> Result<Vec<TokenInfo>, DbError>;
    /// Deletes the token whose hash is `hash`; `false` when there was none.
    fn delete_token(&mut self, hash: &str) -> Result<bool, DbError>;
    /// Registers a signing key.
    fn insert_staff_key(&mut self, row: &KeyRow) -> Result<(), DbError>;
    /// The signing key `id`, revoked or not.
    fn staff_key(&mut self, id: &str) -> Result<Option<KeyRow>, DbError>;
    /// Ends everything a staff member holds: deletes their sessions and
    /// revokes their signing keys at `now_ms`.
    fn end_staff_access(&mut self, store: &str, staff: &str, now_ms: i64) -> Result<(), DbError>;
    /// Sets whether a staff member is active; `false` when there is no such
    /// member.
    fn set_staff_active(&mut self, store: &str, id: &str, active: bool) -> Result<bool, DbError>;
    /// Creates a store or updates its settings (never its contact salt).
    fn upsert_store(&mut self, row: &StoreRow, created_at_ms: i64) -> Result<(), DbError>;
    /// Sets a store's visits on some days (store-local `YYYY-MM-DD`), replacing what they had.
    fn put_visits(&mut self, store: &str, days: &[(String, i64)]) -> Result<(), DbError>;
    /// A store's visits, by day.
    fn visits(&mut self, store: &str) -> Result<Vec<(String, i64)>, DbError>;
    /// Replaces a store's shift plan (JSON); `false` when there is no such store.
    fn set_store_shifts(&mut self, store: &str, shifts: &str) -> Result<bool, DbError>;
    /// A store's settings.
    fn store(&mut self, slug: &str) -> Result<Option<StoreRow>, DbError>;
    /// A store's touchpoints (slug, display name or empty), in display order.
    fn touchpoints(&mut self, store: &str) -> Result<Vec<(String, String)>, DbError>;
    /// Creates a staff member or replaces everything about them.
    fn upsert_staff(&mut self, row: &StaffRow) -> Result<(), DbError>;
    /// One staff member, active or not.
    fn staff(&mut self, store: &str, id: &str) -> Result<Option<StaffRow>, DbError>;
    /// Every staff member of a store, active or not, by id.
    fn roster(&mut self, store: &str) -> Result<Vec<StaffRow>, DbError>;
    /// Sets a staff member's PIN throttle; `false` when there is no such
    /// member.
    fn set_pin_throttle(
        &mut self,
        store: &str,
        id: &str,
        failures: i64,
        last_failure_ms: Option<i64>,
    ) -> Result<bool, DbError>;
    /// Records an alert for a store's staff unless one of that store, day
    /// and kind exists; `false` when it did.
    fn insert_store_alert(&mut self, row: &AlertRow) -> Result<bool, DbError>;
    /// A store's alerts, newest day first.
    fn store_alerts(&mut self, store: &str) -> Result<Vec<AlertRow>, DbError>;
    /// How many filings at `touchpoint` of `store` arrived after `from_ms`, up to and
    /// including `to_ms` (server clock).
    fn filings_between(
        &mut self,
        store: &str,
        touchpoint: &str,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<i64, DbError>;
    /// When the store's first event arrived, if it has any.
    fn first_arrival(&mut self, store: &str) -> Result<Option<i64>, DbError>;
    /// Tells every server instance's live feed, once this transaction commits, that `store`
    /// has news.
    fn announce_news(&mut self, store: &str) -> Result<(), DbError>;
    /// How many migrations are recorded (a real query for health checks).
    fn migration_count(&mut self) -> Result<i64, DbError>;
}

/// Whether a transaction writes, and what. On PostgreSQL a writing
/// transaction first takes the locks that keep each store's seqs committed
/// in the order they were drawn (see `postgres`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Only reads.
    Read,
    /// Writes anything: excludes every other writer, on every instance.
    Write,
    /// Records events of these stores only (a push): excludes other pushes into
    /// any of them and every [`Mode::Write`], not pushes into other stores.
    Push(Vec<String>),
}

/// Milliseconds since the Unix epoch by the server's clock.
pub fn now_ms() -> i64 {
    // A clock before 1970 is a broken machine; 0 is as good a value as any.
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
