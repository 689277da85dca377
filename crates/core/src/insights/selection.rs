//! Which cases a report or an export covers ([`Selection`], the filter made ready to
//! apply) and what each case's events say ([`Facts`]), read once for every statistic.

use super::alerts::spike_window;
use super::{DAY_MS, HOUR_MS, Query};
use crate::case::Case;
use crate::event::{Cause, Event, EventKind, Remedy};
use crate::ids::CaseId;
use crate::ledger::Ledger;
use crate::queue::repeat_cases;

/// What a case's events say, borrowed from them and read once: every statistic and the
/// export use it.
pub(crate) struct Facts<'a> {
    /// The events, in fold order.
    pub events: Vec<&'a Event>,
    /// The first acknowledgement.
    pub acknowledged: Option<&'a Event>,
    /// The escalation.
    pub escalated: Option<&'a Event>,
    /// The notes, oldest first.
    pub notes: Vec<&'a Event>,
    /// The latest resolution.
    pub resolved: Option<&'a Event>,
    /// The value of every resolution, minor units.
    pub value_total_minor: u64,
    /// The rating of the latest resolution.
    pub rated: Option<&'a Event>,
    /// The latest follow-up.
    pub followed_up: Option<&'a Event>,
    /// The latest closing.
    pub closed: Option<&'a Event>,
}

impl<'a> Facts<'a> {
    pub(crate) fn of(events: impl IntoIterator<Item = &'a Event>) -> Facts<'a> {
        let mut events: Vec<&Event> = events.into_iter().collect();
        events.sort_unstable_by_key(|e| (e.time(), e.id));
        events.dedup_by_key(|e| e.id);
        let mut f = Facts {
            events: Vec::new(),
            acknowledged: None,
            escalated: None,
            notes: Vec::new(),
            resolved: None,
            value_total_minor: 0,
            rated: None,
            followed_up: None,
            closed: None,
        };
        for &e in &events {
            match &e.kind {
                EventKind::Filed { .. } => {}
                EventKind::Acknowledged { .. } => {
                    f.acknowledged.get_or_insert(e);
                }
                EventKind::Noted { .. } => f.notes.push(e),
                EventKind::Escalated { .. } => f.escalated = Some(e),
                EventKind::Resolved { value_minor, .. } => {
                    f.resolved = Some(e);
                    f.rated = None;
                    f.value_total_minor += u64::from(*value_minor);
                }
                EventKind::Rated { .. } => f.rated = Some(e),
                EventKind::FollowedUp { .. } => f.followed_up = Some(e),
                EventKind::Closed { .. } => f.closed = Some(e),
            }
        }
        f.events = events;
        f
    }

    /// The remedy of the latest resolution.
    pub(super) fn remedy(&self) -> Option<Remedy> {
        match self.resolved.map(|e| &e.kind) {
            Some(EventKind::Resolved { remedy, .. }) => Some(*remedy),
            _ => None,
        }
    }

    /// The documented cause of the latest closing.
    pub(crate) fn cause(&self) -> Option<&'a Cause> {
        match self.closed.map(|e| &e.kind) {
            Some(EventKind::Closed { cause, .. }) => Some(cause),
            _ => None,
        }
    }
}

/// The filter, made ready to apply: the repeat failures of the store and the times the
/// filter's staff member took steps.
pub(crate) struct Selection<'q> {
    query: &'q Query,
    repeats: Vec<CaseId>,
    shift: Vec<i64>,
    /// Days of the store's history before the spike window, at most the baseline's days.
    pub(super) history_days: i64,
}

impl<'q> Selection<'q> {
    pub(crate) fn new(ledger: &Ledger, query: &'q Query) -> Selection<'q> {
        let in_store: Vec<&Case> = ledger
            .cases()
            .filter(|c| Selection::in_store(query, c))
            .collect();
        let repeats = repeat_cases(in_store.iter().copied(), &query.contact_salt);
        let mut shift = Vec::new();
        if let Some(staff) = &query.filter.staff {
            for case in &in_store {
                shift.extend(
                    ledger
                        .events_of(case.id)
                        .filter(|e| e.kind.actor().is_some_and(|a| &a.staff == staff))
                        .map(|e| e.time().0),
                );
            }
            shift.sort_unstable();
        }
        let first_filed = in_store.iter().map(|c| c.filed_at.0).min();
        let rule = query.spike;
        let history_days = first_filed.map_or(0, |first| {
            (query.now.0 - spike_window(query) - first)
                .div_euclid(DAY_MS)
                .clamp(0, i64::from(rule.baseline_days))
        });
        Selection {
            query,
            repeats,
            shift,
            history_days,
        }
    }

    pub(super) fn in_store(query: &Query, case: &Case) -> bool {
        query.filter.store.as_ref().is_none_or(|s| *s == case.store)
    }

    pub(super) fn at_touchpoint(&self, case: &Case) -> bool {
        let f = &self.query.filter;
        Selection::in_store(self.query, case)
            && f.touchpoint.as_ref().is_none_or(|t| *t == case.touchpoint)
    }

    /// The case's facts when it is in the filter.
    pub(crate) fn pick<'l>(&self, ledger: &'l Ledger, case: &Case) -> Option<Facts<'l>> {
        let f = &self.query.filter;
        let in_period =
            f.from.is_none_or(|t| case.filed_at >= t) && f.to.is_none_or(|t| case.filed_at < t);
        if !(in_period && self.at_touchpoint(case)) {
            return None;
        }
        let facts = Facts::of(ledger.events_of(case.id));
        let on_shift = match &f.staff {
            None => true,
            Some(staff) => {
                let t = case.filed_at.0;
                let first = self
                    .shift
                    .partition_point(|&s| s < t.saturating_sub(HOUR_MS));
                self.shift
                    .get(first)
                    .is_some_and(|&s| s <= t.saturating_add(HOUR_MS))
                    || facts
                        .events
                        .iter()
                        .any(|e| e.kind.actor().is_some_and(|a| &a.staff == staff))
            }
        };
        on_shift.then_some(facts)
    }

    /// Whether the case is a repeat failure.
    pub(crate) fn is_repeat(&self, case: &Case) -> bool {
        self.repeats.binary_search(&case.id).is_ok()
    }
}
