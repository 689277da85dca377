//! Every store of a chain at a glance: each store's figures side by side (complaints, per 1,000
//! visits where visits are known, times to acknowledge and resolve, ratings, the share the
//! follow-up reopened, repeat failures, how often what customers asked for was met, what
//! recovery cost) and its control chart, from each store's own [`Insights`]. Repeat failures
//! are counted across the chain: a chain's stores fingerprint contacts with one salt, so a
//! customer who complained in another of its stores first is a repeat here too. Pure.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{Brief, ChartKind, ControlChart, Durations, Insights, Shift};
use crate::complaint::Category;
use crate::ids::{CaseId, Slug, Timestamp};
use crate::marker::{MARKER_WINDOW_DAYS, Marker};
use crate::queue::repeats;

/// One store's figures in the comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreFigures {
    /// The store.
    pub store: Slug,
    /// Its name.
    pub name: String,
    /// Its currency (of `cost_minor`).
    pub currency: String,
    /// Complaints filed in the period.
    pub cases: u32,
    /// Complaints per 1,000 visits, when the store counts its visits every day of the period.
    pub per_thousand_visits: Option<f64>,
    /// From filing to the first acknowledgement.
    pub acknowledge: Durations,
    /// From filing to the first resolution.
    pub resolve: Durations,
    /// Rated cases.
    pub rated: u32,
    /// Their mean stars.
    pub rating: Option<f64>,
    /// Share of followed-up cases whose fix did not hold.
    pub reopened: Option<f64>,
    /// Repeat failures among the period's complaints, across the chain's stores.
    pub repeats: u32,
    /// Of those, the ones whose earlier complaint was in another store of the chain.
    pub repeats_elsewhere: u32,
    /// Share of resolved cases that asked for something and got at least one of it.
    pub fair_met: Option<f64>,
    /// What recovery cost, minor units of `currency`.
    pub cost_minor: u64,
    /// Complaints per day.
    pub control: ControlChart,
    /// Before and after each of the comparison's chain-wide changes ([`Comparison::markers`],
    /// one for one): `None` while a change lies ahead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shifts: Vec<Option<Shift>>,
}

/// The chain's stores side by side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The moment it was computed for.
    pub now: Timestamp,
    /// Each store the asker sees, by id.
    pub stores: Vec<StoreFigures>,
    /// The changes marked for the whole chain, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub markers: Vec<Marker>,
}

/// Before and after each of `markers` in one store, over its filings (when, where, what):
/// windows of [`MARKER_WINDOW_DAYS`], from the store's first filing, seen at `now`. A store
/// without a complaint gets full windows with none either side (it had none to change).
pub fn marker_shifts(
    markers: &[Marker],
    filings: &[(Timestamp, &Slug, Category)],
    now: Timestamp,
) -> Vec<Option<Shift>> {
    let first = filings
        .iter()
        .map(|f| f.0)
        .min()
        .unwrap_or(Timestamp(i64::MIN / 2));
    markers
        .iter()
        .map(|m| m.shift(filings, MARKER_WINDOW_DAYS, first, now))
        .collect()
}

/// The repeat failures of a chain, worked out once over every case of the chain: each with
/// its store and filing time, and whether the same contact's earlier filing was in another
/// store. [`ChainRepeats::count`] then counts one store's in a period.
#[derive(Clone, Debug, Default)]
pub struct ChainRepeats {
    /// Each repeat: store, filing time, begun in another store.
    repeats: Vec<(Slug, Timestamp, bool)>,
}

impl ChainRepeats {
    /// The repeats among `briefs`, every case of the chain.
    pub fn of(briefs: &[Brief]) -> ChainRepeats {
        // Each contact's filings by time: a repeat elsewhere when the one before it was in
        // another store.
        let mut keyed: Vec<(&str, Timestamp, &Brief)> = briefs
            .iter()
            .filter_map(|b| Some((b.fingerprint.as_deref()?, b.filed_at, b)))
            .collect();
        keyed.sort_unstable_by(|a, b| (a.0, a.1, a.2.id).cmp(&(b.0, b.1, b.2.id)));
        let elsewhere: BTreeSet<CaseId> = keyed
            .windows(2)
            .filter(|p| p[0].0 == p[1].0 && p[0].2.store != p[1].2.store)
            .map(|p| p[1].2.id)
            .collect();
        let by_id: BTreeMap<CaseId, &Brief> = briefs.iter().map(|b| (b.id, b)).collect();
        let repeats = repeats(briefs)
            .into_iter()
            .filter_map(|id| {
                let b = by_id.get(&id)?;
                Some((b.store.clone(), b.filed_at, elsewhere.contains(&id)))
            })
            .collect();
        ChainRepeats { repeats }
    }

    /// `store`'s repeats among the cases filed in `[from, to)` (either open): every one, and
    /// those whose earlier filing by the same contact was in another store.
    pub fn count(
        &self,
        store: &Slug,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> (u32, u32) {
        self.repeats
            .iter()
            .filter(|(s, at, _)| {
                s == store && from.is_none_or(|f| *at >= f) && to.is_none_or(|t| *at < t)
            })
            .fold((0, 0), |(all, elsewhere), (_, _, other)| {
                (all + 1, elsewhere + u32::from(*other))
            })
    }
}

/// A store's figures from its report and its chain-wide repeat counts (see [`ChainRepeats`]).
pub fn store_figures(
    store: Slug,
    name: String,
    currency: String,
    report: &Insights,
    (repeats, repeats_elsewhere): (u32, u32),
) -> StoreFigures {
    let chart = &report.control;
    let per_thousand_visits = (chart.kind == ChartKind::P).then(|| {
        let visits: u64 = chart
            .points
            .iter()
            .map(|p| u64::from(p.visits.unwrap_or(0)))
            .sum();
        let count: u64 = chart.points.iter().map(|p| u64::from(p.count)).sum();
        1000.0 * count as f64 / visits.max(1) as f64
    });
    StoreFigures {
        store,
        name,
        currency,
        cases: report.cases,
        per_thousand_visits,
        acknowledge: report.acknowledge.clone(),
        resolve: report.resolve.clone(),
        rated: report.rating.count,
        rating: report.rating.mean,
        reopened: report.follow_up.share_reopened,
        repeats,
        repeats_elsewhere,
        fair_met: report.fair.share_met,
        cost_minor: report.costs.total_minor,
        control: report.control.clone(),
        shifts: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::CaseId;
    use uuid::Uuid;

    fn brief(id: u128, store: &str, at: i64, contact: Option<&str>) -> Brief {
        Brief {
            id: CaseId(Uuid::from_u128(id)),
            store: Slug::parse(store).unwrap(),
            touchpoint: Slug::parse("till").unwrap(),
            filed_at: Timestamp(at),
            utc_offset_minutes: 0,
            happened_before: false,
            fingerprint: contact.map(str::to_owned),
        }
    }

    #[test]
    fn a_chain_wide_change_is_judged_in_each_store_on_its_own_complaints() {
        const DAY: i64 = 86_400_000;
        let now = Timestamp(200 * DAY);
        let change = Marker {
            id: Uuid::from_u128(1),
            change: crate::marker::NewMarker {
                at: Timestamp(100 * DAY),
                kind: crate::marker::MarkerKind::Upgrade,
                label: "Tills upgraded".into(),
                touchpoint: None,
                category: None,
            },
            by: "Cleo (cleo)".into(),
            marked_at: now,
            chain: true,
        };
        let till = Slug::parse("till").unwrap();
        // One store: 1 complaint a day before, 4 a day after (planted); the other: 2 a day
        // throughout (none planted).
        let mut changed = Vec::new();
        let mut steady = Vec::new();
        for day in 0..200 {
            let per = if day < 100 { 1 } else { 4 };
            for n in 0..per {
                changed.push((Timestamp(day * DAY + n * 1000), &till, Category::Billing));
            }
            for n in 0..2 {
                steady.push((Timestamp(day * DAY + n * 1000), &till, Category::Billing));
            }
        }
        let shifted = marker_shifts(std::slice::from_ref(&change), &changed, now);
        let s = shifted[0].as_ref().unwrap();
        assert_eq!((s.before, s.after), (28, 112));
        assert!(s.significant && s.low > 1.0, "{s:?}");
        let level = marker_shifts(std::slice::from_ref(&change), &steady, now);
        let s = level[0].as_ref().unwrap();
        assert_eq!((s.before, s.after), (56, 56));
        assert!(!s.significant && s.low < 1.0 && s.high > 1.0, "{s:?}");
        // A change ahead: nothing to judge yet.
        let mut ahead = change.clone();
        ahead.change.at = Timestamp(250 * DAY);
        assert_eq!(marker_shifts(&[ahead], &changed, now), [None]);
        // A store without a complaint: none before, none after, nothing more than chance.
        let quiet = marker_shifts(std::slice::from_ref(&change), &[], now);
        let s = quiet[0].as_ref().unwrap();
        assert_eq!((s.before, s.after, s.significant), (0, 0, false));
    }

    #[test]
    fn a_customer_who_complained_in_another_store_of_the_chain_is_a_repeat_there() {
        let briefs = [
            brief(1, "mall", 1_000, Some("fp-ana")),
            brief(2, "harbour", 2_000, Some("fp-ana")),
            brief(3, "harbour", 3_000, Some("fp-ana")),
            brief(4, "mall", 4_000, Some("fp-bo")),
            brief(5, "harbour", 5_000, None),
        ];
        let repeats = ChainRepeats::of(&briefs);
        let (harbour, mall) = (
            Slug::parse("harbour").unwrap(),
            Slug::parse("mall").unwrap(),
        );
        assert_eq!(
            repeats.count(&harbour, None, None),
            (2, 1),
            "one after the mall, one after itself"
        );
        assert_eq!(repeats.count(&mall, None, None), (0, 0));
        // Only the period's complaints count, but earlier ones make them repeats.
        assert_eq!(
            repeats.count(&harbour, Some(Timestamp(2_500)), None),
            (1, 0)
        );
        assert_eq!(
            repeats.count(&harbour, None, Some(Timestamp(2_500))),
            (1, 1)
        );
    }
}
