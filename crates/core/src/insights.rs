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
//! "On shift": when the store's shift plan ([`ShiftPlan`]) names a staff member, they are on
//! shift at a filing when one of their shifts covers its store-local time. Otherwise they are
//! taken to be on shift around a filing when they recorded any step (on any case of the
//! store) within an hour either side of it, or took a step on that case itself: a plan read
//! from what people did. The shift filter picks the cases filed in a planned shift's hours,
//! and with a plan the report counts complaints per shift and per planned hour.

mod alerts;
mod calendar;
mod change;
mod compare;
mod digest;
mod export;
mod report;
mod selection;
mod spc;
mod stats;

pub use calendar::{DAY_MS, HOUR_MS, date, day_number, day_start, iso, parse_date};
pub use change::{Shift, before_after, binomial_two_sided};
pub use compare::{ChainRepeats, Comparison, StoreFigures, marker_shifts, store_figures};
pub use digest::{Digest, DigestCause, Reports};
pub use export::{
    CSV_COLUMNS, Column, ExportNote, ExportRow, csv_header, csv_line, export, export_row, to_csv,
};
pub use report::{
    Alert, Avoidable, Bone, Cost, Costs, FairGap, FairRow, FollowUps, Insights, Ratings, Repeats,
    ShiftFigure,
};
pub use spc::{ChartKind, ChartPoint, ControlChart, Direction, Rule, Signal, chart, signals};
pub use stats::{Bar, Durations, pareto, percentile, poisson_threshold, share};

pub use selection::{Brief, Selection, latest_offset_of};

use alerts::{control_alert, daily_chart, spike_alerts, spike_window};
use selection::Facts;

use crate::complaint::{Category, FairSolution};
use crate::event::{CauseCategory, Remedy};
use crate::ids::{Slug, Timestamp};
use crate::ledger::Ledger;
use crate::queue::local;
use crate::shifts::ShiftPlan;
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
    /// Filed in the hours of the store's planned shift of this name.
    pub shift: Option<String>,
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
    /// The store's shift plan (empty without one).
    pub shifts: ShiftPlan,
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
            shifts: ShiftPlan::default(),
        }
    }
}

/// Longest control chart, in days; a longer period keeps its latest days.
pub const MAX_CHART_DAYS: i64 = 3660;

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

/// The whole insights report for `query` over the ledger's cases (a device that reports
/// again and again keeps a [`Reports`] instead, which reads again only the cases that changed).
pub fn insights(ledger: &Ledger, query: &Query) -> Insights {
    let mut reports = Reports::default();
    reports.refresh(ledger, &query.contact_salt);
    reports.insights(query)
}

/// An insights report summed up one case at a time: start from `Tally::default()`,
/// [`Tally::add`] each case in the selection (in [`Selection::chosen`]'s order: a sub-cause is
/// named as its first case wrote it), then [`Tally::finish`]. Memory grows with the number of
/// cases by a few numbers each (the times for percentiles), not with what they say.
#[derive(Clone, Debug)]
struct Tally {
    cases: u32,
    heatmap: [[u32; 24]; 7],
    touchpoints: BTreeMap<Slug, u32>,
    categories: [u32; Category::ALL.len()],
    causes: [u32; CauseCategory::ALL.len()],
    /// Closed cases where a category contributed beside the main cause.
    contributing: [u32; CauseCategory::ALL.len()],
    /// (cause category, sub-cause in lower case) → (as first written, count)
    sub_causes: HashMap<(CauseCategory, String), (String, u32)>,
    days: BTreeMap<i64, u32>,
    to_ack: Vec<i64>,
    to_resolve: Vec<i64>,
    rating: Ratings,
    star_sum: u32,
    follow_up: FollowUps,
    repeats: Repeats,
    avoidable: Avoidable,
    fair: FairGap,
    costs: Costs,
    /// Cases filed in each shift of the plan, in its order.
    by_shift: Vec<u32>,
    /// Cases filed outside every planned shift.
    off_shift: u32,
}

impl Default for Tally {
    /// Nothing counted yet.
    fn default() -> Tally {
        Tally {
            cases: 0,
            heatmap: [[0; 24]; 7],
            touchpoints: BTreeMap::new(),
            categories: [0; Category::ALL.len()],
            causes: [0; CauseCategory::ALL.len()],
            contributing: [0; CauseCategory::ALL.len()],
            sub_causes: HashMap::new(),
            days: BTreeMap::new(),
            to_ack: Vec::new(),
            to_resolve: Vec::new(),
            rating: Ratings::default(),
            star_sum: 0,
            follow_up: FollowUps::default(),
            repeats: Repeats::default(),
            avoidable: Avoidable::default(),
            fair: FairGap {
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
            },
            costs: Costs {
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
            },
            by_shift: Vec::new(),
            off_shift: 0,
        }
    }
}

impl Tally {
    /// Counts a case in the selection (chosen, and on shift), as its brief and digest say.
    fn add(&mut self, sel: &Selection, repeat: bool, brief: &Brief, d: &Digest) {
        let offset = sel.query().utc_offset_minutes;
        let filed_at = brief.filed_at;
        self.cases += 1;
        let filed = local(filed_at, offset);
        self.heatmap[usize::from(filed.weekday)][usize::from(filed.hour)] += 1;
        let plan = &sel.query().shifts;
        if !plan.is_empty() {
            self.by_shift.resize(plan.0.len(), 0);
            let mut any = false;
            for (n, shift) in self.by_shift.iter_mut().zip(&plan.0) {
                if shift.covers(filed_at, offset) {
                    (*n, any) = (*n + 1, true);
                }
            }
            self.off_shift += u32::from(!any);
        }
        // Counted without a copy of the touchpoint's name for each case.
        if let Some(n) = self.touchpoints.get_mut(&brief.touchpoint) {
            *n += 1;
        } else {
            self.touchpoints.insert(brief.touchpoint.clone(), 1);
        }
        self.categories[d.category as usize] += 1;
        *self
            .days
            .entry(calendar::day_number(filed_at, offset))
            .or_default() += 1;
        // A step stamped before the filing is another device's clock: no time at all.
        if let Some(at) = d.acknowledged_at {
            self.to_ack.push((at.0 - filed_at.0).max(0));
        }
        if let Some(at) = d.resolved_at {
            self.to_resolve.push((at.0 - filed_at.0).max(0));
        }
        if let Some(stars) = d.stars.filter(|s| (1..=5).contains(s)) {
            self.rating.count += 1;
            self.rating.stars[usize::from(stars) - 1] += 1;
            self.star_sum += u32::from(stars);
        }
        if d.followed_up {
            self.follow_up.followed_up += 1;
            self.follow_up.reopened += u32::from(d.reopened);
        }
        self.repeats.cases += 1;
        self.repeats.repeats += u32::from(repeat);
        if let Some(avoidable) = d.avoidable {
            self.avoidable.answered += 1;
            self.avoidable.avoidable += u32::from(avoidable);
        }
        let cost = &mut self.costs.by_category[d.category as usize];
        cost.cases += 1;
        if let Some(remedy) = d.remedy {
            let fair = &mut self.fair;
            cost.resolved += 1;
            cost.total_minor += d.value_total_minor;
            fair.resolved += 1;
            let asked = &d.fair_solutions;
            if asked.is_empty() {
                fair.asked_nothing += 1;
            }
            let mut any = false;
            for &a in asked {
                let row = &mut fair.rows[a as usize];
                row.cases += 1;
                row.got[remedy as usize] += 1;
                if meets(a, remedy, d.closed) {
                    row.met += 1;
                    any = true;
                }
            }
            fair.met += u32::from(any);
        }
        if let Some(cause) = &d.cause {
            self.causes[cause.category as usize] += 1;
            let mut seen = [false; CauseCategory::ALL.len()];
            seen[cause.category as usize] = true;
            for f in &cause.factors {
                // A case counts once on each bone it touches, whatever it wrote there.
                if !std::mem::replace(&mut seen[f.category as usize], true) {
                    self.contributing[f.category as usize] += 1;
                }
            }
            let factors = cause.factors.iter().filter(|f| !f.sub_cause.is_empty());
            for (category, sub) in std::iter::once((cause.category, &cause.sub_cause))
                .chain(factors.map(|f| (f.category, &f.sub_cause)))
            {
                self.sub_causes
                    .entry((category, sub.to_lowercase()))
                    .or_insert_with(|| (sub.clone(), 0))
                    .1 += 1;
            }
        }
    }

    /// The report of the selection's cases counted.
    fn finish(self, sel: &Selection) -> Insights {
        let Tally {
            cases,
            heatmap,
            touchpoints,
            categories,
            causes,
            contributing,
            sub_causes,
            days,
            to_ack,
            to_resolve,
            mut rating,
            star_sum,
            mut follow_up,
            mut repeats,
            mut avoidable,
            mut fair,
            mut costs,
            by_shift,
            off_shift,
        } = self;
        let query = sel.query();
        rating.mean = (rating.count > 0).then(|| f64::from(star_sum) / f64::from(rating.count));
        follow_up.share_reopened = share(follow_up.reopened, follow_up.followed_up);
        repeats.share = share(repeats.repeats, repeats.cases);
        avoidable.share = share(avoidable.avoidable, avoidable.answered);
        fair.share_met = share(fair.met, fair.resolved - fair.asked_nothing);
        for cost in &mut costs.by_category {
            costs.resolved += cost.resolved;
            costs.total_minor += cost.total_minor;
            cost.mean_minor =
                (cost.resolved > 0).then(|| cost.total_minor as f64 / f64::from(cost.resolved));
        }
        let mut bones: Vec<Vec<(String, u32)>> = vec![Vec::new(); CauseCategory::ALL.len()];
        for ((category, _), (text, n)) in sub_causes {
            bones[category as usize].push((text, n));
        }
        let fishbone = CauseCategory::ALL
            .iter()
            .zip(bones)
            .map(|(&category, subs)| Bone {
                category,
                count: causes[category as usize],
                contributing: contributing[category as usize],
                sub_causes: pareto(subs),
            })
            .collect();

        // Spikes: per touchpoint, filings in the window now and in the same window of the
        // earlier days of the baseline.
        let now = query.now.0;
        let window = spike_window(query);
        let mut spikes: BTreeMap<&Slug, (u32, u32)> = BTreeMap::new();
        for brief in sel.briefs().iter().filter(|b| sel.at_touchpoint(b)) {
            let ago = now - brief.filed_at.0;
            let (day, rest) = (ago.div_euclid(DAY_MS), ago.rem_euclid(DAY_MS));
            if ago >= 0 && rest < window && day <= sel.history_days {
                let counts = spikes.entry(&brief.touchpoint).or_default();
                if day == 0 {
                    counts.0 += 1;
                } else {
                    counts.1 += 1;
                }
            }
        }
        let control = daily_chart(query, &days);
        let shifts = shift_figures(&query.shifts, &by_shift, &control);
        let mut alerts = spike_alerts(query, spikes, sel.history_days);
        alerts.extend(control_alert(query, &control));

        Insights {
            now: query.now,
            utc_offset_minutes: query.utc_offset_minutes,
            cases,
            heatmap,
            touchpoints: pareto(touchpoints.iter().map(|(t, n)| (t.as_str(), *n))),
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
            avoidable,
            fair,
            costs,
            shifts,
            off_shift,
        }
    }
}

/// Each planned shift's complaints and planned hours over the chart's days (a night shift's
/// hours count on the day it starts).
fn shift_figures(plan: &ShiftPlan, counted: &[u32], control: &ControlChart) -> Vec<ShiftFigure> {
    let weekdays: Vec<usize> = control
        .points
        .iter()
        .filter_map(|p| parse_date(&p.date))
        .map(|day| (day + 3).rem_euclid(7) as usize)
        .collect();
    plan.0
        .iter()
        .enumerate()
        .map(|(i, shift)| {
            let cases = counted.get(i).copied().unwrap_or(0);
            let minutes: u32 = weekdays.iter().map(|&d| shift.minutes_on(d)).sum();
            let planned_hours = f64::from(minutes) / 60.0;
            ShiftFigure {
                name: shift.name.clone(),
                cases,
                planned_hours,
                per_hour: (minutes > 0).then(|| f64::from(cases) / planned_hours),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
