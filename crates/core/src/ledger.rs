//! A set of events and the cases they fold into, kept up to date one event at a time.
//!
//! Recording is idempotent by event id, and only the touched case is refolded, so a device
//! with 100,000 cases records a new one as fast as an empty device.

use crate::case::{Case, Step, TransitionError, apply, fold_with, open};
use crate::event::Event;
use crate::ids::{CaseId, EventId};
use crate::ticket::TicketCode;
use std::collections::BTreeMap;

/// Each case's events (side by side, so a report walks them without a lookup each), the
/// case of every event id, and each case's folded state.
#[derive(Clone, Debug)]
pub struct Ledger {
    ids: BTreeMap<EventId, CaseId>,
    by_case: BTreeMap<CaseId, Kept>,
    /// Changes made so far: each case's `Kept::version` is the count at its latest change.
    changes: u64,
    cases: BTreeMap<CaseId, Case>,
    tickets: BTreeMap<TicketCode, CaseId>,
    step: Step,
}

/// A case's events and the ledger's change count at its latest change.
#[derive(Clone, Debug, Default)]
struct Kept {
    version: u64,
    events: Vec<Event>,
}

impl Default for Ledger {
    /// A ledger of the whole recovery workflow.
    fn default() -> Self {
        Ledger::with_step(apply)
    }
}

/// What recording an event did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// The event was new and is now part of its case.
    New,
    /// The event was already recorded; nothing changed.
    Duplicate,
}

impl Ledger {
    /// A ledger that takes filings only (a customer's device): any other step is refused, and
    /// the workflow's code stays out of the customer's download.
    pub fn filings_only() -> Ledger {
        Ledger::with_step(open)
    }

    fn with_step(step: Step) -> Ledger {
        Ledger {
            ids: BTreeMap::new(),
            by_case: BTreeMap::new(),
            changes: 0,
            cases: BTreeMap::new(),
            tickets: BTreeMap::new(),
            step,
        }
    }

    /// Records an event. A known id is a no-op; an event its case refuses is not kept.
    pub fn record(&mut self, event: Event) -> Result<Recorded, TransitionError> {
        if self.ids.contains_key(&event.id) {
            return Ok(Recorded::Duplicate);
        }
        let events = self
            .by_case
            .get(&event.case)
            .map(|kept| kept.events.as_slice())
            .unwrap_or(&[]);
        // The fold is a left fold over the case's events in (time, id) order, and the case
        // kept here is the fold of its events so far. An event that sorts after all of them
        // (the usual arrival order: a case's steps come in the order they were taken) is one
        // step on that case; one that arrives late goes through the whole fold again.
        let latest = events.iter().map(|e| (e.time(), e.id)).max();
        let case = match (self.cases.get(&event.case), latest) {
            (Some(case), Some(last)) if (event.time(), event.id) > last => {
                (self.step)(Some(case), &event)?
            }
            _ => fold_with(events.iter().chain(std::iter::once(&event)), self.step)?
                .ok_or(TransitionError::NotFiled { case: event.case })?,
        };
        self.own_code(&case);
        self.ids.insert(event.id, event.case);
        let kept = self.by_case.entry(event.case).or_default();
        self.changes += 1;
        kept.version = self.changes;
        kept.events.push(event);
        self.cases.insert(case.id, case);
        Ok(Recorded::New)
    }

    /// Puts a case in as the server's read model holds it: `case` as the fold of `events`,
    /// taken as it is (the server folded it with this same code), replacing whatever this
    /// ledger held of that case. How a tablet loads many cases without folding them again.
    pub fn restore(&mut self, case: Case, events: Vec<Event>) {
        self.drop_case(case.id);
        for event in &events {
            self.ids.insert(event.id, case.id);
        }
        self.changes += 1;
        let version = self.changes;
        self.by_case.insert(case.id, Kept { version, events });
        self.own_code(&case);
        self.cases.insert(case.id, case);
    }

    /// Takes an event out (a step the server refused) and folds its case again from the rest,
    /// in the fold's order, leaving out any that no longer follows. `false` when it was not here.
    pub fn remove(&mut self, id: EventId) -> bool {
        let Some(&case) = self.ids.get(&id) else {
            return false;
        };
        let mut rest = self.drop_case(case);
        rest.retain(|e| e.id != id);
        rest.sort_unstable_by_key(|e| (e.time(), e.id));
        for event in rest {
            let _ = self.record(event);
        }
        true
    }

    /// Forgets the customer's name and contact in the filing kept of `case` (after an
    /// `erased` event: the case's fold dropped them already).
    pub fn forget_customer(&mut self, case: CaseId) {
        let Some(kept) = self.by_case.get_mut(&case) else {
            return;
        };
        self.changes += 1;
        kept.version = self.changes;
        for event in &mut kept.events {
            if let crate::event::EventKind::Filed { complaint, .. } = &mut event.kind {
                complaint.forget_customer();
            }
        }
    }

    /// Takes a case out; its events.
    fn drop_case(&mut self, id: CaseId) -> Vec<Event> {
        let events = self
            .by_case
            .remove(&id)
            .map(|kept| kept.events)
            .unwrap_or_default();
        for e in &events {
            self.ids.remove(&e.id);
        }
        if let Some(old) = self.cases.remove(&id)
            && self.tickets.get(&old.ticket) == Some(&id)
        {
            self.tickets.remove(&old.ticket);
        }
        events
    }

    /// Codes are 30 bits, so two cases can share one: the most recently filed case owns the
    /// code (ties by id), whatever order the events arrived in.
    fn own_code(&mut self, case: &Case) {
        let owns_code = self
            .tickets
            .get(&case.ticket)
            .and_then(|id| self.cases.get(id))
            .is_none_or(|held| (held.filed_at, held.id) <= (case.filed_at, case.id));
        if owns_code {
            self.tickets.insert(case.ticket.clone(), case.id);
        }
    }

    /// One case.
    pub fn case(&self, id: CaseId) -> Option<&Case> {
        self.cases.get(&id)
    }

    /// Every case, by id.
    pub fn cases(&self) -> impl Iterator<Item = &Case> {
        self.cases.values()
    }

    /// The `n` most recently filed cases, newest first (ties by id). Picked in one pass without
    /// sorting every case: a device holding thousands lists only a few.
    pub fn newest(&self, n: usize) -> Vec<&Case> {
        let mut top: Vec<&Case> = Vec::with_capacity(n.min(self.cases.len()) + 1);
        for case in self.cases.values() {
            let key = (std::cmp::Reverse(case.filed_at), case.id);
            let at = top
                .binary_search_by_key(&key, |c| (std::cmp::Reverse(c.filed_at), c.id))
                .unwrap_or_else(|i| i);
            if at < n {
                top.insert(at, case);
                top.truncate(n);
            }
        }
        top
    }

    /// How many cases.
    pub fn case_count(&self) -> usize {
        self.cases.len()
    }

    /// One event.
    pub fn event(&self, id: EventId) -> Option<&Event> {
        let case = self.ids.get(&id)?;
        self.by_case.get(case)?.events.iter().find(|e| e.id == id)
    }

    /// A case's events, in the order they were recorded.
    pub fn events_of(&self, case: CaseId) -> impl Iterator<Item = &Event> {
        self.by_case
            .get(&case)
            .into_iter()
            .flat_map(|kept| &kept.events)
    }

    /// Every case, by id, with its version (larger after every change to the case: a cache of
    /// what a case says is good while its version is the same) and its events.
    pub fn versioned(&self) -> impl Iterator<Item = (&Case, u64, &[Event])> {
        // The same ids in both maps: every change puts or takes a case in both.
        self.cases
            .values()
            .zip(self.by_case.values())
            .map(|(case, kept)| (case, kept.version, kept.events.as_slice()))
    }

    /// How many events.
    pub fn event_count(&self) -> usize {
        self.ids.len()
    }

    /// The case with this ticket code. Two cases can share a code (30 bits); the most
    /// recently filed one is returned, and the full case id stays the real key.
    pub fn find_ticket(&self, code: &TicketCode) -> Option<&Case> {
        self.tickets.get(code).and_then(|id| self.cases.get(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::tests::filed;

    #[test]
    fn recording_twice_is_a_duplicate_and_changes_nothing() {
        let mut l = Ledger::default();
        let e = filed(1, 100, 5_000);
        assert_eq!(l.record(e.clone()), Ok(Recorded::New));
        let before = l.case(e.case).cloned();
        assert_eq!(l.record(e.clone()), Ok(Recorded::Duplicate));
        assert_eq!(l.case(e.case).cloned(), before);
        assert_eq!(l.event_count(), 1);
        assert_eq!(l.case_count(), 1);
    }

    #[test]
    fn a_refused_event_is_not_kept() {
        let mut l = Ledger::default();
        l.record(filed(1, 100, 5_000)).unwrap();
        assert!(l.record(filed(2, 100, 6_000)).is_err());
        assert_eq!(l.event_count(), 1);
        assert!(
            l.event(crate::ids::EventId(uuid::Uuid::from_u128(2)))
                .is_none()
        );
        assert_eq!(
            l.events_of(crate::ids::CaseId(uuid::Uuid::from_u128(100)))
                .count(),
            1
        );
    }

    #[test]
    fn a_shared_ticket_code_belongs_to_the_latest_filing_whatever_the_arrival_order() {
        // Case ids that agree in their first 30 bits share a ticket code.
        let older = filed(1, 0xABCD_0000_0000_0000_0000_0000_0000_0001, 1_000);
        let newer = filed(2, 0xABCD_0000_0000_0000_0000_0000_0000_0002, 2_000);
        let code = TicketCode::from_case(older.case);
        assert_eq!(code, TicketCode::from_case(newer.case));
        for order in [[&older, &newer], [&newer, &older]] {
            let mut l = Ledger::default();
            for e in order {
                l.record(e.clone()).unwrap();
            }
            assert_eq!(l.find_ticket(&code).map(|c| c.id), Some(newer.case));
        }
    }

    #[test]
    fn the_newest_cases_come_first_and_only_as_many_as_asked() {
        let mut l = Ledger::default();
        for (event, case, at) in [
            (1, 10, 3_000),
            (2, 20, 1_000),
            (3, 30, 5_000),
            (4, 40, 3_000),
        ] {
            l.record(filed(event, case, at)).unwrap();
        }
        let ids = |v: Vec<&Case>| v.into_iter().map(|c| c.id.0.as_u128()).collect::<Vec<_>>();
        assert_eq!(ids(l.newest(10)), [30, 10, 40, 20]);
        assert_eq!(ids(l.newest(2)), [30, 10]);
        assert!(l.newest(0).is_empty());
        assert!(Ledger::default().newest(5).is_empty());
    }

    #[test]
    fn steps_in_order_and_steps_in_any_other_order_fold_to_the_same_cases() {
        use crate::event::{EventKind, Role};
        use crate::testing::{actor, step};
        let ana = actor("ana", Role::Staff, 2_500);
        let events = vec![
            filed(1, 100, 1_000),
            step(
                2,
                100,
                2_000,
                EventKind::Acknowledged {
                    by: ana.clone(),
                    apology: "I am sorry.".into(),
                    avoidable: None,
                },
            ),
            step(
                3,
                100,
                3_000,
                EventKind::Noted {
                    by: ana.clone(),
                    note: "Talked it through.".into(),
                },
            ),
            step(
                4,
                100,
                4_000,
                EventKind::Resolved {
                    by: ana.clone(),
                    remedy: crate::event::Remedy::Voucher,
                    value_minor: 500,
                    gesture: String::new(),
                    follow_up_at: None,
                },
            ),
            step(
                5,
                100,
                5_000,
                EventKind::Rated {
                    stars: 4,
                    comment: String::new(),
                },
            ),
            filed(6, 200, 1_500),
        ];
        let mut in_order = Ledger::default();
        for e in &events {
            in_order.record(e.clone()).unwrap();
        }
        let expected: Vec<Case> = in_order.cases().cloned().collect();
        assert_eq!(
            in_order.case(events[0].case).map(|c| c.stars),
            Some(Some(4))
        );
        // Every rotation and the reverse: late events take the whole fold, and steps that
        // come before their filing are refused until it arrives (then recorded again).
        let mut orders: Vec<Vec<Event>> = (0..events.len())
            .map(|k| {
                let mut o = events.clone();
                o.rotate_left(k);
                o
            })
            .collect();
        orders.push(events.iter().rev().cloned().collect());
        for order in orders {
            let mut l = Ledger::default();
            let mut pending = order;
            while !pending.is_empty() {
                let before = pending.len();
                pending.retain(|e| l.record(e.clone()).is_err());
                assert!(pending.len() < before, "some event always folds");
            }
            assert_eq!(l.cases().cloned().collect::<Vec<_>>(), expected);
        }
    }

    #[test]
    fn a_restored_case_is_the_recorded_one_and_a_removed_step_is_folded_away() {
        use crate::event::{EventKind, Role};
        use crate::testing::{actor, step};
        let ana = actor("ana", Role::Staff, 2_500);
        let filing = filed(1, 100, 1_000);
        let ack = step(
            2,
            100,
            2_000,
            EventKind::Acknowledged {
                by: ana.clone(),
                apology: "I am sorry.".into(),
                avoidable: None,
            },
        );
        let note = step(
            3,
            100,
            3_000,
            EventKind::Noted {
                by: ana,
                note: "Asked the till.".into(),
            },
        );
        let mut recorded = Ledger::default();
        for e in [&filing, &ack, &note] {
            recorded.record(e.clone()).unwrap();
        }
        let case = recorded.case(filing.case).cloned().unwrap();
        let mut restored = Ledger::default();
        // What was there before is replaced, not added to.
        restored.record(filing.clone()).unwrap();
        restored.restore(
            case.clone(),
            vec![filing.clone(), ack.clone(), note.clone()],
        );
        assert_eq!(restored.case(filing.case), Some(&case));
        assert_eq!(restored.event_count(), 3);
        assert_eq!(
            restored.find_ticket(&case.ticket).map(|c| c.id),
            Some(case.id)
        );
        // A later step folds onto the restored state as onto the recorded one.
        let rated = step(
            4,
            100,
            4_000,
            EventKind::Noted {
                by: actor("max", Role::Manager, 10_000),
                note: "Called back.".into(),
            },
        );
        assert_eq!(restored.record(rated.clone()), Ok(Recorded::New));
        assert_eq!(recorded.record(rated.clone()), Ok(Recorded::New));
        assert_eq!(restored.case(filing.case), recorded.case(filing.case));

        // Taking the acknowledgement out leaves the filing's case, without the steps that no
        // longer follow it.
        assert!(restored.remove(ack.id));
        assert!(!restored.remove(ack.id));
        let mut alone = Ledger::default();
        alone.record(filing.clone()).unwrap();
        let _ = alone.record(note.clone());
        let _ = alone.record(rated);
        assert_eq!(restored.case(filing.case), alone.case(filing.case));
        assert_eq!(restored.event_count(), alone.event_count());
    }

    #[test]
    fn forgetting_a_customer_clears_the_kept_filing() {
        let mut l = Ledger::default();
        let mut e = filed(1, 100, 5_000);
        if let crate::event::EventKind::Filed { complaint, .. } = &mut e.kind {
            complaint.name = Some("Sari".into());
        }
        l.record(e.clone()).unwrap();
        l.forget_customer(e.case);
        let kept = l.events_of(e.case).next().unwrap();
        let crate::event::EventKind::Filed { complaint, .. } = &kept.kind else {
            panic!("a filing");
        };
        assert_eq!(complaint.name, None);
    }

    #[test]
    fn cases_are_found_by_ticket() {
        let mut l = Ledger::default();
        let e = filed(1, 100, 5_000);
        l.record(e.clone()).unwrap();
        let ticket = TicketCode::from_case(e.case);
        assert_eq!(l.find_ticket(&ticket).map(|c| c.id), Some(e.case));
    }
}
