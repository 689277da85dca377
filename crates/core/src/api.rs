//! The sync API's wire types, defined once: what the server sends and reads on `/api/v1`
//! and what the three apps send and read. The JSON these types make is the contract that
//! `openapi.json` documents; the server's handlers and the clients both use them, so the two
//! sides cannot drift apart.
//!
//! Plain data with serde derives and nothing else: no HTTP, no I/O, no validation beyond what
//! the types say (the rules live in the server and in the rest of the core). Changing a field
//! here changes the wire format for every device in the field: add optional fields, never
//! rename or remove one.

use std::collections::HashMap;

use serde::de::Deserializer;
use serde::{Deserialize, Serialize, Serializer};

use crate::case::{Case, Status};
use crate::complaint::{Category, Complaint};
use crate::event::{Event, Remedy};
use crate::ids::{Slug, Timestamp};
use crate::staff::{StaffMember, StoreProfile};
use crate::sync::{Receipt, RejectReason};

pub mod admin;

/// Path of the push endpoint.
pub const EVENTS_URL: &str = "/api/v1/events";
/// Header carrying a customer's ticket secret; a header rather than a query parameter so the
/// secret never lands in access logs or browser history.
pub const TICKET_SECRET_HEADER: &str = "x-ticket-secret";

/// Where a store's staff pull its events after `after`, at most `limit` of them.
pub fn pull_url(store: &Slug, after: i64, limit: usize) -> String {
    [
        "/api/v1/stores/",
        store.as_str(),
        "/events?limit=",
        &limit.to_string(),
        "&after=",
        &after.to_string(),
    ]
    .concat()
}

/// Which of a store's cases a page of case states holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// Every case.
    All,
    /// The cases in the store's queue ([`crate::queue::in_queue`]): what a tablet signing in
    /// reads first, so that its queue shows before the store's history.
    Queue,
    /// Every case but those in the queue whose seq is at most this: what a tablet that read
    /// the queue's part to its end, where the last page said `next` is this, still lacks. A
    /// case that changes meanwhile gets a seq above it, so none falls between the two parts.
    Rest(i64),
}

/// Where a store's staff read the states of its cases (the server's read model) in `part`
/// whose latest event has a seq after `after`, at most `limit` of them: how a tablet with
/// nothing signs in.
pub fn cases_url(store: &Slug, part: Part, after: i64, limit: usize) -> String {
    let part = match part {
        Part::All => String::new(),
        Part::Queue => "&part=queue".into(),
        Part::Rest(read_to) => ["&part=rest&queue_read_to=", &read_to.to_string()].concat(),
    };
    [
        "/api/v1/stores/",
        store.as_str(),
        "/cases?limit=",
        &limit.to_string(),
        "&after=",
        &after.to_string(),
        &part,
    ]
    .concat()
}

/// Where a store's staff sign in with a PIN.
pub fn login_url(store: &Slug) -> String {
    ["/api/v1/stores/", store.as_str(), "/staff/login"].concat()
}

/// Where a store's staff read its settings and roster.
pub fn profile_url(store: &Slug) -> String {
    ["/api/v1/stores/", store.as_str(), "/profile"].concat()
}

/// Where a customer's page reads what the store promises (no credential).
pub fn promise_url(store: &Slug) -> String {
    ["/api/v1/stores/", store.as_str(), "/promise"].concat()
}

/// Where a customer reads their ticket (with [`TICKET_SECRET_HEADER`]).
pub fn ticket_url(code: &str) -> String {
    ["/api/v1/tickets/", code].concat()
}

/// The body of `POST /api/v1/events`: a batch of events and, for cases filed or rated by a
/// customer's device, the case's ticket secret.
///
/// `E` is how the events are held: a client sends [`Event`]s; the server reads each element
/// as raw JSON, so that one bad element costs a rejected receipt instead of the whole batch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushRequest<E = Event> {
    /// The events, oldest first; at most [`crate::sync::MAX_BATCH_EVENTS`].
    pub events: Vec<E>,
    /// Case UUID to the customer's ticket secret (16 to 128 base64url characters); only its
    /// SHA-256 is stored. Left out when there are none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_secrets: Option<HashMap<String, String>>,
    /// The device's clock when it sent the push (ms since the epoch): the server measures the
    /// device's skew from it, for events whose device had not learnt it (see
    /// [`crate::DeviceClock`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<i64>,
    /// Event UUID to the customer's name, contact and consent of that filing, sealed for the
    /// server (see [`Promise::seal_key`]): a device that must not keep them readable (a shared
    /// kiosk) stores and sends the filing without them, and the server opens the seal before
    /// anything else reads the event. Left out when there are none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed: Option<HashMap<String, String>>,
}

/// The status of one pushed event, as it travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PushStatus {
    /// Stored now.
    Stored,
    /// Stored before: the push was a replay.
    Duplicate,
    /// Refused; see the reason.
    Rejected,
}

/// The server's word on one pushed event: `{"id","status","reason"?,"detail"?}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResult {
    /// The event's id; for a malformed element its `id` field when that is a string, else
    /// `null`.
    #[serde(default)]
    pub id: Option<String>,
    /// Stored, duplicate or rejected.
    pub status: PushStatus,
    /// Why, only when rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<RejectReason>,
    /// Only when rejected: an explanation for logs and support. For a workflow refusal it
    /// starts with the refusal's translation key and a colon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl PushResult {
    /// The result of an event with this id and receipt (and, for a rejection, detail).
    pub fn new(id: Option<String>, receipt: Receipt, detail: Option<String>) -> PushResult {
        let (status, reason) = match receipt {
            Receipt::Stored => (PushStatus::Stored, None),
            Receipt::Duplicate => (PushStatus::Duplicate, None),
            Receipt::Rejected(reason) => (PushStatus::Rejected, Some(reason)),
        };
        PushResult {
            id,
            status,
            reason,
            detail,
        }
    }

    /// The receipt this result stands for; a rejection without a reason is
    /// [`RejectReason::Unprocessable`].
    pub fn receipt(&self) -> Receipt {
        match self.status {
            PushStatus::Stored => Receipt::Stored,
            PushStatus::Duplicate => Receipt::Duplicate,
            PushStatus::Rejected => {
                Receipt::Rejected(self.reason.unwrap_or(RejectReason::Unprocessable))
            }
        }
    }
}

/// The answer to a push: one result per event, in the order sent, after the batch is stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    /// One per pushed element, in order.
    pub results: Vec<PushResult>,
}

/// A reject reason travels as its code (`"already_filed"`...).
impl Serialize for RejectReason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// An unknown code (from a newer server) reads as [`RejectReason::Unprocessable`], so a
/// device still shows the event as needing attention.
impl<'de> Deserialize<'de> for RejectReason {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Ok(RejectReason::from_code(&code))
    }
}

/// One event of a pull page, with its place in the store's stream.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PulledEvent<E = Event> {
    /// The server's sequence number; increases with each stored event.
    pub seq: i64,
    /// The event. The server passes stored JSON through unparsed; a client may read each
    /// one on its own, so an event its build does not understand is skipped, not fatal.
    pub event: E,
}

/// The answer to `GET /api/v1/stores/{store}/events?after=&limit=`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PullPage<E = Event> {
    /// Events with a seq above `after`, oldest first.
    pub events: Vec<PulledEvent<E>>,
    /// The seq of the last event returned, or `after` when none: the next call's `after`.
    pub next: i64,
    /// Whether more events follow.
    pub more: bool,
    /// The server's clock when it answered (ms since the epoch), from which a tablet learns its
    /// skew; 0 from servers before it was sent.
    #[serde(default)]
    pub now: i64,
}

/// One case as the server's read model keeps it: its state folded from its events, the events
/// themselves, and the store's seq of the latest of them. The server writes it in the same
/// transaction as the event that changed it, with the core's fold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseState<E = Event> {
    /// The seq of the case's latest event in its store's stream.
    pub seq: i64,
    /// The case folded from `events`.
    pub case: Case,
    /// Its events, in the order the server stored them.
    pub events: Vec<E>,
}

/// The answer to `GET /api/v1/stores/{store}/cases?after=&limit=`: case states by the seq of
/// their latest event. A case changed while a tablet reads the pages moves to a later page, so
/// a tablet that reads until `more` is false holds every case as of `next`, and follows the
/// store's events from there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CasePage<C = CaseState> {
    /// Case states whose seq is above `after`, by seq.
    pub cases: Vec<C>,
    /// The seq of the last case returned, or `after` when none: the next call's `after`, and
    /// at the end the cursor from which to pull events.
    pub next: i64,
    /// Whether more follow.
    pub more: bool,
    /// The server's clock when it answered (ms since the epoch).
    pub now: i64,
}

/// The body of `POST /api/v1/stores/{store}/staff/login`. Its `Debug` never shows the PIN.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    /// The staff member's id in the store (a slug; anything else is nobody).
    pub staff: String,
    /// Their PIN, digits.
    pub pin: String,
    /// The public half of a personal signing key the tablet made for this person (Ed25519,
    /// hex), for the server to register: steps they then sign are accepted as theirs, offline
    /// too (see `proof`). Absent from clients that sign nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest")
            .field("staff", &self.staff)
            .field("pin", &"<hidden>")
            .finish()
    }
}

/// The answer to a successful sign-in: a session token and what the device needs to work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Bearer token for this store's staff endpoints (only its hash is stored).
    pub token: String,
    /// Who signed in.
    pub staff: StaffMember,
    /// The store's settings.
    pub profile: StoreProfile,
    /// Its active staff.
    pub roster: Vec<StaffMember>,
    /// The id the server registered the sign-in's signing key under (when one was sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
}

/// The answer to `GET /api/v1/stores/{store}/profile`: the store's settings and active staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// The store's settings.
    pub profile: StoreProfile,
    /// Its active staff, by id.
    pub roster: Vec<StaffMember>,
}

/// The answer to `GET /api/v1/stores/{store}/promise`: what the store promises every customer,
/// for their acknowledgement (public, like the store's stickers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promise {
    /// Minutes from filing to a person acknowledging the complaint (the store's own target).
    pub acknowledge_within_minutes: u32,
    /// The server's public key for sealing a customer's name and contact (P-256, the raw
    /// uncompressed point in base64url): a device seals them with it (ECDH with a key of its
    /// own for each seal, HKDF-SHA256, AES-256-GCM bound to the event's id) so that what it
    /// stores is readable by the server only. See `docs/security.md`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_key: Option<String>,
}

/// One step of a customer's timeline: what and when, never who.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketStep {
    /// The step (the event's type name: `filed`, `acknowledged`...).
    pub step: String,
    /// When.
    pub at: Timestamp,
}

/// What was given to put it right, as the customer sees it (not who decided).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketResolution {
    /// What was given.
    pub remedy: Remedy,
    /// Its value in the store currency's minor units.
    pub value_minor: u32,
    /// The little extra, in staff's words; may be empty.
    pub gesture: String,
    /// When.
    pub at: Timestamp,
}

/// The customer's rating of the latest resolution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketRating {
    /// 1 to 5.
    pub stars: u8,
    /// Their comment; may be empty.
    pub comment: String,
}

/// The answer to `GET /api/v1/tickets/{code}`: a case as its customer may see it. Where it
/// stands, their own complaint, the steps and their times, what was given, why it happened
/// in the words meant for them, and their rating. Never notes, escalation reasons, staff ids,
/// sub-causes, people or departments: this type has no field that could hold them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketView {
    /// The ticket code.
    pub ticket: String,
    /// The store id.
    pub store: Slug,
    /// The store's name, when the server knows the store.
    pub store_name: Option<String>,
    /// ISO 4217 currency of the resolution's value, likewise.
    pub currency: Option<String>,
    /// Where the case stands.
    pub status: Status,
    /// When it was filed (on the customer's device).
    pub filed_at: Timestamp,
    /// When it was first acknowledged.
    pub acknowledged_at: Option<Timestamp>,
    /// When it was first resolved.
    pub resolved_at: Option<Timestamp>,
    /// When it was closed, while it is.
    pub closed_at: Option<Timestamp>,
    /// When the store will ask whether the fix held.
    pub follow_up_at: Option<Timestamp>,
    /// Where it was filed.
    pub touchpoint: Slug,
    /// That place's display name ("Checkout 2"), when the store gave it one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// What went wrong.
    pub category: Category,
    /// The customer's own complaint.
    pub complaint: Complaint,
    /// Every step, oldest first.
    pub timeline: Vec<TicketStep>,
    /// The latest resolution.
    pub resolution: Option<TicketResolution>,
    /// Why it happened, as explained to the customer.
    pub explanation: Option<String>,
    /// The customer's rating of the latest resolution.
    pub rating: Option<TicketRating>,
}

impl TicketView {
    /// The time of the case's latest step.
    pub fn last_at(&self) -> Timestamp {
        self.timeline
            .iter()
            .map(|s| s.at)
            .fold(self.filed_at, Timestamp::max)
    }
}

/// The body of every API error: `{"error":"<code>"}`, with `detail` for a bad request, `max`
/// for too many events and `retry_after` (seconds) when rate limited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// What went wrong, a snake_case code (`unauthorized`, `bad_request`, `rate_limited`...).
    pub error: String,
    /// For `bad_request`: what was wrong with the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// For `too_many_events`: the most events one push may carry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<usize>,
    /// For `rate_limited`: seconds until the caller may try again (also `Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl ErrorBody {
    /// An error with only its code.
    pub fn code(error: &str) -> ErrorBody {
        ErrorBody {
            error: error.to_owned(),
            detail: None,
            max: None,
            retry_after: None,
        }
    }
}

/// Where a store's signed-in tablets hear that it has news (server-sent events).
pub fn stream_url(store: &Slug) -> String {
    ["/api/v1/stores/", store.as_str(), "/stream"].concat()
}

/// Where a store's staff read its alerts (`StoreAlerts`).
pub fn alerts_url(store: &Slug) -> String {
    ["/api/v1/stores/", store.as_str(), "/alerts"].concat()
}

/// Where a store's markers for changes are read and marked (with a staff token); one of them
/// is removed at `<this>/<id>`.
pub fn markers_url(store: &Slug) -> String {
    ["/api/v1/stores/", store.as_str(), "/markers"].concat()
}

/// The answer to `GET /api/v1/stores/{store}/alerts`: what the store's staff should know that
/// no event tells them, newest day first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreAlerts {
    /// The alerts.
    pub alerts: Vec<StoreAlert>,
}

/// One alert of a store, once per day and kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreAlert {
    /// The UTC day, `YYYY-MM-DD`.
    pub day: String,
    /// What happened: `store_events` or `store_bytes` (the public went over the store's daily
    /// budget of events or of bytes; further filings from the public waited).
    pub kind: String,
    /// When it was first seen that day (server clock, epoch milliseconds).
    pub at_ms: i64,
}

/// The answer to `GET /api/v1/health`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `ok`, or `degraded` when the database does not answer.
    pub status: String,
    /// `ok` or `unavailable`.
    pub database: String,
    /// The server's version.
    pub version: String,
}

#[cfg(test)]
mod tests;
