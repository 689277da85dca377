//! The storage side of sync: recording a pushed batch of events exactly
//! once, reading a store's events after a cursor, and reading one
//! customer's ticket. Every function here runs on the database connection
//! (inside [`crate::db::Database::call`]) and knows nothing of HTTP.
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
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use serde_json::Value;
use serde_json::value::RawValue;

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
    }
}

/// The name of an event's kind, as stored in the `kind` column.
pub fn kind_name(kind: &EventKind) -> &'static str {
    match kind {
        EventKind::Filed { .. } => "filed",
    }
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

/// Records a batch of events in one `IMMEDIATE` transaction and returns one
/// outcome per element, in order. `staff` is the store of the pusher's
/// staff token, or `None` for a customer device. `received_at_ms` is the
/// server's clock for the whole batch.
///
/// Only a database failure is an error; it rolls the whole batch back.
pub fn push(
    conn: &mut Connection,
    staff: Option<&Slug>,
    events: Vec<Value>,
    secrets: &HashMap<CaseId, String>,
    received_at_ms: i64,
) -> rusqlite::Result<Vec<Outcome>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut outcomes = Vec::with_capacity(events.len());
    for value in events {
        outcomes.push(record(&tx, staff, value, secrets, received_at_ms)?);
    }
    tx.commit()?;
    Ok(outcomes)
}

fn record(
    conn: &Connection,
    staff: Option<&Slug>,
    value: Value,
    secrets: &HashMap<CaseId, String>,
    received_at_ms: i64,
) -> rusqlite::Result<Outcome> {
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
    let stored: Option<String> = conn
        .prepare_cached("SELECT body FROM events WHERE id = ?1")?
        .query_row([&id], |row| row.get(0))
        .optional()?;
    if let Some(stored) = stored {
        return if stored == body {
            Ok(Outcome::confirmed(&event, Receipt::Duplicate))
        } else {
            reject(
                Conflict,
                "an event with this id was stored with different content".into(),
            )
        };
    }

    // 4. Payload rules.
    if let Err(err) = event.check() {
        return reject(Invalid, err.to_string());
    }

    // 5. Store: a case belongs to the store it was filed in, for good.
    let case_id = event.case.to_string();
    let mut history = Vec::new();
    {
        let mut stmt =
            conn.prepare_cached("SELECT store, body FROM events WHERE case_id = ?1 ORDER BY seq")?;
        let mut rows = stmt.query([&case_id])?;
        while let Some(row) = rows.next()? {
            let store: String = row.get(0)?;
            if store != event.origin.store.as_str() {
                return reject(
                    Forbidden,
                    format!(
                        "this case belongs to another store than '{}'",
                        event.origin.store
                    ),
                );
            }
            history.push(stored_event(row, 1)?);
        }
    }

    // 6. Workflow.
    if let Err(err) = fold(history.iter().chain([&event])) {
        let reason = match err {
            TransitionError::AlreadyFiled { .. } => AlreadyFiled,
            TransitionError::NotFiled { .. } => NotFiled,
            TransitionError::InvalidEvent(_) => Invalid,
            TransitionError::WrongCase { .. } => Refused,
        };
        return reject(reason, err.to_string());
    }

    // 7. Record.
    conn.prepare_cached(
        "INSERT INTO events (id, case_id, store, touchpoint, device, kind, at_ms, received_at_ms, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(rusqlite::params![
        id,
        case_id,
        event.origin.store.as_str(),
        event.origin.touchpoint.as_str(),
        event.origin.device.to_string(),
        kind_name(&event.kind),
        event.at.0,
        received_at_ms,
        body,
    ])?;
    if let EventKind::Filed { .. } = event.kind
        && let Some(secret) = secrets.get(&event.case)
    {
        // DO NOTHING on any clash: a reused secret (a device bug) must not
        // fail the batch, and the first ticket of a case stays its ticket.
        conn.prepare_cached(
            "INSERT INTO tickets (case_id, store, ticket, secret_hash, filed_event_id)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
        )?
        .execute(rusqlite::params![
            case_id,
            event.origin.store.as_str(),
            TicketCode::from_case(event.case).as_str(),
            sha256_hex(secret),
            id,
        ])?;
    }
    Ok(Outcome::confirmed(&event, Receipt::Stored))
}

/// Reads a stored event body; a body that is not an event (a hand-edited or
/// corrupt row) is a database error rather than something to skip silently.
fn stored_event(row: &rusqlite::Row<'_>, idx: usize) -> rusqlite::Result<Event> {
    let body: String = row.get(idx)?;
    serde_json::from_str(&body)
        .map_err(|err| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(err)))
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
pub fn pull(conn: &Connection, store: &Slug, after: i64, limit: usize) -> rusqlite::Result<Page> {
    // One row more than asked tells whether there is more, without a count.
    let fetch = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
    let mut stmt = conn.prepare_cached(
        "SELECT seq, body FROM events WHERE store = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
    )?;
    let mut rows = stmt.query(rusqlite::params![store.as_str(), after, fetch])?;
    let mut events = Vec::new();
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let body: String = row.get(1)?;
        let json = RawValue::from_string(body).map_err(|err| {
            rusqlite::Error::FromSqlConversionFailure(1, Type::Text, Box::new(err))
        })?;
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
pub fn ticket(conn: &Connection, secret_hash: &str) -> rusqlite::Result<Option<Ticket>> {
    let found: Option<(String, String)> = conn
        .prepare_cached("SELECT case_id, ticket FROM tickets WHERE secret_hash = ?1")?
        .query_row([secret_hash], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let Some((case_id, code)) = found else {
        return Ok(None);
    };
    let mut stmt =
        conn.prepare_cached("SELECT body FROM events WHERE case_id = ?1 ORDER BY seq")?;
    let events = stmt
        .query_map([case_id], |row| stored_event(row, 0))?
        .collect::<rusqlite::Result<Vec<Event>>>()?;
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
