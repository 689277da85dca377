//! The app's live state: the ledger of recovery events held in a signal, the events not yet
//! kept on the device, and what loading or saving ran into.
//!
//! Data flows one way: a component calls [`Cases::file`], which asks the pure core to record
//! the event; the new ledger lands in a signal; one effect writes what is unsaved through the
//! `platform` storage. Components never call storage themselves. An event that cannot be saved
//! (full or blocked storage) stays in memory and in the unsaved list, and is tried again on a
//! timer and on every later change: it is never dropped.

use crate::platform::{self, storage};
use crate::route::Route;
use leptos::prelude::*;
use recovery_core::{
    Case, CaseId, Complaint, DeviceId, Event, EventId, EventKind, Ledger, Origin, Recorded,
    Timestamp, TransitionError,
};
use std::time::Duration;

/// How often unsaved events are tried again while storage refuses them.
const RETRY_EVERY: Duration = Duration::from_secs(10);

/// Handle to the device's cases; cheap to copy, shared through context.
#[derive(Clone, Copy)]
pub struct Cases {
    ledger: RwSignal<Ledger>,
    unsaved: RwSignal<Vec<EventId>>,
    save_problem: RwSignal<Option<storage::StorageError>>,
    skipped: RwSignal<Vec<storage::Skipped>>,
    device: DeviceId,
}

impl Cases {
    /// Loads what the device holds and starts the effect that keeps new events saved.
    pub fn load() -> Self {
        let device = storage::device_id(|| DeviceId(platform::env::new_uuid()));
        let mut ledger = Ledger::default();
        let (loaded, load_problem) = match storage::load_events() {
            Ok(l) => (l, None),
            Err(e) => (storage::Loaded::default(), Some(e)),
        };
        let mut skipped = loaded.skipped;
        // The ledger checks each event once; what it refuses is reported like unreadable data.
        for event in loaded.events {
            let id = event.id;
            if ledger.record(event).is_err() {
                skipped.push(storage::Skipped {
                    key: storage::event_key(id),
                    reason: storage::SkipReason::Invalid,
                });
            }
        }
        for s in &skipped {
            platform::env::log_warning("skipped an unreadable stored entry", &s.key);
        }
        let cases = Self {
            ledger: RwSignal::new(ledger),
            unsaved: RwSignal::new(Vec::new()),
            save_problem: RwSignal::new(load_problem),
            skipped: RwSignal::new(skipped),
            device,
        };
        cases.keep_saved();
        cases
    }

    fn keep_saved(self) {
        let Self {
            ledger,
            unsaved,
            save_problem,
            ..
        } = self;
        Effect::new(move |_| {
            let pending = unsaved.get();
            if pending.is_empty() {
                return;
            }
            let mut left = Vec::new();
            let mut problem = None;
            ledger.with_untracked(|l| {
                for id in &pending {
                    let Some(event) = l.event(*id) else { continue };
                    if let Err(e) = storage::save_event(event) {
                        problem = Some(e);
                        left.push(*id);
                    }
                }
            });
            save_problem.set(problem);
            if left.len() != pending.len() {
                unsaved.set(left);
            }
        });
        platform::activity::use_interval(RETRY_EVERY, move || {
            if !unsaved.with_untracked(Vec::is_empty) {
                unsaved.update(|_| {});
            }
        });
    }

    /// Files a validated complaint as a new case and returns it. The acknowledgement can be
    /// shown at once: saving happens right after, and never blocks or undoes the filing.
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
        };
        let (id, case) = (event.id, event.case);
        let mut outcome = Ok(Recorded::Duplicate);
        self.ledger.update(|l| outcome = l.record(event));
        match outcome? {
            Recorded::New => self.unsaved.update(|u| u.push(id)),
            Recorded::Duplicate => {}
        }
        self.ledger
            .with_untracked(|l| l.case(case).cloned())
            .ok_or(TransitionError::NotFiled { case })
    }

    /// Cases filed on this device, newest first (for the customer's own phone).
    pub fn own_cases(&self) -> Vec<Case> {
        self.ledger.with(|l| {
            let mut v: Vec<Case> = l.cases().cloned().collect();
            v.sort_by_key(|c| std::cmp::Reverse(c.filed_at));
            v
        })
    }

    /// How many cases this device holds.
    pub fn count(&self) -> usize {
        self.ledger.with(Ledger::case_count)
    }

    /// How many events are waiting to be kept on the device.
    pub fn unsaved_count(&self) -> usize {
        self.unsaved.with(Vec::len)
    }

    /// The latest storage problem, if storage currently refuses to keep events.
    pub fn save_problem(&self) -> Option<storage::StorageError> {
        self.save_problem.get()
    }

    /// Stored entries that could not be read and were left in place.
    pub fn skipped_count(&self) -> usize {
        self.skipped.with(Vec::len)
    }
}
