//! The cases' read model: for each case, the core's `api::CaseState` (the case folded from
//! its events, the events, and the seq of the latest), kept in `case_states`. It is written
//! in the transaction that stores an event ([`write`], from `sync`; [`refresh`] from `erase`,
//! which changes a stored filing), filled in for cases stored before it when the server
//! starts ([`fill`]), read page by page by a tablet signing in ([`page`]) and by the reports
//! (`insights`), so neither folds a store's every event again.
//!
//! No HTTP and no SQL here; the fold is the core's, the same as every device's.

use recovery_core::api::{CasePage, CaseState, Part};
use recovery_core::insights::{Brief, Digest};
use recovery_core::{Case, Event, Slug, in_queue};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::sync::stored_event;
use crate::store::{Access, CaseStateRow, Database, DbError, Mode};

/// Cases filled in per write transaction at start, so a large store never holds the write
/// lock for long.
const FILL_PER_TRANSACTION: i64 = 500;

/// What the reports read of a case, kept beside its state: its brief (its contact
/// fingerprinted with the store's salt) and its digest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    /// Where, when and by whom it was filed.
    pub brief: Brief,
    /// What its steps say.
    pub digest: Digest,
}

/// Keeps `case` (folded from `events`, stored as `bodies`, the latest of which has `seq`) as
/// its state, with its [`Facts`]. The bodies are the stored events' JSON and pass through as
/// they are.
pub fn write<'a, 'e>(
    db: &mut dyn Access,
    case: &Case,
    events: impl IntoIterator<Item = &'e Event>,
    seq: i64,
    bodies: impl IntoIterator<Item = &'a str>,
) -> Result<(), DbError> {
    // Only a contact needs the store's salt.
    let salt = match case.complaint.contact {
        Some(_) => db.store(case.store.as_str())?.map(|row| row.contact_salt),
        None => None,
    };
    let facts = Facts {
        brief: Brief::of(case, salt.as_deref().unwrap_or_default()),
        digest: Digest::of(case, events),
    };
    let facts = serde_json::to_string(&facts)
        .map_err(|err| DbError::Corrupt(format!("a case's facts as JSON: {err}")))?;
    let folded = serde_json::to_string(case)
        .map_err(|err| DbError::Corrupt(format!("a case as JSON: {err}")))?;
    // The JSON of `CaseState` by hand: the events are JSON already and are not parsed again
    // (tests read every state written back with serde).
    let mut body = String::with_capacity(folded.len() + 64);
    body.push_str("{\"seq\":");
    body.push_str(&seq.to_string());
    body.push_str(",\"case\":");
    body.push_str(&folded);
    body.push_str(",\"events\":[");
    for (i, event) in bodies.into_iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(event);
    }
    body.push_str("]}");
    db.put_case_state(&CaseStateRow {
        case_id: &case.id.to_string(),
        store: case.store.as_str(),
        seq,
        queued: in_queue(case),
        body: &body,
        facts: &facts,
    })
}

/// Folds `case_id` again from its stored events and keeps that as its state; `false` when
/// none of them makes a case. Events that cannot be read or that the fold refuses (a row
/// edited by hand) are left out, with a warning: the rest of the case still counts.
pub fn refresh(db: &mut dyn Access, case_id: &str) -> Result<bool, DbError> {
    let Some(seq) = db.latest_seq(case_id)? else {
        return Ok(false);
    };
    let mut read = Vec::new();
    for (i, (_, body)) in db.case_events(case_id)?.into_iter().enumerate() {
        match stored_event(&body) {
            Ok(event) => read.push((event, (i, body))),
            Err(err) => {
                tracing::warn!(case = case_id, error = %err, "an unreadable event left out of its case")
            }
        }
    }
    // One event at a time in the fold's order, so that one refused event leaves the rest.
    read.sort_by_key(|(e, _)| (e.time(), e.id));
    let (mut case, mut kept) = (None, Vec::new());
    for (event, body) in read {
        match recovery_core::apply(case.as_ref(), &event) {
            Ok(next) => {
                case = Some(next);
                kept.push((body, event));
            }
            Err(err) => {
                tracing::warn!(case = case_id, event = %event.id, error = %err, "a stored event the fold refuses left out of its case")
            }
        }
    }
    let Some(case) = case else {
        return Ok(false);
    };
    // Kept in the order they were stored, as `write` keeps them after a push.
    kept.sort_unstable_by_key(|((i, _), _)| *i);
    let events = kept.iter().map(|(_, event)| event);
    write(
        db,
        &case,
        events,
        seq,
        kept.iter().map(|((_, body), _)| body.as_str()),
    )?;
    Ok(true)
}

/// Writes the state of every case stored before the read model existed, a few hundred cases
/// per transaction; how many. Run at start; a database that has them all costs one query.
pub async fn fill(db: &Database) -> Result<usize, DbError> {
    let (mut filled, mut after) = (0, String::new());
    loop {
        let (n, last) = db
            .transaction(Mode::Write, move |db| {
                let missing = db.cases_without_state(&after, FILL_PER_TRANSACTION)?;
                let mut n = 0;
                for case in &missing {
                    n += usize::from(refresh(db, case)?);
                }
                Ok((n, missing.last().cloned()))
            })
            .await?;
        filled += n;
        match last {
            Some(last) => after = last,
            None => return Ok(filled),
        }
    }
}

/// The case states of `store` in `part` whose seq is above `after`, at most `limit`, by seq.
/// The stored bodies pass through unparsed.
pub fn page(
    db: &mut dyn Access,
    store: &Slug,
    part: Part,
    after: i64,
    limit: usize,
) -> Result<CasePage<Box<RawValue>>, DbError> {
    // One row more than asked tells whether there is more.
    let fetch = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
    let rows = db.case_states(store.as_str(), after, fetch, part)?;
    let more = rows.len() > limit;
    let mut cases = Vec::with_capacity(rows.len().min(limit));
    let mut next = after;
    for (seq, body) in rows.into_iter().take(limit) {
        next = seq;
        cases.push(
            RawValue::from_string(body)
                .map_err(|err| DbError::Corrupt(format!("case state {seq}: {err}")))?,
        );
    }
    Ok(CasePage {
        cases,
        next,
        more,
        now: 0,
    })
}

/// Reads a kept state.
pub fn read(body: &str) -> Result<CaseState, DbError> {
    serde_json::from_str(body).map_err(|err| DbError::Corrupt(format!("a case state: {err}")))
}
