//! What a report needs of each case, read once and kept: [`Digest`] (beside the case's
//! [`Brief`]) holds the few facts every statistic of the insights report reads, so a report
//! over 100,000 cases walks 100,000 small records instead of every event again. A server keeps
//! one in each case's row of its read model; a device keeps them in [`Reports`], made again
//! only for the cases that changed since (by the ledger's versions).

use super::selection::{Brief, Facts, Prepared, Selection};
use super::{Insights, Query, Tally};
use crate::case::Case;
use crate::complaint::{Category, FairSolution};
use crate::event::{CauseCategory, Event, Factor, Remedy};
use crate::ids::{Slug, Timestamp};
use crate::ledger::Ledger;
use serde::{Deserialize, Serialize};

/// What the insights report reads of a case beyond its [`Brief`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest {
    /// The complaint's category.
    pub category: Category,
    /// The fair solutions the customer asked for.
    pub fair_solutions: Vec<FairSolution>,
    /// When it was first acknowledged.
    pub acknowledged_at: Option<Timestamp>,
    /// When it was first resolved.
    pub resolved_at: Option<Timestamp>,
    /// The stars of the rating of the latest resolution.
    pub stars: Option<u8>,
    /// Staff answered "could we have prevented this?".
    pub avoidable: Option<bool>,
    /// Someone followed it up.
    pub followed_up: bool,
    /// A follow-up reopened it.
    pub reopened: bool,
    /// The remedy of the latest resolution.
    pub remedy: Option<Remedy>,
    /// The value of every resolution, minor units.
    pub value_total_minor: u64,
    /// It was closed (with an explanation), at least once.
    pub closed: bool,
    /// The cause its latest closing documented.
    pub cause: Option<DigestCause>,
    /// Who took a step on it, and when (corrected time): the staff filter's "on shift".
    pub steps: Vec<(Slug, Timestamp)>,
}

/// The part of a documented cause the fishbone counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestCause {
    /// The main cause's category.
    pub category: CauseCategory,
    /// Its sub-cause, as written.
    pub sub_cause: String,
    /// What else contributed.
    pub factors: Vec<Factor>,
}

impl Digest {
    /// The digest of `case`, folded from `events`.
    pub fn of<'a>(case: &Case, events: impl IntoIterator<Item = &'a Event>) -> Digest {
        let facts = Facts::of(events);
        Digest {
            category: case.complaint.category,
            fair_solutions: case.complaint.fair_solutions.clone(),
            acknowledged_at: case.acknowledged_at,
            resolved_at: case.resolved_at,
            stars: case.stars,
            avoidable: case.avoidable,
            followed_up: facts.followed_up.is_some(),
            reopened: case.reopened > 0,
            remedy: facts.remedy(),
            value_total_minor: facts.value_total_minor,
            closed: facts.closed.is_some(),
            cause: facts.cause().map(|c| DigestCause {
                category: c.category,
                sub_cause: c.sub_cause.clone(),
                factors: c.factors.clone(),
            }),
            steps: facts
                .events
                .iter()
                .filter_map(|e| e.kind.actor().map(|a| (a.staff.clone(), e.time())))
                .collect(),
        }
    }
}

/// The briefs and digests of a store's cases, ready for reports: [`Reports::insights`].
/// A device keeps one and calls [`Reports::refresh`] before each report, which reads again
/// only the cases whose ledger version changed (or all of them, for a new contact salt).
#[derive(Clone, Debug, Default)]
pub struct Reports {
    salt: String,
    /// In case id order.
    briefs: Vec<Brief>,
    /// Beside `briefs`, one for one: each case's digest and the ledger version it was made at.
    digests: Vec<(u64, Digest)>,
    /// What a selection works out of the briefs, until they change.
    prepared: Option<Prepared>,
}

impl Reports {
    /// Reports over cases read elsewhere (a server's read model): `briefs` and `digests` one
    /// for one.
    pub fn from_parts(briefs: Vec<Brief>, digests: Vec<Digest>) -> Reports {
        let mut both: Vec<(Brief, (u64, Digest))> = briefs
            .into_iter()
            .zip(digests.into_iter().map(|d| (0, d)))
            .collect();
        both.sort_unstable_by_key(|(b, _)| b.id.0.as_u128());
        let (briefs, digests) = both.into_iter().unzip();
        Reports {
            salt: String::new(),
            briefs,
            digests,
            prepared: None,
        }
    }

    /// Puts in (or replaces) one case's brief and digest, as a server reads the cases that
    /// changed since its last report.
    pub fn put(&mut self, brief: Brief, digest: Digest) {
        let key = brief.id.0.as_u128();
        match self.briefs.binary_search_by_key(&key, |b| b.id.0.as_u128()) {
            Ok(i) => {
                self.briefs[i] = brief;
                self.digests[i] = (0, digest);
            }
            Err(i) => {
                self.briefs.insert(i, brief);
                self.digests.insert(i, (0, digest));
            }
        }
        self.prepared = None;
    }

    /// How many cases.
    pub fn len(&self) -> usize {
        self.briefs.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.briefs.is_empty()
    }

    /// Brings the briefs and digests up to `ledger`, with contacts fingerprinted with `salt`:
    /// a case whose version is unchanged keeps what it had.
    pub fn refresh(&mut self, ledger: &Ledger, salt: &str) {
        if salt != self.salt {
            self.salt = salt.to_owned();
            self.briefs.clear();
            self.digests.clear();
        }
        // Nothing changed (the usual case between two reports): nothing to do.
        let kept = self.briefs.iter().zip(&self.digests);
        if self.briefs.len() == ledger.case_count()
            && ledger
                .versioned()
                .zip(kept)
                .all(|((case, version, _), (brief, (at, _)))| case.id == brief.id && version == *at)
        {
            return;
        }
        let before = self.briefs.len();
        let mut changed = false;
        let mut old = std::mem::take(&mut self.briefs)
            .into_iter()
            .zip(std::mem::take(&mut self.digests))
            .peekable();
        self.briefs.reserve(ledger.case_count());
        self.digests.reserve(ledger.case_count());
        for (case, version, events) in ledger.versioned() {
            // Both in case id order: skip what the ledger no longer holds.
            while old.next_if(|(brief, _)| brief.id < case.id).is_some() {}
            let (brief, digest) = match old.next_if(|(b, (v, _))| b.id == case.id && *v == version)
            {
                Some(kept) => kept,
                None => {
                    changed = true;
                    (Brief::of(case, salt), (version, Digest::of(case, events)))
                }
            };
            self.briefs.push(brief);
            self.digests.push(digest);
        }
        if changed || self.briefs.len() != before {
            self.prepared = None;
        }
    }

    /// The briefs of the cases, in case id order.
    pub fn briefs(&self) -> &[Brief] {
        &self.briefs
    }

    /// When, where and about what each case was filed: what a marker's before and after count.
    pub fn filings(&self) -> Vec<(Timestamp, &Slug, Category)> {
        self.briefs
            .iter()
            .zip(&self.digests)
            .map(|(b, (_, d))| (b.filed_at, &b.touchpoint, d.category))
            .collect()
    }

    /// The times of every step the query's staff member took on the cases of its store (none
    /// without a staff filter, or when the store's shift plan names them): when they were on
    /// shift.
    pub fn shift(&self, query: &Query) -> Vec<i64> {
        let Some(staff) = &query.filter.staff else {
            return Vec::new();
        };
        if query.shifts.names(staff) {
            return Vec::new();
        }
        self.briefs
            .iter()
            .zip(&self.digests)
            .filter(|(b, _)| Selection::in_store(query, &b.store))
            .flat_map(|(_, (_, d))| &d.steps)
            .filter(|(who, _)| who == staff)
            .map(|(_, at)| at.0)
            .collect()
    }

    /// The whole insights report for `query` over these cases.
    pub fn insights(&mut self, query: &Query) -> Insights {
        let shift = self.shift(query);
        let prepared = self
            .prepared
            .get_or_insert_with(|| Prepared::of(&self.briefs));
        let sel = Selection::borrowing(query.clone(), &self.briefs, prepared, shift);
        let mut tally = Tally::default();
        for i in sel.chosen_indices() {
            let (brief, (_, digest)) = (&self.briefs[i], &self.digests[i]);
            let took_step = || {
                let staff = query.filter.staff.as_ref();
                digest.steps.iter().any(|(who, _)| Some(who) == staff)
            };
            if sel.on_shift(brief.filed_at, took_step) {
                tally.add(&sel, sel.repeat_at(i), brief, digest);
            }
        }
        tally.finish(&sel)
    }
}
