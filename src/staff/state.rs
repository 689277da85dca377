//! What the staff app's screens share: the store, the roster and session, the ledger of the
//! store's cases (the server's word, kept across reloads by `keep`, with the steps taken here
//! recorded on top), and the one screen on show.
//!
//! Provided as context by `app`; every screen reads it with `expect_context::<Staff>()`. Taking
//! a step goes through [`Staff::record`], which checks it with the core's workflow before
//! keeping it. Nothing here draws; the exchange with the server is `sync`'s.

use super::device::{self, Pulled, Roster};
use super::keep;
use super::outbox::{self, Queued, Steps, StepsClient};
use crate::shared::outbox::Client;
use crate::shared::platform::{clock, env};
use leptos::prelude::*;
use leptos::task::spawn_local;
use recovery_core::insights::Reports;
use recovery_core::proof::Signer;
use recovery_core::{
    Case, CaseId, Details, DeviceClock, DeviceId, Event, EventId, EventKind, Ledger, Origin, Slug,
    StaffMember, Timestamp, TransitionError, fold,
};

/// What the workspace shows: one at a time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Screen {
    /// The store's open cases.
    Queue,
    /// One case.
    Case(CaseId),
    /// The sheet of QR stickers.
    Stickers,
    /// The insights (managers only).
    Insights,
}

/// The shared state of the staff app.
#[derive(Clone, Copy)]
pub(super) struct Staff {
    pub(super) store: StoredValue<Slug>,
    pub(super) roster: RwSignal<Roster>,
    /// Where the tablet stands in the store's stream of events.
    pub(super) pulled: RwSignal<Pulled>,
    /// Who is signed in, while staff mode is unlocked.
    pub(super) who: RwSignal<Option<StaffMember>>,
    /// Their signing key, opened for the time they are signed in: every step they take is
    /// signed as theirs.
    pub(super) signer: StoredValue<Option<Signer>>,
    /// The last pull's problem, if it failed.
    pub(super) pull_failed: RwSignal<bool>,
    /// Whether the store's live feed is open (then no poll is needed).
    pub(super) live: RwSignal<bool>,
    /// When a pull last succeeded.
    pub(super) last_pull: RwSignal<Option<recovery_core::Timestamp>>,
    /// The store's alerts from the server (the public over its daily budget), as last read.
    pub(super) server_alerts: RwSignal<Vec<recovery_core::api::StoreAlert>>,
    /// Steps taken on this tablet until the server has them.
    pub(super) outbox: RwSignal<Vec<Queued>>,
    /// Sends them (the one outbox client).
    pub(super) steps: StepsClient,
    /// Every case this tablet knows: the server's (signed in to, pulled, kept), with this
    /// tablet's own steps recorded on top (bar refused ones). Changed in place, a case at a
    /// time; never rebuilt whole.
    pub(super) ledger: RwSignal<LedgerView>,
    /// What the tablet is still reading after its queue showed: the cases it keeps, after a
    /// reload, or the store's older cases, when signing in. Search and insights say so meanwhile.
    pub(super) reading: RwSignal<Reading>,
    /// What the insights report reads of each case, kept while the case does not change.
    pub(super) reports: StoredValue<Reports>,
    /// Whether the last write of cases to `keep` failed (full or refused storage): the
    /// workspace says the tablet works from memory.
    pub(super) unkept: RwSignal<bool>,
    /// This tablet's id.
    pub(super) device: DeviceId,
    /// What the workspace shows.
    pub(super) screen: RwSignal<Screen>,
    /// The case whose customer has the tablet to rate it (`handover`): while set, they see only
    /// that, never the workspace.
    pub(super) handover: RwSignal<Option<CaseId>>,
    /// What people typed into cases' forms and left when the tablet locked (`drafts`).
    pub(super) drafts: StoredValue<super::drafts::Drafts>,
    /// What the queue's search box holds (kept while a found case is open; emptied at the lock).
    pub(super) search: RwSignal<String>,
    /// Whether a pull is under way, and whether another was asked for.
    pub(super) in_flight: StoredValue<(bool, bool)>,
}

/// What the tablet is still reading once its queue shows (see [`Staff::reading`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Reading {
    /// It holds every case it knows of.
    Nothing,
    /// The older cases it keeps, after a reload (the queue's were read first).
    Kept,
    /// The store's older cases from the server, when signing in (the queue's were read first).
    Store,
}

/// What people call a touchpoint of this store: its display name in the store's profile, else
/// its slug in words (also where no staff state is at hand).
pub fn place(touchpoint: &Slug) -> String {
    use_context::<Staff>()
        .and_then(|s| {
            s.roster
                .with_untracked(|r| r.profile.as_ref().map(|p| p.place(touchpoint)))
        })
        .unwrap_or_else(|| touchpoint.as_words())
}

impl Staff {
    /// The state for `store`, from what this tablet kept of it: the roster and the steps at
    /// once, the cases as `keep` reads them (meanwhile pulls wait).
    pub(super) fn load(store: Slug) -> Staff {
        let queued = RwSignal::new(outbox::load(&store));
        let ledger = RwSignal::new(LedgerView(Ledger::default()));
        // This tablet's own steps, on top of whatever the ledger holds, whenever they change.
        Effect::new(move |_| queued.with(|o| steps_into(ledger, o)));
        let roster = RwSignal::new(device::load_roster(&store));
        restore(&store, queued, roster);
        let steps = Client::start(
            Steps {
                store: StoredValue::new(store.clone()),
                queued,
                roster,
            },
            None,
        );
        let staff = Staff {
            roster,
            steps,
            pulled: RwSignal::new(Pulled::default()),
            device: crate::shared::device_id::device_id(|| DeviceId(env::new_uuid())),
            store: StoredValue::new(store),
            who: RwSignal::new(None),
            signer: StoredValue::new(None),
            pull_failed: RwSignal::new(false),
            live: RwSignal::new(false),
            last_pull: RwSignal::new(None),
            server_alerts: RwSignal::new(Vec::new()),
            outbox: queued,
            ledger,
            reading: RwSignal::new(Reading::Kept),
            reports: StoredValue::new(Reports::default()),
            unkept: RwSignal::new(false),
            screen: RwSignal::new(Screen::Queue),
            handover: RwSignal::new(None),
            search: RwSignal::new(String::new()),
            drafts: StoredValue::new(Default::default()),
            // Busy until the kept cases are read: a pull meanwhile waits for them.
            in_flight: StoredValue::new((true, false)),
        };
        staff.read_kept();
        staff
    }

    /// Reads what `keep` holds into the ledger (the open cases first, so the queue shows at
    /// once), takes in what an older release kept in `localStorage`, then lets pulls run.
    fn read_kept(self) {
        let store = self.store();
        let ledger = self.ledger;
        spawn_local(async move {
            keep::load(
                &store,
                |pulled| {
                    self.last_pull.set(pulled.at);
                    self.pulled.set(pulled);
                },
                |open| {
                    ledger.update_untracked(|LedgerView(l)| {
                        for (case, events) in open {
                            l.restore(case, events);
                        }
                    });
                    self.outbox.with_untracked(|o| steps_into(ledger, o));
                    ledger.notify();
                },
                |slice| {
                    ledger.update_untracked(|LedgerView(l)| {
                        for (case, events) in slice {
                            if l.case(case.id).is_none() {
                                l.restore(case, events);
                            }
                        }
                    });
                },
            )
            .await;
            if let Some(old) = device::legacy_pulled(&store) {
                self.take_legacy(&store, old).await;
            }
            self.outbox.with_untracked(|o| steps_into(ledger, o));
            ledger.notify();
            self.reading.set(Reading::Nothing);
            self.warm_reports();
            let (_, again) = self.in_flight.get_value();
            self.in_flight.set_value((false, false));
            if again {
                self.refresh();
            }
        });
    }

    /// Events an older release kept in `localStorage`: into the ledger and onto `keep` (with
    /// their cursor) when `keep` had nothing yet, then forgotten there.
    async fn take_legacy(self, store: &Slug, mut old: Pulled) {
        if self.pulled.with_untracked(|p| p.cursor) == 0 && !old.events.is_empty() {
            recovery_core::forget_erased(&mut old.events);
            let ids = self.ledger.update_untracked(|LedgerView(l)| {
                let mut ids = std::collections::BTreeSet::new();
                for e in std::mem::take(&mut old.events) {
                    ids.insert(e.case);
                    let _ = l.record(e);
                }
                ids
            });
            self.last_pull.set(old.at);
            self.pulled.set(old.clone());
            if !self
                .keep_cases(store, ids.into_iter().collect(), &old)
                .await
            {
                return;
            }
        }
        device::forget_legacy_pulled(store);
    }

    /// Keeps the cases `ids` and the cursor that covers them (see [`keep_cases`]), and says in
    /// the workspace when that failed; `false` then.
    pub(super) async fn keep_cases(self, store: &Slug, ids: Vec<CaseId>, pulled: &Pulled) -> bool {
        let kept = keep_cases(store, self.ledger, ids, pulled).await;
        if self.unkept.get_untracked() == kept {
            self.unkept.set(!kept);
        }
        kept
    }

    /// How far this tablet's clock is behind the server's, as learnt at the last pull.
    pub(super) fn skew_ms(&self) -> Option<i64> {
        self.pulled.with_untracked(|p| p.skew_ms)
    }

    /// The time now as the server's clock says (this tablet's, corrected by its skew): what
    /// deadlines, the queue and reports are measured against.
    pub(super) fn now(&self) -> Timestamp {
        Timestamp(clock::now().0.saturating_add(self.skew_ms().unwrap_or(0)))
    }

    pub(super) fn store(&self) -> Slug {
        self.store.get_value()
    }

    /// The store's contact salt, from its profile (untracked; empty without one).
    pub(super) fn contact_salt(&self) -> String {
        self.roster.with_untracked(|r| {
            r.profile
                .as_ref()
                .map(|p| p.contact_salt.clone())
                .unwrap_or_default()
        })
    }

    /// The store's shift plan (none before the profile is read).
    pub(super) fn shift_plan(&self) -> recovery_core::ShiftPlan {
        self.roster.with_untracked(|r| {
            r.profile
                .as_ref()
                .map(|p| p.shifts.clone())
                .unwrap_or_default()
        })
    }

    /// Brings the reports' digests up to the ledger in a task of its own after the screen is
    /// drawn, so the first insights after a sign-in or reload do not read every case (after a
    /// pull, the next report reads again only the few cases it changed).
    pub(super) fn warm_reports(self) {
        spawn_local(async move {
            clock::next_task().await;
            let salt = self.contact_salt();
            self.ledger.with_untracked(|LedgerView(l)| {
                self.reports.update_value(|r| r.refresh(l, &salt));
            });
        });
    }

    pub(super) fn save_roster(&self) {
        let store = self.store();
        self.roster
            .with_untracked(|r| device::save_roster(&store, r));
    }

    /// A case and the words of its steps.
    pub(super) fn case(&self, id: CaseId) -> Option<(Case, Details)> {
        self.ledger.with(|LedgerView(l)| {
            let case = l.case(id)?.clone();
            Some((case, Details::of(l.events_of(id))))
        })
    }

    /// Takes a step: checked with the whole workflow first, then kept and sent.
    pub(super) fn record(self, case: CaseId, kind: EventKind) -> Result<(), TransitionError> {
        let skew = self.skew_ms();
        let event = self.ledger.with_untracked(|LedgerView(l)| {
            let c = l.case(case).ok_or(TransitionError::NotFiled { case })?;
            let mut event = Event {
                id: EventId(env::new_uuid()),
                case,
                at: c.next_at(clock::now(), skew.unwrap_or(0)),
                origin: Origin {
                    store: c.store.clone(),
                    touchpoint: c.touchpoint.clone(),
                    device: self.device,
                },
                kind,
                proof: None,
                // Kept with the step (and signed with it): its time as the server's clock says.
                clock: skew.map(|skew| DeviceClock {
                    skew_ms: Some(skew),
                    received_at: None,
                }),
            };
            fold(l.events_of(case).chain([&event]))?;
            self.signer.with_value(|signer| {
                if let Some(signer) = signer {
                    signer.sign(&mut event);
                }
            });
            Ok::<_, TransitionError>(event)
        })?;
        self.outbox.update(|o| {
            o.push(Queued {
                event,
                mark: recovery_core::Mark::Pending,
            })
        });
        let store = self.store();
        self.outbox.with_untracked(|o| {
            outbox::save(&store, o);
            // On the ledger at once: the screens show the step before the effect runs.
            steps_into(self.ledger, o);
        });
        self.refresh();
        Ok(())
    }

    pub(super) fn lock(&self) {
        super::drafts::on_lock(self);
        self.signer.set_value(None);
        self.handover.set(None);
        self.who.set(None);
        self.screen.set(Screen::Queue);
        self.search.set(String::new());
    }
}

/// The ledger as a signal's value.
#[derive(Clone)]
pub(super) struct LedgerView(pub(super) Ledger);

impl PartialEq for LedgerView {
    /// Never equal: the ledger changes in place, and is only said to change when it has news.
    fn eq(&self, _: &Self) -> bool {
        false
    }
}

/// Records this tablet's own steps (`outbox`) on top of the ledger where they are not yet
/// (after a reload, or after the server's word replaced their case), and takes out those the
/// server refused; the ledger says it changed only when it did.
pub(super) fn steps_into(ledger: RwSignal<LedgerView>, outbox: &[Queued]) {
    ledger.maybe_update(|LedgerView(l)| {
        let mut changed = false;
        for q in outbox {
            if matches!(q.mark, recovery_core::Mark::Rejected(_)) {
                changed |= l.remove(q.event.id);
            } else if l.event(q.event.id).is_none() {
                changed |= l.record(q.event.clone()).is_ok();
            }
        }
        changed
    });
}

/// Cases written to `keep` per transaction.
const KEEP_SLICE: usize = 2_000;

/// Keeps the cases `ids` as the ledger holds them, a slice per transaction (the page gets a
/// turn between slices), the cursor that covers them with the last slice; `false` when the
/// browser refused.
async fn keep_cases(
    store: &Slug,
    ledger: RwSignal<LedgerView>,
    ids: Vec<CaseId>,
    pulled: &Pulled,
) -> bool {
    let slices: Vec<&[CaseId]> = ids.chunks(KEEP_SLICE).collect();
    let last = slices.len().saturating_sub(1);
    if slices.is_empty() {
        return keep::save(store, &[], Some(pulled)).await;
    }
    for (i, ids) in slices.into_iter().enumerate() {
        let records = ledger.with_untracked(|LedgerView(l)| keep::records(l, ids.iter().copied()));
        if !keep::save(store, &records, (i == last).then_some(pulled)).await {
            return false;
        }
        if i < last {
            clock::next_task().await;
        }
    }
    true
}

/// Takes back from the durable journal what the working copy lost when the browser was killed
/// before writing it out: steps not yet sent (merged, never dropped), and a lost roster.
fn restore(store: &Slug, queued: RwSignal<Vec<Queued>>, roster: RwSignal<device::Roster>) {
    let here = store.clone();
    outbox::journaled(store, move |journaled| {
        let mut steps = queued.get_untracked();
        if outbox::merge(&mut steps, journaled) {
            outbox::save(&here, &steps);
            queued.set(steps);
        }
    });
    // The roster only when the working copy lost it whole (a first sign-in cut short): which
    // of two differing copies is newer cannot be told, and an older one must not win.
    if !device::has_roster(store) {
        let here = store.clone();
        device::journaled(store, "roster", move |kept: device::Roster| {
            if !device::has_roster(&here) {
                device::save_roster(&here, &kept);
                roster.set(kept);
            }
        });
    }
}
