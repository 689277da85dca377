//! What a staff tablet keeps of its store's cases across reloads and browser restarts: every
//! case it knows, its state and its events as JSON, on a shelf in IndexedDB
//! (`platform::shelf`, one per store), open cases flagged so that a reload puts the queue on
//! screen before the rest is read; and the pull's cursor as a note written in the same
//! transaction as the cases it covers, so the cursor never runs ahead of what is kept.
//!
//! Only the server's word is kept here (cases as signed in and pulled); this tablet's own steps
//! wait in the outbox (`outbox`) until the server has them. Nothing here draws.

use super::device::Pulled;
use crate::shared::platform::shelf::{self, Record, Shelf};
use crate::shared::platform::{clock, env};
use recovery_core::{Case, CaseId, Event, Ledger, Slug};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::rc::Rc;

/// Cases read per slice after the open ones (between slices the page gets a turn).
const SLICE: u32 = 2_000;
const PULLED: &str = "pulled";

/// A case as it is kept.
#[derive(Serialize)]
struct Kept<'a> {
    case: &'a Case,
    events: Vec<&'a Event>,
}

/// A case as it is read back.
#[derive(Deserialize)]
struct Read {
    case: Case,
    events: Vec<Event>,
}

thread_local! {
    /// The open shelf of each store this page works with.
    static OPEN: RefCell<Vec<(Slug, Rc<Shelf>)>> = const { RefCell::new(Vec::new()) };
}

async fn shelf_of(store: &Slug) -> Option<Rc<Shelf>> {
    if let Some(open) =
        OPEN.with_borrow(|o| o.iter().find(|(s, _)| s == store).map(|(_, k)| k.clone()))
    {
        return Some(open);
    }
    match shelf::open(&["srk1-staff-", store.as_str()].concat()).await {
        Ok(opened) => {
            let opened = Rc::new(opened);
            OPEN.with_borrow_mut(|o| o.push((store.clone(), opened.clone())));
            Some(opened)
        }
        Err(why) => {
            env::log_warning("the tablet keeps its cases in memory only", &why);
            None
        }
    }
}

/// The kept form of the cases `ids` that `ledger` holds.
pub fn records(ledger: &Ledger, ids: impl IntoIterator<Item = CaseId>) -> Vec<Record> {
    ids.into_iter()
        .filter_map(|id| {
            let case = ledger.case(id)?;
            let kept = Kept {
                case,
                events: ledger.events_of(id).collect(),
            };
            let text = serde_json::to_string(&kept).ok()?;
            Some((id.to_string(), case.status.is_open(), text))
        })
        .collect()
}

/// Keeps `records` and, with `pulled`, the cursor that covers them, together; `false` when
/// the browser refused (the tablet goes on from memory).
pub async fn save(store: &Slug, records: &[Record], pulled: Option<&Pulled>) -> bool {
    let Some(shelf) = shelf_of(store).await else {
        return false;
    };
    let note = pulled.and_then(|p| serde_json::to_string(p).ok());
    let notes: Vec<(&str, &str)> = note.as_deref().map(|n| (PULLED, n)).into_iter().collect();
    match shelf.put(records, &notes).await {
        Ok(()) => true,
        Err(why) => {
            env::log_warning("the tablet could not keep its cases", &why);
            false
        }
    }
}

/// What is kept for `store`, read in three steps: `pulled` gets the cursor, `open` the open
/// cases (the queue), then `rest` the other cases a slice at a time, each slice as soon as it
/// is read (the page gets a turn between slices). Unreadable records are skipped. Returns
/// `false` when nothing could be read (no IndexedDB).
pub async fn load(
    store: &Slug,
    pulled: impl FnOnce(Pulled),
    open: impl FnOnce(Vec<(Case, Vec<Event>)>),
    mut rest: impl FnMut(Vec<(Case, Vec<Event>)>),
) -> bool {
    let Some(shelf) = shelf_of(store).await else {
        return false;
    };
    let Some(kept) = shelf
        .note(PULLED)
        .await
        .and_then(|t| serde_json::from_str::<Pulled>(&t).ok())
    else {
        // Nothing kept yet (or a cursor that cannot be read: the cases are read again).
        return true;
    };
    pulled(kept);
    match shelf.flagged().await {
        Ok(found) => open(parse(found.into_iter().map(|(_, t)| t))),
        Err(why) => env::log_warning("could not read the kept open cases", &why),
    }
    let mut after: Option<String> = None;
    loop {
        clock::next_task().await;
        let slice = match shelf.page(after.as_deref(), SLICE).await {
            Ok(slice) => slice,
            Err(why) => {
                env::log_warning("could not read the kept cases", &why);
                return true;
            }
        };
        let done = (slice.len() as u32) < SLICE;
        after = slice.last().map(|(k, _)| k.clone());
        rest(parse(slice.into_iter().map(|(_, t)| t)));
        if done {
            return true;
        }
    }
}

fn parse(texts: impl Iterator<Item = String>) -> Vec<(Case, Vec<Event>)> {
    texts
        .filter_map(|t| serde_json::from_str::<Read>(&t).ok())
        .map(|r| (r.case, r.events))
        .collect()
}
