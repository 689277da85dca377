//! Insights for store managers and alerts for staff: where and when complaints cluster,
//! which causes dominate, whether the daily count is in statistical control, how fast cases
//! are acknowledged and resolved, how customers rate the fixes, and what recovery costs;
//! and the export of documented cases.
//!
//! [`insights`] computes a whole [`Insights`] report from a [`Ledger`] (the app's own, or
//! one the server folds from every device's events) in one pass over the cases; [`export`]
//! gives the same selection as rows for CSV ([`to_csv`]) or JSON (serde). Both take a
//! [`Query`]: the [`Filter`] (period, store, touchpoint, staff member on shift), the moment
//! it is (`now`), the store's UTC offset for hours and days, and the contact salt for repeat
//! detection. Everything here is pure: the caller passes the time.
//!
//! "On shift": a staff member is taken to be on shift around a filing when they recorded any
//! step (on any case of the store) within an hour either side of it, or took a step on that
//! case itself. The roster has no shift plan, and this reads one from what people did.

mod calendar;
mod export;
mod spc;
mod stats;

pub use calendar::{DAY_MS, HOUR_MS, date, day_number, day_start, iso, parse_date};
pub use export::{CSV_COLUMNS, Column, ExportNote, ExportRow, export, to_csv};
pub use spc::{ChartKind, ChartPoint, ControlChart, Direction, Rule, Signal, chart, signals};
pub use stats::{Bar, Durations, pareto, percentile, poisson_threshold, share};

use crate::case::Case;
use crate::complaint::{Category, FairSolution};
use crate::event::{Cause, CauseCategory, Event, EventKind, Remedy};
use crate::ids::{CaseId, Slug, Timestamp};
use crate::ledger::Ledger;
use crate::queue::{local, repeat_cases};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Which cases a report or an export covers. `None` is "any".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Filed at or after this moment.
    pub from: Option<Timestamp>,
    /// Filed before this moment.
    pub to: Option<Timestamp>,
    /// Of this store.
    pub store: Option<Slug>,
    /// Filed at this touchpoint.
    pub touchpoint: Option<Slug>,
    /// Filed while this staff member was on shift (see the module documentation).
    pub staff: Option<Slug>,
}

/// When a touchpoint's last hour is a spike: its count is at least the count that its usual
/// rate at this time of day would reach with probability below `alpha` (Poisson), and at
/// least `min_count`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpikeRule {
    /// The window looked at, ending now, in minutes.
    pub window_minutes: u32,
    /// Days of history for the usual rate: the same window on each earlier day.
    pub baseline_days: u32,
    /// The smallest count ever called a spike.
    pub min_count: u32,
    /// The tail probability below which a count is unusual (0.001: about a one-sided 3σ).
    pub alpha: f64,
}

impl Default for SpikeRule {
    /// The last hour against the same hour on the 28 days before, at least 3 complaints,
    /// 1 in 1,000.
    fn default() -> Self {
        SpikeRule {
            window_minutes: 60,
            baseline_days: 28,
            min_count: 3,
            alpha: 0.001,
        }
    }
}

/// What to compute insights for.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    /// Which cases.
    pub filter: Filter,
    /// The moment it is: the end of an open period and of the spike window.
    pub now: Timestamp,
    /// The store's clock, minutes east of UTC: hours of the heatmap and days of the chart.
    pub utc_offset_minutes: i16,
    /// The store's contact salt (`StoreProfile::contact_salt`), for repeat failures.
    pub contact_salt: String,
    /// Visits per store-local date (`YYYY-MM-DD`); when every day of the chart has them,
    /// the chart is a p-chart.
    pub visits: BTreeMap<String, u32>,
    /// When a last hour is a spike.
    pub spike: SpikeRule,
}

impl Query {
    /// Every case, at `now`, on a clock `utc_offset_minutes` east, with the default spike
    /// rule, no visits and an empty salt.
    pub fn new(now: Timestamp, utc_offset_minutes: i16) -> Query {
        Query {
            filter: Filter::default(),
            now,
            utc_offset_minutes,
            contact_salt: String::new(),
            visits: BTreeMap::new(),
            spike: SpikeRule::default(),
        }
    }
}

/// Longest control chart, in days; a longer period keeps its latest days.
pub const MAX_CHART_DAYS: i64 = 3660;

/// A whole insights report. Every count is of cases in the filter; enums serialise as their
/// snake_case keys (translation keys).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Insights {
    /// The moment it was computed for.
    pub now: Timestamp,
    /// The clock of its hours and days, minutes east of UTC.
    pub utc_offset_minutes: i16,
    /// Cases in the filter.
    pub cases: u32,
    /// Filings by store-local weekday (row 0 = Monday) and hour (column 0 = 00:00–00:59).
    pub heatmap: [[u32; 24]; 7],
    /// Pareto of touchpoints (keys are touchpoint slugs).
    pub touchpoints: Vec<Bar>,
    /// Pareto of complaint categories (keys are `Category` keys).
    pub categories: Vec<Bar>,
    /// Pareto of cause categories of closed cases (keys are `CauseCategory` keys).
    pub causes: Vec<Bar>,
    /// Cause and effect: every cause category, with its sub-causes as a Pareto.
    pub fishbone: Vec<Bone>,
    /// Complaints per day.
    pub control: ControlChart,
    /// What staff should look at now.
    pub alerts: Vec<Alert>,
    /// From filing to the first acknowledgement.
    pub acknowledge: Durations,
    /// From filing to the first resolution.
    pub resolve: Durations,
    /// How customers rated the latest fix.
    pub rating: Ratings,
    /// Whether fixes held at follow-up.
    pub follow_up: FollowUps,
    /// Repeat failures.
    pub repeats: Repeats,
    /// What customers asked for against what they got.
    pub fair: FairGap,
    /// What recovery cost.
    pub costs: Costs,
}

/// One cause category of the fishbone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bone {
    /// The category.
    pub category: CauseCategory,
    /// Closed cases with this cause category.
    pub count: u32,
    /// Its sub-causes (grouped ignoring letter case, shown as first written), largest first.
    pub sub_causes: Vec<Bar>,
}

/// Ratings of the latest fix of each case.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Ratings {
    /// Rated cases.
    pub count: u32,
    /// Mean stars.
    pub mean: Option<f64>,
    /// Cases with 1, 2, 3, 4 and 5 stars.
    pub stars: [u32; 5],
}

/// Follow-ups: did the fix hold?
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FollowUps {
    /// Cases followed up at least once.
    pub followed_up: u32,
    /// Of those, cases a follow-up reopened (the fix did not hold).
    pub reopened: u32,
    /// `reopened / followed_up`.
    pub share_reopened: Option<f64>,
}

/// Repeat failures: the customer said it happened before, or the same contact filed an
/// earlier case at the store (see `repeat_cases`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Repeats {
    /// Cases in the filter.
    pub cases: u32,
    /// Of those, repeat failures.
    pub repeats: u32,
    /// `repeats / cases`.
    pub share: Option<f64>,
}

/// The fair solutions customers asked for against the remedy of the latest resolution.
///
/// An asked solution is met by: refund, replacement and other by the same remedy; repair by a
/// replacement or other; discount by a discount or voucher; apology by any resolution (the
/// personal apology comes first, at acknowledgement); explanation by closing the case (it
/// needs an explanation for the customer).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FairGap {
    /// Resolved cases.
    pub resolved: u32,
    /// Of those, cases that asked for nothing in particular.
    pub asked_nothing: u32,
    /// Of those that asked, cases where at least one asked solution was met.
    pub met: u32,
    /// `met / (resolved − asked_nothing)`.
    pub share_met: Option<f64>,
    /// One row per fair solution, in `FairSolution::ALL` order.
    pub rows: Vec<FairRow>,
}

/// Resolved cases that asked for one fair solution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FairRow {
    /// What they asked for (a case asking for two counts in both rows).
    pub asked: FairSolution,
    /// How many resolved cases asked for it.
    pub cases: u32,
    /// Of those, how many got it.
    pub met: u32,
    /// What they got: cases per remedy, in `Remedy::ALL` order.
    pub got: Vec<u32>,
}

/// Recovery costs: the value of every resolution (a reopened case resolved twice costs both).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Costs {
    /// Resolved cases.
    pub resolved: u32,
    /// Their total value, minor units.
    pub total_minor: u64,
    /// Per complaint category, in `Category::ALL` order.
    pub by_category: Vec<Cost>,
}

/// Recovery cost of one complaint category.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cost {
    /// The category.
    pub category: Category,
    /// Cases in it.
    pub cases: u32,
    /// Of those, resolved.
    pub resolved: u32,
    /// Total value given, minor units.
    pub total_minor: u64,
    /// Mean value per resolved case, minor units.
    pub mean_minor: Option<f64>,
}

/// Something staff should look at now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Alert {
    /// A touchpoint had an unusual number of complaints in the last window.
    Spike {
        /// The touchpoint.
        touchpoint: Slug,
        /// Complaints in the window.
        count: u32,
        /// Its usual count in this window of the day.
        expected: f64,
        /// The count from which it is a spike.
        threshold: u32,
        /// The window, minutes up to now.
        window_minutes: u32,
    },
    /// Today (above the upper limit already) or yesterday was outside the control limits.
    OutOfControl {
        /// The store-local date.
        date: String,
        /// Complaints that day.
        count: u32,
        /// The plotted value (count, or share of visits).
        value: f64,
        /// Upper control limit.
        ucl: f64,
        /// Lower control limit.
        lcl: f64,
        /// Above or below.
        direction: Direction,
    },
}

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
        events.sort_unstable_by_key(|e| (e.at, e.id));
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
    fn remedy(&self) -> Option<Remedy> {
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
    history_days: i64,
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
                        .map(|e| e.at.0),
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

    fn in_store(query: &Query, case: &Case) -> bool {
        query.filter.store.as_ref().is_none_or(|s| *s == case.store)
    }

    fn at_touchpoint(&self, case: &Case) -> bool {
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

/// Whether a resolution's remedy meets a fair solution the customer asked for (see
/// [`FairGap`]); `closed` is whether the case was closed with an explanation.
fn meets(asked: FairSolution, got: Remedy, closed: bool) -> bool {
    match asked {
        FairSolution::Refund => got == Remedy::Refund,
        FairSolution::Replacement => got == Remedy::Replacement,
        FairSolution::Repair => matches!(got, Remedy::Replacement | Remedy::Other),
        FairSolution::Discount => matches!(got, Remedy::Discount | Remedy::Voucher),
        FairSolution::Apology => true,
        FairSolution::Explanation => closed,
        FairSolution::Other => got == Remedy::Other,
    }
}

/// The UTC offset of the store's latest filing: a default clock for a report when the caller
/// has none (0 without cases).
pub fn latest_offset(ledger: &Ledger) -> i16 {
    ledger
        .cases()
        .max_by_key(|c| (c.filed_at, c.id))
        .map_or(0, |c| c.utc_offset_minutes)
}

/// The whole insights report for `query` over the ledger's cases.
pub fn insights(ledger: &Ledger, query: &Query) -> Insights {
    let sel = Selection::new(ledger, query);
    let offset = query.utc_offset_minutes;
    let now = query.now.0;
    let window = spike_window(query);

    let mut cases = 0u32;
    let mut heatmap = [[0u32; 24]; 7];
    let mut touchpoints: BTreeMap<&str, u32> = BTreeMap::new();
    let mut categories = [0u32; Category::ALL.len()];
    let mut causes = [0u32; CauseCategory::ALL.len()];
    // (cause category, sub-cause in lower case) → (as first written, count)
    let mut sub_causes: HashMap<(CauseCategory, String), (&str, u32)> = HashMap::new();
    let mut days: BTreeMap<i64, u32> = BTreeMap::new();
    let (mut to_ack, mut to_resolve) = (Vec::new(), Vec::new());
    let mut rating = Ratings::default();
    let mut star_sum = 0u32;
    let mut follow_up = FollowUps::default();
    let mut repeats = Repeats::default();
    let mut fair = FairGap {
        rows: FairSolution::ALL
            .iter()
            .map(|&asked| FairRow {
                asked,
                cases: 0,
                met: 0,
                got: vec![0; Remedy::ALL.len()],
            })
            .collect(),
        ..FairGap::default()
    };
    let mut costs = Costs {
        by_category: Category::ALL
            .iter()
            .map(|&category| Cost {
                category,
                cases: 0,
                resolved: 0,
                total_minor: 0,
                mean_minor: None,
            })
            .collect(),
        ..Costs::default()
    };
    // Spikes: per touchpoint, filings in the window now and in the same window of the
    // earlier days of the baseline.
    let mut spikes: BTreeMap<&Slug, (u32, u32)> = BTreeMap::new();

    for case in ledger.cases() {
        if !Selection::in_store(query, case) {
            continue;
        }
        if sel.at_touchpoint(case) {
            let ago = now - case.filed_at.0;
            let (day, rest) = (ago.div_euclid(DAY_MS), ago.rem_euclid(DAY_MS));
            if ago >= 0 && rest < window && day <= sel.history_days {
                let counts = spikes.entry(&case.touchpoint).or_default();
                if day == 0 {
                    counts.0 += 1;
                } else {
                    counts.1 += 1;
                }
            }
        }
        let Some(facts) = sel.pick(ledger, case) else {
            continue;
        };
        cases += 1;
        let filed = local(case.filed_at, offset);
        heatmap[usize::from(filed.weekday)][usize::from(filed.hour)] += 1;
        *touchpoints.entry(case.touchpoint.as_str()).or_default() += 1;
        categories[case.complaint.category as usize] += 1;
        *days
            .entry(calendar::day_number(case.filed_at, offset))
            .or_default() += 1;
        // A step stamped before the filing is another device's clock: no time at all.
        if let Some(at) = case.acknowledged_at {
            to_ack.push((at.0 - case.filed_at.0).max(0));
        }
        if let Some(at) = case.resolved_at {
            to_resolve.push((at.0 - case.filed_at.0).max(0));
        }
        if let Some(stars) = case.stars.filter(|s| (1..=5).contains(s)) {
            rating.count += 1;
            rating.stars[usize::from(stars) - 1] += 1;
            star_sum += u32::from(stars);
        }
        if facts.followed_up.is_some() {
            follow_up.followed_up += 1;
            follow_up.reopened += u32::from(case.reopened > 0);
        }
        repeats.cases += 1;
        repeats.repeats += u32::from(sel.is_repeat(case));
        let cost = &mut costs.by_category[case.complaint.category as usize];
        cost.cases += 1;
        if let Some(remedy) = facts.remedy() {
            cost.resolved += 1;
            cost.total_minor += facts.value_total_minor;
            fair.resolved += 1;
            let asked = &case.complaint.fair_solutions;
            if asked.is_empty() {
                fair.asked_nothing += 1;
            }
            let mut any = false;
            for &a in asked {
                let row = &mut fair.rows[a as usize];
                row.cases += 1;
                row.got[remedy as usize] += 1;
                if meets(a, remedy, facts.closed.is_some()) {
                    row.met += 1;
                    any = true;
                }
            }
            fair.met += u32::from(any);
        }
        if let Some(cause) = facts.cause() {
            causes[cause.category as usize] += 1;
            sub_causes
                .entry((cause.category, cause.sub_cause.to_lowercase()))
                .or_insert((cause.sub_cause.as_str(), 0))
                .1 += 1;
        }
    }

    rating.mean = (rating.count > 0).then(|| f64::from(star_sum) / f64::from(rating.count));
    follow_up.share_reopened = share(follow_up.reopened, follow_up.followed_up);
    repeats.share = share(repeats.repeats, repeats.cases);
    fair.share_met = share(fair.met, fair.resolved - fair.asked_nothing);
    for cost in &mut costs.by_category {
        costs.resolved += cost.resolved;
        costs.total_minor += cost.total_minor;
        cost.mean_minor =
            (cost.resolved > 0).then(|| cost.total_minor as f64 / f64::from(cost.resolved));
    }
    let mut bones: Vec<Vec<(&str, u32)>> = vec![Vec::new(); CauseCategory::ALL.len()];
    for ((category, _), (text, n)) in sub_causes {
        bones[category as usize].push((text, n));
    }
    let fishbone = CauseCategory::ALL
        .iter()
        .zip(bones)
        .map(|(&category, subs)| Bone {
            category,
            count: causes[category as usize],
            sub_causes: pareto(subs),
        })
        .collect();

    let control = daily_chart(query, &days);
    let mut alerts = spike_alerts(query, spikes, sel.history_days);
    alerts.extend(control_alert(query, &control));

    Insights {
        now: query.now,
        utc_offset_minutes: offset,
        cases,
        heatmap,
        touchpoints: pareto(touchpoints),
        categories: pareto(
            Category::ALL
                .iter()
                .map(|c| (c.key(), categories[*c as usize])),
        ),
        causes: pareto(
            CauseCategory::ALL
                .iter()
                .map(|c| (c.key(), causes[*c as usize])),
        ),
        fishbone,
        control,
        alerts,
        acknowledge: Durations::of(to_ack),
        resolve: Durations::of(to_resolve),
        rating,
        follow_up,
        repeats,
        fair,
        costs,
    }
}

/// The control chart of the filter's period, one point per store-local day: from the
/// period's first day (or the first filing's) to its last (or today), days without
/// complaints included, at most [`MAX_CHART_DAYS`].
fn daily_chart(query: &Query, days: &BTreeMap<i64, u32>) -> ControlChart {
    let offset = query.utc_offset_minutes;
    let f = &query.filter;
    let first = f
        .from
        .map(|t| day_number(t, offset))
        .or_else(|| days.keys().next().copied());
    let last = match f.to {
        Some(t) => day_number(Timestamp(t.0.saturating_sub(1)), offset),
        None => {
            let today = day_number(query.now, offset);
            days.keys().next_back().map_or(today, |&d| d.max(today))
        }
    };
    let Some(first) = first.map(|d| d.max(last - MAX_CHART_DAYS + 1)) else {
        return chart(Vec::new());
    };
    chart(
        (first..=last)
            .map(|day| {
                let date = date(day);
                let visits = query.visits.get(&date).copied();
                (date, days.get(&day).copied().unwrap_or(0), visits)
            })
            .collect(),
    )
}

/// The spike window in milliseconds: a minute to a day.
fn spike_window(query: &Query) -> i64 {
    i64::from(query.spike.window_minutes.clamp(1, 1440)) * 60_000
}

/// Spike alerts: each touchpoint whose count in the window reaches the Poisson threshold of
/// its usual count. The usual count is the mean over the `days` earlier days whose window
/// the store's history covers (at most `baseline_days`); with none, nothing is unusual yet.
fn spike_alerts(query: &Query, spikes: BTreeMap<&Slug, (u32, u32)>, days: i64) -> Vec<Alert> {
    let rule = query.spike;
    if days == 0 {
        return Vec::new();
    }
    spikes
        .into_iter()
        .filter_map(|(touchpoint, (count, before))| {
            let expected = f64::from(before) / days as f64;
            let threshold = poisson_threshold(expected, rule.alpha, rule.min_count);
            (count >= threshold).then(|| Alert::Spike {
                touchpoint: touchpoint.clone(),
                count,
                expected,
                threshold,
                window_minutes: (spike_window(query) / 60_000) as u32,
            })
        })
        .collect()
}

/// An alert when the chart's last day is today and already above the upper limit, or
/// yesterday and outside either limit.
fn control_alert(query: &Query, chart: &ControlChart) -> Option<Alert> {
    let point = chart.points.last()?;
    let today = day_number(query.now, query.utc_offset_minutes);
    let day = parse_date(&point.date)?;
    let direction = if point.value > point.ucl {
        Direction::Up
    } else if point.value < point.lcl && day < today {
        Direction::Down
    } else {
        return None;
    };
    (day == today || day == today - 1).then(|| Alert::OutOfControl {
        date: point.date.clone(),
        count: point.count,
        value: point.value,
        ucl: point.ucl,
        lcl: point.lcl,
        direction,
    })
}

#[cfg(test)]
mod tests;
