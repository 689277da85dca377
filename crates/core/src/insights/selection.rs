//! Which cases a report or an export covers ([`Selection`], the filter made ready to
//! apply) and what each case's events say ([`Facts`]), read once for every statistic.

use super::alerts::spike_window;
use super::{DAY_MS, HOUR_MS, Query};
use crate::case::Case;
use crate::event::{Cause, Event, EventKind, Remedy};
use crate::ids::{CaseId, Slug, Timestamp};
use crate::ledger::Ledger;
use crate::queue::{contact_fingerprint, repeats};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

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
    /// The tries to reach the customer, oldest first.
    pub attempts: Vec<&'a Event>,
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
            attempts: Vec::new(),
            resolved: None,
            value_total_minor: 0,
            rated: None,
            followed_up: None,
            closed: None,
        };
        for &e in &events {
            match &e.kind {
                EventKind::Filed { .. }
                | EventKind::Erased { .. }
                | EventKind::ConsentWithdrawn {} => {}
                EventKind::Acknowledged { .. } => {
                    f.acknowledged.get_or_insert(e);
                }
                EventKind::Noted { .. } => f.notes.push(e),
                EventKind::Contacted { .. } => f.attempts.push(e),
                EventKind::Escalated { .. } => f.escalated = Some(e),
                EventKind::Resolved { value_minor, .. } => {
                    f.resolved = Some(e);
                    f.rated = None;
                    f.value_total_minor += u64::from(*value_minor);
                }
                EventKind::Rated { .. } => f.rated = Some(e),
                EventKind::FollowedUp { .. } | EventKind::Answered { .. } => {
                    f.followed_up = Some(e)
                }
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

/// What a report needs of a case before reading its steps: where and when it was filed, and
/// who filed it as a salted fingerprint (for repeat failures). A server keeps one per case of
/// a store to choose which cases to read ([`Selection::chosen`]) instead of holding them all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Brief {
    /// The case.
    pub id: CaseId,
    /// Its store.
    pub store: Slug,
    /// Where it was filed.
    pub touchpoint: Slug,
    /// When it was filed.
    pub filed_at: Timestamp,
    /// The filing device's UTC offset, minutes east.
    pub utc_offset_minutes: i16,
    /// The customer said it happened before.
    pub happened_before: bool,
    /// The salted fingerprint of the contact details given (see `contact_fingerprint`).
    pub fingerprint: Option<String>,
}

impl Brief {
    /// The brief of a case, its contact fingerprinted with `salt`. A case folded from its
    /// filing alone gives the same brief as the whole case: all of it comes from the filing.
    pub fn of(case: &Case, salt: &str) -> Brief {
        Brief {
            id: case.id,
            store: case.store.clone(),
            touchpoint: case.touchpoint.clone(),
            filed_at: case.filed_at,
            utc_offset_minutes: case.utc_offset_minutes,
            happened_before: case.complaint.happened_before == Some(true),
            fingerprint: case
                .complaint
                .contact
                .as_ref()
                .map(|c| contact_fingerprint(salt, c)),
        }
    }
}

/// The UTC offset of the latest filing among `briefs`: a default clock for a report when the
/// caller has none (0 without cases).
pub fn latest_offset_of<'a>(briefs: impl IntoIterator<Item = &'a Brief>) -> i16 {
    briefs
        .into_iter()
        .max_by_key(|b| (b.filed_at, b.id))
        .map_or(0, |b| b.utc_offset_minutes)
}

/// What a selection works out of its briefs whatever the filter: which are repeat failures, and
/// their order of filing. A device keeps it while its cases do not change ([`Prepared::of`]).
#[derive(Clone, Debug, Default)]
pub(crate) struct Prepared {
    /// Beside each brief: whether it is a repeat failure.
    repeat: Vec<bool>,
    /// Positions of the briefs, oldest filing first (ties by case id).
    by_filing: Vec<u32>,
}

impl Prepared {
    /// Works it out of `briefs`, which are in case id order.
    pub(crate) fn of(briefs: &[Brief]) -> Prepared {
        let mut repeat = vec![false; briefs.len()];
        for id in repeats(briefs) {
            if let Ok(i) = briefs.binary_search_by_key(&id.0.as_u128(), |b| b.id.0.as_u128()) {
                repeat[i] = true;
            }
        }
        // In id order already: a stable sort by filing time breaks ties by id.
        let mut by_filing: Vec<u32> = (0..briefs.len() as u32).collect();
        by_filing.sort_by_key(|&i| briefs[i as usize].filed_at);
        Prepared { repeat, by_filing }
    }
}

/// The filter, made ready to apply: the briefs of the cases, their repeat failures and the
/// times the filter's staff member took steps. It holds its briefs, or borrows them from
/// whoever keeps them (`'a`).
pub struct Selection<'a> {
    query: Query,
    /// The cases, in case id order (of any store: the filter's store is chosen as it is applied).
    briefs: Cow<'a, [Brief]>,
    prepared: Cow<'a, Prepared>,
    shift: Vec<i64>,
    /// Days of the store's history before the spike window, at most the baseline's days.
    pub(super) history_days: i64,
}

impl Selection<'static> {
    /// The selection of `query` over the briefs of a store's cases and `shift`, the times of
    /// every step the filter's staff member took on them (empty without a staff filter).
    pub fn new(query: Query, mut briefs: Vec<Brief>, shift: Vec<i64>) -> Selection<'static> {
        briefs.sort_unstable_by_key(|b| b.id.0.as_u128());
        let prepared = Prepared::of(&briefs);
        Selection::over(query, Cow::Owned(briefs), Cow::Owned(prepared), shift)
    }

    /// The selection of `query` over every case of the ledger.
    pub(crate) fn of_ledger(ledger: &Ledger, query: &Query) -> Selection<'static> {
        let in_store = || {
            ledger
                .cases()
                .filter(|c| Selection::in_store(query, &c.store))
        };
        let briefs = in_store()
            .map(|c| Brief::of(c, &query.contact_salt))
            .collect();
        let shift = match &query.filter.staff {
            Some(staff) if !query.shifts.names(staff) => in_store()
                .flat_map(|case| ledger.events_of(case.id))
                .filter(|e| e.kind.actor().is_some_and(|a| &a.staff == staff))
                .map(|e| e.time().0)
                .collect(),
            _ => Vec::new(),
        };
        Selection::new(query.clone(), briefs, shift)
    }
}

impl<'a> Selection<'a> {
    /// [`Selection::new`] over briefs (in case id order) and what was prepared of them, kept
    /// elsewhere.
    pub(super) fn borrowing(
        query: Query,
        briefs: &'a [Brief],
        prepared: &'a Prepared,
        shift: Vec<i64>,
    ) -> Selection<'a> {
        Selection::over(query, Cow::Borrowed(briefs), Cow::Borrowed(prepared), shift)
    }

    fn over(
        query: Query,
        briefs: Cow<'a, [Brief]>,
        prepared: Cow<'a, Prepared>,
        mut shift: Vec<i64>,
    ) -> Selection<'a> {
        shift.sort_unstable();
        let first_filed = briefs
            .iter()
            .filter(|b| Selection::in_store(&query, &b.store))
            .map(|b| b.filed_at.0)
            .min();
        let rule = query.spike;
        let history_days = first_filed.map_or(0, |first| {
            (query.now.0 - spike_window(&query) - first)
                .div_euclid(DAY_MS)
                .clamp(0, i64::from(rule.baseline_days))
        });
        Selection {
            query,
            briefs,
            prepared,
            shift,
            history_days,
        }
    }

    /// The query it applies.
    pub fn query(&self) -> &Query {
        &self.query
    }

    /// The briefs of the store's cases.
    pub(super) fn briefs(&self) -> &[Brief] {
        &self.briefs
    }

    pub(super) fn in_store(query: &Query, store: &Slug) -> bool {
        query.filter.store.as_ref().is_none_or(|s| s == store)
    }

    /// Whether a brief is of the filter's store and touchpoint (any period).
    pub(super) fn at_touchpoint(&self, brief: &Brief) -> bool {
        let f = &self.query.filter;
        Selection::in_store(&self.query, &brief.store)
            && f.touchpoint.as_ref().is_none_or(|t| *t == brief.touchpoint)
    }

    /// Whether a case filed at `filed_at` at `touchpoint` is in the period and place.
    fn in_period_and_place(&self, store: &Slug, touchpoint: &Slug, filed_at: Timestamp) -> bool {
        let f = &self.query.filter;
        Selection::in_store(&self.query, store)
            && f.touchpoint.as_ref().is_none_or(|t| t == touchpoint)
            && f.from.is_none_or(|t| filed_at >= t)
            && f.to.is_none_or(|t| filed_at < t)
    }

    /// The cases in the filter's period and place, oldest filing first (ties by case id):
    /// those whose steps a report must read. [`Selection::pick`] still checks the staff filter.
    pub fn chosen(&self) -> Vec<CaseId> {
        let chosen = self.chosen_indices().into_iter();
        chosen.map(|i| self.briefs[i].id).collect()
    }

    /// [`Selection::chosen`] as positions in the briefs the selection was made over.
    pub(super) fn chosen_indices(&self) -> Vec<usize> {
        let order = self.prepared.by_filing.iter().map(|&i| i as usize);
        order
            .filter(|&i| {
                let b = &self.briefs[i];
                self.in_period_and_place(&b.store, &b.touchpoint, b.filed_at)
            })
            .collect()
    }

    /// Whether a case filed at `filed_at` is in the filter's shift and was filed while its
    /// staff member was on shift: by the store's plan when it names them, else when they took
    /// a step within an hour of it, or `took_step` on the case (always true without either
    /// filter).
    pub(super) fn on_shift(&self, filed_at: Timestamp, took_step: impl FnOnce() -> bool) -> bool {
        let q = &self.query;
        let offset = q.utc_offset_minutes;
        if let Some(name) = &q.filter.shift {
            let planned = q.shifts.shift(name);
            if !planned.is_some_and(|s| s.covers(filed_at, offset)) {
                return false;
            }
        }
        let Some(staff) = &q.filter.staff else {
            return true;
        };
        if let Some(planned) = q.shifts.on_shift(staff, filed_at, offset) {
            return planned;
        }
        let t = filed_at.0;
        let first = self
            .shift
            .partition_point(|&s| s < t.saturating_sub(HOUR_MS));
        self.shift
            .get(first)
            .is_some_and(|&s| s <= t.saturating_add(HOUR_MS))
            || took_step()
    }

    /// The case's facts when it is in the filter.
    pub(crate) fn pick<'l>(&self, ledger: &'l Ledger, case: &Case) -> Option<Facts<'l>> {
        if !self.in_period_and_place(&case.store, &case.touchpoint, case.filed_at) {
            return None;
        }
        let facts = Facts::of(ledger.events_of(case.id));
        let staff = self.query.filter.staff.as_ref();
        let took_step = || {
            let mut actors = facts.events.iter().filter_map(|e| e.kind.actor());
            actors.any(|a| Some(&a.staff) == staff)
        };
        self.on_shift(case.filed_at, took_step).then_some(facts)
    }

    /// Whether the case is a repeat failure.
    pub(crate) fn is_repeat(&self, case: CaseId) -> bool {
        let at = self
            .briefs
            .binary_search_by_key(&case.0.as_u128(), |b| b.id.0.as_u128());
        at.is_ok_and(|i| self.repeat_at(i))
    }

    /// Whether the case of the brief at `i` is a repeat failure.
    pub(super) fn repeat_at(&self, i: usize) -> bool {
        self.prepared.repeat[i]
    }
}
