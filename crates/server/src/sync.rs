//! The storage side of sync: recording a pushed batch of events exactly
//! once, reading a store's events after a cursor, and reading one
//! customer's ticket. Every function here runs inside one database
//! transaction (see [`crate::db::Database::transaction`]) through the
//! backend-neutral [`Access`], so these rules are the same on SQLite and on
//! PostgreSQL; this module knows nothing of HTTP or of SQL dialects.
//!
//! Each pushed event is judged on its own, in a fixed order (shape,
//! authorisation, replay, payload rules, store, workflow), so one bad event
//! never costs the good ones in its batch; the batch as a whole is one
//! transaction, so an answered push is durable and a failed one left no
//! trace. The workflow rules are the core's (`Event::check`, `fold`): the
//! server never re-implements them.

use std::collections::HashMap;

use recovery_core::{
    CaseId, Event, EventKind, Receipt, RejectReason, Slug, TicketCode, TransitionError, fold,
};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::db::{Access, DbError, EventRow, TicketRow};
use crate::secrets::{secret_looks_sane, sha256_hex};

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

/// Whether a customer's device (a push without a staff token) may record an
/// event of this kind. Written as an exhaustive `match` on purpose: when
/// staff steps are added to `EventKind`, this stops compiling until someone
/// decides, and they must answer `false` for them.
pub fn customer_may_record(kind: &EventKind) -> bool {
    match kind {
        EventKind::Filed { .. } => true,
        EventKind::Acknowledged { .. }
        | EventKind::Noted { .. }
        | EventKind::Escalated { .. }
        | EventKind::Resolved { .. }
        | EventKind::Rated { .. }
        | EventKind::FollowedUp { .. }
        | EventKind::Closed { .. } => false,
    }
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

/// Records a batch of events and returns one outcome per element, in order.
/// Run it in one [`crate::db::Mode::Write`] transaction, so the batch is
/// judged against a history nobody else changes meanwhile. `staff` is the
/// store of the pusher's staff token, or `None` for a customer device.
/// `received_at_ms` is the server's clock for the whole batch.
///
/// Only a database failure is an error; it rolls the whole batch back.
pub fn push(
    db: &mut dyn Access,
    staff: Option<&Slug>,
    events: Vec<Value>,
    secrets: &HashMap<CaseId, String>,
    received_at_ms: i64,
) -> Result<Vec<Outcome>, DbError> {
    let mut outcomes = Vec::with_capacity(events.len());
    for value in events {
        outcomes.push(record(db, staff, value, secrets, received_at_ms)?);
    }
    Ok(outcomes)
}

fn record(
    db: &mut dyn Access,
    staff: Option<&Slug>,
    value: Value,
    secrets: &HashMap<CaseId, String>,
    received_at_ms: i64,
) -> Result<Outcome, DbError> {
    use RejectReason::{AlreadyFiled, Conflict, Forbidden, Invalid, Malformed, NotFiled, Refused};

    // 1. Shape.
    let raw_id = value.get("id").and_then(Value::as_str).map(str::to_owned);
    let event: Event = match serde_json::from_value(value) {
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
    let id = event.id.to_string();
    let reject = |reason, detail: String| Ok(Outcome::refused(&event, reason, detail));

    // 2. Authorisation.
    match staff {
        None if !customer_may_record(&event.kind) => {
            return reject(
                Forbidden,
                format!("a '{}' event needs a staff token", kind_name(&event.kind)),
            );
        }
        Some(store) if *store != event.origin.store => {
            return reject(
                Forbidden,
                format!(
                    "this token records events of store '{store}', not '{}'",
                    event.origin.store
                ),
            );
        }
        _ => {}
    }

    // 3. Replay: the id is the idempotency key; the canonical JSON is what
    // "the same event" means, so key order or spacing of the device's JSON
    // never turns a replay into a conflict.
    let Ok(body) = serde_json::to_string(&event) else {
        return reject(Malformed, "the event cannot be written as JSON".into());
    };
    let replay = |stored: String| {
        if stored == body {
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

    // 4. Payload rules.
    if let Err(err) = event.check() {
        return reject(Invalid, err.to_string());
    }

    // 5. Store: a case belongs to the store it was filed in, for good.
    let case_id = event.case.to_string();
    let mut history = Vec::new();
    for (store, stored) in db.case_events(&case_id)? {
        if store != event.origin.store.as_str() {
            return reject(
                Forbidden,
                format!(
                    "this case belongs to another store than '{}'",
                    event.origin.store
                ),
            );
        }
        history.push(stored_event(&stored)?);
    }

    // 6. Workflow.
    if let Err(err) = fold(history.iter().chain([&event])) {
        let reason = match err {
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
        };
        return reject(reason, err.to_string());
    }

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
    if !inserted {
        let stored = db
            .event_body(&id)?
            .ok_or_else(|| DbError::Corrupt(format!("event {id} vanished after a clash")))?;
        return replay(stored);
    }
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
    Ok(Outcome::confirmed(&event, Receipt::Stored))
}

/// Reads a stored event body; a body that is not an event (a hand-edited or
/// corrupt row) is a database error rather than something to skip silently.
fn stored_event(body: &str) -> Result<Event, DbError> {
    serde_json::from_str(body).map_err(|err| DbError::Corrupt(format!("stored event: {err}")))
}

/// One page of a store's events.
#[derive(Debug)]
pub struct Page {
    /// `(seq, event JSON)` in ascending seq.
    pub events: Vec<(i64, Box<RawValue>)>,
    /// Whether more events follow the last one.
    pub more: bool,
}

/// The events of `store` with a seq greater than `after`, at most `limit`
/// of them, oldest first.
pub fn pull(db: &mut dyn Access, store: &Slug, after: i64, limit: usize) -> Result<Page, DbError> {
    // One row more than asked tells whether there is more, without a count.
    let fetch = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
    let mut events = Vec::new();
    for (seq, body) in db.store_events(store.as_str(), after, fetch)? {
        let json = RawValue::from_string(body)
            .map_err(|err| DbError::Corrupt(format!("stored event {seq}: {err}")))?;
        events.push((seq, json));
    }
    let more = events.len() > limit;
    events.truncate(limit);
    Ok(Page { events, more })
}

/// A customer's ticket, found by the hash of its secret.
#[derive(Debug)]
pub struct Ticket {
    /// The ticket code stored with it.
    pub code: String,
    /// The case's events, in arrival order.
    pub events: Vec<Event>,
}

/// The ticket whose secret hashes to `secret_hash`, with its case's events.
pub fn ticket(db: &mut dyn Access, secret_hash: &str) -> Result<Option<Ticket>, DbError> {
    let Some((case_id, code)) = db.ticket_by_hash(secret_hash)? else {
        return Ok(None);
    };
    let events = db
        .case_events(&case_id)?
        .iter()
        .map(|(_, body)| stored_event(body))
        .collect::<Result<Vec<Event>, DbError>>()?;
    Ok(Some(Ticket { code, events }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customers_may_file() {
        let event = recovery_core::testing::filed_event(1, 2, 3, "the card was charged twice");
        assert!(customer_may_record(&event.kind));
        assert_eq!(kind_name(&event.kind), "filed");
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
