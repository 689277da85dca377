//! Forgetting customers: a case's customer name and contact are erased from its stored filing
//! when its store's retention time after the close has run out ([`sweep`], hourly while the
//! server runs), or at once when the customer asks (`erase --ticket`, [`erase_ticket`]). Each
//! erasure also stores an `erased` event on the case, so every tablet that syncs forgets them
//! too (`recovery_core::forget_erased`), and the case's fold drops them from then on.
//!
//! Only the name and contact go: the complaint's words, the steps and the documentation stay
//! for the store's insights and exports, which never needed them. What staff typed themselves
//! (an apology that names the customer, a note) is staff's record and stays.

use std::time::Duration;

use recovery_core::{
    CaseId, DeviceClock, DeviceId, Erasure, Event, EventId, EventKind, Origin, Status, TicketCode,
    Timestamp, fold,
};
use sha2::{Digest, Sha256};
use tokio::sync::watch;

use super::sync::stored_event;
use crate::store::{Access, Database, DbError, EventRow, Mode, now_ms};

/// How often a running server looks for cases whose retention ran out.
pub const SWEEP_EVERY: Duration = Duration::from_secs(3600);
/// Cases erased per write transaction, so a first sweep over a large store never holds the
/// write lock for long.
const PER_TRANSACTION: usize = 100;
const DAY_MS: i64 = 86_400_000;

/// The id of a case's erasure: the same on every server instance, so two that erase the same
/// case at once store one event.
fn erasure_id(case: CaseId) -> EventId {
    let digest = Sha256::digest(["erased:", &case.to_string()].concat().as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    EventId(uuid::Builder::from_custom_bytes(bytes).into_uuid())
}

/// Erases the customer's name and contact from `case_id`'s filing and records the erasure, at
/// the server's `now_ms`; with `closed_before`, only when the case is closed and was closed
/// before it. `false` when there was nothing to do (no such case, already erased, not
/// expired).
pub fn erase_case(
    db: &mut dyn Access,
    case_id: &str,
    reason: Erasure,
    closed_before: Option<i64>,
    now_ms: i64,
) -> Result<bool, DbError> {
    let mut events = db
        .case_events(case_id)?
        .iter()
        .map(|(_, body)| stored_event(body))
        .collect::<Result<Vec<Event>, DbError>>()?;
    if events
        .iter()
        .any(|e| matches!(e.kind, EventKind::Erased { .. }))
    {
        return Ok(false);
    }
    if let Some(cutoff) = closed_before {
        let expired = fold(&events).ok().flatten().is_some_and(|case| {
            case.status == Status::Closed && case.closed_at.is_some_and(|at| at.0 < cutoff)
        });
        if !expired {
            return Ok(false);
        }
    }
    let Some(filed) = events
        .iter_mut()
        .find(|e| matches!(e.kind, EventKind::Filed { .. }))
    else {
        return Ok(false);
    };
    if let EventKind::Filed { complaint, .. } = &mut filed.kind {
        complaint.forget_customer();
    }
    let encode = |e: &Event| {
        serde_json::to_string(e).map_err(|err| DbError::Corrupt(format!("an event: {err}")))
    };
    db.set_event_body(&filed.id.to_string(), &encode(filed)?)?;
    let erased = Event {
        id: erasure_id(filed.case),
        case: filed.case,
        at: Timestamp(now_ms),
        origin: Origin {
            device: DeviceId(uuid::Uuid::nil()),
            ..filed.origin.clone()
        },
        kind: EventKind::Erased { reason },
        proof: None,
        clock: Some(DeviceClock {
            skew_ms: Some(0),
            received_at: Some(Timestamp(now_ms)),
        }),
    };
    let (id, device) = (erased.id.to_string(), erased.origin.device.to_string());
    db.insert_event(&EventRow {
        id: &id,
        case_id,
        store: erased.origin.store.as_str(),
        touchpoint: erased.origin.touchpoint.as_str(),
        device: &device,
        kind: erased.kind.name(),
        at_ms: now_ms,
        received_at_ms: now_ms,
        body: &encode(&erased)?,
    })?;
    super::cases::refresh(db, case_id)?;
    db.announce_news(erased.origin.store.as_str())?;
    Ok(true)
}

/// What [`erase_ticket`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asked {
    /// No case of the store has that ticket code (or id).
    Unknown,
    /// Several cases share the code (30 bits: in a store of 100,000 cases a few pairs do):
    /// their ids, to name one instead.
    Several(Vec<String>),
    /// The case, and whether it was erased now (`false`: before).
    Erased(String, bool),
}

/// Erases, at the customer's request, the case of `store` whose ticket is `asked` (as a
/// person types it) or whose case id it is.
pub async fn erase_ticket(db: &Database, store: &str, asked: &str) -> Result<Asked, DbError> {
    let by_id = recovery_core::parse_uuid(asked.trim());
    let code = TicketCode::parse(asked);
    let store = store.to_owned();
    db.transaction(Mode::Write, move |db| {
        let matches: Vec<String> = db
            .filed_cases(&store)?
            .into_iter()
            .filter(|id| {
                recovery_core::parse_uuid(id).is_some_and(|uuid| {
                    by_id == Some(uuid)
                        || by_id.is_none()
                            && code.as_ref() == Some(&TicketCode::from_case(CaseId(uuid)))
                })
            })
            .collect();
        match matches.as_slice() {
            [] => Ok(Asked::Unknown),
            [case] => {
                let erased = erase_case(db, case, Erasure::Request, None, now_ms())?;
                Ok(Asked::Erased(case.clone(), erased))
            }
            _ => Ok(Asked::Several(matches)),
        }
    })
    .await
}

/// Erases every case whose store's retention after its close ran out by `now_ms`; how many.
pub async fn sweep(db: &Database, now_ms: i64) -> Result<usize, DbError> {
    let stores = db.transaction(Mode::Read, |db| db.retention()).await?;
    let mut erased = 0;
    for (store, days) in stores {
        let cutoff = now_ms.saturating_sub(days.saturating_mul(DAY_MS));
        let store_id = store.clone();
        let cases = db
            .transaction(Mode::Read, move |db| db.closed_unerased(&store_id, cutoff))
            .await?;
        for chunk in cases.chunks(PER_TRANSACTION) {
            let chunk = chunk.to_vec();
            erased += db
                .transaction(Mode::Write, move |db| {
                    let mut n = 0;
                    for case in &chunk {
                        n += usize::from(erase_case(
                            db,
                            case,
                            Erasure::Retention,
                            Some(cutoff),
                            now_ms,
                        )?);
                    }
                    Ok(n)
                })
                .await?;
        }
    }
    Ok(erased)
}

/// Sweeps at once and then every [`SWEEP_EVERY`] until `closing` says the server stops.
pub fn spawn(db: Database, mut closing: watch::Receiver<bool>) {
    tokio::spawn(async move {
        loop {
            match sweep(&db, now_ms()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(cases = n, "erased customers' names and contacts"),
                Err(err) => tracing::error!(error = %err, "the retention sweep failed"),
            }
            tokio::select! {
                () = tokio::time::sleep(SWEEP_EVERY) => {}
                _ = closing.changed() => return,
            }
        }
    });
}
