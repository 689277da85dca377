//! What the staff app's screens share: the store, the roster and session, the events pulled
//! and the steps taken here, the ledger folded from both, and the one screen on show.
//!
//! Provided as context by `app`; every screen reads it with `expect_context::<Staff>()`. Taking
//! a step goes through [`Staff::record`], which checks it with the core's workflow before
//! keeping it. Nothing here draws; the exchange with the server is `sync`'s.

use super::device::{self, Pulled, Roster};
use super::outbox::{self, Queued, Steps, StepsClient};
use crate::shared::outbox::Client;
use crate::shared::platform::{clock, env};
use leptos::prelude::*;
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
    /// Every event this tablet knows, folded: pulled ones and its own (bar refused ones).
    pub(super) ledger: Memo<LedgerView>,
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
    /// The state for `store`, from what this tablet kept of it.
    pub(super) fn load(store: Slug) -> Staff {
        let pulled = RwSignal::new(device::load_pulled(&store));
        let queued = RwSignal::new(outbox::load(&store));
        let ledger = Memo::new(move |_| {
            let mut l = Ledger::default();
            pulled.with(|p| {
                for e in &p.events {
                    let _ = l.record(e.clone());
                }
            });
            queued.with(|o| {
                for q in o
                    .iter()
                    .filter(|q| !matches!(q.mark, recovery_core::Mark::Rejected(_)))
                {
                    let _ = l.record(q.event.clone());
                }
            });
            LedgerView(l)
        });
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
        Staff {
            roster,
            steps,
            pulled,
            device: crate::shared::device_id::device_id(|| DeviceId(env::new_uuid())),
            store: StoredValue::new(store),
            who: RwSignal::new(None),
            signer: StoredValue::new(None),
            pull_failed: RwSignal::new(false),
            live: RwSignal::new(false),
            last_pull: RwSignal::new(pulled.with_untracked(|p| p.at)),
            server_alerts: RwSignal::new(Vec::new()),
            outbox: queued,
            ledger,
            screen: RwSignal::new(Screen::Queue),
            handover: RwSignal::new(None),
            search: RwSignal::new(String::new()),
            drafts: StoredValue::new(Default::default()),
            in_flight: StoredValue::new((false, false)),
        }
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
        self.outbox.with_untracked(|o| outbox::save(&store, o));
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

/// A ledger as a memo value.
#[derive(Clone)]
pub(super) struct LedgerView(pub(super) Ledger);

impl PartialEq for LedgerView {
    /// Never equal: the ledger is rebuilt only when its sources change, and then it has news.
    fn eq(&self, _: &Self) -> bool {
        false
    }
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
