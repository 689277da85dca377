//! The rules of sync: recording a pushed batch of events exactly once, and
//! reading a store's events after a cursor. Every function here runs inside one database
//! transaction (see [`crate::store::Database::transaction`]) through the
//! backend-neutral [`Access`], so these rules are the same on SQLite and on
//! PostgreSQL; this module knows nothing of HTTP or of SQL dialects.
//!
//! Each pushed event is judged on its own, in a fixed order (shape and
//! seal, authorisation, replay, actor against the roster, payload rules, store,
//! workflow), so one bad event
//! never costs the good ones in its batch; the batch as a whole is one
//! transaction, so an answered push is durable and a failed one left no
//! trace. The workflow rules are the core's (`Event::check`, `fold`): the
//! server never re-implements them.

use std::collections::HashMap;

use recovery_core::api::{PullPage, PulledEvent};
use recovery_core::{
    CaseId, DeviceClock, Event, EventKind, Receipt, RejectReason, Slug, TicketCode, Timestamp,
    TransitionError, fold,
};
use serde_json::Value;
use serde_json::value::RawValue;

use super::sealed::Sealed;
use crate::secrets::{secret_looks_sane, sha256_hex};
use crate::store::{Access, DbError, EventRow, Mode, TicketRow};

/// What a staff credential grants: its store, and who may author its
/// unsigned steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// The store it reads and writes.
    pub store: Slug,
    /// Whose credential it is.
    pub holder: Holder,
}

/// Who holds a staff credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    /// A person's session from a sign-in: authors their own steps only.
    Person(Slug),
    /// A device token (`issue-token`): reads and syncs, and carries signed
    /// steps, but authors no step of its own.
    Device,
    /// The server's own maintenance commands (`seed-demo`), never reachable
    /// over HTTP: authors steps of anyone on the roster.
    Operator,
}

impl Credential {
    /// The credential of a staff token: a login's session when it names a
    /// person, else a device token.
    pub fn of_token(store: Slug, person: Option<Slug>) -> Credential {
        Credential {
            store,
            holder: person.map_or(Holder::Device, Holder::Person),
        }
    }
}

/// What the server said about one pushed event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The event's id: the parsed id, or for a malformed element its `id`
    /// field when that is a string.
    pub id: Option<String>,
    /// Stored, duplicate or rejected (with the reason).
    pub receipt: Receipt,
    /// For a rejection, a human-readable explanation for logs and support.
    pub detail: Option<String>,
    /// The store the event names, when it parsed (for the push's log line).
    pub store: Option<Slug>,
}

impl Outcome {
    fn confirmed(event: &Event, receipt: Receipt) -> Outcome {
        Outcome {
            id: Some(event.id.to_string()),
            receipt,
            detail: None,
            store: Some(event.origin.store.clone()),
        }
    }

    fn refused(event: &Event, reason: RejectReason, detail: String) -> Outcome {
        Outcome {
            id: Some(event.id.to_string()),
            receipt: Receipt::Rejected(reason),
            detail: Some(detail),
            store: Some(event.origin.store.clone()),
        }
    }
}

/// Who may record an event of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    /// Anyone: a customer's device without a credential, or staff.
    Customer,
    /// Staff of the event's store, or the customer holding the case's ticket
    /// secret (sent in the push's `ticket_secrets`).
    TicketHolder,
    /// Only staff of the event's store, and the event's actor must be an
    /// active member of its roster with no more authority than it gives.
    Staff,
    /// Only the server itself (an erasure): refused from every device.
    Server,
}

/// Who may record an event of this kind. Written as an exhaustive `match`
/// on purpose: when a step is added to `EventKind`, this stops compiling
/// until someone decides.
pub fn author(kind: &EventKind) -> Author {
    match kind {
        EventKind::Filed { .. } => Author::Customer,
        EventKind::Rated { .. } | EventKind::Answered { .. } | EventKind::ConsentWithdrawn {} => {
            Author::TicketHolder
        }
        EventKind::Acknowledged { .. }
        | EventKind::Noted { .. }
        | EventKind::Escalated { .. }
        | EventKind::Resolved { .. }
        | EventKind::FollowedUp { .. }
        | EventKind::Contacted { .. }
        | EventKind::Closed { .. } => Author::Staff,
        EventKind::Erased { .. } => Author::Server,
    }
}

/// Whether a customer's device may record an event of this kind without
/// anything but the event (today: filing).
pub fn customer_may_record(kind: &EventKind) -> bool {
    author(kind) == Author::Customer
}

/// The name of an event's kind, as stored in the `kind` column.
pub fn kind_name(kind: &EventKind) -> &'static str {
    kind.name()
}

/// Reads the `ticket_secrets` of a push: keys that are case UUIDs (in any
/// spelling the uuid crate reads) and values of a sane shape. The rest is
/// dropped, since a bad entry only means that customer cannot read their
/// ticket online, which must not cost the events.
pub fn ticket_secrets(raw: HashMap<String, String>) -> HashMap<CaseId, String> {
    raw.into_iter()
        .filter(|(_, secret)| secret_looks_sane(secret))
        .filter_map(|(case, secret)| {
            let case = uuid::Uuid::parse_str(&case).ok()?;
            Some((CaseId(case), secret))
        })
        .collect()
}

/// The transaction a push of `events` runs in: one that locks the stores they
/// name ([`Mode::Push`]), or, when one names no store that can be read (it will be
/// refused), one that excludes every writer.
pub fn push_mode(events: &[Value]) -> Mode {
    let mut stores = Vec::new();
    for value in events {
        let store = value
            .pointer("/origin/store")
            .and_then(Value::as_str)
            .filter(|store| Slug::parse(store).is_ok());
        match store {
            Some(store) => stores.push(store.to_owned()),
            None => return Mode::Write,
        }
    }
    Mode::Push(stores)
}

/// What a push carries besides its events, and when.
#[derive(Default)]
pub struct Carried {
    /// The customers' ticket secrets, by case (see [`ticket_secrets`]).
    pub secrets: HashMap<CaseId, String>,
    /// The customers' sealed names and contacts, by event.
    pub sealed: Sealed,
    /// The server's clock for the whole batch.
    pub received_at_ms: i64,
    /// The pushing device's clock when it sent it (if it said).
    pub device_clock_ms: Option<i64>,
}

/// Records a batch of events and returns one outcome per element, in order.
/// Run it in one transaction of [`push_mode`], so the batch is judged against
/// a history nobody else changes meanwhile. `staff` is what
/// the pusher's staff token grants, or `None` for a customer device.
///
/// Only a database failure is an error; it rolls the whole batch back.
pub fn push(
    db: &mut dyn Access,
    staff: Option<&Credential>,
    events: Vec<Value>,
    carried: &Carried,
) -> Result<Vec<Outcome>, DbError> {
    let mut outcomes = Vec::with_capacity(events.len());
    let mut listeners = super::notify::Listeners::default();
    for value in events {
        outcomes.push(record(db, staff, value, carried, &mut listeners)?);
    }
    for store in stores_with_news(&outcomes) {
        db.announce_news(store)?;
    }
    Ok(outcomes)
}

/// The stores in which a push stored at least one event, each once: whose tablets have news.
pub fn stores_with_news(outcomes: &[Outcome]) -> Vec<&str> {
    let mut stores: Vec<&str> = outcomes
        .iter()
        .filter(|outcome| outcome.receipt == Receipt::Stored)
        .filter_map(|outcome| outcome.store.as_ref().map(Slug::as_str))
        .collect();
    stores.sort_unstable();
    stores.dedup();
    stores
}

fn record(
    db: &mut dyn Access,
    staff: Option<&Credential>,
    value: Value,
    carried: &Carried,
    listeners: &mut super::notify::Listeners,
) -> Result<Outcome, DbError> {
    use RejectReason::{Conflict, Forbidden, Invalid, Malformed};
    let Carried {
        secrets,
        sealed,
        received_at_ms,
        device_clock_ms,
    } = carried;
    let (received_at_ms, device_clock_ms) = (*received_at_ms, *device_clock_ms);

    // 1. Shape.
    let raw_id = value.get("id").and_then(Value::as_str).map(str::to_owned);
    let mut event: Event = match serde_json::from_value(value) {
        Ok(event) => event,
        Err(err) => {
            return Ok(Outcome {
                id: raw_id,
                receipt: Receipt::Rejected(Malformed),
                detail: Some(err.to_string()),
                store: None,
            });
        }
    };
    // The customer's name and contact, when the device sent them sealed.
    match sealed.open_into(&mut event) {
        Ok(None) => {}
        Ok(Some(why)) => tracing::warn!(
            event = %event.id,
            "a sealed name and contact did not open ({why}); the filing goes on without them"
        ),
        Err((reason, detail)) => return Ok(Outcome::refused(&event, reason, detail)),
    }
    let id = event.id.to_string();
    let reject = |reason, detail: String| Ok(Outcome::refused(&event, reason, detail));

    // 2. Authorisation: the token's store, then what the kind needs.
    if let Some(Credential { store, .. }) = staff
        && *store != event.origin.store
    {
        return reject(
            Forbidden,
            format!(
                "this token records events of store '{store}', not '{}'",
                event.origin.store
            ),
        );
    }
    match (author(&event.kind), staff) {
        (Author::Customer, _) | (Author::TicketHolder, Some(_)) => {}
        (Author::Server, _) => {
            return reject(
                Forbidden,
                format!(
                    "only the server records an '{}' event",
                    kind_name(&event.kind)
                ),
            );
        }
        (Author::Staff, None) => {
            return reject(
                Forbidden,
                format!("a '{}' event needs a staff token", kind_name(&event.kind)),
            );
        }
        // The actor is checked after the replay check (below).
        (Author::Staff, Some(_)) => {}
        (Author::TicketHolder, None) => {
            let holds = match secrets.get(&event.case) {
                Some(secret) => db.opens_ticket(&event.case.to_string(), &sha256_hex(secret))?,
                None => false,
            };
            if !holds {
                return reject(
                    Forbidden,
                    format!(
                        "a '{}' event needs a staff token or the case's ticket secret",
                        kind_name(&event.kind)
                    ),
                );
            }
        }
    }

    // 3. Replay: the id is the idempotency key; the canonical JSON is what
    // "the same event" means, so key order or spacing of the device's JSON
    // never turns a replay into a conflict. The clock notes are left out: the
    // server adds them on arrival (step 6).
    let Ok(content) = content_of(&event) else {
        return reject(Malformed, "the event cannot be written as JSON".into());
    };
    // A filing the server has since erased the customer's name and contact from (`erase`)
    // is still the same filing when a device sends it again.
    let erased_copy = || {
        let mut copy = event.clone();
        if let EventKind::Filed { complaint, .. } = &mut copy.kind {
            complaint.forget_customer();
        }
        content_of(&copy).ok()
    };
    let replay = |stored: String| {
        let same = stored_event(&stored)
            .ok()
            .and_then(|s| content_of(&s).ok())
            .is_some_and(|s| s == content || Some(&s) == erased_copy().as_ref());
        if same {
            Ok(Outcome::confirmed(&event, Receipt::Duplicate))
        } else {
            reject(
                Conflict,
                "an event with this id was stored with different content".into(),
            )
        }
    };
    if let Some(stored) = db.event_body(&id)? {
        return replay(stored);
    }

    // 3b. The step's actor: the person who really took it (their session,
    // or their signature), then by the step's own claim against the roster,
    // so a device cannot give itself a role or a limit. After the replay
    // check: a step stored once stays a duplicate even if its actor has left
    // since.
    if let (Some(credential), Some(actor)) = (staff, event.kind.actor()) {
        if let Err(detail) = super::staff::check_author(db, credential, &event, actor)? {
            return reject(Forbidden, detail);
        }
        if let Err(detail) = super::staff::check_actor(db, &credential.store, actor)? {
            return reject(Forbidden, detail);
        }
    }

    // 4. Payload rules.
    if let Err(err) = event.check() {
        return reject(Invalid, err.to_string());
    }

    // 4b. Place: a filing only into a store that exists, at one of its
    // registered touchpoints, so nobody can fill the database with stores
    // and places that nobody set up.
    if let EventKind::Filed { .. } = event.kind {
        let store = event.origin.store.as_str();
        if db.store(store)?.is_none() {
            return reject(Forbidden, format!("there is no store '{store}'"));
        }
        let touchpoint = event.origin.touchpoint.as_str();
        if !db.touchpoints(store)?.iter().any(|(t, _)| t == touchpoint) {
            return reject(
                Forbidden,
                format!("store '{store}' has no touchpoint '{touchpoint}'"),
            );
        }
    }

    // 5. Store: a case belongs to the store it was filed in, for good.
    let case_id = event.case.to_string();
    let mut history = Vec::new();
    let stored_bodies = db.case_events(&case_id)?;
    for (store, stored) in &stored_bodies {
        if store != event.origin.store.as_str() {
            return reject(
                Forbidden,
                format!(
                    "this case belongs to another store than '{}'",
                    event.origin.store
                ),
            );
        }
        history.push(stored_event(stored)?);
    }

    // 6. Workflow, in corrected time: the device's clock as the server's
    // would have said (see `Event::time`). The server notes when the event
    // arrived and, for a device that had not learnt its skew yet, the skew it
    // measured from the clock sent with the push (never on a signed step: the
    // signature covers the skew its tablet stamped).
    let mut noted = event.clone();
    let clock = noted.clock.get_or_insert_with(DeviceClock::default);
    if clock.skew_ms.is_none() && noted.proof.is_none() {
        clock.skew_ms = device_clock_ms.map(|sent| received_at_ms.saturating_sub(sent));
    }
    clock.received_at = Some(Timestamp(received_at_ms));
    let Ok(body) = serde_json::to_string(&noted) else {
        return reject(Malformed, "the event cannot be written as JSON".into());
    };
    let case = match fold(history.iter().chain([&noted])) {
        Ok(Some(case)) => case,
        Ok(None) => return reject(Invalid, "the case has no events".into()),
        Err(err) => return reject(refusal(&err), format!("{}: {err}", err.key())),
    };

    // 7. Record. The UNIQUE id has the last word: if another writer stored
    // this id after step 3 (impossible while writes are serialised, but
    // the schema does not rely on that), this is a replay after all.
    let device = event.origin.device.to_string();
    let inserted = db.insert_event(&EventRow {
        id: &id,
        case_id: &case_id,
        store: event.origin.store.as_str(),
        touchpoint: event.origin.touchpoint.as_str(),
        device: &device,
        kind: kind_name(&event.kind),
        at_ms: event.at.0,
        received_at_ms,
        body: &body,
    })?;
    let Some(seq) = inserted else {
        let stored = db
            .event_body(&id)?
            .ok_or_else(|| DbError::Corrupt(format!("event {id} vanished after a clash")))?;
        return replay(stored);
    };
    // The case's state in the read model, from the same fold.
    let bodies = stored_bodies.iter().map(|(_, b)| b.as_str());
    let events = history.iter().chain([&noted]);
    super::cases::write(db, &case, events, seq, bodies.chain([body.as_str()]))?;
    if let EventKind::Filed { .. } = event.kind
        && let Some(secret) = secrets.get(&event.case)
    {
        db.insert_ticket(&TicketRow {
            case_id: &case_id,
            store: event.origin.store.as_str(),
            ticket: TicketCode::from_case(event.case).as_str(),
            secret_hash: &sha256_hex(secret),
            filed_event_id: &id,
        })?;
    }
    // 8. Who must hear of it outside the tablets: in the same transaction, so the messages
    // exist exactly when the event does.
    super::notify::plan(db, listeners, &case, &noted)?;
    Ok(Outcome::confirmed(&event, Receipt::Stored))
}

/// How a push reports a step the workflow refuses.
fn refusal(err: &TransitionError) -> RejectReason {
    use RejectReason::{AlreadyFiled, Invalid, NotFiled, Refused};
    match err {
        TransitionError::AlreadyFiled { .. } => AlreadyFiled,
        TransitionError::NotFiled { .. } => NotFiled,
        TransitionError::InvalidEvent(_) => Invalid,
        TransitionError::WrongCase { .. }
        | TransitionError::OutOfOrder { .. }
        | TransitionError::AlreadyEscalated
        | TransitionError::NeedsManager
        | TransitionError::AboveAuthority { .. }
        | TransitionError::NoConsent
        | TransitionError::FollowUpInPast
        | TransitionError::NoFollowUp => Refused,
    }
}

/// What makes two pushes of one id the same event: its canonical JSON without
/// the clock notes.
fn content_of(event: &Event) -> Result<String, serde_json::Error> {
    let mut bare = event.clone();
    bare.clock = None;
    serde_json::to_string(&bare)
}

/// Reads a stored event body; a body that is not an event (a hand-edited or
/// corrupt row) is a database error rather than something to skip silently.
pub(crate) fn stored_event(body: &str) -> Result<Event, DbError> {
    serde_json::from_str(body).map_err(|err| DbError::Corrupt(format!("stored event: {err}")))
}

/// The events of `store` with a seq greater than `after`, at most `limit`
/// of them, oldest first, as the page a pull answers. The stored bodies are
/// already the events' JSON: they pass through, not parsed and re-encoded.
pub fn pull(
    db: &mut dyn Access,
    store: &Slug,
    after: i64,
    limit: usize,
) -> Result<PullPage<Box<RawValue>>, DbError> {
    // One row more than asked tells whether there is more, without a count.
    let fetch = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
    let mut events = Vec::new();
    for (seq, body) in db.store_events(store.as_str(), after, fetch)? {
        let event = RawValue::from_string(body)
            .map_err(|err| DbError::Corrupt(format!("stored event {seq}: {err}")))?;
        events.push(PulledEvent { seq, event });
    }
    let more = events.len() > limit;
    events.truncate(limit);
    let next = events.last().map_or(after, |pulled| pulled.seq);
    // The server's clock is the handler's to add, as it answers.
    Ok(PullPage {
        events,
        next,
        more,
        now: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customers_may_file_and_ticket_holders_rate() {
        let event = recovery_core::testing::filed_event(1, 2, 3, "the card was charged twice");
        assert!(customer_may_record(&event.kind));
        assert_eq!(kind_name(&event.kind), "filed");
        let rated = EventKind::Rated {
            stars: 5,
            comment: String::new(),
        };
        assert_eq!(author(&rated), Author::TicketHolder);
        assert!(!customer_may_record(&rated));
        let noted = EventKind::Noted {
            by: recovery_core::Actor {
                staff: Slug::parse("ana").unwrap(),
                role: recovery_core::Role::Staff,
                limit_minor: 0,
            },
            note: "x".into(),
        };
        assert_eq!(author(&noted), Author::Staff);
    }

    #[test]
    fn a_push_locks_the_stores_its_events_name_or_every_writer() {
        let filed = |n: u128, store: &str| {
            let mut value =
                serde_json::to_value(recovery_core::testing::filed_event(n, n, 3, "late")).unwrap();
            value["origin"]["store"] = Value::from(store);
            value
        };
        assert_eq!(
            push_mode(&[filed(1, "demo"), filed(2, "other"), filed(3, "demo")]),
            Mode::Push(vec!["demo".into(), "other".into(), "demo".into()])
        );
        assert_eq!(push_mode(&[]), Mode::Push(Vec::new()));
        // An event naming no store that can be read will be refused; until then, nobody
        // else writes.
        for odd in [
            filed(4, "Not A Slug"),
            Value::from(7),
            serde_json::json!({"origin": 1}),
        ] {
            assert_eq!(push_mode(&[filed(1, "demo"), odd]), Mode::Write);
        }
    }

    #[test]
    fn only_sane_secrets_for_real_case_ids_are_kept() {
        let case = "00000000-0000-0000-0000-000000000002";
        let raw = HashMap::from([
            (case.to_owned(), "abcdefghijklmnop".to_owned()),
            ("not-a-uuid".to_owned(), "abcdefghijklmnop".to_owned()),
            (
                "00000000-0000-0000-0000-000000000003".to_owned(),
                "short".to_owned(),
            ),
        ]);
        let kept = ticket_secrets(raw);
        assert_eq!(kept.len(), 1);
        assert_eq!(
            kept.get(&CaseId(uuid::Uuid::from_u128(2)))
                .map(String::as_str),
            Some("abcdefghijklmnop")
        );
    }
}
