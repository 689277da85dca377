//! The insights report's types: what [`insights`](super::insights) returns and the staff
//! dashboard draws. Data only: computing it is the parent's work.

use super::{Bar, ControlChart, Direction, Durations};
use crate::complaint::{Category, FairSolution};
use crate::event::CauseCategory;
use crate::ids::{Slug, Timestamp};
use serde::{Deserialize, Serialize};

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
    /// Failures staff said could have been prevented.
    #[serde(default)]
    pub avoidable: Avoidable,
    /// What customers asked for against what they got.
    pub fair: FairGap,
    /// What recovery cost.
    pub costs: Costs,
    /// Each shift of the store's plan, in its order (none without a plan).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shifts: Vec<ShiftFigure>,
    /// With a plan: cases filed outside every planned shift.
    #[serde(default)]
    pub off_shift: u32,
}

/// One planned shift's complaints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShiftFigure {
    /// Its name.
    pub name: String,
    /// Complaints filed in its hours (a case in two overlapping shifts counts in each).
    pub cases: u32,
    /// Its planned hours over the report's days.
    pub planned_hours: f64,
    /// Complaints per planned hour; `None` when it had no hours in the period.
    pub per_hour: Option<f64>,
}

/// One cause category of the fishbone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bone {
    /// The category.
    pub category: CauseCategory,
    /// Closed cases with this as their main cause category.
    pub count: u32,
    /// Closed cases where it contributed beside another main cause (absent in reports from
    /// before contributing factors).
    #[serde(default)]
    pub contributing: u32,
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

/// Failures that could have been prevented, as staff answered when acknowledging: where the
/// recovery paradox does not work, so the first place to act.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Avoidable {
    /// Cases in the filter whose acknowledgement answered the question.
    pub answered: u32,
    /// Of those, the ones that could have been prevented.
    pub avoidable: u32,
    /// `avoidable / answered`.
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
