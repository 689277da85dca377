//! The app's live state: the ledger of recovery events held in a signal, the outbox that says
//! which of them the server has, the events not yet kept on the device, and what loading or
//! saving ran into.
//!
//! Data flows one way: a component calls [`Cases::file`], which asks the pure core to record
//! the event; the new ledger lands in a signal; one effect writes what is unsaved through
//! `crate::customer::device`; the sync loop (`crate::customer::sync`) ships what the outbox
//! holds and reports the server's receipts back through [`Cases::settle`]. Components never
//! call storage themselves. An event that cannot be saved (full or blocked storage) stays in
//! memory and in the unsaved list, and is tried again on a timer and on every later change: it
//! is never dropped, and it is still sent to the server from memory.

use crate::customer::device;
use crate::customer::route::Route;
use crate::shared::outbox::Outgoing;
use crate::shared::platform::storage::StorageError;
use crate::shared::platform::{self, net};
use leptos::prelude::*;
use recovery_core::sync::MAX_BATCH_EVENTS;
use recovery_core::{
    Case, CaseId, Complaint, DeviceId, Event, EventId, EventKind, Ledger, Mark, Origin, Outbox,
    Receipt, Recorded, RejectReason, TicketCode, Timestamp, TransitionError,
};
use std::cell::RefCell;
use std::time::Duration;
use wasm_bindgen::JsValue;

/// How often unsaved events are tried again while storage refuses them.
const RETRY_EVERY: Duration = Duration::from_secs(10);

/// Handle to the device's cases; cheap to copy, shared through context.
#[derive(Clone, Copy)]
pub struct Cases {
    ledger: RwSignal<Ledger>,
    outbox: RwSignal<Outbox>,
    /// Ticket secrets of the cases filed here, sorted by case (a vector: see `Outbox`).
    secrets: RwSignal<Vec<(CaseId, String)>>,
    /// Events not yet kept on the device: refused by the working copy (full or blocked
    /// storage), or written there but not yet on disk (their journal write has not completed).
    unsaved: RwSignal<Vec<EventId>>,
    save_problem: RwSignal<Option<StorageError>>,
    skipped: RwSignal<Vec<device::Skipped>>,
    device: DeviceId,
    /// A customer's phone keeps what the server has (to list it); a shared kiosk removes it.
    keep_sent: bool,
}

impl Cases {
    /// Loads what the device holds and starts the effect that keeps new events saved.
    /// `keep_sent` is false on a shared kiosk: there, an event leaves the device once the
    /// server has it.
    pub fn load(keep_sent: bool) -> Self {
        let device = crate::shared::device_id::device_id(|| DeviceId(platform::env::new_uuid()));
        let mut ledger = Ledger::filings_only();
        let mut outbox = Outbox::default();
        let mut secrets = Vec::new();
        let (loaded, load_problem) = match device::load_events() {
            Ok(l) => (l, None),
            Err(e) => (device::Loaded::default(), Some(e)),
        };
        let mut skipped = loaded.skipped;
        let mut loaded_ids = Vec::with_capacity(loaded.entries.len());
        // The ledger checks each event once; what it refuses is reported like unreadable data.
        for entry in loaded.entries {
            let (id, at, case) = (entry.event.id, entry.event.at, entry.event.case);
            if ledger.record(entry.event).is_err() {
                skipped.push(device::Skipped {
                    key: device::event_key(id),
                    reason: device::SkipReason::Invalid,
                });
                continue;
            }
            outbox.track(id, at, entry.mark);
            loaded_ids.push(id);
            if let Some(secret) = entry.secret {
                insert_secret(&mut secrets, case, secret);
            }
            if let Some(sealed) = entry.sealed {
                keep_seal(case, Some(sealed));
            }
        }
        for s in &skipped {
            platform::env::log_warning("skipped an unreadable stored entry", &s.key);
        }
        let cases = Self {
            ledger: RwSignal::new(ledger),
            outbox: RwSignal::new(outbox),
            secrets: RwSignal::new(secrets),
            unsaved: RwSignal::new(Vec::new()),
            save_problem: RwSignal::new(load_problem),
            skipped: RwSignal::new(skipped),
            device,
            keep_sent,
        };
        cases.keep_saved();
        device::use_changes_from_other_tabs(move |id, entry| cases.absorb(id, entry));
        device::journaled(move |entries| cases.restore(entries, loaded_ids));
        cases
    }

    /// Calls `f` with the stored form of one event as this tab knows it now (borrowed: the
    /// event is not copied): the event, its case's ticket secret, its mark and its seal.
    fn with_entry<R>(
        &self,
        id: EventId,
        f: impl FnOnce(&Event, Option<&str>, Mark, Option<&str>) -> R,
    ) -> Option<R> {
        let mark = self
            .outbox
            .with_untracked(|o| o.mark(id))
            .unwrap_or(Mark::Pending);
        self.ledger.with_untracked(|l| {
            let event = l.event(id)?;
            let secret = self.secret(event.case);
            let sealed = seal_of(event.case).flatten().filter(|s| !s.is_empty());
            Some(f(event, secret.as_deref(), mark, sealed.as_deref()))
        })
    }

    /// Seals the name and contact of the filing `id` for the server, if it has any and they
    /// are not sealed yet; true while that is under way (the filing waits to be stored).
    fn sealing(&self, id: EventId) -> bool {
        let Some(case) = self.ledger.with_untracked(|l| l.event(id).map(|e| e.case)) else {
            return false;
        };
        match seal_of(case) {
            Some(sealed) => sealed.is_none(),
            None => {
                // Written out only while there is no seal yet (not again at every save).
                let Some(identity) = self
                    .ledger
                    .with_untracked(|l| device::identity(l.event(id)?))
                else {
                    return false;
                };
                keep_seal(case, None);
                let unsaved = self.unsaved;
                platform::journal::seal(&identity, &id.to_string(), move |sealed| {
                    keep_seal(case, Some(sealed.unwrap_or_default()));
                    // The saving effect stores it now.
                    unsaved.update(|_| {});
                });
                true
            }
        }
    }

    /// Saves one event as this tab knows it now; once its journal write is done, it leaves the
    /// list of events being saved.
    fn save(&self, id: EventId) -> Result<(), StorageError> {
        if self.sealing(id) {
            return Ok(());
        }
        let unsaved = self.unsaved;
        let kept = move |outcome: Result<JsValue, StorageError>| {
            if outcome.is_err() {
                // The working copy holds it; only a killed browser could lose it now.
                platform::env::log_warning("the journal refused an event", "");
            }
            if unsaved.with_untracked(|u| u.contains(&id)) {
                unsaved.update(|u| u.retain(|x| *x != id));
            }
        };
        self.with_entry(id, |event, secret, mark, sealed| {
            device::save_parts(event, secret, mark, sealed, Box::new(kept))
        })
        .unwrap_or(Ok(()))
    }

    /// Takes back what the journal holds and the working copy lost (a browser killed before
    /// writing it out: an event it lacks, or the journal's "sent" or "rejected" over its
    /// "pending"), and puts into the journal what only the working copy holds (`lost`: kept by
    /// an earlier version, or whose journal write was cut short): once, losing nothing. A
    /// kiosk's event the journal knows as sent is removed by the saving effect.
    fn restore(&self, journaled: Vec<device::Entry>, mut only_here: Vec<EventId>) {
        for entry in journaled {
            let id = entry.event.id;
            // A linear search: a kiosk keeps only what is not yet sent, a phone its owner's
            // own complaints (and a sort would add its code to the download).
            only_here.retain(|x| *x != id);
            // News only: rewriting what the working copy already has could put back a mark
            // another tab has moved on since.
            let known = self.outbox.with_untracked(|o| o.mark(id));
            if known.is_none() || (known == Some(Mark::Pending) && entry.mark != Mark::Pending) {
                self.absorb(id, Some(entry));
                self.unsaved.update(|u| u.push(id));
            }
        }
        for id in only_here {
            self.with_entry(id, device::journal);
        }
    }

    /// The secret that opens a case's ticket page; only the device that filed it has one.
    pub fn secret(&self, case: CaseId) -> Option<String> {
        self.secrets.with_untracked(|s| {
            s.binary_search_by_key(&case, |(c, _)| *c)
                .ok()
                .map(|i| s[i].1.clone())
        })
    }

    /// The address of the case's ticket page (`/t/#<case>.<secret>`: the secret rides in the
    /// fragment, which browsers never send), when this device kept its secret.
    pub fn ticket_path(&self, case: CaseId) -> Option<String> {
        self.secret(case)
            .map(|secret| format!("/t/#{case}.{secret}"))
    }

    fn keep_secret(&self, case: CaseId, secret: String) {
        self.secrets.update(|s| insert_secret(s, case, secret));
    }

    fn keep_saved(self) {
        let Self {
            unsaved,
            save_problem,
            keep_sent,
            ..
        } = self;
        Effect::new(move |_| {
            let pending = unsaved.get();
            if pending.is_empty() {
                return;
            }
            // Each event leaves the list once it is on disk (`save`), or here when a kiosk
            // need not keep it; one the working copy refuses stays and is tried again.
            let mut problem = None;
            let mut done = Vec::new();
            for id in &pending {
                // A kiosk never keeps what the server already has (not even a journal's copy
                // that a killed browser left behind).
                let sent = self.outbox.with_untracked(|o| o.mark(*id)) == Some(Mark::Sent);
                if !keep_sent && sent {
                    let _ = device::remove(*id);
                    done.push(*id);
                } else if let Err(e) = self.save(*id) {
                    problem = Some(e);
                }
            }
            save_problem.set(problem);
            if !done.is_empty() {
                unsaved.update(|u| u.retain(|id| !done.contains(id)));
            }
        });
        platform::activity::use_interval(RETRY_EVERY, move || {
            if !unsaved.with_untracked(Vec::is_empty) {
                unsaved.update(|_| {});
            }
        });
    }

    /// Files a validated complaint as a new case and returns it. The acknowledgement can be
    /// shown at once: saving and sending happen right after, and never block or undo the
    /// filing.
    pub fn file(
        &self,
        route: &Route,
        complaint: Complaint,
        now: Timestamp,
    ) -> Result<Case, TransitionError> {
        let event = Event {
            id: EventId(platform::env::new_uuid()),
            case: CaseId(platform::env::new_uuid()),
            at: now,
            origin: Origin {
                store: route.store.clone(),
                touchpoint: route.touchpoint.clone(),
                device: self.device,
            },
            kind: EventKind::Filed {
                complaint,
                utc_offset_minutes: platform::clock::utc_offset_minutes(now),
            },
            proof: None,
            clock: None,
        };
        let (id, case) = (event.id, event.case);
        let mut outcome = Ok(Recorded::Duplicate);
        self.ledger.update(|l| outcome = l.record(event));
        match outcome? {
            Recorded::New => {
                self.keep_secret(case, net::new_secret());
                self.outbox.update(|o| o.track(id, now, Mark::Pending));
                // On its way to the disk before the acknowledgement is painted; the saving
                // effect takes it from there (and again, should the working copy refuse it).
                let _ = self.save(id);
                self.unsaved.update(|u| u.push(id));
            }
            Recorded::Duplicate => {}
        }
        self.ledger
            .with_untracked(|l| l.case(case).cloned())
            .ok_or(TransitionError::NotFiled { case })
    }

    /// The next events to send, oldest first, at most `max` of them. Events another tab has
    /// meanwhile sent or seen refused (as its storage says) are learnt and skipped, so the
    /// batch is empty only when nothing is left to send.
    pub fn next_batch(&self, max: usize) -> Vec<Outgoing> {
        loop {
            let candidates: Vec<EventId> = self
                .outbox
                .with_untracked(|o| o.pending().take(max.clamp(1, MAX_BATCH_EVENTS)).collect());
            let mut learnt = Vec::new();
            let mut batch = Vec::with_capacity(candidates.len());
            for id in candidates {
                if let Some(mark @ (Mark::Sent | Mark::Rejected(_))) = device::read_mark(id) {
                    learnt.push((id, mark));
                    continue;
                }
                let outgoing = self.with_entry(id, |event, secret, _, sealed| Outgoing {
                    id,
                    json: platform::codec::stringify(&crate::shared::event_json::event_to_js(
                        event,
                    ))
                    .unwrap_or_default(),
                    secret: secret.map(|s| (event.case, s.to_owned())),
                    sealed: sealed.map(str::to_owned),
                });
                batch.extend(outgoing);
            }
            let before = self.outbox.with_untracked(Outbox::pending_count);
            let learnt_any = !learnt.is_empty();
            if learnt_any {
                self.learn(learnt);
            }
            // Look further only when everything looked at was already dealt with elsewhere
            // (and the queue did shrink, so this ends).
            let shrank = self.outbox.with_untracked(Outbox::pending_count) < before;
            if !batch.is_empty() || !learnt_any || !shrank {
                return batch;
            }
        }
    }

    fn learn(&self, marks: Vec<(EventId, Mark)>) {
        self.outbox.update(|o| {
            for (id, mark) in marks {
                if let Some(at) = self.ledger.with_untracked(|l| l.event(id).map(|e| e.at)) {
                    o.track(id, at, mark);
                }
            }
        });
    }

    /// Records what the server said about sent events and keeps the device's copy in step:
    /// a phone marks them, a kiosk removes what the server has.
    pub fn settle(&self, receipts: &[(EventId, Receipt)]) {
        if receipts.is_empty() {
            return;
        }
        self.outbox.update(|o| {
            for (id, receipt) in receipts {
                o.settle(*id, *receipt);
            }
        });
        let unsaved = self.unsaved.get_untracked();
        for (id, receipt) in receipts {
            if unsaved.contains(id) {
                // The saving effect writes it with its new mark (or, on a kiosk, drops it).
                continue;
            }
            // Best effort: a failed write only means the event is sent again later, and the
            // server answers "duplicate".
            let _ = if receipt.confirmed() && !self.keep_sent {
                device::remove(*id)
            } else {
                self.save(*id)
            };
        }
        if self.unsaved.with_untracked(|u| !u.is_empty()) {
            self.unsaved.update(|_| {});
        }
    }

    /// Puts every refused event back in the queue (a person asked for another try).
    pub fn retry_rejected(&self) {
        let ids: Vec<EventId> = self
            .outbox
            .with_untracked(|o| o.rejected().map(|(id, _)| id).collect());
        self.outbox.update(|o| {
            o.retry_rejected();
        });
        for id in ids {
            let _ = self.save(id);
        }
    }

    /// Learns what another tab of this device wrote (`Some`) or removed (`None`). Only real
    /// news touches the signals: another tab marking a few thousand events as sent must not
    /// redraw this tab a few thousand times.
    fn absorb(&self, id: EventId, entry: Option<device::Entry>) {
        let known = self.ledger.with_untracked(|l| l.event(id).map(|e| e.at));
        let (at, mark) = match (entry, known) {
            (Some(entry), None) => {
                let (at, case, mark) = (entry.event.at, entry.event.case, entry.mark);
                let mut ok = true;
                self.ledger.update(|l| ok = l.record(entry.event).is_ok());
                if !ok {
                    return;
                }
                if let Some(secret) = entry.secret {
                    self.keep_secret(case, secret);
                }
                if let Some(sealed) = entry.sealed {
                    keep_seal(case, Some(sealed));
                }
                (at, mark)
            }
            (Some(entry), Some(at)) => (at, entry.mark),
            // Only a kiosk removes entries, and only once the server has them; on a phone a
            // removal (site data cleared) says nothing about the server, so it is ignored.
            (None, Some(at)) if !self.keep_sent => (at, Mark::Sent),
            (None, _) => return,
        };
        if self.outbox.with_untracked(|o| o.mark(id)) != Some(mark) {
            self.outbox.update(|o| o.track(id, at, mark));
        }
    }

    /// The `n` cases most recently filed on this device, newest first (for the customer's own
    /// phone).
    pub fn newest_cases(&self, n: usize) -> Vec<Case> {
        self.ledger
            .with(|l| l.newest(n).into_iter().cloned().collect())
    }

    /// Where a case's filing stands in the outbox.
    pub fn case_mark(&self, case: CaseId) -> Option<Mark> {
        let filed = self
            .ledger
            .with(|l| l.events_of(case).next().map(|e| e.id))?;
        self.outbox.with(|o| o.mark(filed))
    }

    /// How many complaints this device keeps: all of them on a phone; on a kiosk only those
    /// the server does not have yet (the rest were deleted from the tablet).
    pub fn count(&self) -> usize {
        if self.keep_sent {
            self.ledger.with(Ledger::case_count)
        } else {
            self.outbox
                .with(|o| o.pending_count() + o.rejected().count())
        }
    }

    /// How many events are waiting to be kept on the device.
    pub fn unsaved_count(&self) -> usize {
        self.unsaved.with(Vec::len)
    }

    /// How many events wait to be sent to the server.
    pub fn pending_count(&self) -> usize {
        self.outbox.with(Outbox::pending_count)
    }

    /// The events the server refused, with the ticket of their case and why.
    pub fn rejected(&self) -> Vec<(TicketCode, RejectReason)> {
        self.outbox.with(|o| {
            self.ledger.with(|l| {
                o.rejected()
                    .filter_map(|(id, reason)| {
                        l.event(id).map(|e| (TicketCode::from_case(e.case), reason))
                    })
                    .collect()
            })
        })
    }

    /// The latest storage problem, if storage currently refuses to keep events.
    pub fn save_problem(&self) -> Option<StorageError> {
        self.save_problem.get()
    }

    /// Stored entries that could not be read and were left in place.
    pub fn skipped_count(&self) -> usize {
        self.skipped.with(Vec::len)
    }
}

thread_local! {
    /// The customer's name and contact of each case filed or loaded here, sealed for the server
    /// (`platform::journal::seal`) so that the device's storage never holds them readable: by
    /// case, `None` while the seal is being made (the filing is stored once it is), an empty
    /// text when they cannot be sealed (no key learnt yet, no Web Crypto: they are stored as
    /// they are rather than lost). Not a signal: nothing shows it, and a signal's code would
    /// cost the download more.
    static SEALS: RefCell<Vec<(CaseId, Option<String>)>> = const { RefCell::new(Vec::new()) };
}

fn seal_of(case: CaseId) -> Option<Option<String>> {
    SEALS.with_borrow(|s| s.iter().find(|(c, _)| *c == case).map(|(_, s)| s.clone()))
}

fn keep_seal(case: CaseId, sealed: Option<String>) {
    SEALS.with_borrow_mut(|s| {
        s.retain(|(c, _)| *c != case);
        s.push((case, sealed));
    });
}

/// Adds a case's secret to a list sorted by case, keeping the first one a case got.
fn insert_secret(secrets: &mut Vec<(CaseId, String)>, case: CaseId, secret: String) {
    if let Err(i) = secrets.binary_search_by_key(&case, |(c, _)| *c) {
        secrets.insert(i, (case, secret));
    }
}
